"""Lemma accuracy of ruextract against natasha's MorphVocab on the same tokens and tags.

    python bench/lemmas_vs_natasha.py GOLD_DIR OUT_DIR

OUT_DIR is a `ruextract run` over GOLD_DIR/texts. The script copies it, replaces every lemma
with natasha's MorphVocab.lemmatize(text, pos, feats) (pymorphy2: Python 3.11 or older), and
scores both folders with the shared scorer, so the only difference is the lemmatizer.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SCORER = Path(__file__).resolve().parents[2] / "shared/eval/score.py"


def lemma_acc(gold: Path, out: Path) -> str:
    result = subprocess.run([sys.executable, str(SCORER), str(gold), str(out), "--only", "lemmas"],
                            capture_output=True, text=True, check=True).stdout
    return next(line.split()[-1] for line in result.splitlines() if line.startswith("lemmas.lemma_acc "))


def main() -> None:
    from natasha import MorphVocab

    gold, out = Path(sys.argv[1]), Path(sys.argv[2])
    vocab = MorphVocab()
    with tempfile.TemporaryDirectory() as tmp:
        natasha_out = Path(tmp) / "natasha"
        shutil.copytree(out, natasha_out)
        with open(out / "tokens.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            feats = dict(kv.split("=", 1) for kv in row["feats"].split("|") if "=" in kv)
            row["lemma"] = vocab.lemmatize(row["text"], row["pos"], feats)
        with open(natasha_out / "tokens.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"{gold.name}: ruextract {lemma_acc(gold, out)}, natasha MorphVocab {lemma_acc(gold, natasha_out)}")


if __name__ == "__main__":
    main()
