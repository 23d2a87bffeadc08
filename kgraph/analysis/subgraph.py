"""Parts of the graph worth drawing on their own: a relation type, a date range, an entity's neighbourhood.

Each function returns a new MultiDiGraph (the input is never modified) and drops the entities
left without any relation, except an explicitly chosen centre.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

import networkx as nx

from kgraph.model import PREDICATES

__all__ = ["by_relation", "by_date", "select"]


def _drop_isolated(H: nx.MultiDiGraph, keep: Iterable[str] = ()) -> nx.MultiDiGraph:
    keep = set(keep)
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0 and n not in keep])
    return H


def by_relation(G: nx.MultiDiGraph, relations: Iterable[str]) -> nx.MultiDiGraph:
    """Only the relations of the given types (e.g. ``["leads", "memberOf"]``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("b", "e", "boycotted")])
    >>> sorted(by_relation(G, ["leads"]).edges(keys=True))
    [('a', 'p', 'leads')]
    >>> sorted(by_relation(G, ["leads"]))
    ['a', 'p']
    """
    relations = set(relations)
    unknown = relations - set(PREDICATES)
    if unknown:
        raise ValueError(
            f"unknown relation(s) {sorted(unknown)!r}; known: {', '.join(PREDICATES)}. "
            "Pick one or more of those, e.g. relations=['leads']."
        )
    H = G.copy()
    H.remove_edges_from([(u, v, k) for u, v, k in G.edges(keys=True) if k not in relations])
    return _drop_isolated(H)


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = str(value)
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValueError(f"date {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2021-01-10") from None


def by_date(G: nx.MultiDiGraph, since=None, until=None) -> nx.MultiDiGraph:
    """Only what articles dated in ``[since, until]`` state (both ends included, either open).

    Every edge keeps the evidence from those articles only; an edge with none is dropped.
    Dates are ``datetime.date`` or ISO strings (``"2021-01-10"``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "p", key="leads", evidence=[{"date": "2020-12-03"}, {"date": "2021-02-01"}])
    >>> _ = G.add_edge("b", "p", key="memberOf", evidence=[{"date": "2019-05-05"}])
    >>> H = by_date(G, since="2020-01-01")
    >>> list(H.edges(keys=True)), len(H.edges["a", "p", "leads"]["evidence"])
    ([('a', 'p', 'leads')], 2)
    >>> len(by_date(G, since="2020-01-01", until="2020-12-31").edges["a", "p", "leads"]["evidence"])
    1
    """
    since, until = _iso(since), _iso(until)
    H = G.copy()
    for u, v, k, data in list(H.edges(keys=True, data=True)):
        kept = [
            e for e in data.get("evidence", [])
            if e.get("date") and (since is None or e["date"][:10] >= since) and (until is None or e["date"][:10] <= until)
        ]
        if kept:
            data["evidence"] = kept
        else:
            H.remove_edge(u, v, k)
    return _drop_isolated(H)


def select(
    G: nx.MultiDiGraph,
    *,
    center: str | None = None,
    depth: int = 1,
    relations: Iterable[str] | None = None,
    since=None,
    until=None,
) -> nx.MultiDiGraph:
    """Combine the filters: relation types and date range first, then ``center``'s
    neighbourhood of ``depth`` hops within what is left.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "p", "leads"), ("b", "p", "memberOf"), ("b", "q", "leads")])
    >>> sorted(select(G, center="a", depth=2, relations=["leads", "memberOf"]))
    ['a', 'b', 'p']
    """
    H = G
    if relations:
        H = by_relation(H, relations)
    if since is not None or until is not None:
        H = by_date(H, since, until)
    if center is not None:
        from kgraph.analysis.paths import ego

        if center not in H and center in G:
            H = H.copy()
            H.add_node(center, **G.nodes[center])  # filtered away: show it alone, not an error
        H = ego(H, center, depth)
    return H if H is not G else G.copy()
