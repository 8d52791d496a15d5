"""fasttag gives slovnet's tags: the same UD pos/feats and the same NER spans.

The reference is slovnet's own numpy code (natasha's taggers) on the same tokens: NEREL dev
texts read at test time (not copied here), the seed article, news-style sentences of our own
and pathological shapes. The scores may differ from slovnet's by float rounding (fasttag groups
the sums of products differently), which could flip a near-tie: flips are counted and must stay
under 1 token in 1000; the scores themselves must agree to 1e-4.
"""
from __future__ import annotations

import random
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from slovnet.bio import bio_spans as slovnet_bio_spans
from slovnet.markup import BIOMarkup
from slovnet.token import Token as SlovnetToken

from pipeline import fasttag, models, segment
from pipeline.chunks import MAX_TOKENS, sentence_runs, sentences_bounded
from pipeline.ingest import make_document
from pipeline.lemmatize import format_feats, tag_table
from pipeline.ner import bio_spans, tag
from pipeline.tokenize import tokenize

from conftest import ROOT, SEED

NEREL_DEV = ROOT.parent / "shared/eval/data/nerel-dev/texts"
SAMPLE = 40  # NEREL dev texts, the first by name: about 10k tokens
MAX_FLIPS = 1 / 1000

OWN = [
    "Президент России Владимир Путин провёл в Кремле переговоры с премьер-министром Индии Нарендрой Моди.",
    "По данным Росстата, инфляция в марте 2024 г. составила 7,7% годовых, сообщает ТАСС.",
    "Компания «Газпром нефть» вложила 1,5 млрд руб. в проект на Ямале; акции выросли на 3%.",
    "«Мы не планируем повышать ставку», — заявила глава ЦБ Эльвира Набиуллина журналистам RT.",
    "В Нью-Йорке и Санкт-Петербурге прошли акции Apple iPhone 15 Pro, писал The Wall Street Journal.",
    "Т.е. СИЗО-6, 2011-2020 гг., COVID-19, e-mail: info@mvd.ru, +7 (495) 123-45-67, №5, §3, 10:30.",
    "ООН", "!", "…", "Ёлка", "x", "XX", "Xx-Xx", "А.С.Пушкин", "ТАСС-Урал", "а-а-а", "😀", "???", "1,5", "—",
]


def sentences(docs) -> list[list[str]]:
    return [[unicodedata.normalize("NFC", t.text) for t in sent] for doc in docs for sent in sentences_bounded(doc.tokens)]


@lru_cache(maxsize=1)
def texts() -> tuple[str, ...]:
    found = [p.read_text(encoding="utf-8") for p in sorted(NEREL_DEV.glob("*.txt"))[:SAMPLE]]
    return (*found, SEED.read_text(encoding="utf-8"), " ".join(OWN), *OWN)


@lru_cache(maxsize=1)
def docs():
    return tokenize([make_document(str(i), "<test>", text, text.encode("utf-8")) for i, text in enumerate(texts())])


def pathological() -> list[list[str]]:
    rnd = random.Random(3)
    words = ["Москва", "и", ",", "ООН", "NATO", "2024", "1,5", "«", "»", "—", "Нью-Йорк", "iPhone", "COVID-19",
             "т.е.", "№", "😀", "ЁЖ", "x", "%", "...", "<unk>", "a" * 300]  # no "<pad>": razdel splits it, slovnet would mask it
    return [
        [], ["Путин"], ["."], [], [rnd.choice(words) for _ in range(MAX_TOKENS)], ["слово"] * MAX_TOKENS,
        [rnd.choice(words) for _ in range(17)], [], ["Сергей", "Собянин"], ["ЦБ", "РФ", "снизил", "ставку", "."],
    ]


@pytest.mark.skipif(not NEREL_DEV.is_dir(), reason=f"no evaluation data beside the checkout ({NEREL_DEV})")
def test_nerel_sample_is_there():
    """The equivalence runs on real news: the NEREL dev texts, where the evaluation data sits
    beside the checkout (../shared/eval); elsewhere on the seed and the sentences above only."""
    assert len(texts()) >= SAMPLE, f"no NEREL dev texts in {NEREL_DEV}"


def morph_pairs(sents: list[list[str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(pos, feats) of every token by natasha's tagger and by fasttag."""
    tagger, table = models.morph_tagger(), tag_table()
    with models.one_blas_thread():
        ref = [(tok.pos, format_feats(tok.feats)) for markup in tagger.map(sents) for tok in markup.tokens]
        got = [table[i][:2] for ids in models.fast_morph().tag_ids(sents) for i in ids.tolist()]
    return ref, got


def test_morph_same_pos_and_feats_as_slovnet():
    sents = sentences(docs()) + pathological()
    ref, got = morph_pairs(sents)
    assert len(got) == len(ref) == sum(map(len, sents))
    flips = sum(a != b for a, b in zip(ref, got))
    assert flips < MAX_FLIPS * len(ref), f"{flips} of {len(ref)} tokens tagged differently"


def test_morph_emissions_close_to_slovnet():
    """The scores, not only their argmax: a wrong layer could keep most argmaxes."""
    sents = [s for s in sentences(docs())[:200] + pathological() if s]
    infer = models.morph_tagger().infer
    with models.one_blas_thread():
        got = models.fast_morph().emissions(sents)
        ref = []
        for inp in infer.encoder(sents):
            scores = infer.model(inp.word_id, inp.shape_id, inp.pad_mask)
            ref.extend(row[~mask] for row, mask in zip(scores, inp.pad_mask))
    np.testing.assert_allclose(got, np.concatenate(ref), atol=1e-4, rtol=0)


def test_a_sentence_is_tagged_alike_alone_or_in_any_batch():
    """Separator rows stand for slovnet's padding: a sentence's tags do not depend on its neighbours."""
    sents = [s for s in pathological() if s] + sentences(docs())[:30]
    tagger = models.fast_morph()
    together = [ids.tolist() for ids in tagger.tag_ids(sents)]
    alone = [tagger.tag_ids([s])[0].tolist() for s in sents]
    reversed_ = [ids.tolist() for ids in tagger.tag_ids(sents[::-1])][::-1]
    assert together == alone == reversed_


def test_ner_decoding_in_groups_changes_nothing(monkeypatch):
    """The CRF decodes up to DECODE_TOKENS at once; smaller groups give the same paths."""
    sents = [s for s in pathological() if s] + sentences(docs())[:60]
    tagger = models.fast_ner()
    whole = [ids.tolist() for ids in tagger.tag_ids(sents)]
    monkeypatch.setattr(fasttag, "DECODE_TOKENS", 400)
    assert [ids.tolist() for ids in tagger.tag_ids(sents)] == whole


def test_padded_groups_are_bounded_and_cover_every_sentence():
    lengths = [1] * 5000 + [256, 3, 0, 40, 256, 7] * 20
    groups = list(fasttag.padded_groups(lengths, 4096))
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert all(len(g) * max(lengths[i] for i in g) <= 4096 for g in groups)
    assert list(fasttag.padded_groups([], 10)) == [] and list(fasttag.padded_groups([9], 4)) == [[0]]


def test_chunks_cover_the_sentences_in_order_within_the_bound():
    sents = [["w"] * n for n in (0, 3, 4096, 1, 0, 5000, 2, 2, 0)]
    got = list(fasttag.chunks(sents, 4096))
    assert [s for chunk in got for s in chunk] == sents
    assert all(sum(map(len, c)) <= 4096 or len(c) == 1 for c in got)
    assert list(fasttag.chunks([], 10)) == []


def test_empty_input_and_empty_sentences():
    tagger = models.fast_ner()
    assert list(tagger.tag_ids([])) == []
    assert [ids.tolist() for ids in tagger.tag_ids([[], []])] == [[], []]
    assert [len(ids) for ids in models.fast_morph().tag_ids([[], ["Путин"], []])] == [0, 1, 0]


def slovnet_spans(texts_: list[str]) -> list[list[tuple[int, int, str]]]:
    """slovnet's NERInfer on our tokens (the stage's former code)."""
    infer = models.ner_tagger().infer
    items = [[t.text for t in segment.tokenize(text)] for text in texts_]
    with models.one_blas_thread():
        preds = infer.decoder(infer.process(infer.encoder(items)))
        return [[(s.start, s.stop, s.type) for s in BIOMarkup.from_tuples(zip(words, pred)).to_span(text).spans]
                for text, words, pred in zip(texts_, items, preds)]


def test_ner_same_spans_as_slovnet():
    runs = [doc.text[run[0].start:run[-1].stop] for doc in docs() for run in sentence_runs(doc.tokens)]
    runs += [" ".join(words) for words in pathological()]
    ref, got = slovnet_spans(runs), tag(runs)
    tokens = sum(len(list(segment.tokenize(text))) for text in runs)
    assert sum(map(len, ref)) > (300 if NEREL_DEV.is_dir() else 50)  # real names were found
    differing = sum(len(set(a) ^ set(b)) for a, b in zip(ref, got))
    assert differing < MAX_FLIPS * tokens, f"{differing} spans differ over {tokens} tokens"


def test_viterbi_is_slovnets_crf_decode_exactly():
    """On the same scores, ties included (small integers), the same paths as slovnet's CRF."""
    crf = models.ner_tagger().infer.model.head.crf
    rnd = np.random.default_rng(5)
    for trial in range(30):
        lengths = [int(n) for n in rnd.integers(1, 40, size=int(rnd.integers(1, 9)))]
        longest = max(lengths)
        scores = rnd.integers(-2, 3, size=(len(lengths), longest, 8)).astype(np.float32)
        if trial % 2:
            scores += rnd.standard_normal(scores.shape).astype(np.float32)
        mask = np.arange(longest) < np.array(lengths)[:, None]
        ref = crf.decode(scores, mask)
        transitions = crf.transitions.array
        if trial % 3 == 0:  # ties in the transitions too
            transitions = np.round(transitions).astype(np.float32)
            ref = type(crf)(crf.transitions.replace(array=transitions)).decode(scores, mask)
        got = fasttag.viterbi(scores[mask], lengths, transitions)
        assert [g.tolist() for g in got] == [r.tolist() for r in ref]


def test_bio_spans_read_tags_as_slovnet_does():
    tags = models.fast_ner().tags
    rnd = random.Random(7)
    for _ in range(300):
        ids = [rnd.randrange(len(tags)) if rnd.random() < 0.6 else tags.index("O") for _ in range(rnd.randrange(12))]
        tokens = [SlovnetToken(3 * i, 3 * i + 2, "ab") for i in range(len(ids))]
        ref = [(s.start, s.stop, s.type) for s in slovnet_bio_spans(tokens, [tags[i] for i in ids])]
        assert bio_spans(tokens, ids) == ref, [tags[i] for i in ids]


def test_word_features_are_slovnets_and_the_cache_stays_bounded(monkeypatch):
    encoder = models.morph_tagger().infer.encoder
    features = fasttag.Features(encoder.words_vocab.item_ids, encoder.words_vocab.unk_id,
                                encoder.shapes_vocab.item_ids)
    monkeypatch.setattr(fasttag, "CACHE_WORDS", 10)
    words = [w for s in sentences(docs())[:50] + pathological() for w in s]
    word_ids, shape_ids = encoder.item(words)
    got = [features.packed(w) for w in words]
    assert got == [w << fasttag.SHAPE_BITS | s for w, s in zip(word_ids, shape_ids)]
    assert len(features.cache) <= 10


def test_the_taggers_run_on_one_blas_thread_and_the_setting_comes_back():
    from threadpoolctl import threadpool_info

    def blas_threads() -> set[int]:
        return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    before = blas_threads()
    assert before  # numpy's BLAS is there to limit
    for _ in range(2):  # the second time, with the libraries found the first time
        with models.one_blas_thread():
            assert blas_threads() == {1}
        assert blas_threads() == before
