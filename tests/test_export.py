"""export: contract columns, sorting, plain numbers, atomic writes, datapackage."""
from __future__ import annotations

import csv
import json

import pytest

from conftest import SEED, SEEDS
from pipeline import export, rows
from pipeline.cli import main
from pipeline.records import Error

CONTRACT = {
    "documents": ["doc_id", "source", "sha256", "published", "n_chars", "n_sentences", "n_tokens"],
    "sentences": ["doc_id", "sent_id", "start", "stop", "text"],
    "tokens": ["doc_id", "sent_id", "token_id", "start", "stop", "text", "lemma", "pos", "feats"],
    "mentions": ["doc_id", "mention_id", "sent_id", "start", "stop", "text", "type", "normal"],
    "countries": ["doc_id", "start", "stop", "text", "iso2", "iso3", "name_ru", "name_en"],
    "organizations": ["doc_id", "start", "stop", "text", "normal", "org_id"],
    "persons": ["doc_id", "start", "stop", "text", "normal", "first", "middle", "last", "person_id"],
    "figures": ["doc_id", "figure_id", "sent_id", "start", "stop", "text", "kind", "value", "value_max",
                "unit", "currency", "qualifier"],
    "errors": ["source", "doc_id", "stage", "error"],
    "entities": ["type", "entity_id", "name", "aliases", "mentions", "documents", "first_published", "last_published"],
}


@pytest.mark.parametrize("value, text", [
    (8100000.0, "8100000"), (2.5, "2.5"), (4, "4"), (0.001, "0.001"), (1844036360.12, "1844036360.12"),
    (1e21, "1000000000000000000000"), (None, ""), (float("nan"), ""),
])
def test_plain_number(value, text):
    assert rows.plain_number(value) == text


def test_every_contract_table_and_column_is_written(seed_run):
    out, _ = seed_run
    for table, cols in CONTRACT.items():
        with open(out / f"{table}.csv", encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert header[: len(cols)] == cols or set(cols) <= set(header), table
        if table not in ("errors", "entities"):
            assert header[0] == "doc_id"


def test_offsets_hold_and_rows_are_sorted(seed_run):
    out, _ = seed_run
    text = SEED.read_text(encoding="utf-8")
    for table in ("sentences", "tokens", "mentions", "countries", "organizations", "persons", "figures"):
        rows = list(csv.DictReader(open(out / f"{table}.csv", encoding="utf-8", newline="")))
        keys = [(r["doc_id"], int(r["start"]), int(r["stop"])) for r in rows]
        assert keys == sorted(keys), table
        for r in rows:
            assert text[int(r["start"]):int(r["stop"])] == r["text"], (table, r)
            assert "nan" not in r.values() and "None" not in r.values()


def test_no_crlf_and_no_index_column(seed_run):
    out, _ = seed_run
    raw = (out / "tokens.csv").read_bytes()
    assert b"\r\n" not in raw
    assert raw.startswith(b"doc_id,")


def test_datapackage_is_valid_frictionless(seed_run):
    frictionless = pytest.importorskip("frictionless")
    out, _ = seed_run
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert names == set(CONTRACT)
    tokens = next(r for r in package["resources"] if r["name"] == "tokens")
    assert tokens["schema"]["primaryKey"] == ["doc_id", "token_id"]
    assert tokens["schema"]["foreignKeys"][0]["reference"]["resource"] == "documents"


def test_rerun_is_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["run", str(SEEDS), "--out", str(first), "-q"]) == 0
    assert main(["run", str(SEEDS), "--out", str(second), "-q"]) == 0
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_tables_are_readable_by_others_as_open_would_make_them(tmp_path):
    target = tmp_path / "t.csv"
    export.atomic_write(target, lambda f: f.write("x\n"))
    plain = tmp_path / "plain.csv"
    plain.write_text("x\n")
    assert target.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old\n", encoding="utf-8")

    def broken(f):
        f.write("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        export.atomic_write(target, broken)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_errors_table_lists_bad_files_and_the_batch_goes_on(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inputs / "good.txt").write_text("Делегация из Китая посетила Москву.", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "-q"]) == 0
    errors = list(csv.DictReader(open(out / "errors.csv", encoding="utf-8")))
    assert {e["doc_id"] for e in errors} == {"empty", "binary"}
    for e in errors:
        assert e["source"] in e["error"] and e["stage"] == "ingest"
    docs = list(csv.DictReader(open(out / "documents.csv", encoding="utf-8")))
    assert [d["doc_id"] for d in docs] == ["good"]
    printed = capsys.readouterr()
    assert "1 articles" in printed.out and "2 errors" in printed.out
    assert main(["run", str(inputs), "--out", str(out), "-q", "--strict"]) == 1


def test_nothing_processed_exits_non_zero(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["run", str(empty), "--out", str(tmp_path / "out"), "-q"]) == 1


def test_a_document_that_breaks_a_stage_does_not_take_the_batch_down(monkeypatch):
    from pipeline import batch as batch_module
    from pipeline.ingest import make_document

    def fragile(docs):
        if any("СБОЙ" in d.text for d in docs):
            raise ValueError("boom")
        return docs

    monkeypatch.setattr(batch_module, "STAGES", batch_module.STAGES[:1] + [("fragile", fragile)])
    docs = [make_document(i, "<t>", t, t.encode()) for i, t in (("a", "Нормальный текст."), ("b", "СБОЙ здесь."))]
    errors: list[Error] = []
    kept = batch_module.process(docs, errors)
    assert [d.doc_id for d in kept] == ["a"]
    assert errors[0].doc_id == "b" and errors[0].stage == "fragile" and "boom" in errors[0].error


def test_packed_rows_are_the_tables_csv_lines_and_read_back_with_their_types(tmp_path):
    table_rows = [  # tokens: doc_id, sent_id, token_id, start, stop, text, lemma, pos, feats
        ("д1", 0, 0, 0, 6, "Москва", "Москва", "PROPN", "Case=Nom"),
        ("д1", 0, 1, 7, 26, 'ООО "Рога, копыта"', "", "NOUN", ""),
        ("д1", 1, 2, 27, 48, "строка\nвторая\rтретья", "", "X", ""),
    ]
    packed = rows.pack(table_rows)
    assert rows.unpack("tokens", packed) == table_rows  # integers stay integers, the rest text as it was
    export.write_lines("tokens", [packed], tmp_path / "copied")
    export.write_rows("tokens", table_rows, tmp_path / "formatted")
    assert (tmp_path / "copied" / "tokens.csv").read_bytes() == (tmp_path / "formatted" / "tokens.csv").read_bytes()
    export.write_lines("tokens", [packed], tmp_path / "excel", excel=True)
    assert (tmp_path / "excel" / "tokens.csv").read_bytes().startswith("\ufeffdoc_id".encode("utf-8"))
