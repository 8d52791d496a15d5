"""Benchmark: where the time goes, as ratios measured in one process.

    python bench/bench.py [TEXTS_DIR] [--repeat 5] [--workers-texts DIR ...] [--workers-repeat 3]
                          [--processes-repeat 3]

Runs, on the same texts and in the same process, (a) the bare natasha core (segment, morph,
NER, lemmatize with natasha's MorphVocab where pymorphy2 still imports, no output) and (b) the
ruextract stages one by one, then the whole `ruextract run` (files in, all tables out); the
two taggers as slovnet's own code runs them (the stages' former path) and as `fasttag` runs
them, on the same sentences; then `ruextract run` with 1 and 2 worker processes on a larger
set, in tokens/s per core, and the peak memory of a worker; last, whole-process runs on that
set, as a user starts them: the natasha core as a script of its own and `ruextract run
--workers 1` and `--workers 2`, each paying its interpreter, imports and model loads, beside
two `--workers 1` runs at once on half the articles each (the machine's ceiling for two).
Reports medians over the repeats, alternated: the machines are shared and noisy, so read the
ratios, not the seconds.
"""
from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(__file__).resolve().parents[2] / "shared/eval/data"
DEFAULT_TEXTS = EVAL / "nerel-dev/texts"
WORKER_TEXTS = [EVAL / "nerel-train/texts", EVAL / "nerel-dev/texts"]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def map_by_length(tag, items):
    """slovnet's path as the stages ran it before `fasttag`: `tag` over the items in order of
    length (its batches pad to their longest), results back in the items' order."""
    order = sorted(range(len(items)), key=lambda i: len(items[i]))
    results: list = [None] * len(items)
    for i, result in zip(order, tag([items[i] for i in order])):
        results[i] = result
    return results


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
    """Seconds per stage, each batch run as a run runs it: with the cycle collector paused
    (left on, it walked the batch's records and charged the walks to whichever stage was
    making objects, tokenize above all)."""
    from pipeline import ingest
    from pipeline.batch import BATCH_SIZE, batches, collector_paused
    from pipeline.records import Document
    from pipeline.stages import STAGES

    times = dict.fromkeys(["ingest"] + [name for name, _ in STAGES], 0.0)
    started = time.perf_counter()
    items = list(ingest.read(paths))
    times["ingest"] = time.perf_counter() - started
    for batch in batches(items, BATCH_SIZE):
        batch = [doc for doc in batch if isinstance(doc, Document)]
        with collector_paused():
            for name, stage in STAGES:
                started = time.perf_counter()
                batch = stage(batch)
                times[name] += time.perf_counter() - started
    return times


def tagger_runs(paths: list[Path]) -> dict[str, tuple[int, object]]:
    """Token count and a no-argument run of each tagger, slovnet's path and fasttag's, on the
    sentences (morph) and sentence runs (NER) the stages give them; one BLAS thread, as there."""
    import unicodedata

    from slovnet.markup import BIOMarkup

    from pipeline import ingest, models, segment
    from pipeline.chunks import sentence_runs, sentences_bounded
    from pipeline.lemmatize import format_feats, tag_table
    from pipeline.ner import tag
    from pipeline.records import Document
    from pipeline.tokenize import tokenize

    docs = tokenize([doc for doc in ingest.read(paths) if isinstance(doc, Document)])
    sents = [[unicodedata.normalize("NFC", t.text) for t in sent] for doc in docs for sent in sentences_bounded(doc.tokens)]
    runs = [doc.text[run[0].start:run[-1].stop] for doc in docs for run in sentence_runs(doc.tokens)]
    ner_tokens = sum(len(list(segment.tokenize(text))) for text in runs)
    morph, ner = models.morph_tagger(), models.ner_tagger()

    def slovnet_morph():  # lemmatize's pos and feats before fasttag
        morph.batch_size = 64
        with models.one_blas_thread():
            for markup in map_by_length(morph.map, sents):
                for tok in markup.tokens:
                    tok.pos, format_feats(tok.feats), tuple(sorted(tok.feats.items()))

    def fast_morph():
        table = tag_table()
        with models.one_blas_thread():
            for ids in models.fast_morph().tag_ids(sents):
                for i in ids.tolist():
                    table[i]

    def slovnet_ner():  # ner's spans before fasttag
        infer = ner.infer

        def spans(chunk):
            items = [[t.text for t in segment.tokenize(text)] for text in chunk]
            preds = infer.decoder(infer.process(infer.encoder(items)))
            for text, words, pred in zip(chunk, items, preds):
                yield BIOMarkup.from_tuples(zip(words, pred)).to_span(text)

        with models.one_blas_thread():
            map_by_length(lambda batch: (s for i in range(0, len(batch), 16) for s in spans(batch[i:i + 16])), runs)

    words = sum(map(len, sents))
    return {"morph, slovnet": (words, slovnet_morph), "morph, fasttag": (words, fast_morph),
            "NER, slovnet": (ner_tokens, slovnet_ner), "NER, fasttag": (ner_tokens, lambda: tag(runs))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("texts", nargs="?", default=str(DEFAULT_TEXTS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers-texts", nargs="*", default=[str(p) for p in WORKER_TEXTS],
                        help="folders for the 1-vs-2 workers run (large enough to amortize start-up)")
    parser.add_argument("--workers-repeat", type=int, default=3)
    parser.add_argument("--processes-repeat", type=int, default=3,
                        help="whole-process runs on the --workers-texts folders (0: none)")
    parser.add_argument("--core", nargs="+", metavar="DIR", help=argparse.SUPPRESS)  # one core run, for those
    args = parser.parse_args()
    if args.core:
        natasha_core(texts_of(args.core))[0]()
        return

    from pipeline import models
    from pipeline.run import run

    paths = paths_of([args.texts])
    texts = [p.read_text(encoding="utf-8") for p in paths]
    core, with_lemmas = natasha_core(texts)
    models.load()  # once, outside the timings
    core()  # warm caches on both sides before measuring
    stage_times(paths)
    taggers = tagger_runs(paths)

    def core_one_thread():
        with models.one_blas_thread():
            core()

    core_s, core1_s, full_s, stages = [], [], [], []
    tagger_s: dict[str, list[float]] = {name: [] for name in taggers}
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.repeat):
            core_s.append(timed(core))
            core1_s.append(timed(core_one_thread))
            target = tempfile.mkdtemp(dir=out)  # a fresh folder: an existing one would skip unchanged articles
            full_s.append(timed(lambda: run(paths, target, workers=1)))
            stages.append(stage_times(paths))
            for name, (_, fn) in taggers.items():
                tagger_s[name].append(timed(fn))

    core_m, core1_m, full_m = statistics.median(core_s), statistics.median(core1_s), statistics.median(full_s)
    stage_m = {name: statistics.median(s[name] for s in stages) for name in stages[0]}
    total = sum(stage_m.values())
    print(f"{len(paths)} texts, {sum(map(len, texts))} chars, median of {args.repeat} runs")
    print(f"natasha core (segment+morph+ner{'+lemmatize' if with_lemmas else ''}): {core_m:.2f}s, "
          f"on one BLAS thread as ruextract's: {core1_m:.2f}s")
    print(f"ruextract run (files in, all tables out):   {full_m:.2f}s")
    print(f"throughput ruextract / natasha core: {core_m / full_m:.2f}x (one BLAS thread each: {core1_m / full_m:.2f}x)")
    print("share of stage time:")
    for name, seconds in stage_m.items():
        print(f"  {name:15s} {seconds / total:6.1%}  ({seconds:.3f}s)")
    print("taggers on the stages' sentences, one BLAS thread (tokens/s):")
    for name, (tokens, _) in taggers.items():
        print(f"  {name:15s} {tokens / statistics.median(tagger_s[name]):8.0f}")
    workers(args.workers_texts, args.workers_repeat)
    whole_processes(args.workers_texts, args.processes_repeat)


def paths_of(folders: list[str]) -> list[Path]:
    return [p for folder in folders for p in sorted(Path(folder).glob("*.txt"))]


def texts_of(folders: list[str]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in paths_of(folders)]


def whole_processes(folders: list[str], repeat: int) -> None:
    """The natasha core and `ruextract run` with 1 and 2 workers as processes of their own,
    alternated: what a user waits for, start-up and model loads included. Each round also
    runs two 1-worker processes at once, each on half the articles: what this shared
    machine gives two independent processes at that moment, the ceiling of `--workers 2`
    (whose second core the machine's other tenants share)."""
    if not folders or repeat < 1:
        return
    # Byte-compiled as `pip install .` leaves it: with PYTHONDONTWRITEBYTECODE set (as on
    # this project's machines) an editable install compiled every module of the pipeline in
    # every process, 70 ms each, while natasha's and slovnet's came compiled.
    compileall.compile_dir(ROOT / "pipeline", quiet=1)
    run = [sys.executable, "-m", "pipeline", "run"]
    paths = [str(p) for p in paths_of(folders)]
    commands = {
        "core": [[sys.executable, __file__, "--core", *folders]],
        "run1": [[*run, *folders, "--workers", "1", "--out"]],
        "run2": [[*run, *folders, "--workers", "2", "--out"]],
        "halves": [[*run, *paths[0::2], "--workers", "1", "--out"], [*run, *paths[1::2], "--workers", "1", "--out"]],
    }
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as out:
        for i in range(repeat):
            for name, group in commands.items():
                started = time.perf_counter()
                running = [subprocess.Popen(command + ([str(Path(out) / f"{name}{i}-{k}")] if name != "core" else []),
                                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                           for k, command in enumerate(group)]
                for command, process in zip(group, running):
                    _, stderr = process.communicate()
                    if process.returncode:
                        raise SystemExit(f"{' '.join(command[:8])} ... failed:\n{stderr}")
                seconds[name].append(time.perf_counter() - started)
    core, one, two, halves = (statistics.median(seconds[name]) for name in commands)
    print(f"whole processes, median of {repeat}: natasha core {core:.1f}s, "
          f"ruextract run 1 worker {one:.1f}s, 2 workers {two:.1f}s, two 1-worker halves at once {halves:.1f}s")
    print(f"  ruextract 1 worker / natasha core: {core / one:.2f}x; 2 workers / 1 worker: {one / two:.2f}x "
          f"(the ceiling, 1 worker / two halves at once: {one / halves:.2f}x)")
    # The load of a shared machine drifts over minutes: runs of one round saw about the same.
    rounds = list(zip(seconds["core"], seconds["run1"], seconds["run2"], seconds["halves"]))
    # What the code still loses to the machine's ceiling: the serial part of a 2-worker run.
    print(f"  2 workers take {two / halves:.2f}x the time of two half-runs at once "
          f"(rounds' median {statistics.median(b / h for _, _, b, h in rounds):.2f}x)")
    print("  the same, median of the rounds' own ratios: "
          f"{statistics.median(c / a for c, a, _, _ in rounds):.2f}x; "
          f"{statistics.median(a / b for _, a, b, _ in rounds):.2f}x (ceiling {statistics.median(a / h for _, a, _, h in rounds):.2f}x) "
          f"(rounds: {', '.join(f'{c / a:.2f}/{a / b:.2f}/{a / h:.2f}' for c, a, b, h in rounds)})")


def workers(folders: list[str], repeat: int) -> None:
    """Tokens/s per core with 1 and 2 workers, and a worker's peak memory. One worker runs in
    this process, its models loaded and caches warm; two are new processes: the speed-up of
    two over one is the whole-process runs' to tell."""
    from pipeline.run import run

    paths = paths_of(folders)
    if not paths or repeat < 1:
        return
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
    tokens = result.summary.tokens
    print(f"{len(paths)} texts: 1 worker (in this warm process) {one_m:.1f}s, 2 workers (new processes) "
          f"{two_m:.1f}s (median of {repeat}; the speed-up is the whole-process runs' below)")
    print(f"tokens/s per core: 1 worker {tokens / one_m:.0f}, 2 workers {tokens / two_m / 2:.0f}")
    print(f"peak memory of a worker process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
