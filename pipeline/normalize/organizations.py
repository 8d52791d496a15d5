"""Stage 5b: organizations, each mention with its nominative name and one key per organization.

The key (`org_id`) must be the same in every document and every run, so it never depends
on what else is in the batch: a curated alias file (`org_aliases.tsv`) gives the key of
frequent organizations in all their names; an abbreviation defined in the text
(`Российский союз правообладателей (РСП)`) shares its full name's key within that
document; everything else is the slug of the folded name (case, ё/е, quotes and legal
forms folded). A bare generic body (`правительство`, `полиция`) takes the key of the one
named body with that head in the document, else a key scoped to the document, since
the `правительство` of one article is not that of another.
"""
from __future__ import annotations

import re
from functools import lru_cache

from slugify import slugify

from .. import datafiles, models
from ..records import Document, Mention, Organization

QUOTES_RE = re.compile(r"[«»\"„“”'’`]")
SPACES_RE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case, ё/е, quotes and spacing folded: the form names are compared in."""
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


@lru_cache(maxsize=100_000)
def curated_key(text: str) -> str:
    """The curated key of a name, or '' when the alias file does not know it."""
    folded = strip_legal_form(fold(text))
    by_text, by_lemmas = aliases()
    return by_text.get(folded) or by_lemmas.get(lemma_key(folded), "")


@lru_cache(maxsize=100_000)
def slug_key(text: str) -> str:
    return slugify(strip_legal_form(fold(text))) or "org"


def is_generic(m: Mention) -> bool:
    """A common noun phrase (`правительство`, `китайские власти`): no capital letter, no digit."""
    return not any(ch.isupper() or ch.isdigit() for ch in m.text)


def head_lemma(m: Mention) -> str:
    words = [w for w in re.findall(r"[\w-]+", fold(m.normal))]
    for w in words:  # the first noun of the name
        p = models.parse(w)
        if p and p[0].tag.POS == "NOUN":
            return p[0].normal_form
    return words[-1] if words else ""


def defined_abbreviations(doc: Document, orgs: list[Mention]) -> dict[str, Mention]:
    """`Полное название (АББР)` in the text: folded abbreviation → the full-name mention."""
    out = {}
    for a, b in zip(orgs, orgs[1:]):
        between = doc.text[a.stop:b.start]
        if between.strip() == "(" and doc.text[b.stop:b.stop + 1] == ")" and len(b.text) < len(a.text):
            out.setdefault(fold(b.text), a)
    return out


def keys_of(doc: Document, orgs: list[Mention]) -> list[str]:
    defined = defined_abbreviations(doc, orgs)
    keys = []
    for m in orgs:
        key = curated_key(m.normal) or curated_key(m.text)
        full = defined.get(fold(m.text))
        if not key and full is not None:
            key = curated_key(full.normal) or curated_key(full.text) or slug_key(full.normal)
        keys.append(key)
    for abbr, full in defined.items():  # the full name shares a curated abbreviation's key
        abbr_key = curated_key(abbr)
        if abbr_key:
            for i, m in enumerate(orgs):
                if m is full and not keys[i]:
                    keys[i] = abbr_key
    named: dict[str, set[str]] = {}
    for i, m in enumerate(orgs):
        if not keys[i] and not is_generic(m):
            keys[i] = slug_key(m.normal)
        if keys[i] and not is_generic(m):
            named.setdefault(head_lemma(m), set()).add(keys[i])
    for i, m in enumerate(orgs):
        if not keys[i]:
            same = named.get(head_lemma(m), set())
            keys[i] = next(iter(same)) if len(same) == 1 else f"{slug_key(m.normal)}--{slugify(doc.doc_id)}"
    return keys


def organizations(docs: list[Document]) -> list[Document]:
    for doc in docs:
        orgs = [m for m in doc.mentions if m.type == "ORG"]
        doc.organizations = [
            Organization(m.start, m.stop, m.text, m.normal, key)
            for m, key in zip(orgs, keys_of(doc, orgs))
        ]
    return docs
