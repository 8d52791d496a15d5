"""Stage 5c: persons, each mention split into first, middle and last name, with one key per person.

pymorphy3 marks first names, patronymics and surnames (grammemes Name, Patr, Surn), so the
parts are found in either order (`Сергей Собянин`, `Собянин Сергей Семёнович`); words it does
not know fall back to position (first name first, surname last). The key is the slug of
`last-first`, so a person is the same across articles when the first names agree; a bare
surname takes the key of the one full name in its article that shares it
(`Собянин` → `sobianin-sergei`), else the slug of the surname alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from slugify import slugify

from .. import models
from ..inflect import feats_of, nominative_token
from ..records import Document, Mention, Person, Token

ROLES = ("Name", "Patr", "Surn")


@dataclass
class Parts:
    first: str = ""
    middle: str = ""
    last: str = ""


def roles_of(word: str) -> frozenset[str]:
    """Name, Patr and Surn that some dictionary parse of the word carries."""
    if len(word) < 2 or not word[:1].isupper():
        return frozenset()
    word = word.lower().replace("ё", "е")
    if not models.analyzer().word_is_known(word):
        return frozenset()  # guesses from the ending are not worth a role
    return frozenset(r for p in models.parse(word) for r in ROLES if r in p.tag.grammemes)


def role_of(word: str) -> str:
    """The likeliest role of a word alone: a surname before a first name (`Джонсон`)."""
    roles = roles_of(word)
    return next((r for r in ("Surn", "Name", "Patr") if r in roles), "")


def words_of(doc: Document, m: Mention) -> list[tuple[str, str]]:
    """(as written, nominative) for each word of a name; initials keep their dot."""
    tokens = doc.tokens_in(m.start, m.stop)
    out: list[tuple[str, str]] = []
    for i, tok in enumerate(tokens):
        if not any(ch.isalpha() for ch in tok.text):
            continue
        if len(tok.text) == 1 and tok.text.isupper():  # an initial
            dotted = i + 1 < len(tokens) and tokens[i + 1].text == "." and tokens[i + 1].start == tok.stop
            out.append((tok.text, tok.text + ("." if dotted else "")))
            continue
        out.append((tok.text, nominative_name(tok)))
    return out


def nominative_name(tok: Token) -> str:
    if feats_of(tok).get("Case") == "Nom":
        return tok.text  # already nominative: inflecting would guess (`Квачков` is no plural of квачок)
    if tok.pos in ("NOUN", "PROPN", "ADJ"):
        return nominative_token(tok, plural=False)
    return tok.text


def split_name(words: list[tuple[str, str]]) -> Parts:
    """First, middle and last name of a mention's words (as written, nominative)."""
    parts = Parts()
    if not words:
        return parts
    noms = [n for _, n in words]
    initials = [len(w) == 1 for w, _ in words]
    if len(words) > 1 and all(initials[:-1]) and not initials[-1]:  # `А. В. Суворов`
        return Parts(noms[0], noms[1] if len(words) > 2 else "", noms[-1])
    rest = []
    for i, (word, nom) in enumerate(words):
        roles = roles_of(word)
        if len(words) > 1 and i == 0 and "Name" in roles:
            role = "Name"  # the first of several words is a first name when it can be one
        elif i == len(words) - 1 and "Surn" in roles:
            role = "Surn"
        else:
            role = next((r for r in ("Patr", "Name", "Surn") if r in roles), "")
        if role == "Name" and not parts.first:
            parts.first = nom
        elif role == "Patr" and not parts.middle:
            parts.middle = nom
        elif role == "Surn" and not parts.last:
            parts.last = nom
        else:
            rest.append(i)
    for i in rest:  # words pymorphy3 does not know: first name first, surname last
        if not parts.first and i == 0 and len(words) > 1:
            parts.first = noms[i]
        elif not parts.last:
            parts.last = noms[i]
        elif i < len(words) - 1 and not parts.middle:
            parts.middle = noms[i]
        else:
            parts.last = f"{parts.last} {noms[i]}"
    return parts


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def key_of(parts: Parts) -> str:
    return slugify(f"{parts.last} {parts.first}".strip()) or "person"


@dataclass
class Surnames:
    """Keys of the article's full names by folded surname, and by the surname less its last letter."""

    full: dict[str, set[str]] = field(default_factory=dict)
    by_stem: dict[str, set[str]] = field(default_factory=dict)  # `мендонс` -> surnames `мендонса`…

    def add(self, surname: str, key: str) -> None:
        self.full.setdefault(surname, set()).add(key)
        self.by_stem.setdefault(surname[:-1], set()).add(surname)


def surname_keys(surnames: Surnames, surname: str) -> set[str]:
    """Keys of the full names in the article with this surname, allowing for a nominative
    guessed differently for an unknown foreign name (`Мендонс` / `Мендонса`): one letter more
    or less at the end, both five letters or longer. Looked up, not searched: an article
    may hold thousands of names."""
    full, word = surnames.full, fold(surname)
    if word in full:
        return full[word]
    if models.analyzer().word_is_known(word):
        return set()  # a known surname has a known nominative: `Иванова` is not `Иванов`
    if len(word) < 5:
        return set()
    near = {last for last in surnames.by_stem.get(word, ()) if len(last) >= 5}  # one letter more
    if len(word) - 1 >= 5 and word[:-1] in full:
        near.add(word[:-1])  # one letter less
    return {k for last in near for k in full[last]}


def persons_of(doc: Document) -> list[Person]:
    mentions = [m for m in doc.mentions if m.type == "PER"]
    all_words = [words_of(doc, m) for m in mentions]
    parts = [split_name(w) for w in all_words]
    full = Surnames()  # folded surname -> keys of the full names with it
    by_first: dict[str, set[str]] = {}
    for p in parts:
        if p.first and p.last:
            key = key_of(p)
            full.add(fold(p.last), key)
            by_first.setdefault(fold(p.first), set()).add(key)
    out = []
    for m, p, words in zip(mentions, parts, all_words):
        key = key_of(p)
        if p.last and (not p.first or len(p.first.rstrip(".")) == 1):
            same = {k for k in surname_keys(full, p.last)
                    if not p.first or k.split("-")[-1][:1] == slugify(p.first)[:1]}
            if len(same) == 1:
                key = next(iter(same))
        elif p.first and not p.last:  # one word: a surname named in full before, else a first name
            same = surname_keys(full, p.first) or by_first.get(fold(p.first), set())
            if len(same) == 1:
                key = next(iter(same))
        normal = " ".join(nom for _, nom in words) or m.normal
        out.append(Person(m.start, m.stop, m.text, normal, p.first, p.middle, p.last, key))
    return out


def persons(docs: list[Document]) -> list[Document]:
    for doc in docs:
        doc.persons = persons_of(doc)
    return docs
