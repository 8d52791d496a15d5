"""`ruextract show DOC_ID --out OUT_DIR`: one article in the terminal, entities highlighted.

The same highlights as the HTML report (see `highlight`), drawn with rich: a colour per kind,
the normalized form or value in a dim note after each entity (a terminal has no hover), then
tables of the article's countries, organizations, persons and figures.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from . import highlight
from .api import load
from .rows import plain_number
from .highlight import as_text

STYLES = {
    "country": "bold white on blue", "organization": "bold black on green", "person": "bold black on dark_orange",
    "figure": "bold white on magenta", "LOC": "underline blue", "ORG": "underline green", "PER": "underline dark_orange",
}
TABLES = {
    "countries": ("text", "name_ru", "iso2", "iso3", "name_en"),
    "organizations": ("text", "normal", "org_id"),
    "persons": ("text", "normal", "first", "middle", "last", "person_id"),
    "figures": ("text", "kind", "value", "value_max", "unit", "currency", "qualifier"),
}


def note(block: highlight.Block, piece: str) -> str:
    """What a reader cannot see in the text itself: the normal form if different, codes, values."""
    if block.kind == "country":
        return f"{block.normal} {block.code}".strip() if block.normal != piece else block.code
    if block.kind == "figure":
        return block.normal
    return block.normal if block.normal and block.normal != piece else ""


def article_text(text: str, blocks: list[highlight.Block], notes: bool = True) -> Text:
    """The article as rich Text: highlighted blocks, each followed by its note."""
    out = Text()
    for piece, block in highlight.segments(text, blocks):
        if block is None:
            out.append(piece)
            continue
        out.append(piece, style=STYLES.get(block.kind, "bold"))
        extra = note(block, piece) if notes else ""
        if extra:
            out.append(f"⟨{extra}⟩", style="dim italic")
    return out


def legend() -> Text:
    out = Text("legend: ", style="dim")
    for kind, name in highlight.KIND_NAMES.items():
        out.append(name, style=STYLES[kind])
        out.append("  ")
    return out


def entity_table(name: str, rows: list[dict]) -> Table:
    cols = TABLES[name]
    table = Table(title=f"{name} ({len(rows)})", title_justify="left", show_edge=False, pad_edge=False)
    for col in cols:
        table.add_column(col, justify="right" if col.startswith("value") else "left")
    for r in rows:
        cells = []
        for col in cols:
            value = r.get(col)
            if col.startswith("value") and as_text(value):
                value = plain_number(float(value))
            cells.append(as_text(value))
        table.add_row(*cells)
    return table


def show(out_dir: str | Path, doc_id: str, console: Console, notes: bool = True) -> bool:
    """Print one article of an output folder; False when the folder has no such document."""
    frames = load(out_dir)
    docs = frames["documents"]
    match = docs[docs["doc_id"] == doc_id]
    if match.empty:
        known = ", ".join(docs["doc_id"].head(5).tolist())
        console.print(f"no document {doc_id!r} in {out_dir}" + (f" (e.g. {known})" if known else ""),
                      style="red", markup=False)
        return False
    doc = match.iloc[0]
    only = {name: df[df["doc_id"] == doc_id] for name, df in frames.items() if "doc_id" in df}
    text, exact = highlight.document_texts(
        {"documents": only["documents"], "sentences": only["sentences"]}, (Path(out_dir).resolve().parent,))[doc_id]
    rows = highlight.by_doc(only).get(doc_id, {})
    blocks = highlight.resolve(highlight.spans_of(rows), text)
    head = Text(doc_id, style="bold")
    for extra in (as_text(doc.get("published")), as_text(doc.get("title")), as_text(doc.get("source"))):
        if extra:
            head.append(f"  {extra}", style="dim")
    console.print(Rule(head, align="left"))
    console.print(legend())
    if not exact:
        console.print("source not found or changed: text rebuilt from sentences.csv", style="yellow")
    console.print(article_text(text, blocks, notes))
    for name in TABLES:
        if rows.get(name):
            console.print()
            console.print(entity_table(name, rows[name]))
    entities = batch_entities(only, frames.get("entities"))
    if entities.row_count:
        console.print()
        console.print(entities)
    return True


KEYS = (("COUNTRY", "countries", "iso2"), ("ORG", "organizations", "org_id"), ("PER", "persons", "person_id"))


def batch_entities(only: dict, entities) -> Table:
    """The article's entities as the whole output folder knows them (`entities.csv`):
    canonical name, and mentions and articles in the folder."""
    table = Table(title="entities in the batch", title_justify="left", show_edge=False, pad_edge=False)
    for col in ("type", "entity_id", "name", "here", "mentions", "articles"):
        table.add_column(col, justify="right" if col in ("here", "mentions", "articles") else "left")
    if entities is None or entities.empty:
        return table
    known = {(r.type, r.entity_id): r for r in entities.itertuples()}
    for type_, name, key in KEYS:
        df = only.get(name)
        if df is None or df.empty:
            continue
        for entity_id, here in df[key].value_counts().sort_index().items():
            e = known.get((type_, entity_id))
            if e is not None:
                table.add_row(type_, entity_id, e.name, str(here), str(e.mentions), str(e.documents))
    return table


def cmd_show(args: argparse.Namespace) -> int:
    out_dir = Path(args.out)
    if not (out_dir / "datapackage.json").is_file():
        print(f"error: {out_dir} is not an output folder (no datapackage.json)", file=sys.stderr)
        return 1
    color = {"auto": None, "always": True, "never": False}[args.color]
    console = Console(force_terminal=color, no_color=args.color == "never", highlight=False, soft_wrap=False)
    return 0 if show(out_dir, args.doc_id, console, notes=not args.plain) else 1
