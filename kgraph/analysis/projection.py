"""The NetworkX view of a store: entities as nodes, relations with their evidence as edges, and projections.

:func:`to_networkx` reads the store layout of ``ARCHITECTURE.md`` with three SPARQL queries
(entities, direct relation triples, facts with their article) and returns a
``networkx.MultiDiGraph``:

* one node per entity, keyed by its IRI, with ``iri``, ``label``, ``type`` (local name of its
  class: Person, PoliticalParty, Organization, Election) and ``wikidata`` (``"Q..."`` or None);
* one edge per ``(subject, predicate, object)``, keyed by the relation's local name
  (``G[s][o]["leads"]``), with ``relation``, ``predicate`` (the IRI) and ``evidence``: every
  fact behind it, as dicts with ``fact``, ``article``, ``title``, ``date`` (ISO string),
  ``sentence`` and ``confidence``, oldest first.

:func:`person_projection` and :func:`party_projection` fold that graph into weighted
undirected graphs: people linked by the parties they share, parties linked by the people
they share.
"""
from __future__ import annotations

from typing import Iterable

import networkx as nx

from kgraph.model import ENTITY_TYPES, PREDICATES
from kgraph.rdf.namespace import KG, TYPE_SEGMENTS

__all__ = [
    "AFFILIATIONS",
    "COMENTION",
    "to_networkx",
    "person_projection",
    "party_projection",
]

#: the relations that tie a person to a party or organization, past or present
AFFILIATIONS = ("memberOf", "leads", "expelledFrom")
#: edge key of a co-mention: two entities named in one sentence (the weakest evidence; no relation)
COMENTION = "mentionedWith"

_ENTITY_QUERY = """
SELECT ?entity ?type ?label ?wikidata WHERE {
  VALUES ?type { kg:Person kg:PoliticalParty kg:Organization kg:Election }
  ?entity a ?type .
  OPTIONAL { ?entity rdfs:label ?label }
  OPTIONAL { ?entity kg:wikidataId ?wikidata }
}
"""

_RELATION_QUERY = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { kg:leads kg:memberOf kg:expelledFrom kg:boycotted }
  ?s ?p ?o .
}
"""

_FACT_QUERY = """
SELECT ?fact ?s ?p ?o ?article ?title ?date ?sentence ?confidence WHERE {
  VALUES ?p { kg:leads kg:memberOf kg:expelledFrom kg:boycotted }
  ?fact a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?fact prov:wasDerivedFrom ?article .
             OPTIONAL { ?article dcterms:title ?title }
             OPTIONAL { ?article dcterms:date ?date } }
  OPTIONAL { ?fact kg:sentence ?sentence }
  OPTIONAL { ?fact kg:confidence ?confidence }
}
"""

# Two entities named (or referred to) in the same sentence of an article; one row per sentence.
_COMENTION_QUERY = """
SELECT DISTINCT ?a ?b ?article ?title ?date ?sentence WHERE {
  ?m1 kg:refersTo ?a ; kg:inArticle ?article ; kg:sentenceBeginIndex ?sb ; kg:sentence ?sentence .
  ?m2 kg:refersTo ?b ; kg:inArticle ?article ; kg:sentenceBeginIndex ?sb .
  FILTER(STR(?a) < STR(?b))
  OPTIONAL { ?article dcterms:title ?title }
  OPTIONAL { ?article dcterms:date ?date }
}
"""

_KG_NS = str(KG._NS)
_SEGMENT_TYPES = {segment: type_ for type_, segment in TYPE_SEGMENTS.items()}


def _text(term) -> str | None:
    return None if term is None else str(term)


def _local_name(iri: str) -> str:
    return iri[len(_KG_NS):] if iri.startswith(_KG_NS) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _fallback_node(iri: str) -> dict:
    """Attributes of an entity that a relation names but the store does not describe
    (a graph file without the derived default graph): type from the IRI path, label from its slug."""
    parts = iri.rstrip("/").split("/")
    type_ = _SEGMENT_TYPES.get(parts[-2]) if len(parts) >= 2 else None
    label = parts[-1].replace("-", " ").strip() or iri
    return {"iri": iri, "label": label, "type": type_, "wikidata": None}


def _confidence(term) -> float | None:
    if term is None:
        return None
    try:
        return float(term)
    except ValueError:
        return None


def to_networkx(store, *, comentions: bool = False) -> nx.MultiDiGraph:
    """The knowledge graph in a store as a NetworkX multigraph with evidence on every edge.

    Parameters
    ----------
    store : kgraph.rdf.store.Store
        Any store holding the kgraph layout (``store.query(sparql)`` with kgraph's prefixes
        predeclared and the default graph as the union of all graphs).
    comentions : bool
        Also add an edge keyed ``"mentionedWith"`` (:data:`COMENTION`) between every two
        entities named in one sentence, its evidence the sentences. No relation is claimed:
        it is how ``kgraph path`` still connects actors that no extracted relation links.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by entity IRI with ``iri``, ``label``, ``type``, ``wikidata``; edges keyed
        by relation (``"leads"``, ``"memberOf"``, ``"expelledFrom"``, ``"boycotted"``) with
        ``relation``, ``predicate`` and ``evidence`` (list of dicts: ``fact``, ``article``,
        ``title``, ``date``, ``sentence``, ``confidence``; oldest article first).

    Examples
    --------
    >>> from kgraph.model import Entity
    >>> from kgraph.rdf.build import entity_triples, relation_triple
    >>> from kgraph.rdf.store import Changes, open_store
    >>> ann = Entity("https://w3id.org/kgraph/id/person/ann-lee", "Person", "Ann Lee")
    >>> blue = Entity("https://w3id.org/kgraph/id/party/blue", "PoliticalParty", "Blue", wikidata="Q1")
    >>> store = open_store(None)
    >>> store.apply(Changes(default_add=[*entity_triples(ann), *entity_triples(blue),
    ...                                  relation_triple(ann, "leads", blue)]))
    >>> G = to_networkx(store)
    >>> G.nodes[blue.iri]["label"], G.nodes[blue.iri]["type"], G.nodes[blue.iri]["wikidata"]
    ('Blue', 'PoliticalParty', 'Q1')
    >>> list(G.edges(keys=True)) == [(ann.iri, blue.iri, "leads")]
    True
    >>> G.edges[ann.iri, blue.iri, "leads"]["evidence"]  # facts with sentences come from article graphs
    []
    """
    G = nx.MultiDiGraph()
    known_types = {_KG_NS + t: t for t in ENTITY_TYPES}

    for entity, type_, label, wikidata in store.query(_ENTITY_QUERY):
        iri = str(entity)
        if iri in G:  # an entity with a second label breaks the contract; keep the first
            continue
        G.add_node(
            iri,
            iri=iri,
            label=_text(label) or _fallback_node(iri)["label"],
            type=known_types.get(str(type_)),
            wikidata=_text(wikidata),
        )

    def add_edge(s: str, p: str, o: str) -> dict:
        for node in (s, o):
            if node not in G:
                G.add_node(node, **_fallback_node(node))
        relation = _local_name(p)
        if not G.has_edge(s, o, key=relation):
            G.add_edge(s, o, key=relation, relation=relation, predicate=p, evidence=[])
        return G.edges[s, o, relation]

    for s, p, o in store.query(_RELATION_QUERY):
        add_edge(str(s), str(p), str(o))

    for fact, s, p, o, article, title, date, sentence, confidence in store.query(_FACT_QUERY):
        edge = add_edge(str(s), str(p), str(o))
        if any(item["fact"] == str(fact) for item in edge["evidence"]):
            continue  # an article with two titles would repeat the fact; one entry is enough
        edge["evidence"].append({
            "fact": str(fact),
            "article": _text(article),
            "title": _text(title),
            "date": _text(date),
            "sentence": _text(sentence),
            "confidence": _confidence(confidence),
        })

    if comentions:
        for a, b, article, title, date, sentence in store.query(_COMENTION_QUERY):
            a, b = str(a), str(b)
            if a not in G or b not in G:
                continue  # an entity without a class: not part of the graph
            if not G.has_edge(a, b, key=COMENTION):
                G.add_edge(a, b, key=COMENTION, relation=COMENTION, predicate=None, evidence=[])
            G.edges[a, b, COMENTION]["evidence"].append({
                "fact": None,
                "article": _text(article),
                "title": _text(title),
                "date": _text(date),
                "sentence": _text(sentence),
                "confidence": None,
            })

    for _, _, data in G.edges(data=True):
        data["evidence"].sort(key=lambda e: (e["date"] or "", e["article"] or "", e["fact"] or e["sentence"] or ""))
    return G


def _affiliations(G: nx.MultiDiGraph, relations: Iterable[str], group_types: Iterable[str]):
    """(person, group) pairs tied by one of ``relations``, the group of one of ``group_types``."""
    relations, group_types = set(relations), set(group_types)
    unknown = relations - set(PREDICATES)
    if unknown:
        raise ValueError(
            f"unknown relation(s) {sorted(unknown)!r}; known: {', '.join(PREDICATES)}. "
            "Pass relation names such as relations=('memberOf', 'leads')."
        )
    pairs = set()
    for s, o, key in G.edges(keys=True):
        if key in relations and G.nodes[s].get("type") == "Person" and G.nodes[o].get("type") in group_types:
            pairs.add((s, o))
    return pairs


def _bipartite_fold(pairs, *, people_side: bool) -> nx.Graph:
    """Fold (person, group) pairs onto one side: two nodes meet once per shared node of the other side."""
    from itertools import combinations

    by_shared: dict[str, set[str]] = {}
    for person, group in pairs:
        kept, shared = (person, group) if people_side else (group, person)
        by_shared.setdefault(shared, set()).add(kept)
    H = nx.Graph()
    for shared, kept_nodes in sorted(by_shared.items()):
        H.add_nodes_from(kept_nodes)
        for u, v in combinations(sorted(kept_nodes), 2):
            if H.has_edge(u, v):
                H[u][v]["weight"] += 1
                H[u][v]["shared"].append(shared)
            else:
                H.add_edge(u, v, weight=1, shared=[shared])
    return H


def _copy_node_attributes(G, H) -> nx.Graph:
    for node in H:
        H.nodes[node].update(G.nodes[node])
    return H


def person_projection(
    G: nx.MultiDiGraph,
    *,
    relations: Iterable[str] = AFFILIATIONS,
    group_types: Iterable[str] = ("PoliticalParty",),
) -> nx.Graph:
    """People linked by the parties they share.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph of :func:`to_networkx`.
    relations : iterable of str
        The relations that tie a person to a party (default: memberOf, leads, expelledFrom,
        i.e. any affiliation, past or present).
    group_types : iterable of str
        Entity types that count as a party (add ``"Organization"`` to include organizations).

    Returns
    -------
    networkx.Graph
        Every affiliated person, with the node attributes of ``G``; an edge between two people
        per shared party, ``weight`` = number of shared parties, ``shared`` = their IRIs.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"type": "Person"}), ("b", {"type": "Person"}),
    ...                   ("p", {"type": "PoliticalParty"})])
    >>> _ = G.add_edge("a", "p", key="leads")
    >>> _ = G.add_edge("b", "p", key="memberOf")
    >>> P = person_projection(G)
    >>> P["a"]["b"]["weight"], P["a"]["b"]["shared"]
    (1, ['p'])
    """
    pairs = _affiliations(G, relations, group_types)
    return _copy_node_attributes(G, _bipartite_fold(pairs, people_side=True))


def party_projection(
    G: nx.MultiDiGraph,
    *,
    relations: Iterable[str] = AFFILIATIONS,
    group_types: Iterable[str] = ("PoliticalParty",),
) -> nx.Graph:
    """Parties linked by the people they share (a member of one who led, joined or was
    expelled from another).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph of :func:`to_networkx`.
    relations : iterable of str
        The relations that tie a person to a party (default: memberOf, leads, expelledFrom).
    group_types : iterable of str
        Entity types that count as a party.

    Returns
    -------
    networkx.Graph
        Every party with at least one affiliated person; an edge between two parties per
        shared person, ``weight`` = number of shared people, ``shared`` = their IRIs.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("x", {"type": "Person"}), ("p", {"type": "PoliticalParty"}),
    ...                   ("q", {"type": "PoliticalParty"})])
    >>> _ = G.add_edge("x", "p", key="expelledFrom")
    >>> _ = G.add_edge("x", "q", key="memberOf")
    >>> Q = party_projection(G)
    >>> Q["p"]["q"]["weight"], Q["p"]["q"]["shared"]
    (1, ['x'])
    """
    pairs = _affiliations(G, relations, group_types)
    return _copy_node_attributes(G, _bipartite_fold(pairs, people_side=False))
