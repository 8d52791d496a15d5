"""Python API: texts in, the same tables as DataFrames out; and an output folder loader."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from . import rows
from .batch import batches, process_batch
from .entities import Dates, Entities
from .ingest import STAGE, make_document
from .merge import RELINKED, relinked
from .records import Document, Error

PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "string": "string"}


def extract(texts: str | Iterable[str] | Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """Tables for one text, many texts (ids 0, 1, …) or a mapping of id → text; a text that
    is no string (NaN) or no valid Unicode is a row of the errors table."""
    if isinstance(texts, str):
        texts = [texts]
    items = texts.items() if isinstance(texts, Mapping) else enumerate(texts)
    docs = (document(str(i), t) for i, t in items)
    tables: dict[str, list[tuple]] = {name: [] for name in rows.article_tables()}
    for batch in batches(docs):
        for name, table_rows in process_batch(batch, pack=False).rows.items():
            tables[name].extend(table_rows)
    for name, table_rows in tables.items():
        table_rows.sort(key=rows.sort_key(name))
    entities = Entities()
    frames = {}
    for name, table_rows in tables.items():  # the same cross-document steps as `merge`
        final = relinked(lambda: iter(table_rows)) if name == RELINKED else table_rows
        final = entities.watch(name, final, Dates(tables["documents"]))
        frames[name] = frame(name, list(final))
    frames["entities"] = frame("entities", entities.rows())
    return frames


def document(doc_id: str, text: object) -> Document | Error:
    """A text as a document, or as a row of the errors table when it is no string (NaN from
    a pandas column) or no valid Unicode: the other texts go on, as in a run."""
    problem = "" if isinstance(text, str) else f"the text must be a string, not {type(text).__name__}"
    if not problem:
        try:
            return make_document(doc_id, "<text>", text, text.encode("utf-8"))
        except UnicodeEncodeError as e:
            problem = f"the text is not valid Unicode (a lone surrogate at character {e.start})"
    return Error("<text>", doc_id, STAGE, f"{doc_id}: {problem}")


def frame(table: str, table_rows: list) -> pd.DataFrame:
    return pd.DataFrame(table_rows, columns=list(rows.columns(table)))


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read an output folder back into DataFrames typed as its datapackage.json says."""
    out_dir = Path(out_dir)
    package = json.loads((out_dir / "datapackage.json").read_text("utf-8"))
    frames = {}
    for res in package["resources"]:
        fields = res["schema"]["fields"]
        dtypes = {f["name"]: PANDAS_TYPES.get(f["type"], "string") for f in fields}
        path = out_dir / res["path"]
        if res.get("format") == "parquet":
            df = pd.read_parquet(path).astype(str).replace({"nan": "", "None": "", "<NA>": ""})
        else:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for col, dtype in dtypes.items():
            if col in df:
                df[col] = df[col].replace("", pd.NA).astype(dtype) if dtype != "string" else df[col].astype(dtype)
        frames[res["name"]] = df
    return frames
