"""Batch-wide person keys (link) and the entities table (entities)."""
from __future__ import annotations

import csv
import json

import pytest

import pipeline
from pipeline.cli import main
from pipeline.entities import Dates, Entities
from pipeline.link import PersonLinker
from pipeline.rows import columns


def person(doc_id: str, first: str = "", last: str = "", start: int = 0, stop: int | None = None) -> tuple:
    values = {"doc_id": doc_id, "start": start, "stop": start + 1 if stop is None else stop, "text": "", "normal": f"{first} {last}".strip(),
              "first": first, "middle": "", "last": last, "person_id": ""}
    return tuple(values[c] for c in columns("persons"))


def link(articles: dict[str, list[tuple[str, str]]]) -> dict[str, list[str]]:
    """Keys of each article's persons, given as (first, last)."""
    docs = {doc_id: [person(doc_id, f, l, i) for i, (f, l) in enumerate(names)] for doc_id, names in articles.items()}
    linker = PersonLinker()
    for rows in docs.values():
        linker.add(rows)
    linker.finish()
    return {doc_id: linker.keys(rows) for doc_id, rows in docs.items()}


def test_a_surname_or_an_initial_takes_the_full_name_of_its_article():
    keys = link({"a": [("Борис", "Джонсон"), ("", "Джонсон"), ("Б.", "Джонсон"), ("Тереза", "Мэй")]})
    assert keys["a"] == ["dzhonson-boris"] * 3 + ["mei-tereza"]


def test_a_lone_first_name_read_as_a_surname_takes_the_full_name_named_before_it():
    # `Дженну` after `Дженна Уильямс`: the reader takes an unknown lone word for a surname
    keys = link({"a": [("Дженна", "Уильямс"), ("", "Дженна")]})
    assert keys["a"] == ["uiliams-dzhenna"] * 2
    keys = link({"a": [("", "Дженна"), ("Дженна", "Уильямс")]})  # before any full name: nobody's yet
    assert keys["a"] == ["dzhenna", "uiliams-dzhenna"]


def test_a_bare_surname_means_the_person_its_article_names_most():
    keys = link({"a": [("Пётр", "Ковальский")] * 2 + [("Ян", "Ковальский"), ("", "Ковальский")]})
    assert keys["a"] == ["kovalskii-petr"] * 2 + ["kovalskii-ian", "kovalskii-petr"]
    keys = link({"a": [("Пётр", "Ковальский"), ("Ян", "Ковальский"), ("", "Ковальский")]})  # as often: unclear
    assert keys["a"] == ["kovalskii-petr", "kovalskii-ian", "kovalskii"]


def test_two_letters_before_a_dot_are_an_initial():
    # Russian writes `Дж.` for `Джеймс`, `Джон`, `Джордж`
    keys = link({"a": [("Джеймс", "Коннорс"), ("Дж.", "Коннорс")], "b": [("Дж.", "Коннорс")]})
    assert keys == {"a": ["konnors-dzheims"] * 2, "b": ["konnors-dzheims"]}


def test_a_bare_surname_is_the_last_word_of_a_surname_of_several():
    keys = link({"a": [("Амаду", "Тумани Туре"), ("", "Туре")]})
    assert keys["a"] == ["tumani-ture-amadu"] * 2


def test_a_nominative_guessed_as_a_common_noun_still_fits_the_surname():
    # `Магноли` declines nowhere, `Магнолии` was read as the noun `магнолия`: one letter more, not a surname
    keys = link({"a": [("Рикардо", "Магноли"), ("", "Магнолия")]})
    assert keys["a"] == ["magnoli-rikardo"] * 2
    keys = link({"a": [("Пётр", "Иванов"), ("", "Иванова")]})  # a surname of the dictionary: another person
    assert keys["a"] == ["ivanov-petr", "ivanova"]


def test_a_bare_surname_joins_the_one_person_of_the_batch_with_it():
    keys = link({"a": [("Дональд", "Трамп")], "b": [("", "Трамп")], "c": [("Д.", "Трамп")]})
    assert keys == {"a": ["tramp-donald"], "b": ["tramp-donald"], "c": ["tramp-donald"]}


def test_a_name_with_more_of_its_parts_is_the_person_of_the_shorter_name():
    keys = link({"a": [("Хуан", "Перес Гарсия")], "b": [("Хуан", "Перес")], "c": [("Мария", "Перес")]})
    assert keys["a"] == keys["b"] != keys["c"]
    # in one article, the other mentions fit the person once
    keys = link({"a": [("Хуан", "Перес Гарсия"), ("Хуан", "Перес"), ("Хуан", ""), ("", "Перес")]})
    assert len(set(keys["a"])) == 1
    # two people it may be: apart
    keys = link({"a": [("Хуан", "Перес Гарсия")], "b": [("Хуан", "Перес")], "c": [("Хуан", "Гарсия")]})
    assert len({keys["a"][0], keys["b"][0], keys["c"][0]}) == 3


def test_a_shared_surname_stays_apart():
    keys = link({"a": [("Джо", "Байден"), ("Хантер", "Байден")], "b": [("", "Байден")]})
    assert keys["a"] == ["baiden-dzho", "baiden-khanter"]
    assert keys["b"] == ["baiden"]


def test_foreign_spellings_one_letter_apart_are_one_person():
    keys = link({"a": [("Ричард", "Гренелл")], "b": [("Ричард", "Гренел")], "c": [("Ричард", "Гренелл")]})
    assert keys["a"] == keys["b"] == keys["c"] == ["grenell-richard"]


def test_spellings_one_letter_apart_as_written_are_one_person():
    # `Хайко`/`Гайко` are one letter apart in Cyrillic, two in their slugs (khaiko/gaiko)
    keys = link({"a": [("Хайко", "Маас")], "b": [("Гайко", "Маас")], "c": [("С.", "Сквернялис")],
                 "d": [("Саулюс", "Сквярнялис")]})
    assert keys["a"] == keys["b"] and keys["c"] == keys["d"]


def test_dictionary_names_one_letter_apart_are_two_people():
    keys = link({"a": [("Мария", "Петрова")], "b": [("Марина", "Петрова")]})
    assert keys["a"] != keys["b"]


def test_a_lone_first_name_of_the_batch_joins_nobody_across_articles():
    keys = link({"a": [("Юлия", "Скрипаль")], "b": [("Юлия", "")]})
    assert keys["b"] == ["iuliia"]


def test_a_name_glossed_in_latin_letters_is_the_same_person():
    # «…заявил министр Хельмут Крамер (Helmut Kramer)»; elsewhere only the original spelling
    a = [person("a", "Хельмут", "Крамер", 40, 54), person("a", "Helmut", "Kramer", 56, 69)]
    b = [person("b", "Helmut", "Kramer")]
    linker = PersonLinker()
    for rows in (a, b):
        linker.add(rows)
    linker.finish()
    assert linker.keys(a) == linker.keys(b) * 2 == ["kramer-helmut"] * 2  # the spelling written most


def test_a_stage_name_glossed_in_latin_letters_takes_the_persons_key():
    # «…рэпер Кевин Ойлер (Kayo) выпустил альбом»; another article names him by it alone
    a = [person("a", "Кевин", "Ойлер", 10, 21), person("a", "", "Kayo", 23, 27)]
    b = [person("b", "", "Kayo", 0, 4)]
    linker = PersonLinker()
    for rows in (a, b):
        linker.add(rows)
    linker.finish()
    assert linker.keys(a) + linker.keys(b) == ["oiler-kevin"] * 3


def test_a_latin_name_further_away_is_not_a_gloss():
    # «Хельмут Крамер и Helmut Schmidt»: three characters apart, two people
    a = [person("a", "Хельмут", "Крамер", 0, 14), person("a", "Helmut", "Schmidt", 17, 31)]
    linker = PersonLinker()
    linker.add(a)
    linker.finish()
    assert linker.keys(a) == ["kramer-khelmut", "schmidt-helmut"]


def test_keys_come_from_the_names_not_from_earlier_keys():
    rows = [person("a", "Дональд", "Трамп"), person("b", "", "Трамп")]
    stale = [r[:-1] + ("old-key",) for r in rows]
    linker = PersonLinker()
    for r in stale:
        linker.add([r])
    linker.finish()
    assert [linker.keys([r])[0] for r in stale] == ["tramp-donald", "tramp-donald"]


def test_entities_count_mentions_documents_and_dates():
    rows = [person("a", "Дональд", "Трамп"), person("a", "", "Трамп", 5), person("b", "", "Трамп")]
    rows = [r[:-1] + ("tramp-donald",) for r in rows]
    docs = [tuple({"doc_id": d, "published": p}.get(c, "") for c in columns("documents"))
            for d, p in (("a", "2024-03-01"), ("b", "2024-02-11"))]
    entities = Entities()
    assert list(entities.watch("persons", rows, Dates(docs))) == rows
    (row,) = entities.rows()
    assert row == ("PER", "tramp-donald", "Дональд Трамп", "Трамп", 3, 2, "2024-02-11", "2024-03-01")


def test_the_entity_name_is_one_a_text_writes_in_the_nominative_over_an_as_common_guess():
    guessed = [person("a", "Фаридий", "Хасан", 0, 12)]  # `Фариды Хасан` read as a man's name
    guessed = [r[:3] + ("Фариды Хасан",) + r[4:] for r in guessed]
    written = person("b", "Фарида", "Хасан", 0, 12)
    written = written[:3] + ("Фарида Хасан",) + written[4:]
    rows = [r[:-1] + ("khasan-farida",) for r in (*guessed, written)]
    entities = Entities()
    list(entities.watch("persons", rows, Dates([])))
    (row,) = entities.rows()
    assert row[2] == "Фарида Хасан" and row[3] == "Фаридий Хасан", row


def test_an_incremental_run_keys_earlier_articles_as_one_run_would(tmp_path):
    day1, day2 = tmp_path / "day1", tmp_path / "day2"
    day1.mkdir()
    day2.mkdir()
    (day1 / "d1.txt").write_text("Вчера Трампа снова спросили о пошлинах.", encoding="utf-8")
    (day2 / "d2.txt").write_text("Президент США Дональд Трамп выступил в Огайо.", encoding="utf-8")
    out, once = tmp_path / "out", tmp_path / "once"
    assert main(["run", str(day1), "--out", str(out), "-q"]) == 0
    assert main(["run", str(day2), "--out", str(out), "-q"]) == 0
    assert main(["run", str(day1), str(day2), "--out", str(once), "-q"]) == 0
    for name in ("persons.csv", "entities.csv"):
        assert (out / name).read_bytes() == (once / name).read_bytes(), name
    persons = list(csv.DictReader(open(out / "persons.csv", encoding="utf-8")))
    assert {p["doc_id"]: p["person_id"] for p in persons} == {"d1": "tramp-donald", "d2": "tramp-donald"}


def test_entities_table_is_written_loaded_and_described(tmp_path):
    records = [{"id": "r1", "text": "Сергей Собянин открыл школу в Москве.", "published": "2025-01-10"},
               {"id": "r2", "text": "Собянин посетил Казань вместе с делегацией из Китая.", "published": "2025-02-03"}]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "-q"]) == 0
    entities = pipeline.load(tmp_path / "out")["entities"]
    sobyanin = entities[entities["entity_id"] == "sobianin-sergei"].iloc[0]
    assert (sobyanin["type"], sobyanin["name"], sobyanin["mentions"], sobyanin["documents"]) == \
        ("PER", "Сергей Собянин", 2, 2)
    assert (sobyanin["first_published"], sobyanin["last_published"]) == ("2025-01-10", "2025-02-03")
    china = entities[(entities["type"] == "COUNTRY") & (entities["entity_id"] == "CN")].iloc[0]
    assert china["name"] == "Китай" and china["documents"] == 1
    frames = pipeline.extract({r["id"]: r["text"] for r in records})
    assert set(frames["entities"]["entity_id"]) >= {"sobianin-sergei", "CN"}


def linking_time(articles: list[list[tuple]]) -> float:
    """One linking of the articles' persons, the collector off: its full passes depend on
    everything alive in the test process, not on the linker."""
    import gc
    import time

    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        linker = PersonLinker()
        for rows in articles:
            linker.add(rows)
        linker.finish()
        for rows in articles:
            linker.keys(rows)
        return time.perf_counter() - started
    finally:
        gc.enable()


def random_names(n: int, shape: str) -> list[list[tuple]]:
    import random

    rng = random.Random(3)
    letters = "абвгдежзиклмнопрстуфхцчшэюя"

    def word(k: int) -> str:
        return "".join(rng.choice(letters) for _ in range(k)).capitalize()

    if shape == "one surname, many first names":
        return [[person("a", word(7), "Иванов", i) for i in range(n)] + [person("a", "", "Иванов", n)]]
    if shape == "one surname, many people, as many bare surnames":
        return [[person("a", word(7), "Иванов", i) for i in range(n)] + [person("a", "", "Иванов", n + i) for i in range(n)]]
    if shape == "one article, many people":
        return [[person("a", word(6), word(8), i) for i in range(n)] + [person("a", "", word(8), n + i) for i in range(n)]]
    return [[person(f"d{i}", word(6), word(8)), person(f"d{i}", "", word(8), 1)] for i in range(n)]


@pytest.mark.parametrize("shape", ["one surname, many first names", "one surname, many people, as many bare surnames",
                                   "one article, many people", "many articles"])
def test_linking_cost_is_linear_in_the_names(shape):
    small, large = random_names(400, shape), random_names(1600, shape)
    # Linear lands at 4.2-5.3 (the sort in finish and the CPU cache add to 4), once 6.6 on a
    # busy machine; quadratic near 16. The bound is test_scaling's 6, and a ratio over it is
    # measured again.
    for _ in range(3):
        times = [(linking_time(small), linking_time(large)) for _ in range(7)]  # alternated: noise hits both
        ratio = min(t for _, t in times) / min(t for t, _ in times)
        if ratio <= 6:
            break
    assert ratio <= 6, times
