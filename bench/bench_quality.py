"""Extraction quality on every development set, both halves, per predicate, in one table.

    python bench/bench_quality.py [--texts bench/devset/news/texts] [--json out.json]

Runs ``kgraph evaluate`` (the real pipeline and linker) on the seed gold, the news development set
(bench/devset/news, texts gitignored: skipped with a note when absent) and Re-DocRED dev
(../shared/data/redocred/dev.jsonl), each split into its fixed tune and check halves
(``kgraph.evaluate.split_of``). The check halves are the figures that count.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREDICATES = ("leads", "memberOf", "expelledFrom", "boycotted")


def sets(texts: Path) -> list[tuple[str, object, Path | None, tuple[str, ...]]]:
    out = [("seed corpus", ROOT / "corpus" / "gold.jsonl", ROOT / "corpus", ("all",))]
    if texts.is_dir() and any(texts.glob("*.txt")):
        news = ROOT / "bench" / "devset" / "news"
        out.append(("news dev set", news, texts, ("tune", "check")))
        # the excerpts added in later rounds, each batch first scored before anyone read its errors
        for label, pattern in (("news: 40 added (mo-, mb-)", "more_[ab].jsonl"), ("news: 40 added next (mc-)", "more_c*.jsonl"),
                               ("news: 36 added last (md-)", "more_d*.jsonl")):
            added = sorted(news.glob(pattern))
            if added:
                out.append((label, added, texts, ("tune", "check")))
    else:
        print(f"note: no news texts in {texts}; the news development set is skipped", file=sys.stderr)
    redocred = ROOT.parent / "shared" / "data" / "redocred" / "dev.jsonl"
    if redocred.is_file():
        out.append(("Re-DocRED dev", redocred, None, ("tune", "check")))
    return out


def cell(scores: dict) -> str:
    if not scores.get("gold") and not scores.get("fp"):
        return "-"
    return f"{scores['precision']:.2f} / {scores['recall']:.2f} / {scores['f1']:.2f} ({scores['gold']})"


def main(argv: list[str] | None = None) -> int:
    from kgraph.evaluate import evaluate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=ROOT / "bench" / "devset" / "news" / "texts")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    rows, results = [], {}

    def skipped(error: Exception) -> None:  # a text this machine could not re-fetch
        print(f"note: skipped {error}", file=sys.stderr)

    for name, gold, texts, halves in sets(args.texts):
        for half in halves:
            report = evaluate(gold, texts, split=half, on_missing=skipped).to_dict()
            results[f"{name} / {half}"] = report
            rel = report["relations"]
            micro = report["micro"]
            rows.append(f"| {name} | {half} | {report['documents']} | "
                        + " | ".join(cell(rel.get(p, {})) for p in PREDICATES)
                        + f" | **{micro['precision']:.2f} / {micro['recall']:.2f} / {micro['f1']:.2f}** |")
    print("| set | half | docs | leads | memberOf | expelledFrom | boycotted | micro P / R / F1 |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
