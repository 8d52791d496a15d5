"""Stage 2: sentences and tokens with razdel, offsets into the original text.

razdel does not break sentences at line ends, but in news a line is a paragraph
(or the feed's header), so each line is sentenized on its own. razdel's segmenters come
through `segment`, which gives the same sentences and tokens in time linear in the line.
"""
from __future__ import annotations

import re

from .records import Document, Sentence, Token
from .segment import sentenize, tokenize as razdel_tokenize

LINE = re.compile(r"[^\r\n]+")


def tokenize_document(doc: Document) -> Document:
    doc.sentences, doc.tokens = [], []
    for line in LINE.finditer(doc.text):
        for sent in sentenize(line.group()):
            if not sent.text.strip():
                continue
            start = line.start() + sent.start
            sent_id = len(doc.sentences)
            doc.sentences.append(Sentence(sent_id, start, start + len(sent.text), sent.text))
            for tok in razdel_tokenize(sent.text):
                doc.tokens.append(Token(sent_id, len(doc.tokens), start + tok.start, start + tok.stop, tok.text))
    return doc


def tokenize(docs: list[Document]) -> list[Document]:
    return [tokenize_document(doc) for doc in docs]
