"""The final tables: this run's rows merged with what the output folder held before.

A cross-document step after the per-document stages. Both sides are sorted streams — the
checkpoint's rows in contract order, and the previous tables as written — so one
`heapq.merge` per table writes the result with memory for a few rows: an archive of any
size costs one sequential pass. A new CSV table that passes through unchanged is the
workers' CSV lines copied in order (`rows.pack`), not formatted here row by row. Old rows
of the documents this run processed (or failed) and old errors of its inputs are dropped
on the way, so an incremental run writes what one run over all the articles would. On the
way too, persons get their batch-wide keys (`link`; decided by a worker of the run's pool,
if it has one, while this process writes the other tables) and the entities are counted
(`entities`).
"""
from __future__ import annotations

import csv
import heapq
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from functools import partial
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from . import export
from .checkpoint import Checkpoint
from .entities import Dates, Entities, watched
from .link import PersonLinker
from .rows import (DOCUMENT_TABLES, article_tables, columns, number_columns, plain_number, row_reader, sort_columns,
                   sort_key)


def previous_path(out: Path, table: str, fmt: str) -> Path | None:
    """The table as the output folder holds it: in this run's format, else in the other
    (a run may switch the folder from CSV to Parquet)."""
    for suffix in (fmt, "parquet" if fmt == "csv" else "csv"):
        if (out / f"{table}.{suffix}").exists():
            return out / f"{table}.{suffix}"
    return None


class TableError(Exception):
    """A table of the output folder that cannot be read back (cut short, edited, not ours)."""


def previous_rows(out: Path, table: str, fmt: str = "csv") -> Iterator[tuple]:
    """The rows of a table of the output folder as written before this run, streamed."""
    path = previous_path(out, table, fmt)
    if path is None:
        return
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            try:
                convert = row_reader(table, checked_header(path, table, next(reader, [])))
                for row in reader:
                    yield convert(row)
            except (IndexError, ValueError, csv.Error):  # ValueError: a bad int, or bytes cut mid-character
                raise TableError(f"{path}:{reader.line_num}: a row that does not fit the header "
                                 "(the table was cut short or edited)") from None
        return
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        header = checked_header(path, table, parquet.schema_arrow.names)
        convert = row_reader(table, header)
        numbers = set(number_columns(table))
        for batch in parquet.iter_batches(batch_size=1000):
            data = batch.to_pydict()
            cells = [[plain_number(v) if name in numbers else "" if v is None else v for v in data[name]]
                     for name in header]
            yield from map(convert, zip(*cells))
    except (ValueError, OSError) as e:  # pyarrow's ArrowInvalid and ArrowIOError
        raise TableError(f"{path}: cannot be read back as Parquet ({e})") from None


def checked_header(path: Path, table: str, header: list[str]) -> list[str]:
    """The header of an earlier table, if it has the columns the merge orders rows by (any
    other it lacks, from an older version of the tables, comes out empty)."""
    missing = [c for c in sort_columns(table) if c not in header]
    if missing:
        raise TableError(f"{path}: no {', '.join(missing)} column in its header: not a {table} table "
                         "as ruextract writes it")
    return header


def previous_documents(out: Path, fmt: str = "csv") -> Iterator[tuple[str, str]]:
    """(doc_id, sha256) of every article the output folder holds."""
    cols = columns("documents")
    doc_id, sha = cols.index("doc_id"), cols.index("sha256")
    for row in previous_rows(Path(out), "documents", fmt):
        yield row[doc_id], row[sha]


def kept_rows(table: str, rows: Iterator[tuple], checkpoint: Checkpoint) -> Iterator[tuple]:
    """Old rows not replaced by this run (asked once per document: rows come grouped)."""
    cols = columns(table)
    doc_col = cols.index("doc_id")
    last_doc, last_redone = None, False
    if table == "errors":
        source_col = cols.index("source")
        for row in rows:
            doc_id = row[doc_col]
            if checkpoint.read_input(row[source_col]) or (doc_id and checkpoint.redone(doc_id)):
                continue
            yield row
        return
    for row in rows:
        doc_id = row[doc_col]
        if doc_id != last_doc:
            last_doc, last_redone = doc_id, checkpoint.redone(doc_id)
        if not last_redone:
            yield row


RELINKED = "persons"  # the table whose keys are made batch-wide as it is written


def merged_rows(name: str, checkpoint: Checkpoint, out: Path, fmt: str = "csv") -> Iterator[tuple]:
    """The table's final rows, in contract order: this run's, and the old rows it keeps."""
    if previous_path(out, name, fmt) is None:
        return checkpoint.rows(name)
    old = kept_rows(name, previous_rows(out, name, fmt), checkpoint)
    return heapq.merge(old, checkpoint.rows(name), key=sort_key(name))


def linked(rows: Iterable[tuple]) -> PersonLinker:
    """The batch-wide person keys of the persons rows (grouped by doc_id), decided."""
    linker = PersonLinker()
    for _, doc_rows in groupby(rows, key=itemgetter(0)):
        linker.add(list(doc_rows))
    linker.finish()
    return linker


def person_keys(out: Path, fmt: str = "csv") -> dict:
    """The person keys of the run whose work store `out` holds, decided in a process of
    the run's pool while the parent writes the other tables (see `write_tables`)."""
    checkpoint = Checkpoint.reader(out)
    try:
        return linked(merged_rows(RELINKED, checkpoint, out, fmt)).key_of
    finally:
        checkpoint.close()


def relinked(rows: Callable[[], Iterator[tuple]], key_of: dict | None = None) -> Iterator[tuple]:
    """Persons with their batch-wide key (see `link`): one pass to gather, one to write.
    The first pass is skipped when the keys were decided already (`key_of`)."""
    if key_of is None:
        linker = linked(rows())
    else:
        linker = PersonLinker()
        linker.key_of = key_of
    key_col = columns(RELINKED).index("person_id")
    for _, doc_rows in groupby(rows(), key=itemgetter(0)):
        doc_rows = list(doc_rows)
        for row, key in zip(doc_rows, linker.keys(doc_rows)):
            yield row[:key_col] + (key,) + row[key_col + 1:]


def outcome(future: Future | None) -> dict | None:
    """A worker's person keys; None if there is no worker or it failed (a worker that died
    is no reason to lose the run: the keys are then decided here)."""
    try:
        return future.result() if future is not None else None
    except Exception:
        return None


def copied(table: str) -> bool:
    """A new CSV table of this one passes through unchanged (no keys to make, no entities
    to count): the CSV lines the workers made are copied into it."""
    return table in DOCUMENT_TABLES and table != RELINKED and not watched(table)


def write_tables(checkpoint: Checkpoint, out: Path, fmt: str = "csv", excel: bool = False,
                 submit: Callable[..., Future] | None = None, release: Callable[[], None] | None = None) -> None:
    """Every table of `out`, merged from the previous tables and this run's rows; each file
    is replaced whole (see `export.atomic_write`). Merging again after a crash half-way
    gives the same tables: the rows of this run that a replaced table already holds are
    dropped as old rows of redone documents, and keys are made anew from the names.

    With a pool of workers (`submit`), one of them decides the person keys meanwhile (0.3 s
    on 800 articles, half the merge) and persons go last; `release` is called once the
    pool has nothing more to do."""
    out = Path(out)
    export.sweep_temp_files(out)
    keys = submit(person_keys, out, fmt) if submit else None
    entities = Entities()
    tables = article_tables()
    if keys is not None:
        tables = [name for name in tables if name != RELINKED] + [RELINKED]
    for name in tables:
        if previous_path(out, name, fmt) is None and fmt == "csv" and copied(name):
            export.write_lines(name, checkpoint.lines(name), out, excel=excel)
            continue
        rows = partial(merged_rows, name, checkpoint, out, fmt)
        if name == RELINKED:
            rows = partial(relinked, rows, outcome(keys))
            if release:
                release()
        dates = Dates(previous_rows(out, "documents", fmt))  # written first, so already this run's
        export.write_rows(name, entities.watch(name, rows(), dates), out, fmt=fmt, excel=excel)
    export.write_rows("entities", entities.rows(), out, fmt=fmt, excel=excel)
    export.write_datapackage(out, fmt, excel)
