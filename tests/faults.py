"""Stages that misbehave on marked articles, for the fault tests.

A module of its own so that worker processes (spawned, or Dask workers started with this
folder on PYTHONPATH) can import them by name.
"""
from __future__ import annotations

import os
import signal
import time

from pipeline.records import Document
from pipeline.stages import STAGES

STALL = "ЗАВИСАНИЕ"      # loops in Python: the time limit stops it
STALL_IN_C = "ТУПИК"     # sleeps with SIGALRM blocked, like C code that never checks signals
CRASH = "ПАДЕНИЕ"        # kills its own process, like a segfault or the OOM killer


def misbehave(docs: list[Document]) -> list[Document]:
    for doc in docs:
        if STALL in doc.text:
            while True:
                pass
        if STALL_IN_C in doc.text:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(3600)
        if CRASH in doc.text:
            os.kill(os.getpid(), signal.SIGKILL)
    return docs


FAULTY_STAGES = STAGES[:1] + [("misbehave", misbehave)] + STAGES[1:]
