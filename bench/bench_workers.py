"""NLP-stage speed-up: one process vs 2 local worker processes vs the Dask engine on a LocalCluster.

Runs ``kgraph.engines`` over the same perturbed corpus (see ``bench_scale.make_corpus``) and
times the whole stage as a user sees it, worker start-up and model loading included (each
worker loads the pipeline once). The one-process run loads its pipeline inside the clock
too, so all three pay the same fixed cost. It checks that all three give identical
analyses, and prints seconds and the speed-up against one process.

    python bench/bench_workers.py                     # 200 articles (~3-5 minutes on 2 cores)
    python bench/bench_workers.py --articles 40       # a quick look

On a machine with C cores the ideal speed-up of N workers is min(N, C).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import make_corpus  # noqa: E402

CHILD = r"""
import pickle, sys, time
from kgraph.corpus import read_articles
from kgraph.engines import get_engine
folder, engine, workers, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
articles = list(read_articles(folder))
start = time.perf_counter()
analyses = list(get_engine(engine, workers=workers).analyze(articles, None, ()))
seconds = time.perf_counter() - start
with open(out, "wb") as fh:
    pickle.dump(analyses, fh)
print(seconds)
"""


def run(folder: Path, engine: str, workers: int, out: Path) -> float:
    """Seconds for the NLP stage in a fresh interpreter (so no run inherits another's warm caches)."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder), engine, str(workers), str(out)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} x{workers} failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    import pickle

    with tempfile.TemporaryDirectory(prefix="kgraph-workers-") as tmp:
        folder = Path(tmp) / "corpus"
        words = make_corpus(folder, args.articles)
        print(f"{args.articles} articles, {words:,} words; {os.cpu_count()} CPU cores")
        runs = [("local", 1), ("local", args.workers), ("dask", args.workers)]
        results = {}
        for engine, workers in runs:
            out = Path(tmp) / f"{engine}-{workers}.pkl"
            results[(engine, workers)] = (run(folder, engine, workers, out), out)
            print(f"  {engine:<6} x{workers}: {results[(engine, workers)][0]:7.1f} s", flush=True)
        with open(results[("local", 1)][1], "rb") as fh:
            reference = pickle.load(fh)
        base = results[("local", 1)][0]
        print()
        print(f"{'engine':<16}{'seconds':>9}{'words/s':>10}{'speed-up':>10}  same analyses as 1 process")
        for (engine, workers), (seconds, out) in results.items():
            with open(out, "rb") as fh:
                same = pickle.load(fh) == reference
            print(f"{engine + ' x' + str(workers):<16}{seconds:>9.1f}{words / seconds:>10,.0f}{base / seconds:>9.2f}x  {same}")


if __name__ == "__main__":
    main()
