"""The order of the stages, top to bottom, in one place.

Each stage takes a batch of documents and returns it enriched (spaCy's `nlp.pipe`
style): the taggers batch across documents, the rest works document by document.
"""
from __future__ import annotations

from collections.abc import Callable

from .lemmatize import lemmatize
from .ner import ner
from .ner_rules import ner_rules
from .normalize.countries import countries, country_mentions
from .normalize.figures import figures
from .normalize.organizations import organizations
from .normalize.persons import persons
from .records import Document
from .tokenize import tokenize

Stage = Callable[[list[Document]], list[Document]]

STAGES: list[tuple[str, Stage]] = [
    ("tokenize", tokenize),
    ("lemmatize", lemmatize),
    ("ner", ner),
    ("ner_rules", ner_rules),
    ("countries", countries),
    ("country_mentions", country_mentions),
    ("organizations", organizations),
    ("persons", persons),
    ("figures", figures),
]
