"""Token windows for the taggers.

slovnet embeds a whole input at once, so a huge article (or a huge unpunctuated line)
would become one huge matrix. The taggers see sentences, or runs of whole sentences, of
bounded length instead; a sentence longer than the bound is cut into windows.
"""
from __future__ import annotations

from collections.abc import Iterator

from .records import Token

MAX_TOKENS = 256


def sentences_bounded(tokens: list[Token], max_tokens: int = MAX_TOKENS) -> Iterator[list[Token]]:
    """Each sentence's tokens; a sentence longer than `max_tokens` cut into windows."""
    current: list[Token] = []
    for tok in tokens:
        if current and (tok.sent_id != current[-1].sent_id or len(current) >= max_tokens):
            yield current
            current = []
        current.append(tok)
    if current:
        yield current


def sentence_runs(tokens: list[Token], max_tokens: int = MAX_TOKENS) -> Iterator[list[Token]]:
    """Consecutive whole sentences (or windows) grouped up to `max_tokens` tokens."""
    run: list[Token] = []
    for piece in sentences_bounded(tokens, max_tokens):
        if run and len(run) + len(piece) > max_tokens:
            yield run
            run = []
        run.extend(piece)
    if run:
        yield run
