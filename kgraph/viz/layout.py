"""Node positions computed in Python, so the browser draws a settled graph instead of simulating one.

Small graphs use NetworkX's spring layout (Fruchterman-Reingold, exact). Large ones use the
grid variant of the same algorithm (Fruchterman & Reingold 1991, section 4): repulsion only
between nodes closer than 1.5 ideal edge lengths, found with a k-d tree, which makes an
iteration O(n + m) instead of O(n^2); NetworkX's own layout takes 20-40 s on 5,000 nodes, this
takes about two. Both are seeded: the same graph always gets the same picture.
"""
from __future__ import annotations

import math

import networkx as nx

__all__ = ["layout_positions"]

#: above this many nodes the grid variant replaces networkx.spring_layout
EXACT_LIMIT = 400
#: reach of the repulsion in the grid variant, in ideal edge lengths
_RADIUS = 1.5


def layout_positions(G: nx.Graph, *, seed: int = 42, scale: float | None = None,
                     iterations: int | None = None) -> dict:
    """Positions for every node of ``G``, in vis-network pixels, centred on 0.

    Parameters
    ----------
    G : networkx.Graph
        Any graph; direction and multi-edges are ignored.
    seed : int
        Seed of the initial random placement.
    scale : float, optional
        Half the width of the drawing (default grows with the square root of the node count,
        so density stays readable).
    iterations : int, optional
        Force-directed iterations (default: 100 for small graphs, 50 for large ones).

    Examples
    --------
    >>> import networkx as nx
    >>> pos = layout_positions(nx.path_graph(3), seed=1)
    >>> sorted(pos), all(len(xy) == 2 for xy in pos.values())
    ([0, 1, 2], True)
    >>> pos == layout_positions(nx.path_graph(3), seed=1)
    True
    """
    n = len(G)
    if n == 0:
        return {}
    if scale is None:
        scale = 120.0 * math.sqrt(n)
    if n == 1:
        return {next(iter(G)): (0.0, 0.0)}
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    if n <= EXACT_LIMIT:
        raw = nx.spring_layout(U, seed=seed, iterations=iterations or 100)
    else:
        raw = _grid_fruchterman_reingold(U, seed=seed, iterations=iterations or 50)
    return _rescale(raw, scale)


def _rescale(raw: dict, scale: float) -> dict:
    import numpy as np

    nodes = list(raw)
    xy = np.array([raw[n] for n in nodes], dtype=float)
    xy -= xy.mean(axis=0)
    extent = np.abs(xy).max() or 1.0
    xy *= scale / extent
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, xy)}


def _scatter(index, vectors, n):
    """Sum ``vectors`` into ``n`` rows by ``index`` (np.add.at, but an order of magnitude faster)."""
    import numpy as np

    return np.stack([np.bincount(index, weights=vectors[:, 0], minlength=n),
                     np.bincount(index, weights=vectors[:, 1], minlength=n)], axis=1)


def _grid_fruchterman_reingold(U: nx.Graph, *, seed: int, iterations: int) -> dict:
    import numpy as np
    from scipy.spatial import cKDTree

    nodes = list(U)
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    k = 1.0  # ideal edge length; the drawing area is n * k^2
    rng = np.random.default_rng(seed)
    side = math.sqrt(n) * k
    pos = rng.uniform(0.0, side, size=(n, 2))
    edges = np.array([(index[u], index[v]) for u, v in U.edges()], dtype=np.int64).reshape(-1, 2)
    temperature = side / 10.0
    cooling = (0.01 / 1.0) ** (1.0 / max(iterations, 1))  # from side/10 down to side/1000
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        # repulsion (1.5k)^2/d between near pairs only (the "grid" of the original paper); the
        # stronger constant keeps hub-heavy graphs from collapsing into ever more near pairs
        pairs = cKDTree(pos).query_pairs(_RADIUS * k, output_type="ndarray")
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            delta = pos[a] - pos[b]
            dist = np.maximum(np.sqrt((delta * delta).sum(axis=1)), 1e-3)
            push = delta * ((_RADIUS * k) ** 2 / (dist * dist))[:, None]
            disp += _scatter(a, push, n) - _scatter(b, push, n)
        # attraction d^2/k along edges
        if len(edges):
            u, v = edges[:, 0], edges[:, 1]
            delta = pos[u] - pos[v]
            dist = np.maximum(np.sqrt((delta * delta).sum(axis=1)), 1e-3)
            pull = delta * (dist / k)[:, None]
            disp += _scatter(v, pull, n) - _scatter(u, pull, n)
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= cooling
    return {node: pos[i] for i, node in enumerate(nodes)}
