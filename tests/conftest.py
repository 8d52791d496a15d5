"""Shared fixtures: the repository layout and one pipeline run on the seed batch."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import make_document
from pipeline.records import Document
from pipeline.run import process

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_2d0fbb24a7f9f838.txt"


def analyse(text: str, doc_id: str = "t") -> Document:
    """Run every stage on one text and return the enriched document."""
    errors: list = []
    docs = process([make_document(doc_id, "<test>", text, text.encode("utf-8"))], errors)
    assert not errors, errors
    return docs[0]


@pytest.fixture(scope="session")
def seed_doc() -> Document:
    return analyse(SEED.read_text(encoding="utf-8"), SEED.stem)


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The CLI's run on seeds/ from the repository root, as the README does it."""
    import os

    from pipeline.run import run

    out = tmp_path_factory.mktemp("seed-out")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = run(["seeds/"], out)
    finally:
        os.chdir(cwd)
    return out, result
