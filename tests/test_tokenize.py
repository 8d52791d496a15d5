"""tokenize: razdel sentences and tokens with offsets into the original text."""
import razdel
from razdel.segmenters.tokenize import TokenSegmenter
from hypothesis import given, settings, strategies as st

from pipeline import segment
from pipeline.ingest import make_document
from pipeline.tokenize import tokenize_document


def tokenized(text):
    return tokenize_document(make_document("t", "<t>", text, text.encode()))


def test_offsets_index_the_original_text():
    text = " date 2025-08-20 Фото: пресс-служба\r\n\r\nЗа 2,5 года — 27 стран. Об этом сообщила «пресс-служба»."
    doc = tokenized(text)
    for tok in doc.tokens:
        assert text[tok.start:tok.stop] == tok.text
    for sent in doc.sentences:
        assert text[sent.start:sent.stop] == sent.text


def test_each_line_is_its_own_paragraph():
    doc = tokenized("Заголовок без точки\nПервое предложение. Второе предложение.")
    assert [s.text for s in doc.sentences] == ["Заголовок без точки", "Первое предложение.", "Второе предложение."]
    assert [s.sent_id for s in doc.sentences] == [0, 1, 2]


def test_tokens_are_numbered_across_sentences():
    doc = tokenized("Один. Два три.")
    assert [(t.sent_id, t.token_id, t.text) for t in doc.tokens] == [
        (0, 0, "Один"), (0, 1, "."), (1, 2, "Два"), (1, 3, "три"), (1, 4, ".")]


def test_decimal_comma_stays_one_token():
    assert "2,5" in [t.text for t in tokenized("За 2,5 года.").tokens]


RAZDEL_TOKENS = TokenSegmenter()  # razdel's own joining, with segment's rules
RAZDEL_TOKENS.rules = segment.tokenize.rules
PIECES = ["а", "Б", "1", ".", ",", "!", "?", "…", ";", ":", "-", "—", "(", ")", "«", "»", '"', "'", " ", "\n",
          "т.", "г.", "А.", "Иван", "ООН", "1)", "2.", "a", "_", ":-)", ";)", "=(((", "*", "😀", "...", "x@y.ru"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_segmenters_cut_as_razdel_does(text):
    """`segment` joins in linear time and cuts exactly where razdel does (with the one rule
    it adds, for look-alike letters)."""
    def cuts(chunks):
        return [(c.start, c.stop, c.text) for c in chunks]
    assert cuts(segment.sentenize(text)) == cuts(razdel.sentenize(text))
    assert cuts(segment.tokenize(text)) == cuts(RAZDEL_TOKENS(text))


def test_a_word_typed_with_latin_look_alikes_is_one_token():
    words = [t.text for t in segment.tokenize("Делегация Евроcоюза (c латинской «c») и Twitter-аккаунт.")]
    assert "Евроcоюза" in words and "Twitter-аккаунт" in words
    assert [t.text for t in segment.tokenize("на iPhoneе")] == ["на", "iPhone", "е"]  # h, n, i look like no Cyrillic letter
