"""The Oxigraph store: persistence, clear errors, queries, and atomic apply (kgraph.rdf.oxigraph_store)."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from kgraph.errors import QueryError, StoreError
from kgraph.rdf.oxigraph_store import OxigraphStore, update_request
from kgraph.rdf.store import Changes, open_store
from kgraph.rdf.sync import plan_build

EX = "http://example.org/"


def _triples(n: int, tag: str = "v"):
    return [(URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(f"{tag} {i}")) for i in range(n)]


def test_oxigraph_store_persists_across_reopen(tmp_path, items):
    path = tmp_path / "kg.db"
    with OxigraphStore(path) as store:
        store.apply(plan_build(store, items))
        expected = set(store.quads())
    assert (path / "CURRENT").exists() or any(path.iterdir())
    with OxigraphStore(path) as reopened:
        assert set(reopened.quads()) == expected
        assert plan_build(reopened, items).is_empty()
    with OxigraphStore(path, read_only=True) as ro:
        assert set(ro.quads()) == expected
        with pytest.raises(StoreError, match="read-only"):
            ro.apply(Changes(default_add=_triples(1)))


def test_oxigraph_store_open_store_default_backend(tmp_path):
    store = open_store(str(tmp_path / "db"))
    assert isinstance(store, OxigraphStore)
    store.close()
    assert isinstance(open_store(None), OxigraphStore)


def test_oxigraph_store_path_is_a_file(tmp_path):
    path = tmp_path / "kg.trig"
    path.write_text("not a store")
    with pytest.raises(StoreError, match="is a file"):
        OxigraphStore(path)


def test_oxigraph_store_locked(tmp_path):
    first = OxigraphStore(tmp_path / "db")
    try:
        with pytest.raises(StoreError, match="cannot open"):
            OxigraphStore(tmp_path / "db")
    finally:
        first.close()
    OxigraphStore(tmp_path / "db").close()  # the lock is released by close()


def test_oxigraph_store_read_only_missing(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        OxigraphStore(tmp_path / "missing", read_only=True)


def test_oxigraph_store_query_kinds_and_prefixes(built):
    assert built.query("ASK { ?p kg:leads ?o }").boolean is True
    select = built.query("SELECT ?l WHERE { ?p kg:leads ?o . ?p rdfs:label ?l }")
    assert select.kind == "select" and select.vars == ["l"]
    assert (Literal("Maria Volkova"),) in select.rows
    graph = built.query("CONSTRUCT { ?p kg:leads ?o } WHERE { ?p kg:leads ?o }")
    assert graph.kind == "graph" and len(graph) == 1


@pytest.mark.parametrize("bad", ["SELEC ?x", "SELECT ?x WHERE { ?x nope:p ?y }", "SELECT ?x WHERE { ?x"])
def test_oxigraph_store_bad_query(bad, store):
    with pytest.raises(QueryError) as info:
        store.query(bad)
    assert "\n" not in str(info.value)


def test_oxigraph_store_apply_atomic_on_failure_fast_path():
    store = OxigraphStore()
    bad = (Literal("a literal cannot be a subject"), URIRef(EX + "p"), Literal(1))
    with pytest.raises(StoreError, match="nothing was changed"):
        store.apply(Changes(replace_graphs={EX + "g": _triples(5000) + [bad]}))
    assert len(store) == 0


def test_oxigraph_store_apply_atomic_on_failure_update_path():
    store = OxigraphStore()
    store.apply(Changes(replace_graphs={EX + "g": _triples(100, "old")}, default_add=_triples(3, "d")))
    before = set(store.quads())
    bad = (Literal("a literal cannot be a subject"), URIRef(EX + "p"), Literal(1))
    with pytest.raises(StoreError):
        store.apply(Changes(replace_graphs={EX + "g": _triples(50, "new")}, drop_graphs={EX + "other"},
                            default_remove=_triples(3, "d"), default_add=[bad]))
    assert set(store.quads()) == before


def test_oxigraph_store_update_request_is_one_transaction():
    """A failure after the DROP and DELETE of one request leaves everything in place: what
    ``apply`` relies on to be atomic."""
    store = OxigraphStore()
    store.apply(Changes(replace_graphs={EX + "g": _triples(100)}, default_add=_triples(3, "d")))
    before = set(store.quads())
    request = update_request(Changes(replace_graphs={EX + "g": _triples(10, "new")}, default_remove=_triples(3, "d")))
    with pytest.raises(RuntimeError):
        store._store.update(request + f" ;\nCREATE GRAPH <{EX}g>")  # fails: the graph exists
    assert set(store.quads()) == before


def test_oxigraph_store_replace_graph(built):
    g = "https://w3id.org/kgraph/id/graph/a1"
    built.apply(Changes(replace_graphs={g: _triples(2)}))
    assert {q[:3] for q in built.quads() if str(q[3]) == g} == set(_triples(2))
    built.apply(Changes(drop_graphs={g}))
    assert g not in built.graph_names()


def test_oxigraph_store_literals_round_trip():
    store = OxigraphStore()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    objects = [Literal("plain"), Literal("bonjour", lang="fr"), Literal("2020-12-03", datatype=URIRef(xsd + "date")),
               Literal("0.9", datatype=URIRef(xsd + "decimal")), Literal("12", datatype=URIRef(xsd + "integer"))]
    store.apply(Changes(default_add=[(URIRef(EX + "s"), URIRef(EX + "p"), o) for o in objects]))
    assert {q[2] for q in store.quads()} == set(objects)


@pytest.mark.parametrize("text", ['say "hi"', "back\\slash", "two\nlines\ttab", "Назарбаев", "} ; DROP ALL", "emoji \U0001F600"])
def test_oxigraph_store_tricky_literals_through_update(text):
    store = OxigraphStore()
    g = EX + "g"
    store.apply(Changes(replace_graphs={g: _triples(1)}))
    triple = (URIRef(EX + "s"), URIRef(EX + "p"), Literal(text))
    store.apply(Changes(replace_graphs={g: [triple]}))  # the graph exists: the SPARQL Update path
    assert [q[:3] for q in store.quads()] == [triple]


def test_oxigraph_store_converted_terms_equal_rdflib_terms():
    import pyoxigraph as ox

    from kgraph.rdf.oxigraph_store import from_oxigraph

    iri = from_oxigraph(ox.NamedNode(EX + "a"))
    assert iri == URIRef(EX + "a") and hash(iri) == hash(URIRef(EX + "a")) and type(iri) is URIRef
    assert {URIRef(EX + "a"): 1}[iri] == 1
    assert from_oxigraph(ox.Literal("x")) == Literal("x")
    assert from_oxigraph(ox.DefaultGraph()) is None


def test_oxigraph_store_refuses_non_store_directory(tmp_path):
    (tmp_path / "article.txt").write_text("Title\nBody.")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        OxigraphStore(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["article.txt"]
    OxigraphStore(tmp_path / "empty-or-new").close()
