"""kgraph.serve against the real Oxigraph server: protocol, result formats, read-only, timeout, stop."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse

import pytest
from serve_http import http, post_query

from kgraph.errors import StoreError

pytestmark = pytest.mark.server

PREFIXES = "PREFIX kg: <https://w3id.org/kgraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
LEADS = PREFIXES + "SELECT ?p ?o WHERE { ?p kg:leads ?o }"
LEADER_IRI = "https://w3id.org/kgraph/id/person/amina-korlan"
PARTY_IRI = "https://w3id.org/kgraph/id/party/green-valley-party"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SORTED_CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c ?f ?i ?l"


def sparqlwrapper(server, query: str, fmt):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.query_url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query().convert()


# -- queries --------------------------------------------------------------------------------
def test_serve_sparqlwrapper_select_json(server):
    from SPARQLWrapper import JSON

    result = sparqlwrapper(server, LEADS, JSON)
    rows = [(b["p"]["value"], b["o"]["value"]) for b in result["results"]["bindings"]]
    assert rows == [(LEADER_IRI, PARTY_IRI)]


def test_serve_default_graph_is_union_of_graphs(server):
    from SPARQLWrapper import JSON

    # the fact lives in the article's named graph, the label in the default graph: one BGP joins them
    query = PREFIXES + """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?sentence ?name WHERE { ?f rdf:subject ?s ; kg:sentence ?sentence . ?s rdfs:label ?name }"""
    rows = sparqlwrapper(server, query, JSON)["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["Amina Korlan"]


def test_serve_sparqlwrapper_select_xml(server):
    from SPARQLWrapper import XML

    document = sparqlwrapper(server, LEADS, XML)
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]
    assert uris == [LEADER_IRI, PARTY_IRI]


@pytest.mark.parametrize("fmt_name, sep", [("CSV", ","), ("TSV", "\t")])
def test_serve_sparqlwrapper_select_csv_tsv(server, fmt_name, sep):
    import SPARQLWrapper

    text = sparqlwrapper(server, LEADS, getattr(SPARQLWrapper, fmt_name)).decode("utf-8")
    lines = [line for line in text.splitlines() if line]
    assert lines[0].replace("?", "") == sep.join(["p", "o"])
    assert LEADER_IRI in lines[1] and PARTY_IRI in lines[1] and sep in lines[1]


def test_serve_construct_as_turtle(server):
    from rdflib import Graph, URIRef
    from SPARQLWrapper import TURTLE

    query = PREFIXES + "CONSTRUCT { ?p kg:leads ?o } WHERE { ?p kg:leads ?o }"
    data = sparqlwrapper(server, query, TURTLE)
    graph = Graph().parse(data=data, format="turtle")
    assert set(graph) == {(URIRef(LEADER_IRI), URIRef("https://w3id.org/kgraph/ontology#leads"), URIRef(PARTY_IRI))}


def test_serve_ask_and_describe(server):
    from rdflib import Graph, URIRef
    from SPARQLWrapper import JSON, TURTLE

    assert sparqlwrapper(server, PREFIXES + "ASK { ?p kg:leads ?o }", JSON)["boolean"] is True
    assert sparqlwrapper(server, PREFIXES + "ASK { ?p kg:boycotted ?o }", JSON)["boolean"] is False
    graph = Graph().parse(data=sparqlwrapper(server, f"DESCRIBE <{LEADER_IRI}>", TURTLE), format="turtle")
    assert (URIRef(LEADER_IRI), None, None) in graph


def test_serve_plain_http_get(server):
    url = server.query_url + "?" + urllib.parse.urlencode({"query": LEADS})
    status, body = http(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["o"]["value"] == PARTY_IRI


def test_serve_syntax_error_is_400(server):
    status, body = post_query(server, "SELECT WHERE {", "application/sparql-results+json")
    assert status == 400 and body


def test_serve_query_page_is_served_locally(server):
    status, page = http(server.url + "/")
    assert status == 200 and b"yasgui" in page.lower()
    # every script and stylesheet the page loads comes from the server itself, so it works offline
    import re

    sources = re.findall(rb'(?:src|href)="([^"]+)"', page)
    assert sources and not [s for s in sources if s.startswith((b"http:", b"https:", b"//"))]
    for source in sources:
        assert http(urllib.parse.urljoin(server.url + "/", source.decode()))[0] == 200


# -- writes ---------------------------------------------------------------------------------
def test_serve_update_refused_when_read_only(server):
    update = b"INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    status, body = http(server.update_url, update, {"Content-Type": "application/sparql-update"})
    assert status == 403 and b"--writable" in body
    status, _ = http(server.store_url + "?default", b"<urn:x:a> <urn:x:b> <urn:x:c> .",
                     {"Content-Type": "application/n-triples"}, method="PUT")
    assert status == 403
    assert json.loads(post_query(server, "ASK { <urn:x:a> ?p ?o }", "application/sparql-results+json")[1])["boolean"] is False


def test_serve_update_accepted_when_writable_and_lock_released(tmp_path, make_store):
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.serve import start_server

    location = make_store(tmp_path / "kg.db")
    with start_server(location, port=0, writable=True, timeout_s=5) as srv:
        update = b"INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
        status, _ = http(srv.update_url, update, {"Content-Type": "application/sparql-update"})
        assert status in (200, 204)
        assert json.loads(post_query(srv, "ASK { <urn:x:a> ?p ?o }", "application/sparql-results+json")[1])["boolean"]
    # stopped: the write is on disk and the store's lock is free for a writer again
    store = OxigraphStore(location)
    try:
        assert store.query("ASK { <urn:x:a> <urn:x:b> <urn:x:c> }").boolean is True
    finally:
        store.close()


def test_serve_missing_store_is_a_clear_error(tmp_path):
    from kgraph.serve import start_server

    with pytest.raises(StoreError, match="does not exist"):
        start_server(tmp_path / "nowhere", port=0)


# -- timeouts -------------------------------------------------------------------------------
def test_serve_runaway_query_times_out_with_an_error(server):
    started = time.monotonic()
    status, body = post_query(server, CROSS_PRODUCT, "application/sparql-results+json", timeout=20)
    elapsed = time.monotonic() - started
    assert status == 503 and b"timeout" in body
    assert elapsed < server.timeout_s + 4
    # the server still answers afterwards
    assert post_query(server, LEADS, "text/csv")[0] == 200


def test_serve_runaway_sorted_query_is_cut_by_the_proxy(store_dir):
    """Oxigraph's own timeout does not interrupt this ORDER BY (it ran minutes): the proxy must."""
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=1) as srv:
        started = time.monotonic()
        status, body = post_query(srv, SORTED_CROSS_PRODUCT, "application/sparql-results+json", timeout=20)
        elapsed = time.monotonic() - started
    assert status == 503 and b"timeout" in body
    assert elapsed < srv.timeout_s + 4


# -- stopping -------------------------------------------------------------------------------
SERVE_SCRIPT = """
import sys
from kgraph.serve import serve
def ready(server):
    print(server.url, server.worker_pids()[0], flush=True)
serve(sys.argv[1], port=0, writable=True, timeout_s=5, on_ready=ready)
print("stopped", flush=True)
"""


def test_serve_sigterm_stops_server_and_child(tmp_path, make_store):
    from kgraph.rdf.oxigraph_store import OxigraphStore

    location = make_store(tmp_path / "kg.db")
    process = subprocess.Popen([sys.executable, "-c", SERVE_SCRIPT, location], stdout=subprocess.PIPE, text=True)
    try:
        url, child_pid = process.stdout.readline().split()
        assert http(url + "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})[0] == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert process.stdout.read().strip() == "stopped"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while os.path.exists(f"/proc/{child_pid}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{child_pid}")
    store = OxigraphStore(location)  # the writable server's lock is released
    store.close()


def test_serve_chunked_request_body_is_forwarded(server):
    import http.client

    query = urllib.parse.urlencode({"query": LEADS}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("POST", "/query", body=iter([query[:10], query[10:]]), encode_chunked=True,
                           headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
        response = connection.getresponse()
        assert response.status == 200 and PARTY_IRI in response.read().decode()
    finally:
        connection.close()


def test_serve_large_results_stream_chunked_and_connection_is_reused(store_dir):
    """Results above the buffer are streamed chunked; the keep-alive connection is reusable after."""
    import http.client

    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=1, buffer_bytes=1000) as srv:
        connection = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=20)
        try:
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
            connection.request("POST", "/query", urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}), headers)
            response = connection.getresponse()
            assert response.status == 200 and response.getheader("Transfer-Encoding") == "chunked"
            assert len(json.loads(response.read())["results"]["bindings"]) > 300
            connection.request("POST", "/query", urllib.parse.urlencode({"query": SORTED_CROSS_PRODUCT}), headers)
            response = connection.getresponse()
            assert response.status == 503 and b"timeout" in response.read()
        finally:
            connection.close()
