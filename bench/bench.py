"""Benchmark: where the time goes, as ratios measured in one process.

    python bench/bench.py [TEXTS_DIR] [--repeat 5] [--workers-texts DIR ...]

Runs, on the same texts and in the same process, (a) the bare natasha core (segment, morph,
NER, lemmatize with natasha's MorphVocab where pymorphy2 still imports, no output) and (b) the
ruextract stages one by one, then the whole `ruextract run` (files in, all tables out); then
`ruextract run` with 1 and 2 worker processes on a larger set, and the peak memory of a worker.
Reports medians over the repeats: the machines are shared and noisy, so read the ratios,
not the seconds.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared/eval/data"
DEFAULT_TEXTS = EVAL / "nerel-dev/texts"
WORKER_TEXTS = [EVAL / "nerel-train/texts", EVAL / "nerel-dev/texts"]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def natasha_core(texts: list[str]):
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    emb = NewsEmbedding()
    segmenter, morph, ner = Segmenter(), NewsMorphTagger(emb), NewsNERTagger(emb)
    try:
        from natasha import MorphVocab

        vocab = MorphVocab()
    except Exception:  # pymorphy2 is broken on Python 3.12+
        vocab = None

    def run():
        for text in texts:
            doc = Doc(text)
            doc.segment(segmenter)
            doc.tag_morph(morph)
            doc.tag_ner(ner)
            if vocab is not None:
                for token in doc.tokens:
                    token.lemmatize(vocab)
    return run, vocab is not None


def stage_times(paths: list[Path]) -> dict[str, float]:
    from pipeline import ingest
    from pipeline.batch import BATCH_SIZE, batches
    from pipeline.records import Document
    from pipeline.stages import STAGES

    times = dict.fromkeys(["ingest"] + [name for name, _ in STAGES], 0.0)
    started = time.perf_counter()
    items = list(ingest.read(paths))
    times["ingest"] = time.perf_counter() - started
    for batch in batches(items, BATCH_SIZE):
        batch = [doc for doc in batch if isinstance(doc, Document)]
        for name, stage in STAGES:
            started = time.perf_counter()
            batch = stage(batch)
            times[name] += time.perf_counter() - started
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("texts", nargs="?", default=str(DEFAULT_TEXTS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers-texts", nargs="*", default=[str(p) for p in WORKER_TEXTS],
                        help="folders for the 1-vs-2 workers run (large enough to amortize start-up)")
    parser.add_argument("--workers-repeat", type=int, default=3)
    args = parser.parse_args()

    from pipeline import models
    from pipeline.run import run

    paths = sorted(Path(args.texts).glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    core, with_lemmas = natasha_core(texts)
    models.morph_tagger(), models.ner_tagger(), models.analyzer()  # load once, outside the timings
    core()  # warm caches on both sides before measuring
    stage_times(paths)

    core_s, full_s, stages = [], [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.repeat):
            core_s.append(timed(core))
            target = tempfile.mkdtemp(dir=out)  # a fresh folder: an existing one would skip unchanged articles
            full_s.append(timed(lambda: run(paths, target, workers=1)))
            stages.append(stage_times(paths))

    core_m, full_m = statistics.median(core_s), statistics.median(full_s)
    stage_m = {name: statistics.median(s[name] for s in stages) for name in stages[0]}
    total = sum(stage_m.values())
    print(f"{len(paths)} texts, {sum(map(len, texts))} chars, median of {args.repeat} runs")
    print(f"natasha core (segment+morph+ner{'+lemmatize' if with_lemmas else ''}): {core_m:.2f}s")
    print(f"ruextract run (files in, all tables out):   {full_m:.2f}s")
    print(f"throughput ruextract / natasha core: {core_m / full_m:.2f}x")
    print("share of stage time:")
    for name, seconds in stage_m.items():
        print(f"  {name:15s} {seconds / total:6.1%}  ({seconds:.3f}s)")
    workers(args.workers_texts, args.workers_repeat)


def workers(folders: list[str], repeat: int) -> None:
    """Speed-up of 2 worker processes over 1 (each pays its own model load), and their memory."""
    from pipeline.run import run

    paths = [p for folder in folders for p in sorted(Path(folder).glob("*.txt"))]
    one, two, peaks = [], [], []
    with tempfile.TemporaryDirectory() as out:
        for i in range(repeat):
            one.append(timed(lambda: run(paths, Path(out) / f"one{i}", workers=1)))
            started = time.perf_counter()
            result = run(paths, Path(out) / f"two{i}", workers=2)
            two.append(time.perf_counter() - started)
            peaks.append(result.summary.peak_mb)  # the largest of the two workers
    peak_mb = statistics.median(peaks)
    one_m, two_m = statistics.median(one), statistics.median(two)
    print(f"{len(paths)} texts: 1 worker {one_m:.1f}s, 2 workers {two_m:.1f}s, "
          f"speed-up {one_m / two_m:.2f}x (median of {repeat})")
    print(f"peak memory of a worker process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
