"""Documents to table rows: plain dicts in the columns of `data/schema.json`.

Kept free of pandas, so worker processes stay small; pandas starts at `export`.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter, itemgetter

from . import datafiles
from .records import Document, Error

DOC_TABLES = ("sentences", "tokens", "mentions", "countries", "organizations", "persons", "figures")
DOCUMENT_TABLES = ("documents", *DOC_TABLES)  # all of a document's rows come at once: kept per document
CROSS_DOCUMENT = ("entities",)  # made from the other tables of the whole folder, not per article


@lru_cache(maxsize=1)
def schema() -> dict[str, dict]:
    return {t["name"]: t for t in datafiles.read_json("schema.json")["tables"]}


def article_tables() -> list[str]:
    """The tables whose rows come from the articles (and their errors), batch by batch."""
    return [name for name in schema() if name not in CROSS_DOCUMENT]


@lru_cache(maxsize=None)
def columns(table: str) -> tuple[str, ...]:
    return tuple(f["name"] for f in schema()[table]["fields"])


def integer_columns(table: str) -> list[str]:
    return [f["name"] for f in schema()[table]["fields"] if f["type"] == "integer"]


@lru_cache(maxsize=None)
def number_columns(table: str) -> tuple[str, ...]:
    """Decimal columns (figure values): plain-decimal text in CSV, float64 in Parquet."""
    return tuple(f["name"] for f in schema()[table]["fields"] if f["type"] == "number")


def plain_number(value: float | int | None) -> str:
    """A decimal without exponent or trailing zeros: 8100000, 2.5, 0.001."""
    if value is None or value != value:
        return ""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def document_row(doc: Document) -> tuple:
    values = {
        "doc_id": doc.doc_id, "source": doc.source, "sha256": doc.sha256, "published": doc.published,
        "n_chars": len(doc.text), "n_sentences": len(doc.sentences), "n_tokens": len(doc.tokens),
        "photo_credit": doc.photo_credit, "title": doc.title, "url": doc.url,
    }
    return tuple(values[c] for c in columns("documents"))


@lru_cache(maxsize=None)
def getter(table: str):
    """Reads a record's columns (all but doc_id) as a tuple; far cheaper than asdict."""
    return attrgetter(*columns(table)[1:])


def record_rows(table: str, doc_id: str, records: list) -> list[tuple]:
    get = getter(table)
    if not number_columns(table):
        return [(doc_id, *get(record)) for record in records]
    numbers = [c in number_columns(table) for c in columns(table)]
    return [tuple(plain_number(v) if number else v for number, v in zip(numbers, (doc_id, *get(record))))
            for record in records]


def rows_of(doc: Document) -> dict[str, list[tuple]]:
    """Every row one document contributes, by table name, as tuples in column order."""
    out = {"documents": [document_row(doc)]}
    for table in DOC_TABLES:
        out[table] = record_rows(table, doc.doc_id, getattr(doc, table))
    return out


def pack(table_rows: list[tuple]) -> bytes:
    """A document's rows of one table as the CSV lines they take in the table (utf-8), one
    value for the checkpoint to store and order: a new CSV table is these lines joined, so
    rows are formatted in the workers, not one by one in the process that writes the tables."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(table_rows)
    return text.getvalue().encode("utf-8")


def unpack(table: str, packed: bytes) -> list[tuple]:
    """The rows `pack` made, with their integers."""
    return list(map(own_reader(table), csv.reader(io.StringIO(packed.decode("utf-8"), newline=""))))


@lru_cache(maxsize=None)
def own_reader(table: str) -> Callable[[Sequence[str]], tuple]:
    return row_reader(table, columns(table))


def row_reader(table: str, header: Sequence[str]) -> Callable[[Sequence[str]], tuple]:
    """A row of CSV text under `header` → a row in this schema's columns and types; a column
    the header lacks is empty."""
    ints = set(integer_columns(table))
    where = [(header.index(c) if c in header else None, c in ints) for c in columns(table)]

    def convert(row: Sequence[str]) -> tuple:
        values = []
        for i, is_int in where:
            value = "" if i is None else row[i]
            values.append(int(value) if is_int and value != "" else value)
        return tuple(values)
    return convert


def document_parts(doc: Document) -> list[tuple[str, bytes]]:
    """(table, packed rows) of every table the document has rows in, each in contract
    order: put in doc_id order, the parts give the whole table in contract order."""
    return [(table, pack(sorted(table_rows, key=sort_key(table))))
            for table, table_rows in rows_of(doc).items() if table_rows]


def error_row(error: Error) -> tuple:
    return tuple(getattr(error, c) for c in columns("errors"))


def sort_columns(table: str) -> list[str]:
    """The columns a table is sorted by (the contract: doc_id, then start, then stop);
    ties keep the order the rows were made in."""
    if table == "errors":
        return ["source", "doc_id", "stage", "error"]
    if table == "entities":
        return ["type", "entity_id"]
    cols = columns(table)
    return [c for c in ("doc_id", "start", "stop", "sent_id", "token_id", "mention_id", "figure_id") if c in cols]


@lru_cache(maxsize=None)
def sort_key(table: str):
    """The sort key of a row (a tuple in column order) of the table."""
    cols = columns(table)
    return itemgetter(*(cols.index(c) for c in sort_columns(table)))
