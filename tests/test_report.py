"""The HTML report: one self-contained file, highlights built safely from offsets."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import ROOT
from markupsafe import escape

import pipeline
from pipeline import highlight
from pipeline.cli import main
from pipeline.highlight import Span, resolve, segments
from pipeline.report import highlight_html, render, top_counts, write_report


@pytest.fixture(scope="module")
def seed_report(seed_run, tmp_path_factory):
    out, _ = seed_run
    path = write_report(out, tmp_path_factory.mktemp("report") / "report.html")
    return out, path, path.read_text(encoding="utf-8")


def test_report_is_written_by_the_cli(seed_run, tmp_path, capsys):
    out, _ = seed_run
    target = tmp_path / "r.html"
    assert main(["report", str(out), "--output", str(target)]) == 0
    assert target.stat().st_size > 100_000
    assert "report ->" in capsys.readouterr().out


def test_report_of_a_missing_folder_is_an_error(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nothing")]) == 1
    assert "not an output folder" in capsys.readouterr().err


def test_report_is_self_contained(seed_report):
    _, _, html = seed_report
    assert not re.search(r"<script[^>]+src\s*=", html, re.I), "scripts must be inline"
    assert not re.search(r"<link[^>]+href\s*=\s*[\"']?(https?:)?//", html, re.I), "no external stylesheets"
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # plotly.js quotes URLs in its code
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", markup, re.I), "nothing loaded from the network"
    assert "@import" not in markup
    assert "Plotly.newPlot" in html and "plotly.js v" in html  # the chart library is inlined once
    assert html.count("plotly.js v") == 1


def test_report_highlights_mentions_with_their_normal_forms(seed_report):
    out, _, html = seed_report
    frames = pipeline.load(out)
    doc_id = frames["documents"]["doc_id"].iloc[0]
    rows = highlight.by_doc(frames)[doc_id]
    text = highlight.document_texts(frames, (ROOT,))[doc_id][0]
    blocks = resolve(highlight.spans_of(rows), text)
    # a drawn NER mention whose normal form differs from the text (Москвы → Москва)
    moved = next(b for b in blocks if b.kind in ("LOC", "ORG", "PER") and b.normal != text[b.start:b.stop])
    assert f'data-normal="{escape(moved.normal)}"' in html
    assert f'>{escape(text[moved.start:moved.stop])}</mark>' in html
    # every mention's normal form is on the page: its own mark, or the title of the mark around it
    for m in rows["mentions"]:
        assert str(escape(f"{highlight.KIND_NAMES[m['type']]}: {m['normal']}")) in html
    for country in rows.get("countries", []):
        assert str(escape(country["name_ru"])) in html and f"{country['iso2']} / {country['iso3']}" in html


def test_report_lists_every_figure_in_the_table(seed_report):
    out, _, html = seed_report
    figures = pipeline.load(out)["figures"]
    table = html[html.index('id="figures-table"'):html.index("</table>", html.index('id="figures-table"'))]
    assert table.count("<tr>") == len(figures) + 1  # header row + one per figure
    for text in figures["text"]:
        assert f"<td>{text}</td>" in table


def test_report_of_empty_tables(tmp_path):
    """A batch whose articles have no entities at all still gives a page."""
    from pipeline.run import run

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Было тихо.\n", encoding="utf-8")
    run([src], tmp_path / "out")
    html = render(tmp_path / "out")
    assert "No countries in this batch." in html
    assert "No figures in this batch." in html
    assert "Plotly.newPlot" not in html and "plotly.js v" not in html  # no chart, no 4 MB library
    assert "Было тихо." in html


def test_text_is_rebuilt_when_the_source_is_gone(tmp_path):
    from pipeline.run import run

    src = tmp_path / "a.txt"
    src.write_text("Начало заметки про Китай.\n\nПогода была ясной.", encoding="utf-8")
    run([src], tmp_path / "out")
    src.unlink()
    html = render(tmp_path / "out")
    assert "text is rebuilt from sentences.csv" in html
    assert ".\n\nПогода была ясной." in html  # the paragraph gap comes back as line breaks


# highlighting: units


def spans(*items):
    return [Span(start, stop, kind, normal, text=text) for start, stop, kind, normal, text in items]


def test_outermost_span_wins_and_keeps_the_inner_ones_in_the_title():
    text = "в рейтинговом агентстве АКРА сказали"
    org = (2, 28, "organization", "рейтинговое агентство АКРА", "рейтинговом агентстве АКРА")
    inner = (24, 28, "ORG", "АКРА", "АКРА")
    blocks = resolve(spans(inner, org), text)
    assert [(b.start, b.stop, b.kind) for b in blocks] == [(2, 28, "organization")]
    assert blocks[0].labels == ["organization: рейтинговое агентство АКРА", "organization (NER): АКРА"]


def test_same_extent_prefers_the_normalized_kind():
    text = "эксперты из Китая"
    blocks = resolve(spans((12, 17, "LOC", "Китай", "Китая"), (12, 17, "country", "Китай", "Китая")), text)
    assert len(blocks) == 1 and blocks[0].kind == "country"
    assert blocks[0].title == "country: Китай\nlocation (NER): Китай"


def test_partial_overlap_is_cut_at_the_first_block():
    text = "abcdefghij"
    blocks = resolve(spans((0, 5, "PER", "A", ""), (3, 8, "ORG", "B", "")), text)
    assert [(b.start, b.stop) for b in blocks] == [(0, 5)]
    assert "organization (NER): B" in blocks[0].title
    assert "".join(piece for piece, _ in segments(text, blocks)) == text


def test_spans_that_do_not_match_the_text_are_dropped():
    text = "Москва и Казань"
    blocks = resolve(spans((0, 6, "LOC", "Москва", "Москва"), (9, 15, "LOC", "Казань", "Тверь"),
                           (9, 99, "LOC", "x", "")), text)
    assert [b.normal for b in blocks] == ["Москва"]


def test_highlight_escapes_text_and_attributes():
    text = 'Компания <b>"Рога & копыта"</b> заплатила'
    start = text.index('"Рога')
    stop = text.index("</b>")
    blocks = resolve([Span(start, stop, "organization", 'ООО "Рога & копыта" <x>', "org_id rog&kop")], text)
    html = str(highlight_html(text, blocks))
    assert html.startswith("Компания &lt;b&gt;<mark ")
    assert '>&#34;Рога &amp; копыта&#34;</mark>&lt;/b&gt; заплатила' in html
    assert 'data-normal="ООО &#34;Рога &amp; копыта&#34; &lt;x&gt;"' in html
    assert "<b>" not in html and "<x>" not in html
    assert 'title="organization: ООО &#34;Рога &amp; копыта&#34; &lt;x&gt; · org_id rog&amp;kop"' in html


def test_highlight_keeps_every_character():
    text = "Сергей Собянин открыл парк в Москве"
    blocks = resolve(spans((0, 14, "person", "Сергей Собянин", "Сергей Собянин"),
                           (29, 35, "LOC", "Москва", "Москве")), text)
    html = str(highlight_html(text, blocks))
    assert re.sub(r"<[^>]+>", "", html) == text
    assert html.count("<mark") == 2


def test_top_counts_ranks_by_mentions_and_labels_by_the_most_frequent_name():
    df = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c"], "org_id": ["oon", "oon", "oon", "vto", ""],
                       "normal": ["ООН", "Организация Объединённых Наций", "ООН", "ВТО", "x"]})
    assert top_counts(df, "org_id", "normal") == [("ООН", 3, 2), ("ВТО", 1, 1)]
    assert top_counts(df.iloc[0:0], "org_id", "normal") == []


def test_relative_sources_are_found_beside_the_output_folder(tmp_path, monkeypatch):
    from pipeline.run import run

    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Строка   с  пробелами.\n\n\nИ Китай.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run(["news/"], "out")
    monkeypatch.chdir(tmp_path / "news")  # elsewhere: news/a.txt is not found from here
    html = render(tmp_path / "out")
    assert "rebuilt from sentences" not in html
    assert "Строка   с  пробелами.\n\n\nИ " in html  # the exact text, spaces and all


def test_country_adjectives_say_so_in_the_title():
    rows = {"countries": [{"start": 0, "stop": 10, "text": "российские", "iso2": "RU", "iso3": "RUS",
                           "name_ru": "Россия", "name_en": "Russian Federation", "form": "adjective"}]}
    (span,) = highlight.spans_of(rows)
    assert span.label == "country: Россия · RU / RUS · Russian Federation · adjective"
    rows["countries"][0]["form"] = "name"
    assert highlight.spans_of(rows)[0].label == "country: Россия · RU / RUS · Russian Federation"


def test_regenerating_the_report_on_unchanged_tables_changes_no_byte(seed_run, tmp_path):
    out, _ = seed_run
    first, second = write_report(out, tmp_path / "a.html"), write_report(out, tmp_path / "b.html")
    assert first.read_bytes() == second.read_bytes()


def test_charts_name_people_by_their_canonical_name_from_entities(tmp_path):
    from pipeline.report import CHARTS, chart_of

    texts = {"a": "Сергей Собянин открыл школу. Собянин заявил о планах.",
             "b": "Во вторник Собянин посетил новую больницу."}
    folder = tmp_path / "in"
    folder.mkdir()
    for doc_id, text in texts.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    assert main(["run", str(folder), "--out", str(tmp_path / "out"), "-q"]) == 0
    frames = pipeline.load(tmp_path / "out")
    persons = chart_of(frames, *next(spec for spec in CHARTS if spec[0] == "persons"))
    assert persons["rows"] == [("Сергей Собянин", 3, 2)]  # not the most frequent label, `Собянин`
