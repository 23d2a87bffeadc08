"""Graph analysis over the NetworkX view of a knowledge graph: pure functions ``f(G, ...) -> result``.

One family per module: :mod:`~kgraph.analysis.projection` (store -> graph, person/party
projections), :mod:`~kgraph.analysis.centrality`, :mod:`~kgraph.analysis.communities`,
:mod:`~kgraph.analysis.paths`, :mod:`~kgraph.analysis.subgraph`. Table-shaped results are lists of dicts;
:func:`to_frame` turns them into a pandas DataFrame when pandas is installed.
"""
from __future__ import annotations

from kgraph.analysis.centrality import betweenness, centrality_table, degree, pagerank
from kgraph.analysis.communities import communities_table, louvain, party_cohesion
from kgraph.analysis.paths import connection, ego, format_connection, neighbors_table
from kgraph.analysis.projection import party_projection, person_projection, to_networkx
from kgraph.analysis.subgraph import by_date, by_relation, select

__all__ = [
    "to_networkx", "person_projection", "party_projection",
    "degree", "betweenness", "pagerank", "centrality_table",
    "louvain", "communities_table", "party_cohesion",
    "connection", "format_connection", "ego", "neighbors_table",
    "by_relation", "by_date", "select",
    "to_frame",
]


def to_frame(rows: list[dict], columns: list[str] | None = None):
    """Rows as a pandas DataFrame when pandas is installed, else the rows unchanged.

    Examples
    --------
    >>> frame = to_frame([{"label": "Asar", "degree": 0.5}])
    >>> list(frame.columns) if hasattr(frame, "columns") else list(frame[0])
    ['label', 'degree']
    """
    try:
        import pandas as pd
    except ImportError:
        return rows
    return pd.DataFrame(rows, columns=columns)
