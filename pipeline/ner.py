"""Stage 4: PER/LOC/ORG mentions from slovnet (natasha's NewsNERTagger).

Mentions get the nominative `normal` form (person names from `names`, read again with the
article's evidence by the persons stage); the normalizers build on them.
"""
from __future__ import annotations

from collections.abc import Iterator

from slovnet.chop import chop
from slovnet.markup import BIOMarkup, SpanMarkup

from . import models, segment
from .chunks import map_by_length, sentence_runs
from .inflect import nominative_phrase
from .names import nominative_person
from .records import Document, Mention

NER_BATCH = 16  # token runs per tagger call


def tag(tagger, texts: list[str]) -> Iterator[SpanMarkup]:
    """`tagger.map(texts)` as slovnet's NERInfer does it, with razdel's tokens from `segment`:
    razdel's own tokenizer is quadratic in the length of a token (a 100k-character `.....`)."""
    infer = tagger.infer
    for chunk in chop(texts, tagger.batch_size):
        items = [[t.text for t in segment.tokenize(text)] for text in chunk]
        preds = infer.decoder(infer.process(infer.encoder(items)))
        for text, words, pred in zip(chunk, items, preds):
            yield BIOMarkup.from_tuples(zip(words, pred)).to_span(text)


def ner(docs: list[Document]) -> list[Document]:
    """Tag bounded runs of sentences from every document of the batch in one stream."""
    runs = [(doc, run) for doc in docs for run in sentence_runs(doc.tokens)]
    tagger = models.ner_tagger()
    tagger.batch_size = NER_BATCH
    with models.one_blas_thread():
        texts = [doc.text[run[0].start:run[-1].stop] for doc, run in runs]
        markups = map_by_length(lambda batch: tag(tagger, batch), texts)
    for doc in docs:
        doc.mentions = []
    for (doc, run), markup in zip(runs, markups):
        offset = run[0].start
        for span in markup.spans:
            start, stop = offset + span.start, offset + span.stop
            tokens = doc.tokens_in(start, stop)
            if not tokens:
                continue
            doc.mentions.append(Mention(
                mention_id=len(doc.mentions), sent_id=tokens[0].sent_id,
                start=start, stop=stop, text=doc.text[start:stop], type=span.type,
                normal=nominative_person(doc.text, tokens).normal if span.type == "PER"
                else nominative_phrase(doc.text, tokens),
            ))
    return docs
