"""An ordered list of mentions that finds the ones overlapping a span without a scan.

`ner_rules.merge` asks, for each of thousands of candidate spans, which mentions it clashes
with, drops some and appends one: on a list that is quadratic (a line of `ООН ООН …`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import fields
from operator import attrgetter

from .records import Mention
from .spans import SpanSet

# The fields dataclass equality compares, as a flat tuple: Mention holds only scalars, so this
# is `astuple` without its recursive deep copy (a tenth of the cost per mention).
value_of = attrgetter(*(f.name for f in fields(Mention)))


class MentionSet:
    """Mentions in list order: overlap queries by span, removal by value as `list.remove` would."""

    def __init__(self, token_starts: list[int], mentions: list[Mention]):
        self.alive: dict[int, Mention] = {}  # serial -> mention, in list order
        self.spans = SpanSet(token_starts)
        self.counts: Counter[tuple[int, int]] = Counter()
        self.by_value: dict[tuple, set[int]] = {}
        self.serial = 0
        for m in mentions:
            self.append(m)

    def append(self, m: Mention) -> None:
        self.serial += 1
        self.alive[self.serial] = m
        self.spans.add(m.start, m.stop, self.serial)
        self.counts[(m.start, m.stop)] += 1
        self.by_value.setdefault(value_of(m), set()).add(self.serial)

    def has_span(self, start: int, stop: int) -> bool:
        return self.counts[(start, stop)] > 0

    def overlapping(self, start: int, stop: int) -> list[Mention]:
        """The mentions with m.start < stop and start < m.stop, in list order."""
        return [self.alive[k] for k in sorted(self.spans.overlapping(start, stop))]

    def remove_equal(self, m: Mention) -> None:
        """Drop every mention equal to `m` (dataclass equality, as `x not in list` tests it)."""
        for k in self.by_value.pop(value_of(m), set()):
            old = self.alive.pop(k)
            self.spans.discard(old.start, old.stop, k)
            self.counts[(old.start, old.stop)] -= 1

    def to_list(self) -> list[Mention]:
        return list(self.alive.values())
