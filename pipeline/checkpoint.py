"""Checkpoints: a run's finished batches, on disk until the final tables are written.

A work folder inside the output folder (`.ruextract-work/`) holds one SQLite file. Each
finished batch is committed in one transaction: its rows, the documents and errors it
covers, and its counts. So rows leave memory batch by batch and the parent does not grow
with the corpus; a run killed at any moment (kill -9, a power cut) loses only the batches
in flight; and the same command run again skips every committed batch. A document's rows
of a table are stored as one value, its CSV lines (`rows.document_parts`), already in contract
order, so SQLite orders documents for the final merge (`merge`), not rows, and the parent
inserts a few values per document instead of one per token. SQLite also keeps the run's
bookkeeping (which doc_ids were read, which articles the output folder held before) out of
memory.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from .batch import BatchResult, Summary
from .records import Document, Error
from .rows import DOCUMENT_TABLES, article_tables, columns, integer_columns, sort_columns, unpack

WORK_DIR = ".ruextract-work"
SCHEMA_VERSION = "3"  # 2: rows packed per document; 3: packed as their CSV lines


def item_key(item: Document | Error) -> str:
    """What identifies a document or an ingest error across a restart."""
    if isinstance(item, Document):
        return "d:" + item.doc_id
    return f"e:{item.source}\n{item.error}"


def input_of(item: Document | Error) -> str:
    """The input file an item came from (a JSONL record's source names its line too)."""
    return item.source.rsplit(":", 1)[0] if isinstance(item, Document) else item.source


def loose_tables() -> list[str]:
    """Tables whose rows are not grouped by document (errors): stored and sorted row by row."""
    return [name for name in article_tables() if name not in DOCUMENT_TABLES]


class Seen:
    """doc_id → source of every document read in this run, on disk (see `ingest.read`)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def get(self, doc_id: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT source FROM seen WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else default

    def __contains__(self, doc_id: str) -> bool:
        return self.get(doc_id) is not None

    def __getitem__(self, doc_id: str) -> str:
        source = self.get(doc_id)
        if source is None:
            raise KeyError(doc_id)
        return source

    def __setitem__(self, doc_id: str, source: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO seen VALUES (?, ?)", (doc_id, source))


class FolderBusy(RuntimeError):
    """Another run is writing into the same output folder."""


def claim(out: Path) -> int | None:
    """This run's hold on its output folder, until the checkpoint is closed or the process
    ends however it ends: a second run into the folder (cron, a second terminal) stops at
    once, instead of removing the first one's work store and writing over its tables."""
    try:
        import fcntl
    except ImportError:  # Windows has no flock: runs there are not guarded
        return None
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise FolderBusy(f"{out}: another ruextract run is writing into this folder; "
                         "wait for it to end, or write into another --out") from None
    except OSError:  # a file system without locks (NFS without lockd): unguarded, as on Windows
        os.close(fd)
        return None
    return fd


class Checkpoint:
    """The work store of one run into one output folder."""

    def __init__(self, out: Path, fingerprint: str, previous: Iterable[tuple[str, str]] = ()):
        """Claim `out` and open its work folder; resume it if an interrupted run left it with
        the same `fingerprint` (same command, same inputs), else start it afresh with the
        documents (doc_id, sha256) the output folder already holds."""
        self.hold = claim(Path(out))
        try:
            self.dir = Path(out) / WORK_DIR
            self.path = self.dir / "run.sqlite"
            self.resuming = self.path.exists() and self._fingerprint() == fingerprint
            if not self.resuming:
                shutil.rmtree(self.dir, ignore_errors=True)
                self.dir.mkdir(parents=True)
            self.db = self._connect()
            if not self.resuming:
                self._create(fingerprint, previous)
            self.seen = Seen(self.db)
        except BaseException:
            self.release()
            raise

    @classmethod
    def reader(cls, out: Path) -> Checkpoint:
        """The work store of a run that is writing its tables, opened read-only by another
        process of that run (see `merge.person_keys`)."""
        store = cls.__new__(cls)
        store.hold = None  # the run that writes holds the folder
        store.dir = Path(out) / WORK_DIR
        store.path = store.dir / "run.sqlite"
        store.db = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True)
        store.seen = Seen(store.db)
        return store

    def _fingerprint(self) -> str | None:
        try:
            with sqlite3.connect(self.path) as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            return row[0] if row else None
        except sqlite3.DatabaseError:
            return None  # not a finished creation, or damaged: start again

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level="DEFERRED")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")  # a committed batch survives a power cut
        db.execute("PRAGMA cache_size = -2000")  # 2 MB of pages (and of sorting), whatever the corpus
        return db

    def _create(self, fingerprint: str, previous: Iterable[tuple[str, str]]) -> None:
        db = self.db
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE known (doc_id TEXT PRIMARY KEY, sha256 TEXT) WITHOUT ROWID")
        db.execute("CREATE TABLE seen (doc_id TEXT PRIMARY KEY, source TEXT) WITHOUT ROWID")
        db.execute("CREATE TABLE inputs (input TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("CREATE TABLE items (key TEXT PRIMARY KEY, doc_id TEXT) WITHOUT ROWID")
        db.execute("CREATE INDEX items_doc ON items (doc_id)")
        counts = ", ".join(f"{name} INTEGER" for name in Summary.COUNTS)
        db.execute(f"CREATE TABLE batches (seq INTEGER PRIMARY KEY, {counts}, peak_mb REAL)")
        db.execute("CREATE TABLE parts (tbl TEXT NOT NULL, doc_id TEXT NOT NULL, rows BLOB NOT NULL)")
        db.execute("CREATE INDEX parts_order ON parts (tbl, doc_id)")
        for name in loose_tables():
            ints = set(integer_columns(name))
            cols = ", ".join(f'"{c}" {"INTEGER" if c in ints else "TEXT"}' for c in columns(name))
            db.execute(f'CREATE TABLE "t_{name}" ({cols})')
        db.executemany("INSERT OR REPLACE INTO known VALUES (?, ?)", previous)
        # The fingerprint goes last: a work folder without it was never complete.
        db.execute("INSERT INTO meta VALUES ('schema', ?), ('fingerprint', ?)", (SCHEMA_VERSION, fingerprint))
        db.commit()

    # -- while reading the inputs

    def known(self, doc_id: str) -> str | None:
        """sha256 of the article the output folder held under this doc_id before the run."""
        row = self.db.execute("SELECT sha256 FROM known WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def note_input(self, item: Document | Error) -> None:
        self.db.execute("INSERT OR IGNORE INTO inputs VALUES (?)", (input_of(item),))

    def done(self, item: Document | Error) -> bool:
        """Committed by this run, or by the interrupted run it resumes."""
        return self.db.execute("SELECT 1 FROM items WHERE key = ?", (item_key(item),)).fetchone() is not None

    def commit(self, result: BatchResult, items: Iterable[Document | Error]) -> None:
        """A finished batch: its rows, its items and its counts, all or nothing."""
        with self.db:
            self.db.executemany("INSERT INTO parts VALUES (?, ?, ?)", result.parts)
            for name, table_rows in result.rows.items():
                if table_rows:
                    marks = ", ".join("?" * len(columns(name)))
                    self.db.executemany(f'INSERT INTO "t_{name}" VALUES ({marks})', table_rows)
            self.db.executemany("INSERT OR REPLACE INTO items VALUES (?, ?)",
                                ((item_key(i), i.doc_id) for i in items))
            s = result.summary
            values = [getattr(s, name) for name in Summary.COUNTS] + [s.peak_mb]
            self.db.execute(f"INSERT INTO batches VALUES (NULL, {', '.join('?' * len(values))})", values)

    def flush(self) -> None:
        """Commit what was noted while reading (seen doc_ids, inputs)."""
        self.db.commit()

    # -- for the final tables

    def totals(self) -> Summary:
        """The counts of every committed batch."""
        sums = ", ".join(f"COALESCE(SUM({name}), 0)" for name in Summary.COUNTS)
        row = self.db.execute(f"SELECT {sums}, COALESCE(MAX(peak_mb), 0) FROM batches").fetchone()
        return Summary(**dict(zip(Summary.COUNTS, row)), peak_mb=row[-1])

    def rows(self, table: str, chunk: int = 1000) -> Iterator[tuple]:
        """The table's rows in contract order; ties in the order they were made."""
        if table in DOCUMENT_TABLES:
            return chain.from_iterable(unpack(table, packed) for packed in self.lines(table))
        return self.loose_rows(table, chunk)

    def lines(self, table: str) -> Iterator[bytes]:
        """A table kept per document as its CSV lines (utf-8), in contract order, a
        document's lines at a time."""
        for (packed,) in self.db.execute("SELECT rows FROM parts WHERE tbl = ? ORDER BY doc_id, rowid", (table,)):
            yield packed

    def loose_rows(self, table: str, chunk: int) -> Iterator[tuple]:
        cols = ", ".join(f'"{c}"' for c in columns(table))
        keys = ", ".join(f'"{c}"' for c in sort_columns(table))
        cursor = self.db.execute(f'SELECT {cols} FROM "t_{table}" ORDER BY {keys}, rowid')
        while batch := cursor.fetchmany(chunk):
            yield from batch

    def redone(self, doc_id: str) -> bool:
        """This run processed (or failed) the document: its old rows are replaced."""
        return self.db.execute("SELECT 1 FROM items WHERE doc_id = ? LIMIT 1", (doc_id,)).fetchone() is not None

    def read_input(self, source: str) -> bool:
        return self.db.execute("SELECT 1 FROM inputs WHERE input = ?", (source,)).fetchone() is not None

    def remove(self) -> None:
        """The run is written: the work folder goes, and the hold on the folder."""
        self.db.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        self.release()

    def close(self) -> None:
        """Closed, kept for a rerun to resume."""
        self.db.close()
        self.release()

    def release(self) -> None:
        """The hold on the output folder (`claim`), let go once."""
        if self.hold is not None:
            os.close(self.hold)  # the lock goes with the descriptor
            self.hold = None
