"""Scoring kgraph's relations and entities against gold annotations (the schema of EVAL.md).

A predicted triple matches a gold one when the predicate is equal and each end's label or one
of its aliases equals, after :func:`kgraph.linking.normalize.normalize_label`, the gold
entity's name or one of its mentions. Predicted triples are counted once per distinct
(subject, predicate, object) after normalisation; one that matches only an
``optional_relations`` triple is dropped from both counts (neither rewarded nor penalised).

Entities: a gold entity is *found* when some predicted entity's label or alias matches its
name or a mention; *typing accuracy* is the share of found entities whose best-matching
predicted entity (most shared names) has the gold type; *mention recall* is the share of the
gold surface forms that the best-matching predicted entity holds as its label or an alias
(how completely the mentions were linked to one entity).

Gold documents without a ``text`` key are read from a file: the ``file`` key (relative to the
texts folder), else ``<texts>/<id>.<ext>`` for a supported extension, else the article of that
folder whose content id is ``id``. The texts folder defaults to the gold file's folder.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from kgraph.corpus import SUPPORTED_EXTENSIONS, find_dateline, parse_date_precision, read_articles, read_text
from kgraph.errors import ArticleError, ConfigError, MissingTextError
from kgraph.model import ENTITY_TYPES, PREDICATES, Article, ArticleAnalysis, Entity

__all__ = [
    "GoldEntity",
    "GoldRelation",
    "GoldDoc",
    "PredEntity",
    "PredRelation",
    "Prediction",
    "Scores",
    "DocErrors",
    "EvalReport",
    "load_gold",
    "score",
    "prediction_from_analysis",
    "predict",
    "evaluate",
]


def _norm(text: str) -> str:
    from kgraph.linking.normalize import normalize_label  # the one normalisation of EVAL.md

    return normalize_label(text)


def _keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in (_norm(name) for name in names if name) if key)


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str
    mentions: tuple[str, ...] = ()
    wikidata: str | None = None

    @property
    def keys(self) -> frozenset[str]:
        """The normalised name and mentions a prediction may match."""
        return _keys((self.name, *self.mentions))


@dataclass(frozen=True)
class GoldRelation:
    subject: str
    predicate: str
    object: str


@dataclass
class GoldDoc:
    """One annotated document: its text and metadata, entities, relations, optional relations."""

    id: str
    text: str
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)
    optional_relations: list[GoldRelation] = field(default_factory=list)
    title: str = ""
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    language: str = "en"
    path: str | None = None
    date_precision: str = "day"

    def article(self) -> Article:
        """The document as an Article whose id is the gold id (predictions are keyed by it)."""
        return Article(
            id=self.id, title=self.title, text=self.text, date=self.date, source=self.source,
            url=self.url, language=self.language, path=self.path, date_precision=self.date_precision,
        )


def gold_files(gold_path: str | Path | Iterable[str | Path]) -> list[Path]:
    """The gold JSONL files of ``gold_path``: a file, a folder (its ``*.jsonl``), or a list of them.
    One run over several files is one corpus: cross-article identity spans them all."""
    paths = [gold_path] if isinstance(gold_path, (str, Path)) else list(gold_path)
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    if not files:
        raise ArticleError(", ".join(map(str, paths)), "no gold .jsonl file there; give a gold file or a folder of them")
    return files


def load_gold_set(
    gold_path: str | Path | Iterable[str | Path], texts_dir: str | Path | None = None,
    on_missing: Callable[[MissingTextError], None] | None = None,
) -> list[GoldDoc]:
    """The gold documents of every file of ``gold_path`` (see :func:`gold_files`); ids must be
    unique across the files. A document without its text raises :class:`MissingTextError`,
    or, with ``on_missing``, is passed to it and left out (a development set whose texts a
    machine could not all re-fetch)."""
    docs: list[GoldDoc] = []
    seen: set[str] = set()
    for path in gold_files(gold_path):
        for doc in load_gold(path, texts_dir, on_missing):
            if doc.id in seen:
                raise ArticleError(str(path), f"duplicate document id {doc.id!r} across gold files")
            seen.add(doc.id)
            docs.append(doc)
    return docs


def load_gold(
    path: str | Path, texts_dir: str | Path | None = None,
    on_missing: Callable[[MissingTextError], None] | None = None,
) -> list[GoldDoc]:
    """Read a gold JSONL file (EVAL.md schema); raise :class:`ArticleError` naming the line
    of the first bad document."""
    path = Path(path)
    if not path.is_file():
        raise ArticleError(str(path), "no such gold file; give the path of a .jsonl file in the EVAL.md schema")
    folder = Path(texts_dir) if texts_dir is not None else path.parent
    if texts_dir is not None and not folder.is_dir():
        raise ArticleError(str(folder), "no such texts folder; --texts must name the folder of the gold texts")
    docs: list[GoldDoc] = []
    seen: set[str] = set()
    by_content_id: dict[str, Article] = {}  # the texts folder's articles, read once if needed
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            raise ArticleError(where, f"malformed JSON: {error.msg} (column {error.colno})") from None
        try:
            doc = _gold_doc(obj, where, folder, by_content_id)
        except MissingTextError as error:
            if on_missing is None:
                raise
            on_missing(error)
            continue
        if doc.id in seen:
            raise ArticleError(where, f"duplicate document id {doc.id!r}; every line needs its own id")
        seen.add(doc.id)
        docs.append(doc)
    if not docs:
        raise ArticleError(str(path), "no gold documents (the file is empty)")
    return docs


def _gold_doc(obj: Any, where: str, folder: Path, by_content_id: dict[str, Article]) -> GoldDoc:
    if not isinstance(obj, dict):
        raise ArticleError(where, f"expected a JSON object, got {type(obj).__name__}")
    doc_id = obj.get("id")
    if doc_id in (None, ""):
        raise ArticleError(where, "no 'id'; every gold document needs an id")
    doc_id = str(doc_id)
    entities = [_gold_entity(item, where) for item in _list(obj, "entities", where)]
    names = {entity.name for entity in entities}
    relations = [_gold_relation(item, where, names) for item in _list(obj, "relations", where)]
    optional = [_gold_relation(item, where, names) for item in _list(obj, "optional_relations", where)]
    article = _gold_text(obj, doc_id, where, folder, by_content_id)
    date, precision = article.date, article.date_precision
    if obj.get("date") not in (None, ""):
        parsed = parse_date_precision(obj["date"])
        if parsed is None:
            raise ArticleError(where, f"date {obj['date']!r} is not a date; write it as YYYY-MM-DD (or YYYY-MM, YYYY)")
        date, precision = parsed
    return GoldDoc(
        id=doc_id, text=article.text, entities=entities, relations=relations, optional_relations=optional,
        title=article.title, date=date, source=article.source, url=article.url,
        language=article.language, path=article.path, date_precision=precision,
    )


def _list(obj: dict, key: str, where: str) -> list:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise ArticleError(where, f"{key!r} must be a list, got {type(value).__name__}")
    return value


def _gold_entity(item: Any, where: str) -> GoldEntity:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
        raise ArticleError(where, f"entity {item!r} has no 'name'; each entity needs a name and a type")
    if item.get("type") not in ENTITY_TYPES:
        raise ArticleError(
            where, f"entity {item['name']!r} has type {item.get('type')!r}; use one of {', '.join(ENTITY_TYPES)}"
        )
    mentions = item.get("mentions") or []
    if not isinstance(mentions, list) or not all(isinstance(m, str) for m in mentions):
        raise ArticleError(where, f"entity {item['name']!r}: 'mentions' must be a list of strings")
    return GoldEntity(item["name"], item["type"], tuple(mentions), item.get("wikidata"))


def _gold_relation(item: Any, where: str, names: set[str]) -> GoldRelation:
    if not isinstance(item, dict):
        raise ArticleError(where, f"relation {item!r} must be an object with subject, predicate, object")
    if item.get("predicate") not in PREDICATES:
        raise ArticleError(
            where, f"relation {item!r} has predicate {item.get('predicate')!r}; use one of {', '.join(PREDICATES)}"
        )
    for end in ("subject", "object"):
        if item.get(end) not in names:
            raise ArticleError(
                where, f"relation {end} {item.get(end)!r} is not the name of an entity of this document; "
                "add the entity or fix the name",
            )
    return GoldRelation(item["subject"], item["predicate"], item["object"])


def _gold_text(obj: dict, doc_id: str, where: str, folder: Path, by_content_id: dict[str, Article]) -> Article:
    if isinstance(obj.get("text"), str) and obj["text"].strip():
        return Article(
            id=doc_id, title=str(obj.get("title") or ""), text=obj["text"], date=find_dateline(obj["text"]),
            source=obj.get("source"), url=obj.get("url"), language=obj.get("language") or "en",
        )
    if obj.get("file"):
        files = [folder / str(obj["file"])]
    else:
        files = [folder / f"{doc_id}{ext}" for ext in SUPPORTED_EXTENSIONS if (folder / f"{doc_id}{ext}").is_file()]
    if files and files[0].suffix == ".txt" and files[0].is_file():
        # EVAL.md: the text of document ID is TEXTS/ID.txt, all of it (no title line: the title,
        # if any, is the gold line's)
        try:
            text = read_text(files[0])
        except ArticleError as error:
            raise ArticleError(where, f"text of document {doc_id!r}: {error}") from None
        if not text.strip():
            raise ArticleError(where, f"text of document {doc_id!r}: {files[0]} is empty")
        return Article(
            id=doc_id, title=str(obj.get("title") or ""), text=text, date=find_dateline(text),
            source=obj.get("source"), url=obj.get("url"), language=obj.get("language") or "en",
        )
    if files:
        try:
            articles = list(read_articles(files[0]))
        except ArticleError as error:
            raise ArticleError(where, f"text of document {doc_id!r}: {error}") from None
        if len(articles) != 1:
            raise ArticleError(where, f"{files[0]} holds {len(articles)} articles; a gold 'file' must hold one")
        return articles[0]
    if not by_content_id and folder.is_dir():
        by_content_id.update((a.id, a) for a in read_articles(folder, on_error=lambda error: None))
    if doc_id in by_content_id:
        return by_content_id[doc_id]
    raise MissingTextError(
        where, f"no text for document {doc_id!r}: add a 'text' or 'file' key, or put {doc_id}.txt in {folder}"
    )


# --------------------------------------------------------------------------- predictions


@dataclass
class PredEntity:
    label: str
    aliases: list[str] = field(default_factory=list)
    type: str | None = None

    @property
    def keys(self) -> frozenset[str]:
        return _keys((self.label, *self.aliases))


@dataclass
class PredRelation:
    subject_label: str
    subject_aliases: list[str]
    predicate: str
    object_label: str
    object_aliases: list[str]
    sentence: str = ""
    rule: str = ""


@dataclass
class Prediction:
    """What a system says about one document."""

    entities: list[PredEntity] = field(default_factory=list)
    relations: list[PredRelation] = field(default_factory=list)


def prediction_from_analysis(analysis: ArticleAnalysis, links: dict[tuple[str, int], Entity]) -> Prediction:
    """The prediction for one analysed article: each local entity replaced by the canonical
    entity it was linked to (label + aliases + type), or kept as it is when unlinked."""
    article_id = analysis.article.id
    entities: dict[int, PredEntity] = {}
    for local in analysis.entities:
        linked = links.get((article_id, local.index))
        if linked is not None:
            entities[local.index] = PredEntity(linked.label, sorted(linked.aliases), linked.type)
        else:
            entities[local.index] = PredEntity(local.name, list(local.surface_forms), local.type)
    relations = []
    for relation in analysis.relations:
        subject, obj = entities.get(relation.subject), entities.get(relation.object)
        if subject is None or obj is None:
            continue
        if relation.qualifiers.get("negated"):
            continue  # a denied statement is a recorded claim, not a fact
        relations.append(
            PredRelation(subject.label, subject.aliases, relation.predicate, obj.label, obj.aliases,
                         relation.sentence, relation.rule)
        )
    unique: dict[tuple[str, str | None], PredEntity] = {}
    for entity in entities.values():  # two local entities may link to one canonical entity
        unique.setdefault((entity.label, entity.type), entity)
    return Prediction(list(unique.values()), relations)


def predict(docs: list[GoldDoc], nlp: Any, kb: Any) -> dict[str, Prediction]:
    """Run the real pipeline (``nlp`` from ``load_pipeline``, then cross-article linking with
    the knowledge base ``kb``) on the gold documents; predictions by document id."""
    from kgraph.linking.resolver import link_analyses
    from kgraph.nlp.pipeline import analyze_articles

    analyses = list(analyze_articles([doc.article() for doc in docs], nlp))
    links = link_analyses(analyses, kb)
    return {analysis.article.id: prediction_from_analysis(analysis, links) for analysis in analyses}


# --------------------------------------------------------------------------- scores


@dataclass
class Scores:
    """Counts and figures of one predicate (or of all: micro-average)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Scores) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "gold": self.tp + self.fn,
        }


Triple = tuple[str, str, str]


@dataclass
class DocErrors:
    """What one document got wrong, for debugging: triples as (subject, predicate, object)."""

    id: str
    false_positives: list[Triple] = field(default_factory=list)
    false_negatives: list[Triple] = field(default_factory=list)
    optional_matched: list[Triple] = field(default_factory=list)
    missed_entities: list[str] = field(default_factory=list)
    typing_errors: list[tuple[str, str, str | None]] = field(default_factory=list)  # name, gold, predicted
    #: why, for each false positive (its rule and sentence) and false negative (the sentence that
    #: names both ends, or what is missing), aligned with the lists above
    false_positive_evidence: list[str] = field(default_factory=list)
    false_negative_evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: tuples become lists."""
        return {
            key: [list(item) if isinstance(item, tuple) else item for item in value] if isinstance(value, list) else value
            for key, value in asdict(self).items()
        }


@dataclass
class EvalReport:
    """Relation scores per predicate and micro-averaged, entity figures, errors per document."""

    predicates: dict[str, Scores]
    docs: list[DocErrors]
    entities_gold: int = 0
    entities_found: int = 0
    typing_correct: int = 0
    mentions_gold: int = 0
    mentions_found: int = 0
    entities_predicted: int = 0
    entities_predicted_matched: int = 0
    words: int = 0
    seconds: float | None = None
    load_seconds: float | None = None

    @property
    def micro(self) -> Scores:
        total = Scores()
        for scores in self.predicates.values():
            total.add(scores)
        return total

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the predicates that have gold or predicted triples."""
        used = [s.f1 for s in self.predicates.values() if s.tp + s.fp + s.fn]
        return sum(used) / len(used) if used else 0.0

    @property
    def typing_accuracy(self) -> float:
        return self.typing_correct / self.entities_found if self.entities_found else 0.0

    @property
    def entity_recall(self) -> float:
        return self.entities_found / self.entities_gold if self.entities_gold else 0.0

    @property
    def entity_precision(self) -> float:
        return self.entities_predicted_matched / self.entities_predicted if self.entities_predicted else 0.0

    @property
    def mention_recall(self) -> float:
        return self.mentions_found / self.mentions_gold if self.mentions_gold else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.docs),
            "relations": {name: scores.to_dict() for name, scores in self.predicates.items()},
            "micro": self.micro.to_dict(),
            "macro_f1": round(self.macro_f1, 4),
            "entities": {
                "typing_accuracy": round(self.typing_accuracy, 4),
                "recall": round(self.entity_recall, 4),
                "precision": round(self.entity_precision, 4),
                "mention_recall": round(self.mention_recall, 4),
                "gold": self.entities_gold, "found": self.entities_found, "typed_correctly": self.typing_correct,
                "predicted": self.entities_predicted, "predicted_matched": self.entities_predicted_matched,
                "gold_mentions": self.mentions_gold, "mentions_found": self.mentions_found,
            },
            "time": {
                "seconds": None if self.seconds is None else round(self.seconds, 3),
                "load_seconds": None if self.load_seconds is None else round(self.load_seconds, 3),
                "words": self.words,
                "words_per_second": round(self.words / self.seconds) if self.seconds else None,
            },
            "errors": [doc.to_dict() for doc in self.docs],
        }

    def to_table(self, errors: bool = False) -> str:
        """A plain-text report; ``errors=True`` appends every document's mistakes."""
        rows = [f"{'relation':<14}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'tp':>5}{'fp':>5}{'fn':>5}"]

        def row(name: str, s: Scores) -> str:
            return (f"{name:<14}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                    f"{s.tp + s.fn:>6}{s.tp:>5}{s.fp:>5}{s.fn:>5}")

        for name, scores in self.predicates.items():
            if scores.tp + scores.fp + scores.fn:
                rows.append(row(name, scores))
        rows.append(row("micro", self.micro))
        rows.append(f"{'macro F1':<14}{self.macro_f1:>21.3f}")
        rows.append("")
        rows.append(
            f"entities: typing accuracy {self.typing_accuracy:.3f} ({self.typing_correct}/{self.entities_found}), "
            f"recall {self.entity_recall:.3f} ({self.entities_found}/{self.entities_gold}), "
            f"precision {self.entity_precision:.3f} ({self.entities_predicted_matched}/{self.entities_predicted}), "
            f"mention recall {self.mention_recall:.3f} ({self.mentions_found}/{self.mentions_gold})"
        )
        if self.seconds is not None:
            speed = f", {self.words / self.seconds:,.0f} words/s" if self.seconds else ""
            load = f" (+ {self.load_seconds:.1f} s loading the model)" if self.load_seconds is not None else ""
            rows.append(f"time: {self.seconds:.2f} s for {len(self.docs)} documents, {self.words:,} words{speed}{load}")
        if errors:
            for doc in self.docs:
                fp_why = doc.false_positive_evidence + [""] * len(doc.false_positives)
                fn_why = doc.false_negative_evidence + [""] * len(doc.false_negatives)
                lines = [f"  FP {s} --{p}--> {o}{_why(w)}" for (s, p, o), w in zip(doc.false_positives, fp_why)]
                lines += [f"  FN {s} --{p}--> {o}{_why(w)}" for (s, p, o), w in zip(doc.false_negatives, fn_why)]
                lines += [f"  type {name}: gold {gold}, predicted {pred}" for name, gold, pred in doc.typing_errors]
                lines += [f"  missed entity {name}" for name in doc.missed_entities]
                if lines:
                    rows.append(f"\n[{doc.id}]")
                    rows.extend(lines)
        return "\n".join(rows)


def _why(evidence: str) -> str:
    return f"\n       {evidence}" if evidence else ""


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _miss_evidence(doc: GoldDoc, relation: GoldRelation, prediction: Prediction) -> str:
    """Where a missed relation is stated: the first sentence naming both ends (by their gold
    mentions), else the sentences naming each; and whether the system found each end."""
    forms = {e.name: [m for m in (e.mentions or [e.name]) if m] for e in doc.entities}
    predicted = [p.keys for p in prediction.entities]

    def found(name: str) -> str:
        keys = _keys([name, *forms.get(name, [])])
        return "" if any(keys & p for p in predicted) else f" [{name}: not an entity]"

    missing = found(relation.subject) + found(relation.object)
    sentences = _sentences(doc.text)

    def names(sentence: str, name: str) -> bool:
        return any(m in sentence for m in forms.get(name, [name]))

    both = [s for s in sentences if names(s, relation.subject) and names(s, relation.object)]
    if both:
        return f"«{both[0]}»{missing}"
    subj = next((s for s in sentences if names(s, relation.subject)), "")
    return f"(ends in different sentences) «{subj[:160]}»{missing}"


def score(gold: list[GoldDoc], predictions: dict[str, Prediction]) -> EvalReport:
    """Score ``predictions`` (by document id; a missing id means nothing was predicted)."""
    predicates = {name: Scores() for name in PREDICATES}
    report = EvalReport(predicates=predicates, docs=[])
    for doc in gold:
        prediction = predictions.get(doc.id, Prediction())
        errors = DocErrors(doc.id)
        _score_relations(doc, prediction, predicates, errors)
        _score_entities(doc, prediction, report, errors)
        report.words += len(doc.text.split())
        report.docs.append(errors)
    return report


def _gold_names_matching(keys: frozenset[str], gold_keys: dict[str, frozenset[str]]) -> set[str]:
    return {name for name, names in gold_keys.items() if keys & names}


def _score_relations(doc: GoldDoc, prediction: Prediction, predicates: dict[str, Scores], errors: DocErrors) -> None:
    gold_keys = {entity.name: entity.keys for entity in doc.entities}
    required = set(doc.relations)
    optional = set(doc.optional_relations) - required
    found: set[GoldRelation] = set()
    seen: set[Triple] = set()
    for relation in prediction.relations:
        triple = (relation.subject_label, relation.predicate, relation.object_label)
        key = (_norm(triple[0]), triple[1], _norm(triple[2]))
        if key in seen:  # the same fact stated twice is one fact
            continue
        seen.add(key)
        subjects = _gold_names_matching(_keys((relation.subject_label, *relation.subject_aliases)), gold_keys)
        objects = _gold_names_matching(_keys((relation.object_label, *relation.object_aliases)), gold_keys)

        def matches(candidates: set[GoldRelation]) -> set[GoldRelation]:
            return {g for g in candidates
                    if g.predicate == relation.predicate and g.subject in subjects and g.object in objects}

        hits = matches(required)
        if hits:
            found |= hits
        elif matches(optional):
            errors.optional_matched.append(triple)
        else:
            predicates.setdefault(relation.predicate, Scores()).fp += 1
            errors.false_positives.append(triple)
            errors.false_positive_evidence.append(f"[{relation.rule}] «{relation.sentence}»" if relation.rule else "")
    for relation in doc.relations:
        if relation in found:
            predicates[relation.predicate].tp += 1
        else:
            predicates[relation.predicate].fn += 1
            errors.false_negatives.append((relation.subject, relation.predicate, relation.object))
            errors.false_negative_evidence.append(_miss_evidence(doc, relation, prediction))


def _score_entities(doc: GoldDoc, prediction: Prediction, report: EvalReport, errors: DocErrors) -> None:
    predicted = [(entity, entity.keys) for entity in prediction.entities]
    gold_keys = [entity.keys for entity in doc.entities]
    report.entities_predicted += len(predicted)
    report.entities_predicted_matched += sum(1 for _, keys in predicted if any(keys & g for g in gold_keys))
    for entity, keys in zip(doc.entities, gold_keys):
        mention_keys = _keys(entity.mentions) or keys
        report.entities_gold += 1
        report.mentions_gold += len(mention_keys)
        overlap = [(len(keys & pkeys), _norm(entity.name) in pkeys, pentity, pkeys)
                   for pentity, pkeys in predicted if keys & pkeys]
        if not overlap:
            errors.missed_entities.append(entity.name)
            continue
        report.entities_found += 1
        # the best match shares the most names, then holds the gold name itself
        best_rank = max((size, has_name) for size, has_name, _, _ in overlap)
        best = [(pentity, pkeys) for size, has_name, pentity, pkeys in overlap if (size, has_name) == best_rank]
        # ties of different types count as a typing error: the system did not decide
        types = {pentity.type for pentity, _ in best}
        if types == {entity.type}:
            report.typing_correct += 1
        else:
            wrong = sorted(t for t in types if t and t != entity.type) or [None]
            errors.typing_errors.append((entity.name, entity.type, wrong[0]))
        report.mentions_found += len(mention_keys & best[0][1])


# --------------------------------------------------------------------------- the whole run


#: the two halves of every development set: errors are read on "tune" only; "check" is the
#: figure that counts (a gap between the halves means the rules fit the tune half)
SPLITS = ("tune", "check")


def split_of(doc_id: str) -> str:
    """The half a development document belongs to, fixed once by its id (a hash, so it does not
    depend on the order or number of documents, and a new document never moves an old one).

    >>> split_of("ca-001"), split_of("ca-003")
    ('check', 'tune')
    """
    digest = hashlib.sha1(doc_id.encode("utf-8")).digest()
    return SPLITS[digest[0] & 1]


def select_split(docs: list[GoldDoc], split: str | None) -> list[GoldDoc]:
    """The documents of ``split`` ("tune", "check"; None or "all": every document)."""
    if split in (None, "all"):
        return docs
    if split not in SPLITS:
        raise ConfigError(f"unknown split {split!r}; choose one of: tune, check, all")
    return [doc for doc in docs if split_of(doc.id) == split]


def evaluate(
    gold_path: str | Path | Iterable[str | Path], texts_dir: str | Path | None = None, *, model: str | None = None, kb: Any = None,
    split: str | None = None, on_missing: Callable[[MissingTextError], None] | None = None,
) -> EvalReport:
    """Run the real pipeline on the gold documents of ``gold_path`` and score it.

    ``model`` is a spaCy model name (default: the pipeline's), ``kb`` a
    :class:`kgraph.linking.kb.KnowledgeBase` (default: the bundled one).
    ``report.seconds`` is the time of the NLP and linking, ``report.load_seconds`` the time
    spent loading the model. ``split`` keeps one half of the set (see :func:`split_of`);
    ``on_missing`` see :func:`load_gold_set`.
    """
    from kgraph.linking.kb import KnowledgeBase
    from kgraph.nlp.pipeline import load_pipeline

    gold = select_split(load_gold_set(gold_path, texts_dir, on_missing), split)
    start = time.perf_counter()
    if kb is None:  # one KB for the mention patterns and the linker
        kb = KnowledgeBase.default()
    nlp = load_pipeline(model=model, kb=kb)
    loaded = time.perf_counter()
    predictions = predict(gold, nlp, kb)
    done = time.perf_counter()
    report = score(gold, predictions)
    report.seconds = done - loaded
    report.load_seconds = loaded - start
    return report
