"""Stage 4: PER/LOC/ORG mentions from slovnet (natasha's NewsNERTagger).

Mentions get the nominative `normal` form; the normalizers build on them.
"""
from __future__ import annotations

from . import models
from .chunks import map_by_length, sentence_runs
from .inflect import nominative_phrase
from .records import Document, Mention

NER_BATCH = 16  # token runs per tagger call


def ner(docs: list[Document]) -> list[Document]:
    """Tag bounded runs of sentences from every document of the batch in one stream."""
    runs = [(doc, run) for doc in docs for run in sentence_runs(doc.tokens)]
    tagger = models.ner_tagger()
    tagger.batch_size = NER_BATCH
    with models.one_blas_thread():
        markups = map_by_length(tagger.map, [doc.text[run[0].start:run[-1].stop] for doc, run in runs])
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
                normal=nominative_phrase(doc.text, tokens, all_words=span.type == "PER"),
            ))
    return docs
