"""Readable ASCII keys (`org_id`, `person_id`) from names: python-slugify, its transliteration named.

Left on `backend="auto"`, python-slugify 9 tries `import unidecode` (not a dependency here) on
every call before falling back to `text_unidecode`, and each failed import searches sys.path
again: 0.1 ms a slug, half the time of the batch-wide linking step. Naming the backend gives the
same slugs without the search."""
from __future__ import annotations

from functools import partial

from slugify import slugify as _slugify

_slugify_named = partial(_slugify, backend="text-unidecode")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def slugify(text: str, **options) -> str:
    """One slug for both apostrophes: `О’Лири` and `О'Лири` are `o-liri` (python-slugify
    splits at `'` and drops `’`)."""
    return _slugify_named(text.translate(APOSTROPHES), **options)
