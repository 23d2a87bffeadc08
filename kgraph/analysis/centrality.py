"""Centrality of the actors of a knowledge graph: degree, betweenness, PageRank, and a ranked table.

Degree and betweenness are computed on the undirected simple view (two entities are
connected when any relation ties them, in either direction), so a party with five members
has degree 5 whatever the number of articles; PageRank follows the relations' direction
(people point at the parties they lead, join or leave), weighted by how many relations
tie two entities.
"""
from __future__ import annotations

import networkx as nx

__all__ = ["MEASURES", "simple_view", "degree", "betweenness", "pagerank", "centrality_table"]

#: the measures :func:`centrality_table` knows, in its default column order
MEASURES = ("degree", "betweenness", "pagerank")


def simple_view(G: nx.Graph) -> nx.Graph:
    """The undirected simple graph of ``G``: one edge per connected pair, ``weight`` = number
    of relations between them (the sum of their ``weight`` attributes where edges have one, as
    in the person and party projections).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("a", "p", "memberOf"), ("p", "a", "leads")])
    >>> simple_view(G)["a"]["p"]["weight"]
    3
    """
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, weight in G.edges(data="weight", default=1):
        if u == v:
            continue
        if H.has_edge(u, v):
            H[u][v]["weight"] += weight
        else:
            H.add_edge(u, v, weight=weight)
    return H


def degree(G: nx.Graph) -> dict[str, float]:
    """Degree centrality: the share of the other entities an entity is directly tied to.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("b", "p", "memberOf"), ("c", "p", "memberOf")])
    >>> degree(G)["p"], degree(G)["a"]
    (1.0, 0.3333333333333333)
    """
    return nx.degree_centrality(simple_view(G)) if len(G) > 1 else {n: 0.0 for n in G}


def betweenness(G: nx.Graph, *, normalized: bool = True, k: int | None = None, seed: int = 0) -> dict[str, float]:
    """Betweenness centrality: how often an entity lies on the shortest path between two others.

    ``k`` samples that many source nodes (approximate, for graphs of many thousand nodes);
    ``seed`` makes the sample reproducible.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "memberOf"), ("b", "p", "memberOf")])
    >>> betweenness(G)["p"], betweenness(G)["a"]
    (1.0, 0.0)
    """
    H = simple_view(G)
    if k is not None and k >= len(H):
        k = None
    return nx.betweenness_centrality(H, normalized=normalized, k=k, seed=seed if k else None)


def pagerank(G: nx.Graph, *, alpha: float = 0.85) -> dict[str, float]:
    """PageRank along the relations' direction: parties and elections that many actors point
    at rank high (on an undirected graph, e.g. a projection, ties count both ways). Scores sum to 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("b", "p", "memberOf")])
    >>> scores = pagerank(G)
    >>> max(scores, key=scores.get), round(sum(scores.values()), 6)
    ('p', 1.0)
    """
    if len(G) == 0:
        return {}
    if not G.is_directed():  # a projection: ties go both ways
        return nx.pagerank(simple_view(G), alpha=alpha, weight="weight")
    D = nx.DiGraph()
    D.add_nodes_from(G)
    for u, v in G.edges():
        if D.has_edge(u, v):
            D[u][v]["weight"] += 1
        else:
            D.add_edge(u, v, weight=1)
    return nx.pagerank(D, alpha=alpha, weight="weight")


def centrality_table(
    G: nx.Graph,
    *,
    measures: tuple[str, ...] | list[str] = MEASURES,
    sort_by: str | None = None,
    top: int | None = None,
    types: tuple[str, ...] | list[str] | None = None,
) -> list[dict]:
    """One row per entity with its label, type and the chosen centrality scores, best first.

    Parameters
    ----------
    G : networkx.Graph
        Usually the graph of :func:`kgraph.analysis.projection.to_networkx`.
    measures : sequence of str
        Any of ``"degree"``, ``"betweenness"``, ``"pagerank"``.
    sort_by : str, optional
        The measure to rank by (default: the first of ``measures``).
    top : int, optional
        Keep only the first ``top`` rows.
    types : sequence of str, optional
        Keep only entities of these types (e.g. ``("Person",)``); scores are still computed
        on the whole graph.

    Returns
    -------
    list of dict
        Keys ``rank``, ``iri``, ``label``, ``type`` and one per measure (``pd.DataFrame(rows)``
        turns it into a DataFrame).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("b", "p", "memberOf")])
    >>> G.nodes["p"].update(label="Party P", type="PoliticalParty")
    >>> rows = centrality_table(G, measures=["degree"])
    >>> rows[0]["label"], rows[0]["degree"]
    ('Party P', 1.0)
    """
    functions = {"degree": degree, "betweenness": betweenness, "pagerank": pagerank}
    unknown = [m for m in measures if m not in functions]
    if unknown or not measures:
        raise ValueError(
            f"unknown centrality measure(s) {unknown!r}; known: {', '.join(MEASURES)}. "
            "Pass for example measures=('degree', 'pagerank')."
        )
    sort_by = sort_by or measures[0]
    if sort_by not in measures:
        raise ValueError(f"sort_by={sort_by!r} is not among the computed measures {list(measures)!r}")
    scores = {m: functions[m](G) for m in measures}
    rows = []
    for node, data in G.nodes(data=True):
        if types is not None and data.get("type") not in types:
            continue
        row = {"iri": node, "label": data.get("label", node), "type": data.get("type")}
        row.update({m: scores[m].get(node, 0.0) for m in measures})
        rows.append(row)
    rows.sort(key=lambda r: (-r[sort_by], str(r["label"])))
    if top is not None:
        rows = rows[:top]
    return [{"rank": i, **row} for i, row in enumerate(rows, 1)]
