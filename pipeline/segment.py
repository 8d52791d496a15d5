"""razdel's sentence and token segmenters, joining their chunks in linear time.

razdel 0.5 grows the chunk being built with `buffer = buffer + delimiter + right` at every
split it joins, and hands the new string to the rules: a sentence (or token) built from k
joins costs k copies of itself, quadratic on a line of brackets without a full stop or on
a 40k-character `а-а-а-…`. These subclasses keep the pieces and join them once, when the
chunk is given out. The rules read the buffer only to tell a short one (a bullet `1)` of
at most 20 characters, a smile `:-)`) from a long one; they get it whole while it is short
and, after, its last characters, which give them the same answer.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from razdel.rule import JOIN, FunctionRule
from razdel.segmenters.base import safe_next
from razdel.segmenters.sentenize import BULLET_SIZE, SentSegmenter
from razdel.segmenters.tokenize import LAT, RU, TokenSegmenter, TokenSplit, TokenSplitter

from .script import LATIN_LOOK_ALIKE

SHORT = BULLET_SIZE + 1  # longer than any bullet or smile: past it, only the length matters


class Buffer:
    """The chunk being built, as pieces, and its last SHORT characters for the rules."""

    __slots__ = ("pieces", "tail")

    def __init__(self, first: str):
        self.pieces: list[str] = [first] if first else []
        self.tail = first[-SHORT:]  # the whole buffer while it is short

    def add(self, *parts: str) -> None:
        for part in parts:
            if part:
                self.pieces.append(part)
                self.tail = (self.tail + part[-SHORT:])[-SHORT:]

    def for_rules(self) -> str:
        return self.tail

    def text(self) -> str:
        return "".join(self.pieces)


def joined(parts: Iterator, join: Callable, keep_delimiter: bool) -> Iterator[str]:
    """razdel's `Segmenter.segment` loop, with the buffer kept as pieces; sentences keep the
    delimiter between joined parts, tokens never join across one."""
    first = safe_next(parts)
    if first is None:
        return
    buffer = Buffer(first)
    for split in parts:
        right = next(parts)
        split.buffer = buffer.for_rules()
        delimiter = split.delimiter if keep_delimiter else ""
        if join(split):
            buffer.add(delimiter, right)
        else:
            yield buffer.text() + delimiter
            buffer = Buffer(right)
    yield buffer.text()


class Sentences(SentSegmenter):
    def segment(self, parts: Iterator) -> Iterator[str]:
        return joined(parts, self.join, keep_delimiter=True)


def look_alike(split) -> str | None:
    """Cyrillic and Latin letters with nothing between are one word when the Latin ones all
    look Cyrillic (`Евроcоюза` typed with a Latin `c`): razdel would cut it in three."""
    left, right = split.left_1, split.right_1
    if split.delimiter or {left.type, right.type} != {RU, LAT}:
        return None
    latin = left.text if left.type == LAT else right.text
    return JOIN if LATIN_LOOK_ALIKE.issuperset(latin) else None


class Gap:
    """A split at spaces between two atoms: tokens never join across one, so no rule reads it."""

    __slots__ = ("delimiter", "buffer")

    def __init__(self, delimiter: str):
        self.delimiter = delimiter
        self.buffer = ""


class Splits(TokenSplitter):
    """razdel's token splitter, with a bare `Gap` where spaces part the atoms: its TokenSplit
    (atom windows, cached properties) costs more than the rest of tokenizing, and most splits
    of news text are spaces."""

    def __call__(self, text: str) -> Iterator:
        atoms = list(self.atoms(text))
        for index, atom in enumerate(atoms):
            if index > 0:
                delimiter = text[atoms[index - 1].stop:atom.start]
                if delimiter:
                    yield Gap(delimiter)
                else:
                    yield TokenSplit(atoms[max(0, index - self.window):index], delimiter,
                                     atoms[index:index + self.window])
            yield atom.text


class Tokens(TokenSegmenter):
    def __init__(self) -> None:
        super().__init__()
        self.split = Splits()
        self.rules = [*self.rules, FunctionRule(look_alike)]

    def segment(self, parts: Iterator) -> Iterator[str]:
        return joined(parts, lambda split: not split.delimiter and self.join(split), keep_delimiter=False)


sentenize = Sentences()
tokenize = Tokens()
