"""kgraph.serve against hostile clients: runaway queries, request-line tricks, federation, floods,
malformed HTTP, cross-origin writes and DNS rebinding. The real Oxigraph server on loopback."""
from __future__ import annotations

import http.client as httpclient
import json
import os
import socket
import threading
import time
import urllib.parse

import pytest
from serve_http import http, post_query

from kgraph.errors import InputError, StoreError

pytestmark = pytest.mark.server

JSON = "application/sparql-results+json"
LEADS = "PREFIX kg: <https://w3id.org/kgraph/ontology#>\nSELECT ?p ?o WHERE { ?p kg:leads ?o }"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SORTED_CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c ?f ?i ?l"


def raw(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes, return everything the server answers until it closes (or the timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0


def tree_rss_kib(pids) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total


# -- 1. runaway queries ------------------------------------------------------------------------
def test_serve_survives_20_runaway_queries_while_a_sixth_client_is_served(store_dir):
    """Done-when of issue 10: 5 clients send 20 runaway queries in a row; a sixth client's simple
    query keeps answering within 1 s; the runaway work stops and memory returns to idle size."""
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=1.5) as srv:
        time.sleep(0.5)
        idle = tree_rss_kib(srv.worker_pids())
        assert idle > 0
        runaway_status: list[int] = []
        simple_latency: list[float] = []
        simple_status: list[int] = []
        stop = threading.Event()

        def runaway(client: int) -> None:
            for i in range(4):
                query = SORTED_CROSS_PRODUCT if (client + i) % 2 else CROSS_PRODUCT
                runaway_status.append(post_query(srv, query, JSON, timeout=30)[0])

        def simple() -> None:
            while not stop.is_set():
                started = time.monotonic()
                status, _ = post_query(srv, LEADS, "text/csv", timeout=10)
                simple_latency.append(time.monotonic() - started)
                simple_status.append(status)
                time.sleep(0.05)

        watcher = threading.Thread(target=simple)
        watcher.start()
        clients = [threading.Thread(target=runaway, args=(c,)) for c in range(5)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=120)
        stop.set()
        watcher.join(timeout=15)
        assert runaway_status == [503] * 20
        assert simple_status and set(simple_status) == {200}
        assert max(simple_latency) < 1.0, sorted(simple_latency)[-5:]
        # the killed workers are gone, and the pool is back to its idle size
        deadline = time.monotonic() + srv.idle_retire_s + 10
        while time.monotonic() < deadline and len(srv.worker_pids()) > srv.warm_workers:
            time.sleep(0.2)
        assert len(srv.worker_pids()) <= srv.warm_workers
        assert tree_rss_kib(srv.worker_pids()) < idle * 2 + 50_000
        assert post_query(srv, LEADS, "text/csv")[0] == 200


def test_serve_runaway_worker_is_killed_at_the_deadline(store_dir):
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=1) as srv:
        before = set(srv.worker_pids())
        result: list[int] = []
        thread = threading.Thread(target=lambda: result.append(post_query(srv, CROSS_PRODUCT, JSON, timeout=30)[0]))
        thread.start()
        time.sleep(0.5)
        busy = set(srv.worker_pids(busy=True))
        assert busy
        thread.join(timeout=30)
        assert result == [503]
        deadline = time.monotonic() + 3
        while any(_state(pid) not in ("gone", "Z") for pid in busy) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_state(pid) in ("gone", "Z") for pid in busy)  # its work stopped, its memory freed
        assert before - busy <= set(srv.worker_pids())


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(line.split()[1] for line in status if line.startswith("State:"))
    except (OSError, StopIteration):
        return "gone"


def test_serve_memory_cap_stops_a_query_that_grows_too_big(store_dir):
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=20, memory_limit_mb=600) as srv:
        started = time.monotonic()
        status, body = post_query(srv, SORTED_CROSS_PRODUCT, JSON, timeout=60)
        assert status == 503 and (b"memory" in body or b"timeout" in body)
        assert time.monotonic() - started < 20 + 5
        assert post_query(srv, LEADS, "text/csv")[0] == 200


# -- 2. request lines in absolute form ------------------------------------------------------------
def test_serve_absolute_uri_request_line_gets_the_same_checks(server):
    port = server.port
    update = b"INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    answer = raw(port, (
        f"POST http://127.0.0.1:{port}/update HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/sparql-update\r\nContent-Length: {len(update)}\r\nConnection: close\r\n\r\n"
    ).encode() + update)
    assert status_of(answer) == 403
    for path in ("/%75pdate", "//update", "/query/../update", "/./update"):
        answer = raw(port, (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-update\r\n"
            f"Content-Length: {len(update)}\r\nConnection: close\r\n\r\n"
        ).encode() + update)
        assert status_of(answer) in (403, 404), (path, answer[:200])
    query = urllib.parse.urlencode({"query": CROSS_PRODUCT}).encode()
    started = time.monotonic()
    answer = raw(port, (
        f"POST http://127.0.0.1:{port}/query HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nAccept: {JSON}\r\n"
        f"Content-Length: {len(query)}\r\nConnection: close\r\n\r\n"
    ).encode() + query, timeout=30)
    assert status_of(answer) == 503 and time.monotonic() - started < server.timeout_s + 4


# -- 3. federation ------------------------------------------------------------------------------
SERVICE_FORMS = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment\n SeRvIcE\n<http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_serve_service_federation_refused_by_default(server, listener, form):
    query = form.replace("{port}", str(listener.port))
    status, body = post_query(server, query, JSON)
    assert status == 403 and b"SERVICE" in body and b"--allow-service" in body
    status, _ = http(server.query_url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": JSON})
    assert status == 403
    time.sleep(0.3)
    assert listener.hits == 0


def test_serve_service_federation_allowed_with_opt_in(store_dir, listener):
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=3, allow_service=True) as srv:
        query = SERVICE_FORMS[0].replace("{port}", str(listener.port))
        post_query(srv, query, JSON)
        time.sleep(0.3)
    assert listener.hits >= 1


# -- 5. load ---------------------------------------------------------------------------------------
def test_serve_50_concurrent_clients_get_no_connection_errors(server):
    errors: list[str] = []
    ok: list[int] = []
    body = urllib.parse.urlencode({"query": LEADS})
    barrier = threading.Barrier(50)

    def client():
        barrier.wait()
        for _ in range(20):
            connection = httpclient.HTTPConnection("127.0.0.1", server.port, timeout=60)
            try:
                connection.request("POST", "/query", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                            "Accept": "text/csv"})
                response = connection.getresponse()
                response.read()
                (ok if response.status == 200 else errors).append(response.status)
            except OSError as exc:
                errors.append(repr(exc))
            finally:
                connection.close()

    threads = [threading.Thread(target=client) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == [] and len(ok) == 1000


# -- 6. malformed HTTP ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers, body, expected",
    [
        ("Content-Length: abc\r\n", b"", 400),
        ("Content-Length: -5\r\n", b"", 400),
        ("Content-Length: 5\r\nContent-Length: 7\r\n", b"query", 400),
        ("Content-Length: 999999999999\r\n", b"", 413),
        ("Transfer-Encoding: chunked\r\n", b"zz\r\nabc\r\n0\r\n\r\n", 400),
        ("Transfer-Encoding: chunked\r\n", b"-1\r\nabc\r\n0\r\n\r\n", 400),
        ("Transfer-Encoding: chunked\r\n", b"FFFFFFFFFF\r\nabc", 413),
        ("Transfer-Encoding: gzip\r\n", b"", 400),
        ("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", b"3\r\nabc\r\n0\r\n\r\n", 400),
    ],
)
def test_serve_malformed_http_gets_400_or_413(server, capfd, headers, body, expected):
    answer = raw(server.port, (
        f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/sparql-query\r\n"
        f"{headers}\r\n"
    ).encode() + body)
    assert status_of(answer) == expected, answer[:300]
    assert post_query(server, LEADS, "text/csv")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_serve_idle_and_half_sent_connections_time_out_and_threads_stay_bounded(store_dir, capfd):
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=2, idle_timeout_s=1, max_threads=8) as srv:
        threads_before = threading.active_count()
        sockets = []
        for i in range(40):  # idle connections, and requests whose body never comes
            sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            if i % 2:
                sock.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc".encode())
            sockets.append(sock)
        time.sleep(0.5)
        assert threading.active_count() <= threads_before + 8 + 1
        started = time.monotonic()
        # every one is closed by the server once idle for idle_timeout_s (queued ones after the first wave)
        for sock in sockets:
            sock.settimeout(30)
            try:
                while sock.recv(65536):
                    pass
            except OSError:
                pass
            sock.close()
        assert time.monotonic() - started < 20
        assert post_query(srv, LEADS, "text/csv")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_serve_body_over_the_cap_is_413(store_dir):
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=2, max_body_bytes=1000) as srv:
        status, body = post_query(srv, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000, JSON)
        assert status == 413 and b"1000" in body
        assert post_query(srv, LEADS, "text/csv")[0] == 200


# -- 7. Host and Origin --------------------------------------------------------------------------
def _get(port: int, host: str, path: str = "/query?query=ASK%7B%7D") -> int:
    answer = raw(port, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: {JSON}\r\nConnection: close\r\n\r\n".encode())
    assert status_of(answer) != 500, answer
    return status_of(answer)


def test_serve_foreign_host_header_refused(server):
    port = server.port
    assert _get(port, "evil.example") == 403
    assert _get(port, f"evil.example:{port}") == 403
    assert _get(port, f"127.0.0.1:{port}") == 200
    assert _get(port, f"localhost:{port}") == 200
    assert _get(port, "[::1]") == 200


def test_serve_allowed_host_names_are_accepted(store_dir):
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=2, allowed_hosts=["kg.example"]) as srv:
        assert _get(srv.port, f"kg.example:{srv.port}") == 200
        assert _get(srv.port, "other.example") == 403


def test_serve_writable_refuses_cross_origin_writes(tmp_path, make_store):
    from kgraph.serve import start_server

    location = make_store(tmp_path / "kg.db")
    with start_server(location, port=0, writable=True, timeout_s=5) as srv:
        update = b"update=" + urllib.parse.quote_plus("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }").encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, body = http(srv.update_url, update, {**form, "Origin": "http://evil.example"})
        assert status == 403 and b"Origin" in body
        status, _ = http(srv.update_url, update, {**form, "Origin": "null"})
        assert status == 403
        assert json.loads(post_query(srv, "ASK { <urn:x:a> ?p ?o }", JSON)[1])["boolean"] is False
        status, _ = http(srv.update_url, update, {**form, "Origin": srv.url})
        assert status in (200, 204)
        assert json.loads(post_query(srv, "ASK { <urn:x:a> ?p ?o }", JSON)[1])["boolean"] is True


# -- 8. arguments ------------------------------------------------------------------------------------
@pytest.mark.parametrize("port", [70000, -1])
def test_serve_port_out_of_range_is_one_clear_error(store_dir, port):
    from kgraph.serve import start_server

    with pytest.raises(InputError, match="port") as caught:
        start_server(store_dir, port=port)
    assert "\n" not in str(caught.value)


def test_serve_folder_that_is_not_a_store_is_one_clear_error(tmp_path):
    from kgraph.serve import start_server

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("hello")
    (tmp_path / "empty").mkdir()
    for folder in ("articles", "empty"):
        with pytest.raises(StoreError, match="not a kgraph store") as caught:
            start_server(tmp_path / folder, port=0)
        assert "\n" not in str(caught.value)


def test_cli_serve_bad_port_and_non_store_are_one_line(tmp_path, store_dir):
    import typer
    from typer.testing import CliRunner

    from kgraph.cli_serve import register

    app = typer.Typer(add_completion=False)
    register(app)
    result = CliRunner().invoke(app, ["serve", "--store", store_dir, "--port", "70000"])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1 and "port" in result.output
    (tmp_path / "notastore").mkdir()
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "notastore"), "--port", "0"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1


# -- 13. a build into a served store --------------------------------------------------------------------
def test_serve_build_into_a_served_store_is_refused_clearly(tmp_path, make_store):
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.serve import start_server

    location = make_store(tmp_path / "kg.db")
    with start_server(location, port=0, timeout_s=2):
        with pytest.raises(StoreError, match="served by `kgraph serve`") as caught:
            OxigraphStore(location)
        assert "\n" not in str(caught.value) and "--writable" in str(caught.value)
        reader = OxigraphStore(location, read_only=True)  # readers are fine
        reader.close()
    OxigraphStore(location).close()  # stopped: writable again


def test_serve_refuses_a_store_a_build_is_writing(tmp_path, make_store):
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.serve import start_server

    location = make_store(tmp_path / "kg.db")
    writer = OxigraphStore(location)
    try:
        with pytest.raises(StoreError, match="being written") as caught:
            start_server(location, port=0)
        assert "\n" not in str(caught.value)
    finally:
        writer.close()
    with start_server(location, port=0, timeout_s=2) as srv:  # the build is over: served
        assert post_query(srv, LEADS, "text/csv")[0] == 200


def test_serve_writable_runaway_query_restarts_the_one_worker(tmp_path, make_store):
    from kgraph.serve import start_server

    location = make_store(tmp_path / "kg.db")
    with start_server(location, port=0, writable=True, timeout_s=1) as srv:
        (first,) = srv.worker_pids()
        started = time.monotonic()
        status, body = post_query(srv, CROSS_PRODUCT, JSON, timeout=30)
        assert status == 503 and b"timeout" in body and time.monotonic() - started < 6
        deadline = time.monotonic() + 3
        while _state(first) not in ("gone", "Z") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _state(first) in ("gone", "Z")
        update = b"INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
        # the replacement worker may still be starting (a loaded machine): 503 until it serves
        deadline = time.monotonic() + 15
        status = http(srv.update_url, update, {"Content-Type": "application/sparql-update"})[0]
        while status == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
            status = http(srv.update_url, update, {"Content-Type": "application/sparql-update"})[0]
        assert status in (200, 204)
        assert json.loads(post_query(srv, "ASK { <urn:x:a> ?p ?o }", JSON)[1])["boolean"] is True
        assert srv.worker_pids() and first not in srv.worker_pids()


def test_serve_request_trickling_in_is_cut_after_the_idle_timeout(store_dir):
    """A client sending its headers a byte at a time (slowloris) does not hold a thread for ever."""
    from kgraph.serve import start_server

    with start_server(store_dir, port=0, timeout_s=2, idle_timeout_s=1) as srv:
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        started = time.monotonic()
        closed = False
        try:
            for byte in b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200:
                sock.sendall(bytes([byte]))
                time.sleep(0.2)
                if time.monotonic() - started > 8:
                    break
        except OSError:
            closed = True
        if not closed:
            sock.settimeout(5)
            try:
                closed = sock.recv(100) == b""
            except OSError:
                closed = True
        sock.close()
        assert closed and time.monotonic() - started < 6
        assert post_query(srv, LEADS, "text/csv")[0] == 200
