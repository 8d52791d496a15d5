"""Stage 5b: organizations, each mention with its nominative name and one key per organization.

The key (`org_id`) must be the same in every document and every run, so it never depends
on what else is in the batch: a curated alias file (`org_aliases.tsv`) gives the key of
frequent organizations in all their names; an abbreviation defined in the text
(`Российский союз правообладателей (РСП)`) shares its full name's key within that
document; everything else is the slug of the folded name (case, ё/е, quotes and legal
forms folded). A bare generic body (`правительство`, `полиция`) keeps its generic key,
as news annotation links it to the general concept, not to one government.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

from .. import datafiles, models
from ..records import Country, Document, Mention, Organization, Token
from ..script import has_latin
from ..slugs import slugify

QUOTES_RE = re.compile(r"[«»\"„“”'’`]")
SPACES_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"\w+")
DOMAIN_RE = re.compile(r"\.(ru|com|org|net|рф)$")


@lru_cache(maxsize=2**14)
def fold(text: str) -> str:
    """Case, ё/е, quotes and spacing folded: the form names are compared in. Cached: the
    organization rules fold each token's lemma and text several times (two regex passes)."""
    text = QUOTES_RE.sub(" ", text.lower().replace("ё", "е"))
    return SPACES_RE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def legal_forms() -> frozenset[str]:
    return frozenset(fold(r["form"]) for r in datafiles.read_tsv("org_legal_forms.tsv"))


def strip_legal_form(folded: str) -> str:
    words = folded.split(" ")
    while len(words) > 1 and words[0].rstrip(".,") in legal_forms():
        words = words[1:]
    while len(words) > 1 and words[-1].rstrip(".,") in legal_forms():
        words = words[:-1]
    return " ".join(words)


@lru_cache(maxsize=50_000)
def word_lemma(word: str) -> str:
    if not any(ch.isalpha() for ch in word) or not re.search("[а-я]", word):
        return word
    parses = models.parse(word)
    return parses[0].normal_form.replace("ё", "е") if parses else word


def lemma_key(folded: str) -> tuple[str, ...]:
    """Word lemmas of a folded name: matches a name in any case form."""
    return tuple(word_lemma(w) for w in re.findall(r"[\w&.-]+", folded))


@lru_cache(maxsize=1)
def aliases() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """Folded name → key, and lemma sequence → key, for every curated name and alias."""
    by_text: dict[str, str] = {}
    by_lemmas: dict[tuple[str, ...], str] = {}
    for row in datafiles.read_tsv("org_aliases.tsv"):
        for name in [row["name"], *row["aliases"].split("|")]:
            if not name.strip():
                continue
            folded = strip_legal_form(fold(name))
            by_text.setdefault(folded, row["key"])
            by_lemmas.setdefault(lemma_key(folded), row["key"])
    return by_text, by_lemmas


@lru_cache(maxsize=1)
def single_word_aliases() -> frozenset[str]:
    """Curated one-word names and abbreviations (folded, and as lemmas): rules find these in text."""
    by_text, by_lemmas = aliases()
    words = {t for t in by_text if " " not in t}
    return frozenset(words | {k[0] for k in by_lemmas if len(k) == 1})


RUSSIA = ("россии", "рф", "российской федерации", "россия", "российская федерация", "российский федерация")


def without_russia(folded: str) -> str:
    """`фсб россии` → `фсб`: in Russian news a bare body name is the Russian one.

    Kept when only a generic head would remain (`правительство россии` is not any government).
    """
    for suffix in RUSSIA:
        if folded.endswith(" " + suffix):
            rest = folded[: -len(suffix) - 1]
            if " " in rest or rest not in generic_heads():
                return rest
    return folded


@lru_cache(maxsize=1)
def generic_heads() -> frozenset[str]:
    return frozenset(fold(r["lemma"]) for r in datafiles.read_tsv("org_heads.tsv"))


@lru_cache(maxsize=1)
def lone_heads() -> frozenset[str]:
    """Slugs of heads that name a body alone (`правительство`, `полиция`, `парламент`)."""
    return frozenset(slugify(r["lemma"]) for r in datafiles.read_tsv("org_heads.tsv") if r["alone"] == "1")


@lru_cache(maxsize=1)
def dependent_heads() -> frozenset[str]:
    """Heads that name a body only with a name (`агентство`, `фонд`): alone, they refer back.
    Generic bodies (`суд`, `комитет`) are left alone: another court may be meant."""
    return frozenset(fold(r["lemma"]) for r in datafiles.read_tsv("org_heads.tsv")
                     if r["alone"] == "0" and r["lower"] != "1")


@lru_cache(maxsize=1)
def multi_word_aliases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Curated names of several words as lemma sequences, indexed by their first lemma."""
    _, by_lemmas = aliases()
    out: dict[str, list[tuple[str, ...]]] = {}
    for key in by_lemmas:
        if 2 <= len(key) <= 6:
            out.setdefault(key[0], []).append(key)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@lru_cache(maxsize=100_000)
def curated_key(text: str) -> str:
    """The curated key of a name, or '' when the alias file does not know it."""
    by_text, by_lemmas = aliases()
    folded = strip_legal_form(fold(text))
    for name in (folded, without_russia(folded)):
        key = by_text.get(name) or by_lemmas.get(lemma_key(name), "")
        if key:
            return key
    return ""


def token_lemmas(doc: Document, m: Mention) -> str:
    """The name as folded lemmas of its words: one form for every case and number."""
    words = [fold(t.lemma or t.text) for t in doc.tokens_in(m.start, m.stop)
             if any(ch.isalnum() for ch in t.text)]
    return " ".join(words) or fold(m.text)


@lru_cache(maxsize=100_000)
def slug_key(text: str) -> str:
    folded = DOMAIN_RE.sub("", strip_legal_form(fold(text)))
    if folded.startswith("the "):
        folded = folded[4:]
    return slugify(without_russia(folded)) or slugify(text, lowercase=False, regex_pattern=r"[^\w]+") or "org"


def defined_abbreviations(doc: Document, orgs: list[Mention]) -> dict[str, Mention]:
    """Names the text defines by a bracket: folded short or original name → the mention it
    names. `Полное название (АББР)` and `АББР (Full Name)`, a Russian name followed by its
    original in Latin letters, and an abbreviation listed after it in the same bracket if
    its letters are the name's initials: `Объединение за Мали (Rassemblement pour le Mali, RPM)`."""
    out = {}
    for i, (a, b) in enumerate(zip(orgs, orgs[1:])):
        if QUOTES_RE.sub("", doc.text[a.stop:b.start]).strip() != "(":
            continue
        closed = doc.text[b.stop:b.stop + 1] == ")"
        if closed and len(b.text) < len(a.text):
            out.setdefault(fold(b.text), a)
        elif closed and is_abbreviation(a.text) and " " in b.text.strip():
            out.setdefault(fold(a.text), b)  # a name of words, not another abbreviation: `ООН (UNICEF)`
        elif has_latin(b.text) and not has_latin(a.text) and not is_abbreviation(a.text):
            out.setdefault(fold(b.text), a)  # not after `ООН`: `Детский фонд ООН (UNICEF)` names more than it
        for c in listed_after(doc, orgs, i + 1):
            if is_abbreviation(c.text) and (initials_of(c.text, b.text) or initials_of(c.text, a.text)):
                out.setdefault(fold(c.text), a)
    return out


def listed_after(doc: Document, orgs: list[Mention], i: int) -> Iterator[Mention]:
    """The mentions after `orgs[i]` in the same bracket, each after a comma (bounded: a
    bracket lists a few names)."""
    for prev, c in zip(orgs[i:i + 3], orgs[i + 1:i + 4]):
        if QUOTES_RE.sub("", doc.text[prev.stop:c.start]).strip() not in (",", ";"):
            return
        yield c


def initials_of(abbr: str, name: str) -> bool:
    """The abbreviation's letters are initials of the name's words, in order, from its first
    word; words between may be skipped (`RPM`: Rassemblement pour le Mali)."""
    letters = abbr.lower()
    words = WORD_RE.findall(name.lower())
    if not words or not letters.isalpha() or words[0][0] != letters[0]:
        return False
    i = 0
    for word in words:
        if i < len(letters) and word[0] == letters[i]:
            i += 1
    return i == len(letters)


def is_abbreviation(text: str) -> bool:
    return 2 <= len(text) <= 8 and text.isupper() and " " not in text


@lru_cache(maxsize=1)
def key_words() -> dict[str, frozenset[str]]:
    """Curated key → lemmas of the words in all its names (`magate` → {международный, агентство, …})."""
    out: dict[str, set[str]] = {}
    for row in datafiles.read_tsv("org_aliases.tsv"):
        for name in [row["name"], *row["aliases"].split("|")]:
            out.setdefault(row["key"], set()).update(lemma_key(fold(name)))
    return {k: frozenset(v) for k, v in out.items()}


def short_reference(doc: Document, m: Mention) -> str:
    """A capitalized bare head mid-sentence (`Агентства` after `МАГАТЭ`) is the text's short
    name for an organization named before: its lemma."""
    tokens = [t for t in doc.tokens_in(m.start, m.stop) if any(ch.isalpha() for ch in t.text)]
    if len(tokens) != 1 or not tokens[0].text[:1].isupper() or tokens[0].text.isupper():
        return ""
    before = token_before(doc, tokens[0].start)
    if before is None or before.text in ".!?«\"":
        return ""
    lemma = fold(tokens[0].lemma or tokens[0].text)
    return lemma if lemma in dependent_heads() else ""


class NamedBefore:
    """The keys of the organizations named so far, by the words of their names."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.by_word: dict[str, set[str]] = {}

    def add(self, key: str) -> None:
        if key not in self.seen:
            self.seen.add(key)
            for word in key_words().get(key) or set(key.split("-")):
                self.by_word.setdefault(word, set()).add(key)

    def referent(self, key: str, lemma: str) -> str:
        """The key of the one organization named before with the word `lemma` in its name,
        other than `key`; '' when none or several (`Суда` after two courts is left alone)."""
        named = self.by_word.get(lemma, set()), self.by_word.get(slugify(lemma), set())
        if any(len(keys) > 2 for keys in named):
            return ""  # two others at least
        found = (named[0] | named[1]) - {key}
        return next(iter(found)) if len(found) == 1 else ""


def countries_in(doc: Document, orgs: list[Mention]) -> list[list[Country]]:
    """The country mentions inside each organization mention (one pass over both, sorted)."""
    out: list[list[Country]] = [[] for _ in orgs]
    order = sorted(range(len(orgs)), key=lambda i: orgs[i].start)
    j = 0
    for i in order:
        m = orgs[i]
        while j < len(doc.countries) and doc.countries[j].start < m.start:
            j += 1
        k = j
        while k < len(doc.countries) and doc.countries[k].stop <= m.stop:
            out[i].append(doc.countries[k])
            k += 1
    return out


def token_before(doc: Document, offset: int) -> Token | None:
    """The token before the one at `offset`, in its sentence; None at a sentence's start."""
    i = bisect_left(doc.tokens, offset, key=lambda t: t.start)
    if i == 0 or i >= len(doc.tokens) or doc.tokens[i - 1].sent_id != doc.tokens[i].sent_id:
        return None
    return doc.tokens[i - 1]


def country_lemmas(country: Country) -> list[str]:
    return list(lemma_key(fold(country.name_ru)))


def canonical_lemmas(doc: Document, m: Mention, inside: list[Country]) -> str:
    """The name's lemmas with each country in it said by its one name, and a state
    adjective that opens it said as its country at the end, as the genitive says it:
    `британское правительство`, `правительство Британии` → `правительство великобритания`,
    the lemmas of `правительство Великобритании`."""
    names = [c for c in inside if c.form == "name"]
    words, i = [], 0
    for tok in doc.tokens_in(m.start, m.stop):
        if not any(ch.isalnum() for ch in tok.text):
            continue
        while i < len(names) and names[i].stop <= tok.start:
            i += 1
        if i < len(names) and names[i].start <= tok.start < names[i].stop:
            if names[i].start == tok.start:
                words.extend(country_lemmas(names[i]))
            continue
        words.append(fold(tok.lemma or tok.text))
    first = inside[0] if inside else None
    opening = first is not None and first.form == "adjective" and first.start == m.start and len(words) > 1
    if opening and not (first.text[:1].isupper() and token_before(doc, first.start) is not None):
        # (a capital mid-sentence is part of a proper name: `Российская академия наук`)
        words = words[1:] + country_lemmas(first)
    return " ".join(words) or fold(m.text)


def place_qualified(keys: list[str], orgs: list[Mention], inside: list[list[Country]]) -> list[str]:
    """A name and the same name with its country after it in one article (`Верховный суд`,
    `Верховный суд Пакистана`; `МИД`, `МИД Великобритании`) are one body: the short name
    takes the long one's key when the article names one such body only."""
    longer: dict[str, set[str]] = {}
    for key, m, countries_ in zip(keys, orgs, inside):
        if key.split("-")[0] in lone_heads():
            continue  # `правительство` alone is the concept, as news annotation links it
        if countries_ and countries_[-1].stop == m.stop and countries_[-1].form == "name":
            place = slugify(" ".join(country_lemmas(countries_[-1])))
            if key.endswith("-" + place):
                longer.setdefault(key[: -len(place) - 1], set()).add(key)
    return [next(iter(longer[k])) if len(longer.get(k, ())) == 1 else k for k in keys]


def keys_of(doc: Document, orgs: list[Mention]) -> list[str]:
    """One key per mention: curated, else shared with an abbreviation defined in this text,
    else the slug of the name's lemmas (a state adjective said as its country)."""
    defined = defined_abbreviations(doc, orgs)
    abbr_of: dict[int, str] = {}  # the first name a bracket gives a mention: all its names share its key
    for abbr, full in defined.items():
        abbr_of.setdefault(id(full), abbr)
    inside = countries_in(doc, orgs)
    keys = []
    for m, countries_ in zip(orgs, inside):
        lemmas = canonical_lemmas(doc, m, countries_)
        key = curated_key(m.normal) or curated_key(m.text) or curated_key(lemmas)
        full = defined.get(fold(m.text))
        abbr = abbr_of.get(id(m))
        if not key and full is not None:  # an abbreviation the text spells out
            key = curated_key(full.normal) or curated_key(token_lemmas(doc, full)) or slug_key(abbr_of[id(full)])
        elif not key and abbr is not None:  # a full name the text abbreviates
            key = curated_key(abbr) or slug_key(abbr)
        keys.append(key or slug_key(lemmas))
    before = NamedBefore()  # a scan of all the names before each one would be quadratic
    for i, m in enumerate(orgs):
        lemma = "" if curated_key(m.normal) else short_reference(doc, m)
        if lemma:
            keys[i] = before.referent(keys[i], lemma) or keys[i]
        before.add(keys[i])
    return place_qualified(keys, orgs, inside)


def organizations(docs: list[Document]) -> list[Document]:
    for doc in docs:
        orgs = [m for m in doc.mentions if m.type == "ORG"]
        doc.organizations = [
            Organization(m.start, m.stop, m.text, m.normal, key)
            for m, key in zip(orgs, keys_of(doc, orgs))
        ]
    return docs
