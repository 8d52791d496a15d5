"""Normalizer placeholder: returns documents unchanged until its module is written."""
from __future__ import annotations

from ..records import Document


def organizations(docs: list[Document]) -> list[Document]:
    return docs
