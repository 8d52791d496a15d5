"""One batch of documents through every stage, into rows.

The unit of work that workers and Dask receive: documents in, rows by table, errors and
counts out. A stage that fails or runs out of time on a batch is retried document by
document, so one bad document becomes one `Error` row and the others of its batch go on.
No pandas here, to keep worker processes small.
"""
from __future__ import annotations

import gc
import resource
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace

from . import ingest, models, rows
from .deadline import TimeLimit, time_limit
from .records import Document, Error
from .stages import STAGES

Stages = list[tuple[str, Callable[[list[Document]], list[Document]]]]
BATCH_SIZE = 32
BATCH_CHARS = 1_000_000  # ~100k tokens: seconds of work for every stage
DOC_TIMEOUT = 120.0  # seconds an article (or a batch, before it is split) may take


@dataclass
class Summary:
    articles: int = 0
    skipped: int = 0  # unchanged since an earlier run into the same folder
    resumed: int = 0  # done by an interrupted run of the same command, not redone
    tokens: int = 0
    entities: int = 0
    figures: int = 0
    errors: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0  # peak resident memory of the process that ran the batch

    COUNTS = ("articles", "skipped", "resumed", "tokens", "entities", "figures", "errors")

    def add(self, other: Summary) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.peak_mb = max(self.peak_mb, other.peak_mb)

    def line(self) -> str:
        notes = [f"{self.skipped} unchanged, skipped"] if self.skipped else []
        notes += [f"{self.resumed} done before the interruption"] if self.resumed else []
        notes_text = f" ({'; '.join(notes)})" if notes else ""
        return (f"{self.articles} articles{notes_text}, {self.tokens} tokens, {self.entities} entities, "
                f"{self.figures} figures, {self.errors} errors in {self.seconds:.1f}s")


@dataclass
class BatchResult:
    """What one batch contributes: each document's rows of each table, packed
    (`rows.document_parts`) for a checkpoint, or as rows by table for a caller in this
    process; the rows of the errors table; errors; counts."""
    parts: list[tuple[str, str, bytes]] = field(default_factory=list)  # (table, doc_id, packed rows)
    rows: dict[str, list[tuple]] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def stage_error(doc: Document, failure: StageFailed, limit: float | None) -> Error:
    name = failure.stage
    if isinstance(failure.cause, TimeLimit):
        problem = f"took longer than the {limit:g} s limit per article (--doc-timeout), in stage {name}"
    else:
        problem = f"{name} failed: {describe(failure.cause)}"
    return Error(doc.source, doc.doc_id, name, f"{doc.source}: {problem}")


def pristine(doc: Document) -> Document:
    """The document as ingest made it, before any stage: every list a stage fills, empty."""
    return replace(doc, **{f.name: [] for f in fields(Document) if f.default_factory is list})


class StageFailed(Exception):
    """A stage raised or ran out of time; `cause` says which."""

    def __init__(self, stage: str, cause: Exception):
        super().__init__(stage, cause)
        self.stage, self.cause = stage, cause


def run_stages(docs: list[Document], stages: Stages, limit: float | None) -> list[Document]:
    """Every stage over the documents, all within `limit` seconds."""
    name = stages[0][0] if stages else ""
    try:
        with time_limit(limit):
            for name, stage in stages:
                docs = stage(docs)
    except Exception as exc:  # TimeLimit included
        raise StageFailed(name, exc) from exc
    return docs


def process(docs: list[Document], errors: list[Error], stages: Stages | None = None,
            doc_timeout: float | None = None) -> list[Document]:
    """All stages over one batch; failed documents leave the batch as errors.

    The batch goes through together (the taggers batch across documents) within
    `doc_timeout` seconds. If a stage fails or time runs out, every document is run again
    alone from its ingested state, with `doc_timeout` seconds each, so only the documents
    at fault become errors and the rest of the batch goes on."""
    stages = STAGES if stages is None else stages
    originals = [pristine(doc) for doc in docs] if len(docs) > 1 else docs
    try:
        return run_stages(docs, stages, doc_timeout)
    except StageFailed as failure:
        if len(docs) == 1:
            errors.append(stage_error(docs[0], failure, doc_timeout))
            return []
    kept = []
    for doc in originals:
        try:
            kept.extend(run_stages([doc], stages, doc_timeout))
        except StageFailed as failure:
            errors.append(stage_error(doc, failure, doc_timeout))
    return kept


class Sweeper:
    """Keeps what batches leave alive out of the cycle collector's walks: frozen after each
    batch, all of it unfrozen and collected once every `every` batches. What a batch leaves
    is the models it loaded and the caches' new entries (walked again by every later
    collection: 0.66 s of a NEREL train run); its few cycles (325 unreachable objects in
    all of NEREL train) wait at most `every` batches to be freed. Rare, because the full
    collection walks the whole heap: 0.24-0.55 s with the caches full (once every 50 batches,
    it cost a 2-worker run of NEREL train 1.1 s of CPU)."""

    def __init__(self, every: int = 500):
        self.every, self.batches = every, 0

    def after_batch(self) -> None:
        self.batches += 1
        if self.batches % self.every == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()


SWEEPER = Sweeper()  # one per process: the processes that run batches for `run`


@contextmanager
def collector_paused(sweeper: Sweeper | None = None) -> Iterator[None]:
    """Python's cycle collector off while a batch runs, back on after it: the stages make
    millions of short-lived objects that reference counting frees and almost no cycles (325
    unreachable objects in all of NEREL train), yet the collector walked the batch's live
    records again and again — 10-12% of a run. A batch is bounded, so what cycles it leaves
    wait only until the next collection, between batches (or the sweeper's)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if sweeper is not None:
            sweeper.after_batch()  # before the collector is back: no walk of the batch's leftovers
        if was_enabled:
            gc.enable()


def peak_memory_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    across exec, so a worker spawned by a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up() -> None:
    """A worker process's models, loaded as it starts, while the parent reads and sends the
    first batches, not when the first batch arrives. A failure is left to that batch to
    report, as it loads them again (`process_batch` with a time limit, else the stages on
    first use): a worker whose initializer fails is restarted by the pool for ever."""
    try:
        models.load()
    except Exception:  # reported by the first batch
        pass


def process_batch(items: list[Document | Error], stages: Stages | None = None,
                  doc_timeout: float | None = None, sweep: bool = False, pack: bool = True) -> BatchResult:
    """One batch to rows: the unit of work sent to workers.

    Documents may arrive detached (a path instead of the text, see `ingest.detach`) and
    are read here; ingest errors ride along to be written with the batch. `sweep`: the
    process is a batch run's, whose collector the `SWEEPER` may manage (not an API caller's).
    `pack`: rows packed for a checkpoint; a caller that wants rows in this process gets
    them unpacked (packing and reading back cost an API call 8%)."""
    result = BatchResult()
    if doc_timeout:
        models.load()
    docs = []
    for item in items:
        if isinstance(item, Error):
            result.errors.append(item)
        else:
            doc = ingest.attach(item)
            (result.errors.append if isinstance(doc, Error) else docs.append)(doc)
    with collector_paused(SWEEPER if sweep else None):
        for doc in process(docs, result.errors, stages, doc_timeout):
            if pack:
                result.parts.extend((table, doc.doc_id, packed) for table, packed in rows.document_parts(doc))
            else:
                for table, table_rows in rows.rows_of(doc).items():
                    result.rows.setdefault(table, []).extend(table_rows)
            result.summary.articles += 1
            result.summary.tokens += len(doc.tokens)
            result.summary.entities += len(doc.mentions)
            result.summary.figures += len(doc.figures)
    result.rows["errors"] = [rows.error_row(e) for e in result.errors]
    result.summary.errors = len(result.errors)
    result.summary.peak_mb = peak_memory_mb()
    return result


def batches(items: Iterable[Document | Error], size: int = BATCH_SIZE,
            max_chars: int = BATCH_CHARS) -> Iterator[list[Document | Error]]:
    """Items in batches of at most `size` documents and about `max_chars` characters (a
    longer document goes alone), so that a batch takes seconds, not minutes, whatever the
    articles; ingest errors ride along with the batch they arrive in."""
    batch: list[Document | Error] = []
    n_docs = chars = 0
    for item in items:
        if isinstance(item, Document):
            if n_docs and (n_docs >= size or chars + len(item.text) > max_chars):
                yield batch
                batch, n_docs, chars = [], 0, 0
            n_docs += 1
            chars += len(item.text)
        batch.append(item)
    if batch:
        yield batch


def tapered(batches: Iterable[list[Document | Error]], hold: int, pieces: int = 4) -> Iterator[list[Document | Error]]:
    """The batches, the last `hold` of them cut in `pieces` each, so that parallel workers
    finish together: with whole batches to the end, one worker idled while another ran
    the last one (0.15-0.3 s of a 10 s run on two workers). The last batches are known by
    holding `hold` batches back, as many as the workers take in flight anyway."""
    held: deque[list[Document | Error]] = deque()
    for batch in batches:
        held.append(batch)
        if len(held) > hold:
            yield held.popleft()
    for batch in held:
        step = -(-len(batch) // pieces)
        for i in range(0, len(batch), step):
            yield batch[i:i + step]
