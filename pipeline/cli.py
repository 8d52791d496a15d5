"""The `ruextract` command line."""
from __future__ import annotations

import os

# The pipeline's matrix products run on one BLAS thread (`models.one_blas_thread`), so the
# thread pool OpenBLAS starts with numpy only spins: 0.1 s of CPU a process as it starts,
# three times in a 2-worker run while the cores are busiest. Set before numpy loads, for
# this process and the workers it spawns; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from importlib.metadata import PackageNotFoundError, version  # noqa: E402

from tqdm import tqdm  # noqa: E402

from . import commands, info, ingest  # noqa: E402
from .batch import BATCH_SIZE, DOC_TIMEOUT  # noqa: E402
from .checkpoint import FolderBusy  # noqa: E402
from .merge import TableError  # noqa: E402
from .run import PARALLEL_BATCH_SIZE, default_workers, run  # noqa: E402


def package_version() -> str:
    try:
        return version("ruextract")
    except PackageNotFoundError:
        return "unknown"


# Further subcommands: functions that add a subparser to `sub` and set its `handler`.
COMMANDS: list = []
COMMANDS += [commands.add_report, commands.add_show, info.add_command]


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
    p.add_argument("--batch-size", type=int, default=None,
                   help=f"documents per batch (default {BATCH_SIZE}, {PARALLEL_BATCH_SIZE} with workers)")
    p.add_argument("--workers", "-j", type=int, default=None,
                   help="worker processes, each loading the models once (default: the number of cores)")
    p.add_argument("--force", action="store_true",
                   help="reprocess articles already in --out even when unchanged")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="run batches here (local) or on a Dask distributed cluster")
    p.add_argument("--scheduler", default=None,
                   help="Dask scheduler address (tcp://host:8786); without it a local cluster is started")
    p.add_argument("--format", dest="fmt", choices=["csv", "parquet"], default="csv", help="table format")
    p.add_argument("--excel", action="store_true", help="CSV with a UTF-8 BOM, so Excel shows Cyrillic")
    p.add_argument("--max-mb", type=float, default=ingest.MAX_ARTICLE_MB,
                   help=f"largest article to process, in MB (default {ingest.MAX_ARTICLE_MB:g})")
    p.add_argument("--doc-timeout", type=float, default=DOC_TIMEOUT, metavar="SECONDS",
                   help=f"time one article may take; past it, it is listed in errors.csv and the batch goes on "
                        f"(default {DOC_TIMEOUT:g}; 0: no limit)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_run)
    for add_command in COMMANDS:
        add_command(sub)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        print(f"ruextract: error: --out {args.out} is a file, not a folder", file=sys.stderr)
        return 2
    paths = ingest.expand(args.inputs)
    records = any(p.suffix.lower() in ingest.RECORD_SUFFIXES for p in paths)
    workers = args.workers or default_workers()
    # Worker processes pay a model load each: not worth it for a handful of files.
    if not records and args.engine == "local":
        workers = max(1, min(workers, len(paths) // PARALLEL_BATCH_SIZE))
    bar = tqdm(total=None if records else len(paths), unit="doc", disable=True if args.quiet else None,
               file=sys.stderr, desc="ruextract", leave=False)
    def report_error(error) -> None:
        bar.write(f"error: {error.error}", file=sys.stderr)

    kept = "the batches finished so far are kept and not redone"
    try:
        result = run(paths, args.out, batch_size=args.batch_size, workers=workers, engine=args.engine,
                     scheduler=args.scheduler, force=args.force, fmt=args.fmt, excel=args.excel, max_mb=args.max_mb,
                     doc_timeout=args.doc_timeout or None, progress=bar.update, on_error=report_error)
    except KeyboardInterrupt:
        return failed(bar, f"interrupted; run the same command again to go on: {kept}", 130)  # as a shell says
    except FolderBusy as e:
        return failed(bar, f"error: {e}")
    except (OSError, TableError) as e:  # the output folder: no space, no permission, a damaged table
        mend = " (restore that table, or move it away to start it afresh)" if isinstance(e, TableError) else ""
        return failed(bar, f"error: {e}; run the same command again once it is mended{mend}: {kept}")
    finally:
        bar.close()
    summary = result.summary
    print(summary.line() + f" -> {args.out}")
    if summary.articles + summary.skipped == 0:
        return 1
    if args.strict and summary.errors:
        return 1
    return 0


def failed(bar: tqdm, message: str, code: int = 1) -> int:
    """A run that ended early, said in one line once the progress bar is gone."""
    bar.close()
    print(f"ruextract: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # `ruextract info | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
