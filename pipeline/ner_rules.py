"""Stage 4b: token rules beside the NER model where it is weak on organizations.

slovnet misses generic bodies (`полиция`, `правительство Израиля`), cuts genitive chains
(`Министерства обороны` of `Министерства обороны Соединённого Королевства`), glues an
abbreviation in brackets to the full name, takes `ЕС` for a place and skips many
well-known abbreviations. News annotation (NEREL) takes the name inside quotes without its
descriptor (`партии «Яблоко»` → `Яблоко`) and the abbreviation in brackets as a mention of
its own; these rules follow it. In order: clean the model's mentions (brackets, stray quotes,
non-organizations, curated organizations tagged as places), find candidates per sentence
(head noun + adjectives + genitive chain, quoted or Latin name after a descriptor or legal
form, curated names), merge them (a candidate replaces a model ORG it extends), extend a body
over the country after it (`МИД России`), join it to the body it belongs to (`обкома КПСС`),
extend it over `по …`/`при …` (`комитет по обороне`), join surname-first names the model splits,
add names in brackets, domains and wiki-quoted Latin names, drop names the article gives to
vehicles or works (`шаттл «Индевор»`), and split any mention at a line break. The word lists live in
`data/org_*.tsv`. Plain matching over the tagged tokens rather than yargy: as fast, and
free of yargy's pymorphy2 morphology, which breaks on Python 3.12+.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from . import datafiles
from .inflect import feats_of, nominative_phrase
from .mentionset import MentionSet
from .normalize.organizations import curated_key, fold, multi_word_aliases, single_word_aliases, word_lemma
from .names import nominative_person, role_of
from .records import Document, Mention, Token
from .spans import SpanIndex, SpanSet

OPEN_QUOTES = "«\"„“'"
CLOSE_QUOTES = "»\"“”'"
QUOTES = set(OPEN_QUOTES + CLOSE_QUOTES)
NAME_POS = {"NOUN", "PROPN"}
MAX_CHAIN = 7  # tokens of a genitive chain after the head
MAX_QUOTED = 8  # tokens of a quoted name
# Tokens a rule reads from a head to build one name (NEREL's longest are ~15): a bound, so that a
# line of genitives, Latin words or adjectives costs each head a window, not the rest of the line.
MAX_NAME = 24


@dataclass(frozen=True)
class Head:
    alone: bool
    quoted: bool
    plural: bool
    lower: bool | None  # None: only a quoted name after it counts


@lru_cache(maxsize=1)
def heads() -> dict[str, Head]:
    return {fold(r["lemma"]): Head(r["alone"] == "1", r["quoted"] == "1", r["plural"] == "1",
                                    None if r["lower"] == "x" else r["lower"] == "1")
            for r in datafiles.read_tsv("org_heads.tsv")}


def not_heads() -> frozenset[str]:
    return datafiles.column("org_not_heads.tsv", "lemma")


def names_a_place(doc: Document, start: int, stop: int) -> bool:
    """The model's ORG headed by a place noun (`кладбище`, `аэропорт`): a facility, not a body."""
    head = next((t for t in doc.tokens_in(start, stop) if t.pos == "NOUN"), None)
    return head is not None and lemma_of(head) in not_heads()


def building_heads() -> frozenset[str]:
    return datafiles.column("org_building_heads.tsv", "lemma")


PLACE_PREPS = {"в", "во", "перед", "пред", "у", "возле", "около", "напротив", "близ"}


def names_a_building(doc: Document, start: int, stop: int) -> bool:
    """`в Белом доме`, `перед Белым домом`, `во Дворце молодёжи`: after a preposition of place a name
    headed by `дом`/`дворец` is the building, not the body that sits in it."""
    head = next((t for t in doc.tokens_in(start, stop) if t.pos in NAME_POS), None)
    if head is None or lemma_of(head) not in building_heads() or case_of(head) not in ("Loc", "Ins"):
        return False
    i = bisect_left(doc.tokens, start, key=lambda t: t.start) - 1
    return i >= 0 and doc.tokens[i].text.lower() in PLACE_PREPS


@lru_cache(maxsize=1)
def platforms() -> frozenset[str]:
    return frozenset(fold(r["text"]) for r in datafiles.read_tsv("org_platforms.tsv"))


PLATFORM_PREPS = {"в", "во", "на", "через"}


def platform_used(doc: Document, start: int, stop: int) -> bool:
    """`написал в Twitter`: the platform as a medium (a product), not the company."""
    if fold(doc.text[start:stop]) not in platforms():
        return False
    i = bisect_left(doc.tokens, start, key=lambda t: t.start) - 1
    while i >= 0 and (doc.tokens[i].pos in ("ADJ", "DET") or lemma_of(doc.tokens[i]) in ("соцсеть", "сеть", "мессенджер")):
        i -= 1  # `в своём Фейсбуке`, `в соцсети Weibo`
    return i >= 0 and doc.tokens[i].text.lower() in PLATFORM_PREPS


def trim_final_dot(doc: Document, start: int, stop: int) -> tuple[int, int]:
    """The model sometimes takes the sentence's final dot into a name (`университете.`)."""
    text = doc.text[start:stop]
    if text.endswith(".") and len(text) > 1:
        word = text[:-1].split()[-1] if text[:-1].split() else ""
        if len(word) > 3 and word.isalpha():
            return start, stop - 1
    return start, stop


def thing_nouns() -> frozenset[str]:
    return datafiles.column("org_not_after.tsv", "lemma")


def quoted_thing_nouns() -> frozenset[str]:
    return datafiles.column("org_not_after_quoted.tsv", "lemma")


def follows_a_thing(doc: Document, start: int) -> bool:
    """The name comes right after `шаттл`, `станция`, `аэропорт`… (quotes between allowed), or in
    quotes after `фильм`, `кинотеатр`, `марка`…"""
    i = bisect_left(doc.tokens, start, key=lambda t: t.start) - 1
    quoted = i >= 0 and set(doc.tokens[i].text) <= QUOTES
    while i >= 0 and set(doc.tokens[i].text) <= QUOTES:  # `«`, and the wiki's `''`
        i -= 1
    if i < 0 or doc.tokens[i].pos not in NAME_POS:
        return False
    lemma = lemma_of(doc.tokens[i])
    return lemma in thing_nouns() and doc.tokens[i].pos == "NOUN" or quoted and lemma in quoted_thing_nouns()


def place_nouns() -> frozenset[str]:
    return datafiles.column("org_place_nouns.tsv", "lemma")


def legal_forms() -> frozenset[str]:
    return datafiles.column("org_legal_forms.tsv", "form")


@lru_cache(maxsize=1)
def not_orgs() -> frozenset[str]:
    return frozenset(fold(r["text"]) for r in datafiles.read_tsv("org_not.tsv"))


def chain_stop() -> frozenset[str]:
    """Genitive nouns that end a chain: time, amounts and parts are not part of a name."""
    return datafiles.column("org_chain_stop.tsv", "lemma")


def adj_stop() -> frozenset[str]:
    """Adjectives before a head that describe rather than name (`новое правительство`)."""
    return datafiles.column("org_adj_stop.tsv", "lemma")


def lemma_of(tok: Token) -> str:
    return fold(tok.lemma or tok.text)


def is_abbr(tok: Token) -> bool:
    """An upper-case abbreviation (РФ, США, МВД): indeclinable, it continues a genitive chain."""
    letters = [ch for ch in tok.text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def case_of(tok: Token) -> str:
    return feats_of(tok).get("Case", "")


ADJ_ENDING = re.compile(r"(ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими)$")


def agrees(adj: Token, head: Token) -> bool:
    """Same case and number, where the tagger gives both (indeclinable `бюро` may lack them)."""
    a, h = feats_of(adj), feats_of(head)
    return all(a.get(k) == h.get(k) for k in ("Case", "Number") if k in a and k in h) and "Case" in a


def adjective_like(tok: Token) -> bool:
    """An adjective, or a capitalized word the tagger took for a name but declined as one
    (`Московский`, `Гаагский`)."""
    if tok.pos == "ADJ":
        return True
    return tok.pos == "PROPN" and tok.text[:1].isupper() and ADJ_ENDING.search(tok.text.lower()) is not None


class Sent:
    """Tokens of one sentence with the mentions already found in it."""

    def __init__(self, tokens: list[Token], mentions: list[Mention]):
        self.tokens = tokens
        self.stops = {t.stop: i for i, t in enumerate(tokens)}
        self.mention_at = {}  # token index -> mention covering it (the last one listed)
        starts = [t.start for t in tokens]
        for m in mentions:
            i = bisect_left(starts, m.start)  # tokens in text order: those inside are a run
            while i < len(tokens) and tokens[i].stop <= m.stop:
                self.mention_at[i] = m
                i += 1


def tokens_by_sentence(doc: Document) -> dict[int, list[Token]]:
    by_sent: dict[int, list[Token]] = {}
    for tok in doc.tokens:
        by_sent.setdefault(tok.sent_id, []).append(tok)
    return by_sent


def mentions_by_sentence(mentions: list[Mention]) -> dict[int, list[Mention]]:
    """Mentions grouped by sent_id, in list order: one pass, not one per sentence."""
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(m.sent_id, []).append(m)
    return by_sent


def chain_end(sent: Sent, k: int) -> int:
    """Index after a genitive chain that starts at token k (k itself if none), read within MAX_NAME tokens."""
    toks, n, end, first, named = sent.tokens, min(len(sent.tokens), k + MAX_NAME), k, k, False
    while k < n and k - end <= MAX_CHAIN:
        tok = toks[k]
        m = sent.mention_at.get(k)
        if m is not None and m.type in ("LOC", "ORG") and m.start == tok.start and (
                case_of(toks[k]) == "Gen" or is_abbr(tok) or case_of(toks[sent.stops.get(m.stop, k)]) == "Gen"):
            k = end = sent.stops.get(m.stop, k) + 1  # a whole place or body in the genitive
            named = True
            continue
        if named and not tok.text[:1].isupper() and lemma_of(tok) not in place_nouns():
            break  # `властями России [уличных акций]`: after the place, the object of the sentence
        if m is not None and m.type == "PER":
            break
        if toks[k].text == "и" and end > first and k + 1 < n and toks[k + 1].pos == "NOUN" \
                and case_of(toks[k + 1]) == "Gen" and lemma_of(toks[k + 1]) not in heads():
            k += 1  # `института этнологии и антропологии`
        j = k
        while j < n and toks[j].pos == "ADJ" and case_of(toks[j]) == "Gen":
            j += 1
        if j < n and ((toks[j].pos in NAME_POS and case_of(toks[j]) == "Gen") or
                      (is_abbr(toks[j]) and toks[j].pos in NAME_POS | {"X"})) \
                and lemma_of(toks[j]) not in chain_stop() and (j == k or toks[j].pos == "NOUN" or toks[j].text[:1].isupper()):
            k = end = j + 1
            if lemma_of(toks[j]) in place_nouns() and k < n and toks[k].text[:1].isupper() and k not in sent.mention_at:
                k = end = k + 1  # `штата Массачусетс`
            continue
        if toks[k].text == "им" and k + 2 < n and toks[k + 1].text == "." and toks[k + 2].text[:1].isupper():
            k += 1  # razdel splits `им.`
        if toks[k].text in ("имени", "им.", ".") and k + 1 < n and toks[k + 1].text[:1].isupper() \
                and (toks[k].text != "." or toks[k - 1].text == "им"):
            j = k + 1
            while j < n and (toks[j].text[:1].isupper() or toks[j].text == "." and len(toks[j - 1].text) == 1):
                j += 1  # `имени Пушкина`, `им. А. П. Чехова`
            k = end = j
            continue
        break
    return end


def place_adjective(sent: Sent, i: int) -> bool:
    """`[Кипрское] правительство`: the model's one-word place that is an adjective belongs to the body."""
    m = sent.mention_at.get(i)
    return m is not None and m.type == "LOC" and sent.tokens[i].pos == "ADJ" \
        and m.start == sent.tokens[i].start and m.stop == sent.tokens[i].stop


def left_end(sent: Sent, h: int) -> int:
    """Index of the first agreeing adjective before the head (MAX_NAME tokens back at most)."""
    toks, i = sent.tokens, h
    while i > max(0, h - MAX_NAME) and adjective_like(toks[i - 1]) and agrees(toks[i - 1], toks[h]) \
            and lemma_of(toks[i - 1]) not in adj_stop() \
            and ((i - 1) not in sent.mention_at or sent.mention_at[i - 1] is sent.mention_at.get(h)
                 or place_adjective(sent, i - 1)):
        i -= 1
    return i


def quoted_name(sent: Sent, k: int) -> tuple[int, int] | None:
    """Token range of a name in quotes that opens at token k."""
    toks = sent.tokens
    if k >= len(toks) or toks[k].text not in OPEN_QUOTES:
        return None
    for j in range(k + 1, min(len(toks), k + 2 + MAX_QUOTED)):
        if toks[j].text in CLOSE_QUOTES:
            return (k + 1, j) if j > k + 1 and any(ch.isupper() for ch in toks[k + 1].text[:1]) else None
    return None


def latin_name(sent: Sent, k: int) -> tuple[int, int] | None:
    """Token range of a capitalized Latin-script name starting at token k (MAX_NAME tokens at most)."""
    toks, j = sent.tokens, k
    while j < min(len(toks), k + MAX_NAME) and toks[j].text[:1].isascii() and toks[j].text[:1].isalpha() \
            and (toks[j].text[:1].isupper() or j > k):
        j += 1
    return (k, j) if j > k else None


def word_keys(tok: Token) -> tuple[str, str]:
    return lemma_of(tok), word_lemma(fold(tok.text))


def curated_phrase(toks: list[Token], h: int) -> int:
    """Index after a curated name of several words starting at token h, or 0."""
    aliases = multi_word_aliases()
    firsts = [first for first in word_keys(toks[h]) if first in aliases]
    if not firsts:
        return 0  # most capitalized words begin no curated name: the next words are not laid out
    at = [i for i in range(h, min(h + 7, len(toks))) if any(ch.isalnum() for ch in toks[i].text)]
    words = [toks[i] for i in at]
    for first in firsts:
        for key in aliases[first]:
            if len(words) >= len(key) and all(k in word_keys(t) for k, t in zip(key, words)):
                return at[len(key) - 1] + 1
    return 0


def candidates(sent: Sent) -> list[tuple[int, int, str]]:
    """Token ranges of organizations found by the rules, with the rule's name."""
    out = []
    toks, hs, forms, aliases = sent.tokens, heads(), legal_forms(), single_word_aliases()
    for h, tok in enumerate(toks):
        lemma = lemma_of(tok)
        head = hs.get(lemma) if tok.pos in NAME_POS else None
        phrase_end = curated_phrase(toks, h) if tok.text[:1].isupper() else 0
        if phrase_end:
            out.append((h, phrase_end, "alias"))  # `Голос Америки`, `Эхо Москвы`
        if head is not None or tok.text in forms:
            name = quoted_name(sent, h + 1)
            if name is None and tok.text in forms:
                name = latin_name(sent, h + 1)
            if name is not None and (tok.text in forms or head.quoted):
                out.append((name[0], name[1], "quoted"))
                continue
            if head is None:
                continue
            if head.quoted and h + 1 < len(toks):
                latin = latin_name(sent, h + 1)
                if latin is not None:
                    out.append((latin[0], latin[1], "latin"))
                    continue
            if head.plural and feats_of(tok).get("Number") != "Plur":
                continue
            end = chain_end(sent, h + 1)
            start = left_end(sent, h)
            if end == h + 1 and start == h and not head.alone or head.lower is None:
                continue
            if head.lower is False and not any(t.text[:1].isupper() for t in toks[start:end]):
                continue  # `палата интенсивной терапии` is a ward, `Счётная палата` a body
            if head.quoted and not head.alone and (h + 1 == len(toks) or is_abbr(toks[h + 1]) or not any(
                    t.text[:1].isupper() for t in toks[h + 1:end])):
                continue  # `агентство АКРА`: the name is the mention; `объединение усилий`: no name
            out.append((start, end, "head"))
        elif (tok.text[:1].isupper() and (fold(tok.text) in aliases or (lemma in aliases and not is_abbr(tok)))
              and tok.pos in NAME_POS | {"X", "ADJ"}):
            start = h
            while start > max(0, h - MAX_NAME) and toks[start - 1].text[:1].isupper() and adjective_like(toks[start - 1]) \
                    and agrees(toks[start - 1], tok) and (start - 1) not in sent.mention_at:
                start -= 1  # `Верховной Рады`
            out.append((start, h + 1, "alias"))
    return out


def split_brackets(doc: Document, m: Mention) -> list[tuple[int, int]]:
    """`Организация … (ОЗХО)` → the name and the abbreviation, each a mention."""
    text = m.text
    i = text.find("(")
    if i <= 0:
        return [(m.start, m.stop)]
    spans = [(m.start, m.start + len(text[:i].rstrip()))]
    depth, j = 0, -1
    for k in range(i, len(text)):  # the matching bracket: `(James (Buddy) McGirt)`
        depth += {"(": 1, ")": -1}.get(text[k], 0)
        if depth == 0:
            j = k
            break
    if j > i + 1:
        inner = text[i + 1:j].strip()
        a = m.start + text.index(inner, i)
        spans.append((a, a + len(inner)))
    return spans


def trim_quotes(doc: Document, start: int, stop: int) -> tuple[int, int]:
    """Drop quotes that open or close a span unbalanced (`Сосновский комбинат»`) or wrap it."""
    for _ in range(3):
        text = doc.text[start:stop]
        if len(text) > 2 and text[0] in OPEN_QUOTES and text[-1] in CLOSE_QUOTES:
            inner = text[1:-1]
            if not any(q in inner for q in QUOTES):
                start, stop = start + 1, stop - 1
                continue
        if text and text[-1] in CLOSE_QUOTES and (
                sum(text.count(q) for q in "«„") < sum(text.count(q) for q in "»“”")
                or text[-1] in "\"'" and text.count(text[-1]) % 2 == 1):
            stop -= 1
            continue
        if text and text[0] in OPEN_QUOTES and (not any(q in text[1:] for q in CLOSE_QUOTES)
                                                or text[0] in "\"'" and text.count(text[0]) % 2 == 1):
            start += 1
            continue
        break
    while stop > start and doc.text[stop - 1].isspace():
        stop -= 1
    while start < stop and doc.text[start].isspace():
        start += 1
    return start, stop


def make_mention(doc: Document, start: int, stop: int, type_: str, normal: str | None = None) -> Mention | None:
    tokens = doc.tokens_in(start, stop)
    if not tokens or not any(ch.isalpha() for ch in doc.text[start:stop]):
        return None
    start, stop = tokens[0].start, tokens[-1].stop
    if normal is None:
        normal = nominative_person(doc.text, tokens).normal if type_ == "PER" else nominative_phrase(doc.text, tokens)
    return Mention(0, tokens[0].sent_id, start, stop, doc.text[start:stop], type_, normal)


def trim_leading_noun(doc: Document, start: int, stop: int) -> tuple[int, int]:
    """`Член [общественного совета]`, `блоков [Хмельницкой АЭС]`: the model took the noun that governs
    the body's name; a noun that heads no body is dropped when a body's head follows in the genitive."""
    toks = doc.tokens_in(start, stop)
    if len(toks) < 2 or toks[0].pos != "NOUN" or is_abbr(toks[0]):
        return start, stop
    first = lemma_of(toks[0])
    if first in heads() or first in prep_heads() or first in single_word_aliases():
        return start, stop
    j = 1
    while j < len(toks) and adjective_like(toks[j]) and case_of(toks[j]) == "Gen":
        j += 1
    named = j > 1 and toks[1].text[:1].isupper()  # `Брукхейвенской национальной лаборатории`
    if j < len(toks) and toks[j].pos in NAME_POS and case_of(toks[j]) == "Gen" and (named or lemma_of(toks[j]) in heads()):
        return toks[1].start, stop
    return start, stop


def lone_adjective(doc: Document, start: int, stop: int) -> bool:
    """`[Лондонский] «Арсенал»`, `[Воскресное] заседание`: an adjective alone names no organization."""
    toks = doc.tokens_in(start, stop)
    return len(toks) == 1 and toks[0].pos == "ADJ" and ADJ_ENDING.search(toks[0].text.lower()) is not None


def clean_model_mentions(doc: Document) -> list[Mention]:
    """The model's mentions with brackets split, stray quotes trimmed and non-organizations dropped;
    a curated organization the model took for a place (`ЕС`, `Евросоюз`) or, when the word is no
    personal name, for a person (`Аль-Кайды`) becomes one."""
    out = []
    for m in doc.mentions:
        if m.type == "LOC" and (curated_key(m.normal) or curated_key(m.text)):
            m = Mention(m.mention_id, m.sent_id, m.start, m.stop, m.text, "ORG", m.normal)  # ЕС, НАТО
        elif m.type == "PER" and " " not in m.text and curated_key(m.text) and not role_of(m.text):
            m = Mention(m.mention_id, m.sent_id, m.start, m.stop, m.text, "ORG", m.normal)  # Аль-Кайды
        if m.type != "ORG" and "(" not in m.text:
            out.append(m)
            continue
        for start, stop in split_brackets(doc, m):
            start, stop = trim_quotes(doc, start, stop)
            start, stop = trim_final_dot(doc, start, stop)
            if m.type == "ORG":
                start, stop = trim_leading_noun(doc, start, stop)
            if m.type == "ORG" and (fold(doc.text[start:stop]) in not_orgs() or names_a_place(doc, start, stop)
                                    or names_a_building(doc, start, stop)
                                    or lone_adjective(doc, start, stop)
                                    or doc.text[start:stop] in legal_forms()  # `ПАО` alone names nothing
                                    or not any(ch.isalpha() for ch in doc.text[start:stop])
                                    or follows_a_thing(doc, start) or platform_used(doc, start, stop)):
                continue
            if (start, stop) == (m.start, m.stop):
                out.append(m)
            elif (new := make_mention(doc, start, stop, m.type)) is not None:
                out.append(new)
    return out


def extend_over_places(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """`МИД` + `России` → `МИД России`: a body and the country or city it belongs to are one name."""
    by_start = {m.start: m for m in mentions if m.type == "LOC"}
    out = []
    for m in mentions:
        if m.type == "ORG":
            nxt = doc.text.startswith(" ", m.stop) and by_start.get(m.stop + 1)
            if nxt and doc.sent_at(nxt.start) == m.sent_id:
                last = doc.tokens_in(nxt.start, nxt.stop)
                if last and (case_of(last[-1]) == "Gen" or is_abbr(last[-1])):
                    new = make_mention(doc, m.start, nxt.stop, "ORG")
                    if new is not None:
                        m = new
        out.append(m)
    return out


@lru_cache(maxsize=1)
def prep_heads() -> frozenset[str]:
    return frozenset(h if h.isupper() else fold(h) for h in datafiles.column("org_prep_heads.tsv", "head"))


def prep_stop() -> frozenset[str]:
    return datafiles.column("org_prep_stop.tsv", "lemma")


PREP_CASE = {"по": "Dat", "при": "Loc"}


def takes_prep(doc: Document, m: Mention) -> bool:
    """The body's head noun is one whose name goes on with `по …`/`при …` (`комитет`, `МВД`)."""
    for tok in doc.tokens_in(m.start, m.stop):
        if is_abbr(tok):
            return tok.text in prep_heads()
        if tok.pos in NAME_POS:
            return lemma_of(tok) in prep_heads()
    return False


def after_a_body(doc: Document, start: int) -> bool:
    """The name at `start` hangs in the genitive off a body's head noun (`комитета [Совета Федерации]`)."""
    i = bisect_left(doc.tokens, start, key=lambda t: t.start)
    return dependent_at(doc, start) and (lemma_of(doc.tokens[i - 1]) in heads() or lemma_of(doc.tokens[i - 1]) in prep_heads())


def prep_phrase_end(sent: Sent, k: int) -> int:
    """Index after `при президенте РФ`, `по обороне и безопасности`, `по Москве` from token k (k if none),
    read within MAX_NAME tokens."""
    toks, n, end = sent.tokens, min(len(sent.tokens), k + MAX_NAME), k
    for _ in range(2):  # `Совет при президенте РФ по развитию гражданского общества`
        if end >= n or toks[end].text.lower() not in PREP_CASE:
            break
        case, j, last = PREP_CASE[toks[end].text.lower()], end + 1, end
        while True:
            i = j
            while i < n and toks[i].pos == "ADJ" and case_of(toks[i]) == case:
                i += 1
            m = sent.mention_at.get(i)
            if i < n and toks[i].pos in NAME_POS and case_of(toks[i]) == case \
                    and lemma_of(toks[i]) not in prep_stop() and not (m is not None and m.type == "PER"):
                j = last = chain_end(sent, i + 1)
            else:
                break
            if j + 1 < n and toks[j].text in ("и", ","):
                j += 1  # `по безопасности и противодействию коррупции`
                continue
            break
        if last == end:
            break
        end = last
    return end


def join_bodies(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """`Палаты представителей` + `Конгресса США`, `Свердловского обкома` + `КПСС`: a body the model
    ends right before another body in the genitive is a part of it; the outer name replaces the
    part, the inner body stays nested."""
    orgs = sorted((m for m in mentions if m.type == "ORG"), key=lambda m: (m.start, -m.stop))
    by_start: dict[int, Mention] = {}
    for m in orgs:
        by_start.setdefault(m.start, m)  # the longest at each start
    replace: dict[int, Mention] = {}
    for m in orgs:
        nxt = by_start.get(m.stop + 1)
        if nxt is None or doc.text[m.stop] != " " or nxt.sent_id != m.sent_id:
            continue
        last, first = doc.tokens_in(m.start, m.stop), doc.tokens_in(nxt.start, nxt.stop)
        if not last or not first or last[-1].pos not in NAME_POS or is_abbr(last[-1]) \
                or lemma_of(last[-1]) in chain_stop() or not (case_of(first[0]) == "Gen" or is_abbr(first[0])) \
                or feats_of(last[0]).get("Animacy") == "Anim":
            continue  # `Замглавы` + `ФМС`: a person's role, not a body
        new = make_mention(doc, m.start, nxt.stop, "ORG")
        if new is not None:
            replace[id(m)] = new
    return [replace.get(id(m), m) for m in mentions]


def extend_over_preps(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """`комитет` + `по обороне`, `Совет` + `при президенте РФ`: the phrase is part of the body's name.
    A body hanging in the genitive off another body's noun (`комитета [Совета Федерации] по …`) is
    not extended: the phrase belongs to that noun. Names around an extended one go with it."""
    ends: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.type == "ORG":
            ends.setdefault(m.stop, []).append(m)
    replace: dict[int, Mention] = {}
    by_sent, mentions_of, sents = tokens_by_sentence(doc), mentions_by_sentence(mentions), {}
    for stop, group in ends.items():
        nxt = doc.text[stop:stop + 5]
        if not (nxt.startswith(" по ") or nxt.startswith(" при ")):
            continue
        heads_ = [m for m in group if takes_prep(doc, m) and not after_a_body(doc, m.start)]
        group = [m for m in group if any(m.start <= h.start for h in heads_)]  # and the names around them
        if not group:
            continue
        sent_id = group[0].sent_id
        if sent_id not in sents:
            sents[sent_id] = Sent(by_sent.get(sent_id, []), mentions_of.get(sent_id, []))
        sent = sents[sent_id]
        toks = sent.tokens
        k = bisect_right(toks, stop, key=lambda t: t.start)  # the first token after the body
        if k == len(toks):
            continue
        end = prep_phrase_end(sent, k)
        if end == k:
            continue
        for m in group:
            new = make_mention(doc, m.start, toks[end - 1].stop, "ORG")
            if new is not None:
                replace[id(m)] = new
    return [replace.get(id(m), m) for m in mentions]


BRACKETED = re.compile(r"\s*\(([^()\n]{2,80})\)")
LATIN_NAME = re.compile(r"^[A-Z][\w&'’.-]*(?:\s+[\w&'’.-]+){0,7}$")
DOMAIN = re.compile(r"(?<![\w./@-])[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*\.(?:ru|com|net|org|ua|info|io)(?![\w/@-]|\.\w)")


NAME_AND_ABBR = re.compile(r"^(.+?), ([A-Z][A-Z&]{1,9})$")


def split_name_and_abbr(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """`(Rassemblement pour le Mali, RPM)`: a foreign name and its abbreviation, two mentions."""
    out = []
    for m in mentions:
        match = NAME_AND_ABBR.match(m.text) if m.type == "ORG" else None
        if match and LATIN_NAME.match(match.group(1)):
            a = make_mention(doc, m.start, m.start + len(match.group(1)), "ORG", normal=match.group(1))
            b = make_mention(doc, m.start + match.start(2), m.stop, "ORG", normal=match.group(2))
            if a is not None and b is not None:
                out += [a, b]
                continue
        out.append(m)
    return out


def bracketed_names(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """`Международная амнистия (Amnesty International)`, `… Channel (WFC)`: the name in brackets
    after an organization is the same organization, a mention of its own."""
    taken = SpanSet([t.start for t in doc.tokens])
    for m in mentions:
        taken.add(m.start, m.stop, id(m))
    out = list(mentions)
    for m in out:  # grows: `Комитет … (КЗЖ) (Committee to Protect Journalists)`
        if m.type != "ORG":
            continue
        at = m.stop
        while at < len(doc.text) and (doc.text[at] in CLOSE_QUOTES or doc.text[at] == ")" and doc.text[m.start - 1:m.start] == "("):
            at += 1  # `газета «Ла стампа» (La Stampa)`, `Комитет … (КЗЖ) (Committee …)`
        match = BRACKETED.match(doc.text, at)
        if not match:
            continue
        inner = match.group(1).strip()
        start = match.start(1) + match.group(1).index(inner)
        stop = start + len(inner)
        letters = [ch for ch in inner if ch.isalpha()]
        pair = NAME_AND_ABBR.match(inner)
        if pair and LATIN_NAME.match(pair.group(1)):
            inner = pair.group(1)  # `(King's College London, KCL)`: the abbreviation is split off below
            stop = start + len(inner) + len(pair.group(0)) - len(pair.group(1))
        elif not (LATIN_NAME.match(inner) or (letters and all(ch.isupper() for ch in letters) and " " not in inner)):
            continue
        if taken.overlapping(start, stop):
            continue
        new = make_mention(doc, start, stop, "ORG", normal=match.group(1).strip())
        if new is not None:
            out += split_name_and_abbr(doc, [new])
            taken.add(start, stop, id(new))
    return out


def domain_names(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """News sites named by their domain (`vc.ru`, `infox.ru`) are organizations; a site one goes to
    (`на change.org`, `на сайте gosuslugi.ru`) is the product."""
    taken = SpanIndex((m.start, m.stop) for m in mentions)
    out = list(mentions)
    for match in DOMAIN.finditer(doc.text):
        start, stop = match.span()
        if taken.overlaps(start, stop):
            continue
        i = bisect_left(doc.tokens, start, key=lambda t: t.start) - 1
        if i >= 0 and (doc.tokens[i].text.lower() in PLATFORM_PREPS or lemma_of(doc.tokens[i]) in ("сайт", "портал", "адрес")):
            continue
        new = make_mention(doc, start, stop, "ORG", normal=match.group())
        if new is not None and (new.start, new.stop) == (start, stop):
            out.append(new)
    return out


FUNCTION_WORDS = {"of", "and", "the", "for", "de", "du", "la", "le", "di", "von", "van", "&"}
WIKI_QUOTED = re.compile(r"''([A-Z][^'\n]{0,60}[\w.])''")


def wiki_quoted_names(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """Wiki-style news sets foreign names in double apostrophes (`''Netflix''`); a Latin name
    so marked that the model left untagged is most often a company, club or band."""
    taken = SpanIndex((m.start, m.stop) for m in mentions)
    out = list(mentions)
    for match in WIKI_QUOTED.finditer(doc.text):
        start, stop = match.span(1)
        words = match.group(1).split()
        if len(words) > 4 or not all(w[:1].isupper() or w in FUNCTION_WORDS for w in words):
            continue  # a title or a quotation, not a name
        if taken.overlaps(start, stop) or follows_a_thing(doc, start):
            continue
        new = make_mention(doc, start, stop, "ORG", normal=match.group(1))
        if new is not None and (new.start, new.stop) == (start, stop):
            out.append(new)
    return out


def join_split_names(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """`Собянин` + `Сергей Семёнович` → one person: the model splits names written surname first."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, m.stop)):
        prev = out[-1] if out else None
        if (prev is not None and prev.type == m.type == "PER" and doc.text[prev.stop:m.start] == " "
                and prev.sent_id == m.sent_id):
            a, b = doc.tokens_in(prev.start, prev.stop), doc.tokens_in(m.start, m.stop)
            if a and b and case_of(a[-1]) == case_of(b[0]) != "" and len(a) == 1 \
                    and role_of(a[0].text) == "Surn" and role_of(b[0].text) == "Name":
                new = make_mention(doc, prev.start, m.stop, "PER")
                if new is not None:
                    out[-1] = new
                    continue
        out.append(m)
    return out


def dependent_at(doc: Document, start: int) -> bool:
    """The name at `start` hangs in the genitive off the noun before it."""
    i = bisect_left(doc.tokens, start, key=lambda t: t.start)
    if i == 0 or i >= len(doc.tokens):
        return False
    tok, prev = doc.tokens[i], doc.tokens[i - 1]
    return prev.pos in NAME_POS and (case_of(tok) == "Gen" or is_abbr(tok))


def merge(doc: Document, mentions: list[Mention], found: list[tuple[int, int, str]]) -> list[Mention]:
    """Add the rules' spans to the model's mentions; a rule span replaces a model ORG it extends."""
    kept = MentionSet([t.start for t in doc.tokens], mentions)
    for start, stop, rule in sorted(found, key=lambda f: f[0] - f[1]):  # longest first
        if kept.has_span(start, stop):
            continue
        clash = kept.overlapping(start, stop)
        keep = True
        replace = []
        for m in clash:
            inside = start <= m.start and m.stop <= stop
            if m.type in ("LOC", "PER") and inside and (m.start > start or rule == "head" and " " not in m.text):
                continue  # a place or person in the chain, or a place adjective before the head: both stay
            if m.type == "ORG" and inside:
                if m.start == start or rule == "head" and m.start <= start + 1:
                    replace.append(m)  # the model cut the name short
                continue
            if m.type == "ORG" and rule == "quoted" and m.start <= start and stop <= m.stop:
                replace.append(m)  # `ОАО «Газпром»` → `Газпром`
                continue
            if m.type == "ORG" and rule in ("head", "alias") and m.start < start and stop <= m.stop \
                    and dependent_at(doc, start):
                continue  # a body inside another's name: `пресс-служба [департамента …]`
            keep = False
            break
        if not keep:
            continue
        new = make_mention(doc, start, stop, "ORG")
        if new is None:
            continue
        for m in replace:
            kept.remove_equal(m)
        kept.append(new)
    return kept.to_list()


def name_keys(text: str) -> set[str]:
    folded = fold(text)
    return {folded, word_lemma(folded)} if " " not in folded else {folded}


def thing_names(doc: Document) -> set[str]:
    """Names the text puts right after `шаттл`, `станция`…: the same name elsewhere in the article
    (`после «Дискавери»`) is the same vehicle or place, not an organization."""
    out: set[str] = set()
    for m in doc.mentions:
        if m.type == "ORG" and follows_a_thing(doc, m.start):
            out |= name_keys(doc.text[m.start:m.stop])
    toks = doc.tokens
    for i, tok in enumerate(toks[:-2]):
        if not (tok.pos in NAME_POS and toks[i + 1].text in OPEN_QUOTES
                and (lemma_of(tok) in thing_nouns() or lemma_of(tok) in quoted_thing_nouns())):
            continue
        k = i + 1
        while k < len(toks) and toks[k].text in OPEN_QUOTES:  # `кинотеатрах «Звезда», «Космос» и «Юность»`
            j = k + 1
            while j < len(toks) and j < k + 1 + MAX_QUOTED and toks[j].text not in CLOSE_QUOTES \
                    and toks[j].sent_id == tok.sent_id:
                j += 1
            if j >= len(toks) or toks[j].text not in CLOSE_QUOTES or j == k + 1:
                break
            out |= name_keys(doc.text[toks[k + 1].start:toks[j - 1].stop])  # `шаттл «Индевор»`
            k = j + 1
            if k + 1 < len(toks) and toks[k].text in (",", "и"):
                k += 1
            else:
                break
    return out


def drop_thing_names(doc: Document, mentions: list[Mention], things: set[str]) -> list[Mention]:
    if not things:
        return mentions
    return [m for m in mentions if m.type != "ORG" or not name_keys(doc.text[m.start:m.stop]) & things]


def split_lines(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """A name never runs over a line break: a headline and the line under it (`Гарвардском
    университете` / `Семья Обама`) are split. The first part keeps the type; a later one only when
    it has two words or more (a lone capitalized word there opens the next sentence), never for a place."""
    out = []
    for m in mentions:
        if "\n" not in m.text:
            out.append(m)
            continue
        at, first = m.start, True
        for part in m.text.split("\n"):
            if part.strip() and (first or m.type != "LOC" and len(part.split()) > 1):  # not `Свергнутый`
                first = False
                start, stop = trim_quotes(doc, at, at + len(part))
                new = make_mention(doc, start, stop, m.type) if stop > start else None
                if new is not None and "\n" not in new.text:
                    out.append(new)
            at += len(part) + 1
    return out


def apply(doc: Document) -> Document:
    things = thing_names(doc)
    mentions = clean_model_mentions(doc)
    by_sent, mentions_of = tokens_by_sentence(doc), mentions_by_sentence(mentions)
    found = []
    for sent_id, toks in by_sent.items():
        sent = Sent(toks, mentions_of.get(sent_id, []))
        for a, b, rule in candidates(sent):
            start, stop = trim_quotes(doc, toks[a].start, toks[b - 1].stop)
            if stop > start and not platform_used(doc, start, stop) and not follows_a_thing(doc, start) \
                    and not names_a_building(doc, start, stop) and fold(doc.text[start:stop]) not in not_orgs():
                found.append((start, stop, rule))
    mentions = merge(doc, mentions, found)
    mentions = extend_over_places(doc, mentions)
    mentions = join_bodies(doc, mentions)
    mentions = extend_over_preps(doc, mentions)
    mentions = join_split_names(doc, mentions)
    mentions = split_name_and_abbr(doc, mentions)
    mentions = bracketed_names(doc, mentions)
    mentions = domain_names(doc, mentions)
    mentions = wiki_quoted_names(doc, mentions)
    mentions = drop_thing_names(doc, mentions, things)
    mentions = split_lines(doc, mentions)
    unique = {(m.start, m.stop, m.type): m for m in mentions}
    doc.mentions = sorted(unique.values(), key=lambda m: (m.start, m.stop, m.type))
    for i, m in enumerate(doc.mentions):
        m.mention_id = i
    return doc


def ner_rules(docs: list[Document]) -> list[Document]:
    return [apply(doc) for doc in docs]
