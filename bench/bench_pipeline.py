"""End-to-end build throughput against bare `nlp.pipe` of the same model, measured in one run.

    python bench/bench_pipeline.py [--copies 20] [--repeat 3]

Prints words/s of (a) the bare spaCy model on the article texts and (b) the whole kgraph
build (kgraph's NLP components, linking, RDF, in-memory Oxigraph store), their ratio
(the issue's bar: >= 0.8, i.e. kgraph's own layers cost at most 25% on top of the model),
and the peak resident memory of each phase (measured in a child process per run). The phases
run interleaved ``--repeat`` times; the best run of each counts. Both phases start warm: the
model loaded and one text through it (for kgraph, one short article built, which also loads its
knowledge base), since start-up costs are not throughput.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_corpus(copies: int) -> list:
    """The seed articles replicated; each copy perturbed (a number in the title) so ids differ."""
    from kgraph.corpus import read_articles
    from kgraph.model import Article

    seeds = list(read_articles(ROOT / "corpus"))
    out = []
    for i in range(copies):
        for a in seeds:
            out.append(Article(id=f"{a.id}-{i}", title=f"{a.title} ({i})", text=a.text, date=a.date,
                               source=a.source, language=a.language))
    return out


def phase(name: str, copies: int) -> dict:
    articles = make_corpus(copies)
    words = sum(len(a.text.split()) for a in articles)
    if name == "bare":
        import importlib.util

        import spacy

        from kgraph.nlp.pipeline import DEFAULT_MODELS  # the model kgraph would use

        model = next((m for m in DEFAULT_MODELS if importlib.util.find_spec(m)), DEFAULT_MODELS[-1])
        nlp = spacy.load(model)
        list(nlp.pipe(["warm up"]))
        start = time.perf_counter()
        for _ in nlp.pipe((a.text for a in articles), batch_size=16):
            pass
    else:
        from kgraph.builder import build_articles
        from kgraph.nlp.pipeline import load_pipeline

        # both phases start warm: the model loaded and one text through it; for kgraph also its
        # knowledge base loaded and its modules imported, by a build of one short article (one-time
        # start-up costs, like loading the model, are not throughput)
        from kgraph.model import Article

        list(load_pipeline().pipe(["warm up"]))
        build_articles([Article(id="warm-up", title="Warm up", text="The Unity Party met in Astana.")]).close()
        start = time.perf_counter()
        build_articles(articles).close()
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"phase": name, "words": words, "seconds": seconds, "words_per_s": words / seconds, "peak_mib": peak_mib}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each phase, interleaved; the best counts")
    parser.add_argument("--phase", choices=["bare", "kgraph"])
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.copies)))
        return
    results: dict[str, dict] = {}
    for _ in range(args.repeat):  # interleaved, so load from other processes hits both alike
        for name in ("bare", "kgraph"):
            proc = subprocess.run([sys.executable, __file__, "--phase", name, "--copies", str(args.copies)],
                                  capture_output=True, text=True, check=True)
            run = json.loads(proc.stdout.strip().splitlines()[-1])
            if name not in results or run["words_per_s"] > results[name]["words_per_s"]:
                results[name] = run
    bare, kg = results["bare"], results["kgraph"]
    print(f"corpus: {args.copies} copies of the seed corpus, {bare['words']:,} words; best of {args.repeat} runs")
    print(f"bare nlp.pipe : {bare['words_per_s']:8,.0f} words/s   peak RSS {bare['peak_mib']:7.0f} MiB")
    print(f"kgraph build  : {kg['words_per_s']:8,.0f} words/s   peak RSS {kg['peak_mib']:7.0f} MiB")
    print(f"throughput ratio kgraph/bare: {kg['words_per_s'] / bare['words_per_s']:.2f} (bar: >= 0.80)")
    print(f"memory ratio kgraph/bare    : {kg['peak_mib'] / bare['peak_mib']:.2f}")


if __name__ == "__main__":
    main()
