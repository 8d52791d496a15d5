"""Run batches over a stream of documents and collect the tables.

Batches (see `batch`) run in this process, in worker processes (`workers > 1`), or on a
Dask cluster (`engine="dask"`); each worker loads the models once, and the tables are
sorted at the end, so every way gives the same output.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import export, ingest, rows
from .batch import BatchResult, Summary, batches, process, process_batch  # noqa: F401 (the API of a run)
from .records import Document, Error

BATCH_SIZE = 32
PARALLEL_BATCH_SIZE = 8  # smaller batches keep every worker busy to the end


@dataclass
class Result:
    frames: dict[str, pd.DataFrame]
    summary: Summary
    errors: list[Error] = field(default_factory=list)


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
    tables: dict[str, list] = {name: [] for name in rows.schema()}
    summary = Summary()
    chunks = batches(items, batch_size, errors)
    if engine == "dask":
        results = map_dask(chunks, workers, scheduler)
    elif workers > 1:
        results = map_processes(chunks, workers)
    else:
        results = map_serial(chunks)
    for result in results:
        for name, table_rows in result.rows.items():
            tables[name].extend(table_rows)
        errors.extend(result.errors)
        summary.add(result.summary)
        if progress:
            progress(result.summary.articles + len(result.errors))
    tables["errors"] = [rows.error_row(e) for e in errors]
    frames = {name: export.frame(name, table_rows) for name, table_rows in tables.items()}
    summary.errors = len(errors)
    summary.seconds = time.perf_counter() - started
    return Result(frames, summary, errors)


def run(inputs: Iterable[str | Path], out: str | Path, batch_size: int | None = None, workers: int = 1,
        engine: str = "local", scheduler: str | None = None, force: bool = False, fmt: str = "csv",
        excel: bool = False, max_mb: float = ingest.MAX_ARTICLE_MB,
        progress: Callable[[int], None] | None = None) -> Result:
    """Read the inputs, process them and write every table into `out`.

    An existing output folder is updated: articles already there with the same sha256 are
    skipped (unless `force`), changed ones replace their rows, and the tables come out as
    one run over all the articles would write them. Only new articles are analysed; the
    old rows are streamed through once (see `export.update_tables`).
    """
    out = Path(out)
    known = export.known_documents(out)
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

    result = collect(fresh(remember(ingest.read(inputs, max_mb))), batch_size, workers, engine, scheduler, progress)
    result.summary.skipped = skipped
    if known:
        export.update_tables(result.frames, out, sources, fmt=fmt, excel=excel)
    else:
        export.write_tables(result.frames, out, fmt=fmt, excel=excel)
    return result
