"""Plan store changes: replace article graphs and keep the derived default graph in step with them.

The default graph is a view of the article graphs (see ``kgraph.rdf.store``): an entity's
description exists while some article mentions it, its ``skos:altLabel``s are the names seen
in the articles' mentions, and a direct triple ``S kg:leads O`` exists while at least one
``kg:Fact`` in some article graph supports it. ``plan_build`` and ``plan_removal`` compute,
for the entities and triples a change touches only, the exact ``Changes`` that keep this true;
they read the store through SPARQL and never write (``store.apply`` does, atomically).
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kgraph.errors import InputError
from kgraph.model import ENTITY_TYPES, PREDICATES, ArticleAnalysis, Entity
from kgraph.rdf.build import NAME_KINDS, article_triples, entity_triples
from kgraph.rdf.namespace import ID, KG, article_graph_iri
from kgraph.rdf.store import Changes, Store, Triple

__all__ = ["plan_build", "plan_removal", "plan_replace", "plan_graph", "load_entities", "article_ids"]

_RELATIONS = tuple(KG[p] for p in PREDICATES)
_DESCRIPTION = (RDF.type, RDFS.label, SKOS.altLabel, OWL.sameAs, KG.wikidataId, KG.kbId)
_CLASSES = {KG[t]: t for t in ENTITY_TYPES}
# KG.x is an attribute lookup with validation: bind the hot ones once
_MENTIONS, _REFERS_TO, _ANCHOR, _KIND = KG.mentions, KG.refersTo, KG.anchorText, KG.mentionKind
_FACT, _MENTION = KG.Fact, KG.Mention
_SUBJECT, _PREDICATE, _OBJECT = RDF.subject, RDF.predicate, RDF.object
#: predicate -> what _read_article takes from it
_READ_PREDICATES = {
    RDF.type: "type", _MENTIONS: "ref", _REFERS_TO: "ref", _SUBJECT: "fact", _PREDICATE: "fact",
    _OBJECT: "fact", _KIND: "mention", _ANCHOR: "mention",
}
_CHUNK = 1000  # IRIs per VALUES block: keeps each query small for remote endpoints too
_GRAPH_PREFIX = str(ID["graph/"])
_ARTICLE_PREFIX = str(ID["article/"])


# -- public API -----------------------------------------------------------------------------
def plan_build(
    store: Store,
    items: list[tuple[ArticleAnalysis, dict[int, Entity]]],
    entities: Iterable[Entity] = (),
    rewrite: Callable[[list[Triple]], list[Triple]] | None = None,
) -> Changes:
    """The changes that put these analysed, linked articles into ``store``.

    An article whose graph would be identical to the stored one (same ``kg:contentHash``)
    is skipped, so re-building the same articles gives empty ``Changes``. ``entities``
    (canonical entities, e.g. from the linker) override the stored label/type/Wikidata of
    the entities they name; entities in ``links`` are used otherwise. ``rewrite``, when given,
    turns each article graph into the one to store (``kgraph.review`` re-applies reviewers'
    decisions this way); it returns the triples with their ``kg:contentHash`` last.
    """
    new_graphs: dict[str, list[Triple]] = {}
    known: dict[str, Entity] = {}
    for analysis, links in items:
        triples = article_triples(analysis, links)
        new_graphs[str(article_graph_iri(analysis.article.id))] = rewrite(triples) if rewrite else triples
        for entity in links.values():
            known[entity.iri] = entity
    explicit = list(entities)
    for entity in explicit:
        known[entity.iri] = entity

    stored = _stored_hashes(store, list(new_graphs))
    changed = {g: t for g, t in new_graphs.items() if stored.get(g) != _content_hash(t)}
    # an entity handed over explicitly is re-described even if no changed article names it,
    # so a knowledge-base update (a new Wikidata id, a better label) reaches the store
    return _plan(store, replace=changed, drop=set(), known=known, extra={e.iri for e in explicit})


def plan_graph(store: Store, graph: str, triples: list[Triple], entities: Iterable[Entity] = ()) -> Changes:
    """The changes that put one non-article named graph (e.g. the curated lineage) into ``store``,
    keeping the default graph in step like an article's: the entities it ``kg:mentions`` are
    described (from ``entities``) while it mentions them. Nothing changes if its
    ``kg:contentHash`` is the stored one."""
    known = {e.iri: e for e in entities}
    rows = _select_in(store, "g", [graph], """SELECT ?h WHERE { $VALUES GRAPH ?g { ?a kg:contentHash ?h } }""")
    if rows and str(rows[0][0]) == _content_hash(triples):
        return Changes()
    return _plan(store, replace={graph: triples}, drop=set(), known=known, extra=set(known))


def plan_removal(store: Store, article_ids: Iterable[str]) -> Changes:
    """The changes that remove these articles: their graphs, the direct triples only they
    supported, the entities only they mentioned; the other entities' aliases are recomputed.

    An id may be given bare, or as the article's or its graph's IRI.
    """
    present = store.graph_names()
    drop: set[str] = set()
    unknown: list[str] = []
    for given in article_ids:
        graph = _graph_of(given)
        (drop.add(graph) if graph in present else unknown.append(given))
    if unknown:
        raise InputError(
            f"unknown article id(s): {', '.join(unknown)}; "
            "see the ids in the store with `kgraph stats` (or the `articles` named query)"
        )
    return _plan(store, replace={}, drop=drop, known={}, extra=set())


def plan_replace(store: Store, graphs: dict[str, list[Triple]], entities: Iterable[Entity] = ()) -> Changes:
    """The changes that replace these named graphs with the given triples, as they are (e.g. article
    graphs rewritten by a review decision, and the review graph), with the default graph kept in
    step. ``entities`` describe entities the new graphs may introduce (stored ones are kept)."""
    explicit = list(entities)
    return _plan(store, replace=dict(graphs), drop=set(), known={e.iri: e for e in explicit}, extra={e.iri for e in explicit})


def load_entities(store: Store) -> list[Entity]:
    """The entities of the store's default graph (for linking new articles to them)."""
    rows = _select(
        store,
        """SELECT ?e ?type ?label ?alt ?wd ?kb WHERE {
             VALUES ?type { kg:Person kg:PoliticalParty kg:Organization kg:Election }
             ?e a ?type ; rdfs:label ?label .
             OPTIONAL { ?e skos:altLabel ?alt } OPTIONAL { ?e kg:wikidataId ?wd } OPTIONAL { ?e kg:kbId ?kb }
           }""",
    )
    found: dict[str, Entity] = {}
    for e, type_, label, alt, wd, kb in rows:
        entity = found.get(str(e))
        if entity is None:
            entity = found[str(e)] = Entity(
                iri=str(e), type=_CLASSES[type_], label=str(label),
                wikidata=str(wd) if wd is not None else None, kb_id=str(kb) if kb is not None else None,
            )
        if alt is not None:
            entity.aliases.add(str(alt))
    return sorted(found.values(), key=lambda e: e.iri)


def article_ids(store: Store) -> dict[str, str]:
    """Article id -> ``kg:contentHash`` of its graph ("" when the graph has none)."""
    rows = _select(
        store,
        """SELECT ?id ?h WHERE { GRAPH ?g { ?a a kg:Article ; kg:articleId ?id . OPTIONAL { ?a kg:contentHash ?h } } }""",
    )
    return {str(i): str(h) if h is not None else "" for i, h in rows}


# -- planning -------------------------------------------------------------------------------
def _plan(store: Store, replace: dict[str, list[Triple]], drop: set[str], known: dict[str, Entity], extra: set[str]) -> Changes:
    affected = set(replace) | drop
    changes = Changes(replace_graphs=dict(replace), drop_graphs=set(drop))
    if not affected and not extra:
        return changes

    # what the affected graphs said before, and what the new versions say
    old_refs = {str(r[0]) for r in _select_in(store, "g", affected, """SELECT DISTINCT ?e WHERE { $VALUES
        GRAPH ?g { { ?a kg:mentions ?e } UNION { ?m kg:refersTo ?e } } }""")}
    old_facts = {tuple(r) for r in _select_in(store, "g", affected, """SELECT DISTINCT ?s ?p ?o WHERE { $VALUES
        GRAPH ?g { ?f a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }""")}
    new_refs: set[str] = set()
    new_facts: set[Triple] = set()
    new_forms: dict[str, set[str]] = {}
    for triples in replace.values():
        refs, facts, forms = _read_article(triples)
        new_refs |= refs
        new_facts |= facts
        for iri, names in forms.items():
            new_forms.setdefault(iri, set()).update(names)

    touched = old_refs | new_refs | extra
    if not touched:
        return changes

    # what the untouched graphs still say about the touched entities
    minus = _minus(affected)
    still_mentioned = {str(r[0]) for r in _select_in(store, "e", touched, f"""SELECT DISTINCT ?e WHERE {{ $VALUES
        GRAPH ?g {{ ?a kg:mentions ?e }} {minus} }}""")} | new_refs
    forms: dict[str, set[str]] = {iri: set(names) for iri, names in new_forms.items()}
    kinds = ", ".join(f'"{k}"' for k in sorted(NAME_KINDS))
    for e, text in _select_in(store, "e", touched, f"""SELECT DISTINCT ?e ?t WHERE {{ $VALUES
            GRAPH ?g {{ ?m kg:refersTo ?e ; kg:anchorText ?t ; kg:mentionKind ?k }}
            FILTER(STR(?k) IN ({kinds})) {minus} }}"""):
        forms.setdefault(str(e), set()).add(str(text))

    # the default graph as it is now, for the touched entities as subjects. Article graphs never
    # have an entity as the subject of these predicates, so the union is the default graph here
    # (a FILTER NOT EXISTS { GRAPH ?g ... } would say so explicitly but costs 100x more).
    # A second VALUES block, for ?p, would make Oxigraph scan every triple: filter instead.
    predicates = ", ".join(p.n3() for p in _DESCRIPTION + _RELATIONS)
    current: dict[str, set[Triple]] = {}
    for e, p, o in _select_in(store, "e", touched, f"""SELECT ?e ?p ?o WHERE {{ $VALUES
            ?e ?p ?o FILTER(?p IN ({predicates})) }}"""):
        current.setdefault(str(e), set()).add((e, p, o))

    # which candidate direct triples some remaining or new fact still supports
    candidates = set(old_facts) | new_facts
    for triples in current.values():
        candidates |= {t for t in triples if t[1] in _RELATIONS}
    subjects = {str(t[0]) for t in candidates}
    supported = {tuple(r) for r in _select_in(store, "s", subjects, f"""SELECT DISTINCT ?s ?p ?o WHERE {{ $VALUES
        GRAPH ?g {{ ?f a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }} {minus} }}""")}
    supported = (supported & candidates) | new_facts
    supported_by_subject: dict[str, set[Triple]] = {}
    for triple in supported:
        supported_by_subject.setdefault(str(triple[0]), set()).add(triple)

    for iri in sorted(touched):
        have = current.get(iri, set())
        want: set[Triple] = set()
        if iri in still_mentioned:
            base = known.get(iri) or _entity_from(iri, have)
            if base is not None:
                entity = Entity(
                    iri=iri, type=base.type, label=base.label,
                    aliases={f for f in forms.get(iri, ()) if f != base.label},
                    wikidata=base.wikidata, kb_id=base.kb_id,
                )
                want = set(entity_triples(entity))
        want |= supported_by_subject.get(iri, set())
        changes.default_remove += sorted(have - want, key=_triple_key)
        changes.default_add += sorted(want - have, key=_triple_key)
    return changes


def _triple_key(triple: Triple) -> tuple[str, str, str]:
    """A total order on triples (rdflib cannot compare literals of unrelated datatypes)."""
    return tuple(term.n3() for term in triple)


def _read_article(triples: list[Triple]) -> tuple[set[str], set[Triple], dict[str, set[str]]]:
    """Entities referenced, facts stated and names used (by entity) in one article graph."""
    # one pass keeping only the predicates read below (this runs for every article of a build)
    wanted = _READ_PREDICATES
    by_subject: dict[Node, dict[Node, Node]] = {}
    fact_nodes: list[Node] = []
    mention_nodes: list[Node] = []
    refs: set[str] = set()
    for s, p, o in triples:
        role = wanted.get(p)
        if role is None:
            continue
        if role == "type":
            if o == _FACT:
                fact_nodes.append(s)
            elif o == _MENTION:
                mention_nodes.append(s)
            continue
        if role == "ref":
            refs.add(str(o))
        by_subject.setdefault(s, {})[p] = o
    facts: set[Triple] = set()
    for node in fact_nodes:
        props = by_subject[node]
        facts.add((props[_SUBJECT], props[_PREDICATE], props[_OBJECT]))
    forms: dict[str, set[str]] = {}
    for node in mention_nodes:
        props = by_subject[node]
        if str(props.get(_KIND, "name")) in NAME_KINDS:
            forms.setdefault(str(props[_REFERS_TO]), set()).add(str(props[_ANCHOR]))
    return refs, facts, forms


def _entity_from(iri: str, description: set[Triple]) -> Entity | None:
    """An entity rebuilt from its stored default-graph description (None if it has none)."""
    types = [_CLASSES[o] for _, p, o in description if p == RDF.type and o in _CLASSES]
    labels = sorted(str(o) for _, p, o in description if p == RDFS.label)
    if not types or not labels:
        return None
    wikidata = next((str(o) for _, p, o in description if p == KG.wikidataId), None)
    kb_id = next((str(o) for _, p, o in description if p == KG.kbId), None)
    return Entity(iri=iri, type=sorted(types)[0], label=labels[0], wikidata=wikidata, kb_id=kb_id)


def _content_hash(triples: list[Triple]) -> str | None:
    if triples and triples[-1][1] == KG.contentHash:  # article_triples puts it last
        return str(triples[-1][2])
    return next((str(o) for _, p, o in triples if p == KG.contentHash), None)


def _stored_hashes(store: Store, graphs: list[str]) -> dict[str, str]:
    rows = _select_in(store, "g", graphs, """SELECT ?g ?h WHERE { $VALUES
        GRAPH ?g { ?a a kg:Article ; kg:contentHash ?h } }""")
    return {str(g): str(h) for g, h in rows}


def _graph_of(given: str) -> str:
    given = given.strip()
    if given.startswith(_GRAPH_PREFIX):
        return given
    if given.startswith(_ARTICLE_PREFIX):
        return str(article_graph_iri(given[len(_ARTICLE_PREFIX):]))
    return str(article_graph_iri(given))


# -- SPARQL helpers -------------------------------------------------------------------------
def _select(store: Store, sparql: str) -> list[tuple]:
    return list(store.query(sparql).rows)


def _chunks(items: list[str], size: int = _CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _iri_list(iris: Iterable[str]) -> str:
    return " ".join(URIRef(i).n3() for i in iris)


def _select_in(store: Store, var: str, iris: Iterable[str], template: str) -> list[tuple]:
    """Run ``template`` once per chunk of ``iris``, ``$VALUES`` replaced by ``VALUES ?var {...}``."""
    rows: list[tuple] = []
    for chunk in _chunks(sorted(set(iris))):
        rows += store.query(template.replace("$VALUES", f"VALUES ?{var} {{ {_iri_list(chunk)} }}")).rows
    return rows


def _minus(graphs: set[str]) -> str:
    """A pattern removing solutions whose ?g is one of ``graphs`` (the graphs being replaced)."""
    if not graphs:
        return ""
    return f"MINUS {{ VALUES ?g {{ {_iri_list(sorted(graphs))} }} }}"
