"""Models loaded once per process.

Everything here is bundled by PyPI packages (natasha ships the navec embedding and
the slovnet taggers, pymorphy3-dicts-ru the dictionary): nothing is downloaded.
natasha's `MorphVocab` is avoided on purpose: it sits on pymorphy2, which breaks on
Python 3.12+.
"""
from __future__ import annotations

from functools import lru_cache

import pymorphy3


@lru_cache(maxsize=None)
def embedding():
    from natasha import NewsEmbedding

    return NewsEmbedding()


@lru_cache(maxsize=None)
def morph_tagger():
    from natasha import NewsMorphTagger

    return NewsMorphTagger(embedding())


@lru_cache(maxsize=None)
def ner_tagger():
    from natasha import NewsNERTagger

    return NewsNERTagger(embedding())


@lru_cache(maxsize=None)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=50_000)
def parse(word: str) -> tuple:
    """pymorphy3 parses of a word, cached: news repeats its words a lot.

    Bounded: parses are heavy (about 1 KB a word), and a worker must stay small."""
    return tuple(analyzer().parse(word))
