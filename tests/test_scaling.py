"""Every stage costs time linear in its input, whatever the text.

A scraper feed may hold base64 blobs, minified scripts, one unpunctuated line of 100k tokens,
thousands of one-word lines or quoted names. Each test times one stage alone on a
pathological text of n characters and of 4n (the earlier stages run beforehand, outside the
timing) and requires the ratio to stay under 6: linear is 4, quadratic 16. Only ratios are
compared, never absolute times.

The sizes are small (a few thousand characters: the whole file must run in under a minute),
so each size is run many times, interleaved, and the fastest run counts: a busy moment of the
machine slows a run, nothing makes one faster. (Timing many copies of a document in one run,
to make it last longer, measures the memory hierarchy instead: a pure-Python loop over 4x more
objects may take 5-6x longer once they outgrow the CPU cache.) A 4n-run slower than 10x the
n-run is stopped: it has failed already. A ratio over the limit is measured again, up to
ATTEMPTS times in all: on a shared machine one attempt of a linear stage can land above 5
(4.0-4.5 is typical; the country stage on made-up surnames, a millisecond at n, gave 4.1-6.2,
5.1-5.7 at 4x the size), while a quadratic step lands near 16 every time.
"""
from __future__ import annotations

import base64
import dataclasses
import gc
import random
import signal
import time
from functools import lru_cache

import pytest

from pipeline.ingest import make_document
from pipeline.records import Document
from pipeline.stages import STAGES

MAX_RATIO = 6.0
BUDGET = 0.5  # seconds of runs per test; the fastest run at each size counts
MIN_RUNS, MAX_RUNS = 3, 30
ATTEMPTS = 3


def rep(unit: str, n: int) -> str:
    return unit * max(1, n // len(unit))


def pseudo_words(k: int, seed: int = 1) -> list[str]:
    """Made-up surnames the dictionary does not know (each one distinct)."""
    rnd = random.Random(seed)
    cons, vow = "бвгдклмнпрстфхз", "аеиоу"
    return ["".join(rnd.choice(cons) + rnd.choice(vow) for _ in range(4)).capitalize() + "с" for _ in range(k)]


SHAPES = {
    # long runs without spaces
    "base64": lambda n: base64.b64encode(random.Random(1).randbytes(n * 3 // 4)).decode(),
    "long_word": lambda n: "а" * n,
    "upper_word": lambda n: "А" * n,
    "digits": lambda n: "1" * n,
    "dots": lambda n: "." * n,
    "quotes": lambda n: '"' * n,
    "mixed_quotes": lambda n: rep('«"', n),
    "brackets": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "hyphens": lambda n: rep("а-", n),
    "num_hyphens": lambda n: rep("1-", n),
    "emoji": lambda n: rep("слово😀", n),
    "site_dot": lambda n: rep("сайт.", n),
    "email_glued": lambda n: rep("a@b", n),
    "url_glued": lambda n: rep("https://example.com/a", n),
    # one long line of words
    "unpunct": lambda n: rep("слово ", n),
    "number_words": lambda n: rep("сто двадцать ", n),
    "digit_groups": lambda n: "1" + rep(" 000", n) + ":",
    "caps": lambda n: rep("ООН ", n),
    "latin_caps": lambda n: rep("NATO ", n),
    "legal_latin": lambda n: rep("Inc ", n),
    "gen_chain": lambda n: rep("министерства обороны ", n),
    "white_house": lambda n: rep("в Белом доме ", n),
    "org_brackets": lambda n: rep("ООН (UN) ", n),
    "org_brackets_wide": lambda n: "😀" + rep("ООН (UN) ", n),  # an emoji makes every character 4 bytes
    "wiki": lambda n: rep("''Netflix'' ", n),
    "company_quoted": lambda n: rep("компания «Ромашка» ", n),
    "countries": lambda n: rep("Россия ", n),
    "agency_refs": lambda n: rep("В МАГАТЭ заявили, что Агентство готово помочь. ", n),
    "emails": lambda n: rep("a@b.ru ", n),
    # many short lines or sentences
    "lines": lambda n: rep("слово\n", n),
    "name_lines": lambda n: rep("Москва\n", n),
    "sentences": lambda n: rep("Москва. ", n),
    "quote_sents": lambda n: rep('"Газпром". ', n),
    "surnames": lambda n: " ".join(f"Джон {w}. {w}а сказал." for w in pseudo_words(n // 26)),
    "article": lambda n: rep(
        "За последние 2,5 года проекты Москвы привлекли внимание делегаций из 27 стран. Об этом "
        "сообщила пресс-служба департамента информационных технологий города Москвы.\n"
        "Интерес проявили эксперты из Китая, Бразилии, Индии, ОАЭ и Малайзии, уточнила заммэра "
        "Наталья Сергунина. Компания «Яндекс» вложила 100 млн рублей.\n", n),
}

# stage -> (shape, n characters): the shapes that were quadratic for the stage, and a few more. n is as
# small as shows the old quadratic steps clearly (razdel's copies need a long line of wide characters).
CASES = {
    "tokenize": [("org_brackets_wide", 30_000), ("hyphens", 10_000), ("lines", 10_000), ("article", 10_000)],
    "lemmatize": [("long_word", 3_000), ("unpunct", 3_000), ("lines", 3_000)],
    "ner": [("dots", 3_000), ("unpunct", 3_000), ("lines", 3_000)],
    "ner_rules": [(shape, 3_000) for shape in (
        "caps", "latin_caps", "legal_latin", "gen_chain", "white_house", "org_brackets", "wiki", "company_quoted",
        "quote_sents", "sentences", "name_lines", "surnames", "article")],
    "countries": [("countries", 3_000), ("surnames", 3_000), ("article", 3_000)],
    "country_mentions": [("countries", 3_000), ("article", 3_000)],
    "organizations": [("agency_refs", 3_000), ("caps", 3_000), ("org_brackets", 3_000)],
    "persons": [("surnames", 6_000), ("article", 3_000)],
    "figures": [(shape, 2_000) for shape in (
        "base64", "long_word", "upper_word", "digits", "dots", "quotes", "mixed_quotes", "brackets", "hyphens",
        "num_hyphens", "emoji", "site_dot", "email_glued", "url_glued", "number_words", "digit_groups", "emails",
        "article")],
}
ORDER = [name for name, _ in STAGES]


class TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise TooSlow


@lru_cache(maxsize=None)
def pipeline_of(shape: str, n: int) -> list[Document]:
    """The states of `shape`'s document at n characters, one per stage run so far (see `prepared`)."""
    text = SHAPES[shape](n)
    return [make_document(shape, "<scaling>", text, text.encode("utf-8"))]


def prepared(shape: str, n: int, stage: str) -> Document:
    """The document of `shape` at n characters as `stage` receives it (earlier stages run once)."""
    states = pipeline_of(shape, n)
    while len(states) <= ORDER.index(stage):
        _, run = STAGES[len(states) - 1]
        states.append(fresh(run([fresh(states[-1])])[0]))
    return states[ORDER.index(stage)]


def fresh(doc: Document) -> Document:
    """A copy whose lists a stage may refill or extend (the records in them are shared)."""
    return dataclasses.replace(doc, **{f.name: list(getattr(doc, f.name)) for f in dataclasses.fields(doc)
                                       if isinstance(getattr(doc, f.name), list)})


def timed(stage: str, doc: Document, limit: float) -> float:
    """Seconds the stage takes on a copy of the document (inf past `limit` seconds)."""
    run, docs = dict(STAGES)[stage], [fresh(doc)]
    old = signal.signal(signal.SIGALRM, _alarm)
    gc.disable()  # a collection scans every object alive, the prepared documents too: noise
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        start = time.perf_counter()
        run(docs)
        return time.perf_counter() - start
    except TooSlow:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        gc.enable()
        signal.signal(signal.SIGALRM, old)


def measure(stage: str, shape: str, n: int) -> tuple[float, float, int]:
    """Fastest seconds of the stage at n and at 4n characters, and how many runs of each."""
    small, large = prepared(shape, n, stage), prepared(shape, 4 * n, stage)
    timed(stage, small, 60)  # warms the caches and loads the models
    smalls, larges = [], []
    until = time.perf_counter() + BUDGET
    while len(smalls) < MIN_RUNS or time.perf_counter() < until and len(smalls) < MAX_RUNS:
        smalls.append(timed(stage, small, 60))
        larges.append(timed(stage, large, 10 * min(smalls) + 1.0))
    return min(smalls), min(larges), len(smalls)


@pytest.mark.parametrize("stage,shape,n", [(stage, shape, n) for stage, cases in CASES.items() for shape, n in cases])
def test_stage_time_is_linear(stage, shape, n):
    for _ in range(ATTEMPTS):
        small, large, runs = measure(stage, shape, n)
        if large / small <= MAX_RATIO:
            break
    assert large / small <= MAX_RATIO, \
        f"{stage} on {shape}: {small:.4f}s at n={n}, {large:.4f}s at 4n ({large / small:.1f}x, best of {runs})"
