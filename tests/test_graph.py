"""KnowledgeGraph: the Python API a notebook uses (query, entities, relations, resolve, files)."""
from __future__ import annotations

import pandas as pd
import pytest
from rdflib import Graph

from kgraph.errors import EntityNotFoundError, InputError, QueryError
from kgraph.graph import KnowledgeGraph, open_graph
from kgraph.model import Entity
from kgraph.rdf.build import entity_triples, relation_triple
from kgraph.rdf.store import Changes, open_store

ANA = Entity("https://w3id.org/kgraph/id/person/ana-ruiz", "Person", "Ana Ruiz", {"Ruiz"})
BLUE = Entity("https://w3id.org/kgraph/id/party/blue-party", "PoliticalParty", "Blue Party", wikidata="Q42")


@pytest.fixture()
def tiny_kg():
    store = open_store(None)
    store.apply(Changes(default_add=[*entity_triples(ANA), *entity_triples(BLUE), relation_triple(ANA, "leads", BLUE)]))
    kg = KnowledgeGraph(store)
    yield kg
    kg.close()


def test_graph_query_select_gives_dataframe_with_python_values(tiny_kg):
    frame = tiny_kg.query("SELECT ?l ?p WHERE { ?x kg:leads ?y . ?x rdfs:label ?l . ?y rdfs:label ?p }")
    assert isinstance(frame, pd.DataFrame)
    assert frame.to_dict("records") == [{"l": "Ana Ruiz", "p": "Blue Party"}]


def test_graph_query_rows_without_pandas(tiny_kg):
    rows = tiny_kg.query("SELECT ?wd WHERE { ?p kg:wikidataId ?wd }", dataframe=False)
    assert rows == [{"wd": "Q42"}]


def test_graph_query_ask_and_construct(tiny_kg):
    assert tiny_kg.query("ASK { ?p owl:sameAs wd:Q42 }") is True
    assert tiny_kg.query("ASK { ?p owl:sameAs wd:Q1 }") is False
    graph = tiny_kg.query("CONSTRUCT { ?s kg:leads ?o } WHERE { ?s kg:leads ?o }")
    assert isinstance(graph, Graph) and len(graph) == 1


def test_graph_bad_sparql_raises_query_error(tiny_kg):
    with pytest.raises(QueryError):
        tiny_kg.query("SELECT ?x WHERE { ?x")


def test_graph_resolve_any_spelling_and_unknown(tiny_kg):
    assert tiny_kg.resolve("Ruiz").iri == ANA.iri
    with pytest.raises(EntityNotFoundError):
        tiny_kg.resolve("Zzyzx Qwerty")


def test_graph_entities_lists_every_entity(tiny_kg):
    rows = tiny_kg.entities(dataframe=False)
    assert {r["label"] for r in rows} == {"Ana Ruiz", "Blue Party"}


def test_graph_open_graph_needs_exactly_one_source(tmp_path):
    with pytest.raises(InputError):
        open_graph()
    with pytest.raises(InputError):
        open_graph(store=tmp_path / "missing")


def test_graph_serialize_and_reopen_file(tiny_kg, tmp_path):
    path = tiny_kg.serialize(tmp_path / "kg.trig")
    with open_graph(graph_file=path) as again:
        assert again.query("ASK { ?s kg:leads ?o }") is True


@pytest.mark.e2e
def test_graph_relations_dataframe_has_evidence_columns(seed_kg):
    frame = seed_kg.relations()
    for column in ("subject", "subjectLabel", "relation", "objectLabel", "article", "date", "sentence", "start", "end",
                   "confidence", "rule"):
        assert column in frame.columns
    assert len(frame) >= 8


@pytest.mark.e2e
def test_graph_to_networkx_from_seed(seed_kg):
    G = seed_kg.to_networkx()
    labels = {d["label"] for _, d in G.nodes(data=True)}
    assert {"Aq Zhol", "Azat Peruashev"} <= labels
    assert any(k == "leads" for *_, k in G.edges(keys=True))
