"""Run the stages over a stream of documents and collect the tables.

Documents flow in batches through `stages.STAGES`. A stage that fails on a batch is
retried document by document, so one bad document becomes one `Error` row and the
others of its batch go on. Batches run in this process, in worker processes
(`workers > 1`), or on a Dask cluster (`engine="dask"`); each worker loads the models
once, and the tables are sorted at the end, so every way gives the same output.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import export, ingest
from .records import Document, Error
from .stages import STAGES

BATCH_SIZE = 32
PARALLEL_BATCH_SIZE = 8  # smaller batches keep every worker busy to the end


@dataclass
class Summary:
    articles: int = 0
    skipped: int = 0
    tokens: int = 0
    entities: int = 0
    figures: int = 0
    errors: int = 0
    seconds: float = 0.0

    def add(self, other: Summary) -> None:
        for name in ("articles", "skipped", "tokens", "entities", "figures"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        skipped = f" ({self.skipped} unchanged, skipped)" if self.skipped else ""
        return (f"{self.articles} articles{skipped}, {self.tokens} tokens, {self.entities} entities, "
                f"{self.figures} figures, {self.errors} errors in {self.seconds:.1f}s")


@dataclass
class BatchResult:
    """What one batch contributes: rows by table, errors, counts. Small to pickle."""
    rows: dict[str, list[dict]] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)


@dataclass
class Result:
    frames: dict[str, pd.DataFrame]
    summary: Summary
    errors: list[Error] = field(default_factory=list)


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


def process_batch(docs: list[Document]) -> BatchResult:
    """One batch to rows: the unit of work sent to workers."""
    result = BatchResult(rows={name: [] for name in export.schema()})
    for doc in process(docs, result.errors):
        for name, rows in export.rows_of(doc).items():
            result.rows[name].extend(rows)
        result.summary.articles += 1
        result.summary.tokens += len(doc.tokens)
        result.summary.entities += len(doc.mentions)
        result.summary.figures += len(doc.figures)
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


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_serial(chunks: Iterator[list[Document]]) -> Iterator[BatchResult]:
    return map(process_batch, chunks)


def map_processes(chunks: Iterator[list[Document]], workers: int) -> Iterator[BatchResult]:
    """Batches in `workers` processes; at most 2 batches per worker in flight, to bound memory."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("spawn")  # no fork of a process with loaded models
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending = set()
        for chunk in chunks:
            pending.add(pool.submit(process_batch, chunk))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        for future in pending:
            yield future.result()


def map_dask(chunks: Iterator[list[Document]], workers: int, scheduler: str | None) -> Iterator[BatchResult]:
    """Batches on a Dask distributed cluster: `scheduler` address, or a local cluster."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                  dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        futures = client.map(process_batch, list(chunks), pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def collect(items: Iterable[Document | Error], batch_size: int = BATCH_SIZE, workers: int = 1,
            engine: str = "local", scheduler: str | None = None,
            progress: Callable[[int], None] | None = None) -> Result:
    """Process a stream of documents into the tables (as DataFrames)."""
    started = time.perf_counter()
    errors: list[Error] = []
    tables: dict[str, list[dict]] = {name: [] for name in export.schema()}
    summary = Summary()
    chunks = batches(items, batch_size, errors)
    if engine == "dask":
        results = map_dask(chunks, workers, scheduler)
    elif workers > 1:
        results = map_processes(chunks, workers)
    else:
        results = map_serial(chunks)
    for result in results:
        for name, rows in result.rows.items():
            tables[name].extend(rows)
        errors.extend(result.errors)
        summary.add(result.summary)
        if progress:
            progress(result.summary.articles + len(result.errors))
    tables["errors"] = [export.error_row(e) for e in errors]
    frames = {name: export.frame(name, rows) for name, rows in tables.items()}
    summary.errors = len(errors)
    summary.seconds = time.perf_counter() - started
    return Result(frames, summary, errors)


def run(inputs: Iterable[str | Path], out: str | Path, batch_size: int | None = None, workers: int = 1,
        engine: str = "local", scheduler: str | None = None, force: bool = False, fmt: str = "csv",
        excel: bool = False, progress: Callable[[int], None] | None = None) -> Result:
    """Read the inputs, process them and write every table into `out`.

    An existing output folder is updated: articles already there with the same sha256 are
    skipped (unless `force`), changed ones replace their rows, and the tables come out as
    one run over all the articles would write them.
    """
    out = Path(out)
    previous = export.read_tables(out)
    known = dict(zip(previous["documents"]["doc_id"], previous["documents"]["sha256"])) if previous else {}
    skipped = 0

    def fresh(items: Iterable[Document | Error]) -> Iterator[Document | Error]:
        nonlocal skipped
        for item in items:
            if isinstance(item, Document) and not force and known.get(item.doc_id) == item.sha256:
                skipped += 1
                continue
            yield item

    if batch_size is None:
        batch_size = PARALLEL_BATCH_SIZE if workers > 1 or engine == "dask" else BATCH_SIZE
    sources = set()

    def remember(items: Iterable[Document | Error]) -> Iterator[Document | Error]:
        for item in items:
            sources.add(item.source.rsplit(":", 1)[0] if isinstance(item, Document) else item.source)
            yield item

    result = collect(fresh(remember(ingest.read(inputs))), batch_size, workers, engine, scheduler, progress)
    result.summary.skipped = skipped
    frames = result.frames
    if previous:
        frames = export.merge(previous, frames, sources)
    export.write_tables(frames, out, fmt=fmt, excel=excel)
    return result
