"""Values of numbers as Russian news writes them: digits and number words.

Digits use a decimal comma and group thousands with spaces, non-breaking or thin
spaces, or dots (`1.844.036.360,12`); words come in every case, so they are read by
their pymorphy3 lemma (`двухсот пятидесяти` → двести + пятьдесят). The tables live in
`data/figures_numbers.tsv` (words) and `data/figures_stems.tsv` (compound stems such
as `сорока` in `сорокалетний`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .. import datafiles

SPACES = " \u00a0\u2009\u202f"
DIGITS = re.compile(r"[-−]?\d+(?:[.,]\d+)*")
# The order in which the parts of one number come: hundreds, then tens or teens, then units.
MAGNITUDE = {"unit": 1, "teen": 10, "ten": 10, "hundred": 100}


@dataclass(frozen=True)
class Word:
    value: float
    role: str


def parse_digits(text: str) -> float | None:
    """`1 234,5` → 1234.5, `1.844.036.360,12` → 1844036360.12, `27.5` → 27.5; None if not a
    number, as when the separators group no thousands (`1,5.10.2012`, `2.0.1`)."""
    s = text.strip().lstrip("+").replace("−", "-")
    for ch in SPACES:
        s = s.replace(ch, "")
    if not DIGITS.fullmatch(s):
        return None
    if "," in s and "." in s:  # the last separator is the decimal one, the other groups thousands
        point, group = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
        whole, _, fraction = s.rpartition(point)
        s = whole.replace(group, "") + "." + fraction if grouped(whole, group) else ""
    elif s.count(".") > 1:
        s = s.replace(".", "") if grouped(s, ".") else ""
    elif s.count(",") > 1:
        s = s.replace(",", "") if grouped(s, ",") else ""
    else:
        s = s.replace(",", ".")
    return float(s) if s else None


def grouped(digits: str, separator: str) -> bool:
    """Thousands grouped by `separator`: one to three digits, then groups of three."""
    head, *groups = digits.lstrip("-").split(separator)
    return 1 <= len(head) <= 3 and head.isdigit() and all(len(g) == 3 and g.isdigit() for g in groups)


@lru_cache(maxsize=None)
def number_words() -> dict[str, Word]:
    return {r["word"]: Word(float(r["value"]), r["role"]) for r in datafiles.read_tsv("figures_numbers.tsv")}


@lru_cache(maxsize=None)
def stems() -> tuple[tuple[str, float], ...]:
    rows = [(r["stem"], float(r["value"])) for r in datafiles.read_tsv("figures_stems.tsv")]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def word_of(lemma: str) -> Word | None:
    return number_words().get(lemma.lower().replace("ё", "е"))


def words_prefix(words: Iterable[Word]) -> tuple[int, float | None]:
    """How many of `words` make one number from the start, and its value.

    `сто двадцать пять` → 125, `две тысячи триста` → 2300, `полтора миллиона` → 1.5e6,
    `два десятка` → 20, `две трети` → 2/3. Two numbers in a row (`два три`) stop at the first.
    Reads `words` only up to the first word that does not belong (it may be a lazy iterator).
    """
    total, current, last_mag, last_scale = 0.0, 0.0, float("inf"), float("inf")
    used, prev = 0, ""
    for n, w in enumerate(words):
        if w.role in MAGNITUDE or w.role in ("collective", "ordinal"):
            mag = MAGNITUDE.get(w.role, 1 if w.value < 10 else 10 if w.value < 100 else 100)
            if mag >= last_mag:
                break
            current += w.value
            last_mag = mag
            if w.role == "ordinal":  # nothing follows an ordinal (второй половине)
                used = n + 1
                break
        elif w.role == "half":
            if current or last_mag != float("inf"):
                break
            current, last_mag = w.value, 1
        elif w.role == "scale":
            if w.value >= last_scale:
                break
            total += (current or 1) * w.value
            current, last_mag, last_scale = 0.0, float("inf"), w.value
        elif w.role in ("group", "part"):
            if n and prev in ("group", "part", "scale"):
                break
            current = (current or 1) * w.value
            last_mag = 0  # nothing smaller can follow
        else:
            break
        used, prev = n + 1, w.role
    if not used:
        return 0, None
    return used, total + current


def words_value(lemmas: list[str]) -> float | None:
    """Value of number words given by their lemmas, if all of them make one number."""
    words = [word_of(lemma) for lemma in lemmas]
    if not words or None in words:
        return None
    used, value = words_prefix(words)  # type: ignore[arg-type]
    return value if used == len(words) else None


@lru_cache(maxsize=1)
def stem_table() -> tuple[dict[str, float], tuple[int, ...], frozenset[str]]:
    """The stems by their text and their lengths, longest first: a word's stem is looked up
    by its prefixes, not found by trying every stem on it. And the stems' beginnings (as long
    as the shortest stem): most words begin with none, which one look-up tells."""
    table: dict[str, float] = {}
    for stem, v in stems():
        table.setdefault(stem, v)
    lengths = tuple(sorted({len(stem) for stem in table}, reverse=True))
    return table, lengths, frozenset(stem[:lengths[-1]] for stem in table)


@lru_cache(maxsize=10_000)
def stem_value(word: str) -> tuple[float | None, str]:
    """The number a compound word starts with and the rest: `двадцатипятилетний` → (25, `летний`)."""
    word = word.lower().replace("ё", "е")
    table, lengths, beginnings = stem_table()
    if word[:lengths[-1]] not in beginnings:
        return None, word
    value, last_mag, rest = 0.0, float("inf"), word
    while True:
        for n in lengths:
            v = table.get(rest[:n]) if n <= len(rest) else None
            if v is None:
                continue
            mag = 100 if v >= 100 else 10 if v >= 10 else 1
            if mag >= last_mag:
                continue
            value, last_mag, rest = value + v, mag, rest[n:]
            break
        else:
            break
    return (value if rest != word else None), rest
