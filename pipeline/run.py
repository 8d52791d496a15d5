"""Run batches over a stream of documents into the tables of an output folder.

Reading is lazy, batches run here, in worker processes or on a Dask cluster (`engines`),
and each finished batch is committed to the run's checkpoint (`checkpoint`) as it
arrives; the final tables are merged from there (`merge`). Memory does not grow with the
number of articles, a killed run resumes where it stopped, and every way of running
gives the same tables, byte for byte.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import engines, info, ingest, merge
from .batch import BATCH_SIZE, DOC_TIMEOUT, Stages, Summary, batches, collector_paused, process, process_batch, tapered  # noqa: F401 (process: the API of a run)
from .checkpoint import SCHEMA_VERSION, Checkpoint
from .engines import default_workers  # noqa: F401 (the CLI's default)
from .records import Document, Error
from .stages import STAGES

PARALLEL_BATCH_SIZE = 16  # smaller batches keep every worker busy to the end, larger ones tag faster


@dataclass
class Result:
    summary: Summary


def fingerprint(paths: list[Path], stages: Stages, **options) -> str:
    """What makes two runs the same command: the versions of the libraries that make the
    tables, the options that change them, the stages, and every input file's path, size
    and modification time."""
    digest = hashlib.sha256(json.dumps(
        [info.library_versions(), SCHEMA_VERSION, [name for name, _ in stages], sorted(options.items())]).encode())
    for path in paths:
        try:
            stat = path.stat()
            digest.update(os.fsencode(path.resolve()) + f"\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(os.fsencode(path) + b"\0missing\n")
    return digest.hexdigest()


def run(inputs: Iterable[str | Path], out: str | Path, batch_size: int | None = None, workers: int = 1,
        engine: str = "local", scheduler: str | None = None, force: bool = False, fmt: str = "csv",
        excel: bool = False, max_mb: float = ingest.MAX_ARTICLE_MB, doc_timeout: float | None = DOC_TIMEOUT,
        stages: Stages | None = None, progress: Callable[[int], None] | None = None,
        on_error: Callable[[Error], None] | None = None) -> Result:
    """Read the inputs, process them and write every table into `out`.

    An existing output folder is updated: articles already there with the same sha256 are
    skipped (unless `force`), changed ones replace their rows, and the tables come out as
    one run over all the articles would write them. A run that was killed is resumed by
    the same call: its finished batches are not redone. `progress` is called with the
    number of inputs dealt with since its last call, `on_error` with each error as it
    comes."""
    started = time.perf_counter()
    out = Path(out)
    paths = ingest.expand(inputs)
    stages = STAGES if stages is None else stages
    checkpoint = Checkpoint(out, fingerprint(paths, stages, force=force, max_mb=max_mb, doc_timeout=doc_timeout),
                            previous=merge.previous_documents(out, fmt))
    try:
        tick = progress or (lambda n: None)
        counted = Summary()

        def todo(items: Iterable[Document | Error]) -> Iterator[Document | Error]:
            """The inputs still to process: not done before an interruption, not unchanged."""
            for item in items:
                checkpoint.note_input(item)
                if checkpoint.done(item):
                    counted.resumed += isinstance(item, Document)
                    tick(1)
                elif isinstance(item, Document) and not force and checkpoint.known(item.doc_id) == item.sha256:
                    counted.skipped += 1
                    tick(1)
                else:
                    yield item

        if batch_size is None:
            batch_size = PARALLEL_BATCH_SIZE if workers > 1 or engine == "dask" else BATCH_SIZE
        work = partial(process_batch, stages=stages, doc_timeout=doc_timeout, sweep=True)
        chunks = batches(todo(ingest.read(paths, max_mb, seen=checkpoint.seen)), batch_size)
        pool = engines.Processes(workers, doc_timeout) if workers > 1 and engine != "dask" else None
        try:
            if engine == "dask":
                results = engines.dask(chunks, work, workers, scheduler)
            elif pool is not None:
                results = pool.results(tapered(chunks, 2 * workers), work)
            else:
                results = engines.serial(chunks, work)
            for batch, result in results:
                checkpoint.commit(result, batch)
                for error in result.errors if on_error else ():
                    on_error(error)
                tick(result.summary.articles + result.summary.errors)
            checkpoint.flush()
            with collector_paused():  # the merge streams rows: what it leaves, reference counting frees
                merge.write_tables(checkpoint, out, fmt=fmt, excel=excel,
                                   submit=pool.submit if pool is not None else None,
                                   release=pool.close if pool is not None else None)
        finally:
            if pool is not None:
                pool.join()
        summary = checkpoint.totals()
        checkpoint.remove()
        summary.skipped, summary.resumed = counted.skipped, counted.resumed
        summary.seconds = time.perf_counter() - started
        return Result(summary)
    except BaseException:  # kept for a rerun to resume; the folder is free again
        checkpoint.close()
        raise
