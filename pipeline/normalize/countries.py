"""Country mentions normalized to ISO 3166: names, abbreviations and state adjectives.

A gazetteer of pycountry's ISO names (translated to Russian by its bundled gettext
catalogue) and the curated names in `data/countries.tsv` is matched on token lemmas and
surface forms, longest name first, so every case form and multi-word name is found
whatever the NER label (`МИД России`, `Россия заявила`). Cities, regions and people are
simply not in the gazetteer; homonyms of common words (`Того`/`того`) and longer
non-country names (`Латинская Америка`) are handled by the rules of the data file.
Adjectives (`российская делегация`) count when they name the state, as NEREL marks them,
and not when they tell a person's nationality (`российский актёр`) or a language. The
contract's wording excludes adjectives, but NEREL, the gold we measure on, marks state
adjectives as COUNTRY (a quarter of its country mentions), so this follows NEREL.
"""
from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from razdel import tokenize as razdel_tokenize

from .. import datafiles, models
from ..inflect import feats_of, nominative_phrase
from ..lemmatize import normal_word
from ..records import Country, Document, Mention, Token
from ..spans import SpanIndex, SpanSet

MAX_WORDS = 8
KEY_POS = {"NOUN", "ADJF", "PRTF"}  # parses whose normal form may stand for an alias word
ADJ_SKIP_POS = {"ADJ", "ADV", "CCONJ", "DET", "NUM"}  # between an adjective and its head noun
ADJ_SPAN = 8  # how far the head noun of an adjective may be (lists: английском, немецком и французском языках)
OPEN_QUOTES = {"«", '"', "''", "„", "“"}


@dataclass(frozen=True)
class Code:
    iso2: str
    iso3: str
    name_ru: str
    name_en: str


@dataclass(frozen=True)
class Name:
    """One gazetteer name: per word the forms (lemmas or surfaces) that match it."""

    iso2: str  # "" for a blocking name
    words: tuple[frozenset[str], ...]
    rule: str
    surface: str


@lru_cache(maxsize=1)
def russian() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)


@lru_cache(maxsize=1)
def codes() -> dict[str, Code]:
    """Every code with its canonical names: pycountry, the extra codes and the chosen short names."""
    tr = russian()
    out = {c.alpha_2: Code(c.alpha_2, c.alpha_3, tr.gettext(c.name), c.name) for c in pycountry.countries}
    for row in datafiles.read_tsv("countries_extra.tsv"):
        out[row["iso2"]] = Code(row["iso2"], row["iso3"], "", row["name_en"])
    for row in datafiles.read_tsv("countries.tsv"):
        if row["rule"] == "name":
            c = out[row["iso2"]]
            out[row["iso2"]] = Code(c.iso2, c.iso3, row["alias"], c.name_en)
    return out


def word_forms(word: str, rule: str) -> frozenset[str]:
    """Forms a text token may show for one word of a name: the word and its dictionary lemmas.

    A trap keeps only its place-name lemmas (`Чада` → чад, not чадо; `Того` → того, not тот).
    """
    w = normal_word(word)
    if rule == "abbr" or w.isascii():  # Latin words have no lemma but themselves
        return frozenset({w})
    lemmas = set()
    for p in models.parse(w):
        grammemes = p.tag.grammemes
        if p.tag.POS in KEY_POS and "Apro" not in grammemes and (rule != "trap" or "Geox" in grammemes):
            lemmas.add(normal_word(p.normal_form))
    return frozenset({w} | lemmas)


def split_words(alias: str) -> list[str]:
    """The alias cut as razdel cuts the text (`U.S.` is four tokens)."""
    if all(ch.isalpha() or ch in " -" for ch in alias):
        return alias.split()
    return [t.text for t in razdel_tokenize(alias)]


def make_name(iso2: str, alias: str, rule: str) -> Name:
    return Name(iso2, tuple(word_forms(w, rule) for w in split_words(alias)), rule, alias)


@lru_cache(maxsize=1)
def name_rows() -> tuple[tuple[str, str, str], ...]:
    """(iso2, alias, rule) of the data file plus pycountry's Russian short and official names."""
    rows = [(r["iso2"].strip("-"), r["alias"], r["rule"]) for r in datafiles.read_tsv("countries.tsv")]
    curated = {normal_word(alias) for _, alias, _ in rows}
    tr = russian()
    for c in pycountry.countries:
        names = [c.name, getattr(c, "common_name", None)]  # English short names, then the Russian ones
        for en in (c.name, getattr(c, "official_name", None)):
            names.append(tr.gettext(en).replace("\u0301", "") if en else "")  # Респу́блика
        for alias in filter(None, names):
            if normal_word(alias) not in curated and "(" not in alias and "," not in alias:
                rows.append((c.alpha_2, alias, "alias"))
                curated.add(normal_word(alias))
    return tuple(rows)


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Name, ...]]:
    """Names by the forms of their first word, longest first."""
    index: dict[str, list[Name]] = {}
    for iso2, alias, rule in name_rows():
        name = make_name(iso2, alias, rule)
        if not name.words or len(name.words) > MAX_WORDS:
            continue
        for form in name.words[0]:
            index.setdefault(form, []).append(name)
    return {k: tuple(sorted(v, key=lambda n: -len(n.words))) for k, v in index.items()}


@lru_cache(maxsize=1)
def single_words() -> dict[str, str]:
    """One-word names as written (nominative), for parts of hyphenated tokens (`Египет-25`)."""
    out = {}
    for iso2, alias, rule in name_rows():
        if iso2 and rule != "trap" and len(split_words(alias)) == 1 and "-" not in alias:
            out.setdefault(alias, iso2)
    return out


@lru_cache(maxsize=1)
def adjectives() -> tuple[dict[str, str], dict[str, str]]:
    """Country adjectives by lemma, and their compound prefixes (российско-, американо-)."""
    by_lemma, by_prefix = {}, {}
    for row in datafiles.read_tsv("countries_adjectives.tsv"):
        adj, iso2 = normal_word(row["adjective"]), row["iso2"]
        by_lemma[adj] = iso2
        by_prefix[adj[:-2] + "о"] = iso2
        for p in filter(None, (row.get("prefix") or "").split(",")):
            by_prefix[normal_word(p.strip())] = iso2
    return by_lemma, by_prefix


@lru_cache(maxsize=1)
def context_words() -> dict[str, frozenset[str]]:
    roles: dict[str, set[str]] = {}
    for row in datafiles.read_tsv("countries_context.tsv"):
        roles.setdefault(row["role"], set()).add(normal_word(row["word"]))
    return {k: frozenset(v) for k, v in roles.items()}


def keys(tok: Token) -> tuple[str, str]:
    return normal_word(tok.lemma or tok.text), normal_word(tok.text)


def is_capitalized(text: str) -> bool:
    return text[:1].isupper()


def matches(name: Name, tokens: list[Token], token_keys: list[tuple[str, str]], i: int) -> bool:
    """Does `name` start at token i (same sentence, every word in its forms)?"""
    n = len(name.words)
    if i + n > len(tokens) or tokens[i + n - 1].sent_id != tokens[i].sent_id:
        return False
    for j, forms in enumerate(name.words):
        lemma, surface = token_keys[i + j]
        if surface not in forms and (name.rule == "abbr" or lemma not in forms):
            return False
    if name.rule == "abbr":
        return "".join(t.text for t in tokens[i:i + n]) == name.surface.replace(" ", "")
    return name.rule == "block" or is_capitalized(tokens[i].text)


def trap_ok(tokens: list[Token], i: int) -> bool:
    """A homonym counts inside a sentence (or tagged a proper noun), and not after `река`."""
    tok = tokens[i]
    sentence_start = i == 0 or tokens[i - 1].sent_id != tok.sent_id or tokens[i - 1].text in "«\"(—-–"
    if sentence_start and tok.pos != "PROPN":
        return False
    if tok.pos in ("DET", "PRON", "VERB", "ADP", "SCONJ"):
        return False
    prev = tokens[i - 1] if i else None
    return not (prev and prev.sent_id == tok.sent_id and keys(prev)[0] in context_words().get("river", ()))


def is_title(tok: Token) -> bool:
    """A common noun for a person (султан, король): `Султан Омана` is a title, not a name."""
    return any(p.is_known and p.tag.POS == "NOUN" and "anim" in p.tag
               and not {"Name", "Surn", "Patr"} & p.tag.grammemes for p in models.parse(normal_word(tok.text)))


def person_spans(doc: Document) -> SpanSet:
    """The document's person mentions, found by span (a scan per country would be quadratic)."""
    spans = SpanSet([t.start for t in doc.tokens])
    for i, m in enumerate(doc.mentions):
        if m.type == "PER":
            spans.add(m.start, m.stop, i)
    return spans


def in_person(doc: Document, start: int, stop: int, exact: bool = True, persons: SpanSet | None = None) -> bool:
    """Part of a multi-word person name (`Сальвадора Дали`, `Ливия Клаусова`), not of a title.

    A one-word person counts too when only its lemma matched (`Доминик` is not Доминика).
    `persons` is `person_spans(doc)`, made once per document.
    """
    persons = persons if persons is not None else person_spans(doc)
    for i in sorted(persons.overlapping(start, stop)):
        m = doc.mentions[i]
        if not (m.start <= start and stop <= m.stop):
            continue
        if (m.start, m.stop) == (start, stop):
            if not exact:
                return True
            continue
        others = [t for t in doc.tokens_in(m.start, m.stop) if t.stop <= start or t.start >= stop]
        if others and not any(is_title(t) for t in others):
            return True
    return False


def country(doc: Document, start: int, stop: int, iso2: str, form: str = "name") -> Country:
    c = codes()[iso2]
    return Country(start, stop, doc.text[start:stop], c.iso2, c.iso3, c.name_ru, c.name_en, form)


def hyphen_parts(tok: Token) -> list[tuple[int, int, str]]:
    """A country written into a hyphenated name: `Мисс Америка-2013`, `Интерфакс-Украина`.

    The other parts must be numbers or capitalized words that are not prefixes of a place
    name (`Сан-Сальвадор` is a city).
    """
    words, found, offset = tok.text.split("-"), [], tok.start
    if len(words) < 2:
        return []
    prefixes = context_words().get("place_prefix", frozenset())
    for word in words:
        iso2 = single_words().get(word)
        if iso2:
            found.append((offset, offset + len(word), iso2))
        elif not (word.isdigit() or (is_capitalized(word) and len(word) >= 4
                                     and normal_word(word) not in prefixes)):
            return []
        offset += len(word) + 1
    return found


def find_names(doc: Document, persons: SpanSet) -> tuple[list[Country], set[int]]:
    """Names of the gazetteer, longest first; returns them and the token indexes they cover."""
    index, tokens = gazetteer(), doc.tokens
    token_keys = [keys(t) for t in tokens]
    found, covered = [], set()
    i = 0
    while i < len(tokens):
        lemma, surface = token_keys[i]
        cands = index.get(lemma, ()) + (index.get(surface, ()) if surface != lemma else ())
        if len(cands) > 1:
            cands = sorted(set(cands), key=lambda n: -len(n.words))
        best = None
        for name in cands:
            if matches(name, tokens, token_keys, i) and (name.rule != "trap" or trap_ok(tokens, i)):
                best = name
                break
        if best is None:
            if "-" in tokens[i].text and is_capitalized(tokens[i].text):
                found.extend(country(doc, a, b, iso2) for a, b, iso2 in hyphen_parts(tokens[i]))
            i += 1
            continue
        n = len(best.words)
        start, stop = tokens[i].start, tokens[i + n - 1].stop
        covered.update(range(i, i + n))
        exact = all(token_keys[i + j][1] in forms for j, forms in enumerate(best.words))
        if best.iso2 and not in_person(doc, start, stop, exact, persons):
            found.append(country(doc, start, stop, best.iso2))
        i += n
    return found, covered


def head_noun(tokens: list[Token], i: int) -> Token | None:
    """The noun an adjective at token i qualifies: the next noun past other adjectives."""
    for j in range(i + 1, min(len(tokens), i + 1 + ADJ_SPAN)):
        tok = tokens[j]
        if tok.sent_id != tokens[i].sent_id:
            return None
        if tok.pos in ("NOUN", "PROPN"):
            return tok
        if tokens[j - 1].text in OPEN_QUOTES and tok.pos == "X":  # китайского «Хэбэй Форчун»
            return tok
        if tok.pos in ADJ_SKIP_POS or tok.text in (",", "-") or feats_of(tok).get("VerbForm") == "Part":
            continue
        if tok.text in OPEN_QUOTES:  # сингапурского экономического «чуда»
            continue
        return None
    return None


def names_state(tokens: list[Token], i: int) -> bool:
    """Does the adjective at token i name the state rather than a nationality or a language?"""
    head = head_noun(tokens, i)
    if head is None:
        return False
    ctx = context_words()
    lemma = keys(head)[0]
    if head.pos == "NOUN" and feats_of(head).get("Animacy") == "Anim":
        return lemma in ctx["state"] or lemma.split("-")[0] in ctx["state"]
    return not any(lemma in ctx[role] for role in ("language", "nationality", "place"))


def adjective_parts(tok: Token) -> list[tuple[int, int, str]]:
    """(start, stop, iso2) of the country parts of an adjective token, compounds split."""
    by_lemma, by_prefix = adjectives()
    lemma = normal_word(tok.lemma or tok.text)
    if "-" not in tok.text or lemma in by_lemma:  # шри-ланкийский is one adjective
        if lemma.startswith("все") and not is_capitalized(tok.text):
            return []  # всероссийских выставок is a scale; Всероссийский фестиваль names the country
        return [(tok.start, tok.stop, by_lemma[lemma])] if lemma in by_lemma else []
    parts, offset = [], tok.start
    words = tok.text.split("-")
    for k, word in enumerate(words):
        key = normal_word(word)
        iso2 = by_prefix.get(key) if k < len(words) - 1 else by_lemma.get(lemma.split("-")[-1])
        if iso2 is None:
            return []
        parts.append((offset, offset + len(word), iso2))
        offset += len(word) + 1
    return parts


def find_adjectives(doc: Document, covered: set[int], persons: SpanSet) -> list[Country]:
    found = []
    for i, tok in enumerate(doc.tokens):
        if i in covered or tok.pos not in ("ADJ", "PROPN") or not tok.text[:1].isalpha():
            continue
        parts = adjective_parts(tok)
        if parts and names_state(doc.tokens, i) and not in_person(doc, tok.start, tok.stop, persons=persons):
            found.extend(country(doc, start, stop, iso2, "adjective") for start, stop, iso2 in parts)
    return found


def countries(docs: list[Document]) -> list[Document]:
    for doc in docs:
        persons = person_spans(doc)
        names, covered = find_names(doc, persons)
        doc.countries = sorted(names + find_adjectives(doc, covered, persons), key=lambda c: (c.start, c.stop))
    return docs


def country_mentions(docs: list[Document]) -> list[Document]:
    """Country names the NER model missed become LOC mentions too.

    The gazetteer finds names slovnet does not tag (abbreviations, names inside
    organizations). State adjectives stay out of the mentions (NEREL marks them, other
    corpora do not: they are named entities only by NEREL's convention), and so does
    the EU, an organization."""
    for doc in docs:
        locs = SpanIndex((m.start, m.stop) for m in doc.mentions if m.type == "LOC")
        orgs = {(m.start, m.stop) for m in doc.mentions if m.type == "ORG"}
        added = False
        for c in doc.countries:
            if (c.form != "name" or c.iso2 == "EU" or (c.start, c.stop) in orgs
                    or locs.overlaps(c.start, c.stop)):
                continue
            tokens = doc.tokens_in(c.start, c.stop)
            normal = nominative_phrase(doc.text, tokens) if tokens else c.text
            doc.mentions.append(Mention(0, doc.sent_at(c.start), c.start, c.stop, c.text, "LOC", normal))
            added = True
        if added:
            doc.sort_mentions()
    return docs
