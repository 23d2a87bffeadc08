"""Precomputed layout: reproducible, spread out, fast on thousands of nodes."""
from __future__ import annotations

import math
import time

import networkx as nx
import numpy as np

from kgraph.viz.layout import EXACT_LIMIT, layout_positions


def test_layout_is_reproducible_and_covers_every_node():
    G = nx.gnm_random_graph(50, 80, seed=3)
    pos = layout_positions(G, seed=1)
    assert set(pos) == set(G) and pos == layout_positions(G, seed=1)
    assert pos != layout_positions(G, seed=2)


def test_layout_trivial_graphs():
    assert layout_positions(nx.Graph()) == {}
    G = nx.Graph()
    G.add_node("only")
    assert layout_positions(G) == {"only": (0.0, 0.0)}


def test_layout_large_graph_is_fast_and_keeps_neighbours_closer():
    G = nx.connected_watts_strogatz_graph(EXACT_LIMIT * 4, 4, 0.05, seed=1)
    start = time.perf_counter()
    pos = layout_positions(G, seed=1)
    assert time.perf_counter() - start < 20
    xy = np.array([pos[n] for n in G])
    assert np.isfinite(xy).all()
    edge = np.median([math.dist(pos[u], pos[v]) for u, v in G.edges()])
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, len(G), size=(2000, 2))
    random_pair = np.median([math.dist(xy[a], xy[b]) for a, b in pairs])
    assert edge < random_pair / 3  # the layout reflects the structure
