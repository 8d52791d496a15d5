"""Batch runs: incremental updates, workers, Dask, Parquet, Excel."""
from __future__ import annotations

import csv
import multiprocessing
import threading
from pathlib import Path

import pytest

from pipeline import rows
from pipeline.cli import main
from pipeline.run import run

ARTICLES = {
    "a1": "Делегации из Китая и Индии посетили Москву. Об этом сообщил Сергей Собянин.",
    "a2": "Компания «Яндекс» вложила 2,5 млрд рублей в 27 проектов в Казани.",
    "a3": "Министерство иностранных дел России провело около 100 встреч за четыре года.",
    "a4": "В 2024 году в Санкт-Петербурге открылись 90 новых школ, сообщила Наталья Сергунина.",
}


def write_articles(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in articles.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


def table_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("full")
    inputs = write_articles(base / "in", ARTICLES)
    assert main(["run", str(inputs), "--out", str(base / "out"), "-q", "--workers", "1"]) == 0
    return inputs, base / "out"


def test_incremental_run_equals_one_run_over_all(tmp_path, full_run, capsys):
    _, full_out = full_run
    first = write_articles(tmp_path / "day1", {k: ARTICLES[k] for k in ("a1", "a3")})
    second = write_articles(tmp_path / "day2", {k: ARTICLES[k] for k in ("a2", "a4")})
    out = tmp_path / "out"
    assert main(["run", str(first), "--out", str(out), "-q"]) == 0
    assert main(["run", str(second), "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    full = {k: v for k, v in table_bytes(full_out).items()}
    inc = table_bytes(out)
    for name in full:
        if name == "documents.csv":  # sources differ: the inputs live in other folders
            continue
        assert inc[name] == full[name], name


def test_unchanged_articles_are_skipped_and_changed_ones_replaced(tmp_path, capsys):
    inputs = write_articles(tmp_path / "in", {"a1": ARTICLES["a1"], "a2": ARTICLES["a2"]})
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    assert main(["run", str(inputs), "--out", str(out), "-q"]) == 0
    assert "0 articles (2 unchanged, skipped)" in capsys.readouterr().out
    (inputs / "a1.txt").write_text("Делегация из Бразилии прибыла в Омск.", encoding="utf-8")
    assert main(["run", str(inputs), "--out", str(out), "-q"]) == 0
    assert "1 articles (1 unchanged, skipped)" in capsys.readouterr().out
    mentions = list(csv.DictReader(open(out / "mentions.csv", encoding="utf-8")))
    a1 = {m["text"] for m in mentions if m["doc_id"] == "a1"}
    assert "Омск" in a1 and "Москву" not in a1
    assert main(["run", str(inputs), "--out", str(out), "-q", "--force"]) == 0
    assert "2 articles" in capsys.readouterr().out


def test_two_workers_write_the_same_tables(tmp_path, full_run):
    inputs, full_out = full_run
    out = tmp_path / "out"
    # the API: the CLI would run a handful of files on one worker
    assert run([inputs], out, workers=2, batch_size=1).summary.articles == len(ARTICLES)
    assert table_bytes(out) == table_bytes(full_out)
    # the pool winds down while the tables are written, and is gone when the run returns
    assert multiprocessing.active_children() == []
    assert not [t for t in threading.enumerate() if t.name == "ruextract-pool-join"]


def test_with_workers_the_person_keys_are_decided_in_one_of_them(tmp_path, full_run, monkeypatch):
    """The parent writes the other tables meanwhile; linking here would fail."""
    from pipeline import merge

    def not_here(rows):
        raise AssertionError("person keys decided in the parent")

    inputs, full_out = full_run
    monkeypatch.setattr(merge, "linked", not_here)
    run([inputs], tmp_path / "out", workers=2, batch_size=1)
    assert table_bytes(tmp_path / "out") == table_bytes(full_out)


def test_a_worker_that_fails_the_person_keys_leaves_them_to_the_parent(tmp_path, full_run, monkeypatch):
    from concurrent.futures import Future

    from pipeline import engines

    def failing(self, fn, *args):
        future = Future()
        future.set_exception(RuntimeError("worker lost"))
        return future

    inputs, full_out = full_run
    monkeypatch.setattr(engines.Processes, "submit", failing)
    run([inputs], tmp_path / "out", workers=2, batch_size=1)
    assert table_bytes(tmp_path / "out") == table_bytes(full_out)


def test_an_incremental_run_on_workers_keys_old_and_new_persons_as_one_run(tmp_path, full_run):
    """The worker that decides the keys reads the folder's earlier persons rows too."""
    _, full_out = full_run
    first = write_articles(tmp_path / "day1", {k: ARTICLES[k] for k in ("a1", "a3")})
    second = write_articles(tmp_path / "day2", {k: ARTICLES[k] for k in ("a2", "a4")})
    out = tmp_path / "out"
    run([first], out, workers=2, batch_size=1)
    run([second], out, workers=2, batch_size=1)
    full, inc = table_bytes(full_out), table_bytes(out)
    assert {k: v for k, v in inc.items() if k != "documents.csv"} == {k: v for k, v in full.items() if k != "documents.csv"}


def test_the_last_batches_are_cut_smaller_and_nothing_is_lost_or_reordered():
    from pipeline.batch import tapered

    cut = list(tapered(([i] * 8 for i in range(6)), hold=2, pieces=4))
    assert [len(b) for b in cut] == [8, 8, 8, 8] + [2] * 8
    assert [x for b in cut for x in b] == [i for i in range(6) for _ in range(8)]
    assert [len(b) for b in tapered([[1, 2, 3]], hold=4)] == [1, 1, 1]
    assert list(tapered([], hold=4)) == []


BLAS_THREADS = """
import json, threadpoolctl
import pipeline.cli
from pipeline.engines import Processes

def openblas(info):
    return [lib["num_threads"] for lib in info if lib["internal_api"] == "openblas"]

pool = Processes(1, None)
try:
    print(json.dumps([openblas(threadpoolctl.threadpool_info()), openblas(pool.submit(threadpoolctl.threadpool_info).result())]))
finally:
    pool.join()
"""


@pytest.mark.parametrize("preset, threads", [(None, 1), ("2", 2)])
def test_the_command_and_its_workers_start_openblas_on_one_thread_unless_told_otherwise(preset, threads):
    """The pipeline multiplies on one BLAS thread: OpenBLAS's pool would only spin as each
    process starts. A value the user set stays."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset:
        env["OPENBLAS_NUM_THREADS"] = preset
    out = subprocess.run([sys.executable, "-c", BLAS_THREADS], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [[threads], [threads]]


def test_dask_local_cluster_writes_the_same_tables(tmp_path, full_run):
    pytest.importorskip("dask.distributed")
    inputs, full_out = full_run
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "-q", "--engine", "dask", "--workers", "2",
                 "--batch-size", "2"]) == 0
    assert table_bytes(out) == table_bytes(full_out)


def test_parquet_tables_load_like_csv(tmp_path, full_run):
    pytest.importorskip("pyarrow")
    import pipeline

    inputs, full_out = full_run
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "-q", "--format", "parquet"]) == 0
    assert (out / "tokens.parquet").exists() and not (out / "tokens.csv").exists()
    from_parquet, from_csv = pipeline.load(out), pipeline.load(full_out)
    for name in ("tokens", "mentions", "figures", "countries"):
        a, b = from_parquet[name], from_csv[name]
        assert list(a.columns) == list(b.columns)
        assert a.astype(str).values.tolist() == b.astype(str).values.tolist(), name


def test_excel_csv_has_a_bom_and_loads_back(tmp_path, full_run):
    import pipeline

    inputs, full_out = full_run
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "-q", "--excel"]) == 0
    assert (out / "mentions.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_id,")
    assert not (full_out / "mentions.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert pipeline.load(out)["mentions"].equals(pipeline.load(full_out)["mentions"])


def test_parquet_updates_stream_and_equal_one_run_over_all(tmp_path, full_run, monkeypatch):
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    import pipeline
    from pipeline import export

    monkeypatch.setattr(export, "PARQUET_ROW_GROUP", 10)
    inputs, full_out = full_run
    first = write_articles(tmp_path / "day1", {k: ARTICLES[k] for k in ("a1", "a3")})
    second = write_articles(tmp_path / "day2", {k: ARTICLES[k] for k in ("a2", "a4")})
    out = tmp_path / "out"
    assert main(["run", str(first), "--out", str(out), "-q", "--format", "parquet"]) == 0
    assert main(["run", str(second), "--out", str(out), "-q", "--format", "parquet"]) == 0
    incremental, once = pipeline.load(out), pipeline.load(full_out)
    for name in once:
        if name == "documents":  # sources differ: the inputs live in other folders
            continue
        a, b = incremental[name], once[name]
        assert a.astype(str).values.tolist() == b.astype(str).values.tolist(), name
    tokens = pq.ParquetFile(out / "tokens.parquet")
    assert tokens.schema_arrow.field("start").type == "int64"
    assert tokens.metadata.num_row_groups == -(-tokens.metadata.num_rows // 10)  # written 10 rows at a time


def test_the_cycle_collector_is_off_while_a_batch_runs_and_back_on_after():
    import gc

    from pipeline.batch import process_batch
    from pipeline.ingest import make_document

    seen = []

    def stage(docs):
        seen.append(gc.isenabled())
        return docs

    text = "Министр прибыл в Казань во вторник."
    assert gc.isenabled()
    result = process_batch([make_document("g", "<g>", text, text.encode())], stages=[("probe", stage)])
    assert seen == [False] and gc.isenabled() and result.summary.articles == 1
    gc.disable()
    try:
        process_batch([make_document("g", "<g>", text, text.encode())], stages=[("probe", stage)])
        assert not gc.isenabled()  # a caller's own choice is left as it was
    finally:
        gc.enable()


def test_a_worker_whose_models_fail_to_load_starts_and_its_first_batch_says_why(monkeypatch):
    from pipeline import batch, models
    from pipeline.ingest import make_document

    def damaged():
        raise OSError("the tagger's weights are damaged")

    monkeypatch.setattr(models, "load", damaged)
    batch.warm_up()  # a worker's initializer that raised would be restarted for ever
    text = "Депутаты собрались в Твери в среду."
    with pytest.raises(OSError, match="damaged"):  # the engine makes it each article's error
        batch.process_batch([make_document("g", "<g>", text, text.encode())], doc_timeout=5)


def test_the_sweeper_freezes_what_a_batch_leaves_and_frees_its_cycles_every_few_batches():
    import gc
    import weakref

    from pipeline.batch import Sweeper, collector_paused

    class Node:
        pass

    def batch_leaving_a_cycle() -> weakref.ref:
        a, b = Node(), Node()
        a.other, b.other = b, a  # unreachable once the batch is done: only the collector frees it
        return weakref.ref(a)

    sweeper = Sweeper(every=2)
    try:
        with collector_paused(sweeper):
            first = batch_leaving_a_cycle()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        gc.collect()
        assert first() is not None  # frozen: no collection walks it
        with collector_paused(sweeper):
            pass
        assert first() is None  # the second batch's sweep freed it
    finally:
        gc.unfreeze()
