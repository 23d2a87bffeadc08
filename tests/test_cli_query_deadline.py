"""`kgraph query` on a runaway query: a default deadline, Ctrl-C exits 130 at once, and no
SPARQL federation unless asked for. Real subprocesses on a real on-disk store."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kgraph.errors import QueryError

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> str:
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.rdf.store import Changes

    location = str(tmp_path_factory.mktemp("deadline") / "kg.db")
    store = OxigraphStore(location)
    triples = [(URIRef(f"urn:x:{i}"), RDFS.comment, Literal(f"filler {i}")) for i in range(300)]
    store.apply(Changes(replace_graphs={"urn:graph:1": triples}))
    store.close()
    return location


def kgraph(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kgraph.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_cli_query_runaway_stops_at_the_timeout(big_store):
    started = time.monotonic()
    process = kgraph("query", "--store", big_store, CROSS_PRODUCT, "--timeout", "1")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert len(err.strip().splitlines()) == 1 and "timeout" in err and "Traceback" not in err
    assert time.monotonic() - started < 15  # interpreter start-up included


def test_cli_query_ctrl_c_exits_130_at_once(big_store):
    process = kgraph("query", "--store", big_store, CROSS_PRODUCT, "--timeout", "120")
    time.sleep(4)  # start-up, then the query is running
    assert process.poll() is None
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert time.monotonic() - interrupted < 3
    assert "interrupted" in err and "Traceback" not in err


def test_cli_query_service_refused_unless_allowed(big_store, listener):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    process = kgraph("query", "--store", big_store, query, "--timeout", "10")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "--allow-service" in err and len(err.strip().splitlines()) == 1
    assert listener.hits == 0
    process = kgraph("query", "--store", big_store, query, "--timeout", "10", "--allow-service")
    process.communicate(timeout=60)
    assert listener.hits >= 1




def test_graph_query_refuses_service_unless_allowed(big_store):
    import kgraph as kg_module

    with kg_module.open_graph(store=big_store) as kg:
        with pytest.raises(QueryError, match="allow_service=True"):
            kg.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
        assert kg.query("ASK { ?s ?p ?o }") is True
