"""GraphML and GEXF: everything flattened to scalars, and read back unchanged."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from kgraph.errors import ConfigError
from kgraph.viz.export import flatten, write_gexf, write_graph, write_graphml

AQ = "https://w3id.org/kgraph/id/party/aq-zhol"
PERUASHEV = "https://w3id.org/kgraph/id/person/azat-peruashev"


def test_export_flatten_leaves_only_scalars(tiny_graph):
    H = flatten(tiny_graph)
    for _, data in H.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) for v in data.values())
    for _, _, data in H.edges(data=True):
        assert all(isinstance(v, (str, int, float)) for v in data.values())
    edge = H.edges[PERUASHEV, AQ, "leads"]
    assert edge["articles"] == 2 and edge["first_date"] == "2020-12-03" and edge["last_date"] == "2021-01-05"
    assert edge["sentence"] == "Aq Zhol leader Azat Peruashev spoke first."
    assert json.loads(edge["evidence"]) == tiny_graph.edges[PERUASHEV, AQ, "leads"]["evidence"]
    assert H.nodes["https://w3id.org/kgraph/id/party/asar"]["wikidata"] == ""


def test_export_graphml_round_trip(tiny_graph, tmp_path):
    path = write_graphml(tiny_graph, tmp_path / "kg.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(tiny_graph.nodes)
    assert set(back.edges(keys=True)) == set(tiny_graph.edges(keys=True))
    assert back.nodes[AQ]["label"] == "Aq Zhol" and back.nodes[AQ]["wikidata"] == "Q1186246"
    edge = back.edges[PERUASHEV, AQ, "leads"]
    assert edge["relation"] == "leads"
    assert json.loads(edge["evidence"]) == tiny_graph.edges[PERUASHEV, AQ, "leads"]["evidence"]


def test_export_gexf_round_trip(tiny_graph, tmp_path):
    path = write_gexf(tiny_graph, tmp_path / "kg.gexf")
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(tiny_graph.nodes)
    assert back.number_of_edges() == tiny_graph.number_of_edges()
    assert back.nodes[AQ]["label"] == "Aq Zhol" and back.nodes[AQ]["type"] == "PoliticalParty"
    relations = sorted(d["relation"] for _, _, d in back.edges(data=True))
    assert relations == sorted(k for _, _, k in tiny_graph.edges(keys=True))


def test_export_hostile_text_survives_as_text(hostile_graph, tmp_path):
    for path in (write_graphml(hostile_graph, tmp_path / "h.graphml"), write_gexf(hostile_graph, tmp_path / "h.gexf")):
        back = nx.read_graphml(path) if path.suffix == ".graphml" else nx.read_gexf(path)
        labels = {d["label"] for _, d in back.nodes(data=True)}
        assert labels == {d["label"] for _, d in hostile_graph.nodes(data=True)}


def test_export_write_graph_by_suffix(tiny_graph, tmp_path):
    assert write_graph(tiny_graph, tmp_path / "a.GEXF").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(ConfigError, match=r"\.dot"):
        write_graph(tiny_graph, tmp_path / "a.dot")
