"""Models loaded once per process.

Everything here is bundled by PyPI packages (natasha ships the navec embedding and
the slovnet taggers, pymorphy3-dicts-ru the dictionary): nothing is downloaded.
natasha's `MorphVocab` is avoided on purpose: it sits on pymorphy2, which breaks on
Python 3.12+.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

import pymorphy3
from threadpoolctl import threadpool_limits


@lru_cache(maxsize=None)
def taggers():
    """natasha's morph and NER taggers, on one navec embedding that is not kept.

    The taggers hold navec's arrays; navec's own vocabulary (60 MB of Python strings and a
    dict) is not needed once they are loaded, and the NER tagger takes the morph tagger's
    word and shape vocabularies when they are equal (natasha ships equal ones: 24 MB more).
    A worker's memory is what limits the number of workers."""
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger

    with no_similarity_tables():
        embedding = NewsEmbedding()
    morph, ner = NewsMorphTagger(embedding), NewsNERTagger(embedding)
    ours, theirs = morph.infer.encoder, ner.infer.encoder
    if theirs.words_vocab.items == ours.words_vocab.items:
        theirs.words_vocab = ours.words_vocab
    if theirs.shapes_vocab.items == ours.shapes_vocab.items:
        theirs.shapes_vocab = ours.shapes_vocab
    return morph, ner


@contextmanager
def no_similarity_tables():
    """navec precomputes, as it loads, the norms and centroid products its similarity queries
    use (0.4 s and a 26 MB array in every worker); the taggers only take its indexes and codes."""
    from navec.pq import PQ

    precompute = PQ.precompute
    PQ.precompute = lambda self: None
    try:
        yield
    finally:
        PQ.precompute = precompute


def morph_tagger():
    return taggers()[0]


def ner_tagger():
    return taggers()[1]


@lru_cache(maxsize=None)
def fast_morph():
    """The morph tagger's weights run by `fasttag` (batch-wide arrays, same tags)."""
    from .fasttag import FastTagger

    return FastTagger.of(morph_tagger().infer)


@lru_cache(maxsize=None)
def fast_ner():
    """The NER tagger's weights run by `fasttag`; the word features are shared with the morph tagger's."""
    from .fasttag import FastTagger

    return FastTagger.of(ner_tagger().infer, fast_morph().features)


@lru_cache(maxsize=None)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=10_000)
def parse(word: str) -> tuple:
    """pymorphy3 parses of a word, cached for the words news repeats most.

    Small: parses are heavy (kilobytes a word) and with DAWG2 cheap to redo."""
    return tuple(analyzer().parse(word))


def load() -> None:
    """Load every model now (once per process), so that the time it takes is not counted
    against the first article's time limit."""
    fast_morph(), fast_ner(), analyzer()


@contextmanager
def one_blas_thread():
    """Run the taggers' matrix products on one thread.

    Their matrices are small: BLAS threads win nothing and, on a busy machine or beside
    other workers, fight for the cores (the same batch took 4x longer with two threads
    on a loaded 2-core machine). Parallelism comes from worker processes instead."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield
