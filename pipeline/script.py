"""Latin letters typed for Cyrillic ones inside a Russian word (`Евроcоюз` with a Latin `c`).

Scraped and hand-typed news mixes the two alphabets' look-alike letters; the dictionary
then knows no such word, and one organization gets two keys. A word that has Cyrillic
letters and whose Latin letters all look like Cyrillic ones is read in Cyrillic; a word
with any other Latin letter (`Twitter-аккаунт`) is a real mix and stays as written.
"""
from __future__ import annotations

import re

LATIN_LETTERS, CYRILLIC_LETTERS = "aceopxyACEHKMOPTXBY", "асеорхуАСЕНКМОРТХВУ"  # look-alikes, pair by pair
LOOK_ALIKE = str.maketrans(LATIN_LETTERS, CYRILLIC_LETTERS)
LATIN_LOOK_ALIKE = frozenset(LATIN_LETTERS)
LATIN = re.compile("[A-Za-z]")


def has_latin(text: str) -> bool:
    return LATIN.search(text) is not None


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def cyrillic_look_alikes(word: str) -> str:
    """`word` with its Latin look-alike letters in Cyrillic, in each hyphenated part that is a
    Cyrillic word typed so (`Мocква-Cити`, but `Mac-овский` keeps its `Mac`)."""
    if word.isascii() or not has_latin(word):
        return word  # the common cases, checked at C speed: every lemma lookup passes here
    return "-".join(map(cyrillic_part, word.split("-")))


def cyrillic_part(part: str) -> str:
    latin = [ch for ch in part if "a" <= ch.lower() <= "z"]
    if not latin or not any(map(is_cyrillic, part)) or not LATIN_LOOK_ALIKE.issuperset(latin):
        return part
    return part.translate(LOOK_ALIKE)
