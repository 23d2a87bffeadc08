"""Serve a kgraph store over the SPARQL 1.1 Protocol: Oxigraph's server behind a small guarding proxy.

The real server is the ``oxigraph`` binary (PyPI package ``oxigraph``), started as a child
process on a private loopback port with ``--union-default-graph`` (queries see the default
graph as the union of all graphs, the kgraph contract) and ``serve-read-only`` unless
``writable``. Clients talk to a thin ``ThreadingHTTPServer`` in front of it, because two
things the binary alone does not guarantee (measured with oxigraph 0.5.13):

* its ``--timeout-s`` is checked only by some operators: an ``ORDER BY`` over a cross
  product ran for two minutes with ``--timeout-s 2``, the client waiting all along;
* results are streamed, so a cancelled query answers ``200 OK`` with the error text
  appended to a half-written result document, which clients read as garbage.

The proxy gives every query a hard deadline and answers ``503`` with a one-line message
when it passes (or when Oxigraph reports the cancellation); it refuses updates with
``403`` on a read-only server before they reach Oxigraph (which refuses them too).
Everything else (``/query``, ``/update``, ``/store``, the YASGUI page at ``/`` whose
JavaScript and CSS the binary serves itself, so it works offline; only its optional prefix
autocompletion asks prefix.cc) passes through unchanged.

A read-only server opens the store read-only: it can run beside other readers, but not beside
a process writing the same directory (Oxigraph calls that undefined behaviour); stop the build
first, or serve with ``writable`` and build through ``--store http://HOST:PORT`` instead.
"""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from kgraph.errors import ConfigError, InputError, StoreError

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT_S", "SparqlServer", "oxigraph_binary", "serve", "start_server"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
#: what Oxigraph appends to a streamed result when its own timeout cancels the query
CANCELLED_MARKER = b"The SPARQL operation has been cancelled"
#: query responses up to this size are buffered, so a late failure can still become an error status
BUFFER_LIMIT = 8 * 1024 * 1024
_CHUNK = 64 * 1024
_HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "trailers", "transfer-encoding", "upgrade", "content-length", "host",
}
_QUERY_PATHS = ("/query", "/sparql")
_WRITE_PATHS = ("/update", "/store")
_START_TIMEOUT_S = 20.0


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server binary: on PATH, else beside this Python (a venv's bin)."""
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if not found:
        raise ConfigError(
            "the Oxigraph server binary `oxigraph` was not found on PATH; "
            "install it with `pip install 'kgraph[serve]'` (or `pip install oxigraph`)"
        )
    return found


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """Child-side: ask Linux to SIGTERM the server if kgraph dies without cleaning up."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's cleanup is the only guard
        pass


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, owner: "SparqlServer"):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.owner = owner
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    """Forwards one request to Oxigraph, enforcing read-only mode and the query deadline."""

    protocol_version = "HTTP/1.1"  # chunked responses, so a cut stream is visibly incomplete
    disable_nagle_algorithm = True  # small responses leave at once, not after a delayed ACK
    server: _ProxyServer
    server_version = "kgraph-serve"

    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        if self.server.owner.log is not None:
            self.server.owner.log("%s - %s" % (self.address_string(), format % args))

    def do_GET(self):
        self._forward()

    def do_HEAD(self):
        self._forward()

    def do_POST(self):
        self._forward()

    def do_PUT(self):
        self._forward()

    def do_DELETE(self):
        self._forward()

    def do_OPTIONS(self):
        self._forward()

    # -- helpers --------------------------------------------------------------------------
    def _send_text(self, status: int, text: str) -> None:
        body = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _timeout_message(self) -> str:
        seconds = self.server.owner.timeout_s
        return (
            f"query cancelled: it ran longer than the server's timeout of {seconds:g} s; "
            "narrow it (LIMIT, more specific patterns) or restart the server with a larger --timeout"
        )

    def _forward(self) -> None:
        owner = self.server.owner
        self._headers_sent = False  # one handler serves every request of a keep-alive connection
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        body = self._read_body()
        is_write = path.startswith(_WRITE_PATHS) and self.command not in ("GET", "HEAD", "OPTIONS")
        if is_write and not owner.writable:
            self._send_text(
                403,
                "this SPARQL endpoint is read-only: updates are refused; "
                "start it with `kgraph serve --writable` to accept them",
            )
            return
        is_query = path.startswith(_QUERY_PATHS)
        deadline = time.monotonic() + owner.timeout_s + owner.grace_s if is_query else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream = http.client.HTTPConnection("127.0.0.1", owner.upstream_port, timeout=_remaining(deadline))
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            self._relay(response, upstream, deadline, is_query)
        except (socket.timeout, TimeoutError):
            self._fail(503, self._timeout_message())
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            self._fail(502, f"the Oxigraph server did not answer: {exc}")
        finally:
            upstream.close()

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()  # the CRLF after each chunk
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def _fail(self, status: int, message: str) -> None:
        if self._headers_sent:
            # a status line went out already: cut the chunked stream so the client sees an error
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.close_connection = True
        try:
            self._send_text(status, message)
        except OSError:
            pass

    def _relay(self, response: http.client.HTTPResponse, upstream, deadline, is_query: bool) -> None:
        buffered: list[bytes] = []
        size = 0
        while True:
            if upstream.sock is not None:
                upstream.sock.settimeout(_remaining(deadline))
            chunk = response.read1(_CHUNK) if self.command != "HEAD" else b""
            if not chunk:
                break
            buffered.append(chunk)
            size += len(chunk)
            if size > self.server.owner.buffer_bytes:
                self._stream(response, upstream, deadline, buffered, is_query)
                return
        data = b"".join(buffered)
        if is_query and data.rstrip().endswith(CANCELLED_MARKER):
            self._fail(503, self._timeout_message())
            return
        self.send_response(response.status, response.reason)
        self._copy_headers(response)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _copy_headers(self, response: http.client.HTTPResponse) -> None:
        for key, value in response.getheaders():
            if key.lower() not in _HOP_BY_HOP and key.lower() not in ("server", "date"):
                self.send_header(key, value)

    def _stream(self, response, upstream, deadline, buffered: list[bytes], is_query: bool) -> None:
        """A large result: send it chunked as it comes, holding back a tail to spot a cancellation."""
        self.send_response(response.status, response.reason)
        self._copy_headers(response)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._headers_sent = True
        pending = b"".join(buffered)
        keep = len(CANCELLED_MARKER) + 8
        while True:
            if len(pending) > keep:
                self._write_chunk(pending[:-keep])
                pending = pending[-keep:]
            if upstream.sock is not None:
                upstream.sock.settimeout(_remaining(deadline))
            chunk = response.read1(_CHUNK)  # a timeout raises and _fail cuts the stream
            if not chunk:
                break
            pending += chunk
        if is_query and pending.rstrip().endswith(CANCELLED_MARKER):
            self._fail(503, "")
            return
        if pending:
            self._write_chunk(pending)
        self.wfile.write(b"0\r\n\r\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


class SparqlServer:
    """A running SPARQL endpoint over a store directory (Oxigraph child + guarding proxy).

    Use :func:`start_server` (or the class as a context manager); :meth:`stop` ends both
    the proxy and the child and releases the store's lock.

    Examples
    --------
    >>> with start_server("kg.db", port=0) as server:          # doctest: +SKIP
    ...     print(server.query_url)
    http://127.0.0.1:54321/query
    """

    def __init__(
        self,
        store_dir: str | os.PathLike,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        writable: bool = False,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        grace_s: float = 1.0,
        buffer_bytes: int = BUFFER_LIMIT,
        log: Callable[[str], None] | None = None,
    ):
        self.store_dir = os.fspath(store_dir)
        self.host = host
        self.port = port
        self.writable = writable
        if timeout_s <= 0:
            raise InputError(f"timeout must be a positive number of seconds, got {timeout_s!r}")
        self.timeout_s = float(timeout_s)
        self.grace_s = grace_s  # lets Oxigraph's own cancellation answer first when it can
        self.buffer_bytes = buffer_bytes  # larger query results are streamed (a late error then cuts the stream)
        self.log = log
        self.upstream_port = 0
        self._child: subprocess.Popen | None = None
        self._child_log = None
        self._proxy: _ProxyServer | None = None
        self._thread: threading.Thread | None = None

    # -- addresses --------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        return self.url + "/update"

    @property
    def store_url(self) -> str:
        """The Graph Store HTTP Protocol endpoint (``?graph=IRI`` or ``?default``)."""
        return self.url + "/store"

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> "SparqlServer":
        if not self.writable and not os.path.isdir(self.store_dir):
            raise StoreError(
                f"store {self.store_dir!r} does not exist; build it first with "
                f"`kgraph build ARTICLES --store {self.store_dir}` (or serve it with --writable to start empty)"
            )
        if os.path.exists(self.store_dir) and not os.path.isdir(self.store_dir):
            raise StoreError(f"store {self.store_dir!r} is a file, not a store directory; give the directory `kgraph build --store` wrote")
        binary = oxigraph_binary()
        try:
            self._proxy = _ProxyServer((self.host, self.port), _Handler, self)
        except OSError as exc:
            raise InputError(
                f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}; pick another --port (or stop the process using it)"
            ) from exc
        self.port = self._proxy.server_address[1]
        try:
            self._start_child(binary)
        except BaseException:
            self._proxy.server_close()
            self._proxy = None
            raise
        self._thread = threading.Thread(target=self._proxy.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self._thread.start()
        return self

    def _start_child(self, binary: str) -> None:
        self.upstream_port = _free_loopback_port()
        command = [
            binary,
            "serve" if self.writable else "serve-read-only",
            "--location", self.store_dir,
            "--bind", f"127.0.0.1:{self.upstream_port}",
            "--union-default-graph",
            "--timeout-s", str(max(1, int(round(self.timeout_s)))),
        ]
        self._child_log = tempfile.TemporaryFile()
        self._child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._child_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches kgraph, which stops the child in order
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._child.poll() is not None:
                message = self._child_output().strip().splitlines()
                detail = message[-1] if message else f"exit code {self._child.returncode}"
                self._stop_child()
                hint = (
                    "another process (a build, a notebook, another server) holds the store; stop it first"
                    if "lock" in detail.lower()
                    else "check that it is a store directory written by kgraph"
                )
                raise StoreError(f"the Oxigraph server could not open {self.store_dir!r}: {detail}; {hint}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=1)
                conn.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
                ok = conn.getresponse().status == 200
                conn.close()
                if ok:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self._stop_child()
        raise StoreError(f"the Oxigraph server did not start within {_START_TIMEOUT_S:g} s on {self.store_dir!r}")

    def _child_output(self) -> str:
        if self._child_log is None:
            return ""
        self._child_log.seek(0)
        return self._child_log.read().decode("utf-8", "replace")

    def running(self) -> bool:
        return self._child is not None and self._child.poll() is None

    def _stop_child(self) -> None:
        child, self._child = self._child, None
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
        if self._child_log is not None:
            self._child_log.close()
            self._child_log = None

    def stop(self) -> None:
        """Stop accepting requests, terminate Oxigraph (which releases the store lock), wait for both."""
        proxy, self._proxy = self._proxy, None
        if proxy is not None:
            proxy.shutdown()
            proxy.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._stop_child()

    def __enter__(self) -> "SparqlServer":
        return self if self._proxy is not None else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        mode = "writable" if self.writable else "read-only"
        return f"SparqlServer({self.store_dir!r}, {self.url}, {mode})"


def start_server(
    store_dir: str | os.PathLike,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    writable: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    buffer_bytes: int = BUFFER_LIMIT,
    log: Callable[[str], None] | None = None,
) -> SparqlServer:
    """Start a SPARQL endpoint over ``store_dir`` in the background and return it (``port=0``
    picks a free port). Stop it with ``server.stop()`` or use it in a ``with`` block."""
    return SparqlServer(
        store_dir, host=host, port=port, writable=writable, timeout_s=timeout_s, buffer_bytes=buffer_bytes, log=log
    ).start()


def serve(
    store_dir: str | os.PathLike,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    writable: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    *,
    log: Callable[[str], None] | None = None,
    on_ready: Callable[[SparqlServer], None] | None = None,
) -> None:
    """Serve ``store_dir`` until Ctrl-C or SIGTERM, then stop the server cleanly.

    Queries: ``http://HOST:PORT/query``; updates (with ``writable``): ``/update``; Graph
    Store Protocol: ``/store``; a query page: ``http://HOST:PORT/``.
    """
    stop = threading.Event()
    previous = {}

    def _on_signal(signum, frame):
        stop.set()

    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _on_signal)
    server = start_server(store_dir, host=host, port=port, writable=writable, timeout_s=timeout_s, log=log)
    try:
        if on_ready is not None:
            on_ready(server)
        while not stop.wait(0.5):
            if not server.running():
                raise StoreError(f"the Oxigraph server for {server.store_dir!r} stopped unexpectedly")
    finally:
        server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
