"""to_networkx over a real store, and the person/party projections."""
from __future__ import annotations

import doctest

import networkx as nx
import pytest
from analysis_fixtures import iri

import kgraph.analysis
from kgraph.analysis import centrality, communities, paths, projection, subgraph
from kgraph.analysis.projection import party_projection, person_projection, to_networkx


def test_projection_nodes_carry_iri_label_type_wikidata(tiny_graph):
    G = tiny_graph
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == 10
    aq = G.nodes[iri("Aq Zhol")]
    assert aq == {"iri": iri("Aq Zhol"), "label": "Aq Zhol", "type": "PoliticalParty", "wikidata": "Q1186246"}
    assert G.nodes[iri("2021 legislative election")]["type"] == "Election"
    assert G.nodes[iri("Asar")]["wikidata"] is None


def test_projection_one_edge_per_triple_with_all_its_evidence(tiny_graph):
    G = tiny_graph
    assert G.number_of_edges() == 7  # 8 facts, Peruashev leads Aq Zhol stated twice
    edge = G.edges[iri("Azat Peruashev"), iri("Aq Zhol"), "leads"]
    assert edge["relation"] == "leads"
    assert edge["predicate"] == "https://w3id.org/kgraph/ontology#leads"
    evidence = edge["evidence"]
    assert [e["date"] for e in evidence] == ["2020-12-03", "2021-01-05"]  # oldest first
    assert evidence[0]["sentence"] == "Aq Zhol leader Azat Peruashev spoke first."
    assert evidence[0]["title"] == "Parties line up before the vote"
    assert evidence[0]["article"] == "https://w3id.org/kgraph/id/article/a1"
    assert evidence[0]["confidence"] == pytest.approx(0.95)
    assert evidence[1]["fact"].startswith("https://w3id.org/kgraph/id/fact/a2/")


def test_projection_empty_store_gives_empty_graph():
    from analysis_fixtures import memory_store

    G = to_networkx(memory_store())
    assert G.number_of_nodes() == 0 and G.number_of_edges() == 0


def test_projection_relation_without_entity_description_gets_fallback_node():
    from analysis_fixtures import memory_store
    from rdflib import URIRef

    from kgraph.rdf.namespace import KG
    from kgraph.rdf.store import Changes

    store = memory_store()
    s, o = "https://w3id.org/kgraph/id/person/jane-doe", "https://w3id.org/kgraph/id/party/blue-party"
    store.apply(Changes(default_add=[(URIRef(s), KG.memberOf, URIRef(o))]))
    G = to_networkx(store)
    assert G.nodes[s]["type"] == "Person" and G.nodes[s]["label"] == "jane doe"
    assert G.nodes[o]["type"] == "PoliticalParty"
    assert G.edges[s, o, "memberOf"]["evidence"] == []


def test_projection_person_projection_links_people_through_shared_parties(tiny_graph):
    P = person_projection(tiny_graph)
    assert set(P) == {iri(n) for n in ["Darigha Nazarbaeva", "Azat Peruashev", "Mukhtar Ablyazov",
                                       "Nurzhan Altaev", "Askhat Rakhimzhanov"]}
    # Peruashev, Ablyazov and Altaev share Aq Zhol
    assert P[iri("Azat Peruashev")][iri("Mukhtar Ablyazov")] == {"weight": 1, "shared": [iri("Aq Zhol")]}
    assert P.has_edge(iri("Nurzhan Altaev"), iri("Azat Peruashev"))
    assert P.degree(iri("Darigha Nazarbaeva")) == 0
    assert P.nodes[iri("Azat Peruashev")]["label"] == "Azat Peruashev"


def test_projection_party_projection_links_parties_through_shared_people(tiny_graph):
    Q = party_projection(tiny_graph)
    # Altaev was expelled from Nur Otan and joined Aq Zhol
    assert Q[iri("Nur Otan")][iri("Aq Zhol")] == {"weight": 1, "shared": [iri("Nurzhan Altaev")]}
    assert Q.number_of_edges() == 1
    only_members = party_projection(tiny_graph, relations=("memberOf",))
    assert only_members.number_of_edges() == 0


def test_projection_unknown_relation_is_refused(tiny_graph):
    with pytest.raises(ValueError, match="leadz"):
        person_projection(tiny_graph, relations=("leadz",))


@pytest.mark.parametrize("module", [projection, centrality, communities, paths, subgraph, kgraph.analysis])
def test_projection_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
