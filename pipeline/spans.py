"""Overlap tests against many character spans, in log time.

Stages ask "does this span touch any of those?" once per token or mention; a scan of
the list each time is quadratic on a text with thousands of mentions or links.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class SpanIndex:
    """A fixed set of half-open spans [start, stop)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_stops = list(accumulate((e for _, e in ordered), max))  # of each prefix

    def overlaps(self, start: int, stop: int) -> bool:
        """Some span has s < stop and start < e (the test `any(...)` over the list made)."""
        i = bisect_left(self.starts, stop)
        return i > 0 and self.max_stops[i - 1] > start


class SpanSet:
    """A changing set of keyed spans, found by the spans they overlap.

    Each span is filed under the tokens it touches (a character belongs to the last token
    starting at or before it, so the spaces after a token are its own): an overlap query
    reads the few spans filed under its own tokens instead of the whole set.
    """

    def __init__(self, token_starts: list[int]):
        self.token_starts = token_starts
        self.buckets: dict[int, dict[object, tuple[int, int]]] = {}

    def _buckets(self, start: int, stop: int) -> range:
        first = bisect_right(self.token_starts, start) - 1
        last = bisect_right(self.token_starts, stop - 1) - 1
        return range(first, max(first, last) + 1)  # an empty span: the bucket of its position

    def add(self, start: int, stop: int, key: object) -> None:
        for b in self._buckets(start, stop):
            self.buckets.setdefault(b, {})[key] = (start, stop)

    def discard(self, start: int, stop: int, key: object) -> None:
        for b in self._buckets(start, stop):
            self.buckets.get(b, {}).pop(key, None)

    def overlapping(self, start: int, stop: int) -> set[object]:
        """Keys of the spans with s < stop and start < e."""
        out = set()
        for b in self._buckets(start, stop):
            out.update(k for k, (s, e) in self.buckets.get(b, {}).items() if s < stop and start < e)
        return out
