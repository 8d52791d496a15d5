"""Awkward input either processes correctly or becomes an error a person understands."""
from __future__ import annotations

import csv
import json
import os
import unicodedata
from pathlib import Path

import pytest

from pipeline.chunks import sentence_runs, sentences_bounded
from pipeline.cli import main
from pipeline.ingest import read
from pipeline.records import Document, Error

from conftest import analyse

GOOD = "Делегация из Казахстана посетила Москву. Сергей Собянин провёл встречу."


def run_folder(tmp_path: Path, files: dict[str, bytes], *extra: str) -> tuple[list[dict], list[dict]]:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, data in files.items():
        (inputs / name).write_bytes(data)
    out = tmp_path / "out"
    main(["run", str(inputs), "--out", str(out), "-q", *extra])
    docs = list(csv.DictReader(open(out / "documents.csv", encoding="utf-8")))
    errors = list(csv.DictReader(open(out / "errors.csv", encoding="utf-8")))
    return docs, errors


def assert_offsets(doc: Document) -> None:
    for table in (doc.sentences, doc.tokens, doc.mentions, doc.countries, doc.organizations, doc.figures):
        for row in table:
            assert doc.text[row.start:row.stop] == row.text


def test_huge_file_is_reported_not_processed(tmp_path):
    huge = ("Очень длинный текст без конца. " * 1_100_000).encode()  # ~36 MB
    docs, errors = run_folder(tmp_path, {"huge.txt": huge, "good.txt": GOOD.encode()})
    assert [d["doc_id"] for d in docs] == ["good"]
    assert errors[0]["doc_id"] == "huge"
    assert "MB limit" in errors[0]["error"] and "huge.txt" in errors[0]["error"]


def test_limit_is_a_flag(tmp_path):
    docs, errors = run_folder(tmp_path, {"a.txt": GOOD.encode()}, "--max-mb", "0.00001")
    assert not docs and "limit" in errors[0]["error"]


def test_long_unpunctuated_line_is_tagged_in_bounded_windows():
    text = "слово " * 3000 + "в Москве"
    doc = analyse(text)
    assert len(doc.tokens) == 3002
    assert all(t.lemma for t in doc.tokens)
    assert [m.text for m in doc.mentions if m.type == "LOC"] == ["Москве"]
    assert max(len(w) for w in sentences_bounded(doc.tokens)) <= 256
    assert sum(len(r) for r in sentence_runs(doc.tokens)) == len(doc.tokens)


def test_crlf_and_nfd_texts_keep_offsets():
    crlf = analyse("Делегация из Китая прибыла.\r\n\r\nВстреча прошла в Москве.\r\n")
    assert_offsets(crlf)
    assert [(c.text, c.iso2) for c in crlf.countries] == [("Китая", "CN")]
    assert [s.text for s in crlf.sentences] == ["Делегация из Китая прибыла.", "Встреча прошла в Москве."]
    nfd_text = unicodedata.normalize("NFD", "Йошкар-Ола и Нижний Новгород получили новый трамвай.")
    nfd = analyse(nfd_text)
    assert_offsets(nfd)
    assert any(t.lemma == unicodedata.normalize("NFC", "новый") for t in nfd.tokens)


def test_non_russian_text_processes():
    doc = analyse("The delegation from China visited Moscow on Tuesday, officials said.")
    assert_offsets(doc)
    assert len(doc.tokens) == 12


def test_nul_and_binary_files_are_errors(tmp_path):
    docs, errors = run_folder(tmp_path, {
        "nul.txt": "Текст\x00с нулём".encode(),
        "png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "good.txt": GOOD.encode(),
    })
    assert [d["doc_id"] for d in docs] == ["good"]
    assert {e["doc_id"] for e in errors} == {"nul", "png"}
    assert all(e["error"].startswith(e["source"]) for e in errors)


def test_a_file_name_that_is_not_utf8_keeps_its_bytes_as_escapes(tmp_path):
    """A CP1251 file name (an archive from Windows) once stopped the run before its first
    article: no table can hold the undecodable name Python gives it."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    name = "Новость".encode("cp1251") + b".txt"
    try:
        (inputs / os.fsdecode(name)).write_bytes(GOOD.encode())
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    (inputs / "plain.txt").write_bytes(GOOD.encode())
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "-q"]) == 0
    docs = list(csv.DictReader(open(out / "documents.csv", encoding="utf-8")))
    assert sorted(d["doc_id"] for d in docs) == ["\\xcd\\xee\\xe2\\xee\\xf1\\xf2\\xfc", "plain"]
    assert main(["run", str(inputs), "--out", str(out), "-q"]) == 0  # unchanged: skipped, not a new article


def test_an_output_path_that_is_a_file_is_a_plain_error(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "tables.csv"
    out.write_text("id\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(out), "-q"]) == 2
    assert capsys.readouterr().err.strip() == f"ruextract: error: --out {out} is a file, not a folder"
    assert out.read_text(encoding="utf-8") == "id\n"


def test_an_output_folder_that_cannot_be_made_is_a_plain_error(tmp_path, capsys):
    """An OSError of the output folder (here: a file where a folder must go; else no space,
    no permission) ends the command with one line, not a traceback."""
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "taken").write_text("", encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "taken" / "out"), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ruextract: error: [Errno 20] Not a directory") and "run the same command again" in err


def test_an_earlier_table_cut_short_is_named_and_the_run_resumes_once_it_is_moved(tmp_path, capsys):
    """An incremental run reads the folder's tables back: one cut short (a full disk, a
    hand edit) once ended the run with an IndexError, again at every retry."""
    out = tmp_path / "out"
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Делегация Вьетнама прибыла в Казань.", encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(out), "-q"]) == 0
    tokens = out / "tokens.csv"
    tokens.write_bytes(tokens.read_bytes()[:300])  # the third line ends mid-row
    assert main(["run", str(tmp_path / "b.txt"), "--out", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"ruextract: error: {tokens}:") and "a row that does not fit the header" in err
    assert not list(out.glob(".*.tmp"))
    tokens.rename(tmp_path / "tokens.csv.broken")
    assert main(["run", str(tmp_path / "b.txt"), "--out", str(out), "-q"]) == 0
    assert "1 articles (1 done before the interruption)" in capsys.readouterr().out
    assert {r["doc_id"] for r in csv.DictReader(open(tokens, encoding="utf-8"))} == {"b"}


def test_malformed_jsonl_lines_are_errors_with_line_numbers(tmp_path):
    lines = [json.dumps({"id": "ok", "text": GOOD}, ensure_ascii=False).encode(), b"{oops",
             b'{"id": "latin1", "text": "\xe9t\xe9"}', json.dumps(["not", "an", "object"]).encode(),
             b'{"id": "cut", "text": "\\ud83d"}']
    docs, errors = run_folder(tmp_path, {"batch.jsonl": b"\n".join(lines)})
    assert [d["doc_id"] for d in docs] == ["ok"]
    messages = sorted(e["error"] for e in errors)
    assert any(":2: malformed JSON" in m for m in messages)
    assert any(":3: not UTF-8" in m for m in messages)
    assert any(":4: expected an object" in m for m in messages)
    assert any(":5: 'text' is not valid Unicode" in m for m in messages)


def test_unreadable_file_is_an_error(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(GOOD, encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    items = list(read([path]))
    assert isinstance(items[0], Error)
    assert str(path) in items[0].error and "Permission denied" in items[0].error


def test_dangling_symlink_is_an_error(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    items = list(read([link]))
    assert isinstance(items[0], Error) and "no such file" in items[0].error
def pathological_articles(n: int) -> dict[str, str]:
    """Texts a scraper keeps: blobs, runs without spaces or punctuation, endless lines."""
    import base64
    import random

    blob = base64.b64encode(random.Random(5).randbytes(n)).decode()
    return {
        "p_base64": blob,
        "p_long_word": "ж" * n,
        "p_site_dots": "сайт." * (n // 5),
        "p_unpunctuated": "слово " * (n // 6),
        "p_lines": "слово\n" * (n // 6),
        "p_quoted": "«Ромашка» " * (n // 10),
        "p_emails": "a@b" * (n // 3),
        "p_digits": "7" * n,
        "p_brackets": "(" * (n // 2) + ")" * (n // 2),
        "p_hyphens": "кто-" * (n // 4),
        "p_emoji": "новость🔥" * (n // 9),
        "p_caps": "НАТО ООН " * (n // 8),
    }


def test_a_batch_with_pathological_articles_writes_every_good_article(tmp_path):
    bad = {k: v.encode() for k, v in pathological_articles(60_000).items()}
    good = {f"good{i}.txt": f"{GOOD} Выпуск номер {i}.".encode() for i in range(3)}
    docs, errors = run_folder(tmp_path, {**{f"{k}.txt": v for k, v in bad.items()}, **good},
                              "--workers", "1", "--batch-size", "32")
    done = {d["doc_id"] for d in docs}
    assert {"good0", "good1", "good2"} <= done
    failed = {e["doc_id"] for e in errors}
    assert done | failed == set(bad) | {"good0", "good1", "good2"}
    assert all(e["error"].startswith(e["source"]) for e in errors)
    tokens = list(csv.DictReader(open(tmp_path / "out" / "tokens.csv", encoding="utf-8")))
    assert {t["doc_id"] for t in tokens} >= {"good0", "good1", "good2"}
