"""Dask on a real cluster: `dask scheduler` and `dask worker --nworkers 2 --nthreads 1`
started as separate processes, as a user would; the tables equal a local run's."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from corpus import write_folder, write_jsonl  # noqa: E402
from faults import FAULTY_STAGES, STALL  # noqa: E402
from pipeline.cli import main  # noqa: E402
from pipeline.engines import shipper  # noqa: E402
from pipeline.ingest import read  # noqa: E402
from pipeline.run import run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


def table_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    from dask.distributed import Client

    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        dask = Path(shutil.which("dask") or "dask")
    base = tmp_path_factory.mktemp("cluster")
    address_file = base / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": base}
    procs = [subprocess.Popen([str(dask), "scheduler", "--scheduler-file", str(address_file), "--port", "0",
                               "--no-dashboard"], **quiet)]
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        procs.append(subprocess.Popen([str(dask), "worker", "--scheduler-file", str(address_file), "--nworkers", "2",
                                       "--nthreads", "1", "--no-dashboard"], **quiet))
        with Client(scheduler_file=str(address_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            address = client.scheduler.address
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.parametrize("shape", ["files", "jsonl"])
def test_a_real_cluster_writes_the_tables_of_a_local_run(tmp_path, scheduler, shape):
    if shape == "files":
        inputs = write_folder(tmp_path / "in", 40, sentences=6)
    else:
        inputs = write_jsonl(tmp_path / "in.jsonl", 40, sentences=6)
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert main(["run", str(inputs), "--out", str(local), "-q", "--workers", "1"]) == 0
    assert main(["run", str(inputs), "--out", str(remote), "-q", "--engine", "dask", "--scheduler", scheduler,
                 "--batch-size", "4"]) == 0
    assert table_bytes(remote) == table_bytes(local)


def test_a_slow_article_on_the_cluster_is_an_error_and_the_rest_is_written(tmp_path, scheduler):
    inputs = write_folder(tmp_path / "in", 6, sentences=3)
    (inputs / "slow.txt").write_text(f"Совещание в Омске. {STALL}.", encoding="utf-8")
    out = tmp_path / "out"
    result = run([inputs], out, engine="dask", scheduler=scheduler, batch_size=3, stages=FAULTY_STAGES,
                 doc_timeout=2)
    with open(out / "errors.csv", encoding="utf-8", newline="") as f:
        errors = list(csv.DictReader(f))
    assert [(e["doc_id"], e["stage"]) for e in errors] == [("slow", "misbehave")]
    assert "2 s limit" in errors[0]["error"]
    assert result.summary.articles == 6


class FakeClient:
    def __init__(self, sees: bool):
        self.sees, self.asked = sees, 0

    def run(self, fn, path):
        self.asked += 1
        return {"tcp://w1": self.sees and fn(path), "tcp://w2": self.sees and fn(path)}


def test_articles_go_to_workers_as_paths_when_they_can_read_them(tmp_path):
    inputs = write_folder(tmp_path / "in", 3, sentences=2)
    docs = list(read([inputs]))
    seeing, blind = FakeClient(True), FakeClient(False)
    to_seeing, to_blind = shipper(seeing), shipper(blind)
    assert all(to_seeing(d).text == "" and to_seeing(d).ref == d.ref for d in docs)
    assert [to_blind(d).text for d in docs] == [d.text for d in docs]
    assert seeing.asked == 1  # once per folder, not per article
