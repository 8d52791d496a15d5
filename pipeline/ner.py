"""Stage 4: PER/LOC/ORG mentions from slovnet (natasha's NewsNERTagger, run by `fasttag`).

Mentions get the nominative `normal` form (person names from `names`, read again with the
article's evidence by the persons stage); the normalizers build on them.
"""
from __future__ import annotations

from functools import lru_cache

from slovnet.bio import parse_bio
from slovnet.const import B, I, O

from . import models, segment
from .chunks import sentence_runs
from .inflect import nominative_phrase
from .names import nominative_person
from .records import Document, Mention

OPENING, CLOSING = "([{", ")]}"


@lru_cache(maxsize=1)
def bio_table() -> tuple[int, list[tuple[str, str | None]]]:
    """The id of O and the (part, type) of every tag id of the NER tagger."""
    tags = models.fast_ner().tags
    return tags.index(O), [parse_bio(tag) for tag in tags]


def bio_spans(tokens: list, tag_ids: list[int]) -> list[tuple[int, int, str]]:
    """(start, stop, type) of the spans, as slovnet's `bio_spans` reads the tags (an I
    extends the open span whatever its type, an I after O is dropped, <pad> is ignored),
    on tag ids and token offsets: no tag string or record per token."""
    o_id, parts = bio_table()
    spans: list[tuple[int, int, str]] = []
    span = None
    last = -2
    for i, tag_id in enumerate(tag_ids):
        if tag_id == o_id:
            continue
        if span is not None and i != last + 1:  # an O in between closed it
            spans.append(span)
            span = None
        part, kind = parts[tag_id]
        if part == B:
            if span is not None:
                spans.append(span)
            span = (tokens[i].start, tokens[i].stop, kind)
        elif part == I and span is not None:
            span = (span[0], tokens[i].stop, span[2])
        last = i
    if span is not None:
        spans.append(span)
    return spans


def spans_of(runs: list[list]) -> list[list[tuple[int, int, str]]]:
    """The spans (start, stop, type) of each run of tokens (anything with text, start and
    stop), as slovnet's NERInfer tags them."""
    tagger = models.fast_ner()
    with models.one_blas_thread():
        tag_ids = tagger.tag_ids([[t.text for t in run] for run in runs])
    return [bio_spans(run, ids.tolist()) for run, ids in zip(runs, tag_ids)]


def tag(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """The spans of each text, with razdel's tokens from `segment`: razdel's own tokenizer
    is quadratic in the length of a token (a 100k-character `.....`)."""
    return spans_of([list(segment.tokenize(text)) for text in texts])


def without_stray_brackets(tokens: list) -> list:
    """The tagger sometimes takes in a bracket that opens or closes outside the name
    (`(Асии Норин)` tagged `Асии Норин)`): the span goes without it."""
    texts = [t.text for t in tokens]
    if texts and texts[-1] in CLOSING and OPENING[CLOSING.index(texts[-1])] not in texts:
        tokens, texts = tokens[:-1], texts[:-1]
    if texts and texts[0] in OPENING and CLOSING[OPENING.index(texts[0])] not in texts:
        tokens = tokens[1:]
    return tokens


def ner(docs: list[Document]) -> list[Document]:
    """Tag bounded runs of sentences from every document of the batch in one stream, on the
    tokens the tokenize stage made (tokenizing the runs again cost a third of the stage; razdel
    cuts a run the same way but for a token across a line break, as `воздуха\n-10`: no span
    changed on NEREL and factRuEval dev, two of 13,000 on SlavicNER dev)."""
    runs = [(doc, run) for doc in docs for run in sentence_runs(doc.tokens)]
    found = spans_of([run for _, run in runs])  # the document's own tokens, not razdel's again
    for doc in docs:
        doc.mentions = []
    for (doc, _), spans in zip(runs, found):
        for start, stop, kind in spans:
            tokens = without_stray_brackets(doc.tokens_in(start, stop))
            if not tokens:
                continue
            start, stop = tokens[0].start, tokens[-1].stop
            doc.mentions.append(Mention(
                mention_id=len(doc.mentions), sent_id=tokens[0].sent_id,
                start=start, stop=stop, text=doc.text[start:stop], type=kind,
                normal=nominative_person(doc.text, tokens).normal if kind == "PER"
                else nominative_phrase(doc.text, tokens),
            ))
    return docs
