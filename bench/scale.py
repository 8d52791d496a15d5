"""Benchmark: time and peak memory at 1x, 4x and 16x of a corpus, resume cost, disk.

    python bench/scale.py [TEXTS_DIR] [--sizes 1 4 16] [--repeat 1]

The corpus (NEREL train by default) is written as JSONL, repeated k times with fresh ids.
Each measure is a whole `ruextract run` in a fresh process, reporting the peak resident
memory of the process that writes the tables (VmHWM: with workers, the parent alone) and,
separately, of the largest worker. Then: a run killed (kill -9 of its process group) once
its checkpoint holds 60% of the articles, and the rerun's time against a full run's; the
bytes per article of every table as CSV and as Parquet; and a projection for an archive
of 1M articles. Read the ratios, not the seconds: the machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared/eval/data/nerel-train/texts"
WORK_DB = Path(".ruextract-work/run.sqlite")
# One run in a fresh process; prints its summary and the peak memory of this process.
RUNNER = """
import json, sys
from pipeline.batch import peak_memory_mb
from pipeline.run import run
opts = json.loads(sys.argv[1])
result = run([opts.pop("input")], opts.pop("out"), **opts)
s = result.summary
print(json.dumps({"seconds": s.seconds, "articles": s.articles, "resumed": s.resumed, "tokens": s.tokens,
                  "parent_mb": peak_memory_mb(), "worker_mb": s.peak_mb}))
"""


def write_corpus(texts: Path, copies: int, path: Path) -> int:
    files = sorted(texts.glob("*.txt"))
    with open(path, "w", encoding="utf-8") as f:
        for k in range(copies):
            for p in files:
                record = {"id": f"{p.stem}-{k}", "text": p.read_text(encoding="utf-8")}
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return copies * len(files)


def start(opts: dict) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", RUNNER, json.dumps(opts)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)


def measure(opts: dict) -> dict:
    proc = start(opts)
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"run failed: {opts}")
    return json.loads(out.strip().splitlines()[-1])


def committed(out: Path) -> int:
    try:
        with sqlite3.connect(f"file:{out / WORK_DB}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT COALESCE(SUM(articles), 0) FROM batches").fetchone()[0]
    except sqlite3.Error:
        return 0


def killed_at(opts: dict, n: int, fraction: float) -> tuple[int, int]:
    """Run until the checkpoint holds `fraction` of the articles, then kill -9 the group;
    returns the articles committed and the checkpoint's size in bytes."""
    proc = start(opts)
    out = Path(opts["out"])
    while (done := committed(out)) < fraction * n:
        if proc.poll() is not None:
            raise SystemExit("the run finished before it could be killed")
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    size = sum(p.stat().st_size for p in (out / WORK_DB).parent.iterdir())
    return done, size


def table_bytes(out: Path, suffix: str) -> dict[str, int]:
    return {p.stem: p.stat().st_size for p in sorted(out.glob(f"*.{suffix}"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("texts", nargs="?", default=str(DEFAULT_TEXTS))
    parser.add_argument("--sizes", nargs="+", type=int, default=[1, 4, 16])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--resume-size", type=int, default=4)
    parser.add_argument("--engines", nargs="+", default=["workers1", "workers2", "dask2"])
    args = parser.parse_args()
    configs = {"workers1": {"workers": 1}, "workers2": {"workers": 2},
               "dask2": {"workers": 2, "engine": "dask"}}

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpora = {k: tmp / f"x{k}.jsonl" for k in sorted(set(args.sizes) | {args.resume_size})}
        counts = {k: write_corpus(Path(args.texts), k, path) for k, path in corpora.items()}
        results: dict[str, dict[int, dict]] = {}
        for name in args.engines:
            results[name] = {}
            for k in args.sizes:
                runs = [measure({"input": str(corpora[k]), "out": str(tmp / f"{name}-{k}-{i}"), **configs[name]})
                        for i in range(args.repeat)]
                results[name][k] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                r = results[name][k]
                print(f"{name:9s} {k:3d}x {counts[k]:6d} articles: {r['seconds']:7.1f}s  "
                      f"{counts[k] / r['seconds']:6.1f} articles/s  parent {r['parent_mb']:5.0f} MB  "
                      f"worker {r['worker_mb']:5.0f} MB", flush=True)
            base = results[name][args.sizes[0]]
            for k in args.sizes[1:]:
                r = results[name][k]
                print(f"  {name} {k}x/{args.sizes[0]}x: time {r['seconds'] / base['seconds']:.2f}, "
                      f"parent memory {r['parent_mb'] / base['parent_mb']:.3f}, "
                      f"worker memory {r['worker_mb'] / base['worker_mb']:.3f}", flush=True)

        # Resume: kill at 60%, rerun the same command, against a full run of the same size.
        k, n = args.resume_size, counts[args.resume_size]
        opts = {"input": str(corpora[k]), "workers": 2}
        full = measure({**opts, "out": str(tmp / "full")})
        done, work_bytes = killed_at({**opts, "out": str(tmp / "resumed")}, n, 0.6)
        rerun = measure({**opts, "out": str(tmp / "resumed")})
        same = all((tmp / "full" / f).read_bytes() == (tmp / "resumed" / f).read_bytes()
                   for f in os.listdir(tmp / "full"))
        print(f"resume at {k}x ({n} articles, 2 workers): killed with {done} committed "
              f"({done / n:.0%}); rerun {rerun['seconds']:.1f}s vs full run {full['seconds']:.1f}s "
              f"= {rerun['seconds'] / full['seconds']:.2f}x; tables byte-identical: {same}")
        print(f"checkpoint on disk while running: {work_bytes / done / 1024:.1f} KB per committed article")

        # Disk per table, CSV and Parquet, and a projection for 1M articles.
        measure({**opts, "out": str(tmp / "parquet"), "fmt": "parquet"})
        csv_sizes, pq_sizes = table_bytes(tmp / "full", "csv"), table_bytes(tmp / "parquet", "parquet")
        one = results.get("workers1", {}).get(args.sizes[-1]) or full
        rate = one["articles"] / one["seconds"] / (1 if "workers1" in results else 2)
        print(f"\nprojection for 1,000,000 articles like these: {1e6 / rate / 3600:.1f} hours per core "
              f"({rate:.1f} articles/s on one core, end to end)")
        print(f"{'table':15s} {'CSV GB':>8s} {'Parquet GB':>11s}")
        for table in csv_sizes:
            print(f"{table:15s} {csv_sizes[table] / n * 1e6 / 1e9:8.2f} {pq_sizes.get(table, 0) / n * 1e6 / 1e9:11.2f}")
        print(f"{'all':15s} {sum(csv_sizes.values()) / n * 1e6 / 1e9:8.2f} "
              f"{sum(pq_sizes.values()) / n * 1e6 / 1e9:11.2f}")
        print(f"checkpoint (work folder, removed at the end): about "
              f"{work_bytes / done * 1e6 / 1e9:.1f} GB at its largest")


if __name__ == "__main__":
    main()
