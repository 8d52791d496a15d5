"""Data files shipped beside the code (`pipeline/data/`): aliases, number words, schemas."""
from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def path(name: str) -> Path:
    return DATA_DIR / name


@lru_cache(maxsize=None)
def read_json(name: str):
    return json.loads(path(name).read_text("utf-8"))


@lru_cache(maxsize=None)
def read_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated file with a header; lines starting with # are comments."""
    with open(path(name), encoding="utf-8", newline="") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=None)
def column(name: str, col: str) -> frozenset[str]:
    """The values of one column of a TSV word list, as a set to test membership."""
    return frozenset(row[col] for row in read_tsv(name))
