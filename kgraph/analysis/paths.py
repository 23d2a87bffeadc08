"""How actors are connected: shortest connections with the evidence of every hop, and ego networks.

Reachability ignores direction (a person and the party they lead are connected both ways),
but every hop reports the direction of the relation as stated: ``forward`` when the hop goes
from the relation's subject to its object, ``backward`` otherwise.
"""
from __future__ import annotations

import networkx as nx

from kgraph.analysis.projection import COMENTION
from kgraph.errors import EntityNotFoundError

__all__ = ["connection", "ego", "neighbors_table", "format_connection"]


def _require(G: nx.Graph, iri: str) -> None:
    if iri not in G:
        raise EntityNotFoundError(
            f"{iri} is not in the graph (it has no relation); pick an entity that appears in a "
            "relation, e.g. from `kgraph centrality`"
        )


def _best_evidence(evidence: list[dict]) -> dict:
    """The evidence to show first: highest confidence, then the most recent article."""
    if not evidence:
        return {}
    return max(evidence, key=lambda e: (e.get("confidence") or 0.0, e.get("date") or ""))


def _hop(G: nx.MultiDiGraph, u: str, v: str) -> dict:
    """The hop u -> v: the best-supported relation between them, in either direction."""
    candidates = []
    for a, b, direction in ((u, v, "forward"), (v, u, "backward")):
        if G.has_edge(a, b):
            for key, data in G[a][b].items():
                candidates.append((direction, key, data))
    direction, relation, data = max(
        candidates,
        key=lambda c: (c[1] != COMENTION, len(c[2].get("evidence", [])), _best_evidence(c[2].get("evidence", [])).get("confidence") or 0.0,
                       c[0] == "forward", c[1]),
    )
    evidence = data.get("evidence", [])
    best = _best_evidence(evidence)
    if relation == COMENTION:
        direction = "co-mention"  # named in one sentence: no direction, no relation claimed
    subject, obj = (u, v) if direction != "backward" else (v, u)
    return {
        "source": u,
        "source_label": G.nodes[u].get("label", u),
        "target": v,
        "target_label": G.nodes[v].get("label", v),
        "relation": relation,
        "direction": direction,
        "subject_label": G.nodes[subject].get("label", subject),
        "object_label": G.nodes[obj].get("label", obj),
        "sentence": best.get("sentence"),
        "article": best.get("article"),
        "title": best.get("title"),
        "date": best.get("date"),
        "confidence": best.get("confidence"),
        "evidence": evidence,
    }


def connection(G: nx.MultiDiGraph, source: str, target: str) -> list[dict]:
    """The shortest connection between two entities, every hop with the sentence behind it.

    A path of stated relations is preferred; only when there is none does it go through
    co-mention edges (``relation == "mentionedWith"``: named in the same sentence), which
    ``to_networkx(store, comentions=True)`` adds.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph of :func:`kgraph.analysis.projection.to_networkx`.
    source, target : str
        Entity IRIs (resolve names first, e.g. with ``kg.resolve(name).iri``).

    Returns
    -------
    list of dict
        One dict per hop, in order from ``source`` to ``target``: ``source``, ``target`` (IRIs),
        ``source_label``, ``target_label``, ``relation``, ``direction`` (``forward`` if the
        relation's subject is the hop's source), ``subject_label``, ``object_label``, and the
        best evidence (``sentence``, ``article``, ``title``, ``date``, ``confidence``) plus all
        of it in ``evidence``. Empty if the two are not connected or are the same entity.

    Raises
    ------
    kgraph.errors.EntityNotFoundError
        If ``source`` or ``target`` is not a node of ``G``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", label="Mukhtar Ablyazov")
    >>> G.add_node("q", label="Aq Zhol")
    >>> G.add_node("p", label="Azat Peruashev")
    >>> _ = G.add_edge("m", "q", key="memberOf", evidence=[{"sentence": "Ablyazov joined Aq Zhol."}])
    >>> _ = G.add_edge("p", "q", key="leads", evidence=[{"sentence": "Peruashev leads Aq Zhol."}])
    >>> hops = connection(G, "m", "p")
    >>> [(h["source_label"], h["relation"], h["direction"], h["target_label"]) for h in hops]
    [('Mukhtar Ablyazov', 'memberOf', 'forward', 'Aq Zhol'), ('Aq Zhol', 'leads', 'backward', 'Azat Peruashev')]
    >>> hops[1]["sentence"]
    'Peruashev leads Aq Zhol.'
    """
    _require(G, source)
    _require(G, target)
    # Stated relations first; co-mention edges (if G has them) only when relations do not connect.
    relations_only = nx.subgraph_view(G, filter_edge=lambda u, v, key: key != COMENTION)
    for view in (relations_only, G):
        try:
            nodes = nx.shortest_path(view.to_undirected(as_view=True), source, target)
        except nx.NetworkXNoPath:
            continue
        return [_hop(G, u, v) for u, v in zip(nodes, nodes[1:])]
    return []


def format_connection(hops: list[dict]) -> str:
    """The chain of labels of a connection: ``"Ablyazov -> Aq Zhol -> Peruashev"``.

    Examples
    --------
    >>> format_connection([{"source_label": "A", "target_label": "B"}, {"source_label": "B", "target_label": "C"}])
    'A -> B -> C'
    """
    if not hops:
        return ""
    return " -> ".join([str(hops[0]["source_label"])] + [str(h["target_label"]) for h in hops])


def ego(G: nx.MultiDiGraph, center: str, depth: int = 1) -> nx.MultiDiGraph:
    """The ego network of an entity: everything within ``depth`` hops (either direction),
    with all the relations among those entities.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("b", "p", "memberOf"), ("b", "q", "memberOf")])
    >>> sorted(ego(G, "a", 1)), sorted(ego(G, "a", 2))
    (['a', 'p'], ['a', 'b', 'p'])
    """
    _require(G, center)
    if depth < 0:
        raise ValueError(f"depth must be 0 or more, got {depth}")
    return nx.ego_graph(G, center, radius=depth, undirected=True).copy()


def neighbors_table(G: nx.MultiDiGraph, center: str, depth: int = 1) -> list[dict]:
    """One row per entity of the ego network (the centre excluded): its distance and the
    relation that reaches it from the entity one step closer to the centre.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("b", "p", "memberOf")])
    >>> [(r["iri"], r["distance"], r["relation"], r["via"]) for r in neighbors_table(G, "a", 2)]
    [('p', 1, 'leads', 'a'), ('b', 2, 'memberOf', 'p')]
    """
    H = ego(G, center, depth)
    U = H.to_undirected(as_view=True)
    distance = nx.single_source_shortest_path_length(U, center, cutoff=depth)
    rows = []
    for node, dist in distance.items():
        if node == center:
            continue
        closer = sorted((n for n in U[node] if distance.get(n) == dist - 1), key=str)[0]
        hop = _hop(H, closer, node)
        rows.append({
            "iri": node,
            "label": H.nodes[node].get("label", node),
            "type": H.nodes[node].get("type"),
            "distance": dist,
            "via": closer,
            "via_label": H.nodes[closer].get("label", closer),
            "relation": hop["relation"],
            "direction": hop["direction"],
            "sentence": hop["sentence"],
        })
    rows.sort(key=lambda r: (r["distance"], str(r["label"])))
    return rows
