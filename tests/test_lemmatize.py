"""lemmatize: slovnet grammar, pymorphy3 lemma agreeing with it."""
import pytest

from conftest import analyse


@pytest.fixture(scope="module")
def doc():
    return analyse("Во время визита его делегация обсудила с коллегами из двух стран развитие "
                   "Москвы, и того же ждут в Нижнем Новгороде. Эксперты стали лучше работать.")


def lemma(doc, word):
    return next(t.lemma for t in doc.tokens if t.text == word)


def tok(doc, word):
    return next(t for t in doc.tokens if t.text == word)


@pytest.mark.parametrize("word, expected", [
    ("Во", "во"), ("делегация", "делегация"), ("обсудила", "обсудить"),
    ("коллегами", "коллега"), ("двух", "два"), ("стран", "страна"), ("Москвы", "Москва"),
    ("того", "то"), ("Нижнем", "нижний"), ("стали", "стать"), ("Эксперты", "эксперт"),
])
def test_lemmas(doc, word, expected):
    assert lemma(doc, word) == expected


def test_pos_and_feats_are_universal_dependencies(doc):
    t = tok(doc, "делегация")
    assert t.pos == "NOUN"
    assert "Case=Nom" in t.feats.split("|")
    assert t.feats == "|".join(sorted(t.feats.split("|")))
    assert tok(doc, ",").pos == "PUNCT" and tok(doc, ",").feats == ""
    assert tok(doc, "Москвы").pos == "PROPN"


def test_a_word_typed_with_latin_look_alikes_has_its_russian_lemma():
    typed = analyse("Переговоры прошли в Мocкве (с латинской «o»).")
    assert lemma(typed, "Мocкве") == "Москва"


@pytest.mark.parametrize("unit", ["де", "не", "пере"])
def test_a_long_run_of_one_prefix_is_no_word_to_analyse(unit):
    """pymorphy3 peels known prefixes off a word recursively: `дедеде…` 2,000 letters long
    exhausted the stack and failed the article. Past any word's length it is not asked."""
    run = unit * (2000 // len(unit))
    doc = analyse(f"В сообщении было только {run} и больше ничего.")
    assert lemma(doc, run) == run
    assert lemma(doc, "сообщении") == "сообщение"
