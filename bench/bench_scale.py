"""Build throughput and peak memory at 1x, 10x and 100x a corpus of perturbed seed articles.

The corpus unit is ``--base`` articles (default 20) made from the seed corpus (``corpus/``):
each copy gets other people's names (a generated first name + surname replaces every
person of the gold annotations, full name and surname alone), a shifted date and a numbered
title, so every copy has its own article id and its own entities, as a growing real corpus
would. Each size is built in a fresh subprocess (``kgraph.build(..., store=DIR,
commit_every=N)``, one process, after a warm-up build of 16 other articles in memory), which reports
its words/s and its peak RSS (``ru_maxrss``).

    python bench/bench_scale.py                        # 20, 200, 2000 articles (~15 min)
    python bench/bench_scale.py --base 4 --sizes 1 10  # a quick look

Aims (issue 4): throughput at 10x/100x no more than 10% below 1x; peak memory flat.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

FIRST = ["Aliya", "Bolat", "Dana", "Erlan", "Gulnara", "Kairat", "Madina", "Nurlan", "Saule", "Timur",
         "Aigerim", "Daniyar", "Zhanar", "Marat", "Asel", "Yerlan", "Karina", "Ruslan", "Botagoz", "Arman"]
SURNAMES = ["Bekov", "Omarov", "Seitkali", "Zhunusov", "Tulegenov", "Abenov", "Karimov", "Ospanov",
            "Sarsenov", "Utemisov", "Dosanov", "Ibraev", "Kenzhebek", "Mukanov", "Nurpeisov", "Rakhimov",
            "Shaikenov", "Tokhtarov", "Yesenov", "Zhakupov"]


def _people(gold_path: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """article id prefix -> [(full name, other mentions)] of its Person entities."""
    people: dict[str, list[tuple[str, list[str]]]] = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            people[record["id"]] = [(e["name"], [m for m in e["mentions"] if m != e["name"]])
                                    for e in record["entities"] if e["type"] == "Person"]
    return people


def _new_name(rng: random.Random, female: bool) -> tuple[str, str]:
    surname = rng.choice(SURNAMES) + ("a" if female else "")
    return rng.choice(FIRST), surname


def perturb(text: str, persons: list[tuple[str, list[str]]], rng: random.Random) -> str:
    """``text`` with every person renamed (full name and surname-only mentions), longest first."""
    mapping: dict[str, str] = {}
    for full, others in persons:
        first, last = _new_name(rng, female=full.split()[-1].endswith("a"))
        mapping[full] = f"{first} {last}"
        for other in others:
            mapping.setdefault(other, last if len(other.split()) == 1 else f"{first} {last}")
    for old in sorted(mapping, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(old)}\b", mapping[old], text)
    return text


def make_corpus(folder: Path, n_articles: int, seed: int = 1) -> int:
    """Write ``n_articles`` perturbed copies of the seed articles as .md files; return their word count."""
    from kgraph.corpus import read_articles

    seeds = list(read_articles(CORPUS))
    people = _people(CORPUS / "gold.jsonl")
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    words = 0
    for i in range(n_articles):
        article = seeds[i % len(seeds)]
        prefix = Path(article.path or "").name[:3]
        text = perturb(article.text, people.get(prefix, []), rng)
        date = (article.date or dt.date(2004, 1, 1)) + dt.timedelta(days=i)
        title = json.dumps(f"{article.title} (copy {i})")
        (folder / f"a{i:06d}.md").write_text(
            f"---\ntitle: {title}\ndate: {date.isoformat()}\nsource: {article.source or 'Bench Wire'}\n---\n\n{text}\n",
            encoding="utf-8",
        )
        words += len(text.split())
    return words


CHILD = r"""
import json, resource, sys, time
import kgraph
folder, store, commit_every, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
# warm up (model, KB indexes, spaCy's batch buffers) on a full batch of other articles, in memory:
# fixed costs are not throughput, and the peak RSS of 1x is then the steady state, like 100x's
kgraph.build(warmup).close()
start = time.perf_counter()
kg = kgraph.build(folder, store=store, commit_every=commit_every)
seconds = time.perf_counter() - start
report = kg.report
kg.close()
print(json.dumps({"seconds": seconds, "articles": report.articles, "words": report.words,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_size(folder: Path, store: Path, commit_every: int, warmup: Path) -> dict:
    if store.exists():
        shutil.rmtree(store)
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(store), str(commit_every), str(warmup)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"build failed for {folder}:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=20, help="articles in the 1x corpus")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100], help="multiples of --base")
    parser.add_argument("--commit-every", type=int, default=50, help="articles per atomic store write")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the fastest counts)")
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="kgraph-scale-") as tmp:
        warmup = Path(tmp) / "warmup"
        make_corpus(warmup, 16, seed=99)
        for multiple in args.sizes:
            n = args.base * multiple
            folder = Path(tmp) / f"corpus-{multiple}x"
            make_corpus(folder, n)
            # best of --repeat runs: other processes on the machine only ever slow a run down
            runs = [run_size(folder, Path(tmp) / f"kg-{multiple}x.db", args.commit_every, warmup) for _ in range(args.repeat)]
            result = min(runs, key=lambda r: r["seconds"])
            result["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
            result["multiple"] = multiple
            results.append(result)
            print(f"{multiple:>4}x  {result['articles']:>6} articles  {result['words']:>9,} words  "
                  f"{result['seconds']:>8.1f} s  {result['words'] / result['seconds']:>8,.0f} words/s  "
                  f"peak RSS {result['peak_rss_mb']:>7.0f} MB", flush=True)
    base = results[0]
    base_rate = base["words"] / base["seconds"]
    print()
    print(f"{'size':>6}{'throughput vs 1x':>20}{'peak RSS vs 1x':>18}")
    for r in results:
        rate = r["words"] / r["seconds"]
        print(f"{r['multiple']:>5}x{rate / base_rate:>19.2f}x{r['peak_rss_mb'] / base['peak_rss_mb']:>17.2f}x")
    print("\naims: throughput ratio >= 0.90 at every size; peak RSS ratio close to 1 (flat)")


if __name__ == "__main__":
    main()
