"""Stage 5c: persons, each mention with its nominative name split into first, middle and last.

The nominative names and their parts come from `pipeline.names`, read article by article
(a word the article gives in the nominative is the nominative of its other forms); the
PER mentions' `normal` is set to the same name, so mentions.csv and persons.csv agree.
`person_id` here is the slug of `last-first` of the mention alone: the batch-wide key —
a bare surname or an initial joined to the full name it stands for, in its article or
in the whole output folder — is made from these parts when the tables are written
(`pipeline.link`), since it may depend on articles this worker never sees.
"""
from __future__ import annotations

from ..names import article_names
from ..records import Document, Person
from ..slugs import slugify


def persons_of(doc: Document) -> list[Person]:
    mentions = [m for m in doc.mentions if m.type == "PER"]
    names = article_names(doc.text, [doc.tokens_in(m.start, m.stop) for m in mentions])
    out = []
    for m, name in zip(mentions, names):
        m.normal = name.normal or m.normal  # mentions.csv says what persons.csv says
        key = slugify(f"{name.last} {name.first}".strip()) or "person"
        out.append(Person(m.start, m.stop, m.text, m.normal, name.first, name.middle, name.last, key))
    return out


def persons(docs: list[Document]) -> list[Document]:
    for doc in docs:
        doc.persons = persons_of(doc)
    return docs
