"""RemoteStore against a real `oxigraph serve` process on loopback: same layout as the embedded store."""
from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest

from kgraph.errors import QueryError, StoreError
from kgraph.rdf.store import Changes, open_store

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphProcess:
    """`oxigraph serve --union-default-graph` on a loopback port, started and stopped with bounded waits."""

    def __init__(self, location, port: int):
        from kgraph.serve import oxigraph_binary

        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "oxigraph serve exited at start"
            try:
                urllib.request.urlopen(self.url + "/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph serve did not start within 15 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def endpoint(tmp_path):
    server = OxigraphProcess(tmp_path / "remote.db", free_port())
    yield server
    server.stop()


@pytest.fixture
def remote(endpoint):
    return open_store(endpoint.url)


def test_remote_store_open_store_picks_remote_for_http(endpoint):
    from kgraph.rdf.remote_store import RemoteStore

    store = open_store(endpoint.url + "/query")
    assert isinstance(store, RemoteStore)
    assert store.query_url == endpoint.url + "/query" and store.update_url == endpoint.url + "/update"


def test_remote_store_same_quads_as_embedded_store(remote, items):
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.rdf.sync import plan_build

    embedded = OxigraphStore()
    embedded.apply(plan_build(embedded, items))
    remote.apply(plan_build(remote, items))
    assert set(remote.quads()) == set(embedded.quads())
    assert remote.graph_names() == embedded.graph_names()
    query = "SELECT ?s ?p ?o WHERE { VALUES ?p { kg:leads kg:memberOf kg:expelledFrom kg:boycotted } ?s ?p ?o }"
    assert sorted(remote.query(query).rows) == sorted(embedded.query(query).rows)
    assert len(remote.query(query).rows) >= 3


def test_remote_store_query_kinds(remote, items):
    from kgraph.rdf.sync import plan_build

    remote.apply(plan_build(remote, items))
    assert remote.query("ASK { ?p kg:leads ?o }").boolean is True
    constructed = remote.query("CONSTRUCT { ?p kg:leads ?o } WHERE { ?p kg:leads ?o }")
    assert constructed.kind == "graph" and len(constructed.triples) == 1
    with pytest.raises(QueryError, match="rejected the query"):
        remote.query("SELECT WHERE {")


def test_remote_store_rerun_adds_no_duplicates(remote, items):
    from kgraph.rdf.sync import plan_build

    changes = plan_build(remote, items)
    remote.apply(changes)
    first = sorted(remote.quads())
    remote.apply(changes)  # a re-run of the same write, e.g. after an unclear failure
    assert sorted(remote.quads()) == first
    assert plan_build(remote, items).is_empty()


def test_remote_store_replaces_and_removes_article_graphs(remote, items):
    from kgraph.rdf.namespace import article_graph_iri
    from kgraph.rdf.sync import plan_build, plan_removal

    remote.apply(plan_build(remote, items))
    graph = str(article_graph_iri("a3"))
    assert graph in remote.graph_names()
    remote.apply(plan_removal(remote, ["a3"]))
    assert graph not in remote.graph_names()
    assert remote.query("ASK { ?p kg:expelledFrom ?o }").boolean is False
    assert remote.query("ASK { ?p kg:leads ?o }").boolean is True


def test_remote_store_connection_refused_is_one_clear_line():
    port = free_port()
    store = open_store(f"http://127.0.0.1:{port}")
    with pytest.raises(StoreError) as caught:
        store.query("ASK { ?s ?p ?o }")
    message = str(caught.value)
    assert message.startswith(f"cannot reach SPARQL endpoint http://127.0.0.1:{port}/query: connection refused")
    assert "\n" not in message


def test_remote_store_rerun_after_failure_completes_the_load(tmp_path, items):
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.rdf.sync import plan_build

    port = free_port()
    store = open_store(f"http://127.0.0.1:{port}")
    embedded = OxigraphStore()
    changes = plan_build(embedded, items)
    with pytest.raises(StoreError, match="connection refused"):
        store.apply(changes)  # the server is down: nothing written
    server = OxigraphProcess(tmp_path / "late.db", port)
    try:
        store.apply(plan_build(store, items))
        store.apply(plan_build(store, items))  # and once more: still no duplicates
        embedded.apply(changes)
        assert sorted(store.quads()) == sorted(embedded.quads())
    finally:
        server.stop()


def test_remote_store_failed_update_changes_nothing(remote, items):
    from rdflib import Literal, URIRef

    from kgraph.rdf.sync import plan_build

    remote.apply(plan_build(remote, items))
    before = sorted(remote.quads())
    bad = Changes(drop_graphs={"https://w3id.org/kgraph/id/graph/a1"},
                  default_add=[(URIRef("urn:x:s"), URIRef("urn:x:p"), Literal("1", datatype=URIRef("not an iri")))])
    with pytest.raises(StoreError):
        remote.apply(bad)
    assert sorted(remote.quads()) == before


def test_remote_store_read_only_endpoint_refuses_writes(tmp_path, items):
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.rdf.sync import plan_build
    from kgraph.serve import start_server

    location = tmp_path / "ro.db"
    OxigraphStore(location).close()
    with start_server(location, port=0) as server:
        store = open_store(server.url)
        with pytest.raises(StoreError, match="HTTP 403.*read-only"):
            store.apply(plan_build(store, items))


RELATIONS = """SELECT ?s ?p ?o WHERE { VALUES ?p { kg:leads kg:memberOf kg:expelledFrom kg:boycotted } ?s ?p ?o }"""


@pytest.mark.e2e
def test_remote_store_seed_build_same_relations_as_embedded(endpoint, corpus_dir):
    import kgraph

    embedded = kgraph.build(corpus_dir)
    remote = kgraph.build(corpus_dir, store=endpoint.url)
    try:
        expected = sorted(embedded.store.query(RELATIONS).rows)
        assert expected, "the seed corpus gives relations"
        assert sorted(remote.store.query(RELATIONS).rows) == expected
        assert sorted(open_store(endpoint.url).quads()) == sorted(embedded.store.quads())
        # a second build of the same corpus changes nothing (no duplicates)
        before = len(list(open_store(endpoint.url).quads()))
        kgraph.build(corpus_dir, store=endpoint.url)
        assert len(list(open_store(endpoint.url).quads())) == before
    finally:
        embedded.close()
        remote.close()


@pytest.mark.e2e
def test_remote_store_incremental_build_links_to_stored_entities(endpoint, corpus_dir):
    import kgraph

    first, second = sorted(p for p in corpus_dir.glob("*.md") if p.name != "README.md")[:2]
    kgraph.build(first, store=endpoint.url).close()
    kgraph.build(second, store=endpoint.url).close()  # both articles mention Nursultan Nazarbaev
    store = open_store(endpoint.url)
    rows = store.query(
        'SELECT ?e WHERE { ?e a kg:Person ; rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "nursultan")) }'
    ).rows
    assert len(rows) == 1
    articles = store.query(f"SELECT DISTINCT ?a WHERE {{ ?a kg:mentions <{rows[0][0]}> }}").rows
    assert len(articles) == 2


def test_remote_store_graph_store_protocol_writes_same_layout(endpoint, items):
    from kgraph.rdf.namespace import article_graph_iri
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.rdf.sync import plan_build, plan_removal

    gsp = open_store(endpoint.url, protocol="gsp")
    embedded = OxigraphStore()
    for store in (embedded, gsp):
        store.apply(plan_build(store, items))
    assert sorted(gsp.quads()) == sorted(embedded.quads())
    gsp.apply(plan_build(OxigraphStore(), items))  # the whole load once more, as a re-run: no duplicates
    assert sorted(gsp.quads()) == sorted(embedded.quads())
    for store in (embedded, gsp):  # removal: DELETE of the graph, default graph rewritten
        store.apply(plan_removal(store, ["a3"]))
    assert str(article_graph_iri("a3")) not in gsp.graph_names()
    assert sorted(gsp.quads()) == sorted(embedded.quads())
