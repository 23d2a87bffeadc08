"""rdflib's memory store behind the Store interface (kgraph.rdf.memory_store)."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from kgraph.errors import QueryError, StoreError
from kgraph.rdf.memory_store import MemoryStore
from kgraph.rdf.store import Changes, open_store

EX = "http://example.org/"


def _triples(n: int, tag: str = "v"):
    return [(URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(f"{tag} {i}")) for i in range(n)]


def test_memory_store_apply_rolls_back_on_failure():
    store = MemoryStore()
    store.apply(Changes(replace_graphs={EX + "g": _triples(20, "old")}, default_add=_triples(3, "d")))
    before = set(store.quads())
    bad = (Literal("a literal cannot be a subject"), URIRef(EX + "p"), Literal(1))
    with pytest.raises(StoreError, match="nothing was changed"):
        store.apply(Changes(replace_graphs={EX + "g": _triples(5, "new") + [bad]}, default_remove=_triples(3, "d")))
    assert set(store.quads()) == before


def test_memory_store_union_default_graph_and_prefixes(items):
    from kgraph.rdf.sync import plan_build

    store = MemoryStore()
    store.apply(plan_build(store, items))
    assert store.query("ASK { ?f a kg:Fact }").boolean  # facts live in named graphs
    assert store.query("ASK { ?p kg:leads ?o }").boolean  # direct triples in the default graph


def test_memory_store_graph_names_and_drop():
    store = MemoryStore()
    store.apply(Changes(replace_graphs={EX + "g1": _triples(2), EX + "g2": _triples(1)}))
    assert store.graph_names() == {EX + "g1", EX + "g2"}
    store.apply(Changes(drop_graphs={EX + "g1"}))
    assert store.graph_names() == {EX + "g2"}


def test_memory_store_bad_query():
    with pytest.raises(QueryError):
        MemoryStore().query("SELEC ?x")


def test_memory_store_registry_and_load(tmp_path, built):
    from kgraph.rdf.export import serialize

    path = serialize(built, tmp_path / "kg.trig")
    loaded = open_store(str(path), backend="memory")
    assert set(loaded.quads()) == set(built.quads())
