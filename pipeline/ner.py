"""Stage 4: PER/LOC/ORG mentions from slovnet (natasha's NewsNERTagger).

Mentions get the nominative `normal` form; the normalizers build on them.
"""
from __future__ import annotations

from . import models
from .inflect import nominative_phrase
from .records import Document, Mention

NER_BATCH = 16  # documents per tagger call


def ner(docs: list[Document]) -> list[Document]:
    tagger = models.ner_tagger()
    tagger.batch_size = NER_BATCH
    for doc, markup in zip(docs, tagger.map([doc.text for doc in docs])):
        doc.mentions = []
        for span in markup.spans:
            tokens = doc.tokens_in(span.start, span.stop)
            if not tokens:
                continue
            normal = nominative_phrase(doc.text, tokens, all_words=span.type == "PER")
            doc.mentions.append(Mention(
                mention_id=len(doc.mentions), sent_id=tokens[0].sent_id,
                start=span.start, stop=span.stop, text=doc.text[span.start:span.stop],
                type=span.type, normal=normal,
            ))
    return docs
