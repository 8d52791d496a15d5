"""ner: slovnet mentions with nominative normal forms."""
from conftest import analyse


def test_mentions_with_nominative_normal():
    doc = analyse("Конференция прошла в Нижнем Новгороде, заявил Сергей Собянин. "
                  "Делегация Национальной футбольной лиги прибыла в Москву.")
    got = {(m.text, m.type, m.normal) for m in doc.mentions}
    assert ("Нижнем Новгороде", "LOC", "Нижний Новгород") in got
    assert ("Сергей Собянин", "PER", "Сергей Собянин") in got
    assert ("Москву", "LOC", "Москва") in got
    for m in doc.mentions:
        assert doc.text[m.start:m.stop] == m.text


def test_person_names_in_oblique_case():
    doc = analyse("По словам Сергея Собянина, город растёт. Об этом сообщила Наталья Сергунина.")
    normals = {m.normal for m in doc.mentions if m.type == "PER"}
    assert {"Сергей Собянин", "Наталья Сергунина"} <= normals


def test_mention_ids_and_sentences():
    doc = analyse("Путин приехал в Казань.\nЗатем он посетил Уфу.")
    assert [m.mention_id for m in doc.mentions] == list(range(len(doc.mentions)))
    assert [m.sent_id for m in doc.mentions if m.type == "LOC"] == [0, 1]


def test_hyphenated_names_keep_their_capitals():
    doc = analyse("Выставка прошла в Куала-Лумпуре и в Нью-Дели.")
    normals = {m.text: m.normal for m in doc.mentions if m.type == "LOC"}
    assert normals["Куала-Лумпуре"] == "Куала-Лумпур"


def test_a_bracket_that_closes_or_opens_outside_the_span_is_left_out():
    from collections import namedtuple

    from pipeline.ner import without_stray_brackets

    Tok = namedtuple("Tok", "text start stop")

    def texts(words: list[str]) -> list[str]:
        return [t.text for t in without_stray_brackets([Tok(w, 0, 0) for w in words])]

    assert texts(["Марии", "Кено", ")"]) == ["Марии", "Кено"]
    assert texts(["(", "Марии", "Кено"]) == ["Марии", "Кено"]
    assert texts(["Театр", "(", "Ромэн", ")"]) == ["Театр", "(", "Ромэн", ")"]
    assert texts([")"]) == []
