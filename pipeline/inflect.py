"""Nominative forms of tagged tokens and spans with pymorphy3.

Shared by NER and the normalizers: a name is put in the nominative by inflecting its
head noun and the words that agree with it, keeping the rest as written
(`департамента информационных технологий города Москвы` →
`департамент информационных технологий города Москвы`).
"""
from __future__ import annotations

from functools import lru_cache

from . import models
from .lemmatize import normal_word, similarity
from .records import Token

INFLECTABLE = {"NOUN", "PROPN", "ADJ", "DET", "NUM", "VERB"}  # VERB: participles in names
HEAD_POS = {"NOUN", "PROPN"}


def feats_of(token: Token) -> dict[str, str]:
    return dict(kv.split("=", 1) for kv in token.feats.split("|") if "=" in kv)


def recover_shape(word: str, like: str) -> str:
    """Give `word` the capitalization of `like` (ООН stays upper, Москва stays title,
    Куала-Лумпур keeps both capitals)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    parts, like_parts = word.split("-"), like.split("-")
    if len(parts) == len(like_parts) > 1:
        return "-".join(recover_shape(p, lp) if lp else p for p, lp in zip(parts, like_parts))
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=20_000)
def nominative_word(word: str, pos: str, feats: tuple[tuple[str, str], ...], plural: bool | None = None) -> str:
    """`word` in the nominative, keeping its number (or forcing it), shaped like `word`."""
    feats_d = dict(feats)
    if feats_d.get("Case") == "Nom" and plural is None:
        return word
    parses = models.parse(normal_word(word))
    if not parses:
        return word
    best = max(parses, key=lambda p: similarity(pos, feats_d, p))
    grams = {"nomn"}
    if plural is not None:
        grams.add("plur" if plural else "sing")
    if {"Sgtm", "Pltm", "Fixd"} & set(best.tag.grammemes):
        grams.discard("plur")
        grams.discard("sing")
    form = best.inflect(grams) or best.inflect({"nomn"})
    if form is None:
        return word
    if form.word[:4] != normal_word(word)[:4]:  # `высшей` → `высшая`, not the lexeme's `высочайшая`
        want = (form.tag.grammemes - {"Qual"}) | {"nomn"}
        form = next((f for f in best.lexeme if f.word[:4] == normal_word(word)[:4] and want <= f.tag.grammemes), form)
    out = form.word
    if "ё" not in word.lower():
        out = out.replace("ё", "е")
    return recover_shape(out, word)


def nominative_token(token: Token, plural: bool | None = None) -> str:
    if token.pos not in INFLECTABLE or not any(ch.isalpha() for ch in token.text):
        return token.text
    return nominative_word(token.text, token.pos, tuple(sorted(feats_of(token).items())), plural)


def join_like(text: str, start: int, tokens: list[Token], words: list[str]) -> str:
    """Words in place of tokens, keeping the original spacing between them."""
    parts, offset = [], None
    for tok, word in zip(tokens, words):
        if offset is not None:
            parts.append(text[offset:tok.start])
        parts.append(word)
        offset = tok.stop
    return "".join(parts)


def nominative_phrase(text: str, tokens: list[Token]) -> str:
    """Nominative of a name: the words up to and including the head noun are inflected.
    Person names have their own reading (`names.nominative_person`)."""
    if not tokens:
        return ""
    words = [t.text for t in tokens]
    head = next((i for i, t in enumerate(tokens) if t.pos in HEAD_POS), None)
    if head is None or feats_of(tokens[head]).get("Case") == "Nom":
        return join_like(text, tokens[0].start, tokens, words)
    for i in range(head + 1):
        if tokens[i].pos in INFLECTABLE:
            words[i] = nominative_token(tokens[i])
    return join_like(text, tokens[0].start, tokens, words)
