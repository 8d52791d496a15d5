"""Batch-wide person keys: one `person_id` per person across the output folder.

A cross-document step, run as the final tables are written (`merge`): it sees the person
rows of the whole folder — earlier runs' too, so an incremental run keys them as one run
over all the articles would — never the texts. Keys come from the first and last names
of the rows alone, so keys written by an earlier run do not feed back. Two passes over
the rows (they stream in doc_id order): `add` gathers each article's names, `finish`
decides the batch-wide keys, `keys` gives them to the rows of an article.

Within an article, a bare surname or an initial (`Джонсон`, `Б. Джонсон`, `Дж. Коми`)
and a lone first name take the key of the one full name in the article they fit; a bare
surname that fits several takes the one the article names in full at least twice as often
as any other. Across articles, full names that differ by one letter in a foreign spelling
(`Гренелл`/`Гренел`, `Асия`/`Азия`, `Хайко`/`Гайко`) are one person, and so is a name
given with more of its parts (`Хуан Перес Гарсия`) with the one `Хуан Перес` or `Хуан
Гарсия`; a bare surname, an initial or a lone word left unlinked joins the one person of
the batch it fits (`Трампа` → `tramp-donald`), a lone word only when it is nobody's first
name in the batch. When two people share the surname (`Джо Байден`, `Хантер Байден`) it
keeps a key of its own. The key is the slug of the most frequent full name, `last-first`,
so it stays readable.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .names import dictionary_roles, fold
from .rows import columns
from .script import has_latin
from .slugs import slugify

DOMINANT = 2  # times as many full mentions as any other of the surname: whom a bare surname means
MIN_FUZZY = 4  # letters a name needs before a one-letter difference is a spelling variant


@lru_cache(maxsize=200_000)
def slug(text: str) -> str:
    return slugify(text)


def deletions(word: str) -> set[str]:
    """The word and the word less one letter: two words one edit apart share one of these."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def is_initial(word: str) -> bool:
    """`Б.`, and two letters cut short before a dot, as Russian writes `Дж.` for `Джеймс`."""
    letters = word.rstrip(".")
    return len(letters) == 1 or len(letters) == 2 and word.endswith(".")


def initial_of(first: str, initial: str) -> bool:
    return fold(first).startswith(fold(initial))


def known_as(word: str, role: str) -> bool:
    """The dictionary knows the word as a first name (Name) or surname (Surn): its spelling
    is fixed, so a one-letter difference is another name (`Мария`/`Марина`)."""
    return role in dictionary_roles(fold(word))


def variants(a: str, b: str, role: str) -> bool:
    """Two spellings of one name part: equal, or one letter apart when neither is fixed, in
    their slugs or as written (`Хайко`/`Гайко` are `khaiko`/`gaiko`, two letters apart)."""
    sa, sb = slug(a), slug(b)
    if sa == sb:
        return True
    if not (one_apart(sa, sb) or one_apart(fold(a), fold(b))):
        return False
    return not (known_as(a, role) and known_as(b, role))


def one_apart(a: str, b: str) -> bool:
    return min(len(a), len(b)) >= MIN_FUZZY and Levenshtein.distance(a, b, score_cutoff=1) <= 1


@dataclass(frozen=True, order=True)
class Ref:
    """What a person mention refers to, as far as its article tells."""
    kind: str  # "full" (first and last name), "initial" (an initial and a surname), "last", "first"
    first: str = ""
    last: str = ""

    @property
    def key(self) -> str:
        if self.kind == "initial":
            return slug(f"{self.last} {self.first[:1]}")
        return slug(f"{self.last} {self.first}".strip()) or "person"


def ref_of(first: str, last: str) -> Ref:
    if first and last:
        return Ref("initial", first.rstrip("."), last) if is_initial(first) else Ref("full", first, last)
    if last:
        return Ref("last", "", last)
    return Ref("first", first, "") if first else Ref("last", "", "")


class Surnames:
    """An article's full names by folded surname, and the surnames by their stem (less
    their last letter): looked up, never searched, for an article may hold thousands."""

    def __init__(self) -> None:
        self.full: dict[str, set[Ref]] = defaultdict(set)
        self.by_stem: dict[str, set[str]] = defaultdict(set)

    def add(self, ref: Ref) -> None:
        surname = fold(ref.last)
        self.full[surname].add(ref)
        self.by_stem[surname[:-1]].add(surname)
        *before, final = surname.split(" ")
        if before and final[:1].isalpha():
            self.full[final].add(ref)  # `Кейта` alone after `Ибрахим Бубакар Кейта`

    def fits(self, surname: str) -> set[Ref]:
        """The full names with this surname, allowing for a nominative guessed differently
        for an unknown foreign name (`Мендонс` / `Мендонса`): one letter more or less at
        the end, both five letters or longer."""
        word = fold(surname)
        if word in self.full:
            return self.full[word]
        if len(word) < 5 or known_as(word, "Surn"):
            return set()  # a known surname has a known nominative: `Иванова` is not `Иванов`
        near = {last for last in self.by_stem.get(word, ()) if len(last) >= 5}  # one letter more
        if len(word) > 5 and word[:-1] in self.full:
            near.add(word[:-1])  # one letter less
        return {r for last in near for r in self.full[last]}


def latin(ref: Ref) -> bool:
    return has_latin(ref.first + ref.last)


def glosses(refs: Sequence[Ref], spans: Sequence[tuple[int, int]]) -> Iterator[tuple[Ref, Ref]]:
    """(Cyrillic, Latin) names of one article where the Latin one follows two characters
    after: its original spelling given in brackets (`Томас Шефер (Thomas Schäfer)`,
    `Шон Комбс (Diddy)`)."""
    for i in range(1, len(refs)):
        a, b = refs[i - 1], refs[i]
        if spans[i][0] - spans[i - 1][1] == 2 and latin(b) and not latin(a) and a.last + a.first and b.last + b.first:
            yield a, b


def shortest_names(refs: list[Ref]) -> list[Ref]:
    """An article's names given with more of their parts (`Хуан Перес Гарсия`) as the shorter
    full name it also gives the person (`Хуан Перес`), so that other mentions fit one."""
    full = sorted({r for r in refs if r.kind == "full"})
    if not any(" " in r.last for r in full):
        return refs  # most articles: no name of several surname words
    shorter = {r: fits.pop() for r, fits in longer_names(full, surname_index(full)) if len(fits) == 1}
    return [shorter.get(r, r) for r in refs] if shorter else refs


def article_refs(parts: Sequence[tuple[str, str]]) -> list[Ref]:
    """(first, last) of each person mention of one article → what each refers to."""
    refs = shortest_names([ref_of(first, last) for first, last in parts])
    full = Surnames()
    by_first: dict[str, set[Ref]] = defaultdict(set)
    for r in refs:
        if r.kind == "full":
            full.add(r)
            by_first[fold(r.first)].add(r)
    named = Counter(r for r in refs if r.kind == "full")
    settled: dict[Ref, Ref] = {}  # what a name refers to wherever it repeats: looked up once
    first_before: dict[str, set[Ref]] = defaultdict(set)  # the full names named so far, by first name
    out = []
    for r in refs:
        found = settled.get(r)
        if found is None:
            same: set[Ref] = set()
            if r.kind in ("last", "initial"):
                same = {f for f in full.fits(r.last) if r.kind == "last" or initial_of(f.first, r.first)}
                if len(same) > 1 and r.kind == "last":
                    same = most_named(same, named)
            elif r.kind == "first":  # one word: a surname named in full before, else a first name
                same = full.fits(r.first) or by_first.get(fold(r.first), set())
            if same or r.kind != "last":
                found = settled[r] = next(iter(same)) if len(same) == 1 else r
            else:
                # a lone first name read as a surname (`Дженну` after `Дженна Уильямс`): only
                # after its full name, as news write it (before it, a headline's words)
                before = first_before.get(fold(r.last), set())
                found = next(iter(before)) if len(before) == 1 else r
        out.append(found)
        if r.kind == "full":
            first_before[fold(r.first)].add(r)
    return out


def most_named(same: set[Ref], named: Counter[Ref]) -> set[Ref]:
    """Of the article's full names a bare surname fits, the one it names in full at least
    twice as often as any other: the person the article is about (`Ковальский` in an article
    that names `Пётр Ковальский` four times and his brother `Ян Ковальский` once). Else all
    of them."""
    first, second = sorted(same, key=lambda f: (-named[f], f))[:2]
    return {first} if named[first] >= DOMINANT * named[second] else same


class PersonLinker:
    """Batch-wide person keys: `add` every article's persons rows, `finish`, then `keys`."""

    def __init__(self) -> None:
        cols = columns("persons")
        self.first, self.last = cols.index("first"), cols.index("last")
        self.start, self.stop = cols.index("start"), cols.index("stop")
        self.glossed: set[tuple[Ref, Ref]] = set()
        self.counts: Counter[Ref] = Counter()
        self.key_of: dict[Ref, str] = {}

    def refs(self, rows: Iterable[Sequence]) -> list[Ref]:
        return article_refs([(row[self.first], row[self.last]) for row in rows])

    def add(self, rows: Sequence[Sequence]) -> None:
        refs = self.refs(rows)
        self.counts.update(refs)
        self.glossed.update(glosses(refs, [(int(row[self.start]), int(row[self.stop])) for row in rows]))

    def finish(self) -> None:
        full = sorted(r for r in self.counts if r.kind == "full")
        surnames = surname_index(full)
        near = NearWords(surnames, spellings_of(surnames, "last"))
        people = self.cluster(surnames, near)
        for a, b in sorted(self.glossed):
            if a.kind == b.kind == "full":
                people.union(a, b)
        for r, fits in longer_names(full, surnames):
            roots = {people.find(f) for f in fits}
            if len(roots) == 1:
                people.union(r, roots.pop())
        by_root: dict[Ref, list[Ref]] = defaultdict(list)
        for r in full:
            by_root[people.find(r)].append(r)
        name_of = {root: min(group, key=lambda r: (-self.counts[r], r.key)).key for root, group in by_root.items()}
        first_names = {fold(r.first) for r in full}
        for r in self.counts:
            if r.kind == "full":
                self.key_of[r] = name_of[people.find(r)]
                continue
            surname = r.last or r.first  # a lone word may be either
            fits = {people.find(f) for s in near.of(slug(surname), fold(surname)) for f in surnames[s]
                    if variants(f.last, surname, "Surn") and (r.kind != "initial" or initial_of(f.first, r.first))}
            if r.kind == "first" and fold(r.first) in first_names:
                fits = set()  # someone's first name in the batch: which person is not clear
            self.key_of[r] = name_of[next(iter(fits))] if len(fits) == 1 else r.key
        spelled: dict[Ref, set[str]] = defaultdict(set)  # a short Latin name → the keys it glosses
        for a, b in self.glossed:
            if b.kind != "full":
                spelled[b].add(self.key_of[a])
        for b, keys in spelled.items():
            if len(keys) == 1:
                self.key_of[b] = keys.pop()

    def cluster(self, by_surname: dict[str, list[Ref]], near: NearWords) -> UnionFind:
        """Full names that are spellings of one name. Surnames are paired only with the
        surnames one letter from them, and within a pair first names only with first
        names one letter from them, so many people of one surname cost no pairwise scan."""
        people = UnionFind()
        for surname, group in by_surname.items():
            for other in near.of(surname):
                if other < surname:
                    continue  # each pair once
                pair = group if other == surname else group + by_surname[other]
                if len(pair) < 2:
                    continue  # one name: nothing to pair
                by_first: dict[str, list[Ref]] = defaultdict(list)
                for r in pair:
                    by_first[slug(r.first)].append(r)
                firsts = NearWords(by_first, spellings_of(by_first, "first"))
                for first, with_first in by_first.items():
                    for other_first in firsts.of(first):
                        for a in with_first:
                            for b in by_first[other_first]:
                                if a < b and people.find(a) != people.find(b) \
                                        and variants(a.last, b.last, "Surn") and variants(a.first, b.first, "Name"):
                                    people.union(a, b)
        return people

    def keys(self, rows: Sequence[Sequence]) -> list[str]:
        return [self.key_of[r] for r in self.refs(rows)]


def surname_index(full: Sequence[Ref]) -> dict[str, list[Ref]]:
    """Full names by the slug of their surname."""
    out: dict[str, list[Ref]] = defaultdict(list)
    for r in full:
        out[slug(r.last)].append(r)
    return out


def longer_names(full: Sequence[Ref], by_surname: dict[str, list[Ref]]) -> Iterator[tuple[Ref, set[Ref]]]:
    """Each name given with more of its parts (`Хуан Перес Гарсия`, `Мария Луиза Сантос`) and
    the full names of the batch with its first name and one of its capitalized surname
    words (`Хуан Перес`, `Мария Сантос`): the same person when they are one."""
    for r in full:
        words = [w for w in r.last.split(" ") if w[:1].isupper()]  # `фон`, `де` name nobody alone
        if r.kind == "full" and len(words) > 1:
            yield r, {f for w in words for f in by_surname.get(slug(w), ()) if variants(f.first, r.first, "Name")}


def spellings_of(by_slug: dict[str, list[Ref]], part: str) -> dict[str, set[str]]:
    """Each slug's spellings as written (folded): the forms `variants` also compares."""
    return {key: {fold(getattr(r, part)) for r in refs} for key, refs in by_slug.items()}


class NearWords:
    """The words of a collection one letter (or none) apart from a given word, in the word
    or in one of its spellings, found through their shared one-letter deletions, never by
    comparing every pair."""

    def __init__(self, words: Iterable[str], spellings: dict[str, set[str]] | None = None):
        self.spellings = spellings or {}
        self.by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in words:
            for form in {word, *self.spellings.get(word, ())}:
                for k in deletions(form):
                    self.by_deletion[k].add(word)

    def of(self, word: str, *forms: str) -> set[str]:
        return {w for form in {word, *forms, *self.spellings.get(word, ())}
                for k in deletions(form) for w in self.by_deletion.get(k, ())}


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent.get(x, x)
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
