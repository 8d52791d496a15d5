"""Nominative forms of person names: `Асии Биби` → `Асия Биби`, `Рашиду Тлаиб` → `Рашида Тлаиб`.

One computation gives the `normal` of PER mentions (mentions.csv) and the first, middle
and last name of persons (persons.csv). The words of a name share one case and the
person's gender, so a name is read as a whole. For each case and gender, a word's
nominative is what declines to it by the rules of Russian for first names, patronymics
and surnames (petrovich's rules, run backwards: pytrovich declines a candidate and it must
give the word back), or what pymorphy3's dictionary knows it as (`Сергея` → `Сергей`,
only for words the dictionary really has, as a name of that gender in that case). The
reading the text supports best wins:

- the tagger's case: a name the text gives in the nominative stays as written, unless its
  ending is one no name has in the nominative (`Асию`; `data/names_not_nominative.tsv`);
- indeclinable names stay as written in every case: foreign names ending in a vowel other
  than -а/-я (`Ризви`, `Бюхеле`), pymorphy3's `Fixd` (`Шойгу`), a woman's surname ending
  in a consonant (`Тлаиб`, `Меркель`) — which is also how `Рашиду Тлаиб` shows a woman;
- gender: the dictionary, the tagger and the endings of the nominatives (petrovich's
  gender rules: `Рашида` is a woman's name, `Рашид` a man's) should agree;
- the article: a word it gives in the nominative elsewhere (`Асия Биби`) is the
  nominative of the word's other forms (`Асии`, `Асию`), when it is one of them; what its
  other mentions were read as counts a little too (one name, one nominative per article).

Where the rules allow several nominatives the commoner surname ending wins
(`Кончаловского` → Кончаловский; `data/names_endings.tsv`); Russian spelling rules some out
(`Римшя`). A name the tagger reads in the plural is a family's (`Скрипалей` → `Скрипали`,
`data/names_plural.tsv`). Particles (`фон дер`) are part of the surname; initials keep
their dot. Words are analysed once per process and names read once per spelling (caches);
an article is read in two passes, so the cost stays linear in its mentions.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as PCase
from pytrovich.enums import Gender as PGender
from pytrovich.enums import NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from . import datafiles, models
from .inflect import feats_of, join_like, nominative_token, nominative_word, nominative_words, recover_shape
from .records import Token

ROLES = ("Name", "Patr", "Surn")
PHRASE = "Phrase"  # the case of a reading that found no name in a mention, only common words
CASES = ("Nom", "Gen", "Dat", "Acc", "Ins", "Loc")
GENDERS = ("Masc", "Fem")
PY_CASE = {"Gen": PCase.GENITIVE, "Dat": PCase.DATIVE, "Acc": PCase.ACCUSATIVE,
           "Ins": PCase.INSTRUMENTAL, "Loc": PCase.PREPOSITIONAL}
PY_GENDER = {"Masc": PGender.MALE, "Fem": PGender.FEMALE}
PY_PART = {"first": NamePart.FIRSTNAME, "middle": NamePart.MIDDLENAME, "last": NamePart.LASTNAME}
OF_PY_GENDER = {PGender.MALE: "Masc", PGender.FEMALE: "Fem"}
OC_CASE = {"nomn": "Nom", "gent": "Gen", "gen2": "Gen", "datv": "Dat", "accs": "Acc", "acc2": "Acc",
           "ablt": "Ins", "loct": "Loc", "loc2": "Loc"}
OC_GENDERS = {"masc": ("Masc",), "femn": ("Fem",), "ms-f": ("Masc", "Fem")}
NOT_NAMES = {"ADVB", "INTJ", "PREP", "CONJ", "PRCL", "PRED", "NPRO", "COMP", "INFN", "GRND", "VERB"}  # no name is one
UD_CASE = {"Par": "Gen", "Voc": "Nom"}  # partitive and vocative read as their usual case
SAME_FORMS = frozenset({"Gen", "Acc"})  # a man's name has one form for both: the tagger mixes them
# Endings of foreign names that do not decline and of oblique forms, the foreign name the likelier
# (`Пелоси`, `Бюхеле`, `Кобаяши`; the dictionary and the article tell `Дариги`, `Ольги`)
STAYS = re.compile(r"[ие]$")
# Not written in Russian: `Римшя`, `Убийця`, `Даригь`, `Асиь`, `Блй`, `Пейджь`;
# nor a nominative in -яя but a soft adjective's in -няя (`Синяя`, not `Скрипаляя`)
MISSPELT = re.compile(r"[жшчщ]ы|[жшчщц][яю]|[гкх]ы|[аеёиоуыэюя]ь|[^аеёиоуыэюя]й|[гкхжшчщ]ь$|[^н]яя$")

# How much each kind of support weighs in a reading of a name.
TAGGER_NOM = 2.5      # a word the tagger gives in the nominative (98% right on names)
TAGGER_CASE = 1.5     # a word the tagger gives in this oblique case
TAGGER_NEAR = 0.75    # ... in Gen for Acc or back, for a woman (a man's have one form: as in this case)
TAGGER_UNSURE = 0.25  # times the above for a word that may not decline: its form shows no case
TAGGER_GENDER = 0.25  # the tagger's gender of a word (often wrong on foreign names)
DICTIONARY = 1.0      # the dictionary has the word as a name of this gender in this case
COMMON_NOUN = 0.75    # ... as a common noun (`Зайца`: заяц, where the rules say Зайц)
DECLINED = 0.5        # a declined reading over an indeclinable one (`Сакибу` is Сакиб's),
                      # but for -и and -е the indeclinable one (`Пелоси`, `Барнье`, not Пелося, Барнья)
ARTICLE = 3.0         # the article gives the nominative elsewhere
ARTICLE_READ = 1.0    # another mention of the article was read as a form of the same nominative
GENDER_AGREES = 0.5   # petrovich's gender rules find this gender in the nominatives
GENDER_CLASHES = -1.5  # ... find the other
NO_READING = -3.0     # a name's last word that is no form of any name of this case and gender
NO_READING_BEFORE = -1.0  # ... a word before it: those may stay as written (`Рис-Могга`),
NO_READING_SYLLABLE = -0.5  # ... above all one syllable of an East Asian name (`Ким Чен Ира`)
NOT_NOMINATIVE = -5.0  # a nominative reading of an ending no nominative has

APOSTROPHES = ("'", "’")  # joining the particle `О` to `Лири` in `О'Лири`, `Д` to `Алема` in `Д’Алема`


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


# --- the dictionary ----------------------------------------------------------------------------

def roles_of(word: str) -> frozenset[str]:
    """Name, Patr and Surn that some dictionary parse of the word, capitalized, carries."""
    if len(word) < 2 or not word[:1].isupper():
        return frozenset()
    return dictionary_roles(fold(word))


@lru_cache(maxsize=10_000)
def dictionary_roles(folded: str) -> frozenset[str]:
    """Name, Patr and Surn of a folded word in the dictionary, whatever its case as written."""
    if not models.analyzer().word_is_known(folded):
        return frozenset()  # guesses from the ending are not worth a role
    parses = models.parse(folded)
    single = frozenset(r for p in parses for r in ROLES if r in p.tag.grammemes and "plur" not in p.tag)
    # `Петров` is a surname, not `of the Peters`; `Кэтрин` a first name the dictionary has as a plural only
    return single or frozenset(r for p in parses for r in ROLES if r in p.tag.grammemes)


def role_of(word: str) -> str:
    """The likeliest role of a word alone: a surname before a first name (`Джонсон`)."""
    roles = roles_of(word)
    return next((r for r in ("Surn", "Name", "Patr") if r in roles), "")


@dataclass(frozen=True)
class Known:
    """What the dictionary knows of a word: (gender, case, nominative) of its singular parses
    as a name and as a noun for a being (a surname may be one: `Чудотворца`, `Зайца`)."""
    forms: tuple[tuple[str, str, str], ...] = ()
    nouns: tuple[tuple[str, str, str], ...] = ()
    fixed: frozenset[str] = frozenset()  # the genders it is an indeclinable name of (Fixd): `Шойгу`, `Меркель`


@lru_cache(maxsize=10_000)
def known(word: str) -> Known:
    """The name parses of a word (lower case) the dictionary has (never pymorphy3's guesses)."""
    w = fold(word)
    if not models.analyzer().word_is_known(w):
        return Known()
    forms: set[tuple[str, str, str]] = set()
    nouns: set[tuple[str, str, str]] = set()
    fixed: set[str] = set()
    for p in models.parse(w):
        grammemes = p.tag.grammemes
        name = any(r in grammemes for r in ROLES)
        if "sing" not in grammemes or not (name or p.tag.POS == "NOUN" and "anim" in grammemes):
            continue
        if "Fixd" in grammemes:
            if name:  # `Романюк` does not decline as a woman's surname, does as a man's
                fixed.update(OC_GENDERS.get(p.tag.gender or "ms-f", GENDERS))
            continue
        case = OC_CASE.get(p.tag.case or "")
        if not case:
            continue
        nom = word if case == "Nom" else getattr(p.inflect({"nomn", "sing"}), "word", None)
        if nom is not None:
            for gender in OC_GENDERS.get(p.tag.gender or "", ()):
                (forms if name else nouns).add((gender, case, nom))
    return Known(tuple(sorted(forms)), tuple(sorted(nouns)), frozenset(fixed))


@lru_cache(maxsize=10_000)
def in_dictionary(word: str) -> bool:
    return models.analyzer().word_is_known(fold(word))


@lru_cache(maxsize=10_000)
def only_a_participle(word: str) -> bool:
    """The dictionary has the word only as a short participle: a foreign name that spells
    one (`Серена`, of `серить`), not a title or a word the mention took in."""
    parses = models.parse(fold(word))
    return bool(parses) and all(p.tag.POS == "PRTS" for p in parses)


@lru_cache(maxsize=10_000)
def not_a_noun(word: str) -> bool:
    """The dictionary has the word only as a word no name is: an adverb, a verb, a particle...
    (not an adjective, as a surname may be: `Ромашковым`, `Сомова`)."""
    w = fold(word)
    return models.analyzer().word_is_known(w) and all(p.tag.POS in NOT_NAMES for p in models.parse(w))


# --- petrovich's rules, backwards --------------------------------------------------------------

@lru_cache(maxsize=1)
def maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


MODS_CASES = ("Gen", "Dat", "Acc", "Ins", "Loc")  # the order of a rule's `mods` in petrovich's rules


@lru_cache(maxsize=1)
def endings() -> dict[str, dict[str, frozenset[tuple[str, int, str]]]]:
    """For each part of a name: ending of an oblique form → (its case, letters the rule removed
    from the nominative, an ending of the nominative the rule applies to)."""
    with open(PetrovichDeclinationMaker.DEFAULT_PATH_TO_RULES_FILE, encoding="utf-8") as f:
        rules = json.load(f)
    out: dict[str, dict[str, frozenset[tuple[str, int, str]]]] = {}
    for part, py_part in PY_PART.items():
        index: dict[str, set[tuple[str, int, str]]] = {}
        for kind in ("exceptions", "suffixes"):
            for rule in rules[py_part.str()].get(kind, []):
                for case, mod in zip(MODS_CASES, rule["mods"]):
                    if mod == ".":
                        continue  # the word itself: tried anyway
                    removed = len(mod) - len(mod.lstrip("-"))
                    for test in rule["test"]:
                        if removed <= len(test):
                            index.setdefault(fold(mod[removed:]), set()).add((case, removed, fold(test)))
        out[part] = {ending: frozenset(entries) for ending, entries in index.items()}
    return out


@lru_cache(maxsize=1)
def longest_ending() -> int:
    return max(len(ending) for index in endings().values() for ending in index)


def declines_to(nominative: str, part: str, gender: str, case: str) -> str:
    return declension(nominative, part, gender)[MODS_CASES.index(case)]


@lru_cache(maxsize=20_000)
def declension(nominative: str, part: str, gender: str) -> tuple[str, ...]:
    """The oblique forms (folded, in `MODS_CASES` order) petrovich's rules give a nominative (a
    piece without hyphens): the rule is looked up once for all five, as `make` does it for
    one (its indices are pytrovich's own; `make` itself when they are not there)."""
    m, py_gender, py_part = maker(), PY_GENDER[gender], PY_PART[part]
    try:
        exceptions, suffixes = m._exception_indices[py_part], m._suffix_indices[py_part]
    except AttributeError:  # another pytrovich: one `make` per case
        return tuple(fold(m.make(py_part, py_gender, PY_CASE[c], nominative)) for c in MODS_CASES)
    label, word = py_gender.str(), nominative.lower()
    rule = (exceptions.find_first_match(word, label, True) or suffixes.find_first_match(word, label, True)
            or exceptions.find_first_match(word, PGender.ANDROGYNOUS.str(), False)
            or suffixes.find_first_match(word, PGender.ANDROGYNOUS.str(), False))
    if rule is None:
        return (fold(nominative),) * len(MODS_CASES)
    return tuple(fold(m.apply_mod2name(rule.mods[PY_CASE[c]], nominative)) for c in MODS_CASES)


@lru_cache(maxsize=10_000)
def candidates(word: str, part: str) -> dict[str, tuple[str, ...]]:
    """Case → the nominatives that some rule of this part of a name might decline to `word`
    (to be checked by declining them): its ending put back as the rule took it off."""
    out: dict[str, list[str]] = {case: [] for case in MODS_CASES}
    index = endings()[part]
    for cut in range(1, min(len(word), longest_ending() + 1)):
        stem, ending = word[:-cut], fold(word[-cut:])
        for case, removed, test in index.get(ending, ()):
            candidate = stem + test[len(test) - removed:]
            if fold(candidate).endswith(test) and candidate not in out[case] and spelled_right(candidate):
                out[case].append(candidate)
    return {case: tuple(found) for case, found in out.items()}


@lru_cache(maxsize=20_000)
def nominatives(word: str, part: str, gender: str, case: str) -> tuple[str, ...]:
    """Every nominative (lower case, spelled as Russian is) that petrovich's rules decline to
    `word` (a piece without hyphens, lower case) in this case for this gender; the word itself
    when it does not decline."""
    target = fold(word)
    out = [word] if declines_to(word, part, gender, case) == target else []
    out += [c for c in candidates(word, part)[case] if declines_to(c, part, gender, case) == target]
    return tuple(out)


@lru_cache(maxsize=10_000)
def gender_of(first: str, middle: str, last: str) -> str:
    """The gender petrovich's rules read in nominatives (lower case), or ""."""
    if not (first or middle or last):
        return ""
    found = detector().detect(firstname=first or None, middlename=middle or None, lastname=last or None)
    return OF_PY_GENDER.get(found, "")


@lru_cache(maxsize=1)
def not_nominative_endings() -> tuple[str, ...]:
    return tuple(sorted(datafiles.column("names_not_nominative.tsv", "ending"), key=len, reverse=True))


def spelled_right(word: str) -> bool:
    return not MISSPELT.search(fold(word))


def can_be_nominative(word: str) -> bool:
    return not fold(word).endswith(not_nominative_endings())


# --- first, middle and last name ---------------------------------------------------------------

@dataclass
class Parts:
    first: str = ""
    middle: str = ""
    last: str = ""


def name_roles(words: Sequence[str]) -> list[str]:
    """The part of a name each word is (`first`, `middle`, `last`; `last+` goes on the surname,
    "" is dropped), from the words as written: pymorphy3 marks first names, patronymics and
    surnames, so they are found in either order (`Сергей Собянин`, `Собянин Сергей
    Семёнович`); words it does not know fall back to position (first name first, surname last)."""
    n = len(words)
    if not n:
        return []
    initials = [len(w) == 1 for w in words]
    if n > 1 and all(initials[:-1]) and not initials[-1]:  # `А. В. Суворов`
        return ["first"] + (["middle"] if n > 2 else []) + [""] * (n - 3) + ["last"]
    roles, taken, rest = [""] * n, set(), []
    dropped = not_name_words(words)
    kept = [i for i in range(n) if i not in dropped]
    if not kept:
        return roles
    first, last, several = kept[0], kept[-1], len(kept) > 1
    opening = roles_of(words[first])
    surname_first = several and "Name" not in opening and ("Surn" in opening or ending_rank(words[first]) >= 2) \
        and any(initials[i] or {"Name", "Patr"} & roles_of(words[i]) for i in kept[1:])
    for i in kept:
        found = roles_of(words[i])
        if surname_first and i == first:
            role = "Surn"
        elif several and i == first and "Name" in found:
            role = "Name"  # the first of several words is a first name when it can be one
        elif several and not surname_first and (i == first or i == last and found == {"Name"}):
            # a surname (the dictionary's, or by its ending) comes first only before a first
            # name, a patronymic or initials (`Кузьмин Олег`, `Горлов Андрей`); else the
            # order is by position whatever the dictionary marks:
            # `Морган Цвангираи`, `Аарон Фишер` (both surnames there), `Дженна Уильямс`
            # (`Уильямс` a first name there)
            rest.append(i)
            continue
        elif i == last and "Surn" in found:
            role = "Surn"
        else:
            role = next((r for r in ("Patr", "Name", "Surn") if r in found), "")
        part = {"Name": "first", "Patr": "middle", "Surn": "last"}.get(role)
        if part and part not in taken:
            roles[i] = part
            taken.add(part)
        else:
            rest.append(i)
    for i in rest:  # words pymorphy3 does not know, or placed by position: first name first, surname last
        if "first" not in taken and several and (i == first or surname_first):
            roles[i] = "first"
        elif "last" not in taken:
            roles[i] = "last"
        elif (i < n - 1 or surname_first and initials[i]) and "middle" not in taken:
            roles[i] = "middle"
        else:
            roles[i] = "last+"
            continue
        taken.add(roles[i])
    return roles


def not_name_words(words: Sequence[str]) -> set[int]:
    """Words of a person mention that are no part of the name: a title or common noun the
    span took in before the name (`Принц Чарльз`, `Предшественник Кравцова`: dictionary
    words that are no name, three letters or longer, so `Си Цзиньпин` keeps its `Си`), and
    a word written twice in a row (`Максим Дадашев Дадашев`)."""
    dropped = {i for i in range(1, len(words)) if len(words[i]) > 1 and fold(words[i]) == fold(words[i - 1])}
    for i, word in enumerate(words[:-1]):
        if len(word) < 3 or not in_dictionary(word) or roles_of(word) or only_a_participle(word):
            break
        dropped.add(i)
    return dropped


def parts_of(roles: Sequence[str], noms: Sequence[str], particle: Sequence[bool] | None = None) -> Parts:
    """First, middle and last name from each word's role and nominative; particles right
    before the surname are part of it (`Урсула фон дер Ляйен`: last `фон дер Ляйен`)."""
    particle = particle or [False] * len(noms)
    surname_at: list[int | None] = [None] * len(noms)  # the surname a particle comes before
    for k in range(len(noms) - 2, -1, -1):
        if particle[k]:
            surname_at[k] = k + 1 if roles[k + 1] in ("last", "last+") else surname_at[k + 1]
    noms = list(noms)
    for k in range(len(noms) - 1, -1, -1):
        if surname_at[k] is not None:
            space = "" if noms[k][-1:] in APOSTROPHES else " "  # `О'Лири`, `фон дер Ляйен`
            noms[surname_at[k]] = f"{noms[k]}{space}{noms[surname_at[k]]}"
    parts = Parts()
    for role, nom in zip(roles, noms):
        if role in ("first", "middle", "last"):
            setattr(parts, role, nom)
    for role, nom in zip(roles, noms):
        if role == "last+":
            parts.last = f"{parts.last} {nom}"
    return parts


# --- reading a name ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """A piece of a name word that declines: a word, or one side of a hyphen (`Рис-Могга`)."""
    text: str          # as written
    word: int          # index of the name word it is in
    part: str          # `first`, `middle`, `last`: whose rules it declines by
    case: str          # the tagger's, "" when none
    gender: str
    last_piece: bool   # the last piece of its word: a piece before a hyphen may stay undeclined
    feats: tuple[tuple[str, str], ...] = ()  # the tagger's, of its token
    foreign: bool = False  # the tagger reads the token as a foreign word (X, no case)


@dataclass
class PersonName:
    """A person mention's nominative `normal`, its parts, and the case it was read in."""
    normal: str
    first: str = ""
    middle: str = ""
    last: str = ""
    case: str = "Nom"
    words: frozenset[str] = frozenset()  # the nominatives it read its words as (folded)


CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
VOWEL = re.compile(r"[аеёиоуыэюя]")


def is_name_word(text: str) -> bool:
    """A capitalized word in Cyrillic: a word of a name that may decline."""
    return text[:1].isupper() and CYRILLIC.search(text) is not None


def has_name(text: str) -> bool:
    return any(is_name_word(side) for side in text.split("-"))


def is_initial(text: str, dotted: bool) -> bool:
    """`А` in `А. В. Суворов`, and a first name cut short before a dot (`Дж. Хант`)."""
    return text[:1].isupper() and (len(text) == 1 or dotted and len(text) == 2)


@dataclass
class Evidence:
    """What the rest of an article says of its person names: the words (folded) it gives in
    the nominative, and the nominatives its other mentions were read as (`Асию` → Асия),
    each with the gender it was read in (`Ильхам Алиев` is no evidence for his wife's name)."""
    given: Counter[tuple[str, str]] = field(default_factory=Counter)
    read: Counter[tuple[str, str]] = field(default_factory=Counter)
    own: Reading | None = None  # the mention's own reading: no evidence for itself
    by_letter: dict[str, set[str]] = field(default_factory=dict)  # the words above by first letter

    @staticmethod
    def of(readings: Sequence[Reading]) -> Evidence:
        given: Counter[tuple[str, str]] = Counter()
        read: Counter[tuple[str, str]] = Counter()
        for reading in readings:
            (given if reading.case == "Nom" else read).update(reading.evidence())
        by_letter: dict[str, set[str]] = {}
        for word, _ in (*given, *read):
            by_letter.setdefault(word[:1], set()).add(word)
        return Evidence(given, read, by_letter=by_letter)

    def mention(self, own: Reading) -> Evidence:
        """The evidence for one of the article's mentions, read alone as `own`."""
        return Evidence(self.given, self.read, own, self.by_letter)

    def near(self, word: str) -> set[str]:
        """The words that may be evidence for a form of `word`: a name's forms begin alike."""
        return self.by_letter.get(fold(word)[:1], set())

    def count(self, counter: Counter[tuple[str, str]], word: str, gender: str, given: bool) -> int:
        own = self.own
        mine = own is not None and (own.case == "Nom") == given and (word, gender) in own.evidence()
        return counter[(word, gender)] - mine

    def support(self, word: str, gender: str) -> float:
        """ARTICLE when the article gives the word in the nominative for this gender; a
        little when for the other, or when another mention was read as it (in either)."""
        if not (self.given or self.read):
            return 0.0
        if self.count(self.given, word, gender, True) > 0:
            return ARTICLE
        if any(self.count(self.given, word, g, True) > 0 for g in (*GENDERS, "") if g != gender) \
                or any(self.count(self.read, word, g, False) > 0 for g in (*GENDERS, "")):
            return ARTICLE_READ
        return 0.0


NO_EVIDENCE = Evidence()


def readings(piece: Piece, case: str, gender: str, article: Evidence) -> dict[str, float]:
    """The nominatives (lower case) `piece` can be a form of in this case for this gender,
    each with its support."""
    out = dict(word_readings(piece.text, piece.part, piece.feats, piece.foreign, case, gender))
    if article.given or article.read:
        for n in out:
            out[n] += article.support(fold(n), gender)
    return out


@lru_cache(maxsize=20_000)
def word_readings(text: str, part: str, feats: tuple[tuple[str, str], ...], foreign: bool,
                  case: str, gender: str) -> tuple[tuple[str, float], ...]:
    """`readings` before the article's evidence: what the word alone supports."""
    word = text.lower()
    dictionary = known(word)
    if foreign or not_a_noun(word):
        return ((word, 0.0),)  # foreign, or no noun (`Впоследствии` opening a sentence)
    out: dict[str, float] = {}
    if case == "Nom":
        out[word] = 0.0 if can_be_nominative(word) else NOT_NOMINATIVE
    else:
        stays = STAYS.search(fold(word)) is not None  # a foreign name in -и, -е more likely than a form
        for n in by_the_rules(word, part, gender, case):
            if n == word:
                if can_be_nominative(word):
                    out[n] = DECLINED if stays else 0.0
            else:
                out[n] = 0.0 if stays else DECLINED
        if dict(feats).get("Number") == "Plur":  # `Сергея и Юлии Скрипалей`: one of the family
            one = nominative_word(text, "PROPN", feats, False).lower()
            out[one] = max(out.get(one, 0.0), DECLINED)
    if gender in dictionary.fixed:  # a name the dictionary has as indeclinable (`Шойгу`, a woman's `Меркель`)
        out[word] = DICTIONARY
    for forms, weight in ((dictionary.forms, DICTIONARY), (dictionary.nouns, COMMON_NOUN)):
        for g, c, nom in forms:
            if g == gender and c == case:
                out[nom] = max(out.get(nom, 0.0), weight)
    merged: dict[str, tuple[str, float]] = {}  # one reading per spelling: `Семёновна` is `Семеновна`
    for nom, support in out.items():
        key = fold(nom)
        spelled, had = merged.get(key, (nom, support))
        if "ё" in word and "ё" in nom:
            spelled = nom
        merged[key] = (spelled, max(had, support))
    return tuple(merged.values())


def by_the_rules(word: str, part: str, gender: str, case: str) -> tuple[str, ...]:
    """Nominatives by the rules for the part of the name the word is; when they find none,
    by the rules for the other part (`Помероя` declines as a first
    name `Померой` does, not as the adjective-like surname `Толстой`)."""
    found = nominatives(word, part, gender, case)
    if part != "middle" and not found:
        other = "first" if part == "last" else "last"
        found = found + tuple(n for n in nominatives(word, other, gender, case) if n not in found)
    return found


@lru_cache(maxsize=1)
def ending_ranks() -> dict[str, int]:
    return {row["ending"]: int(row["rank"]) for row in datafiles.read_tsv("names_endings.tsv")}


@lru_cache(maxsize=10_000)
def ending_rank(word: str) -> int:
    """How common the ending of a nominative is (`names_endings.tsv`), for ties."""
    ranks = ending_ranks()
    word = word.lower()
    return next((ranks[word[-n:]] for n in range(min(len(word), 4), 0, -1) if word[-n:] in ranks), 0)


@lru_cache(maxsize=10_000)
def may_not_decline(word: str, part: str) -> bool:
    """The word as written may be an indeclinable name (`Ризви`, a woman's `Тлаиб`): the
    tagger's case of it comes from the context alone."""
    if known(word).fixed:
        return True
    return can_be_nominative(word) and any(word in nominatives(word, part, g, "Gen") for g in GENDERS)


@dataclass(frozen=True)
class Reading:
    """The best reading of a name: its case, the nominative of each piece (lower case) and
    the gender (when it was read by case and gender)."""
    case: str
    noms: tuple[str, ...]
    gender: str = ""

    def evidence(self) -> set[tuple[str, str]]:
        return {(fold(n), self.gender) for n in self.noms}

    def holds(self, pieces: Sequence[Piece], article: Evidence) -> bool:
        """The article's evidence supports no other nominative than this reading's: reading
        again with it gives the same (it adds as much to this reading as to any other)."""
        if not (article.given or article.read):
            return True
        for nom, piece in zip(self.noms, pieces):
            others = article.near(piece.text) - {fold(nom)}
            if others and any(article.support(o, g) > 0.0 for o in others & piece_options(piece) for g in GENDERS):
                return False
        return True


@lru_cache(maxsize=10_000)
def read_alone(pieces: tuple[Piece, ...], roles: tuple[str, ...]) -> Reading:
    """`read_name` without the article's evidence, cached: names repeat."""
    return read_name(pieces, roles, NO_EVIDENCE)


def read_name(pieces: Sequence[Piece], roles: Sequence[str], article: Evidence) -> Reading:
    """The best reading over every case and gender (the first of them, in `CASES` and
    `GENDERS` order, on a tie). Hypotheses are read from the likeliest; one whose score could
    not beat the best so far, even with every word at its best support, is not read: the
    tagger's votes make up most of a score, and most names come in the nominative."""
    most = max(DICTIONARY, COMMON_NOUN, DECLINED)
    if article.given or article.read:
        most_of = [most + max((article.support(o, g) for o in piece_options(piece) for g in GENDERS), default=0.0)
                   for piece in pieces]
    else:
        most_of = [most] * len(pieces)
    hypotheses = [(case, gender) for case in CASES for gender in GENDERS]
    bounds = [GENDER_AGREES + sum(m + vote(piece, case, gender, 1.0) for piece, m in zip(pieces, most_of))
              for case, gender in hypotheses]
    best: tuple[float, int, list[str]] | None = None  # score, index of the hypothesis, nominatives
    for index in sorted(range(len(hypotheses)), key=lambda i: -bounds[i]):
        if best is not None and (bounds[index] < best[0] - 1e-9 or bounds[index] <= best[0] + 1e-9 and index > best[1]):
            continue
        case, gender = hypotheses[index]
        score, noms = 0.0, []
        for piece in pieces:
            found = readings(piece, case, gender, article)
            word = piece.text.lower()
            if found:
                # on a tie the word as written, then a surname's commoner ending, then the shorter
                surname = piece.part == "last"
                nom, support = max(found.items(), key=lambda kv: (
                    kv[1], kv[0] == word, surname and ending_rank(kv[0]), -len(kv[0]), kv[0]))
                score += support
            else:
                nom = word
                score += (NO_READING if piece is pieces[-1] else 0.0 if not piece.last_piece
                          else NO_READING_SYLLABLE if len(VOWEL.findall(word)) == 1 else NO_READING_BEFORE)
            noms.append(nom)
            score += vote(piece, case, gender, TAGGER_UNSURE if may_not_decline(word, piece.part) else 1.0)
        found_gender = gender_of(*name_parts(pieces, roles, noms))
        if found_gender:
            score += GENDER_AGREES if found_gender == gender else GENDER_CLASHES
        if best is None or score > best[0] + 1e-9 or score >= best[0] - 1e-9 and index < best[1]:
            best = (score, index, noms)
    assert best is not None
    case, gender = hypotheses[best[1]]
    return Reading(case, tuple(best[2]), gender)


def vote(piece: Piece, case: str, gender: str, sure: float) -> float:
    """What the tagger's case and gender of a piece say for a reading in this case and gender."""
    out = TAGGER_GENDER * (piece.gender == gender)
    if piece.case == case:
        out += sure * (TAGGER_NOM if case == "Nom" else TAGGER_CASE)
    elif {piece.case, case} == SAME_FORMS:
        out += sure * (TAGGER_CASE if gender == "Masc" else TAGGER_NEAR)
    return out


@lru_cache(maxsize=10_000)
def piece_options(piece: Piece) -> frozenset[str]:
    """Every nominative (folded) the piece reads as in some case and gender."""
    return frozenset(fold(n) for case in CASES for gender in GENDERS
                     for n, _ in word_readings(piece.text, piece.part, piece.feats, piece.foreign, case, gender))


def family(pieces: Sequence[Piece]) -> Reading:
    """A name the tagger reads in the plural names a family (`Скрипалей` → `Скрипали`,
    `Ивановых` → `Ивановы`): the nominative plural, by the endings of `names_plural.tsv`.
    A word with no such ending stays as written (the tagger is wrong about its number)."""
    noms = tuple(plural_nominative(p.text.lower()) for p in pieces)
    if {p.case for p in pieces} <= {"Nom", ""} or None in noms:
        return Reading("Nom", tuple(p.text.lower() for p in pieces))
    return Reading("Plur", noms)


@lru_cache(maxsize=1)
def plural_endings() -> tuple[tuple[str, str], ...]:
    rows = datafiles.read_tsv("names_plural.tsv")
    return tuple(sorted(((r["ending"], r["nominative"]) for r in rows), key=lambda e: -len(e[0])))


def plural_nominative(word: str) -> str | None:
    """The nominative plural of a family's name in an oblique plural form, or None."""
    for ending, nominative in plural_endings():
        if fold(word).endswith(ending) and len(word) > len(ending) + 1:
            out = word[:-len(ending)] + nominative
            return out if spelled_right(out) else word[:-len(ending)] + nominative.replace("ы", "и")
    return None


def name_parts(pieces: Sequence[Piece], roles: Sequence[str], noms: Sequence[str]) -> tuple[str, str, str]:
    """(first, middle, last) nominatives of a reading, for petrovich's gender rules."""
    words: dict[int, list[str]] = {}
    for piece, nom in zip(pieces, noms):
        words.setdefault(piece.word, []).append(nom)
    parts = {"first": "", "middle": "", "last": ""}
    for i, role in enumerate(roles):
        if role in parts and i in words:
            parts[role] = "-".join(words[i])
    return parts["first"], parts["middle"], parts["last"]


PART_OF_ROLE = {"first": "first", "middle": "middle", "last": "last", "last+": "last", "": "first"}


@dataclass
class NameTokens:
    """A person mention's tokens, laid out for reading: its words (alphabetic tokens), which
    are initials or particles, the part of the name each is, and the pieces that decline."""
    tokens: Sequence[Token]
    slots: list[int]        # indices of the words in `tokens`
    dotted: list[bool]      # a dot follows the word
    initial: list[bool]
    particle: list[bool]    # `фон`, `ибн`, `ван`: lower case, not a part by itself (`уль-Малука` is one)
    joined: list[bool]      # `О` of `О'Лири`: a particle an apostrophe joins to the surname
    roles: tuple[str, ...]  # `first`, `middle`, `last`, `last+` or ""
    pieces: tuple[Piece, ...]


def joined_by_apostrophe(tokens: Sequence[Token], i: int) -> bool:
    """`О` of `О'Лири`, `Д` of `Д’Алема`: a letter an apostrophe joins to the surname after
    it, no initial (the tokenizer splits the three apart)."""
    return len(tokens[i].text) == 1 and i + 2 < len(tokens) and tokens[i + 1].text in APOSTROPHES \
        and tokens[i + 1].start == tokens[i].stop and tokens[i + 2].start == tokens[i + 1].stop


def name_tokens(tokens: Sequence[Token]) -> NameTokens:
    slots = [i for i, t in enumerate(tokens) if any(ch.isalpha() for ch in t.text)]
    dotted = [i + 1 < len(tokens) and tokens[i + 1].text == "." and tokens[i + 1].start == tokens[i].stop
              for i in slots]
    joined = [joined_by_apostrophe(tokens, i) for i in slots]
    initial = [is_initial(tokens[i].text, dot) and not j for i, dot, j in zip(slots, dotted, joined)]
    particle = [tokens[i].text[:1].islower() and not has_name(tokens[i].text) or j for i, j in zip(slots, joined)]
    named = [k for k in range(len(slots)) if not particle[k]]
    roles = [""] * len(slots)
    for k, role in zip(named, name_roles([tokens[slots[k]].text if not initial[k] else "I" for k in named])):
        roles[k] = role
    for k in range(len(slots) - 1):
        if particle[k] and not particle[k + 1] and roles[k + 1] == "first" and "last" not in roles:
            roles[k + 1] = "last"  # a particle comes before a surname: `О’Нил` alone is no first name
    pieces: list[Piece] = []
    for k, i in enumerate(slots):
        tok = tokens[i]
        if particle[k] or initial[k] or not has_name(tok.text):
            continue
        feats = feats_of(tok)
        case = UD_CASE.get(feats.get("Case", ""), feats.get("Case", ""))
        part = PART_OF_ROLE[roles[k]]
        if part == "middle" and "Patr" not in roles_of(tok.text):
            part = "first"  # a second given name (`Хадим Хуссейн Ризви`)
        sides = tok.text.split("-")
        for j, side in enumerate(sides):
            if is_name_word(side):
                pieces.append(Piece(side, k, part, case, feats.get("Gender", ""), j == len(sides) - 1,
                                    tuple(sorted(feats.items())), tok.pos == "X" or "Foreign" in feats))
    return NameTokens(tokens, slots, dotted, initial, particle, joined, tuple(roles), tuple(pieces))


def read(name: NameTokens, article: Evidence = NO_EVIDENCE) -> Reading:
    pieces = name.pieces
    if not pieces:
        return Reading("Nom", ())
    if len(pieces) > 1 and all(in_dictionary(p.text) and not roles_of(p.text) for p in pieces):
        return Reading(PHRASE, ())  # no name: words of the dictionary, none a name (`Соединённому Королевству`)
    if all(dict(p.feats).get("Number") == "Plur" for p in pieces):
        return family(pieces)
    alone = read_alone(pieces, name.roles)
    if alone.holds(pieces, article):
        return alone
    return read_name(pieces, name.roles, article)


def person_name(text: str, name: NameTokens, reading: Reading) -> PersonName:
    """The nominatives of a reading put in place, shaped as written; the parts of the name."""
    tokens = name.tokens
    if reading.case == PHRASE:  # the tagger took a phrase for a name: it goes in the nominative as one
        phrase = nominative_words(list(tokens))
        words = [phrase[i] for i in name.slots]
        parts = parts_of(name.roles, words, name.particle)
        return PersonName(join_like(text, tokens[0].start, list(tokens), phrase), parts.first, parts.middle,
                          parts.last, PHRASE, frozenset())
    by_word: dict[int, dict[str, str]] = {}
    for piece, nom in zip(name.pieces, reading.noms):
        by_word.setdefault(piece.word, {})[piece.text] = recover_shape(keep_yo(nom, piece.text), piece.text)
    words: list[str] = []
    for k, i in enumerate(name.slots):
        tok = tokens[i]
        if k in by_word:
            words.append("-".join(by_word[k].get(side) or tail_nominative(side, tok) for side in tok.text.split("-")))
        elif name.particle[k] and len(tok.text) > 3 and tok.pos in ("NOUN", "ADJ"):
            words.append(nominative_token(tok, plural=False))  # a common noun in the name
        else:
            words.append(tok.text)  # initials, particles, foreign script
    out = [t.text for t in tokens]
    for k, i in enumerate(name.slots):
        out[i] = words[k]
    normal = join_like(text, tokens[0].start, list(tokens), out)
    parts = parts_of(name.roles, [w + "." if name.initial[k] and name.dotted[k] else
                                  w + tokens[i + 1].text if name.joined[k] else w
                                  for k, (i, w) in enumerate(zip(name.slots, words))], name.particle)
    return PersonName(normal, parts.first, parts.middle, parts.last, reading.case,
                      frozenset(fold(n) for n in reading.noms))


def nominative_person(text: str, tokens: Sequence[Token]) -> PersonName:
    """The nominative of a person mention's tokens (`text` is the document's) with its parts,
    read alone (`article_names` reads an article's mentions with each other's evidence)."""
    if not tokens:
        return PersonName("")
    name = name_tokens(tokens)
    return person_name(text, name, read(name))


def tail_nominative(side: str, tok: Token) -> str:
    """A lower-case side of a hyphenated name: a particle stays (`аль-`, `ибн-`), a word agreeing
    with the name goes in the nominative with it (`Буша-младшего` → `Буш-младший`)."""
    if len(side) <= 3 or not side.isalpha() or not side.islower():
        return side
    return nominative_word(side, "ADJ", tuple(sorted(feats_of(tok).items())), False)


def keep_yo(nom: str, written: str) -> str:
    return nom if "ё" in written.lower() else nom.replace("ё", "е")


def article_names(text: str, mentions: Sequence[Sequence[Token]]) -> list[PersonName]:
    """The names of an article's person mentions, each read with the evidence of the others:
    the words the article gives in the nominative (`Асия Биби`) are the nominatives of their
    other forms (`Асии Биби`). Two passes over the mentions, each word looked up in a count;
    the second reads again only a mention whose reading the evidence may change."""
    names = [name_tokens(tokens) if tokens else None for tokens in mentions]
    first = [read(name) if name else Reading("Nom", ()) for name in names]
    article = Evidence.of(first)
    out = []
    for name, reading in zip(names, first):
        if name is None:
            out.append(PersonName(""))
            continue
        out.append(person_name(text, name, read(name, article.mention(reading))))
    return out
