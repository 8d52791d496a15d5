"""Highlights for people: article texts and entity spans from an output folder.

The report and `ruextract show` both draw an article with its entities marked. They read
the tables back (not the live pipeline), so this module recovers each article's text and
turns the rows of every table into non-overlapping highlight blocks.

Overlap rule: the outermost span wins. Spans are taken in order of start (longer first,
then by kind priority: country, organization, person, figure, raw NER mention); a span
that starts inside an accepted block is not drawn but its description joins that block's,
so nothing is lost from the tooltip. A span that sticks out past the block's end is drawn
only as far as the block.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import ingest
from .rows import plain_number
from .records import Document

# The tables whose rows are highlighted (tokens and sentences are not).
SPAN_TABLES = ("mentions", "countries", "organizations", "persons", "figures")
# Display order of priority when two spans have the same extent.
KINDS = ("country", "organization", "person", "figure", "LOC", "ORG", "PER")
KIND_NAMES = {
    "country": "country", "organization": "organization", "person": "person", "figure": "figure",
    "LOC": "location (NER)", "ORG": "organization (NER)", "PER": "person (NER)",
}


@dataclass(frozen=True)
class Span:
    """One row of a table as a highlight: where, what kind, and how to describe it."""
    start: int
    stop: int
    kind: str
    normal: str
    detail: str = ""
    text: str = ""
    code: str = ""  # iso2, org_id or person_id

    @property
    def label(self) -> str:
        text = f"{KIND_NAMES.get(self.kind, self.kind)}: {self.normal}"
        return f"{text} · {self.detail}" if self.detail else text


@dataclass
class Block:
    """A drawn highlight: the winning span and the descriptions of all spans it covers."""
    start: int
    stop: int
    kind: str
    normal: str
    code: str = ""
    labels: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return "\n".join(self.labels)


def as_text(value) -> str:
    """A cell as text: missing values (None, NA, NaN) as the empty string."""
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def figure_value(row) -> str:
    """`value`, `value–value_max`, plus unit and currency: `100 событие`, `8100000 USD`."""
    value = plain_number(None if pd.isna(row["value"]) else float(row["value"]))
    vmax = row.get("value_max")
    if vmax is not None and not pd.isna(vmax):
        value += "–" + plain_number(float(vmax))
    extra = " ".join(x for x in (as_text(row.get("unit")), as_text(row.get("currency"))) if x)
    return f"{value} {extra}".strip()


def by_doc(frames: dict[str, pd.DataFrame], tables: tuple[str, ...] = SPAN_TABLES) -> dict[str, dict[str, list[dict]]]:
    """doc_id → table → its rows as dicts, split once for the whole batch (`tables` only)."""
    out: dict[str, dict[str, list[dict]]] = {}
    for table in tables:
        df = frames.get(table)
        if df is None or df.empty or "doc_id" not in df:
            continue
        for doc_id, rows in df.groupby("doc_id", sort=False):
            out.setdefault(str(doc_id), {})[table] = rows.to_dict("records")
    return out


def _span(r: dict, kind: str, normal: str, detail: str = "", code: str = "") -> Span:
    return Span(int(r["start"]), int(r["stop"]), kind, normal, detail, as_text(r.get("text")), code)


def spans_of(rows: dict[str, list[dict]]) -> list[Span]:
    """Every highlightable row of one document (`by_doc(frames)[doc_id]`), whatever tables hold rows."""
    spans: list[Span] = []
    for r in rows.get("countries", []):
        codes = " / ".join(x for x in (as_text(r.get("iso2")), as_text(r.get("iso3"))) if x)
        form = as_text(r.get("form"))  # name or state adjective (российский)
        detail = " · ".join(x for x in (codes, as_text(r.get("name_en")), "" if form in ("", "name") else form) if x)
        spans.append(_span(r, "country", as_text(r.get("name_ru")), detail, as_text(r.get("iso2"))))
    for r in rows.get("organizations", []):
        org_id = as_text(r.get("org_id"))
        spans.append(_span(r, "organization", as_text(r.get("normal")), f"org_id {org_id}" if org_id else "", org_id))
    for r in rows.get("persons", []):
        pid = as_text(r.get("person_id"))
        spans.append(_span(r, "person", as_text(r.get("normal")), f"person_id {pid}" if pid else "", pid))
    for r in rows.get("figures", []):
        detail = " · ".join(x for x in (as_text(r.get("kind")), as_text(r.get("qualifier"))) if x)
        spans.append(_span(r, "figure", figure_value(r), detail))
    for r in rows.get("mentions", []):
        spans.append(_span(r, as_text(r.get("type")), as_text(r.get("normal"))))
    return spans


def _squash(text: str) -> str:
    return "".join(text.split())


def resolve(spans: list[Span], text: str | None = None) -> list[Block]:
    """Non-overlapping blocks in text order, outermost span winning (see module doc).

    With `text`, spans outside it or whose row text does not match it (spaces aside,
    as a rebuilt text may differ in them) are dropped rather than drawn wrong.
    """
    order = {k: i for i, k in enumerate(KINDS)}
    valid = [s for s in spans if 0 <= s.start < s.stop and (
        text is None or (s.stop <= len(text) and (not s.text or _squash(text[s.start:s.stop]) == _squash(s.text))))]
    valid.sort(key=lambda s: (s.start, -s.stop, order.get(s.kind, len(KINDS))))
    blocks: list[Block] = []
    for s in valid:
        if blocks and s.start < blocks[-1].stop:
            if s.label not in blocks[-1].labels:
                blocks[-1].labels.append(s.label)
            continue
        blocks.append(Block(s.start, s.stop, s.kind, s.normal, s.code, [s.label]))
    return blocks


def segments(text: str, blocks: list[Block]) -> Iterator[tuple[str, Block | None]]:
    """The text cut into plain pieces (block None) and highlighted pieces, in order."""
    pos = 0
    for b in blocks:
        if b.start > pos:
            yield text[pos:b.start], None
        yield text[b.start:b.stop], b
        pos = b.stop
    if pos < len(text):
        yield text[pos:], None


def rebuild_text(sentences: list[dict], n_chars: int) -> str:
    """The text as far as the sentences tell: every non-space character in place.

    What lies between sentences is whitespace we did not keep; a gap of two or more
    characters is shown as line breaks (a paragraph), a shorter one as spaces.
    """
    chars = [" "] * n_chars
    pos = 0
    for s in sorted(sentences, key=lambda s: int(s["start"])):
        start, stop, text = int(s["start"]), int(s["stop"]), as_text(s["text"])
        if stop - start != len(text) or stop > n_chars:
            continue
        if start - pos >= 2:
            chars[pos:start] = ["\n"] * (start - pos)
        chars[start:stop] = list(text)
        pos = stop
    return "".join(chars)


def source_file(source: str, bases: tuple[Path, ...] = ()) -> Path | None:
    """The file a `source` names (`file` or `file.jsonl:line`), tried as given and under `bases`."""
    names = [source] + ([source.rsplit(":", 1)[0]] if ":" in source else [])
    for name in names:
        for candidate in [Path(name)] + [base / name for base in bases if not Path(name).is_absolute()]:
            if candidate.is_file():
                return candidate
    return None


def document_texts(frames: dict[str, pd.DataFrame], bases: tuple[Path, ...] = ()) -> dict[str, tuple[str, bool]]:
    """doc_id → (text, exact): the source re-read when its bytes are unchanged, else rebuilt.

    Relative sources are tried from the working directory, then from each of `bases`
    (the report passes the output folder's parent, where `run` was usually started).
    """
    docs = frames.get("documents", pd.DataFrame())
    sentences = by_doc(frames, ("sentences",))
    out: dict[str, tuple[str, bool]] = {}
    read: dict[Path | None, dict[str, Document]] = {None: {}}
    for d in docs.to_dict("records"):
        doc_id, source, sha = as_text(d["doc_id"]), as_text(d.get("source")), as_text(d.get("sha256"))
        n_chars = int(d["n_chars"]) if not pd.isna(d.get("n_chars")) else 0
        path = source_file(source, bases)
        if path not in read:
            try:
                read[path] = {doc.doc_id: doc for doc in ingest.read_path(path) if isinstance(doc, Document)}
            except (OSError, ValueError):
                read[path] = {}
        doc = read[path].get(doc_id)
        if doc is not None and doc.sha256 == sha and len(doc.text) == n_chars:
            out[doc_id] = (doc.text, True)
        else:
            out[doc_id] = (rebuild_text(sentences.get(doc_id, {}).get("sentences", []), n_chars), False)
    return out
