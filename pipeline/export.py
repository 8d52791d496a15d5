"""Stage 6: the tidy tables as CSV, plus a Frictionless `datapackage.json`.

The table layouts live in `data/schema.json`; this module turns documents into rows,
rows into sorted DataFrames, and DataFrames into files written atomically (a temp file
in the same folder, then `os.replace`), so a crash never leaves a half-written table.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import datafiles
from .records import Document, Error

DOC_TABLES = ("sentences", "tokens", "mentions", "countries", "organizations", "persons", "figures")


@lru_cache(maxsize=1)
def schema() -> dict[str, dict]:
    return {t["name"]: t for t in datafiles.read_json("schema.json")["tables"]}


def columns(table: str) -> list[str]:
    return [f["name"] for f in schema()[table]["fields"]]


def plain_number(value: float | int | None) -> str:
    """A decimal without exponent or trailing zeros: 8100000, 2.5, 0.001."""
    if value is None or value != value:
        return ""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def document_row(doc: Document) -> dict:
    return {
        "doc_id": doc.doc_id, "source": doc.source, "sha256": doc.sha256, "published": doc.published,
        "n_chars": len(doc.text), "n_sentences": len(doc.sentences), "n_tokens": len(doc.tokens),
        "photo_credit": doc.photo_credit, "title": doc.title, "url": doc.url,
    }


def rows_of(doc: Document) -> dict[str, list[dict]]:
    """Every row one document contributes, by table name."""
    out = {"documents": [document_row(doc)]}
    for table in DOC_TABLES:
        rows = []
        for record in getattr(doc, table):
            row = {"doc_id": doc.doc_id, **asdict(record)}
            if table == "figures":
                row["value"], row["value_max"] = plain_number(row["value"]), plain_number(row["value_max"])
            rows.append(row)
        out[table] = rows
    return out


def error_row(error: Error) -> dict:
    return asdict(error)


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows as a DataFrame in contract column order and sort order, missing values as ''."""
    cols = columns(table)
    df = pd.DataFrame(rows, columns=cols)
    keys = [c for c in ("doc_id", "start", "stop", "sent_id", "token_id", "mention_id", "figure_id") if c in cols]
    if table == "errors":
        keys = ["source", "doc_id", "stage", "error"]
    if len(df):
        df = df.sort_values(keys, kind="stable").reset_index(drop=True)
    return df.fillna("")


def atomic_write(path: Path, write) -> None:
    """Call `write(file)` on a temp file beside `path`, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(df: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda f: df.to_csv(f, index=False, lineterminator="\n"))


def datapackage() -> dict:
    """The Frictionless descriptor of an output folder."""
    resources_ = []
    for name, table in schema().items():
        tschema = {"fields": table["fields"], "missingValues": [""]}
        if table.get("primaryKey"):
            tschema["primaryKey"] = table["primaryKey"]
        if table.get("foreignKeys"):
            tschema["foreignKeys"] = table["foreignKeys"]
        resources_.append({
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "scheme": "file", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "description": table["description"],
            "schema": tschema,
        })
    return {"name": "ruextract-output", "title": "Russian news extraction tables",
            "profile": "tabular-data-package", "resources": resources_}


def write_tables(frames: dict[str, pd.DataFrame], out: Path) -> None:
    """Write every table and the descriptor; each file appears whole or not at all."""
    out = Path(out)
    for name in schema():
        write_csv(frames.get(name, frame(name, [])), out / f"{name}.csv")
    atomic_write(out / "datapackage.json",
                 lambda f: f.write(json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n"))


def frames_of(docs: list[Document], errors: list[Error]) -> dict[str, pd.DataFrame]:
    tables: dict[str, list[dict]] = {name: [] for name in schema()}
    for doc in docs:
        for name, rows in rows_of(doc).items():
            tables[name].extend(rows)
    tables["errors"] = [error_row(e) for e in errors]
    return {name: frame(name, rows) for name, rows in tables.items()}
