"""One batch of documents through every stage, into rows.

The unit of work that workers and Dask receive: documents in, rows by table, errors and
counts out. A stage that fails on a batch is retried document by document, so one bad
document becomes one `Error` row and the others of its batch go on. No pandas here, to
keep worker processes small.
"""
from __future__ import annotations

import resource
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import rows
from .records import Document, Error
from .stages import STAGES


@dataclass
class Summary:
    articles: int = 0
    skipped: int = 0
    tokens: int = 0
    entities: int = 0
    figures: int = 0
    errors: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0  # peak resident memory of the process that ran the batch

    def add(self, other: Summary) -> None:
        for name in ("articles", "skipped", "tokens", "entities", "figures"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.peak_mb = max(self.peak_mb, other.peak_mb)

    def line(self) -> str:
        skipped = f" ({self.skipped} unchanged, skipped)" if self.skipped else ""
        return (f"{self.articles} articles{skipped}, {self.tokens} tokens, {self.entities} entities, "
                f"{self.figures} figures, {self.errors} errors in {self.seconds:.1f}s")


@dataclass
class BatchResult:
    """What one batch contributes: rows by table (tuples in column order, cheap to pickle),
    errors, counts."""
    rows: dict[str, list[tuple]] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def stage_error(doc: Document, name: str, exc: BaseException) -> Error:
    return Error(doc.source, doc.doc_id, name, f"{doc.source}: {name} failed: {describe(exc)}")


def run_stage(name: str, stage: Callable, docs: list[Document], errors: list[Error]) -> list[Document]:
    try:
        return stage(docs)
    except Exception as exc:
        if len(docs) == 1:
            errors.append(stage_error(docs[0], name, exc))
            return []
    kept = []
    for doc in docs:  # isolate the document that breaks the stage
        try:
            kept.extend(stage([doc]))
        except Exception as exc:
            errors.append(stage_error(doc, name, exc))
    return kept


def process(docs: list[Document], errors: list[Error]) -> list[Document]:
    """All stages over one batch; failed documents leave the batch as errors."""
    for name, stage in STAGES:
        if not docs:
            break
        docs = run_stage(name, stage, docs, errors)
    return docs


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


def process_batch(docs: list[Document]) -> BatchResult:
    """One batch to rows: the unit of work sent to workers."""
    result = BatchResult(rows={name: [] for name in rows.schema()})
    for doc in process(docs, result.errors):
        for name, doc_rows in rows.rows_of(doc).items():
            result.rows[name].extend(doc_rows)
        result.summary.articles += 1
        result.summary.tokens += len(doc.tokens)
        result.summary.entities += len(doc.mentions)
        result.summary.figures += len(doc.figures)
    result.summary.peak_mb = peak_memory_mb()
    return result


def batches(items: Iterable[Document | Error], size: int, errors: list[Error]) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        if isinstance(item, Error):
            errors.append(item)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
