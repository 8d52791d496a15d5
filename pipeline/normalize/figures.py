"""Stage: every number stated in the text as a figure with value, unit, currency and qualifier.

A figure is read in three steps over the tagged tokens of a sentence:
1. the core: digits (`1 234,5`, `27.5`), number words by lemma (`двухсот пятидесяти`),
   hyphenated forms (`45-летний`, `3-й`, `10-15`) or compound adjectives (`сорокалетний`);
2. what follows it: a scale (`тыс.`, `млрд`), the other end of a range (`от 10 до 15`),
   a percent sign, a currency (word, abbreviation or symbol), a unit abbreviation, or the
   counted noun (the first noun after the number, adjectives skipped);
3. what precedes it: a qualifier (`более чем на`, `около`, `не менее`) or a currency symbol.
Numbers that are not amounts (days of dates, times, scores, phone and house numbers, parts
of names and URLs) are skipped. The word tables are data files (`data/figures_*.tsv`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import datafiles, models
from ..inflect import feats_of
from ..ingest import HEADER_DATE
from ..records import Document, Figure, Token
from ..spans import SpanIndex
from .links import not_amount_spans
from .numbers import SPACES, Word, parse_digits, stem_value, word_of, words_prefix

DIGIT_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
HYPHENED = re.compile(r"(\d+(?:[.,]\d+)?)[-–—](\w+)")
DIGIT_RANGE = re.compile(r"(\d+(?:[.,]\d+)?)[-–—](\d+(?:[.,]\d+)?)")
DATE_LIKE = re.compile(r"\d{1,4}[-./]\d{1,2}[-./]\d{1,4}")
DASHES = {"-", "–", "—", "−"}
GLUE = {":", "’", "'", "″", "/", "\\", "#", "№"}  # a number glued to these is a time, score, code
SKIPPABLE_POS = {"ADJ", "DET"}
PREPS_BEFORE = {"на", "в", "за", "по", "с"}
ORDINAL_SUFFIXES = {"й", "я", "е", "го", "м", "х", "ю", "ой", "ом", "ей", "му", "ый", "ий", "ая",
                    "ое", "ого", "ему", "ым", "ых", "ую", "ми", "ти", "ее"}
AGE_CUES = {"возраст", "исполниться", "исполняться", "старше", "младше", "моложе", "дожить", "скончаться",
            "умереть", "летний"}
ANNIVERSARY = {"годовщина", "юбилей", "летие"}
ADJECTIVE_ENDINGS = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ого", "его", "ому", "ему", "ым", "им", "ом",
                     "ем", "ую", "юю", "ые", "ие", "ых", "их", "ыми", "ими")
MAX_YEAR = 2100
BARE_YEAR_FROM = 1800  # a whole number from here to MAX_YEAR with nothing counted is a year
ALWAYS_DOTTED = {"тыс", "руб", "долл", "коп"}  # abbreviations whose dot is theirs even at a sentence end


@dataclass
class Core:
    """A number as written, before its context is read."""

    first: int  # index of its first token in the sentence
    last: int  # index of its last token
    value: float
    kind: str = ""  # set when the form decides it: age (45-летний), ordinal (3-й), money (100-долларовой)
    value_max: float | None = None
    scale: float = 1.0  # the scale word applied (тысяча → 1000), 1 if none
    integer_digits: bool = False  # written as a whole number in digits (a year candidate)
    currency: str = ""
    unit: str = ""
    trim: int = 0  # characters of the last token after the number (razdel keeps `10,` whole)


# --- data tables ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def currencies() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Bare currency words/symbols → code, and (word, adjective or following word) → code."""
    bare, qualified = {}, {}
    for r in datafiles.read_tsv("figures_currencies.tsv"):
        if r["qualifier"]:
            qualified[(r["word"], r["qualifier"])] = r["code"]
        else:
            bare[r["word"]] = r["code"]
    return bare, qualified


@lru_cache(maxsize=None)
def unit_abbreviations() -> dict[str, tuple[str, str]]:
    return {r["abbr"]: (r["unit"], r["kind"]) for r in datafiles.read_tsv("figures_units.tsv")}


@lru_cache(maxsize=None)
def measure_kinds() -> dict[str, str]:
    return {r["lemma"]: r["kind"] for r in datafiles.read_tsv("figures_measures.tsv")}


@lru_cache(maxsize=None)
def qualifiers() -> dict[tuple[str, ...], str]:
    return {tuple(r["phrase"].split()): r["code"] for r in datafiles.read_tsv("figures_qualifiers.tsv")}


@lru_cache(maxsize=None)
def compound_units() -> dict[tuple[str, str], float]:
    return {(r["major"], r["minor"]): float(r["ratio"]) for r in datafiles.read_tsv("figures_compound_units.tsv")}


@lru_cache(maxsize=None)
def compound_rests() -> dict[str, tuple[str, str]]:
    return {r["rest"]: (r["kind"], r["unit"]) for r in datafiles.read_tsv("figures_compound_rests.tsv")}


def identifiers() -> frozenset[str]:
    return datafiles.column("figures_identifiers.tsv", "word")


def months() -> frozenset[str]:
    return datafiles.column("figures_months.tsv", "lemma")


def change_verbs() -> frozenset[str]:
    return datafiles.column("figures_change_verbs.tsv", "lemma")


# --- token helpers -------------------------------------------------------------------------

def low(tok: Token) -> str:
    return tok.text.lower().replace("ё", "е")


def lem(tok: Token) -> str:
    return (tok.lemma or tok.text).lower().replace("ё", "е")


def is_plural(tok: Token) -> bool:
    return feats_of(tok).get("Number") == "Plur"


def currency_of_word(word: str) -> str:
    return currencies()[0].get(word, "")


def currency_adjective(word: str) -> str:
    """`долларовой` → USD, `рублевый` → RUB: the currency an adjective is made of."""
    word = word.lower().replace("ё", "е")
    for name, code in currencies()[0].items():
        if len(name) >= 4 and name.isalpha() and word.startswith(name[:-1]) and word != name:
            return code
    return ""


# --- the scanner ---------------------------------------------------------------------------

class Sentence:
    """One sentence's tokens with the document text around them."""

    def __init__(self, doc: Document, toks: list[Token], masked: SpanIndex):
        self.doc, self.toks, self.masked = doc, toks, masked
        self.group_ends: dict[int, int] = {}

    def groups_end(self, i: int) -> int:
        """Last token of the thousands groups after token i (99 999, 1 234 567), i if none.

        Remembered for every token of the run: a run read from each of its tokens is quadratic."""
        run, j = [], i
        while j not in self.group_ends:
            run.append(j)
            if not (self.tok(j + 1) and re.fullmatch(r"\d{3}", self.toks[j + 1].text)
                    and len(self.gap(j + 1)) == 1 and self.gap(j + 1) in SPACES):
                break
            j += 1
        end = self.group_ends.get(j, j)
        for k in run:
            self.group_ends[k] = end
        return end

    def gap(self, i: int) -> str:
        """Text between token i-1 and token i."""
        if i <= 0 or i >= len(self.toks):
            return " "
        return self.doc.text[self.toks[i - 1].stop:self.toks[i].start]

    def glued(self, i: int) -> bool:
        return self.gap(i) == ""

    def tok(self, i: int) -> Token | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def low(self, i: int) -> str:
        t = self.tok(i)
        return low(t) if t else ""

    def lem(self, i: int) -> str:
        t = self.tok(i)
        return lem(t) if t else ""

    def is_masked(self, i: int) -> bool:
        t = self.toks[i]
        return self.masked.overlaps(t.start, t.stop)


def is_unit_word(tok: Token) -> bool:
    """A scale, currency or unit that may be glued to its number (5км, 10млн, 100руб)."""
    w = word_of(lem(tok))
    return bool(w and w.role == "scale" or currency_of_word(lem(tok)) or low(tok) in unit_abbreviations())


def not_an_amount(s: Sentence, i: int, j: int) -> bool:
    """Digits in tokens i..j that are a time, score, code, house number or part of a name."""
    before, after = s.tok(i - 1), s.tok(j + 1)
    if before and s.glued(i) and (before.text in GLUE or before.text[-1:].isalpha() or before.text in DASHES
                                  and s.tok(i - 2) and s.glued(i - 1) and s.tok(i - 2).text[-1:].isalnum()):
        return True
    if after and s.glued(j + 1) and (after.text in GLUE or after.text[:1].isalpha() and not is_unit_word(after)):
        nxt = s.tok(j + 2)
        if after.text in (":", "/") or after.text[:1].isalpha() or (nxt and nxt.text[:1].isdigit()):
            return True
    k = i - 1
    while k >= 0 and s.low(k) in {".", ","} and k > i - 3:
        k -= 1
    if k >= 0 and (s.low(k) in identifiers() or s.lem(k) in identifiers()):
        return True  # дом 5, ст. 128.1, № 14
    if after and i == j and s.toks[i].text.isdigit() and after.text[:1].isupper() and (i == 0 or s.toks[i - 1].pos == "PUNCT" and before.text != ","):
        return True  # 1 Трудоустройство 2 Заработная плата: a numbered list
    return False


def digit_core(s: Sentence, i: int) -> Core | None:
    t = s.toks[i]
    text = t.text
    if DATE_LIKE.fullmatch(text):
        return None
    m = DIGIT_RANGE.fullmatch(text)
    if m:
        a, b = parse_digits(m.group(1)), parse_digits(m.group(2))
        if a is None or b is None or b <= a:
            return None
        return Core(i, i, a, value_max=b)
    m = HYPHENED.fullmatch(text)
    if m:
        return hyphened_core(s, i, m)
    trim = 0
    if text[-1] in ",." and DIGIT_TOKEN.fullmatch(text[:-1]):
        text, trim = text[:-1], 1
    if not DIGIT_TOKEN.fullmatch(text):
        return None
    j = s.groups_end(i) if re.fullmatch(r"\d{1,3}", text) else i
    if j > i and not_an_amount(s, i, j):
        return None  # find_core drops it; reading its value would read the groups again
    value = parse_digits(s.doc.text[t.start:s.toks[j].stop - trim])
    if value is None:
        return None
    core = Core(i, j, value, integer_digits=re.fullmatch(r"\d+", text) is not None and j == i, trim=trim)
    before = s.tok(i - 1)
    if before and before.text in ("−", "-") and s.glued(i) and not (s.tok(i - 2) and s.tok(i - 2).text[:1].isdigit()):
        core.first, core.value = i - 1, -value
    elif before and before.text == "+" and s.glued(i):
        core.first = i - 1
    elif before and low(before) == "минус":
        core.first, core.value = i - 1, -value
    return core


def hyphened_core(s: Sentence, i: int, m: re.Match) -> Core | None:
    """`45-летний`, `100-летию`, `3-й`, `13-ти летний`, `100-долларовой`, `5-процентный`."""
    value = parse_digits(m.group(1))
    suffix = m.group(2).lower().replace("ё", "е")
    if value is None:
        return None
    if suffix.startswith("летн") or suffix.startswith("лети"):
        return Core(i, i, value, kind="age", unit="год")
    if suffix in ("ти", "х", "ми", "и") and s.tok(i + 1) and s.lem(i + 1).endswith("летний"):
        return Core(i, i + 1, value, kind="age", unit="год")
    if suffix.startswith("процент"):
        return Core(i, i, value, kind="percent", unit="%")
    code = currency_adjective(suffix)
    if code:
        return Core(i, i, value, kind="money", currency=code)
    if suffix in ORDINAL_SUFFIXES:
        if suffix == "х" and value >= 10 and value % 10 == 0 or 1000 <= value <= MAX_YEAR:
            return Core(i, i, value, kind="year")  # decades (90-х) and years (в 2010-м)
        if suffix in ("ти", "ми", "х"):
            return Core(i, i, value)  # more than 160-ти: a cardinal in the genitive
        return Core(i, i, value, kind="ordinal")
    if len(suffix) > 3 and suffix.endswith(ADJECTIVE_ENDINGS):
        return Core(i, i, value, kind="number")  # 630-местный, 688-страничный
    return None


@lru_cache(maxsize=50_000)
def numeral_lemma(word: str) -> str:
    """The numeral reading of a word the tagger took for something else (`девяноста` as ADP)."""
    for p in models.parse(word):
        if "NUMR" in p.tag:
            return p.normal_form
    return ""


@lru_cache(maxsize=10_000)
def half_word(lemma: str) -> Word | None:
    """`полмиллиона`, `полусотня`: half of a scale or group word."""
    rest = lemma[4:] if lemma.startswith("полу") else lemma[3:]
    parses = models.parse(rest) if len(rest) > 3 else ()
    w = word_of(parses[0].normal_form) if parses else None
    return Word(w.value / 2, "group") if w and w.role in ("scale", "group") else None


def number_word(tok: Token) -> Word | None:
    if tok.pos in ("NUM", "NOUN", "ADJ", "DET"):
        w = word_of(lem(tok))
        if w:
            return w
        if lem(tok).startswith("пол"):
            return half_word(lem(tok))
    if not tok.text.isalpha() or tok.pos in ("NOUN", "PROPN"):  # семью: the family, not seven
        return None
    lemma = numeral_lemma(low(tok))
    return word_of(lemma) if lemma else None


def word_core(s: Sentence, i: int) -> Core | None:
    """A run of number words from token i, or a compound `-летний` adjective."""
    t = s.toks[i]
    if not number_word(t) and t.text.isalpha():  # -летний, -летие whatever the tagger calls them
        value, rest = stem_value(low(t))
        if value is None or value in (10, 100) and rest.startswith("лети"):
            return None  # десятилетие, столетие: a decade, a century
        for start, (kind, unit) in compound_rests().items():
            if rest.startswith(start):
                return Core(i, i, value, kind=kind, unit=unit)
        return None
    words: list[Word] = []

    def read() -> Iterator[Word]:  # lazily: one number, not the whole run of number words after it
        j = i
        while s.tok(j) and (w := number_word(s.toks[j])):
            words.append(w)
            yield w
            j += 1

    used, value = words_prefix(read())
    if not used or value is None:
        return None
    last = i + used - 1
    if used == 1:
        w = words[0]
        if w.role in ("scale", "group") and is_plural(t) and not lem(t).startswith("пол"):
            return None  # тысячи людей, десятки боссов: no exact number
        if w.role == "part" and w.value == 0.5:
            return None  # половина: a share, seldom an amount
        if w.role in ("unit", "ordinal") and w.value == 1:
            return None  # один alone is mostly «один из», первый mostly «first» in rank
    scales = [w.value for w in words[:used] if w.role == "scale"]
    kind = "ordinal" if words[used - 1].role == "ordinal" else ""
    return Core(i, last, value, kind=kind, scale=scales[-1] if scales else 1.0)


def read_scale(s: Sentence, core: Core) -> None:
    j = core.last + 1
    w = word_of(s.lem(j)) if s.tok(j) else None
    if w and w.role == "scale" and core.scale == 1:
        core.value *= w.value
        if core.value_max is not None:
            core.value_max *= w.value
        core.scale, core.last = w.value, j
        if s.low(j + 1) == "." and s.glued(j + 1) and s.lem(j) == "тыс":  # млн, млрд take no period
            core.last = j + 1


def read_range(s: Sentence, core: Core, find_core) -> None:
    """`от 10 до 15`, `10 – 15`, `10-15 тысяч`: the upper end after the lower one."""
    j = core.last + 1
    if core.value_max is not None or core.kind:
        return
    dash = s.low(j) in DASHES
    until = s.low(j) == "до" and s.low(core.first - 1) == "от"
    if not (dash or until) or not s.tok(j + 1):
        return
    upper = find_core(s, j + 1)
    if upper is None or upper.kind:
        return
    read_scale(s, upper)
    if upper.scale > 1 and core.scale == 1 and core.value * upper.scale <= upper.value:
        core.value *= upper.scale  # от 3 до 5 тысяч: the scale belongs to both ends
        core.scale = upper.scale
    if upper.value <= core.value:
        return
    core.value_max, core.last = upper.value, upper.last
    if until:
        core.first -= 1  # the phrase starts at от


def find_core(s: Sentence, i: int) -> Core | None:
    t = s.toks[i]
    if s.is_masked(i):
        return None
    if t.text[:1].isdigit():
        core = digit_core(s, i)
        if core and not_an_amount(s, i, core.last):
            return None
        return core
    if t.text[:1].isalpha():
        return word_core(s, i)
    return None


def noun_lemma(tok: Token) -> str:
    """The unit a noun names; a participle used as a noun keeps its own form (пострадавший)."""
    lemma = (tok.lemma or tok.text).lower()
    return participle_lemma(low(tok)) or lemma if lemma.endswith(("ть", "ться", "ти")) else lemma


@lru_cache(maxsize=10_000)
def participle_lemma(word: str) -> str:
    for p in models.parse(word):
        if "PRTF" in p.tag:
            form = p.inflect({"nomn", "sing", "masc"})
            return form.word if form else ""
    return ""


def abbreviation_dot(s: Sentence, k: int) -> int:
    """1 if token k+1 is the dot of an abbreviation (тыс. руб.), 0 if none or a full stop."""
    if s.low(k + 1) != "." or not s.glued(k + 1) or not s.low(k).isalpha():
        return 0
    after = s.tok(k + 2)
    if after is None:  # the sentence ends here: a full stop unless the word is never written whole
        return int(s.low(k) in ALWAYS_DOTTED)
    return int(not after.text[:1].isupper() or low(after) == "сша")


def read_after(s: Sentence, core: Core) -> tuple[int, str]:
    """Percent, currency, unit or counted noun after the number; (last token, unit lemma)."""
    j = core.last + 1
    t = s.tok(j)
    if t is None or core.currency:  # $78 млн: the currency came first, nothing else is counted
        return core.last, core.unit
    text = low(t)
    # percent
    if text == "%" or lem(t) == "процент":
        core.kind = "percent"
        return j, "%"
    if text == "п" and s.low(j + 1) == "." and s.low(j + 2) == "п":
        core.kind = "percent"
        return j + 2 + (s.low(j + 3) == "."), "процентный пункт"
    # currency word, abbreviation or symbol, maybe after adjectives (гонконгских долларов)
    k = j
    while s.tok(k) and s.toks[k].pos in SKIPPABLE_POS and k - j < 2 and not currency_of_word(s.lem(k)):
        k += 1
    code = currency_of_word(s.lem(k)) or currency_of_word(s.low(k))
    if code and s.tok(k):
        last = k
        qualified = currencies()[1]
        for a in range(j, k):
            code = qualified.get((s.lem(k), s.lem(a)), code)
        nxt = s.lem(k + 1)
        if (s.lem(k), nxt) in qualified:
            code, last = qualified[(s.lem(k), nxt)], k + 1
        elif nxt == "сша" and s.lem(k) == "доллар":
            last = k + 1
        elif len(s.low(k)) <= 4 and abbreviation_dot(s, k):
            last = k + 1 + (s.lem(k + 2) == "сша")
        core.kind, core.currency = "money", code
        return last, ""
    # unit abbreviations: км, кг, км/ч, °C
    abbrs = unit_abbreviations()
    for n in (3, 2, 1):
        toks = [s.tok(j + m) for m in range(n)]
        # parts of one abbreviation touch, or follow its dot: км/ч, кв. м
        if None in toks or any(not s.glued(j + m) and s.low(j + m - 1) != "." for m in range(1, n)):
            continue
        key = "".join(low(x) for x in toks)
        if key in abbrs and key != "%":
            unit, kind = abbrs[key]
            if unit == "грамм" and core.integer_digits and 1000 <= core.value <= MAX_YEAR:
                break  # 2024 г. is a year
            core.kind = core.kind or kind
            last = j + n - 1
            return last + abbreviation_dot(s, last), unit
    if s.low(j) in ("г", "гг") and core.integer_digits:
        return j + (s.low(j + 1) == "." and s.glued(j + 1)), "год"
    # the counted noun, adjectives and participles skipped
    k = j
    while s.tok(k) and (s.toks[k].pos in SKIPPABLE_POS or "VerbForm=Part" in s.toks[k].feats) and k - j < 4:
        k += 1
    noun = s.tok(k)
    if noun is not None and lem(noun) == "пункт" and any(s.lem(a) == "процентный" for a in range(j, k)):
        core.kind = "percent"
        return k, "процентный пункт"
    if noun is not None and noun.pos == "NOUN" and noun.text[:1].isalpha():
        return k, noun_lemma(noun)
    return core.last, core.unit


def read_minor_unit(s: Sentence, core: Core, unit: str, last: int) -> int:
    """`82 километра 169 метров` → 82.169 километра: the smaller unit joins the larger one."""
    nxt = s.tok(last + 1)
    if core.value_max is not None or nxt is None or not nxt.text.isdigit():
        return last
    minor = find_core(s, last + 1)
    if minor is None or minor.kind:
        return last
    minor_last, minor_unit = read_after(s, minor)
    ratio = compound_units().get((unit, minor_unit))
    if not ratio or minor.value >= ratio:
        return last
    core.value += minor.value / ratio
    return minor_last


def read_qualifier(s: Sentence, core: Core, first: int) -> tuple[int, str]:
    """A qualifier phrase ending before the number (a preposition may sit between)."""
    ends = [first - 1]
    if s.low(first - 1) in PREPS_BEFORE:
        ends.append(first - 2)
    table = qualifiers()
    for end in ends:
        for n in (4, 3, 2, 1):
            start = end - n + 1
            if start < 0:
                continue
            phrase = tuple(s.low(k) for k in range(start, end + 1))
            code = table.get(phrase)
            if not code:
                continue
            if phrase == ("до",):
                if end != first - 1 or target_not_bound(s, start):
                    continue
            return start, code
    return first, ""


def target_not_bound(s: Sentence, k: int) -> bool:
    """`до` after a verb of change (`вырос до`, `с 10 до 15`) gives the value reached, not a bound."""
    for b in range(k - 1, max(-1, k - 7), -1):
        if s.lem(b) in change_verbs():
            return True
        if s.low(b) == "с" and b < k - 1:
            return True
        if s.low(b) in {".", ";", "!", "?"}:
            break
    return False


def age_context(s: Sentence, core: Core, unit_last: int) -> bool:
    if core.kind == "age":
        return True
    for b in range(core.first - 1, max(-1, core.first - 4), -1):
        if s.lem(b) in AGE_CUES or s.low(b) in AGE_CUES:
            return True
    if s.low(core.first - 1) == "в" and s.low(unit_last) in ("лет", "года", "год"):
        return True
    return s.lem(unit_last + 1) == "жизнь" or s.lem(unit_last + 1) in ANNIVERSARY


def classify(s: Sentence, core: Core, unit: str, last: int) -> str:
    if core.kind in ("money", "percent"):
        return core.kind
    if core.kind == "age" or unit in ANNIVERSARY:
        return "age"
    if core.kind == "year" or (core.value_max is not None and unit in ("", "год")
                               and 1000 <= core.value < core.value_max <= MAX_YEAR):
        return "year"
    if unit == "год":
        if core.integer_digits and core.value >= 1000 and core.value_max is None and low(s.toks[last]) != "лет":
            return "year"
        if core.value_max is not None and 1000 <= core.value < core.value_max <= MAX_YEAR:
            return "year"  # в 1990—2000 годах
        if core.kind == "ordinal":
            if age_context(s, core, last):
                return "age"
            return "year" if is_plural(s.toks[last]) else "ordinal"  # девяностые годы
        return "age" if age_context(s, core, last) else "duration"
    if core.kind:
        return core.kind
    kind = measure_kinds().get(unit)
    if kind:
        return kind
    if unit and unit not in months():
        return "count"
    if core.integer_digits and 1000 <= core.value <= MAX_YEAR and (
            s.lem(core.first - 1) in months() or s.low(core.first - 1) in ("в", "с", "до", "к", "по", "году")
            or core.value >= BARE_YEAR_FROM and core.scale == 1):
        return "year"
    return "number"


def share_with_next(s: Sentence, found: list[tuple[Core, Figure, int]]) -> None:
    """`с 10 до 15 тысяч рублей`: the bare first number takes the scale and unit of the second."""
    for (a, fa, a_last), (b, fb, _) in zip(found, found[1:]):
        if not (fa.kind == "number" and a.scale == 1 and s.low(a_last + 1) == "до" and b.first == a_last + 2
                and s.low(a.first - 1) in ("с", "со", "от")):
            continue
        if b.scale > 1 and a.value < 1000:
            fa.value *= b.scale
        fa.kind, fa.unit, fa.currency = fb.kind, fb.unit, fb.currency


def sentence_figures(s: Sentence) -> list[Figure]:
    found: list[tuple[Core, Figure, int]] = []
    i = 0
    while i < len(s.toks):
        core = find_core(s, i)
        if core is None:
            i += 1
            continue
        if not core.trim:  # `10,` ends at its comma
            read_scale(s, core)
            read_range(s, core, find_core)
        # a day in a date (20 августа) is not an amount
        if core.integer_digits and core.value <= 31 and s.lem(core.last + 1) in months():
            i = core.last + 2
            continue
        first = core.first
        before = s.tok(first - 1)
        if before is not None and currency_of_word(before.text) and not before.text.isalpha():
            core.kind, core.currency, first = "money", currency_of_word(before.text), first - 1
        if core.trim or core.kind in ("number", "age") or core.unit:  # `10,` ends at its comma; 45-летний is its own unit
            last, unit = core.last, core.unit
        else:
            last, unit = read_after(s, core)
        last = read_minor_unit(s, core, unit, last)
        kind = classify(s, core, unit, last)
        if kind in ("age",) and unit in ANNIVERSARY | {""}:
            unit = "год"
        if unit in months():
            unit, last = "", core.last
        qual_start, qualifier = read_qualifier(s, core, first)
        if kind == "year" and qualifier != "approx":
            qual_start, qualifier = first, ""
        start, stop = s.toks[qual_start].start, s.toks[last].stop
        if last == core.last:
            stop -= core.trim
        found.append((core, Figure(0, s.toks[qual_start].sent_id, start, stop, s.doc.text[start:stop], kind,
                                   core.value, core.value_max, unit if kind != "money" else "", core.currency,
                                   qualifier), last))
        i = max(core.last, last) + 1
    share_with_next(s, found)
    return [f for _, f, _ in found]


def document_figures(doc: Document) -> list[Figure]:
    masked = not_amount_spans(doc.text)
    if HEADER_DATE.match(doc.text):  # the feed's `date … Фото: …` line is not the article
        end = doc.text.find("\n")
        masked.append((0, end if end >= 0 else len(doc.text)))
    index = SpanIndex(masked)
    by_sent: dict[int, list[Token]] = {}
    for tok in doc.tokens:
        by_sent.setdefault(tok.sent_id, []).append(tok)
    figs = []
    for sent_id in sorted(by_sent):
        figs.extend(sentence_figures(Sentence(doc, by_sent[sent_id], index)))
    figs.sort(key=lambda f: (f.start, f.stop))
    for n, f in enumerate(figs):
        f.figure_id = n
    return figs


def figures(docs: list[Document]) -> list[Document]:
    for doc in docs:
        doc.figures = document_figures(doc)
    return docs
