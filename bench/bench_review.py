"""What re-applying reviewers' decisions costs a build, against building the article graphs.

    python bench/bench_review.py [--copies 10] [--repeat 3]

Analyses the seed corpus (replicated ``--copies`` times, as bench_pipeline does) once, records
decisions of every kind on it (rejections, acceptances, a correction, a merge: each touches every
copy of its article, the worst case), then times, interleaved ``--repeat`` times, (a) building the
article graphs (``kgraph.rdf.build.article_triples``, the baseline) and (b) re-applying the
decisions to them (``kgraph.review.apply_decisions``, what ``kgraph build`` adds per article when
a decisions log exists). Prints the best run of each, their ratio, and (b) against the NLP of the
same articles (timed once) plus (a). Without decisions a build does none of (b). Also times the
``kgraph_attribution`` component (who says so) against the whole NLP pipeline it runs in.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from bench_pipeline import make_corpus

    from kgraph.builder import build_articles, load_kb
    from kgraph.linking.resolver import link_analyses
    from kgraph.nlp import analyze_articles, load_pipeline
    from kgraph.rdf.build import article_triples
    from kgraph.review import apply_decisions, read_decisions

    articles = make_corpus(args.copies)
    decisions = Path(tempfile.mkdtemp(prefix="kgraph-bench-review-")) / "decisions.jsonl"
    with build_articles(articles, decisions=decisions) as kg:
        rows = kg.review.relations()
        for row in rows[:6]:
            kg.review.reject(row["id"], note="bench")
        for row in rows[6:10]:
            kg.review.accept(row["id"])
        duisenbinov = next(r for r in rows if r["subject"] == "Berik Duisenbinov")
        kg.review.correct(duisenbinov["id"], subject="Azat Peruashev")
        kg.review.merge("Aq Zhol", "Auyl")
    log = read_decisions(decisions)

    nlp = load_pipeline()
    started = time.perf_counter()
    analyses = list(analyze_articles(articles, nlp))
    nlp_seconds = time.perf_counter() - started
    links = link_analyses(analyses, load_kb(), [])
    items = [(a, {e.index: links[(a.article.id, e.index)] for e in a.entities if (a.article.id, e.index) in links})
             for a in analyses]
    best_build = best_apply = float("inf")
    touched = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        graphs = [article_triples(a, l) for a, l in items]
        best_build = min(best_build, time.perf_counter() - started)
        started = time.perf_counter()
        rewritten = [apply_decisions(g, log) for g in graphs]
        best_apply = min(best_apply, time.perf_counter() - started)
        touched = sum(set(r) != set(g) for r, g in zip(rewritten, graphs))
    print(f"corpus: {len(articles)} articles, {len(log)} decisions touching {touched} of them; best of {args.repeat} runs")
    print(f"build article graphs : {best_build * 1000:8.0f} ms")
    print(f"re-apply decisions   : {best_apply * 1000:8.0f} ms")
    print(f"ratio re-apply/build : {best_apply / best_build:.2f}")
    print(f"NLP of the same articles: {nlp_seconds * 1000:.0f} ms; re-applying adds "
          f"{best_apply / (nlp_seconds + best_build):.1%} to NLP + graph building")

    # who says so: the kgraph_attribution component against the whole NLP pipeline it runs in
    from kgraph.nlp.pipeline import _make_doc

    started = time.perf_counter()
    docs = list(nlp.pipe((_make_doc(nlp, a) for a in articles), batch_size=16))
    pipe_seconds = time.perf_counter() - started
    attribution = nlp.get_pipe("kgraph_attribution")
    best_attr = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        for doc in docs:
            attribution(doc)
        best_attr = min(best_attr, time.perf_counter() - started)
    print(f"kgraph_attribution   : {best_attr * 1000:8.1f} ms, {best_attr / pipe_seconds:.2%} of the NLP pipeline ({pipe_seconds * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
