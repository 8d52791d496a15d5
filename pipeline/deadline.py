"""A time limit on a block of code, in any thread.

One article must not hold a batch up forever. In the main thread (the CLI, local worker
processes) a SIGALRM timer raises `TimeLimit` wherever the code is, including inside a
running regular expression, which checks for signals. In other threads (Dask runs tasks
in a thread pool) signals cannot be used, so a timer thread raises the exception in the
working thread with `PyThreadState_SetAsyncExc`; that takes effect at the next Python
bytecode, so it cannot stop a single C call that never returns — the process pool's
hard limit (see `engines`) is the backstop for that.
"""
from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimit(Exception):
    """Raised inside a block that ran past its limit (the caller knows which limit)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `TimeLimit` in the block once `seconds` have passed; None or 0: no limit."""
    if not seconds:
        yield
    elif threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _async_raise(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum, frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _set_async_exc(thread_id: int, exc_type: type | None) -> None:
    """Make `exc_type` pending in the thread; None clears a pending one (NULL in C)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc_type) if exc_type else None)


@contextmanager
def _async_raise(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                _set_async_exc(target, TimeLimit)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
            timer.cancel()
            if state["fired"]:  # fired as the block ended: drop the exception if still pending
                _set_async_exc(target, None)
