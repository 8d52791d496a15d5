"""The parsers of the subcommands that read an output folder (`report`, `show`).

Their modules load pandas, jinja2 and rich, which `ruextract run` does not need: the handlers
import them when the subcommand runs, so a run starts without them.
"""
from __future__ import annotations

import argparse
from importlib import import_module

MAX_ARTICLES = 300  # articles the report shows in full


def handler(module: str, name: str):
    """`pipeline.MODULE.NAME`, imported when the subcommand runs."""
    def run(args: argparse.Namespace) -> int:
        return getattr(import_module(f"pipeline.{module}"), name)(args)
    return run


def add_report(sub) -> None:
    p = sub.add_parser("report", help="write a self-contained HTML report of an output folder",
                       description="Write OUT_DIR/report.html: batch summary, charts of the most mentioned "
                                   "countries, organizations and people, a sortable table of figures and every "
                                   "article with its entities highlighted. One file, works offline.")
    p.add_argument("out_dir", metavar="OUT_DIR", help="an output folder of `ruextract run`")
    p.add_argument("--output", "-o", help="where to write the page (default: OUT_DIR/report.html)")
    p.add_argument("--max-articles", type=int, default=MAX_ARTICLES,
                   help=f"articles shown in full (default {MAX_ARTICLES}); the summary and charts cover all")
    p.set_defaults(handler=handler("report", "cmd_report"))


def add_show(sub) -> None:
    p = sub.add_parser("show", help="print one article with its entities highlighted",
                       description="Print one article of an output folder in the terminal, entities and "
                                   "figures highlighted by kind with their normalized forms, then its tables.")
    p.add_argument("doc_id", metavar="DOC_ID", help="the article's doc_id")
    p.add_argument("--out", "-o", default="outputs", help="output folder (default: outputs)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colours: auto (when printing to a terminal), always or never")
    p.add_argument("--plain", action="store_true", help="no ⟨normal form⟩ notes after the entities")
    p.set_defaults(handler=handler("show", "cmd_show"))
