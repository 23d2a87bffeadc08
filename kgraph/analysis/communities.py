"""Groups of actors: Louvain communities and how cohesive each party's people are.

Communities are found on the undirected simple view of the graph (see
:func:`kgraph.analysis.centrality.simple_view`) with a fixed seed, so the same graph always
gives the same communities, numbered from the largest.
"""
from __future__ import annotations

from collections import Counter

import networkx as nx

from kgraph.analysis.centrality import simple_view
from kgraph.analysis.projection import AFFILIATIONS

__all__ = ["louvain", "membership", "communities_table", "party_cohesion"]


def louvain(G: nx.Graph, *, seed: int = 42, resolution: float = 1.0) -> list[set]:
    """Louvain communities, largest first (ties by their smallest member).

    Parameters
    ----------
    G : networkx.Graph
        Any graph; multi-edges and direction are folded into weights.
    seed : int
        Random seed of the Louvain heuristic (fixed: results are reproducible).
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b", "memberOf"), ("b", "c", "memberOf"), ("a", "c", "memberOf"),
    ...                      ("x", "y", "memberOf"), ("y", "z", "memberOf"), ("x", "z", "memberOf"),
    ...                      ("c", "x", "memberOf")])
    >>> [sorted(c) for c in louvain(G)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    H = simple_view(G)
    if H.number_of_edges() == 0:
        found = [{n} for n in H]
    else:
        found = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(map(str, c))))


def membership(communities: list[set]) -> dict:
    """Node -> index of its community in ``communities``.

    Examples
    --------
    >>> membership([{"a", "b"}, {"c"}]) == {"a": 0, "b": 0, "c": 1}
    True
    """
    return {node: i for i, community in enumerate(communities) for node in community}


def communities_table(G: nx.Graph, *, seed: int = 42, resolution: float = 1.0) -> list[dict]:
    """One row per Louvain community: its number, size, and members' labels by type.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "memberOf")])
    >>> G.nodes["a"].update(label="Ann", type="Person")
    >>> G.nodes["p"].update(label="Party", type="PoliticalParty")
    >>> communities_table(G)[0]["members"]
    'Ann; Party'
    """
    rows = []
    for i, community in enumerate(louvain(G, seed=seed, resolution=resolution)):
        labels = sorted(str(G.nodes[n].get("label", n)) for n in community)
        types = Counter(G.nodes[n].get("type") or "unknown" for n in community)
        rows.append({
            "community": i,
            "size": len(community),
            "people": types.get("Person", 0),
            "parties": types.get("PoliticalParty", 0),
            "members": "; ".join(labels),
            "iris": sorted(community),
        })
    return rows


def party_cohesion(
    G: nx.Graph,
    *,
    relations: tuple[str, ...] = AFFILIATIONS,
    seed: int = 42,
    party_types: tuple[str, ...] = ("PoliticalParty",),
) -> list[dict]:
    """How cohesive each party's people are.

    A party's people are the persons tied to it by one of ``relations`` (by default
    memberOf, leads, expelledFrom). Its cohesion is the share of them who fall in the
    Louvain community where most of them are: 1.0 when they all cluster together, low
    when they are spread over rival groups. ``expelled`` counts those expelled.

    Returns
    -------
    list of dict
        Keys ``iri``, ``label``, ``people``, ``leaders``, ``expelled``, ``community``
        (the dominant one), ``cohesion``; parties with no people are left out.
        Sorted by number of people, then label.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("b", "p", "memberOf"), ("c", "p", "expelledFrom")])
    >>> for n, t in [("a", "Person"), ("b", "Person"), ("c", "Person"), ("p", "PoliticalParty")]:
    ...     G.nodes[n]["type"] = t
    >>> row = party_cohesion(G)[0]
    >>> row["people"], row["leaders"], row["expelled"], row["cohesion"]
    (3, 1, 1, 1.0)
    """
    where = membership(louvain(G, seed=seed))
    people: dict[str, dict[str, set]] = {}
    for s, o, key in G.edges(keys=True):
        if key in relations and G.nodes[s].get("type") == "Person" and G.nodes[o].get("type") in party_types:
            people.setdefault(o, {}).setdefault(key, set()).add(s)
    rows = []
    for party, by_relation in people.items():
        everyone = set().union(*by_relation.values())
        counts = Counter(where[p] for p in everyone)
        community, size = min(counts.items(), key=lambda item: (-item[1], item[0]))
        rows.append({
            "iri": party,
            "label": G.nodes[party].get("label", party),
            "people": len(everyone),
            "leaders": len(by_relation.get("leads", ())),
            "expelled": len(by_relation.get("expelledFrom", ())),
            "community": community,
            "cohesion": size / len(everyone),
        })
    rows.sort(key=lambda r: (-r["people"], str(r["label"])))
    return rows
