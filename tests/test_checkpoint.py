"""Checkpoint and resume: a run killed mid-work (kill -9 of its process group) is finished
by the same command, without redoing its finished batches, into the same tables."""
from __future__ import annotations

import csv
import errno
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus import write_jsonl
from pipeline import export, rows
from pipeline.checkpoint import WORK_DIR
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
N = 160


def table_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("resume")
    inputs = write_jsonl(base / "news.jsonl", N)
    full = base / "full"
    assert main(["run", str(inputs), "--out", str(full), "-q", "--workers", "1", "--batch-size", "8"]) == 0
    return inputs, full


def committed_articles(out: Path, recover: bool = False) -> int:
    """What the run's own checkpoint says it has finished. While the run writes, read only;
    after it was killed, `recover`: a writer killed between its WAL commit and the update of
    the WAL index leaves that index stale, and only a read-write connection rebuilds it (as
    the resuming run does), so a read-only look may miss the last batch."""
    path = out / WORK_DIR / "run.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}" + ("" if recover else "?mode=ro"), uri=True, timeout=1) as db:
            return db.execute("SELECT COALESCE(SUM(articles), 0) FROM batches").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def mid_work(out: Path, args: list[str], articles: float, **popen) -> subprocess.Popen:
    """`ruextract run ARGS --out OUT -q` started in a process group of its own, returned once
    its checkpoint says `articles` are committed: mid-work, whatever the machine's speed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    popen.setdefault("stderr", subprocess.DEVNULL)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", *args, "--out", str(out), "-q"], env=env,
                            stdout=subprocess.DEVNULL, start_new_session=True, **popen)
    try:
        while committed_articles(out) < articles:
            assert proc.poll() is None, "the run ended before it was mid-work"
            time.sleep(0.05)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return proc


def kill_when(out: Path, args: list[str], fraction: float) -> int:
    """Start `ruextract run`, kill -9 its process group once `fraction` of the articles
    are committed; returns how many were."""
    proc = mid_work(out, args, fraction * N)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return committed_articles(out, recover=True)  # a batch may have landed between the last look and the kill


def test_a_second_run_into_a_folder_being_written_stops_and_the_first_ends_whole(tmp_path, corpus, capsys):
    """Two runs into one folder (a cron job that overlaps the last one): the second once
    removed the first one's work store and both wrote the tables, the last one winning."""
    inputs, full = corpus
    out = tmp_path / "out"
    first = mid_work(out, [str(inputs), "--workers", "1", "--batch-size", "8"], 1)  # the tables not yet written
    try:
        seed = tmp_path / "one.jsonl"
        seed.write_text('{"id": "other", "text": "Делегация Китая прибыла в Москву."}\n', encoding="utf-8")
        assert main(["run", str(seed), "--out", str(out), "-q"]) == 1
        assert capsys.readouterr().err.strip() == (
            f"ruextract: error: {out}: another ruextract run is writing into this folder; "
            "wait for it to end, or write into another --out")
        assert first.poll() is None, "the first run ended before the second was refused: not a test of the hold"
    finally:
        assert first.wait(timeout=300) == 0
    assert table_bytes(out) == table_bytes(full)


def test_ctrl_c_mid_work_says_how_to_go_on_and_the_rerun_finishes(tmp_path, corpus, capsys):
    inputs, full = corpus
    out = tmp_path / "out"
    proc = mid_work(out, [str(inputs), "--workers", "2", "--batch-size", "8"], 1, stderr=subprocess.PIPE, text=True,
                    # a suite started in the background inherits SIGINT ignored, as its children would
                    preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip() == ("ruextract: interrupted; run the same command again to go on: the batches "
                           "finished so far are kept and not redone")
    assert main(["run", str(inputs), "--out", str(out), "-q", "--workers", "2", "--batch-size", "8"]) == 0
    assert "done before the interruption" in capsys.readouterr().out
    assert table_bytes(out) == table_bytes(full)


def test_a_file_system_without_locks_runs_unguarded(tmp_path, monkeypatch):
    fcntl = pytest.importorskip("fcntl")

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")  # NFS without lockd
    monkeypatch.setattr(fcntl, "flock", no_locks)
    (tmp_path / "a.txt").write_text("Делегация Китая прибыла в Москву.", encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "-q"]) == 0
    assert (tmp_path / "out" / "countries.csv").read_text(encoding="utf-8").count("CN") == 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_killed_run_resumes_without_redoing_finished_batches(tmp_path, corpus, capsys, workers):
    inputs, full = corpus
    out = tmp_path / "out"
    args = [str(inputs), "--workers", workers, "--batch-size", "8"]
    done = kill_when(out, args, 0.6)
    assert 0.6 * N <= done < N
    assert not (out / "documents.csv").exists()  # it was killed mid-work, before any table
    capsys.readouterr()
    assert main(["run", *args, "--out", str(out), "-q"]) == 0
    line = capsys.readouterr().out
    assert f"{N} articles ({done} done before the interruption)" in line
    assert table_bytes(out) == table_bytes(full)
    assert not (out / WORK_DIR).exists()


def test_a_crash_while_writing_the_tables_is_finished_by_a_rerun(tmp_path, corpus, monkeypatch):
    inputs, full = corpus
    out = tmp_path / "out"
    small = write_jsonl(tmp_path / "small.jsonl", 10, seed=3, prefix="s")
    assert main(["run", str(small), "--out", str(out), "-q"]) == 0  # a folder with earlier tables
    before = table_bytes(out)
    written = []
    real_write = export.write_rows

    def crash_after_three(table, rows, *a, **kw):
        if len(written) == 3:
            raise OSError("power cut")
        real_write(table, rows, *a, **kw)
        written.append(table)

    monkeypatch.setattr(export, "write_rows", crash_after_three)
    assert main(["run", str(inputs), "--out", str(out), "-q", "--workers", "1"]) == 1  # said in one line
    after_crash = table_bytes(out)
    assert [name for name in before if after_crash[name] != before[name]] == [f"{t}.csv" for t in written]
    monkeypatch.setattr(export, "write_rows", real_write)
    assert main(["run", str(inputs), "--out", str(out), "-q", "--workers", "1"]) == 0

    expected = tmp_path / "expected"
    assert main(["run", str(small), "--out", str(expected), "-q"]) == 0
    assert main(["run", str(inputs), "--out", str(expected), "-q", "--workers", "1"]) == 0
    assert table_bytes(out) == table_bytes(expected)


def readable_tables(out: Path) -> None:
    for name in rows.schema():
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as f:
            lines = list(csv.reader(f))
        assert lines and lines[0] == list(rows.columns(name)), name
        assert all(len(line) == len(lines[0]) for line in lines), name


def test_killing_a_run_leaves_the_previous_tables_whole(tmp_path, corpus):
    inputs, full = corpus
    out = tmp_path / "out"
    small = write_jsonl(tmp_path / "small.jsonl", 10, seed=3, prefix="s")
    assert main(["run", str(small), "--out", str(out), "-q"]) == 0
    before = table_bytes(out)
    for fraction in (0.1, 0.5):
        kill_when(out, [str(inputs), "--workers", "1", "--batch-size", "8"], fraction)
        readable_tables(out)
        assert {k: v for k, v in table_bytes(out).items()} == before
    assert main(["run", str(inputs), "--out", str(out), "-q", "--workers", "1"]) == 0
    readable_tables(out)
    assert len((out / "documents.csv").read_text(encoding="utf-8").splitlines()) == 1 + 10 + N
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_changed_command_starts_afresh(tmp_path, corpus, capsys):
    inputs, full = corpus
    out = tmp_path / "out"
    kill_when(out, [str(inputs), "--workers", "1", "--batch-size", "8"], 0.2)
    other = write_jsonl(tmp_path / "other.jsonl", 6, seed=11)
    capsys.readouterr()
    assert main(["run", str(other), "--out", str(out), "-q"]) == 0
    assert "6 articles, " in capsys.readouterr().out  # nothing of the killed run's articles
    docs = (out / "documents.csv").read_text(encoding="utf-8").splitlines()
    assert len(docs) == 1 + 6
