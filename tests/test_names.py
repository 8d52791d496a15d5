"""Nominative forms of person names (`pipeline/names.py`): mentions.csv and persons.csv agree."""
from __future__ import annotations

import pytest

from conftest import analyse
from pipeline import names


def person_normals(text: str) -> dict[str, str]:
    """Each PER mention's text → its `normal`, checking that persons.csv says the same."""
    doc = analyse(text)
    persons = {(p.start, p.stop): p for p in doc.persons}
    out = {}
    for m in doc.mentions:
        if m.type == "PER":
            assert persons[(m.start, m.stop)].normal == m.normal
            out[m.text] = m.normal
    return out


def person(text: str, mention: str):
    doc = analyse(text)
    return next(p for p in doc.persons if p.text == mention)


@pytest.mark.parametrize("text, mention, normal", [
    # the text gives the name in the nominative: it stays as written
    ("На слушаниях в конгрессе выступил Хантер Байден.", "Хантер Байден", "Хантер Байден"),
    ("Спикер палаты Нэнси Пелоси назвала законопроект ошибкой.", "Нэнси Пелоси", "Нэнси Пелоси"),
    ("Адвокат Сидни Пауэлл подала новый иск.", "Сидни Пауэлл", "Сидни Пауэлл"),
    # indeclinable names stay in every case: foreign -и, a woman's surname on a consonant
    ("Полиция задержала сторонников Хадима Ризви.", "Хадима Ризви", "Хадим Ризви"),
    ("Журналисты попросили комментарий у Ангелы Меркель.", "Ангелы Меркель", "Ангела Меркель"),
    # gender: a surname that did not decline is a woman's, so her first name is Рашида
    ("Письмо с угрозами пришло Рашиде Тлаиб.", "Рашиде Тлаиб", "Рашида Тлаиб"),
    ("Сенатор поблагодарил Рашиду Тлаиб за поддержку.", "Рашиду Тлаиб", "Рашида Тлаиб"),
    # a man's foreign surname on a consonant declines
    ("Заявление Ричарда Гренелла вызвало протест в Берлине.", "Ричарда Гренелла", "Ричард Гренелл"),
    ("Министр обсудил кризис с Себастьяном Курцем.", "Себастьяном Курцем", "Себастьян Курц"),
    # -ов and -ский surnames in oblique cases
    ("Контракт подписан с Андреем Ромашковым в пятницу.", "Андреем Ромашковым", "Андрей Ромашков"),
    ("Премьеру фильма Андрея Кончаловского перенесли.", "Андрея Кончаловского", "Андрей Кончаловский"),
    ("Награду вручили Наталье Ивановой.", "Наталье Ивановой", "Наталья Иванова"),
])
def test_nominative(text, mention, normal):
    assert person_normals(text)[mention] == normal


def test_the_article_gives_the_nominative_of_other_forms():
    """`Гренелле` alone may be an indeclinable surname (as `Бюхеле` is); an article that gives
    `Гренелл` in the nominative says it is his."""
    alone = person_normals("В газете много писали о Ричарде Гренелле.")
    assert alone["Ричарде Гренелле"] == "Ричард Гренелле"
    told = person_normals("Посол Ричард Гренелл покинул Берлин. В газете много писали о Ричарде Гренелле.")
    assert told == {"Ричард Гренелл": "Ричард Гренелл", "Ричарде Гренелле": "Ричард Гренелл"}
    told = person_normals("Премию за вклад в образование вручили Малале Юсуфзай. Малала Юсуфзай выступила в ООН.")
    assert told["Малале Юсуфзай"] == "Малала Юсуфзай"


def test_parts_follow_the_same_reading():
    p = person("Контракт подписан с Андреем Ромашковым в пятницу.", "Андреем Ромашковым")
    assert (p.normal, p.first, p.last) == ("Андрей Ромашков", "Андрей", "Ромашков")
    p = person("Председатель комиссии Урсула фон дер Ляйен прилетела в Киев.", "Урсула фон дер Ляйен")
    assert (p.normal, p.first, p.last) == ("Урсула фон дер Ляйен", "Урсула", "фон дер Ляйен")


@pytest.mark.parametrize("words, roles", [
    # a title or common noun the mention took in before the name is no part of it
    ("Губернатор Сидоренко", ["", "last"]),
    ("Кронпринц Фредерик", ["", "first"]),
    # two letters are too few to tell: `Си Цзиньпин` keeps its first name
    ("Си Цзиньпин", ["first", "last"]),
    # a word written twice in a row is a slip, not a double-barrelled surname
    ("Олег Кузьмин Кузьмин", ["first", "last", ""]),
    # a dictionary surname before a word the dictionary does not know: first name by position
    ("Морган Тсвангира", ["first", "last"]),
    # surname first when the dictionary says so
    ("Кузьмин Олег Петрович", ["last", "first", "middle"]),
    # or when a Russian surname's ending says so, before a first name
    ("Горлов Андрей", ["last", "first"]),
    # `Петров` is a surname to the dictionary, and a plural of `Пётр`: the surname
    ("Петров Иван", ["last", "first"]),
    # initials after a surname (`Петров И. С.`: name_tokens passes an initial as `I`)
    ("Петров I I", ["last", "first", "middle"]),
    # a last word the dictionary marks as a first name only (`Уильямс`) after a word that is
    # no surname: the order is by position
    ("Дженна Уильямс", ["first", "last"]),
    # two words the dictionary marks as surnames: the first is the first name
    ("Аарон Фишер", ["first", "last"]),
    # a foreign name that spells a short participle is no word the mention took in
    ("Серена Фишер", ["first", "last"]),
])
def test_name_roles(words, roles):
    assert names.name_roles(words.split()) == roles


def test_a_letter_an_apostrophe_joins_is_part_of_the_surname():
    doc = analyse("Ирландский тренер Шон О'Нил провёл сборы в Дублине. О’Нил остался доволен командой.")
    parts = {p.text: (p.first, p.last) for p in doc.persons}
    assert parts == {"Шон О'Нил": ("Шон", "О'Нил"), "О’Нил": ("", "О’Нил")}
    assert [p.person_id for p in doc.persons] == ["o-nil-shon", "o-nil"]  # one surname, either apostrophe


def test_a_title_is_not_a_first_name():
    p = person("Кронпринц Фредерик прибыл в Осло с визитом.", "Кронпринц Фредерик")
    assert (p.first, p.last) == ("Фредерик", "")


def test_petrovich_rules_run_backwards():
    assert "гренелл" in names.nominatives("гренелла", "last", "Masc", "Gen")
    assert names.nominatives("тлаиб", "last", "Fem", "Dat") == ("тлаиб",)
    assert names.nominatives("тлаиб", "last", "Masc", "Dat") == ()
    assert "ромашков" in names.nominatives("ромашковым", "last", "Masc", "Ins")
    assert "асия" in names.nominatives("асии", "first", "Fem", "Gen")


def test_a_family_in_the_plural():
    assert person_normals("В суде выступили адвокаты Скрипалей.")["Скрипалей"] == "Скрипали"
    assert names.plural_nominative("скрипалей") == "скрипали"
    assert names.plural_nominative("бушам") == "буши"
    assert names.plural_nominative("мехсуд") is None


def test_russian_spelling_rules_out_readings():
    assert not names.spelled_right("римшя")
    assert not names.spelled_right("скрипаляя")
    assert names.spelled_right("синяя") and names.spelled_right("римша")


@pytest.mark.parametrize("word, part, gender", [
    ("гренелл", "last", "Masc"), ("тлаиб", "last", "Fem"), ("асия", "first", "Fem"),
    ("лев", "first", "Masc"), ("любовь", "first", "Fem"), ("толстой", "last", "Masc"),
    ("иванова", "last", "Fem"), ("сергеевич", "middle", "Masc"), ("цой", "last", "Fem"),
])
def test_declension_is_pytrovichs(word, part, gender):
    """`declension` looks petrovich's rule up once for five cases: the forms `make` gives one by one."""
    make = names.maker().make
    one_by_one = [make(names.PY_PART[part], names.PY_GENDER[gender], names.PY_CASE[case], word)
                  for case in names.MODS_CASES]
    assert names.declension(word, part, gender) == tuple(names.fold(form) for form in one_by_one)


def mention_normals(text: str) -> dict[str, str]:
    return {m.text: m.normal for m in analyse(text).mentions}


@pytest.mark.parametrize("text, mention, normal", [
    # the same care for places and organizations
    ("Брюссель предъявил претензии Соединённому Королевству.", "Соединённому Королевству", "Соединённое Королевство"),
    ("Спикер Палаты представителей выступила против.", "Палаты представителей", "Палата представителей"),
    ("По данным агентства ПРАЙМ, сделка закрыта.", "ПРАЙМ", "ПРАЙМ"),  # an abbreviation
    ("Делегация прилетела в Кальяри на Сардинии.", "Кальяри", "Кальяри"),  # foreign, indeclinable
    ("Премьер выступил перед журналистами на Даунинг-стрит.", "Даунинг-стрит", "Даунинг-стрит"),
])
def test_places_and_organizations(text, mention, normal):
    assert mention_normals(text)[mention] == normal
