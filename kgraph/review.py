"""Review: a human in the loop. Reviewers' decisions on relations and entities, kept as data and
re-applied by every build.

A *relation* is a direct triple ``S P O`` with all its evidence (every ``kg:Fact`` stating it, in
any article); its id is a hash of the three IRIs (:func:`relation_id`), so it is the same in every
build. A reviewer can

- ``accept`` it (its statements get ``kg:reviewStatus "accepted"``; they are gold for ``evaluate``),
- ``reject`` it (its statements become ``kg:Claim``s with ``kg:reviewStatus "rejected"``: the
  evidence stays, the direct triple goes, and it does not come back when an article states it again),
- ``correct`` it (``--subject`` / ``--object``: its statements are about the right entity),
- ``merge`` two entities (the second is the first, in every article, now and later),
- ``split`` an entity in one article (that article's mentions are a different entity).

Decisions are data (:class:`Decision`): who (``agent``), when (``time``), why (``note``), what. They
are kept in two places that a build reads and merges: the named graph ``kgid:reviews`` of the store
(PROV-O: a ``kg:Review`` is a ``prov:Activity`` ``prov:wasAssociatedWith`` its reviewer, with
``prov:endedAtTime``, ``prov:used`` the articles), and a portable JSONL file (by default
``<store>.decisions.jsonl`` next to an on-disk store) that a team can version and share. A decision
rewrites the article graphs it concerns (:func:`apply_decisions`), and a build rewrites every new
article graph the same way before storing it, so a rebuild gives the same graph. A decision whose
statements or articles are no longer in the store stays in the log, reported as orphaned.

>>> relation_id("https://w3id.org/kgraph/id/person/a", "leads", "https://w3id.org/kgraph/id/party/b")
'908297ebb1e4'
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kgraph.errors import InputError
from kgraph.model import PREDICATES, Entity
from kgraph.rdf.build import graph_fingerprint
from kgraph.rdf.namespace import (
    KG,
    ORG,
    REVIEW_GRAPH,
    agent_iri,
    article_graph_iri,
    article_iri,
    entity_iri,
    review_iri,
)
from kgraph.rdf.store import Store, Triple

__all__ = [
    "ACTIONS", "Decision", "Review", "relation_id", "apply_decisions", "read_decisions", "write_decisions",
    "stored_decisions", "review_graph_triples", "default_decisions_path", "decision_rewriter",
    "entities_from_decisions", "merged_log",
]

#: what a reviewer can decide
ACTIONS = ("accept", "reject", "correct", "merge", "split")
_RELATION_ACTIONS = ("accept", "reject", "correct")
_STATUS = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}
_STATEMENT_CLASSES = (KG.Fact, KG.Claim)
# the classes each end of a relation may have (the ontology's domains and ranges)
_ORGANIZATIONS = ("Organization", "PoliticalParty")
_ENDS = {
    "leads": (("Person",), _ORGANIZATIONS),
    "memberOf": (("Person",), _ORGANIZATIONS),
    "expelledFrom": (("Person",), _ORGANIZATIONS),
    "boycotted": (("Person", *_ORGANIZATIONS), ("Election",)),
}


def relation_id(subject: str, predicate: str, obj: str) -> str:
    """The stable id of the relation ``subject predicate object`` (IRIs; predicate by local name)."""
    return hashlib.sha1(f"{subject}|{predicate}|{obj}".encode("utf-8")).hexdigest()[:12]


def default_decisions_path(store_location: str | os.PathLike | None) -> Path | None:
    """``<store>.decisions.jsonl`` next to an on-disk store; None for in-memory and remote stores."""
    if store_location is None:
        return None
    location = os.fspath(store_location)
    if location.startswith(("http://", "https://")):
        return None
    return Path(location.rstrip("/\\") + ".decisions.jsonl")


# -- decisions as data ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    """One reviewer's decision. IRIs are full IRIs; ``relation`` is (subject, predicate, object)
    with the predicate's local name; ``entities`` describe the entities the decision brings in
    (a correction's target, a merge's kept entity, a split's new entity) as dicts with iri, type,
    label; ``articles`` are the ids of the articles the decision looked at."""

    id: str
    action: str
    agent: str
    time: str
    note: str | None = None
    relation: tuple[str, str, str] | None = None
    subject: str | None = None
    object: str | None = None
    entity: str | None = None
    other: str | None = None
    article: str | None = None
    new_entity: str | None = None
    entities: tuple[dict, ...] = ()
    articles: tuple[str, ...] = ()
    labels: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def relation_id(self) -> str | None:
        return relation_id(*self.relation) if self.relation else None

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if v not in (None, (), [], {})}
        if self.relation:
            data["relation"] = {"id": self.relation_id, "subject": self.relation[0], "predicate": self.relation[1],
                                "object": self.relation[2]}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Decision":
        data = dict(data)
        relation = data.pop("relation", None)
        if isinstance(relation, dict):
            relation = (relation["subject"], relation["predicate"], relation["object"])
        elif relation is not None:
            relation = tuple(relation)
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise InputError(f"unknown decision field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        for key in ("id", "action", "agent", "time"):
            if not data.get(key):
                raise InputError(f"a decision needs {key!r}")
        if data["action"] not in ACTIONS:
            raise InputError(f"unknown review action {data['action']!r}; use one of: {', '.join(ACTIONS)}")
        if data["action"] in _RELATION_ACTIONS and (relation is None or relation[1] not in PREDICATES):
            raise InputError(f"decision {data['id']} ({data['action']}) needs a relation with a predicate among {', '.join(PREDICATES)}")
        return cls(relation=relation, entities=tuple(data.pop("entities", ())), articles=tuple(data.pop("articles", ())),
                   **data)


def _new_decision(action: str, agent: str | None, note: str | None, **fields) -> Decision:
    agent = agent or _os_user()
    # microseconds: decisions are re-applied in time order, and a reviewer can make two in one second
    time = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
    seed = json.dumps([action, agent, time, note, sorted((k, str(v)) for k, v in fields.items())], ensure_ascii=False)
    return Decision(id=hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12], action=action, agent=agent, time=time,
                    note=note or None, **fields)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a container without /etc/passwd entry)
        return "unknown"


def read_decisions(path: str | os.PathLike) -> list[Decision]:
    """The decisions of a JSONL file, in order (a missing file has none)."""
    path = Path(path)
    if not path.exists():
        return []
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read decisions file {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(Decision.from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError, InputError) as exc:
            raise InputError(f"{path}:{number}: not a decision ({exc}); fix or remove the line") from exc
    return out


def write_decisions(path: str | os.PathLike, decisions: Iterable[Decision]) -> None:
    """Write the decisions as JSONL, atomically (a temporary file renamed over the old one)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for decision in decisions:
            out.write(json.dumps(decision.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
    os.replace(tmp, path)


def merged_log(*logs: Iterable[Decision]) -> list[Decision]:
    """The union of decision logs (by id), in the order they were made."""
    by_id: dict[str, Decision] = {}
    for log in logs:
        for decision in log:
            by_id.setdefault(decision.id, decision)
    return sorted(by_id.values(), key=lambda d: (d.time, d.id))


def stored_decisions(store: Store) -> list[Decision]:
    """The decisions recorded in the store's review graph."""
    rows = store.query(f"""SELECT ?record WHERE {{ GRAPH {REVIEW_GRAPH.n3()} {{ ?r a kg:Review ; kg:decisionRecord ?record }} }}""").rows
    return merged_log(Decision.from_json(json.loads(str(r[0]))) for r in rows)


def review_graph_triples(decisions: Iterable[Decision]) -> list[Triple]:
    """The review graph: each decision as a kg:Review (a prov:Activity) with who, when, why, what."""
    triples: list[Triple] = []
    agents: dict[str, str] = {}
    for d in decisions:
        node = review_iri(d.id)
        agent = agent_iri(d.agent)
        agents[str(agent)] = d.agent
        triples += [
            (node, RDF.type, KG.Review), (node, RDF.type, PROV.Activity),
            (node, KG.reviewId, Literal(d.id)), (node, KG.reviewAction, Literal(d.action)),
            (node, PROV.wasAssociatedWith, agent),
            (node, PROV.endedAtTime, Literal(d.time, datatype=XSD.dateTime)),
            (node, KG.decisionRecord, Literal(json.dumps(d.to_json(), ensure_ascii=False, sort_keys=True))),
        ]
        if d.note:
            triples.append((node, KG.reviewNote, Literal(d.note)))
        if d.relation:
            s, p, o = d.relation
            triples += [(node, KG.relationId, Literal(d.relation_id)), (node, KG.reviewedSubject, URIRef(s)),
                        (node, KG.reviewedPredicate, KG[p]), (node, KG.reviewedObject, URIRef(o))]
        for prop, value in ((KG.correctedSubject, d.subject), (KG.correctedObject, d.object)):
            if value:
                triples.append((node, prop, URIRef(value)))
        if d.action == "merge":
            triples += [(node, KG.keptEntity, URIRef(d.entity)), (node, KG.mergedEntity, URIRef(d.other))]
        if d.action == "split":
            triples += [(node, KG.splitEntity, URIRef(d.entity)), (node, KG.splitArticle, article_iri(d.article)),
                        (node, KG.newEntity, URIRef(d.new_entity))]
        triples += [(node, PROV.used, article_iri(a)) for a in d.articles]
    for iri, name in sorted(agents.items()):
        triples += [(URIRef(iri), RDF.type, PROV.Agent), (URIRef(iri), RDFS.label, Literal(name))]
    return list(dict.fromkeys(triples))


# -- applying decisions to an article graph ------------------------------------------------------
# A DefinedNamespace validates every ``KG.x`` lookup: bind the terms of the hot loops once.
_FACT, _CLAIM, _ARTICLE, _TYPE = KG.Fact, KG.Claim, KG.Article, RDF.type
_SUBJECT, _PREDICATE, _OBJECT = RDF.subject, RDF.predicate, RDF.object
_MODE, _REVIEW_STATUS, _REVIEWED_IN, _MENTIONS = KG.assertionMode, KG.reviewStatus, KG.reviewedIn, KG.mentions
_ARTICLE_ID, _CONTENT_HASH = KG.articleId, KG.contentHash
_MEMBERSHIP, _MEMBER, _ORGANIZATION, _DERIVED_FROM = ORG.Membership, ORG.member, ORG.organization, PROV.wasDerivedFrom
_DENIED = Literal("denied")
_STATEMENT_TYPES = frozenset(_STATEMENT_CLASSES)
_ARTICLE_TYPE = frozenset({_ARTICLE})
_HASH_PREDICATE = frozenset({_CONTENT_HASH})


#: predicate -> what _GraphIndex takes from it (a dict lookup: rdflib's term __eq__ is slow)
_INDEXED = {_TYPE: "type", _SUBJECT: "prop", _PREDICATE: "prop", _OBJECT: "prop", _MODE: "prop",
            _ARTICLE_ID: "id", _DERIVED_FROM: "derived", _MEMBER: "member"}


class _GraphIndex:
    """What the decisions look for in one article graph: its article, the terms it uses, its
    statements by (subject, predicate, object), and the memberships derived from each statement."""

    def __init__(self, triples: list[Triple]):
        self.article = self.article_id = None
        typed: set = set()
        props: dict = {}
        derived: dict = {}
        members: set = set()
        indexed = _INDEXED
        for s, p, o in triples:
            role = indexed.get(p)
            if role is None:
                continue
            if role == "prop":
                props.setdefault(s, {})[p] = o
            elif role == "type":
                if o in _STATEMENT_TYPES:
                    typed.add(s)
                elif o in _ARTICLE_TYPE:
                    self.article = s
            elif role == "derived":
                derived[s] = o
            elif role == "member":
                members.add(s)
            else:
                self.article_id = str(o)
        self.statements: dict[tuple, set] = {}
        self.denied: set = set()
        for node in typed:
            v = props.get(node, {})
            self.statements.setdefault((v.get(_SUBJECT), v.get(_PREDICATE), v.get(_OBJECT)), set()).add(node)
            if v.get(_MODE) == _DENIED:
                self.denied.add(node)
        self.memberships = {m: f for m, f in derived.items() if m in members}

    def corrected(self, key: tuple, d: Decision) -> None:
        """Keep the statements' index in step with a correction of the relation ``key``."""
        s, p, o = key
        new_key = (URIRef(d.subject) if d.subject else s, p, URIRef(d.object) if d.object else o)
        self.statements.setdefault(new_key, set()).update(self.statements.pop(key))


def _terms(triples: list[Triple]) -> set:
    """Every subject and object of a graph (whether a merge or a split concerns it)."""
    terms = {t[0] for t in triples}
    terms.update(t[2] for t in triples)
    return terms


def apply_decisions(triples: list[Triple], decisions: Iterable[Decision]) -> list[Triple]:
    """An article graph with ``decisions`` applied, in order, and its ``kg:contentHash`` recomputed
    (last). Applying a decision twice changes nothing, so a stored graph that already has some of
    them applied gives the same result as the raw graph of a rebuild."""
    body = [t for t in triples if t[1] not in _HASH_PREDICATE]
    index = _GraphIndex(body)
    terms = None  # computed when a merge or a split needs them
    changed = False
    for d in decisions:
        if d.action in ("merge", "split"):
            if d.action == "split" and d.article != index.article_id:
                continue
            old = URIRef(d.other if d.action == "merge" else d.entity)
            terms = _terms(body) if terms is None else terms
            if old not in terms:
                continue
            body = _substitute(body, old, URIRef(d.entity if d.action == "merge" else d.new_entity))
            index, terms = _GraphIndex(body), None
        else:
            key = (URIRef(d.relation[0]), KG[d.relation[1]], URIRef(d.relation[2]))
            if key not in index.statements:
                continue
            body = _review_statements(body, d, index, index.statements[key])
            if d.action == "correct":
                index.corrected(key, d)
                terms = None
        changed = True
    if not changed:
        return list(triples)
    body = list(dict.fromkeys(body))
    if index.article is not None:
        body.append((index.article, _CONTENT_HASH, Literal(graph_fingerprint(body))))
    return body


def decision_rewriter(decisions: list[Decision]):
    """A ``rewrite`` function for ``kgraph.rdf.sync.plan_build`` (None when there is nothing to apply)."""
    if not decisions:
        return None
    return lambda triples: apply_decisions(triples, decisions)


def _substitute(triples: list[Triple], old: URIRef, new: URIRef) -> list[Triple]:
    swap = {old: new}
    return [(swap.get(s, s), p, swap.get(o, o)) for s, p, o in triples]


def _review_statements(triples: list[Triple], d: Decision, index: _GraphIndex, nodes: set) -> list[Triple]:
    """The statements ``nodes`` of the decision's relation, accepted, rejected or corrected, and
    the memberships derived from them kept in step (:func:`_derived_memberships`)."""
    new_subject = URIRef(d.subject) if d.action == "correct" and d.subject else None
    new_object = URIRef(d.object) if d.action == "correct" and d.object else None
    derived = {m for m, f in index.memberships.items() if f in nodes}
    claims = {n for n in nodes if d.action == "reject" or n in index.denied}
    out = []
    for s, p, o in triples:
        if s in nodes:
            if p == _REVIEW_STATUS or (p == _TYPE and o in _STATEMENT_TYPES):
                continue
            if new_subject is not None and p == _SUBJECT:
                o = new_subject
            elif new_object is not None and p == _OBJECT:
                o = new_object
        elif s in derived:
            # the org:Membership a statement states (its time scope) is one while the statement is a
            # fact: a rejected one keeps its description untyped, so accepting it again restores it
            if p == _TYPE and o == _MEMBERSHIP:
                continue
            if new_subject is not None and p == _MEMBER:
                o = new_subject
            elif new_object is not None and p == _ORGANIZATION:
                o = new_object
        out.append((s, p, o))
    if index.article is not None:
        out += [(index.article, _MENTIONS, e) for e in (new_subject, new_object) if e is not None]
    review = review_iri(d.id)
    status = Literal(_STATUS[d.action])
    for node in sorted(nodes):
        out += [(node, _TYPE, _CLAIM if node in claims else _FACT), (node, _REVIEW_STATUS, status),
                (node, _REVIEWED_IN, review)]
    out += [(m, _TYPE, _MEMBERSHIP) for m in sorted(derived) if index.memberships[m] not in claims]
    return out


# -- the reviewer's interface --------------------------------------------------------------------
_STATEMENTS_QUERY = """SELECT ?st ?class ?s ?p ?o ?sl ?ol ?aid ?sentence ?conf ?status ?mode ?byLabel WHERE {
  VALUES ?class { kg:Fact kg:Claim }
  ?st a ?class ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?a ;
      kg:sentence ?sentence ; kg:confidence ?conf .
  ?a kg:articleId ?aid .
  OPTIONAL { ?st kg:reviewStatus ?status } OPTIONAL { ?st kg:assertionMode ?mode }
  OPTIONAL { ?s rdfs:label ?sl } OPTIONAL { ?o rdfs:label ?ol }
  OPTIONAL { ?st kg:assertedBy ?by . ?by rdfs:label ?byLabel }
}"""


class Review:
    """Review the relations of a knowledge graph: list them, and record decisions that are written
    to the store (one atomic change), to the decisions file, and re-applied by every build.

    Obtain it as ``kg.review``; ``decisions`` overrides the decisions file (default: the graph's
    ``decisions_path``, else ``<store>.decisions.jsonl``), ``agent`` the reviewer (default: the OS user).

    Examples
    --------
    >>> kg = kgraph.open_graph(store="kg.db", read_only=False)     # doctest: +SKIP
    >>> rows = kg.review.relations(predicate="leads")              # doctest: +SKIP
    >>> kg.review.reject(rows[0]["id"], note="a deputy, not the leader")   # doctest: +SKIP
    """

    def __init__(self, kg, decisions: str | os.PathLike | None = None, agent: str | None = None):
        self.kg = kg
        self.store: Store = kg.store
        path = decisions if decisions is not None else getattr(kg, "decisions_path", None)
        if path is None:
            path = default_decisions_path(getattr(self.store, "path", None))
        self.path = Path(path) if path is not None else None
        self.agent = agent

    def close(self) -> None:
        self.kg.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------------
    def decisions(self) -> list[Decision]:
        """Every decision: the store's review graph and the decisions file together, in order."""
        return merged_log(stored_decisions(self.store), read_decisions(self.path) if self.path else [])

    def relations(self, *, predicate: str | None = None, entity: str | None = None, article: str | None = None,
                  status: str = "unreviewed", limit: int | None = None) -> list[dict]:
        """Relations to check, lowest confidence first: id, subject, predicate, object, confidence
        (the best of its evidence), status, articles, evidence sentences and how each sentence
        asserts it (``asserted``: "stated", "reported by Nur Otan", ...).

        ``status``: unreviewed (default), accepted, rejected, corrected, or all."""
        statuses = ("unreviewed", "accepted", "rejected", "corrected", "all")
        if status not in statuses:
            raise InputError(f"unknown status {status!r}; use one of: {', '.join(statuses)}")
        if predicate is not None and predicate not in PREDICATES:
            raise InputError(f"unknown predicate {predicate!r}; use one of: {', '.join(PREDICATES)}")
        wanted = self.kg.resolve(entity).iri if entity else None
        rows = self._grouped()
        out = []
        for row in rows:
            if predicate and row["predicate"] != predicate:
                continue
            if wanted and wanted not in (row["subject_iri"], row["object_iri"]):
                continue
            if article and article not in row["articles"]:
                continue
            if status != "all" and row["status"] != status:
                continue
            out.append(row)
        out.sort(key=lambda r: (r["confidence"], r["id"]))
        return out[:limit] if limit else out

    def _grouped(self) -> list[dict]:
        groups: dict[tuple, dict] = {}
        for st, cls, s, p, o, sl, ol, aid, sentence, conf, status, mode, by in self.store.query(_STATEMENTS_QUERY).rows:
            predicate = str(p).rpartition("#")[2]
            key = (str(s), predicate, str(o))
            row = groups.get(key)
            if row is None:
                row = groups[key] = {
                    "id": relation_id(*key), "subject": str(sl) if sl is not None else str(s), "predicate": predicate,
                    "object": str(ol) if ol is not None else str(o), "confidence": 0.0, "status": "unreviewed",
                    "evidence": 0, "articles": [], "sentences": [], "asserted": [], "subject_iri": str(s), "object_iri": str(o),
                    "_facts": 0, "_denied": 0,
                }
            row["confidence"] = max(row["confidence"], float(conf.toPython()))
            row["evidence"] += 1
            if str(aid) not in row["articles"]:
                row["articles"].append(str(aid))
            if str(sentence) not in row["sentences"]:
                row["sentences"].append(str(sentence))
                # who says so, per sentence: "stated", "reported by Nur Otan", "alleged", "denied by X"
                said = str(mode) if mode is not None else "stated"
                row["asserted"].append(f"{said} by {by}" if by is not None else said)
            if status is not None:
                row["status"] = str(status)
            row["_facts"] += cls == KG.Fact
            row["_denied"] += mode is not None and str(mode) == "denied" and status is None
        out = []
        for row in groups.values():
            if row["status"] == "unreviewed" and not row["_facts"]:
                continue  # a denial nobody reviewed is a recorded claim, not a fact to check
            for key in ("_facts", "_denied"):
                row.pop(key)
            row["articles"].sort()
            out.append(row)
        return out

    def relation(self, rid: str) -> dict:
        """The relation with this id (or unique id prefix), whatever its status."""
        rid = rid.strip()
        matches = [r for r in self._grouped() if r["id"] == rid or (len(rid) >= 6 and r["id"].startswith(rid))]
        if len(matches) != 1:
            problem = "no relation" if not matches else f"{len(matches)} relations"
            raise InputError(f"{problem} with id {rid!r}; list the ids with `kgraph review --store DIR --status all`")
        return matches[0]

    def log(self) -> list[dict]:
        """Every decision with its status: "applied", or "orphaned" when nothing it acted on
        (statements, articles) is left in the store."""
        decisions = self.decisions()
        stored = {d.id for d in stored_decisions(self.store)}
        active = {str(r[0]).rpartition("/")[2] for r in self.store.query(
            "SELECT DISTINCT ?r WHERE { GRAPH ?g { ?x kg:reviewedIn ?r } }").rows}
        articles = {str(r[0]) for r in self.store.query("SELECT DISTINCT ?id WHERE { GRAPH ?g { ?a a kg:Article ; kg:articleId ?id } }").rows}
        out = []
        for d in decisions:
            if d.id not in stored:
                state = "pending"
            elif d.action in _RELATION_ACTIONS:
                state = "applied" if d.id in active else "orphaned"
            else:
                state = "applied" if set(d.articles) & articles else "orphaned"
            what = (f"{d.labels.get('subject', d.relation[0])} {d.relation[1]} {d.labels.get('object', d.relation[2])}"
                    if d.relation else f"{d.labels.get('entity', d.entity)}"
                    + (f" + {d.labels.get('other', d.other)}" if d.other else "")
                    + (f" in {d.article}" if d.article else ""))
            out.append({"id": d.id, "action": d.action, "what": what, "relation": d.relation_id, "agent": d.agent,
                        "time": d.time, "note": d.note, "status": state, "articles": list(d.articles)})
        return out

    # -- deciding -----------------------------------------------------------------------------
    def accept(self, rid: str, *, note: str | None = None, agent: str | None = None) -> Decision:
        """The relation is right, with all its evidence (gold for ``export_gold``)."""
        return self._relation_decision("accept", rid, note, agent)

    def reject(self, rid: str, *, note: str | None = None, agent: str | None = None) -> Decision:
        """The relation is wrong: its statements become rejected claims and its direct triple goes,
        now and in every later build."""
        return self._relation_decision("reject", rid, note, agent)

    def correct(self, rid: str, *, subject: str | None = None, object: str | None = None,
                note: str | None = None, agent: str | None = None) -> Decision:
        """The relation's evidence states it about another subject and/or object (names in any spelling)."""
        if not subject and not object:
            raise InputError("give the right --subject NAME and/or --object NAME")
        extra: dict[str, Any] = {}
        entities = []
        labels = {}
        row = self.relation(rid)
        for key, name in (("subject", subject), ("object", object)):
            if name:
                target = self.kg.resolve(name)
                allowed = _ENDS[row["predicate"]][0 if key == "subject" else 1]
                if target.type not in allowed:
                    raise InputError(f"the {key} of {row['predicate']} must be: {' or '.join(allowed)}; "
                                     f"{target.label} is a {target.type}")
                other = row["object_iri"] if key == "subject" else row["subject_iri"]
                if target.iri == (extra.get("object") or other if key == "subject" else extra.get("subject") or other):
                    raise InputError(f"{target.label} cannot be both the subject and the object of a relation")
                extra[key] = target.iri
                labels["new_" + key] = target.label
                entities.append({"iri": target.iri, "type": target.type, "label": target.label})
        return self._relation_decision("correct", rid, note, agent, entities=tuple(entities), extra_labels=labels, **extra)

    def merge(self, keep: str, other: str, *, note: str | None = None, agent: str | None = None) -> Decision:
        """``other`` is the same entity as ``keep``: one entity in every article, now and later."""
        first, second = self._stored_entity(keep), self._stored_entity(other)
        if first.iri == second.iri:
            raise InputError(f"{keep!r} and {other!r} are already one entity ({first.label})")
        articles = self._articles_mentioning(second.iri)
        decision = _new_decision(
            "merge", agent or self.agent, note, entity=first.iri, other=second.iri,
            entities=({"iri": first.iri, "type": first.type, "label": first.label},), articles=tuple(articles),
            labels={"entity": first.label, "other": second.label},
        )
        return self._record([decision], {str(article_graph_iri(a)) for a in articles})

    def split(self, entity: str, article: str, *, note: str | None = None, agent: str | None = None) -> Decision:
        """In ``article``, the mentions linked to ``entity`` are another entity (named as that article names it)."""
        found = self._stored_entity(entity)
        graph = str(article_graph_iri(article))
        if graph not in self.store.graph_names():
            raise InputError(f"unknown article id {article!r}; see the ids with `kgraph query articles --store DIR`")
        names = [str(r[0]) for r in self.store.query(f"""SELECT ?t WHERE {{ GRAPH <{graph}> {{
            ?m kg:refersTo <{found.iri}> ; kg:anchorText ?t ; kg:mentionKind ?k FILTER(?k IN ("name", "alias", "acronym")) }} }}""").rows]
        if not names:
            raise InputError(f"article {article} does not mention {found.label}; nothing to split")
        label = max(sorted(set(names)), key=len)
        new = str(entity_iri(found.type, f"{label} {article[:8]}"))
        decision = _new_decision(
            "split", agent or self.agent, note, entity=found.iri, article=article, new_entity=new,
            entities=({"iri": new, "type": found.type, "label": label},), articles=(article,),
            labels={"entity": found.label, "new_entity": label},
        )
        return self._record([decision], {graph})

    def apply_pending(self) -> list[Decision]:
        """Apply to the store the decisions of the file that it does not hold yet (e.g. a teammate's)."""
        stored = {d.id for d in stored_decisions(self.store)}
        pending = [d for d in self.decisions() if d.id not in stored]
        if pending:
            graphs: set[str] = set()
            for d in pending:
                graphs |= self._graphs_of(d)
            self._record(pending, graphs)
        return pending

    # -- export -------------------------------------------------------------------------------
    def export_gold(self, path: str | os.PathLike) -> int:
        """Write gold annotations (the schema of EVAL.md) from the reviewed relations: per article
        with a reviewed statement, accepted and corrected relations are ``relations``, relations
        nobody reviewed are ``optional_relations`` (neither rewarded nor penalised), rejected ones
        are left out (a system that states them is wrong). Returns the number of articles written.
        Score with ``kgraph evaluate FILE --texts ARTICLES_DIR``."""
        rows = self.store.query("""SELECT ?aid ?date ?title ?s ?p ?o ?status ?class WHERE {
            VALUES ?class { kg:Fact kg:Claim }
            ?st a ?class ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?a .
            ?a kg:articleId ?aid . OPTIONAL { ?a dcterms:date ?date } OPTIONAL { ?a dcterms:title ?title }
            OPTIONAL { ?st kg:reviewStatus ?status } }""").rows
        by_article: dict[str, dict] = {}
        for aid, date, title, s, p, o, status, cls in rows:
            entry = by_article.setdefault(str(aid), {"id": str(aid), "date": str(date) if date else None,
                                                      "title": str(title) if title else None,
                                                      "gold": set(), "optional": set(), "reviewed": False})
            triple = (str(s), str(p).rpartition("#")[2], str(o))
            if status is not None:
                entry["reviewed"] = True
            if status is not None and str(status) in ("accepted", "corrected") and cls == KG.Fact:
                entry["gold"].add(triple)
            elif status is None and cls == KG.Fact:
                entry["optional"].add(triple)
        labels, types, forms = self._entity_descriptions()
        written = 0
        path = Path(path)
        with path.open("w", encoding="utf-8") as out:
            for aid in sorted(by_article):
                entry = by_article[aid]
                if not entry["reviewed"]:
                    continue
                optional = entry["optional"] - entry["gold"]
                iris = sorted({e for t in entry["gold"] | optional for e in (t[0], t[2])})
                line = {
                    "id": aid, "date": entry["date"], "title": entry["title"],
                    "entities": [{"name": labels.get(i, i), "type": types.get(i), "mentions": sorted(forms.get(i, {labels.get(i, i)})),
                                  "wikidata": None} for i in iris],
                    "relations": [{"subject": labels.get(s, s), "predicate": p, "object": labels.get(o, o)} for s, p, o in sorted(entry["gold"])],
                    "optional_relations": [{"subject": labels.get(s, s), "predicate": p, "object": labels.get(o, o)} for s, p, o in sorted(optional)],
                }
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                written += 1
        return written

    # -- internals ----------------------------------------------------------------------------
    def _entity_descriptions(self):
        labels: dict[str, str] = {}
        types: dict[str, str] = {}
        forms: dict[str, set[str]] = {}
        for e in _load_entities(self.store):
            labels[e.iri], types[e.iri] = e.label, e.type
            forms[e.iri] = {e.label, *e.aliases}
        return labels, types, forms

    def _stored_entity(self, name: str) -> Entity:
        entity = self.kg.resolve(name)
        if entity.iri not in {e.iri for e in _load_entities(self.store)}:
            raise InputError(f"{entity.label} ({name!r}) is not an entity of this graph; see `kgraph query entities --store DIR`")
        return entity

    def _articles_mentioning(self, iri: str) -> list[str]:
        rows = self.store.query(f"""SELECT DISTINCT ?id WHERE {{ GRAPH ?g {{ ?a a kg:Article ; kg:articleId ?id .
            {{ ?a kg:mentions <{iri}> }} UNION {{ ?x kg:assertedBy <{iri}> }} }} }}""").rows
        return sorted(str(r[0]) for r in rows)

    def _relation_decision(self, action: str, rid: str, note, agent, *, entities=(), extra_labels=None, **extra) -> Decision:
        row = self.relation(rid)
        relation = (row["subject_iri"], row["predicate"], row["object_iri"])
        labels = {"subject": row["subject"], "object": row["object"], **(extra_labels or {})}
        decision = _new_decision(action, agent or self.agent, note, relation=relation, entities=entities,
                                 articles=tuple(row["articles"]), labels=labels, **extra)
        return self._record([decision], {str(article_graph_iri(a)) for a in row["articles"]})

    def _graphs_of(self, d: Decision) -> set[str]:
        """The article graphs a decision acts on, as the store is now."""
        if d.action in _RELATION_ACTIONS:
            s, p, o = d.relation
            rows = self.store.query(f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ VALUES ?c {{ kg:Fact kg:Claim }}
                ?st a ?c ; rdf:subject <{s}> ; rdf:predicate {KG[p].n3()} ; rdf:object <{o}> }} }}""").rows
        elif d.action == "merge":
            rows = self.store.query(f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ ?x ?p <{d.other}> }} UNION {{ <{d.other}> ?p ?x }} }} }}""").rows
        else:
            rows = [(article_graph_iri(d.article),)]
        return {str(r[0]) for r in rows} & self.store.graph_names() - {str(REVIEW_GRAPH)}

    def _record(self, new: list[Decision], graphs: set[str]):
        """Write ``new`` decisions: the article graphs they rewrite, the review graph and the
        default graph in one atomic store change, and the decisions file."""
        from kgraph.rdf.sync import plan_replace

        if getattr(self.store, "read_only", False):
            raise InputError("this graph is open read-only; open it with kgraph.open_graph(store=DIR, read_only=False)")
        log = merged_log(self.decisions(), new)
        replace: dict[str, list[Triple]] = {}
        for graph in sorted(graphs):
            rows = self.store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
            old = [tuple(r) for r in rows]
            rewritten = apply_decisions(old, new)
            if set(rewritten) != set(old):
                replace[graph] = rewritten
        replace[str(REVIEW_GRAPH)] = review_graph_triples(log)
        stored = {e.iri for e in _load_entities(self.store)}
        introduced = [Entity(iri=e["iri"], type=e["type"], label=e["label"]) for d in new for e in d.entities
                      if e["iri"] not in stored]
        changes = plan_replace(self.store, replace, introduced)
        previous = read_decisions(self.path) if self.path is not None else None
        if self.path is not None:
            write_decisions(self.path, log)
        try:
            self.store.apply(changes)
        except BaseException:
            if self.path is not None:  # the file says what the store holds: undo it
                write_decisions(self.path, previous or [])
            raise
        return new[0] if len(new) == 1 else new


def _load_entities(store: Store) -> list[Entity]:
    from kgraph.rdf.sync import load_entities

    return load_entities(store)


def entities_from_decisions(decisions: Iterable[Decision]) -> list[Entity]:
    """The entities decisions bring in (to describe them when a build meets them first)."""
    out: dict[str, Entity] = {}
    for d in decisions:
        for e in d.entities:
            out.setdefault(e["iri"], Entity(iri=e["iri"], type=e["type"], label=e["label"]))
    return list(out.values())

