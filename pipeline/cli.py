"""The `ruextract` command line."""
from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version

from tqdm import tqdm

from . import ingest
from .run import BATCH_SIZE, run


def package_version() -> str:
    try:
        return version("ruextract")
    except PackageNotFoundError:
        return "unknown"


# Further subcommands: functions that add a subparser to `sub` and set its `handler`.
COMMANDS: list = []


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ruextract",
        description="Extract tokens, entities, countries, organizations, persons and figures "
                    "from Russian news into tidy CSV tables.")
    parser.add_argument("--version", action="version", version=f"ruextract {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="process articles into tables",
                       description="Process articles (folders, .txt files, globs, JSONL or CSV with id,text) "
                                   "and write the tables of the output contract into --out.")
    p.add_argument("inputs", nargs="+", help="folders, files or globs")
    p.add_argument("--out", "-o", default="outputs", help="output folder (default: outputs)")
    p.add_argument("--strict", action="store_true", help="exit non-zero if any input failed")
    p.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="documents per batch")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_run)
    for add_command in COMMANDS:
        add_command(sub)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    paths = ingest.expand(args.inputs)
    bar = tqdm(total=None, unit="doc", disable=True if args.quiet else None, file=sys.stderr,
               desc="ruextract", leave=False)
    try:
        result = run(paths, args.out, batch_size=args.batch_size, progress=bar.update)
    finally:
        bar.close()
    for err in result.errors:
        print(f"error: {err.error}", file=sys.stderr)
    print(result.summary.line() + f" -> {args.out}")
    if result.summary.articles == 0:
        return 1
    if args.strict and result.errors:
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
