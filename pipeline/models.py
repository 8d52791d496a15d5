"""Models loaded once per process.

Everything here is bundled by PyPI packages (natasha ships the navec embedding and
the slovnet taggers, pymorphy3-dicts-ru the dictionary): nothing is downloaded.
natasha's `MorphVocab` is avoided on purpose: it sits on pymorphy2, which breaks on
Python 3.12+.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from functools import lru_cache

import pymorphy3
from threadpoolctl import ThreadpoolController


LOADING = threading.Lock()


@lru_cache(maxsize=None)
def taggers():
    """natasha's morph and NER taggers, on the compressed vectors of its news embedding.

    A worker's memory and start-up are paid once per process: the taggers take navec's id
    and arrays, not its vocabulary nor its similarity tables (`embedding_arrays`), and the
    two taggers share the word and shape vocabularies that natasha ships twice, equal
    (`shared_vocabularies`). Loading takes 0.29 s instead of 0.56 s, and peaks at 142 MB
    instead of 220 MB (resident after it: 142 MB instead of 150 MB)."""
    from natasha import NewsMorphTagger, NewsNERTagger

    with LOADING:  # both helpers swap a library function for the load: one thread at a time
        embedding = embedding_arrays()
        with shared_vocabularies():
            return NewsMorphTagger(embedding), NewsNERTagger(embedding)


def embedding_arrays():
    """natasha's news embedding without its 250k-word vocabulary (a list and a dict, 0.2 s
    to build) and without the norms and centroid products its similarity queries use
    (`PQ.precompute`: 0.4 s and a 26 MB array): the taggers look words up in their own
    vocabularies and take only the embedding's id and compressed vectors."""
    from natasha.data import NEWS_EMBEDDING
    from navec import Navec
    from navec.meta import Meta
    from navec.navec import META, PQ_
    from navec.pq import PQ
    from navec.tar import Tar

    with Tar(NEWS_EMBEDDING) as tar:
        meta = Meta.from_file(tar.load(META))
        Meta.check_protocol(meta.protocol)
        precompute, PQ.precompute = PQ.precompute, lambda self: None
        try:
            pq = PQ.from_file(tar.load(PQ_))
        finally:
            PQ.precompute = precompute
    return Navec(meta, None, pq)


@contextmanager
def shared_vocabularies():
    """slovnet packs loaded meanwhile build one vocabulary per distinct content: natasha's
    morph and NER packs each ship the same 250k-word list (compressed at different times,
    so only the content is equal)."""
    from slovnet.exec import pack

    build = pack.bytes_vocab
    built: dict[bytes, object] = {}

    def once(data: bytes):
        content = pack.decompress(data)
        if content not in built:
            built[content] = build(data)
        return built[content]

    pack.bytes_vocab = once
    try:
        yield
    finally:
        pack.bytes_vocab = build


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


LONGEST_WORD = 64  # characters; the longest words of the dictionary have about 35


@lru_cache(maxsize=10_000)
def parse(word: str) -> tuple:
    """pymorphy3 parses of a word, cached for the words news repeats most; none for a token
    longer than any word, which pymorphy3 would peel of known prefixes recursively (a run
    of `де` 2,000 letters long exhausted the stack).

    Small: parses are heavy (kilobytes a word) and with DAWG2 cheap to redo."""
    return tuple(analyzer().parse(word)) if len(word) <= LONGEST_WORD else ()


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
    with blas_controller().limit(limits=1, user_api="blas"):
        yield


@lru_cache(maxsize=None)
def blas_controller() -> ThreadpoolController:
    """The process's BLAS libraries, found once: `threadpool_limits` searches every loaded
    library again each time (1-1.5 ms; twice a batch, it was 2% of a worker's time)."""
    import numpy  # noqa: F401 (its BLAS, the one to limit, must be loaded before the search)

    return ThreadpoolController()
