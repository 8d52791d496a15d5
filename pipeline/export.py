"""Stage 6: the tidy tables as CSV, plus a Frictionless `datapackage.json`.

The table layouts live in `data/schema.json`; `rows` turns documents into rows, this
module turns rows into sorted DataFrames, and DataFrames into files written atomically (a temp file
in the same folder, then `os.replace`), so a crash never leaves a half-written table.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .rows import columns, integer_columns, plain_number, schema

def sort_frame(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Contract column order and sort order, missing values as ''."""
    cols = list(columns(table))
    df = df.reindex(columns=cols)
    keys = [c for c in ("doc_id", "start", "stop", "sent_id", "token_id", "mention_id", "figure_id") if c in cols]
    if table == "errors":
        keys = ["source", "doc_id", "stage", "error"]
    if len(df):
        df = df.sort_values(keys, kind="stable").reset_index(drop=True)
    return df.fillna("")


def frame(table: str, rows: list) -> pd.DataFrame:
    """Rows (dicts, or tuples in column order) as a DataFrame in contract column and sort order."""
    return sort_frame(table, pd.DataFrame(rows, columns=list(columns(table))))


def read_tables(out: Path) -> dict[str, pd.DataFrame] | None:
    """The tables of an existing output folder as written (numbers as text, integers as int), or None."""
    out = Path(out)
    fmt = "parquet" if (out / "documents.parquet").exists() else "csv"
    if not (out / f"documents.{fmt}").exists():
        return None
    frames = {}
    for name in schema():
        path = out / f"{name}.{fmt}"
        if not path.exists():
            df = frame(name, [])
        elif fmt == "parquet":
            df = pd.read_parquet(path)
            for col in ("value", "value_max"):
                if col in df:
                    df[col] = [plain_number(v) if v == v and v is not None else "" for v in df[col]]
        else:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for col in integer_columns(name):
            if col in df:
                df[col] = df[col].astype("int64")
        frames[name] = df
    return frames


def merge(previous: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame], sources: set[str]) -> dict[str, pd.DataFrame]:
    """Previous tables updated with a new run: its documents replace their old rows,
    its inputs' errors replace their old errors, everything else is kept as it was."""
    redone = redone_ids(new)
    out = {}
    for name in schema():
        old = previous[name]
        if name == "errors":
            old = old[~old["source"].isin(sources) & ~old["doc_id"].isin(redone - {""})]
        else:
            old = old[~old["doc_id"].isin(redone)]
        parts = [df for df in (old, new[name]) if len(df)]
        out[name] = sort_frame(name, pd.concat(parts, ignore_index=True) if parts else new[name])
    return out


def known_documents(out: Path) -> dict[str, str]:
    """doc_id → sha256 of the articles an output folder already holds."""
    out = Path(out)
    if (out / "documents.parquet").exists():
        df = pd.read_parquet(out / "documents.parquet", columns=["doc_id", "sha256"])
        return dict(zip(df["doc_id"], df["sha256"]))
    if not (out / "documents.csv").exists():
        return {}
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        return {row["doc_id"]: row["sha256"] for row in csv.DictReader(f)}


def redone_ids(new: dict[str, pd.DataFrame]) -> set[str]:
    """Documents of a new run, whose old rows it replaces (processed, or failed this time)."""
    return set(new["documents"]["doc_id"]) | (set(new["errors"]["doc_id"]) - {""})


def merge_csv(old_path: Path, new: pd.DataFrame, redone: set[str], f) -> None:
    """Stream a sorted old table and sorted new rows into `f`, in doc_id order.

    Old rows are copied as they are, without parsing their values: an update costs one
    sequential read and write of the table, and memory for the new rows only."""
    writer = csv.writer(f, lineterminator="\n")  # the writer pandas uses: the same bytes
    writer.writerow(new.columns)
    fresh = new.itertuples(index=False, name=None)
    pending = next(fresh, None)
    with open(old_path, encoding="utf-8-sig", newline="") as old:
        reader = csv.reader(old)
        next(reader, None)
        for row in reader:
            if row[0] in redone:
                continue
            while pending is not None and pending[0] < row[0]:
                writer.writerow(pending)
                pending = next(fresh, None)
            writer.writerow(row)
    while pending is not None:
        writer.writerow(pending)
        pending = next(fresh, None)


def same_header(path: Path, table: str) -> bool:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), None) == list(columns(table))


def update_tables(new: dict[str, pd.DataFrame], out: Path, sources: set[str], fmt: str = "csv",
                  excel: bool = False) -> None:
    """Write a new run into an output folder that already holds tables.

    CSV tables are merged as streams (see `merge_csv`); errors, Parquet tables and tables
    written under another schema are merged in memory with pandas."""
    out = Path(out)
    redone = redone_ids(new)
    streamable = fmt == "csv" and all(
        (out / f"{name}.csv").exists() and same_header(out / f"{name}.csv", name) for name in schema())
    if not streamable:
        previous = read_tables(out)
        write_tables(merge(previous, new, sources) if previous else new, out, fmt=fmt, excel=excel)
        return
    for stale in out.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
    encoding = "utf-8-sig" if excel else "utf-8"
    for name in schema():
        path = out / f"{name}.csv"
        if name == "errors":
            old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            old = old[~old["source"].isin(sources) & ~old["doc_id"].isin(redone - {""})]
            merged = pd.concat([df for df in (old, new[name]) if len(df)] or [new[name]], ignore_index=True)
            write_csv(sort_frame(name, merged), path, excel=excel)
        else:
            atomic_write(path, lambda f: merge_csv(path, new[name], redone, f), encoding=encoding)
    descriptor = json.dumps(datapackage(fmt, excel), ensure_ascii=False, indent=2) + "\n"
    atomic_write(out / "datapackage.json", lambda f: f.write(descriptor))


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


def write_csv(df: pd.DataFrame, path: Path, excel: bool = False) -> None:
    """CSV as the contract says; `excel` adds the UTF-8 BOM that Excel needs to show Cyrillic."""
    encoding = "utf-8-sig" if excel else "utf-8"
    atomic_write(path, lambda f: df.to_csv(f, index=False, lineterminator="\n"), encoding=encoding)


def write_parquet(name: str, df: pd.DataFrame, path: Path) -> None:
    """Parquet with real types: integers as int64, figure values as float64, the rest as strings."""
    df = df.copy()
    for col in integer_columns(name):
        df[col] = df[col].astype("int64")
    for col in ("value", "value_max"):
        if col in df:
            df[col] = pd.to_numeric(df[col].replace("", None), errors="coerce").astype("float64")
    atomic_write(path, lambda f: df.to_parquet(f, index=False, engine="pyarrow"), encoding=None)


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


def write_tables(frames: dict[str, pd.DataFrame], out: Path, fmt: str = "csv", excel: bool = False) -> None:
    """Write every table and the descriptor; each file appears whole or not at all."""
    out = Path(out)
    for stale in out.glob(".*.tmp"):  # left by a run that was killed while writing
        stale.unlink(missing_ok=True)
    for name in schema():
        df = frames.get(name, frame(name, []))
        if fmt == "parquet":
            write_parquet(name, df, out / f"{name}.parquet")
        else:
            write_csv(df, out / f"{name}.csv", excel=excel)
    descriptor = json.dumps(datapackage(fmt, excel), ensure_ascii=False, indent=2) + "\n"
    atomic_write(out / "datapackage.json", lambda f: f.write(descriptor))
