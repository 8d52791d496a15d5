"""Python API: extract() gives the tables as DataFrames; load() reads a folder back typed."""
import pandas as pd

import pipeline


def test_extract_returns_every_table():
    frames = pipeline.extract({"a": "Сергей Собянин открыл парк в Москве.", "b": "Второй текст."})
    assert {"documents", "tokens", "mentions", "countries", "organizations", "persons", "figures",
            "errors"} <= set(frames)
    assert list(frames["documents"]["doc_id"]) == ["a", "b"]
    assert "Москве" in set(frames["mentions"]["text"])


def test_extract_accepts_a_single_text():
    frames = pipeline.extract("Делегация прибыла в Казань.")
    assert list(frames["documents"]["doc_id"]) == ["0"]


def test_load_uses_the_datapackage_types(seed_run):
    out, _ = seed_run
    tables = pipeline.load(out)
    tokens = tables["tokens"]
    assert tokens["start"].dtype == "Int64" and tokens["text"].dtype == "string"
    assert tables["figures"]["value"].dtype == "Float64"
    joined = tables["mentions"].merge(tables["documents"], on="doc_id")
    assert len(joined) == len(tables["mentions"])
    assert isinstance(tables["errors"], pd.DataFrame)


def test_a_text_that_is_no_string_is_an_error_row_and_the_others_go_on():
    """A pandas column with a missing value gives NaN: it once raised AttributeError."""
    texts = ["Делегация Китая прибыла в Москву.", float("nan"), "Переговоры с Индией \ud83d прошли."]
    frames = pipeline.extract(texts)
    assert list(frames["documents"]["doc_id"]) == ["0"]
    assert list(frames["countries"]["iso2"]) == ["CN"]
    assert list(frames["errors"]["error"]) == ["1: the text must be a string, not float",
                                               "2: the text is not valid Unicode (a lone surrogate at character 20)"]
