"""Incremental build and removal keep the derived default graph exact (kgraph.rdf.sync)."""
from __future__ import annotations

import dataclasses

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from kgraph.errors import InputError
from kgraph.rdf.namespace import KG, article_graph_iri
from kgraph.rdf.sync import article_ids, load_entities, plan_build, plan_removal

from .conftest import DAWN, IVANOV, VOLKOVA, VOTE, article_one


def _ask(store, sparql: str) -> bool:
    return store.query(sparql).boolean


def _default_quads(store) -> set:
    return {(s, p, o) for s, p, o, g in store.quads() if g is None}


def test_sync_build_creates_graphs_and_default_view(built):
    assert built.graph_names() == {str(article_graph_iri(i)) for i in ("a1", "a2", "a3")}
    default = _default_quads(built)
    assert (URIRef(VOLKOVA.iri), KG.leads, URIRef(DAWN.iri)) in default
    assert (URIRef(DAWN.iri), KG.boycotted, URIRef(VOTE.iri)) in default
    assert (URIRef(IVANOV.iri), KG.expelledFrom, URIRef(DAWN.iri)) in default
    # aliases: the names seen, not the pronoun, not the label
    assert {o for s, p, o in default if s == URIRef(VOLKOVA.iri) and p == SKOS.altLabel} == {
        Literal("Volkova"), Literal("M. Volkova")}
    assert {o for s, p, o in default if s == URIRef(DAWN.iri) and p == SKOS.altLabel} == {Literal("Dawn")}
    assert [o for s, p, o in default if s == URIRef(DAWN.iri) and p == RDFS.label] == [Literal("Green Dawn")]


def test_sync_rebuild_is_idempotent(built, items):
    assert plan_build(built, items).is_empty()


def test_sync_changed_article_replaces_its_graph(built):
    analysis, links = article_one()
    analysis.relations.clear()  # the new version no longer states that Volkova leads the party
    changes = plan_build(built, [(analysis, links)])
    assert set(changes.replace_graphs) == {str(article_graph_iri("a1"))}
    built.apply(changes)
    assert not _ask(built, "ASK { GRAPH kgid:graph\\/a1 { ?f a kg:Fact } }")
    # still supported by article a2
    assert _ask(built, f"ASK {{ <{VOLKOVA.iri}> kg:leads <{DAWN.iri}> }}")
    assert plan_build(built, [(analysis, links)]).is_empty()


def test_sync_fact_survives_until_last_supporting_article_removed(built):
    leads = f"ASK {{ <{VOLKOVA.iri}> kg:leads <{DAWN.iri}> }}"
    built.apply(plan_removal(built, ["a1"]))
    assert _ask(built, leads)
    built.apply(plan_removal(built, ["a2"]))
    assert not _ask(built, leads)
    assert not _ask(built, f"ASK {{ <{DAWN.iri}> kg:boycotted ?e }}")


def test_sync_entity_removed_when_no_article_mentions_it(built):
    built.apply(plan_removal(built, ["a3"]))
    assert not _ask(built, f"ASK {{ <{IVANOV.iri}> ?p ?o }}")
    assert not _ask(built, f"ASK {{ ?s ?p <{IVANOV.iri}> }}")
    assert _ask(built, f"ASK {{ <{DAWN.iri}> rdfs:label ?l }}")  # a1 and a2 still mention it


def test_sync_removal_recomputes_aliases(built):
    built.apply(plan_removal(built, ["a2"]))
    alts = {str(r[0]) for r in built.query(f"SELECT ?a WHERE {{ <{VOLKOVA.iri}> skos:altLabel ?a }}").rows}
    assert alts == {"Volkova"}  # "M. Volkova" came only from a2
    assert not built.query(f"SELECT ?a WHERE {{ <{DAWN.iri}> skos:altLabel ?a }}").rows


def test_sync_remove_everything_leaves_empty_store(built):
    built.apply(plan_removal(built, ["a1", "a2", "a3"]))
    assert list(built.quads()) == []


def test_sync_removal_unknown_id(built):
    with pytest.raises(InputError, match="kgraph stats"):
        plan_removal(built, ["nope"])


def test_sync_removal_accepts_iris(built):
    changes = plan_removal(built, ["https://w3id.org/kgraph/id/article/a1"])
    assert changes.drop_graphs == {str(article_graph_iri("a1"))}


def test_sync_label_update_from_entities(built):
    renamed = dataclasses.replace(DAWN, label="Green Dawn Party", aliases=set())
    changes = plan_build(built, [], [renamed])
    built.apply(changes)
    labels = built.query(f"SELECT ?l WHERE {{ <{DAWN.iri}> rdfs:label ?l }}").rows
    assert labels == [(Literal("Green Dawn Party"),)]
    alts = {str(r[0]) for r in built.query(f"SELECT ?a WHERE {{ <{DAWN.iri}> skos:altLabel ?a }}").rows}
    assert alts == {"Dawn", "Green Dawn"}


def test_sync_load_entities_and_article_ids(built):
    entities = {e.iri: e for e in load_entities(built)}
    assert set(entities) == {VOLKOVA.iri, DAWN.iri, VOTE.iri, IVANOV.iri}
    dawn = entities[DAWN.iri]
    assert (dawn.type, dawn.label, dawn.wikidata, dawn.kb_id) == ("PoliticalParty", "Green Dawn", "Q999001", "gd")
    assert entities[VOLKOVA.iri].aliases == {"Volkova", "M. Volkova"}
    ids = article_ids(built)
    assert set(ids) == {"a1", "a2", "a3"} and all(len(h) == 40 for h in ids.values())


def test_sync_incremental_equals_batch(store, items):
    from kgraph.rdf.memory_store import MemoryStore

    for item in items:  # one article at a time
        store.apply(plan_build(store, [item]))
    batch = MemoryStore()
    batch.apply(plan_build(batch, items))
    assert set(store.quads()) == set(batch.quads())


def test_sync_same_result_on_both_stores(items):
    from kgraph.rdf.memory_store import MemoryStore
    from kgraph.rdf.oxigraph_store import OxigraphStore

    ox, mem = OxigraphStore(), MemoryStore()
    for s in (ox, mem):
        s.apply(plan_build(s, items))
        s.apply(plan_removal(s, ["a1"]))
    assert set(ox.quads()) == set(mem.quads())
