"""Serve a kgraph store over the SPARQL 1.1 Protocol: Oxigraph servers behind a guarding proxy.

The real server is the ``oxigraph`` binary (PyPI package ``oxigraph``), started as child
processes on private loopback ports with ``--union-default-graph`` (queries see the default
graph as the union of all graphs, the kgraph contract). Clients talk to a small proxy in front,
because what the binary alone does not guarantee (measured with oxigraph 0.5.13) is exactly
what one hostile request needs to take a server down:

* its ``--timeout-s`` is checked only by some operators: an ``ORDER BY`` over a cross product
  kept computing after the deadline, its memory grew to 7.7 GB until the process died, and a
  ``COUNT`` of it burned a core for minutes. So a read-only server runs a **pool of worker
  processes** (``oxigraph serve-read-only``, each one query at a time, each with a memory cap set
  by ``setrlimit``): at the deadline the proxy answers ``503`` and *kills* the worker running
  the query, which gives its CPU and memory back at once; a fresh worker takes its place, and
  the other clients, served by other workers, never notice. Idle workers beyond a small warm
  set retire after a few seconds, so memory returns to its idle size;
* results are streamed, so a cancelled query answers ``200 OK`` with the error text appended
  to a half-written result document: small results are buffered and checked, large ones are
  cut visibly;
* a query may name any address in ``SERVICE <...>`` and the worker would connect to it: the
  proxy refuses federation (``403``) unless the server was started with ``allow_service``.

The proxy also normalises every request target first (an absolute URI ``http://host/update``,
``//update``, ``/%75pdate``, dot segments all become ``/update``) and then checks it: updates are
refused (``403``) on a read-only server; the ``Host`` header must name this machine (loopback
names, the address it listens on, or names the user allows), against DNS rebinding; with
``writable`` a write must come from the server's own origin (no cross-site form posts).
Malformed HTTP gets ``400``, a body over the cap ``413``; idle connections are closed after
``idle_timeout_s``; connections are served by a bounded thread pool with a long listen backlog.

``writable`` serves one ``oxigraph serve`` process (a store has one writer): a query past its
deadline stops that process and starts it again, so requests in flight at that moment fail
with ``503``. Everything else (``/query``, ``/update``, ``/store``, the YASGUI page at ``/``
whose JavaScript and CSS the binary serves itself, so it works offline) passes through.

A read-only server holds a shared lock beside the store (:mod:`kgraph.rdf.locks`): a build into
the store while it is served is refused with a clear message (the server would not see its
changes, and Oxigraph calls a reader beside a writer undefined behaviour); stop the server
first, or serve with ``writable`` and build through ``--store http://HOST:PORT``.
"""
from __future__ import annotations

import http.client
import os
import posixpath
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Callable, Iterable

from kgraph.errors import ConfigError, InputError, StoreError

__all__ = [
    "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT_S", "DEFAULT_MEMORY_LIMIT_MB", "SparqlServer",
    "oxigraph_binary", "serve", "start_server",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
#: address-space cap of each query worker; a query that needs more is stopped with a 503
DEFAULT_MEMORY_LIMIT_MB = 2048
#: query workers at most (each runs one query at a time), and how many are kept ready when idle
DEFAULT_MAX_WORKERS = 8
DEFAULT_WARM_WORKERS = 2
#: threads serving client connections, and the kernel's queue of connections not yet accepted
DEFAULT_MAX_THREADS = 128
LISTEN_BACKLOG = 1024
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
DEFAULT_IDLE_TIMEOUT_S = 15.0
#: what Oxigraph appends to a streamed result when its own timeout cancels the query
CANCELLED_MARKER = b"The SPARQL operation has been cancelled"
#: query responses up to this size are buffered, so a late failure can still become an error status
BUFFER_LIMIT = 8 * 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain", "ip6-localhost"})
_CHUNK = 64 * 1024
_MAX_LINE = 8192
_HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "trailers", "transfer-encoding", "upgrade", "content-length", "host",
}
_QUERY_PATHS = ("/query", "/sparql")
_WRITE_PATHS = ("/update", "/store")
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
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


def _child_setup(memory_limit_bytes: int | None) -> None:
    """Child-side, before exec: die with kgraph (Linux), and cap the address space."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's cleanup is the only guard
        pass
    if memory_limit_bytes:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit_bytes, memory_limit_bytes))
        except (ImportError, ValueError, OSError):
            pass


class _Reject(Exception):
    """A request answered with an error status before it reaches Oxigraph."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# -- workers ----------------------------------------------------------------------------------------
class _Worker:
    """One ``oxigraph`` server process on a private loopback port."""

    def __init__(self, owner: "SparqlServer", binary: str):
        self.owner = owner
        self.port = _free_loopback_port()
        self.users = 0
        self.idle_since = time.monotonic()
        self.connection: http.client.HTTPConnection | None = None  # kept open between leases (< 1 s)
        self.connection_used = 0.0
        command = [
            binary,
            "serve" if owner.writable else "serve-read-only",
            "--location", owner.store_dir,
            "--bind", f"127.0.0.1:{self.port}",
            "--union-default-graph",
            "--timeout-s", str(max(1, int(round(owner.timeout_s)))),
        ]
        self.log = tempfile.TemporaryFile()
        limit = owner.memory_limit_mb * 1024 * 1024 if owner.memory_limit_mb else None
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches kgraph, which stops the workers in order
            preexec_fn=(lambda: _child_setup(limit)) if sys.platform.startswith("linux") else None,
            # glibc reserves 64 MB of address space per malloc arena (one per thread that
            # allocates, and Oxigraph starts a thread per request): two arenas keep the address
            # space, which the memory cap limits, close to the memory really used (measured:
            # 491 -> 164 MB idle, 1,285 -> 368 MB after 100 requests)
            env={**os.environ, "MALLOC_ARENA_MAX": "2"},
        )
        try:
            self._wait_ready()
        except BaseException:
            self.kill()
            raise

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_S
        pause = 0.005
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = self.output().strip().splitlines()
                detail = message[-1] if message else f"exit code {self.process.returncode}"
                hint = (
                    "another process (a build, a notebook, another server) holds the store; stop it first"
                    if "lock" in detail.lower()
                    else "check that it is a store directory written by kgraph"
                )
                raise StoreError(f"the Oxigraph server could not open {self.owner.store_dir!r}: {detail}; {hint}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
                ok = conn.getresponse().status == 200
                conn.close()
                if ok:
                    return
            except OSError:
                pass
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        raise StoreError(f"the Oxigraph server did not start within {_START_TIMEOUT_S:g} s on {self.owner.store_dir!r}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        try:
            self.log.seek(0)
            return self.log.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def kill(self, *, gently: bool = False) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        if self.process.poll() is None:
            if gently:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
            else:
                self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - the kernel always reaps a SIGKILL
            pass
        try:
            self.log.close()
        except OSError:
            pass


class _Pool:
    """The workers of one server. Read-only: each request leases a worker of its own (started on
    demand up to ``max_workers``); writable: one worker shared by every request."""

    def __init__(self, owner: "SparqlServer", binary: str):
        self.owner = owner
        self.binary = binary
        self.exclusive = not owner.writable
        self.max_workers = owner.max_workers if self.exclusive else 1
        self.warm = min(owner.warm_workers, self.max_workers) if self.exclusive else 1
        self._cond = threading.Condition()
        self._workers: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._starting = 0
        self._closed = False
        self._janitor: threading.Thread | None = None

    def start(self) -> None:
        first = _Worker(self.owner, self.binary)  # errors (a locked or broken store) surface here
        with self._cond:
            self._workers.append(first)
            self._idle.append(first)
        self._janitor = threading.Thread(target=self._tend, name="kgraph-serve-workers", daemon=True)
        self._janitor.start()

    def acquire(self, deadline: float | None) -> _Worker:
        """A worker for one request; ``_Reject(503)`` if none frees up before ``deadline``."""
        with self._cond:
            while True:
                if self._closed:
                    raise _Reject(503, "the server is stopping")
                if not self.exclusive and self._workers and self._workers[0].alive():
                    worker = self._workers[0]
                    worker.users += 1
                    return worker
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        worker.users += 1
                        return worker
                    self._forget(worker)
                if len(self._workers) + self._starting < self.max_workers:
                    self._starting += 1
                    break
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise _Reject(503, f"the server is busy: all {self.max_workers} query workers are taken; retry shortly")
                self._cond.wait(timeout=left if left is not None else 1.0)
        try:
            worker = _Worker(self.owner, self.binary)
        except StoreError as exc:
            with self._cond:
                self._starting -= 1
                self._cond.notify_all()
            raise _Reject(502, f"could not start a query worker: {exc}") from None
        with self._cond:
            self._starting -= 1
            self._workers.append(worker)
            worker.users += 1
        return worker

    def release(self, worker: _Worker, healthy: bool) -> None:
        """Give ``worker`` back; a worker that ran past a deadline (or died) is killed."""
        with self._cond:
            worker.users -= 1
            if healthy and worker.alive() and not self._closed:
                if self.exclusive:
                    worker.idle_since = time.monotonic()
                    self._idle.append(worker)
                self._cond.notify_all()
                return
        # SIGKILL: its CPU and memory come back now, whatever it was doing; killed before it is
        # forgotten, so a writable store's lock is free when the replacement starts
        worker.kill()
        with self._cond:
            self._forget(worker)
            self._cond.notify_all()
        if self.owner.log is not None:
            self.owner.log(f"query worker {worker.pid} stopped; a fresh one takes its place")

    def _forget(self, worker: _Worker) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        if worker in self._idle:
            self._idle.remove(worker)

    def pids(self, busy: bool | None = None) -> list[int]:
        with self._cond:
            return [w.pid for w in self._workers if w.alive() and (busy is None or (w.users > 0) == busy)]

    def _tend(self) -> None:
        """Keep ``warm`` workers ready, retire idle extras, forget dead ones."""
        while True:
            with self._cond:
                if self._closed:
                    return
                for worker in [w for w in self._workers if not w.alive() and w.users == 0]:
                    self._forget(worker)
                retire = []
                now = time.monotonic()
                while len(self._idle) > self.warm and now - self._idle[0].idle_since > self.owner.idle_retire_s:
                    worker = self._idle.pop(0)
                    self._forget(worker)
                    retire.append(worker)
                missing = self.warm - len(self._idle) - self._starting
                room = self.max_workers - len(self._workers) - self._starting
                spawn = self.exclusive and missing > 0 and room > 0
                if spawn:
                    self._starting += 1
            for worker in retire:
                worker.kill(gently=True)
            if spawn:
                self._add_warm()
                continue
            with self._cond:
                self._cond.wait(timeout=0.25)

    def _add_warm(self) -> None:
        try:
            fresh = _Worker(self.owner, self.binary)
        except StoreError as exc:
            fresh = None
            if self.owner.log is not None:
                self.owner.log(f"could not start a query worker: {exc}")
            time.sleep(1)  # a broken store: do not spin
        with self._cond:
            self._starting -= 1
            keep = fresh is not None and not self._closed
            if keep:
                self._workers.append(fresh)
                self._idle.append(fresh)
            self._cond.notify_all()
        if fresh is not None and not keep:
            fresh.kill()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers, self._workers, self._idle = list(self._workers), [], []
            self._cond.notify_all()
        for worker in workers:
            worker.kill(gently=True)  # SIGTERM first: a writable Oxigraph flushes and releases its lock
        if self._janitor is not None:
            self._janitor.join(timeout=5)


# -- the proxy ----------------------------------------------------------------------------------------
class _ProxyServer(HTTPServer):
    """An HTTP server whose connections are served by a bounded pool of threads."""

    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address, handler, owner: "SparqlServer"):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.owner = owner
        self.waiting = 0  # connections accepted but not yet given a thread
        self._waiting_lock = threading.Lock()
        self._threads = ThreadPoolExecutor(max_workers=owner.max_threads, thread_name_prefix="kgraph-serve")
        # a request must arrive whole (line, headers, body) within idle_timeout_s, however slowly
        # it trickles in: each read has its own timeout, so without this a client sending a byte
        # now and then would hold a thread for ever
        self._reading: dict[socket.socket, float] = {}
        self._stopping = threading.Event()
        super().__init__(address, handler)
        threading.Thread(target=self._cut_slow_requests, name="kgraph-serve-watchdog", daemon=True).start()

    def reading(self, connection: socket.socket, until: float | None) -> None:
        """Start (``until`` = deadline) or end (``None``) the watch over a request being read."""
        with self._waiting_lock:
            if until is None:
                self._reading.pop(connection, None)
            else:
                self._reading[connection] = until

    def _cut_slow_requests(self) -> None:
        while not self._stopping.wait(0.25):
            now = time.monotonic()
            with self._waiting_lock:
                late = [c for c, until in self._reading.items() if until < now]
                for connection in late:
                    del self._reading[connection]
            for connection in late:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def process_request(self, request, client_address):
        with self._waiting_lock:
            self.waiting += 1
        self._threads.submit(self._serve_connection, request, client_address)

    def _serve_connection(self, request, client_address):
        with self._waiting_lock:
            self.waiting -= 1
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def handle_error(self, request, client_address):
        """One line in the log, never a traceback on stderr."""
        exc = sys.exc_info()[1]
        if self.owner.log is not None:
            self.owner.log(f"{client_address[0]} - connection error: {type(exc).__name__}: {exc}")

    def server_close(self):
        self._stopping.set()
        super().server_close()
        self._threads.shutdown(wait=False, cancel_futures=True)


class _Handler(BaseHTTPRequestHandler):
    """Checks one request, then forwards it to an Oxigraph worker under the query deadline."""

    protocol_version = "HTTP/1.1"  # chunked responses, so a cut stream is visibly incomplete
    disable_nagle_algorithm = True  # small responses leave at once, not after a delayed ACK
    server: _ProxyServer
    server_version = "kgraph-serve"

    def setup(self):
        self.timeout = self.server.owner.idle_timeout_s  # reads and writes on an idle client give up
        super().setup()

    def handle_one_request(self):
        self.server.reading(self.connection, time.monotonic() + self.server.owner.idle_timeout_s)
        try:
            super().handle_one_request()
        finally:
            self.server.reading(self.connection, None)

    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        if self.server.owner.log is not None:
            self.server.owner.log("%s - %s" % (self.address_string(), format % args))

    def do_GET(self):
        self._handle()

    def do_HEAD(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def do_OPTIONS(self):
        self._handle()

    def do_PATCH(self):
        self._handle()

    # -- one request ---------------------------------------------------------------------------
    def _handle(self) -> None:
        owner = self.server.owner
        self._headers_sent = False  # one handler serves every request of a keep-alive connection
        try:
            path, query_string, uri_host = _normalise_target(self.path)
            self._check_host(uri_host)
            body = self._read_body()
            self.server.reading(self.connection, None)  # read whole: the query deadline rules now
            self._check_method(path)
            if not owner.allow_service and path in _QUERY_PATHS + ("/update",):
                from kgraph.rdf.federation import REFUSAL, uses_service

                if any(uses_service(text) for text in _sparql_texts(query_string, self.headers, body)):
                    raise _Reject(403, REFUSAL)
        except _Reject as rejected:
            self.close_connection = True
            self._send_text(rejected.status, rejected.message)
            return
        target = urllib.parse.quote(path, safe="/:@!$&'()*+,;=-._~") + ("?" + query_string if query_string else "")
        self._forward(path, target, body)
        if self.server.waiting:
            self.close_connection = True  # others wait for a thread: do not hold this one idle

    def _check_host(self, uri_host: str | None) -> None:
        owner = self.server.owner
        host = uri_host if uri_host is not None else self.headers.get("Host")
        if host is None:
            if self.request_version == "HTTP/1.0":
                return
            raise _Reject(400, "bad request: no Host header")
        if not owner.host_allowed(_host_name(host)):
            raise _Reject(
                403,
                f"this server does not answer for host {host.strip()!r} (DNS rebinding guard); "
                "use http://127.0.0.1 or localhost, or start it with --allow-host NAME",
            )

    def _check_method(self, path: str) -> None:
        owner = self.server.owner
        if self.command in _SAFE_METHODS:
            return
        if not owner.writable and path not in _QUERY_PATHS:
            raise _Reject(
                403,
                "this SPARQL endpoint is read-only: updates are refused; "
                "start it with `kgraph serve --writable` to accept them",
            )
        if owner.writable and path in _WRITE_PATHS:
            origin = self.headers.get("Origin")
            fetch_site = (self.headers.get("Sec-Fetch-Site") or "").lower()
            if (origin is not None and not owner.origin_allowed(origin)) or fetch_site == "cross-site":
                raise _Reject(
                    403,
                    f"write refused: it comes from another web site (Origin {origin or fetch_site}); "
                    f"writes are accepted from {owner.url} or from non-browser clients",
                )

    def _read_body(self) -> bytes | None:
        """The request body, within the size cap; ``_Reject`` for anything malformed."""
        cap = self.server.owner.max_body_bytes
        encodings = self.headers.get_all("Transfer-Encoding") or []
        lengths = self.headers.get_all("Content-Length") or []
        if encodings:
            if lengths:
                raise _Reject(400, "bad request: both Transfer-Encoding and Content-Length")
            if [e.strip().lower() for e in ",".join(encodings).split(",")] != ["chunked"]:
                raise _Reject(400, f"bad request: unsupported Transfer-Encoding {', '.join(encodings)!r}; send chunked or a Content-Length")
            return self._read_chunked(cap)
        if not lengths:
            return None
        values = {v.strip() for v in lengths}
        if len(values) != 1 or not re.fullmatch(r"[0-9]{1,19}", next(iter(values))):
            raise _Reject(400, f"bad request: invalid Content-Length {', '.join(lengths)!r}")
        length = int(next(iter(values)))
        if length > cap:
            raise _Reject(413, f"request body of {length} bytes is over this server's limit of {cap} bytes")
        data = self.rfile.read(length) if length else b""
        if len(data) < length:
            raise _Reject(400, "bad request: the body ended early")
        return data or None

    def _read_chunked(self, cap: int) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(_MAX_LINE + 1)
            size_text = line.split(b";", 1)[0].strip()
            if len(line) > _MAX_LINE or not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
                raise _Reject(400, "bad request: invalid chunk size in a chunked body")
            size = int(size_text, 16)
            if size == 0:
                for _ in range(100):  # trailers, then the blank line
                    if self.rfile.readline(_MAX_LINE + 1) in (b"\r\n", b"\n", b""):
                        break
                return b"".join(parts)
            total += size
            if total > cap:
                raise _Reject(413, f"request body over this server's limit of {cap} bytes")
            data = self.rfile.read(size)
            if len(data) < size or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise _Reject(400, "bad request: a chunk of the chunked body is cut or malformed")
            parts.append(data)

    # -- forwarding ---------------------------------------------------------------------------------
    def _send_text(self, status: int, text: str) -> None:
        body = (text + "\n").encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            self.close_connection = True

    def _timeout_message(self) -> str:
        seconds = self.server.owner.timeout_s
        return (
            f"query cancelled: it ran longer than the server's timeout of {seconds:g} s; "
            "narrow it (LIMIT, more specific patterns) or restart the server with a larger --timeout"
        )

    def _forward(self, path: str, target: str, body: bytes | None) -> None:
        owner = self.server.owner
        is_query = path in _QUERY_PATHS
        deadline = time.monotonic() + owner.timeout_s + owner.grace_s if is_query else None
        try:
            worker = owner._pool.acquire(deadline if deadline is not None else time.monotonic() + owner.timeout_s)
        except _Reject as rejected:
            self._fail(rejected.status, rejected.message)
            return
        healthy = False
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        # a leased worker keeps its connection open between requests (no TCP set-up per query)
        upstream, worker.connection = worker.connection, None
        try:
            response, upstream = self._send_upstream(worker, upstream, target, body, headers, deadline)
            healthy = self._relay(response, upstream, deadline, is_query)
            if healthy and owner._pool.exclusive and not response.will_close:
                response.read()  # marks the exchange finished (read1 leaves it open at a Content-Length end)
                if response.isclosed():
                    worker.connection, upstream = upstream, None
                    worker.connection_used = time.monotonic()
        except (socket.timeout, TimeoutError):
            self._fail(503, self._timeout_message())
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            if not worker.alive() or _wait_dead(worker):
                self._fail(
                    503,
                    f"query stopped: it needed more memory than this server allows a query "
                    f"({owner.memory_limit_mb} MB, --memory-limit); narrow it (LIMIT, more specific patterns)",
                )
            else:
                self._fail(502, f"the Oxigraph server did not answer: {exc}")
        finally:
            if upstream is not None:
                upstream.close()
            owner._pool.release(worker, healthy)

    def _send_upstream(self, worker: _Worker, reused, target: str, body, headers, deadline):
        """Send the request to ``worker``: on the connection it kept open if any (a fresh one
        if that was closed meanwhile), else on a new one. Returns (response, connection)."""
        if reused is not None and (time.monotonic() - worker.connection_used > 1.0 or not _still_fresh(reused)):
            reused.close()
            reused = None
        if reused is not None:
            try:
                if reused.sock is not None:
                    reused.sock.settimeout(_remaining(deadline))
                reused.request(self.command, target, body=body, headers=headers)
                return reused.getresponse(), reused
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, http.client.CannotSendRequest):
                reused.close()
        upstream = http.client.HTTPConnection("127.0.0.1", worker.port, timeout=_remaining(deadline))
        upstream.request(self.command, target, body=body, headers=headers)
        return upstream.getresponse(), upstream

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
        self._send_text(status, message)

    def _relay(self, response: http.client.HTTPResponse, upstream, deadline, is_query: bool) -> bool:
        """Send Oxigraph's answer on; ``False`` when the query was cancelled (its worker must go)."""
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
                return self._stream(response, upstream, deadline, buffered, is_query)
        data = b"".join(buffered)
        if is_query and data.rstrip().endswith(CANCELLED_MARKER):
            self._fail(503, self._timeout_message())
            return False
        self.send_response(response.status, response.reason)
        self._copy_headers(response)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        return True

    def _copy_headers(self, response: http.client.HTTPResponse) -> None:
        for key, value in response.getheaders():
            if key.lower() not in _HOP_BY_HOP and key.lower() not in ("server", "date"):
                self.send_header(key, value)

    def _stream(self, response, upstream, deadline, buffered: list[bytes], is_query: bool) -> bool:
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
            return False
        if pending:
            self._write_chunk(pending)
        self.wfile.write(b"0\r\n\r\n")
        return True

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))


def _still_fresh(connection: http.client.HTTPConnection) -> bool:
    """Whether a kept-open connection to a worker can carry a new request: nothing is waiting to
    be read on it. Oxigraph answers a connection idle past its read timeout with an unsolicited
    ``500 Resource temporarily unavailable``, which must not be taken for the next answer."""
    import select

    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


def _wait_dead(worker: _Worker, seconds: float = 0.5) -> bool:
    """Whether ``worker`` ends within ``seconds`` (a worker that hit its memory cap is aborting)."""
    try:
        worker.process.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        return False


def _normalise_target(raw: str) -> tuple[str, str, str | None]:
    """``(path, query string, host named in an absolute URI)`` of a request target, the path
    percent-decoded with dot segments and repeated slashes resolved, so that every form of
    ``/update`` is checked as ``/update``."""
    host = None
    if raw == "*":
        return "*", "", None
    if not raw.startswith("/"):
        parts = urllib.parse.urlsplit(raw)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise _Reject(400, f"bad request: unsupported request target {raw[:100]!r}")
        host = parts.netloc.rsplit("@", 1)[-1]
        raw = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    path, _, query = raw.partition("?")
    try:
        path = urllib.parse.unquote(path, errors="strict") if "%" in path else path
    except UnicodeDecodeError:
        raise _Reject(400, "bad request: the path is not UTF-8 once percent-decoded") from None
    if any(ord(c) < 0x20 or c == "\x7f" for c in path):
        raise _Reject(400, "bad request: control characters in the path")
    path = posixpath.normpath("/" + path.lstrip("/"))
    path = "/" + path.lstrip("/")
    return (path.rstrip("/") or "/"), query, host


def _host_name(host: str) -> str:
    """The name in a Host header (or an absolute URI's authority), without the port, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _sparql_texts(query_string: str, headers, body: bytes | None) -> Iterable[str]:
    """The SPARQL a request carries: ``query``/``update`` parameters in the URL or a form body,
    or the body itself (``application/sparql-query`` / ``sparql-update``)."""
    for key, value in urllib.parse.parse_qsl(query_string, keep_blank_values=True):
        if key in ("query", "update"):
            yield value
    if body:
        content_type = (headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        text = body.decode("utf-8", "replace")
        if content_type == "application/x-www-form-urlencoded":
            for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
                if key in ("query", "update"):
                    yield value
        else:
            yield text


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


class SparqlServer:
    """A running SPARQL endpoint over a store directory (Oxigraph workers + guarding proxy).

    Use :func:`start_server` (or the class as a context manager); :meth:`stop` ends the proxy
    and every worker and releases the store.

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
        grace_s: float = 0.5,
        buffer_bytes: int = BUFFER_LIMIT,
        log: Callable[[str], None] | None = None,
        allow_service: bool = False,
        allowed_hosts: Iterable[str] = (),
        memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
        max_workers: int = DEFAULT_MAX_WORKERS,
        warm_workers: int = DEFAULT_WARM_WORKERS,
        idle_retire_s: float = 5.0,
        max_threads: int = DEFAULT_MAX_THREADS,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
    ):
        self.store_dir = os.fspath(store_dir)
        self.host = host
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise InputError(f"port must be a number from 0 to 65535 (0 picks a free one), got {port!r}; e.g. --port 7878")
        self.port = port
        self.writable = writable
        if not isinstance(timeout_s, (int, float)) or timeout_s <= 0:
            raise InputError(f"timeout must be a positive number of seconds, got {timeout_s!r}")
        for name, value in (("max_workers", max_workers), ("max_threads", max_threads), ("max_body_bytes", max_body_bytes)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(f"{name} must be a positive integer, got {value!r}")
        if memory_limit_mb is not None and (not isinstance(memory_limit_mb, int) or memory_limit_mb < 64):
            raise InputError(f"memory limit must be at least 64 MB, got {memory_limit_mb!r}; e.g. --memory-limit 2048")
        self.timeout_s = float(timeout_s)
        self.grace_s = grace_s  # lets Oxigraph's own cancellation answer first when it can
        self.buffer_bytes = buffer_bytes  # larger query results are streamed (a late error then cuts the stream)
        self.log = log
        self.allow_service = allow_service
        self.allowed_hosts = {_host_name(h) for h in allowed_hosts}
        self.memory_limit_mb = memory_limit_mb
        self.max_workers = max_workers
        self.warm_workers = max(1, min(warm_workers, max_workers))
        self.idle_retire_s = idle_retire_s
        self.max_threads = max_threads
        self.max_body_bytes = max_body_bytes
        self.idle_timeout_s = idle_timeout_s
        self._pool: _Pool | None = None
        self._proxy: _ProxyServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = None

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

    # -- checks -----------------------------------------------------------------------------
    def host_allowed(self, name: str) -> bool:
        """Whether a request naming host ``name`` (no port) is answered: loopback names, the
        address the server listens on, and the names the user allowed (``*``: any)."""
        if name in LOOPBACK_NAMES or name in self.allowed_hosts or "*" in self.allowed_hosts:
            return True
        return name == _host_name(self.host) and self.host not in ("0.0.0.0", "::", "")

    def origin_allowed(self, origin: str) -> bool:
        """Whether a browser ``Origin`` is this server itself (scheme, allowed host, port)."""
        parts = urllib.parse.urlsplit(origin.strip())
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        return parts.scheme == "http" and parts.hostname is not None and self.host_allowed(parts.hostname) and port == self.port

    def worker_pids(self, busy: bool | None = None) -> list[int]:
        """Process ids of the live Oxigraph workers (``busy=True``: those running a request)."""
        return self._pool.pids(busy) if self._pool is not None else []

    # -- life cycle ---------------------------------------------------------------------------
    def _check_store(self) -> None:
        location = self.store_dir
        if os.path.exists(location) and not os.path.isdir(location):
            raise StoreError(f"store {location!r} is a file, not a store directory; give the directory `kgraph build --store` wrote")
        if not os.path.isdir(location):
            if self.writable:
                return
            raise StoreError(
                f"store {location!r} does not exist; build it first with "
                f"`kgraph build ARTICLES --store {location}` (or serve it with --writable to start empty)"
            )
        content = set(os.listdir(location)) - {"kgraph.lock"}
        if "CURRENT" not in content and (content or not self.writable):
            raise StoreError(
                f"{location!r} is not a kgraph store (no Oxigraph database in it); give the directory "
                f"`kgraph build --store DIR` wrote, or serve an empty folder with --writable"
            )

    def start(self) -> "SparqlServer":
        self._check_store()
        binary = oxigraph_binary()
        if not self.writable:
            from kgraph.rdf.locks import lock_store

            try:
                self._lock = lock_store(self.store_dir, exclusive=False)
            except BlockingIOError:
                raise StoreError(
                    f"store {self.store_dir!r} is being written (a build or `kgraph remove` is running); "
                    "serve it once that has finished"
                ) from None
        try:
            try:
                self._proxy = _ProxyServer((self.host, self.port), _Handler, self)
            except OSError as exc:
                raise InputError(
                    f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}; pick another --port (or stop the process using it)"
                ) from exc
            self.port = self._proxy.server_address[1]
            self._pool = _Pool(self, binary)
            self._pool.start()
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(target=self._proxy.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self._thread.start()
        return self

    def running(self) -> bool:
        return self._proxy is not None and self._pool is not None and not self._pool._closed

    def stop(self) -> None:
        """Stop accepting requests, stop every worker (which releases the store), wait for them."""
        proxy, self._proxy = self._proxy, None
        if proxy is not None:
            if self._thread is not None:
                proxy.shutdown()
            proxy.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.close()

    def __enter__(self) -> "SparqlServer":
        return self if self._proxy is not None else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        mode = "writable" if self.writable else "read-only"
        return f"SparqlServer({self.store_dir!r}, {self.url}, {mode})"


def start_server(store_dir: str | os.PathLike, **options) -> SparqlServer:
    """Start a SPARQL endpoint over ``store_dir`` in the background and return it (``port=0``
    picks a free port); ``options`` are :class:`SparqlServer`'s. Stop it with ``server.stop()``
    or use it in a ``with`` block."""
    return SparqlServer(store_dir, **options).start()


def serve(
    store_dir: str | os.PathLike,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    writable: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    *,
    log: Callable[[str], None] | None = None,
    on_ready: Callable[[SparqlServer], None] | None = None,
    **options,
) -> None:
    """Serve ``store_dir`` until Ctrl-C or SIGTERM, then stop the server cleanly.

    Queries: ``http://HOST:PORT/query``; updates (with ``writable``): ``/update``; Graph
    Store Protocol: ``/store``; a query page: ``http://HOST:PORT/``. ``options`` are
    :class:`SparqlServer`'s (``allow_service``, ``allowed_hosts``, ``memory_limit_mb``, ...).
    """
    stop = threading.Event()
    previous = {}

    def _on_signal(signum, frame):
        stop.set()

    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _on_signal)
    try:
        server = start_server(store_dir, host=host, port=port, writable=writable, timeout_s=timeout_s, log=log, **options)
        try:
            if on_ready is not None:
                on_ready(server)
            while not stop.wait(0.5):
                if not server.running():
                    raise StoreError(f"the Oxigraph server for {server.store_dir!r} stopped unexpectedly")
        finally:
            server.stop()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
