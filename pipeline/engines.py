"""Where batches run: in this process, in worker processes, or on a Dask cluster.

Each engine takes a lazy stream of batches and yields (batch, result) pairs as results
arrive, with a bounded number of batches in flight, so neither the inputs nor the rows
pile up in the process that writes the tables. `work` is `batch.process_batch` with its
options bound.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, TimeoutError, wait

from . import rows
from .batch import BatchResult, warm_up
from .ingest import detach
from .records import Document, Error

Item = Document | Error
Work = Callable[[list[Item]], BatchResult]


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def serial(batches: Iterator[list[Item]], work: Work) -> Iterator[tuple[list[Item], BatchResult]]:
    for batch in batches:
        yield batch, work(batch)


def lost(item: Item, why: str) -> BatchResult:
    """The result of an item whose worker process died or had to be stopped."""
    result = BatchResult()
    if isinstance(item, Error):
        result.errors.append(item)
    else:
        result.errors.append(Error(item.source, item.doc_id, "worker", f"{item.source}: {why}"))
    result.rows["errors"] = [rows.error_row(e) for e in result.errors]
    result.summary.errors = len(result.errors)
    return result


class Processes:
    """Worker processes (pebble) for one run: its batches (`results`), then jobs of the
    final merge (`submit`), until `close`."""

    def __init__(self, workers: int, doc_timeout: float | None):
        from pebble import ProcessPool

        self.workers, self.doc_timeout = workers, doc_timeout
        context = multiprocessing.get_context("spawn")  # no fork of a process with loaded models
        self.pool = ProcessPool(max_workers=workers, context=context, initializer=warm_up)
        self.pool.active  # starts the workers now, before the first batch is read
        self.joining: threading.Thread | None = None

    def limit(self, n_docs: int) -> float | None:
        # the batch's own limit, then each article alone, and one more as grace
        return self.doc_timeout * (n_docs + 2) if self.doc_timeout else None

    def results(self, batches: Iterator[list[Item]], work: Work) -> Iterator[tuple[list[Item], BatchResult]]:
        """The batches' results, at most two batches per worker in flight.

        The time limit inside `work` stops a slow article; if a worker still does not answer
        (stuck in C code that ignores signals) or dies (a crash, the OOM killer), pebble stops
        or replaces that process alone, and its batch is run again one article at a time, so
        only the article at fault is lost and becomes an error."""
        from pebble import ProcessExpired

        pending: dict = {}

        def submit(batch: list[Item], alone: bool = False) -> None:
            shipped = [detach(i) if isinstance(i, Document) else i for i in batch]
            future = self.pool.schedule(work, args=(shipped,), timeout=self.limit(len(batch)))
            pending[future] = (batch, alone)

        def settle(future) -> Iterator[tuple[list[Item], BatchResult]]:
            batch, alone = pending.pop(future)
            try:
                result = future.result()
            except TimeoutError:
                why = f"its worker process did not answer within {self.limit(len(batch)):g} s and was stopped"
            except ProcessExpired as exc:
                why = f"its worker process died ({exc})"
            except Exception as exc:  # outside the stages, which turn their own failures into errors
                why = f"its worker failed ({type(exc).__name__}: {exc})"
            else:
                yield batch, result
                return
            if alone:
                yield batch, lost(batch[0], why)
            else:
                for item in batch:
                    submit([item], alone=True)

        for batch in batches:
            submit(batch)
            while len(pending) >= 2 * self.workers:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in done:
                    yield from settle(future)
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                yield from settle(future)

    def submit(self, fn: Callable, *args) -> Future:
        """`fn(*args)` in a worker, with no time limit."""
        return self.pool.schedule(fn, args=args)

    def close(self) -> None:
        """Stop the workers at once (the checkpoint keeps what they finished). pebble's
        threads take 0.1 s to wind down: a thread of its own waits for them while the
        caller goes on, until `join`."""
        if self.joining is None:
            self.pool.stop()
            self.joining = threading.Thread(target=self.pool.join, name="ruextract-pool-join")
            self.joining.start()

    def join(self) -> None:
        self.close()
        self.joining.join()


def dask(batches: Iterator[list[Item]], work: Work, workers: int,
         scheduler: str | None) -> Iterator[tuple[list[Item], BatchResult]]:
    """Batches on a Dask distributed cluster: `scheduler` address, or a local cluster.

    Submitted lazily, two per worker thread in flight; articles from files the workers can
    read are sent as paths (see `ingest.detach`), others as texts."""
    from dask.distributed import Client, as_completed

    cluster = None if scheduler else local_cluster(workers)
    client = Client(scheduler or cluster)
    try:
        if cluster is not None:
            client.wait_for_workers(workers, timeout=120)
        threads = sum(client.nthreads().values()) or workers
        ship = shipper(client)
        flying = as_completed()
        batch_of: dict = {}

        def submit(batch: list[Item], alone: bool = False) -> None:
            future = client.submit(work, [ship(i) for i in batch], pure=False)
            batch_of[future.key] = (batch, alone)
            flying.add(future)

        def settle(future) -> Iterator[tuple[list[Item], BatchResult]]:
            batch, alone = batch_of.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # the task killed its workers (KilledWorker) or could not run
                if alone:
                    yield batch, lost(batch[0], f"its Dask task failed ({type(exc).__name__}: {exc})")
                else:
                    for item in batch:
                        submit([item], alone=True)
            else:
                yield batch, result
            finally:
                future.release()

        for batch in batches:
            submit(batch)
            while flying.count() >= 2 * threads:
                yield from settle(next(flying))
        while flying.count():
            yield from settle(next(flying))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def local_cluster(workers: int):
    """A scheduler and `workers` single-thread workers on this machine, each in a process of
    its own: a `LocalCluster` runs its scheduler inside the client, whose task bookkeeping
    then grew with the corpus (the client's peak 1.04x at 4x the articles, 1.17x at 16x;
    1.02x at 16x with the scheduler apart). `SubprocessCluster` is marked experimental by
    Dask, so `LocalCluster` stays where it cannot start (Windows)."""
    from dask.distributed import LocalCluster
    try:
        from distributed.deploy.subprocess import SubprocessCluster

        return SubprocessCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
    except (ImportError, RuntimeError):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)


def shipper(client) -> Callable[[Item], Item]:
    """Detach documents if every worker can read the input files, else send texts."""
    checked: dict[str, bool] = {}

    def visible(path: str) -> bool:
        folder = os.path.dirname(path)
        if folder not in checked:
            seen = client.run(os.path.exists, path)
            checked[folder] = bool(seen) and all(seen.values())
        return checked[folder]

    def ship(item: Item) -> Item:
        if isinstance(item, Document) and item.ref is not None and visible(item.ref[0]):
            return detach(item)
        return item
    return ship
