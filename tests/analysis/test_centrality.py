"""Centrality measures on small graphs with known answers."""
from __future__ import annotations

import networkx as nx
import pytest
from analysis_fixtures import iri

from kgraph.analysis.centrality import betweenness, centrality_table, degree, pagerank, simple_view


@pytest.fixture
def star():
    """p is the hub: a, b, c point at it (a twice: two relations)."""
    G = nx.MultiDiGraph()
    G.add_edges_from([("a", "p", "leads"), ("a", "p", "memberOf"), ("b", "p", "memberOf"), ("c", "p", "memberOf")])
    for n in "abc":
        G.nodes[n].update(label=n.upper(), type="Person")
    G.nodes["p"].update(label="P", type="PoliticalParty")
    return G


def test_centrality_simple_view_folds_multi_edges_into_weights(star):
    H = simple_view(star)
    assert H.number_of_edges() == 3 and H["a"]["p"]["weight"] == 2


def test_centrality_degree_counts_neighbours_not_relations(star):
    d = degree(star)
    assert d["p"] == 1.0
    assert d["a"] == pytest.approx(1 / 3)  # two relations to p, one neighbour


def test_centrality_betweenness_of_a_path():
    G = nx.MultiDiGraph([("a", "b", "memberOf"), ("b", "c", "memberOf"), ("c", "d", "memberOf")])
    b = betweenness(G)
    assert b["a"] == 0.0 and b["b"] == pytest.approx(2 / 3)  # 2 of the 3 pairs not involving b


def test_centrality_pagerank_favours_the_pointed_at_and_sums_to_one(star):
    pr = pagerank(star)
    assert max(pr, key=pr.get) == "p"
    assert sum(pr.values()) == pytest.approx(1.0)
    assert pr["a"] == pytest.approx(pr["b"])  # out-edges do not raise one's own rank


def test_centrality_empty_and_single_node_graphs():
    assert pagerank(nx.MultiDiGraph()) == {}
    G = nx.MultiDiGraph()
    G.add_node("x")
    assert degree(G) == {"x": 0.0}


def test_centrality_table_ranks_and_filters(tiny_graph):
    rows = centrality_table(tiny_graph)
    assert [r["rank"] for r in rows] == list(range(1, 11))
    assert rows[0]["label"] == "Aq Zhol"  # 3 people point at it
    assert set(rows[0]) == {"rank", "iri", "label", "type", "degree", "betweenness", "pagerank"}
    people = centrality_table(tiny_graph, types=("Person",), sort_by="betweenness", top=2)
    assert len(people) == 2 and all(r["type"] == "Person" for r in people)
    assert people[0]["iri"] == iri("Nurzhan Altaev")  # the only person bridging two parties


@pytest.mark.parametrize("kwargs, message", [
    ({"measures": ["closeness"]}, "closeness"),
    ({"measures": ["degree"], "sort_by": "pagerank"}, "pagerank"),
])
def test_centrality_table_rejects_unknown_measures(tiny_graph, kwargs, message):
    with pytest.raises(ValueError, match=message):
        centrality_table(tiny_graph, **kwargs)


def test_centrality_projection_weights_count_and_pagerank_is_symmetric():
    import networkx as nx

    P = nx.Graph()
    P.add_edge("a", "b", weight=3)
    P.add_edge("b", "c", weight=1)
    assert simple_view(P)["a"]["b"]["weight"] == 3
    pr = pagerank(P)
    assert pr["b"] > pr["a"] > pr["c"]  # undirected: b is the hub, a is tied to it more strongly than c
