"""Stage 3: UD part of speech and features from slovnet (run by `fasttag`), lemmas from pymorphy3.

slovnet (natasha's NewsMorphTagger) decides the grammar in context; pymorphy3 knows the
dictionary. The lemma is the normal form of the pymorphy3 parse that agrees best with
the tagger, as natasha's MorphVocab does on pymorphy2.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from slovnet.conll import parse_conll_tag

from . import datafiles, models
from .chunks import sentences_bounded
from .records import Document
from .script import cyrillic_look_alikes

# Features that decide between parses; Animacy, Voice... are unreliable in both tools.
DECIDING = ("Case", "Gender", "Number", "Aspect", "Person", "Tense", "Variant", "VerbForm")
SAME_POS = {"PROPN": "NOUN", "AUX": "VERB", "SCONJ": "CCONJ"}
KEEP_AS_IS = {"PUNCT", "SYM", "X"}
# Words that do not inflect: UD keeps them as written (во, со, об, чтобы, ли).
UNINFLECTED = {"ADP", "CCONJ", "SCONJ", "PART"}


@lru_cache(maxsize=1)
def oc_ud() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    data = datafiles.read_json("oc_ud.json")
    return data["pos"], {oc: (key, value) for oc, key, value in data["feats"]}


@lru_cache(maxsize=2**13)
def ud_of(tag) -> tuple[str, dict[str, str]]:
    """UD pos and feats of a pymorphy3 tag (not to be mutated: cached per tag, as every parse
    of every word asks and the dictionary has only some 5,500 tags)."""
    pos_map, feat_map = oc_ud()
    pos = "DET" if "Apro" in tag else pos_map.get(tag.POS or "", "X")
    feats = dict(feat_map[g] for g in tag.grammemes if g in feat_map)
    return pos, feats


def similarity(pos: str, feats: dict[str, str], parse) -> int:
    p_pos, p_feats = ud_of(parse.tag)
    score = 2 * (SAME_POS.get(p_pos, p_pos) == SAME_POS.get(pos, pos))
    return score + sum(p_feats.get(k) == v for k, v in feats.items() if k in DECIDING)


STRESS_MARKS = dict.fromkeys(map(ord, "\u0300\u0301"))  # dictionaries and UD lemmas carry no stress


@lru_cache(maxsize=2**14)
def normal_word(word: str) -> str:
    """The form the dictionary looks words up in; cached, as each token's word and lemma are
    asked for again by countries and inflect."""
    return cyrillic_look_alikes(word).lower().replace("ё", "е").translate(STRESS_MARKS)


@lru_cache(maxsize=50_000)
def lemma_of(word: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
    """The lemma of `word` tagged `pos`/`feats`, from the best agreeing pymorphy3 parse.

    Cached for as many (word, tag) pairs as some 800 articles hold (NEREL train and dev:
    47k): with 15k, a worker parsed a fifth of them again (59k misses against 47k), and its
    lemmatizing took 13% longer."""
    if pos in KEEP_AS_IS or not any(ch.isalpha() for ch in word):
        return word
    if pos in UNINFLECTED:
        return word.lower()
    word = unicodedata.normalize("NFC", word)  # combining accents and NFD input
    parses = models.parse(normal_word(word))
    if not parses:
        return word.lower()
    feats_d = dict(feats)
    deciding = {k: v for k, v in feats if k in DECIDING}  # what similarity compares, filtered once
    best = max(parses, key=lambda p: similarity(pos, deciding, p))  # max keeps the first (likeliest) on ties
    lemma = best.normal_form
    if pos == "PROPN" and not best.is_known and feats_d.get("Case") == "Nom":
        lemma = word  # an unknown name in the nominative is its own lemma; pymorphy3 would guess
    elif pos == "PRON" and "Apro" in best.tag and "neut" in best.tag:
        # UD lemmatizes pronominal того/тем/всего as то/всё, not as the adjectives тот/весь
        neuter = best.inflect({"nomn", "sing", "neut"})
        lemma = neuter.word if neuter else lemma
    if pos == "PROPN" and word[:1].isupper():
        lemma = lemma.upper() if word.isupper() and len(word) > 1 else lemma[:1].upper() + lemma[1:]
    return lemma


def format_feats(feats: dict[str, str]) -> str:
    return "|".join(f"{k}={feats[k]}" for k in sorted(feats))


@lru_cache(maxsize=1)
def tag_table() -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """pos, formatted feats and sorted feats of each of the tagger's tag ids, made once
    rather than per token (slovnet parses the tag string of every token)."""
    table = []
    for tag in models.fast_morph().tags:
        pos, feats = parse_conll_tag(tag)
        table.append((pos, format_feats(feats), tuple(sorted(feats.items()))))
    return table


def lemmatize(docs: list[Document]) -> list[Document]:
    """Tag every sentence of the batch in one stream, then lemmatize token by token."""
    sents = [sent for doc in docs for sent in sentences_bounded(doc.tokens)]
    tagger, table = models.fast_morph(), tag_table()
    with models.one_blas_thread():
        tag_ids = list(tagger.tag_ids([[unicodedata.normalize("NFC", t.text) for t in sent] for sent in sents]))
    for sent, ids in zip(sents, tag_ids):
        for tok, tag_id in zip(sent, ids.tolist()):
            tok.pos, tok.feats, feats = table[tag_id]
            tok.lemma = lemma_of(tok.text, tok.pos, feats)
    return docs
