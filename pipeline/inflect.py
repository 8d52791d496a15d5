"""Nominative forms of tagged tokens and spans with pymorphy3.

Shared by NER and the normalizers: a name is put in the nominative by inflecting its
head noun and the words that agree with it, keeping the rest as written
(`департамента информационных технологий города Москвы` →
`департамент информационных технологий города Москвы`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import models
from .lemmatize import normal_word, similarity
from .records import Token

INFLECTABLE = {"NOUN", "PROPN", "ADJ", "DET", "NUM", "VERB"}  # VERB: participles in names
HEAD_POS = {"NOUN", "PROPN"}
# Endings of foreign names that do not decline (`Кальяри`, `Торонто`), not of case forms
# (`Ирландии`, `Салтовки`, `Ирландиями`)
INDECLINABLE = re.compile(r"[^аеёиоуыэюягкхжшчщ]и$|[оэ]$")
CASE_ENDING = re.compile(r"[ая]ми$")


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


@lru_cache(maxsize=10_000)
def nominative_word(word: str, pos: str, feats: tuple[tuple[str, str], ...], plural: bool | None = None) -> str:
    """`word` in the nominative, keeping its number (or forcing it), shaped like `word`.

    A word the tagger reads as foreign (`Даунинг-стрит`) or an abbreviation (`ПРАЙМ`) stays, and
    so does a name the dictionary does not know that ends as foreign names that do not
    decline do (`Кальяри`, `Торонто`), not as a case form does (`Салтовки`, `Ирландиями`)."""
    feats_d = dict(feats)
    if plural is None and (feats_d.get("Case") == "Nom" or feats_d.get("Foreign") == "Yes"):
        return word  # the nominative, or a word the tagger reads as foreign
    if len(word) > 1 and word.isupper():
        return word
    parses = models.parse(normal_word(word))
    if not parses:
        return word
    if pos == "PROPN" and INDECLINABLE.search(normal_word(word)) and not CASE_ENDING.search(normal_word(word)) \
            and not models.analyzer().word_is_known(normal_word(word)):
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
    return join_like(text, tokens[0].start, tokens, nominative_words(tokens))


def nominative_words(tokens: list[Token]) -> list[str]:
    """The words of `nominative_phrase`, token by token."""
    words = [t.text for t in tokens]
    head = head_of(tokens)
    if head is None and all(t.pos == "ADJ" for t in tokens if any(ch.isalpha() for ch in t.text)):
        head = len(tokens) - 1  # an adjective alone (`Центральной`): it is the name
    if head is None or feats_of(tokens[head]).get("Case") == "Nom":
        return words
    for i in range(head + 1):
        if tokens[i].pos in INFLECTABLE:
            words[i] = nominative_token(tokens[i])
    agree = {k: v for k, v in feats_of(tokens[head]).items() if k in ("Case", "Number", "Gender")}
    after = range(head + 1, len(tokens))
    if after and agree.get("Number") == "Sing" and all(feats_of(tokens[i]).items() >= agree.items() and (
            tokens[i].pos == "ADJ" or adjective_in(tokens[i].text, agree.get("Case", ""))) for i in after):
        for i in after:  # singular adjectives after the head that end the name agree with it (`Принца Кембриджского`)
            words[i] = nominative_token(tokens[i])
    gender = noun_gender(words[head]) if tokens[head].pos in HEAD_POS else None
    for i in range(head):  # adjectives agree with the head (`Соединённому Королевству` → `Соединённое Королевство`)
        case = feats_of(tokens[i]).get("Case", "")
        if gender and words[i] != tokens[i].text and (
                tokens[i].pos in ("ADJ", "DET", "VERB") or adjective_in(tokens[i].text, case)):
            words[i] = agreeing(words[i], gender)
    return words


def head_of(tokens: list[Token]) -> int | None:
    """The first noun; a capitalized adjective the tagger took for a name, before a noun in
    its case, is none (`Соединённого Королевства`)."""
    for i, t in enumerate(tokens):
        if t.pos in HEAD_POS:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            case = feats_of(t).get("Case")
            if not (t.pos == "PROPN" and nxt is not None and nxt.pos in HEAD_POS and case
                    and feats_of(nxt).get("Case") == case and adjective_in(t.text, case)):
                return i
    return None


OC_OF_UD_CASE = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}


@lru_cache(maxsize=10_000)
def adjective_in(word: str, case: str) -> bool:
    """The dictionary has the word as an adjective (or participle) in this case."""
    oc = OC_OF_UD_CASE.get(case)
    w = normal_word(word)
    return oc is not None and models.analyzer().word_is_known(w) and any(
        p.tag.POS in ("ADJF", "PRTF") and oc in p.tag for p in models.parse(w))


@lru_cache(maxsize=10_000)
def noun_gender(word: str) -> str | None:
    """The gender of a singular noun in the nominative, when the dictionary has it one way."""
    w = normal_word(word)
    if not models.analyzer().word_is_known(w):
        return None
    genders = {p.tag.gender for p in models.parse(w) if p.tag.POS == "NOUN" and "nomn" in p.tag
               and "sing" in p.tag and p.tag.gender in ("masc", "femn", "neut")}
    return genders.pop() if len(genders) == 1 else None


@lru_cache(maxsize=10_000)
def agreeing(word: str, gender: str) -> str:
    """An adjective in the nominative singular (as made above) put in `gender`."""
    w = normal_word(word)
    for p in models.parse(w):
        if p.tag.POS in ("ADJF", "PRTF") and "nomn" in p.tag and "sing" in p.tag:
            if p.tag.gender == gender:
                return word
            form = p.inflect({"nomn", "sing", gender})
            if form is not None and form.word[:4] == w[:4]:  # not `высший` → `высочайшая`
                out = form.word if "ё" in word.lower() else form.word.replace("ё", "е")
                return recover_shape(out, word)
            break
    return word
