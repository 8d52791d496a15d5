"""`ruextract show` and `ruextract info`: what an analyst sees in the terminal."""
from __future__ import annotations

import json
import re

import pytest

import pipeline
from pipeline.cli import main
from pipeline.highlight import Block
from pipeline.show import article_text, note

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # rich wraps at the terminal width; keep phrases on one line


@pytest.fixture(scope="module")
def seed_tables(seed_run):
    out, _ = seed_run
    return out, pipeline.load(out)


def test_show_prints_the_article_with_notes_and_tables(seed_tables, capsys):
    out, tables = seed_tables
    doc_id = tables["documents"]["doc_id"].iloc[0]
    assert main(["show", doc_id, "--out", str(out), "--color", "never"]) == 0
    text = capsys.readouterr().out
    assert doc_id in text and "2025-08-20" in text
    assert "Об этом сообщила" in text
    assert "Москвы⟨Москва⟩" in text  # a NER location with its nominative
    for row in tables["countries"].itertuples():
        assert row.iso2 in text
    for figure in tables["figures"].itertuples():
        assert figure.text in text
    if len(tables["figures"]):
        assert f"figures ({len(tables['figures'])})" in text


def test_show_colours_on_request(seed_tables, capsys):
    out, tables = seed_tables
    doc_id = tables["documents"]["doc_id"].iloc[0]
    assert main(["show", doc_id, "--out", str(out), "--color", "always", "--plain"]) == 0
    text = capsys.readouterr().out
    assert ANSI.search(text)
    assert "⟨" not in ANSI.sub("", text).split("Об этом")[0].split("legend")[-1]  # --plain: no notes


def test_show_unknown_document(seed_tables, capsys):
    out, _ = seed_tables
    assert main(["show", "no-such-doc", "--out", str(out), "--color", "never"]) == 1
    assert "no document 'no-such-doc'" in capsys.readouterr().out


def test_show_needs_an_output_folder(tmp_path, capsys):
    assert main(["show", "x", "--out", str(tmp_path)]) == 1
    assert "not an output folder" in capsys.readouterr().err


def test_article_text_styles_blocks_and_adds_notes():
    text = "эксперты из Китая и Москвы"
    blocks = [Block(12, 17, "country", "Китай", "CN", ["country: Китай"]),
              Block(20, 26, "LOC", "Москва", "", ["location (NER): Москва"])]
    rich_text = article_text(text, blocks)
    assert rich_text.plain == "эксперты из Китая⟨Китай CN⟩ и Москвы⟨Москва⟩"
    styled = {rich_text.plain[s.start:s.end]: str(s.style) for s in rich_text.spans}
    assert styled["Китая"] == "bold white on blue" and styled["Москвы"] == "underline blue"
    assert article_text(text, blocks, notes=False).plain == text


def test_note_only_says_what_the_text_does_not():
    assert note(Block(0, 6, "ORG", "ООН", "", []), "ООН") == ""
    assert note(Block(0, 5, "country", "Китай", "CN", []), "Китай") == "CN"
    assert note(Block(0, 8, "figure", "2.5 год", "", []), "2,5 года") == "2.5 год"


def test_info_lists_versions_and_models(capsys):
    assert main(["info"]) == 0
    text = capsys.readouterr().out
    for name in ("python", "ruextract", "natasha", "slovnet", "razdel", "pymorphy3", "pymorphy3-dicts-ru",
                 "pandas", "pycountry"):
        assert re.search(rf"^\s+{re.escape(name)}\s+\d", text, re.M), name
    assert "source_revision" in text
    assert re.search(r"slovnet_ner_news_v1\.tar\s+[\d.]+ MB\s+used: NER tagger", text)
    assert "navec_news_v1" in text


def test_info_json(capsys):
    from importlib.metadata import version

    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["libraries"]["natasha"] == version("natasha")
    assert info["pymorphy3_dictionary"]["format_version"]
    used = {m["file"].split("/")[-1] for m in info["natasha_models"] if m["use"]}
    assert used == {"navec_news_v1_1B_250K_300d_100q.tar", "slovnet_morph_news_v1.tar", "slovnet_ner_news_v1.tar"}


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert re.match(r"ruextract \d+\.\d+", capsys.readouterr().out)


def test_show_lists_the_articles_entities_as_the_batch_knows_them(seed_tables, capsys):
    out, tables = seed_tables
    doc_id = tables["documents"]["doc_id"].iloc[0]
    assert main(["show", doc_id, "--out", str(out), "--color", "never"]) == 0
    text = capsys.readouterr().out.split("entities in the batch")[1]
    for row in tables["entities"].itertuples():
        assert row.entity_id in text and row.name in text
