"""`ruextract report OUT_DIR`: one self-contained HTML page for analysts.

The page reads the tables of an output folder back and shows the batch summary, charts of
the most mentioned countries, organizations and persons, a sortable table of figures and
every article with its entities highlighted. Everything is inline (plotly.js included once,
our CSS and JS from `templates/`), so the file opens offline and can be mailed around.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import highlight
from .api import load
from .commands import MAX_ARTICLES
from .rows import plain_number

TOP_N = 15
LABEL_CHARS = 36
MAX_FIGURES = 5000
FIGURE_COLUMNS = ("text", "kind", "value", "value_max", "unit", "currency", "qualifier")
# One colour per highlight kind, shared by the legend, the marks and the charts.
COLOURS = {
    "country": "#2f80ed", "organization": "#27ae60", "person": "#d35400", "figure": "#8e44ad",
    "LOC": "#7fb3f5", "ORG": "#8fd6a8", "PER": "#f0a875",
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v: "" if v is None or pd.isna(v) else f"{v:,}".replace(",", " ")
    return env


def highlight_html(text: str, blocks: list[highlight.Block]) -> Markup:
    """The text with each block as a `<mark>`; every piece and attribute HTML-escaped."""
    mark = Markup('<mark class="hl hl-{kind}" data-kind="{kind}" data-normal="{normal}" title="{title}">{piece}</mark>')
    parts = [mark.format(kind=b.kind, normal=b.normal, title=b.title, piece=piece) if b else Markup.escape(piece)
             for piece, b in highlight.segments(text, blocks)]
    return Markup("").join(parts)


def top_counts(df: pd.DataFrame, key: str, label: str, n: int = TOP_N) -> list[tuple[str, int, int]]:
    """(label, mentions, articles) of the `n` most mentioned keys; the label is the key's most frequent one."""
    if df is None or df.empty or key not in df or label not in df:
        return []
    df = df[df[key].fillna("") != ""]
    if df.empty:
        return []
    mentions = df[key].value_counts()
    articles = df.groupby(key)["doc_id"].nunique()
    labels = df.groupby(key)[label].agg(lambda s: Counter(s.fillna("")).most_common(1)[0][0])
    ranked = sorted(mentions.items(), key=lambda kv: (-kv[1], str(kv[0])))[:n]
    return [(str(labels[k]) or str(k), int(c), int(articles[k])) for k, c in ranked]


def bar_chart(rows: list[tuple[str, int, int]], colour: str, div_id: str) -> Markup:
    """A horizontal bar chart (plotly) as a `<div>` and its script; plotly.js itself is in the page head."""
    import plotly.graph_objects as go

    rows = rows[::-1]  # plotly draws the first bar at the bottom
    short = [r[0] if len(r[0]) <= LABEL_CHARS else r[0][:LABEL_CHARS - 1] + "…" for r in rows]
    fig = go.Figure(go.Bar(
        x=[r[1] for r in rows], y=list(range(len(rows))), orientation="h", marker_color=colour,
        customdata=[[r[0], r[2]] for r in rows],
        hovertemplate="%{customdata[0]}: %{x} mentions in %{customdata[1]} articles<extra></extra>"))
    fig.update_layout(height=max(180, 26 * len(rows) + 60), margin=dict(l=10, r=10, t=10, b=30),
                      template="plotly_white", font=dict(family="system-ui, sans-serif", size=12),
                      yaxis=dict(automargin=True, tickmode="array", tickvals=list(range(len(rows))), ticktext=short),
                      xaxis=dict(title="mentions", dtick=1 if rows and rows[-1][1] < 10 else None))
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                              config={"displaylogo": False, "responsive": True}))


# (key, title, table, id column, label column, NER type to fall back on while the table is empty)
CHARTS = (("countries", "Most mentioned countries", "countries", "iso2", "name_ru", None),
          ("organizations", "Most mentioned organizations", "organizations", "org_id", "normal", "ORG"),
          ("persons", "Most mentioned people", "persons", "person_id", "normal", "PER"))
KIND_OF_TABLE = {"countries": "country", "organizations": "organization", "persons": "person"}


ENTITY_TYPES = {"countries": "COUNTRY", "organizations": "ORG", "persons": "PER"}


def top_entities(entities: pd.DataFrame | None, table: str, n: int = TOP_N) -> list[tuple[str, int, int]]:
    """(canonical name, mentions, articles) of the `n` most mentioned entities of a kind."""
    if entities is None or entities.empty:
        return []
    df = entities[entities["type"] == ENTITY_TYPES[table]]
    ranked = sorted(zip(df["name"], df["mentions"], df["documents"], df["entity_id"]),
                    key=lambda r: (-int(r[1]), str(r[3])))[:n]
    return [(str(name) or str(key), int(m), int(d)) for name, m, d, key in ranked]


def chart_of(frames: dict[str, pd.DataFrame], key: str, title: str, table: str, by: str, label: str,
             fallback: str | None) -> dict:
    """One chart's data and plot: the entities table's names and counts; from the table's
    own rows in a folder written before it existed, and from the NER mentions when the
    normalized table has no rows."""
    df, note, colour = frames.get(table), "", COLOURS[KIND_OF_TABLE[table]]
    rows = top_entities(frames.get("entities"), table)
    if df is not None and len(df) and by in df and (df[by].fillna("") == "").all():
        by = label  # no ids yet: count by name
    if (df is None or df.empty) and fallback and "mentions" in frames:
        mentions = frames["mentions"]
        df, by, label = mentions[mentions["type"] == fallback], "normal", "normal"
        note, colour = f"from NER {fallback} mentions ({table}.csv has no rows)", COLOURS[fallback]
    rows = rows or top_counts(df, by, label)
    return {"key": key, "title": title, "note": note, "rows": rows,
            "html": bar_chart(rows, colour, f"chart-{key}") if rows else None}


@lru_cache(maxsize=1)
def plotly_js() -> Markup:
    from plotly.offline import get_plotlyjs

    return Markup(get_plotlyjs())


@dataclass
class Article:
    anchor: str
    doc_id: str
    published: str
    title: str
    exact: bool
    html: Markup
    counts: dict[str, int]
    entities: dict[str, list[tuple[str, str, int]]]


def entity_chips(rows: dict[str, list[dict]]) -> dict[str, list[tuple[str, str, int]]]:
    """Per kind: (name, detail, count) of each distinct entity of one article, most frequent first."""
    def chips(table: str, name: str, detail) -> list[tuple[str, str, int]]:
        counter = Counter((highlight.as_text(r.get(name)), detail(r)) for r in rows.get(table, []))
        return [(n, d, c) for (n, d), c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]

    return {
        "country": chips("countries", "name_ru", lambda r: highlight.as_text(r.get("iso2"))),
        "organization": chips("organizations", "normal", lambda r: highlight.as_text(r.get("org_id"))),
        "person": chips("persons", "normal", lambda r: highlight.as_text(r.get("person_id"))),
        "figure": chips("figures", "text", lambda r: highlight.figure_value(r)),
    }


def articles(frames: dict[str, pd.DataFrame], limit: int, bases: tuple[Path, ...] = ()) -> list[Article]:
    texts = highlight.document_texts(frames, bases)
    rows_by_doc = highlight.by_doc(frames)
    docs = frames["documents"].to_dict("records")[:limit]
    out = []
    for i, d in enumerate(docs):
        doc_id = highlight.as_text(d["doc_id"])
        text, exact = texts.get(doc_id, ("", False))
        rows = rows_by_doc.get(doc_id, {})
        blocks = highlight.resolve(highlight.spans_of(rows), text)
        counts = {t: len(rows.get(t, [])) for t in ("mentions", "countries", "organizations", "persons", "figures")}
        out.append(Article(f"doc-{i}", doc_id, highlight.as_text(d.get("published")), highlight.as_text(d.get("title")),
                           exact, highlight_html(text, blocks), counts, entity_chips(rows)))
    return out


def summary(frames: dict[str, pd.DataFrame]) -> list[tuple[str, str, str]]:
    """(value, what, detail) cards of the batch."""
    def fmt(count: int) -> str:
        return f"{count:,}".replace(",", "\u202f")

    def n(table: str) -> str:
        return fmt(len(frames.get(table, ())))

    def distinct(table: str, key: str) -> str:
        df = frames.get(table)
        return fmt(int(df[key].replace("", pd.NA).nunique()) if df is not None and key in df else 0)

    mentions = frames.get("mentions", pd.DataFrame(columns=["type"]))
    by_type = mentions["type"].value_counts() if len(mentions) else {}
    return [
        (n("documents"), "articles", f"{n('sentences')} sentences · {n('tokens')} tokens"),
        (n("mentions"), "NER mentions", " · ".join(f"{t} {fmt(int(by_type.get(t, 0)))}" for t in ("PER", "LOC", "ORG"))),
        (distinct("countries", "iso2"), "countries", f"{n('countries')} mentions"),
        (distinct("organizations", "org_id"), "organizations", f"{n('organizations')} mentions"),
        (distinct("persons", "person_id"), "persons", f"{n('persons')} mentions"),
        (n("figures"), "figures", f"{distinct('figures', 'kind')} kinds"),
        (n("errors"), "errors", "inputs not processed"),
    ]


def published_range(frames: dict[str, pd.DataFrame]) -> str:
    docs = frames["documents"]
    dates = docs["published"].replace("", pd.NA).dropna() if "published" in docs else pd.Series(dtype=str)
    if not len(dates):
        return ""
    return f"published {dates.min()} … {dates.max()}" if dates.min() != dates.max() else f"published {dates.min()}"


def figure_rows(frames: dict[str, pd.DataFrame], anchors: dict[str, str], limit: int) -> list[dict]:
    df = frames.get("figures")
    if df is None or df.empty:
        return []
    rows = []
    for r in df.head(limit).to_dict("records"):
        row = {c: highlight.as_text(r.get(c)) for c in FIGURE_COLUMNS}
        for c in ("value", "value_max"):
            row[c] = "" if pd.isna(r.get(c)) else plain_number(float(r[c]))
        row["doc_id"], row["anchor"] = str(r["doc_id"]), anchors.get(str(r["doc_id"]), "")
        rows.append(row)
    return rows


def batch_digest(documents: pd.DataFrame) -> str:
    """Which articles the tables hold, in 12 hex digits: the page names its batch this way
    rather than by the time it was made, so regenerating it on unchanged tables changes
    no byte of it."""
    digest = hashlib.sha256()
    for doc_id, sha in zip(documents["doc_id"], documents["sha256"]):
        digest.update(f"{doc_id}\t{sha}\n".encode())
    return digest.hexdigest()[:12]


def render(out_dir: str | Path, max_articles: int = MAX_ARTICLES) -> str:
    """The report page of an output folder, as HTML text."""
    from .cli import package_version  # here, not at the top: cli imports this module

    frames = load(out_dir)
    docs = articles(frames, max_articles, (Path(out_dir).resolve().parent,))
    anchors = {a.doc_id: a.anchor for a in docs}
    charts = [chart_of(frames, *spec) for spec in CHARTS]
    n_figures = len(frames.get("figures", ()))
    return environment().get_template("report.html.j2").render(
        out_dir=str(out_dir), version=package_version(),
        batch=batch_digest(frames["documents"]),
        plotly_js=plotly_js() if any(c["html"] for c in charts) else None,
        summary=summary(frames), published=published_range(frames), charts=charts, colours=COLOURS, kind_names=highlight.KIND_NAMES,
        figures=figure_rows(frames, anchors, MAX_FIGURES), n_figures=n_figures, max_figures=MAX_FIGURES,
        articles=docs, n_articles=len(frames["documents"]),
        errors=frames.get("errors", pd.DataFrame()).to_dict("records"))


def write_report(out_dir: str | Path, path: str | Path | None = None, max_articles: int = MAX_ARTICLES) -> Path:
    """Render the report of `out_dir` into `path` (default `out_dir/report.html`)."""
    path = Path(path) if path else Path(out_dir) / "report.html"
    path.write_text(render(out_dir, max_articles), encoding="utf-8")
    return path


def cmd_report(args: argparse.Namespace) -> int:
    out_dir = Path(args.out_dir)
    if not (out_dir / "datapackage.json").is_file():
        print(f"error: {out_dir} is not an output folder (no datapackage.json); run `ruextract run` first",
              file=sys.stderr)
        return 1
    path = write_report(out_dir, args.output, args.max_articles)
    print(f"report -> {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0
