"""Figures: numbers in digits and words with their scale, unit, currency and qualifier."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline import models
from pipeline.ingest import make_document
from pipeline.normalize.links import NOT_AMOUNTS, not_amount_spans
from pipeline.normalize.numbers import parse_digits, stem_value, words_value
from pipeline.run import process

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_2d0fbb24a7f9f838.txt"

# Sentences in news style, each with the figures it must give:
# (text, kind, value, value_max, unit, currency, qualifier).
EXAMPLES = {
    "Сделка обошлась покупателю в 8,1 млн долларов.": [
        ("8,1 млн долларов", "money", 8_100_000, None, "", "USD", "")],
    "Компания выплатила 1.844.036.360,12 руб. по решению суда.": [
        ("1.844.036.360,12 руб.", "money", 1_844_036_360.12, None, "", "RUB", "")],
    "Бюджет проекта составит 2,5 млрд рублей.": [
        ("2,5 млрд рублей", "money", 2_500_000_000, None, "", "RUB", "")],
    "Фонд оценили в 100 млн гонконгских долларов.": [
        ("100 млн гонконгских долларов", "money", 100_000_000, None, "", "HKD", "")],
    "Клуб потратил на трансфер более £30 млн.": [
        ("более £30 млн", "money", 30_000_000, None, "", "GBP", "gt")],
    "Штраф составит от 3 до 5 тысяч рублей.": [
        ("от 3 до 5 тысяч рублей", "money", 3000, 5000, "", "RUB", "")],
    "Экспорт вырос на 30% за год.": [
        ("30%", "percent", 30, None, "%", "", "")],
    "Явка составила не менее 65\u00a0%.": [
        ("не менее 65\u00a0%", "percent", 65, None, "%", "", "ge")],
    "На митинг пришли около 12 тысяч человек.": [
        ("около 12 тысяч человек", "count", 12_000, None, "человек", "", "approx")],
    "В акции участвовали 5 тыс. волонтеров.": [
        ("5 тыс. волонтеров", "count", 5000, None, "волонтёр", "", "")],
    "Он жил в квартире с восемью комнатами.": [
        ("восемью комнатами", "count", 8, None, "комната", "", "")],
    "Бюджет не превысит двухсот пятидесяти рублей на человека.": [
        ("двухсот пятидесяти рублей", "money", 250, None, "", "RUB", "")],
    "Сто двадцать пять студентов получили гранты.": [
        ("Сто двадцать пять студентов", "count", 125, None, "студент", "", "")],
    "Ремонт занял полтора года.": [
        ("полтора года", "duration", 1.5, None, "год", "", "")],
    "Город закупил полторы тысячи автобусов.": [
        ("полторы тысячи автобусов", "count", 1500, None, "автобус", "", "")],
    "У них двое детей.": [("двое детей", "count", 2, None, "ребёнок", "", "")],
    "Задержан 45-летний житель Твери.": [("45-летний", "age", 45, None, "год", "", "")],
    "Пострадала сорокалетняя женщина.": [("сорокалетняя", "age", 40, None, "год", "", "")],
    "Он скончался в возрасте 83 лет.": [("83 лет", "age", 83, None, "год", "", "")],
    "Завод построили в 2024 году.": [("2024 году", "year", 2024, None, "год", "", "")],
    "Трасса длиной 2,5 км открыта.": [("2,5 км", "measure", 2.5, None, "километр", "", "")],
    "Поезд шел со скоростью 140 км/ч.": [("140 км/ч", "measure", 140, None, "километр в час", "", "")],
    "Урожай составил примерно 370 тысяч тонн.": [
        ("примерно 370 тысяч тонн", "measure", 370_000, None, "тонна", "", "approx")],
    "В конкурсе участвовали 10–15 команд.": [("10–15 команд", "count", 10, 15, "команда", "", "")],
    "Заявки подали свыше 20 тысяч участников.": [
        ("свыше 20 тысяч участников", "count", 20_000, None, "участник", "", "gt")],
    "Тираж достиг 99 999 экземпляров.": [("99 999 экземпляров", "count", 99_999, None, "экземпляр", "", "")],
    "Бегун преодолел 82 километра 169 метров за сутки.": [
        ("82 километра 169 метров", "measure", 82.169, None, "километр", "", "")],
    "Цена выросла с 10 до 15 тысяч рублей.": [
        ("10", "money", 10_000, None, "", "RUB", ""), ("15 тысяч рублей", "money", 15_000, None, "", "RUB", "")],
    "Население сократилось до 5 млн человек.": [
        ("5 млн человек", "count", 5_000_000, None, "человек", "", "")],
    "Выплаты составят до 750 тысяч юаней.": [
        ("до 750 тысяч юаней", "money", 750_000, None, "", "CNY", "lt")],
    "Дорога длиной 5км обошлась в 10млн рублей.": [
        ("5км", "measure", 5, None, "километр", "", ""), ("10млн рублей", "money", 10_000_000, None, "", "RUB", "")],
    "Семья купила трехкомнатную квартиру за полмиллиона рублей.": [
        ("трехкомнатную", "number", 3, None, "комната", "", ""),
        ("полмиллиона рублей", "money", 500_000, None, "", "RUB", "")],
    "Нефтепровод открыли в сентябре 2010-го, а в 90-х годах о нем не думали.": [
        ("2010-го", "year", 2010, None, "", "", ""), ("90-х годах", "year", 90, None, "год", "", "")],
    "Город основан около 2000 лет назад.": [("около 2000 лет", "duration", 2000, None, "год", "", "approx")],
    "Людям старше 70 лет рекомендуют остаться дома.": [("старше 70 лет", "age", 70, None, "год", "", "gt")],
    "Город отметил сто одиннадцатую годовщину основания.": [
        ("сто одиннадцатую годовщину", "age", 111, None, "год", "", "")],
    "Команда заняла третье место.": [("третье место", "ordinal", 3, None, "место", "", "")],
    "Ставка выросла на 2 процентных пункта.": [("2 процентных пункта", "percent", 2, None, "процентный пункт", "", "")],
    "Ночью было минус 5 градусов, днем +3 °C.": [
        ("минус 5 градусов", "measure", -5, None, "градус", "", ""), ("+3 °C", "measure", 3, None, "градус", "", "")],
    "Квартира площадью 50 кв. м стоит 20 долл. в день.": [
        ("50 кв. м", "measure", 50, None, "квадратный метр", "", ""), ("20 долл.", "money", 20, None, "", "USD", "")],
    "Трасса длиной 5 км.": [("5 км", "measure", 5, None, "километр", "", "")],
    "Альбомы вышли в девяностые годы (1994, 1997).": [
        ("девяностые годы", "year", 90, None, "год", "", ""), ("1994", "year", 1994, None, "", "", ""),
        ("1997", "year", 1997, None, "", "", "")],
    "Врачи спасли трёх пострадавших.": [("трёх пострадавших", "count", 3, None, "пострадавший", "", "")],
    "Клуб заплатил $78 млн другому клубу.": [("$78 млн", "money", 78_000_000, None, "", "USD", "")],
    "Команда заняла 3-е место.": [("3-е место", "ordinal", 3, None, "место", "", "")],
}

# Numbers that are not amounts: no figure at all.
NOT_FIGURES = [
    "Встреча начнется в 10:30 по московскому времени.",
    "Матч закончился со счетом 2:1.",
    "Звоните по телефону +7 (495) 123-45-67.",
    "Новый штамм SARS-CoV-2 изучают в лаборатории.",
    "Подробности на сайте https://example.ru/news/2024/123 уже опубликованы.",
    "Тысячи людей вышли на улицы.",
    "Он стал одним из основателей компании.",
    "Компания показала трехмерные модели на двусторонней встрече.",
    "Документ подписан 20 августа.",
    "Дело возбуждено по части 2 статьи 214 УК РФ, протокол — по ст. 19.7 КоАП.",
    "Речь шла о событиях последних десятилетий.",
    "Первый заместитель министра приехал в город.",
]


def run(texts: list[str]):
    docs = [make_document(f"t{n}", "<test>", text, text.encode("utf-8")) for n, text in enumerate(texts)]
    errors: list = []
    out = process(docs, errors)
    assert not errors, errors
    return out


@pytest.fixture(scope="module")
def example_docs():
    texts = list(EXAMPLES) + NOT_FIGURES
    return dict(zip(texts, run(texts)))


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_examples(example_docs, text):
    doc = example_docs[text]
    got = [(f.text, f.kind, f.value, f.value_max, f.unit, f.currency, f.qualifier) for f in doc.figures]
    expected = [(t, k, pytest.approx(v), None if m is None else pytest.approx(m), u, c, q)
                for t, k, v, m, u, c, q in EXAMPLES[text]]
    assert got == expected


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_figures(example_docs, text):
    assert [f.text for f in example_docs[text].figures if f.kind != "year"] == []


def test_feed_header_is_not_counted():
    doc = run(["date 2025-08-20 Фото: ТАСС, 2024\nВ Москве открыли 5 школ."])[0]
    assert [(f.text, f.value) for f in doc.figures] == [("5 школ", 5)]


def test_offsets_and_ids(example_docs):
    for text, doc in example_docs.items():
        for n, f in enumerate(doc.figures):
            assert doc.text[f.start:f.stop] == f.text
            assert f.figure_id == n


def test_seed_article(seed_doc):
    """Every figure of the seed article, exactly; the header date is not a figure."""
    got = [(f.text, f.kind, f.value, f.value_max, f.unit, f.currency, f.qualifier) for f in seed_doc.figures]
    assert got == [
        ("2,5 года", "duration", 2.5, None, "год", "", ""),
        ("27 стран", "count", 27, None, "страна", "", ""),
        ("более чем на 100 профильных международных событиях", "count", 100, None, "событие", "", "gt"),
        ("около 100 проектов", "count", 100, None, "проект", "", "approx"),
        ("2024 году", "year", 2024, None, "год", "", ""),
        ("90 критериев", "count", 90, None, "критерий", "", ""),
        ("четыре года", "duration", 4, None, "год", "", ""),
    ]


# --- number parsing --------------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("1 234", 1234), ("1\u00a0234\u00a0567", 1234567), ("2,5", 2.5), ("27.5", 27.5),
    ("1.844.036.360,12", 1844036360.12), ("1,234,567", 1234567), ("−5", -5), ("+20", 20),
])
def test_parse_digits(text, value):
    assert parse_digits(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1,5.10.2012", "1,2.2.1", "2.0.1", "1,2,3", "1.234,5,6"])
def test_parse_digits_rejects_separators_that_group_no_thousands(text):
    assert parse_digits(text) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["1", "12", "345", "2012", ",", ".", "-"]), min_size=1, max_size=9).map("".join))
def test_any_digits_and_separators_are_a_number_or_none(text):
    """A glued run of digits and separators (a feed's typo, a version, a date) never raises."""
    value = parse_digits(text)
    assert value is None or isinstance(value, float)


def test_unreadable_digits_leave_the_other_figures():
    """`1,5.10.2012` once failed the figures stage, and with it the whole article."""
    doc = run(["Курс вырос до 1,5.10.2012, а выручка фирмы составила 5 млн рублей."])[0]
    assert ("5 млн рублей", 5_000_000) in [(f.text, f.value) for f in doc.figures]


@pytest.mark.parametrize("lemmas,value", [
    (["сто", "двадцать", "пять"], 125), (["двести", "пятьдесят"], 250), (["два", "тысяча"], 2000),
    (["полтора", "миллион"], 1_500_000), (["два", "десяток"], 20), (["два", "треть"], 2 / 3),
    (["три", "тысяча", "сто", "один"], 3101), (["два", "три"], None), (["двадцать", "сто"], None),
    (["двадцать", "первый"], 21), (["третий", "два"], None), (["второй", "половина"], None),
])
def test_words_value(lemmas, value):
    got = words_value(lemmas)
    assert got == (None if value is None else pytest.approx(value))


@pytest.mark.parametrize("word,value", [
    ("сорокалетний", 40), ("двадцатипятилетняя", 25), ("семилетнего", 7), ("стапятидесятилетие", 150),
    ("многолетний", None),
])
def test_stem_value(word, value):
    assert stem_value(word)[0] == value


# --- round trips: digits and words give back the number ----------------------------------------

SEPARATORS = [" ", "\u00a0", "\u2009", "\u202f", "."]


def russian_digits(n: int, cents: int | None, sep: str) -> str:
    groups = f"{n:,}".split(",")
    text = sep.join(groups)
    return text if cents is None else f"{text},{cents:02d}"


@given(st.integers(0, 10**12), st.one_of(st.none(), st.integers(0, 99)), st.sampled_from(SEPARATORS))
def test_digits_round_trip(n, cents, sep):
    if sep == "." and n >= 1000 and cents is None and len(f"{n:,}".split(",")) == 2:
        sep = " "  # a single dot group reads as a decimal point (27.500), as in English-style news
    value = n + (cents or 0) / 100
    assert parse_digits(russian_digits(n, cents, sep)) == pytest.approx(value)


def lemma_of_numeral(word: str) -> str:
    for p in models.parse(word):
        if {"NUMR", "NOUN", "ADJF"} & set(p.tag.grammemes) or p.normal_form in ("тысяча", "миллион", "миллиард"):
            return p.normal_form
    return word


@given(st.integers(1, 999_999_999))
def test_words_round_trip(n):
    from num2words import num2words

    words = num2words(n, lang="ru").split()
    assert words_value([lemma_of_numeral(w) for w in words]) == n


CASES = {"gent": "У нас нет {} участников.", "ablt": "Мы встретились с {} участниками.",
         "datv": "Премии вручили {} участникам."}


def inflect_numeral(words: list[str], case: str) -> str:
    out = []
    for w in words:
        parse = next(p for p in models.parse(w) if {"NUMR", "NOUN", "ADJF"} & set(p.tag.grammemes))
        form = parse.inflect({case, "plur"} if "NOUN" in parse.tag and parse.normal_form != w else {case})
        out.append(form.word if form else w)
    return " ".join(out)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 999), st.sampled_from(sorted(CASES)))
def test_words_in_context_round_trip(n, case):
    """Numbers in words in any case, read in a sentence by the whole pipeline."""
    from num2words import num2words

    words = inflect_numeral(num2words(n, lang="ru").split(), case)
    doc = run([CASES[case].format(words)])[0]
    assert [(f.value, f.unit) for f in doc.figures] == [(n, "участник")], words


PIECES = ["5", "10,", "1.000", "2,5", "–", "до", "от", "более", "чем", "на", "тыс.", "млн", "$", "%", "руб.",
          "лет", "в", "45-летний", "3-й", "двух", "полтора", "тысячи", "человек", "км/ч", "№", "минус",
          "1990-2000", "90-х", "кв. м", "\u00a0", "999", ":", "(", ")"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=10))
def test_any_text_gives_well_formed_figures(pieces):
    """Whatever the mix of numbers and signs, figures point at their own text, in order."""
    doc = run([" ".join(pieces)])[0]
    assert [f.figure_id for f in doc.figures] == list(range(len(doc.figures)))
    assert sorted(doc.figures, key=lambda f: (f.start, f.stop)) == doc.figures
    for f in doc.figures:
        assert f.start < f.stop and doc.text[f.start:f.stop] == f.text and f.value is not None


LINK_PIECES = ["a", "b", "8", "7", "1", "2", "45", "123", "@", ".", "-", "/", " ", "\n", "(", ")", "+", ":", "_", "й",
               "http://", "https://", "www.", "WWW.", ".ru", ".RU", ".com", ".info", ".io", ".рф", "ru", "ı", "😀"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LINK_PIECES), max_size=30).map("".join))
def test_link_spans_are_those_of_the_reference_pattern(text):
    """The linear scanner gives the spans `NOT_AMOUNTS.finditer` gives (which backtracks on long runs)."""
    assert not_amount_spans(text) == [m.span() for m in NOT_AMOUNTS.finditer(text)]
