"""The entities table: one row per person, organization and country of the output folder.

A cross-document step that sees keys and counts, not texts: it reads the final rows of
`countries`, `organizations` and `persons` as they are written (in doc_id order) with the
`documents` rows beside them for the dates, and keeps one small record per entity, so its
memory grows with the number of distinct entities, not of articles.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .rows import columns

# (type, table, key column, name column)
SOURCES = (("COUNTRY", "countries", "iso2", "name_ru"), ("ORG", "organizations", "org_id", "normal"),
           ("PER", "persons", "person_id", "normal"))


def source_of(table: str) -> tuple[str, str, str, str] | None:
    """(type, table, key column, name column) of a table whose rows are entities, or None."""
    return next((source for source in SOURCES if source[1] == table), None)


def watched(table: str) -> bool:
    """The table's rows are counted as entities."""
    return source_of(table) is not None


@dataclass
class Entity:
    names: Counter = field(default_factory=Counter)
    full: set[str] = field(default_factory=set)  # names that are the full form (a person's first and last name)
    written: set[str] = field(default_factory=set)  # names some text writes as they are: nominatives, not guesses
    mentions: int = 0
    documents: int = 0
    last_doc: str | None = None
    first_published: str = ""
    last_published: str = ""

    def name(self) -> str:
        """The fullest form used, the most frequent of those; on a tie, one a text writes in
        the nominative (not a guess from other cases: `Фарида Хасан`, not `Фаридий Хасан`),
        then the longest."""
        return min(self.names, key=lambda n: (n not in self.full, -self.names[n], n not in self.written, -len(n), n))


class Dates:
    """`published` of documents asked for in doc_id order, read alongside the sorted
    documents rows (a merge join: no table of dates in memory)."""

    def __init__(self, documents: Iterable[Sequence]):
        cols = columns("documents")
        self.rows = iter(documents)
        self.doc_col, self.date_col = cols.index("doc_id"), cols.index("published")
        self.current: Sequence | None = next(self.rows, None)

    def of(self, doc_id: str) -> str:
        while self.current is not None and self.current[self.doc_col] < doc_id:
            self.current = next(self.rows, None)
        if self.current is not None and self.current[self.doc_col] == doc_id:
            return self.current[self.date_col]
        return ""


def full_form(type_: str, row: Sequence, cols: tuple[str, ...]) -> bool:
    if type_ == "PER":
        first, last = row[cols.index("first")], row[cols.index("last")]
        return bool(first and last and len(first.rstrip(".")) > 1)
    if type_ == "ORG":
        name = row[cols.index("normal")]
        return " " in name or sum(map(str.isupper, name)) < 2  # not an abbreviation
    return True


class Entities:
    """Gathers the entities from the rows of their tables; `rows()` gives the table."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Entity] = {}

    def watch(self, table: str, rows: Iterable[Sequence], dates: Dates) -> Iterator[Sequence]:
        """Pass the rows of `table` through unchanged, counting the entities in them."""
        source = source_of(table)
        if source is None:
            yield from rows
            return
        type_, _, key_col, name_col = source
        cols = columns(table)
        doc_i, key_i, name_i = cols.index("doc_id"), cols.index(key_col), cols.index(name_col)
        text_i = cols.index("text")
        for row in rows:
            yield row
            key, doc_id = row[key_i], row[doc_i]
            if not key:
                continue
            entity = self.by_key.setdefault((type_, key), Entity())
            name = row[name_i]
            entity.names[name] += 1
            if full_form(type_, row, cols):
                entity.full.add(name)
            if row[text_i] == name:
                entity.written.add(name)
            entity.mentions += 1
            if entity.last_doc != doc_id:
                entity.last_doc = doc_id
                entity.documents += 1
                date = dates.of(doc_id)
                if date:
                    entity.first_published = min(entity.first_published or date, date)
                    entity.last_published = max(entity.last_published, date)

    def rows(self) -> list[tuple]:
        out = []
        for (type_, key), e in sorted(self.by_key.items()):
            name = e.name()
            aliases = "|".join(sorted(n for n in e.names if n and n != name))
            out.append((type_, key, name, aliases, e.mentions, e.documents, e.first_published, e.last_published))
        return out
