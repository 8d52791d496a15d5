"""Links, e-mails and phone numbers: spans whose digits are not amounts.

The spans are those of `NOT_AMOUNTS.finditer(text)`, found without running that pattern:
its e-mail and domain branches (`\\S+@…`, `\\b[\\w.-]+\\.ru`) rescan a long run of
non-spaces from every position in it, so a base64 blob, a minified script or a line of
`a@b` cost the square (or the cube) of the run's length. Here each branch lists the
positions where it matches with a linear pass, and a merge replays finditer: the leftmost
start wins, on a tie the earlier branch, and the scan goes on from the match's end.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

TLDS = r"(?:ru|com|org|net|ua|рф|info|io)"
NOT_AMOUNTS = re.compile(  # the reference; `not_amount_spans` gives the spans of its finditer
    r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:ru|com|org|net|ua|рф|info|io)(?:/\S*)?"
    r"|(?:\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b|\b\d{3}-\d{2}-\d{2}\b",
    re.I,
)
# Branch 1, `(?:https?://|www\.)\S+`: where it starts; it ends where the run of non-spaces does.
URL_AT = re.compile(r"(?=(?:https?://|www\.)\S)", re.I)
RUN = re.compile(r"\S+")
# Branch 2, `\S+@\S+\.\w+`: a run of non-spaces holding an @ (each run read once).
RUN_WITH_AT = re.compile(r"(?<!\S)[^\s@]*+@\S*")
WORD_DOT = re.compile(r"\.(?=\w)")
WORD = re.compile(r"\w+")
# Branch 3, `\b[\w.-]+\.tld(?:/\S*)?`: a run of [\w.-] holding a `.tld` (each run read once).
TLD_DOT = re.compile(r"\." + TLDS, re.I)
TLD_RUN = re.compile(r"(?<![\w.-])(?:[\w-]|\.(?!" + TLDS + r"))*+\." + TLDS + r"[\w.-]*", re.I)
TLD_TAIL = re.compile(r"\." + TLDS + r"(?:/\S*)?", re.I)
WORD_EDGE = re.compile(r"\b(?=[\w.-])")
# Branches 4 and 5, phone numbers: short and linear, matched at every position.
PHONE_AT = re.compile(
    r"(?=((?:\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b|\b\d{3}-\d{2}-\d{2}\b))", re.I)


@dataclass
class Starts:
    """Every position in [first, last] starts a match of one branch; `end(p)` is where it stops."""

    first: int
    last: int
    end: Callable[[int], int]


def url_starts(text: str) -> Iterator[Starts]:
    def end(p: int) -> int:
        return RUN.match(text, p).end()
    for m in URL_AT.finditer(text):
        yield Starts(m.start(), m.start(), end)


def email_starts(text: str) -> Iterator[Starts]:
    """Greedy `\\S+@\\S+\\.\\w+` from p ends past the run's last dot before a word character (D),
    and matches when an @ lies in [p+1, D-2]: so from the run's start up to that last such @."""
    for run in RUN_WITH_AT.finditer(text):
        start, stop = run.span()
        dot = -1
        for m in WORD_DOT.finditer(text, start, stop):
            dot = m.start()
        at = text.rfind("@", start + 1, dot - 1) if dot > start + 2 else -1
        if at > start:
            stop = WORD.match(text, dot + 1).end()
            yield Starts(start, at - 1, lambda p, stop=stop: stop)


def domain_starts(text: str) -> Iterator[Starts]:
    """Greedy `[\\w.-]+` backs off to the run's last `.tld`: every word boundary before it starts
    a match ending after that tld (and the path after it)."""
    for run in TLD_RUN.finditer(text):
        start, stop = run.span()
        dot = start
        for m in TLD_DOT.finditer(text, start, stop):
            dot = m.start()
        def end(p: int, dot: int = dot) -> int:  # lazily: the path after the tld may be long
            return TLD_TAIL.match(text, dot).end()
        for m in WORD_EDGE.finditer(text, start, dot):
            yield Starts(m.start(), m.start(), end)


def phone_starts(text: str) -> Iterator[Starts]:
    for m in PHONE_AT.finditer(text):
        yield Starts(m.start(), m.start(), lambda p, stop=m.end(1): stop)


def not_amount_spans(text: str) -> list[tuple[int, int]]:
    """The spans of `NOT_AMOUNTS.finditer(text)`, in time linear in the text."""
    branches = [url_starts(text), email_starts(text), domain_starts(text), phone_starts(text)]
    heads: list[Starts | None] = [next(b, None) for b in branches]
    spans, pos = [], 0
    while True:
        best: tuple[int, int] | None = None
        for k, branch in enumerate(branches):
            head = heads[k]
            while head is not None and head.last < pos:
                head = next(branch, None)
            heads[k] = head
            if head is not None and (best is None or max(head.first, pos) < best[0]):
                best = (max(head.first, pos), k)
        if best is None:
            return spans
        start, k = best
        stop = heads[k].end(start)
        spans.append((start, stop))
        pos = stop
