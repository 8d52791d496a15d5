"""ruextract: Russian news extraction into tidy tables."""
from .api import extract, load  # noqa: F401
