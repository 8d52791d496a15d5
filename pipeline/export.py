"""Stage 6: the tidy tables as CSV or Parquet, plus a Frictionless `datapackage.json`.

The table layouts live in `data/schema.json`; `rows` turns documents into rows and
`merge` puts them in order; this module streams rows into files written atomically (a
temp file in the same folder, then `os.replace`), so a crash never leaves a half-written
table. No pandas here: a table of any size passes through a few rows at a time.
"""
from __future__ import annotations

import codecs
import csv
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import islice
from pathlib import Path

from .rows import columns, integer_columns, number_columns, pack, schema

PARQUET_ROW_GROUP = 100_000


@lru_cache(maxsize=1)
def file_mode() -> int:
    """What open() would give a new file (0o644 under the usual umask): mkstemp's 0o600
    would hide the tables from other users and services."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, write, encoding: str | None = "utf-8") -> None:
    """Call `write(file)` on a temp file beside `path`, then move it into place.

    The file is text in `encoding`, or binary when `encoding` is None."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mode = {"mode": "wb"} if encoding is None else {"mode": "w", "encoding": encoding, "newline": ""}
        with os.fdopen(fd, **mode) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_rows(table: str, rows: Iterable[Sequence], out: Path, fmt: str = "csv", excel: bool = False) -> None:
    """Stream rows (in column order and contract order) into `out/TABLE.csv|parquet`."""
    path = Path(out) / f"{table}.{fmt}"
    if fmt == "parquet":
        atomic_write(path, lambda f: parquet_rows(table, rows, f), encoding=None)
    else:
        atomic_write(path, lambda f: csv_rows(table, rows, f), encoding="utf-8-sig" if excel else "utf-8")


def write_lines(table: str, lines: Iterable[bytes], out: Path, excel: bool = False) -> None:
    """`out/TABLE.csv` from CSV lines already formatted (utf-8, in contract order), after
    the header: a table that passes through unchanged is copied, not parsed and formatted again."""
    def write(f) -> None:
        f.write((codecs.BOM_UTF8 if excel else b"") + pack([columns(table)]))
        f.writelines(lines)
    atomic_write(Path(out) / f"{table}.csv", write, encoding=None)


def csv_rows(table: str, rows: Iterable[Sequence], f) -> None:
    """CSV as the contract says, written by the csv module as pandas writes it."""
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(columns(table))
    writer.writerows(rows)


def arrow_schema(table: str):
    """Parquet with real types: integers as int64, figure values as float64, the rest strings."""
    import pyarrow as pa

    ints, numbers = set(integer_columns(table)), set(number_columns(table))
    return pa.schema([(c, pa.int64() if c in ints else pa.float64() if c in numbers else pa.string())
                      for c in columns(table)])


def parquet_rows(table: str, rows: Iterable[Sequence], f, group: int | None = None) -> None:
    """Parquet written a row group at a time, so a table of any size streams through."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    group = group or PARQUET_ROW_GROUP

    schema_ = arrow_schema(table)
    numbers = [i for i, c in enumerate(columns(table)) if c in number_columns(table)]
    with pq.ParquetWriter(f, schema_) as writer:
        it = iter(rows)
        while chunk := list(islice(it, group)):
            cells = [list(col) for col in zip(*chunk)]
            for i in numbers:
                cells[i] = [float(v) if v != "" else None for v in cells[i]]
            writer.write_table(pa.Table.from_arrays(cells, schema=schema_))


def datapackage(fmt: str = "csv", excel: bool = False) -> dict:
    """The Frictionless descriptor of an output folder."""
    resources_ = []
    for name, table in schema().items():
        tschema = {"fields": table["fields"], "missingValues": [""]}
        if table.get("primaryKey"):
            tschema["primaryKey"] = table["primaryKey"]
        if table.get("foreignKeys"):
            tschema["foreignKeys"] = table["foreignKeys"]
        resources_.append({
            "name": name, "path": f"{name}.{fmt}", "profile": "tabular-data-resource", "scheme": "file",
            "format": fmt, "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
            "description": table["description"], "schema": tschema,
        })
        if fmt == "csv":
            resources_[-1]["encoding"] = "utf-8-sig" if excel else "utf-8"
    return {"name": "ruextract-output", "title": "Russian news extraction tables",
            "profile": "tabular-data-package", "resources": resources_}


def write_datapackage(out: Path, fmt: str = "csv", excel: bool = False) -> None:
    descriptor = json.dumps(datapackage(fmt, excel), ensure_ascii=False, indent=2) + "\n"
    atomic_write(Path(out) / "datapackage.json", lambda f: f.write(descriptor))


def sweep_temp_files(out: Path) -> None:
    """Temp files left by a run that was killed while writing a table."""
    for stale in Path(out).glob(".*.tmp"):
        stale.unlink(missing_ok=True)
