"""GraphML and GEXF files of the NetworkX view, for Gephi, Cytoscape and yEd.

Both formats hold only scalar attributes, so each edge's evidence list is flattened: ``evidence``
is its JSON text, and ``sentence``, ``article``, ``title``, ``date`` (of the best evidence: the
most confident), ``articles`` (how many) and ``first_date``/``last_date`` are plain columns a tool
can filter on. Missing values become empty strings.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kgraph.errors import ConfigError

__all__ = ["EXPORT_FORMATS", "flatten", "write_graphml", "write_gexf", "write_graph"]

#: file suffix -> format name
EXPORT_FORMATS = {".graphml": "graphml", ".gexf": "gexf"}


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def flatten(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose node and edge attributes are all strings or numbers.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "p", key="leads", relation="leads",
    ...                evidence=[{"sentence": "A leads P.", "date": "2021-01-05", "confidence": 0.9}])
    >>> data = flatten(G).edges["a", "p", "leads"]
    >>> data["sentence"], data["articles"], data["first_date"], data["evidence"][:14]
    ('A leads P.', 1, '2021-01-05', '[{"sentence": ')
    """
    H = nx.MultiDiGraph()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items()})
    for node, data in G.nodes(data=True):
        H.add_node(node, **{k: _scalar(v) for k, v in data.items()})
    for u, v, key, data in G.edges(keys=True, data=True):
        flat = {k: _scalar(val) for k, val in data.items() if k != "evidence"}
        evidence = list(data.get("evidence") or [])
        best = max(evidence, key=lambda e: e.get("confidence") or 0.0) if evidence else {}
        dates = sorted(e["date"] for e in evidence if e.get("date"))
        flat.update({
            "relation": _scalar(data.get("relation", key)),
            "evidence": json.dumps(evidence, ensure_ascii=False, default=str),
            "articles": len({e.get("article") for e in evidence}),
            "sentence": _scalar(best.get("sentence")),
            "article": _scalar(best.get("article")),
            "title": _scalar(best.get("title")),
            "date": _scalar(best.get("date")),
            "first_date": dates[0] if dates else "",
            "last_date": dates[-1] if dates else "",
        })
        H.add_edge(u, v, key=key, **flat)
    return H


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GraphML (attributes flattened, see :func:`flatten`).

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.MultiDiGraph([("a", "p", "leads")])
    >>> out = write_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
    >>> sorted(nx.read_graphml(out, force_multigraph=True).edges(keys=True))
    [('a', 'p', 'leads')]
    """
    path = Path(path)
    nx.write_graphml(flatten(G), path, encoding="utf-8")
    return path


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GEXF 1.2 (attributes flattened, see :func:`flatten`); the relation is also
    the edge's ``label``, which Gephi shows.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.MultiDiGraph([("a", "p", "leads")])
    >>> out = write_gexf(G, pathlib.Path(tempfile.mkdtemp()) / "g.gexf")
    >>> [d["label"] for _, _, d in nx.read_gexf(out).edges(data=True)]
    ['leads']
    """
    path = Path(path)
    H = flatten(G)
    for _, _, key, data in H.edges(keys=True, data=True):
        data.setdefault("label", data.get("relation") or str(key))
    for node, data in H.nodes(data=True):
        # GEXF's own node label; the IRI stays the node id
        data["label"] = data.get("label") or str(node)
    nx.write_gexf(H, path, encoding="utf-8")
    return path


def write_graph(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` in the format its suffix names (``.graphml`` or ``.gexf``)."""
    path = Path(path)
    fmt = EXPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"cannot tell the graph format of {str(path)!r} from its suffix {path.suffix!r}; "
            f"use one of: {', '.join(EXPORT_FORMATS)}"
        )
    return write_graphml(G, path) if fmt == "graphml" else write_gexf(G, path)
