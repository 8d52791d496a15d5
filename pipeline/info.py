"""`ruextract info`: which versions of the models and libraries produce the tables.

Results depend on the taggers, the embedding and the morphological dictionary as much as on
our code, so a run is only reproducible when these are known. Nothing is loaded to find
them: versions come from package metadata, model files from natasha's data folder, the
dictionary's from its `meta.json`.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path

# The distributions whose versions matter to the output, in pipeline order.
LIBRARIES = ("ruextract", "natasha", "slovnet", "navec", "razdel", "pymorphy3", "pymorphy3-dicts-ru", "pytrovich",
             "pandas", "pycountry", "charset-normalizer")
# natasha's bundled files the pipeline loads (models.py); the others ship but are unused.
USED_MODELS = {"navec_news_v1_1B_250K_300d_100q.tar": "embedding (navec)",
               "slovnet_morph_news_v1.tar": "morphology tagger", "slovnet_ner_news_v1.tar": "NER tagger"}
DICT_META = ("format_version", "source", "source_version", "source_revision", "compiled_at", "source_lexemes_count")


def library_versions() -> dict[str, str]:
    out = {"python": f"{platform.python_version()} ({platform.python_implementation()})"}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _package_dir(module: str) -> Path | None:
    spec = find_spec(module)
    return Path(spec.origin).parent if spec and spec.origin else None


def natasha_models() -> list[dict]:
    """Model and data files natasha bundles: path relative to its data folder, size, use."""
    base = _package_dir("natasha")
    if base is None or not (base / "data").is_dir():
        return []
    files = sorted(p for p in (base / "data").rglob("*") if p.is_file() and p.suffix in (".tar", ".txt"))
    return [{"file": str(p.relative_to(base / "data")), "bytes": p.stat().st_size,
             "use": USED_MODELS.get(p.name, "")} for p in files]


def dictionary_meta() -> dict[str, str]:
    """The pymorphy3 Russian dictionary's build facts (OpenCorpora revision, compile date)."""
    base = _package_dir("pymorphy3_dicts_ru")
    meta_file = base / "data" / "meta.json" if base else None
    if meta_file is None or not meta_file.is_file():
        return {}
    meta = json.loads(meta_file.read_text("utf-8"))
    meta = dict(meta) if isinstance(meta, list) else meta
    return {k: str(meta[k]) for k in DICT_META if k in meta}


def collect() -> dict:
    return {"libraries": library_versions(), "pymorphy3_dictionary": dictionary_meta(),
            "natasha_models": natasha_models()}


def print_text(info: dict) -> None:
    width = max(map(len, [*info["libraries"], *info["pymorphy3_dictionary"]]))
    print("libraries:")
    for name, ver in info["libraries"].items():
        print(f"  {name:<{width}}  {ver}")
    print("pymorphy3 dictionary (pymorphy3-dicts-ru):")
    for key, value in info["pymorphy3_dictionary"].items():
        print(f"  {key:<{width}}  {value}")
    print("natasha bundled models:")
    for m in info["natasha_models"]:
        use = f"  used: {m['use']}" if m["use"] else ""
        print(f"  {m['file']:<44} {m['bytes'] / 1e6:6.1f} MB{use}")


def cmd_info(args: argparse.Namespace) -> int:
    info = collect()
    if args.json:
        json.dump(info, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_text(info)
    return 0


def add_command(sub) -> None:
    p = sub.add_parser("info", help="versions of the models and libraries in use",
                       description="Print the versions of Python, ruextract and the libraries it runs on, "
                                   "the pymorphy3 dictionary's build and the model files natasha bundles.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_info)
