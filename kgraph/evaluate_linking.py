"""Scoring entity linking against gold entities (EVAL.md schema): coverage, clustering, Wikidata ids.

Gold entities list surface strings, not offsets, so gold mentions are aligned to kgraph's
mentions by normalised text (:func:`kgraph.linking.normalize.normalize_label`): a gold *mention
item* is one (document, gold entity, surface string) whose string occurs in the text; it is
*covered* when kgraph has a name mention of that text in the document, and its predicted
identity is the IRI most of those mentions refer to.

- **mention coverage**: covered items / items;
- **within-article** pairwise P/R/F1 and B-cubed over the covered items of each document (gold:
  same gold entity; predicted: same IRI);
- **cross-article** pairwise P/R/F1 and B-cubed over *entity items* (document, gold entity) with
  at least one covered mention, pairs from different documents only. Gold identity across
  documents is the same Wikidata id or, failing that, the same normalised gold ``name``;
  the predicted identity is the IRI most of the entity's covered mentions refer to;
- **QID precision/recall** over entity items: recall = items whose gold ``wikidata`` id was
  given / gold ids; precision = right ids / ids given where the gold id is known (``strict``
  counts an id given to an entity whose gold id is null as wrong too; ``party`` is the
  precision over PoliticalParty entities).
"""
from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

from kgraph.model import ArticleAnalysis, Entity

__all__ = ["PairScores", "LinkingReport", "score_linking", "evaluate_linking", "pairwise", "bcubed"]

#: mention kinds that carry a name (pronouns and nominals are not aligned to gold strings)
_NAME_KINDS = frozenset({"name", "acronym", "alias"})


def _norm(text: str) -> str:
    from kgraph.linking.normalize import normalize_label

    return normalize_label(text)


@dataclass
class PairScores:
    """Pairwise counts and B-cubed averages of one clustering comparison."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    b3_precision: float = 0.0
    b3_recall: float = 0.0
    items: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def b3_f1(self) -> float:
        p, r = self.b3_precision, self.b3_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "b3_precision": round(self.b3_precision, 4), "b3_recall": round(self.b3_recall, 4),
            "b3_f1": round(self.b3_f1, 4), "items": self.items,
        }


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(items: list[tuple[Hashable, Hashable, Hashable]], across: bool = True) -> tuple[int, int, int]:
    """(tp, fp, fn) over pairs of ``(group, gold, predicted)`` items: pairs whose groups differ
    when ``across``, else every pair. Counted from cluster sizes, not by enumerating pairs.

    >>> pairwise([("d1", "a", 1), ("d2", "a", 1), ("d3", "b", 1)])
    (1, 2, 0)
    """
    def count(key) -> int:
        pairs = sum(_pairs(n) for n in Counter(key(i) for i in items).values())
        if across:  # minus the pairs inside one group
            pairs -= sum(_pairs(n) for n in Counter((key(i), i[0]) for i in items).values())
        return pairs

    both = count(lambda i: (i[1], i[2]))
    gold = count(lambda i: i[1])
    pred = count(lambda i: i[2])
    return both, pred - both, gold - both


def bcubed(items: list[tuple[Hashable, Hashable]]) -> tuple[float, float]:
    """B-cubed precision and recall of ``(gold, predicted)`` items.

    >>> [round(x, 3) for x in bcubed([("a", 1), ("a", 1), ("b", 1)])]
    [0.556, 1.0]
    """
    if not items:
        return 1.0, 1.0
    both = Counter(items)
    gold = Counter(g for g, _ in items)
    pred = Counter(p for _, p in items)
    precision = sum(both[(g, p)] / pred[p] for g, p in items) / len(items)
    recall = sum(both[(g, p)] / gold[g] for g, p in items) / len(items)
    return precision, recall


@dataclass
class LinkingReport:
    """The linking figures of one evaluation run."""

    documents: int = 0
    mentions_gold: int = 0
    mentions_covered: int = 0
    within: PairScores = field(default_factory=PairScores)
    cross: PairScores = field(default_factory=PairScores)
    qid_gold: int = 0
    qid_found: int = 0  # gold ids given right
    qid_given_known: int = 0  # ids given to entities whose gold id is known
    qid_right: int = 0
    qid_given_unknown: int = 0  # ids given to entities whose gold id is null
    party_given_known: int = 0
    party_right: int = 0
    wrong_ids: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # doc, name, given, gold
    within_merges: list[tuple[str, str, list[str]]] = field(default_factory=list)  # doc, IRI, gold names
    within_splits: list[tuple[str, str, list[str]]] = field(default_factory=list)  # doc, gold name, IRIs
    split_entities: list[tuple[str, list[str]]] = field(default_factory=list)  # gold name, its IRIs
    merged_entities: list[tuple[str, list[str]]] = field(default_factory=list)  # IRI, gold names
    seconds: float | None = None

    @property
    def coverage(self) -> float:
        return self.mentions_covered / self.mentions_gold if self.mentions_gold else 0.0

    @property
    def qid_precision(self) -> float:
        return self.qid_right / self.qid_given_known if self.qid_given_known else 1.0

    @property
    def qid_precision_strict(self) -> float:
        given = self.qid_given_known + self.qid_given_unknown
        return self.qid_right / given if given else 1.0

    @property
    def qid_recall(self) -> float:
        return self.qid_found / self.qid_gold if self.qid_gold else 0.0

    @property
    def party_qid_precision(self) -> float:
        return self.party_right / self.party_given_known if self.party_given_known else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "mention_coverage": round(self.coverage, 4),
            "mentions": {"gold": self.mentions_gold, "covered": self.mentions_covered},
            "within_article": self.within.to_dict(),
            "cross_article": self.cross.to_dict(),
            "qid": {
                "precision": round(self.qid_precision, 4),
                "precision_strict": round(self.qid_precision_strict, 4),
                "party_precision": round(self.party_qid_precision, 4),
                "recall": round(self.qid_recall, 4),
                "gold": self.qid_gold, "found": self.qid_found, "given_known": self.qid_given_known,
                "right": self.qid_right, "given_unknown": self.qid_given_unknown,
            },
            "wrong_ids": [list(x) for x in self.wrong_ids],
            "within_merges": [[d, i, n] for d, i, n in self.within_merges],
            "within_splits": [[d, n, iris] for d, n, iris in self.within_splits],
            "split_entities": [[n, iris] for n, iris in self.split_entities],
            "merged_entities": [[iri, names] for iri, names in self.merged_entities],
            "seconds": None if self.seconds is None else round(self.seconds, 3),
        }

    def to_table(self, errors: bool = False) -> str:
        """A plain-text report; ``errors=True`` lists wrong ids, split and merged entities."""
        w, c = self.within, self.cross
        rows = [
            f"linking: {self.documents} documents",
            f"mention coverage   {self.coverage:.3f} ({self.mentions_covered}/{self.mentions_gold})",
            f"{'':<19}{'P':>7}{'R':>7}{'F1':>7}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'items':>7}",
        ]
        for name, s in (("within-article", w), ("cross-article", c)):
            rows.append(f"{name:<19}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                        f"{s.b3_precision:>7.3f}{s.b3_recall:>7.3f}{s.b3_f1:>7.3f}{s.items:>7}")
        rows.append(
            f"wikidata ids       precision {self.qid_precision:.3f} ({self.qid_right}/{self.qid_given_known}), "
            f"strict {self.qid_precision_strict:.3f} (+{self.qid_given_unknown} given where gold is null), "
            f"parties {self.party_qid_precision:.3f} ({self.party_right}/{self.party_given_known}), "
            f"recall {self.qid_recall:.3f} ({self.qid_found}/{self.qid_gold})"
        )
        if self.seconds is not None:
            rows.append(f"time: {self.seconds:.2f} s")
        if errors:
            for doc, name, given, gold in self.wrong_ids:
                rows.append(f"  wrong id [{doc}] {name}: gave {given}, gold {gold}")
            for doc, iri, names in self.within_merges:
                rows.append(f"  merged in [{doc}] {iri}: {'; '.join(names)}")
            for doc, name, iris in self.within_splits:
                rows.append(f"  split in [{doc}] {name}: {', '.join(iris)}")
            for name, iris in self.split_entities:
                rows.append(f"  split {name}: {', '.join(iris)}")
            for iri, names in self.merged_entities:
                rows.append(f"  merged {iri}: {'; '.join(names)}")
        return "\n".join(rows)


def _occurs(text_lower: str, surface: str) -> bool:
    surface = surface.strip().lower()
    if not surface:
        return False
    return re.search(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text_lower) is not None


def score_linking(gold: Iterable, analyses: Iterable[ArticleAnalysis],
                  links: dict[tuple[str, int], Entity]) -> LinkingReport:
    """Score linked analyses against gold documents (``kgraph.evaluate.GoldDoc``), matched by id."""
    report = LinkingReport()
    by_id = {a.article.id: a for a in analyses}
    within_items: list[tuple[str, tuple[str, str], str]] = []
    entity_items: list[tuple[str, str, str]] = []  # (doc, gold identity, predicted IRI)
    gold_names: dict[str, set[str]] = defaultdict(set)
    iri_golds: dict[str, set[str]] = defaultdict(set)
    for doc in gold:
        report.documents += 1
        analysis = by_id.get(doc.id)
        predicted: dict[str, Counter] = defaultdict(Counter)  # normalised text -> IRIs
        iri_info: dict[str, Entity] = {}
        if analysis is not None:
            for m in analysis.mentions:
                entity = links.get((doc.id, m.entity))
                if entity is None or m.kind not in _NAME_KINDS:
                    continue
                predicted[_norm(m.text)][entity.iri] += 1
                iri_info[entity.iri] = entity
        text_lower = doc.text.lower()
        doc_iri_golds: dict[str, set[str]] = defaultdict(set)
        for ge in doc.entities:
            surfaces = list(dict.fromkeys(_norm(s) for s in (ge.name, *ge.mentions) if _norm(s)))
            originals = {_norm(s): s for s in (*ge.mentions, ge.name)}
            iris: Counter = Counter()
            for key in surfaces:
                if not _occurs(text_lower, originals[key]):
                    continue
                report.mentions_gold += 1
                found = predicted.get(key)
                if not found:
                    continue
                report.mentions_covered += 1
                iri = min(found, key=lambda i: (-found[i], i))
                iris[iri] += 1
                doc_iri_golds[iri].add(ge.name)
                within_items.append((doc.id, (doc.id, ge.name), iri))
            if len(iris) > 1:
                report.within_splits.append((doc.id, ge.name, sorted(iris)))
            if not iris:
                continue
            iri = min(iris, key=lambda i: (-iris[i], i))
            identity = f"wd:{ge.wikidata}" if ge.wikidata else f"name:{_norm(ge.name)}"
            entity_items.append((doc.id, identity, iri))
            gold_names[identity].add(iri)
            iri_golds[iri].add(ge.name)
            given = iri_info[iri].wikidata
            if ge.wikidata:
                report.qid_gold += 1
                report.qid_found += given == ge.wikidata
            if given:
                if ge.wikidata:
                    report.qid_given_known += 1
                    report.qid_right += given == ge.wikidata
                    if ge.type == "PoliticalParty":
                        report.party_given_known += 1
                        report.party_right += given == ge.wikidata
                else:
                    report.qid_given_unknown += 1
                if given != ge.wikidata:
                    report.wrong_ids.append((doc.id, ge.name, given, ge.wikidata))
        report.within_merges += [(doc.id, iri, sorted(names)) for iri, names in sorted(doc_iri_golds.items())
                                 if len(names) > 1]
    # within-article: pairs inside each document only
    report.within = _scores([(d, g, p) for d, g, p in within_items], cross=False)
    report.cross = _scores(entity_items, cross=True)
    report.split_entities = sorted((k, sorted(v)) for k, v in gold_names.items() if len(v) > 1)
    report.merged_entities = sorted(
        (iri, sorted(names)) for iri, names in iri_golds.items()
        if len({_norm(n) for n in names}) > 1
    )
    return report


def _scores(items: list[tuple[str, Hashable, str]], cross: bool) -> PairScores:
    scores = PairScores(items=len(items))
    if cross:
        scores.tp, scores.fp, scores.fn = pairwise(items)
        scores.b3_precision, scores.b3_recall = bcubed([(g, p) for _, g, p in items])
        return scores
    by_doc: dict[str, list] = defaultdict(list)
    for d, g, p in items:
        by_doc[d].append((d, g, p))
    b3p = b3r = 0.0
    for doc_items in by_doc.values():
        tp, fp, fn = pairwise(doc_items, across=False)
        scores.tp += tp
        scores.fp += fp
        scores.fn += fn
        p, r = bcubed([(g, pr) for _, g, pr in doc_items])
        b3p += p * len(doc_items)
        b3r += r * len(doc_items)
    if items:
        scores.b3_precision, scores.b3_recall = b3p / len(items), b3r / len(items)
    else:
        scores.b3_precision = scores.b3_recall = 1.0
    return scores


def evaluate_linking(
    gold_path: str | Path | Iterable[str | Path], texts_dir: str | Path | None = None, *, model: str | None = None, kb: Any = None,
    split: str | None = None, kb_files: Iterable[str | Path] = (), on_missing: Callable[[Exception], None] | None = None,
) -> LinkingReport:
    """Run the real pipeline and cross-article linking on the gold documents and score the links.

    ``kb`` is a :class:`kgraph.linking.kb.KnowledgeBase` (default: the bundled one plus
    ``kb_files``); ``split`` keeps one half of the set (see :func:`kgraph.evaluate.split_of`).
    """
    from kgraph.builder import load_kb
    from kgraph.evaluate import load_gold_set, select_split
    from kgraph.linking.resolver import link_analyses
    from kgraph.nlp.pipeline import analyze_articles, load_pipeline

    docs = select_split(load_gold_set(gold_path, texts_dir, on_missing), split)
    if kb is None:
        kb = load_kb(kb_files)
    nlp = load_pipeline(model=model, kb=kb)
    start = time.perf_counter()
    analyses = list(analyze_articles([doc.article() for doc in docs], nlp))
    links = link_analyses(analyses, kb)
    report = score_linking(docs, analyses, links)
    report.seconds = time.perf_counter() - start
    return report
