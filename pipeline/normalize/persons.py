"""Stage 5c: persons, each mention split into first, middle and last name, with one key per person.

The nominative names and their parts come from `pipeline.names`, read article by article
(a word the article gives in the nominative is the nominative of its other forms); the
PER mentions' `normal` is set to the same name, so mentions.csv and persons.csv agree.
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
from ..names import Parts, article_names
from ..records import Document, Person


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
    names = article_names(doc.text, [doc.tokens_in(m.start, m.stop) for m in mentions])
    parts = [Parts(n.first, n.middle, n.last) for n in names]
    full = Surnames()  # folded surname -> keys of the full names with it
    by_first: dict[str, set[str]] = {}
    for p in parts:
        if p.first and p.last:
            key = key_of(p)
            full.add(fold(p.last), key)
            by_first.setdefault(fold(p.first), set()).add(key)
    out = []
    for m, p, name in zip(mentions, parts, names):
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
        m.normal = name.normal or m.normal  # mentions.csv says what persons.csv says
        out.append(Person(m.start, m.stop, m.text, m.normal, p.first, p.middle, p.last, key))
    return out


def persons(docs: list[Document]) -> list[Document]:
    for doc in docs:
        doc.persons = persons_of(doc)
    return docs
