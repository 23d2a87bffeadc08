"""Check development-set annotation files against the EVAL.md schema.

    python bench/devset/check_annotations.py bench/devset/news/*.jsonl

Each line must be valid JSON with an id, entities of the four types, relations whose ends are
entity names, and mentions that occur verbatim in the text (texts/<id>.txt beside the file, or an
inline "text"). Prints one line per problem and a summary; exits 1 when any problem was found.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

TYPES = {"Person", "PoliticalParty", "Organization", "Election"}
PREDICATES = {"leads", "memberOf", "expelledFrom", "boycotted"}


def check_file(path: Path, seen_ids: set[str]) -> tuple[list[str], Counter]:
    problems: list[str] = []
    counts: Counter = Counter()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc})")
            continue
        doc_id = doc.get("id")
        if not isinstance(doc_id, str) or not doc_id:
            problems.append(f"{where}: no id")
            continue
        if doc_id in seen_ids:
            problems.append(f"{where}: duplicate id {doc_id}")
        seen_ids.add(doc_id)
        text = doc.get("text")
        if text is None:
            tpath = path.parent / "texts" / f"{doc_id}.txt"
            text = tpath.read_text(encoding="utf-8") if tpath.exists() else None
            if text is None:
                problems.append(f"{where}: {doc_id}: no text (inline or {tpath})")
        for key in ("url", "title"):
            if not doc.get(key):
                problems.append(f"{where}: {doc_id}: no {key}")
        names = set()
        for ent in doc.get("entities", []):
            if ent.get("type") not in TYPES:
                problems.append(f"{where}: {doc_id}: entity {ent.get('name')!r} has type {ent.get('type')!r}")
            names.add(ent.get("name"))
            for m in ent.get("mentions", []):
                if text is not None and m not in text:
                    problems.append(f"{where}: {doc_id}: mention {m!r} of {ent.get('name')!r} not in the text")
        for key in ("relations", "optional_relations"):
            for rel in doc.get(key, []):
                if rel.get("predicate") not in PREDICATES:
                    problems.append(f"{where}: {doc_id}: predicate {rel.get('predicate')!r}")
                for end in ("subject", "object"):
                    if rel.get(end) not in names:
                        problems.append(f"{where}: {doc_id}: {key} {end} {rel.get(end)!r} is no entity name")
                if key == "relations":
                    counts[rel.get("predicate")] += 1
        counts["articles"] += 1
    return problems, counts


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    seen: set[str] = set()
    total: Counter = Counter()
    problems: list[str] = []
    for name in argv:
        p, c = check_file(Path(name), seen)
        problems += p
        total += c
    for p in problems:
        print(p)
    print(", ".join(f"{k} {v}" for k, v in sorted(total.items())), f"| {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
