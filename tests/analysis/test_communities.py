"""Louvain communities (reproducible) and per-party cohesion."""
from __future__ import annotations

import networkx as nx
import pytest
from analysis_fixtures import iri

from kgraph.analysis.communities import communities_table, louvain, membership, party_cohesion


@pytest.fixture
def two_cliques():
    G = nx.MultiDiGraph()
    for group in ("abc", "xyz"):
        for u, v in zip(group, group[1:] + group[0]):
            G.add_edge(u, v, key="memberOf")
    G.add_edge("c", "x", key="memberOf")  # one bridge
    return G


def test_communities_louvain_finds_two_cliques(two_cliques):
    assert [sorted(c) for c in louvain(two_cliques)] == [["a", "b", "c"], ["x", "y", "z"]]


def test_communities_louvain_is_reproducible(tiny_graph):
    assert louvain(tiny_graph) == louvain(tiny_graph)
    assert louvain(tiny_graph, seed=7) == louvain(tiny_graph, seed=7)


def test_communities_graph_without_edges_gives_singletons():
    G = nx.MultiDiGraph()
    G.add_nodes_from("ab")
    assert louvain(G) == [{"a"}, {"b"}]


def test_communities_membership_covers_every_node(tiny_graph):
    where = membership(louvain(tiny_graph))
    assert set(where) == set(tiny_graph)
    # Peruashev and the party he leads are in one community
    assert where[iri("Azat Peruashev")] == where[iri("Aq Zhol")]


def test_communities_table_rows(tiny_graph):
    rows = communities_table(tiny_graph)
    assert sum(r["size"] for r in rows) == 10
    assert [r["community"] for r in rows] == list(range(len(rows)))
    assert rows == sorted(rows, key=lambda r: -r["size"])
    asar = next(r for r in rows if iri("Asar") in r["iris"])
    assert "Darigha Nazarbaeva" in asar["members"]


def test_communities_party_cohesion_counts_people_and_cohesion():
    G = nx.MultiDiGraph()
    people = {"a": "leads", "b": "memberOf", "c": "memberOf", "d": "expelledFrom"}
    for person, relation in people.items():
        G.add_edge(person, "p", key=relation)
        G.nodes[person]["type"] = "Person"
    G.nodes["p"].update(type="PoliticalParty", label="P")
    # d sits in a dense group of its own around party q
    for other in ("e", "f", "g"):
        G.add_edge(other, "q", key="memberOf")
        G.add_edge(other, "d", key="memberOf")
        G.nodes[other]["type"] = "Person"
    G.add_edge("d", "q", key="memberOf")
    G.nodes["q"].update(type="PoliticalParty", label="Q")
    rows = {r["label"]: r for r in party_cohesion(G)}
    assert rows["P"]["people"] == 4 and rows["P"]["leaders"] == 1 and rows["P"]["expelled"] == 1
    assert rows["P"]["cohesion"] == pytest.approx(3 / 4)  # d belongs with q's people
    assert rows["Q"]["cohesion"] == 1.0


def test_communities_party_cohesion_on_fixture(tiny_graph):
    rows = party_cohesion(tiny_graph)
    labels = [r["label"] for r in rows]
    assert labels[0] == "Aq Zhol"  # three people
    assert "2021 legislative election" not in labels
    assert all(0 < r["cohesion"] <= 1 for r in rows)
