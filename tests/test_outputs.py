"""outputs/ holds the tables of the seed run, as the README's main command writes them."""
from conftest import ROOT

GENERATED_VIEWS = {"report.html"}  # made from the tables by `ruextract report outputs/`


def test_outputs_folder_matches_a_fresh_run(seed_run):
    out, _ = seed_run
    committed = ROOT / "outputs"
    fresh = sorted(p.name for p in out.iterdir())
    tables = sorted(p.name for p in committed.iterdir() if not p.name.startswith(".") and p.name not in GENERATED_VIEWS)
    assert tables == fresh
    for name in fresh:
        assert (committed / name).read_bytes() == (out / name).read_bytes(), (
            f"outputs/{name} is stale: rerun `ruextract run seeds/ --out outputs/`")


def test_outputs_has_the_report():
    assert (ROOT / "outputs" / "report.html").stat().st_size > 0
