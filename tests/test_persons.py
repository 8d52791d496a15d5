"""persons.csv: nominative names split into first/middle/last, one key per person."""
from pathlib import Path

import pytest

from pipeline.ingest import make_document
from pipeline.run import process

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_2d0fbb24a7f9f838.txt"


def persons(*texts: str):
    docs = [make_document(f"d{i}", "<t>", t, t.encode()) for i, t in enumerate(texts)]
    return [doc.persons for doc in process(docs, errors=[])]


@pytest.fixture(scope="module")
def seed():
    text = SEED.read_text("utf-8")
    return process([make_document(SEED.stem, str(SEED), text, text.encode())], errors=[])[0].persons


def test_seed_persons(seed):
    by_text = {p.text: p for p in seed}
    sob = by_text["Сергея Собянина"]
    assert (sob.normal, sob.first, sob.last) == ("Сергей Собянин", "Сергей", "Собянин")
    ser = by_text["Наталья Сергунина"]
    assert (ser.first, ser.last) == ("Наталья", "Сергунина")
    assert sob.person_id != ser.person_id


def test_patronymic_and_order():
    (found,) = persons("Указ подписал Собянин Сергей Семёнович.")
    p = next(p for p in found if "Собянин" in p.text)
    assert (p.first, p.middle, p.last) == ("Сергей", "Семёнович", "Собянин")


def linked_ids(text: str) -> dict[str, str]:
    """person_id by mention text after the whole run, batch-wide keys included (see `link`)."""
    import pipeline

    frame = pipeline.extract(text)["persons"]
    return dict(zip(frame["text"], frame["person_id"]))


def test_bare_surname_links_to_the_full_name_in_the_article():
    ids = linked_ids("Мэр Москвы Сергей Собянин открыл станцию. Позднее Собянин осмотрел депо.")
    assert ids["Сергей Собянин"] == ids["Собянин"]


def test_same_person_across_articles_when_first_names_agree():
    a, b, c = persons("Встречу провёл Сергей Собянин.", "Решение принял Сергея Собянина заместитель.",
                      "Выступил Андрей Собянин.")
    assert a[0].person_id == b[0].person_id
    assert c[0].person_id != a[0].person_id


def test_female_surname_in_the_nominative():
    (found,) = persons("Об этом рассказала Наталье Сергуниной её помощница.")
    p = found[0]
    assert (p.normal, p.first, p.last) == ("Наталья Сергунина", "Наталья", "Сергунина")


def test_one_word_links_to_the_full_name_with_that_surname():
    ids = linked_ids("Премьер Борис Джонсон прибыл в Брюссель. Джонсон провёл там два часа.")
    assert ids == {"Борис Джонсон": "dzhonson-boris", "Джонсон": "dzhonson-boris"}
