"""Normalizer placeholder: returns documents unchanged until its module is written."""
from __future__ import annotations

from ..records import Document


def countries(docs: list[Document]) -> list[Document]:
    return docs
