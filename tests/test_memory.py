"""Bounded memory: the process that writes the tables does not grow with the number of
articles (rows leave it batch by batch), whether it runs the stages itself or has workers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import write_jsonl

ROOT = Path(__file__).resolve().parents[1]
N = 200
# Runs the CLI and prints the peak resident memory of this process (not of its workers).
MEASURE = ("import sys; from pipeline.cli import main; from pipeline.batch import peak_memory_mb; "
           "rc = main(sys.argv[1:]); print('PEAK', peak_memory_mb()); sys.exit(rc)")


def peak_mb(inputs: Path, out: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", MEASURE, "run", str(inputs), "--out", str(out), "-q", *args],
                          env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.split("PEAK")[-1])


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    base = tmp_path_factory.mktemp("memory")
    # ~300 tokens an article, about a NEREL article's rows
    return write_jsonl(base / "x1.jsonl", N, sentences=24), write_jsonl(base / "x4.jsonl", 4 * N, sentences=24)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_peak_memory_does_not_grow_with_the_articles(tmp_path, corpora, workers):
    x1, x4 = corpora
    small = peak_mb(x1, tmp_path / "x1", "--workers", workers)
    large = peak_mb(x4, tmp_path / "x4", "--workers", workers)
    assert large <= 1.15 * small, (small, large)
