"""Plain records that flow through the stages.

A `Document` starts as text from `ingest` and each stage fills one more list.
Field names follow the columns of the output contract, so export is a plain
`dataclasses.asdict` per row.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field


@dataclass
class Sentence:
    sent_id: int
    start: int
    stop: int
    text: str


@dataclass
class Token:
    sent_id: int
    token_id: int
    start: int
    stop: int
    text: str
    lemma: str = ""
    pos: str = ""
    feats: str = ""


@dataclass
class Mention:
    mention_id: int
    sent_id: int
    start: int
    stop: int
    text: str
    type: str
    normal: str = ""


@dataclass
class Country:
    start: int
    stop: int
    text: str
    iso2: str
    iso3: str
    name_ru: str
    name_en: str
    form: str = "name"  # "adjective" for a state adjective (российская делегация), as NEREL marks them


@dataclass
class Organization:
    start: int
    stop: int
    text: str
    normal: str
    org_id: str


@dataclass
class Person:
    start: int
    stop: int
    text: str
    normal: str
    first: str = ""
    middle: str = ""
    last: str = ""
    person_id: str = ""


@dataclass
class Figure:
    figure_id: int
    sent_id: int
    start: int
    stop: int
    text: str
    kind: str
    value: float | None
    value_max: float | None = None
    unit: str = ""
    currency: str = ""
    qualifier: str = ""


@dataclass
class Error:
    source: str
    doc_id: str
    stage: str
    error: str


@dataclass
class Document:
    doc_id: str
    source: str
    text: str
    sha256: str = ""
    published: str = ""
    photo_credit: str = ""
    title: str = ""
    url: str = ""
    ref: tuple[str, int, int] | None = None  # (path, byte offset, length; -1: the whole file) to read the text from
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def sort_mentions(self) -> None:
        """Mentions in text order, numbered 0.. again after a stage added some."""
        self.mentions.sort(key=lambda m: (m.start, m.stop, m.type))
        for i, m in enumerate(self.mentions):
            m.mention_id = i

    def tokens_in(self, start: int, stop: int) -> list[Token]:
        """Tokens lying inside the character span [start, stop)."""
        i = bisect_left(self.tokens, start, key=lambda t: t.start)
        out = []
        while i < len(self.tokens) and self.tokens[i].stop <= stop:
            out.append(self.tokens[i])
            i += 1
        return out

    def sent_at(self, offset: int) -> int:
        """sent_id of the sentence holding `offset` (the last one before it)."""
        i = bisect_left(self.sentences, offset + 1, key=lambda s: s.start)
        return self.sentences[i - 1].sent_id if i else 0
