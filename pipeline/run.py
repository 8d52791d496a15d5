"""Run the stages over a stream of documents and collect the tables.

Documents flow in batches through `stages.STAGES`. A stage that fails on a batch is
retried document by document, so one bad document becomes one `Error` row and the
others of its batch go on.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import export, ingest
from .records import Document, Error
from .stages import STAGES

BATCH_SIZE = 32


@dataclass
class Summary:
    articles: int = 0
    tokens: int = 0
    entities: int = 0
    figures: int = 0
    errors: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (f"{self.articles} articles, {self.tokens} tokens, {self.entities} entities, "
                f"{self.figures} figures, {self.errors} errors in {self.seconds:.1f}s")


@dataclass
class Result:
    frames: dict[str, pd.DataFrame]
    summary: Summary
    errors: list[Error] = field(default_factory=list)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def run_stage(name: str, stage: Callable, docs: list[Document], errors: list[Error]) -> list[Document]:
    try:
        return stage(docs)
    except Exception:
        if len(docs) == 1:
            raise
    kept = []
    for doc in docs:  # isolate the document that breaks the stage
        try:
            kept.extend(stage([doc]))
        except Exception as exc:
            errors.append(Error(doc.source, doc.doc_id, name, f"{doc.source}: {name} failed: {describe(exc)}"))
    return kept


def process(docs: list[Document], errors: list[Error]) -> list[Document]:
    """All stages over one batch; failed documents leave the batch as errors."""
    for name, stage in STAGES:
        if not docs:
            break
        try:
            docs = run_stage(name, stage, docs, errors)
        except Exception as exc:  # a single-document batch that failed
            doc = docs[0]
            errors.append(Error(doc.source, doc.doc_id, name, f"{doc.source}: {name} failed: {describe(exc)}"))
            docs = []
    return docs


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


def collect(items: Iterable[Document | Error], batch_size: int = BATCH_SIZE,
            progress: Callable[[int], None] | None = None) -> Result:
    """Process a stream of documents into the tables (as DataFrames)."""
    started = time.perf_counter()
    errors: list[Error] = []
    tables: dict[str, list[dict]] = {name: [] for name in export.schema()}
    summary = Summary()
    for batch in batches(items, batch_size, errors):
        for doc in process(batch, errors):
            for name, rows in export.rows_of(doc).items():
                tables[name].extend(rows)
            summary.articles += 1
            summary.tokens += len(doc.tokens)
            summary.entities += len(doc.mentions)
            summary.figures += len(doc.figures)
        if progress:
            progress(len(batch))
    tables["errors"] = [export.error_row(e) for e in errors]
    frames = {name: export.frame(name, rows) for name, rows in tables.items()}
    summary.errors = len(errors)
    summary.seconds = time.perf_counter() - started
    return Result(frames, summary, errors)


def run(inputs: Iterable[str | Path], out: str | Path, batch_size: int = BATCH_SIZE,
        progress: Callable[[int], None] | None = None) -> Result:
    """Read the inputs, process them and write every table into `out`."""
    result = collect(ingest.read(inputs), batch_size, progress)
    export.write_tables(result.frames, Path(out))
    return result
