"""ruextract: Russian news extraction into tidy tables.

`extract` and `load` are imported on first use, so that worker processes, which only
need the stages, do not pay for pandas.
"""


def __getattr__(name):
    if name in ("extract", "load"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


__all__ = ["extract", "load"]
