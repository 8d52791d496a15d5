"""Time limits: an article that takes too long, hangs or kills its worker becomes one
error row; the other articles of its batch are written as if it had not been there."""
from __future__ import annotations

import csv
import re
import threading
import time
from pathlib import Path

import pytest

from faults import CRASH, FAULTY_STAGES, STALL, STALL_IN_C
from pipeline.deadline import TimeLimit, time_limit
from pipeline.run import run

GOOD = {
    "g1": "Делегация из Китая прибыла в Казань. Её встретил Марат Хуснуллин.",
    "g2": "Минфин выделил 2,5 млрд рублей на ремонт 40 мостов в Самаре.",
    "g3": "Около 300 компаний из Индии приняли участие в форуме в Москве.",
}


def spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


@pytest.mark.parametrize("in_thread", [False, True])
def test_time_limit_stops_python_code_in_any_thread(in_thread):
    outcome = {}

    def body():
        started = time.perf_counter()
        try:
            with time_limit(0.2):
                spin(10)
        except TimeLimit:
            outcome["stopped_after"] = time.perf_counter() - started
        with time_limit(0.2):  # a block that ends in time leaves nothing pending
            spin(0.05)
        spin(0.4)
        outcome["clean"] = True

    if in_thread:
        thread = threading.Thread(target=body)
        thread.start()
        thread.join()
    else:
        body()
    assert outcome["stopped_after"] < 2 and outcome["clean"]


def test_time_limit_stops_a_regex_that_backtracks():
    started = time.perf_counter()
    with pytest.raises(TimeLimit):
        with time_limit(0.2):
            re.search(r"(a|aa)+$", "a" * 60 + "b")
    assert time.perf_counter() - started < 3


def write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in articles.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


def table(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("good")
    out = base / "out"
    run([write(base / "in", GOOD)], out, stages=FAULTY_STAGES)
    return out


def assert_good_rows_intact(out: Path, good_out: Path) -> None:
    for name in ("tokens", "mentions", "countries", "figures", "persons", "organizations"):
        assert table(out, name) == table(good_out, name), name


def test_a_slow_article_is_an_error_and_its_batch_goes_on(tmp_path, good_run):
    articles = {**GOOD, "slow": f"Совещание в Омске. {STALL} здесь."}
    started = time.perf_counter()
    result = run([write(tmp_path / "in", articles)], tmp_path / "out", stages=FAULTY_STAGES, doc_timeout=1)
    assert time.perf_counter() - started < 30
    errors = table(tmp_path / "out", "errors")
    assert [(e["doc_id"], e["stage"]) for e in errors] == [("slow", "misbehave")]
    assert "slow.txt" in errors[0]["error"] and "1 s limit" in errors[0]["error"]
    assert [d["doc_id"] for d in table(tmp_path / "out", "documents")] == sorted(GOOD)
    assert result.summary.articles == 3 and result.summary.errors == 1
    assert_good_rows_intact(tmp_path / "out", good_run)


def test_workers_lose_only_the_article_that_hangs_or_crashes(tmp_path, good_run):
    articles = {**GOOD, "slow": f"{STALL} в Омске.", "stuck": f"{STALL_IN_C} в Омске.",
                "crash": f"{CRASH} в Омске."}
    result = run([write(tmp_path / "in", articles)], tmp_path / "out", stages=FAULTY_STAGES, doc_timeout=1,
                 workers=2, batch_size=2)
    errors = {e["doc_id"]: e for e in table(tmp_path / "out", "errors")}
    assert set(errors) == {"slow", "stuck", "crash"}
    assert errors["slow"]["stage"] == "misbehave" and "1 s limit" in errors["slow"]["error"]
    assert errors["stuck"]["stage"] == "worker" and "was stopped" in errors["stuck"]["error"]
    assert errors["crash"]["stage"] == "worker" and "died" in errors["crash"]["error"]
    assert all(e["error"].startswith(e["source"]) for e in errors.values())
    assert [d["doc_id"] for d in table(tmp_path / "out", "documents")] == sorted(GOOD)
    assert result.summary.articles == 3
    assert_good_rows_intact(tmp_path / "out", good_run)


def test_doc_timeout_is_a_flag(tmp_path):
    from pipeline.cli import build_parser

    args = build_parser().parse_args(["run", "x", "--doc-timeout", "7.5"])
    assert args.doc_timeout == 7.5
    assert build_parser().parse_args(["run", "x"]).doc_timeout == 120
