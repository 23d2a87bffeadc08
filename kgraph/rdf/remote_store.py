"""A Store over a remote SPARQL 1.1 endpoint (Protocol for queries, Update for writes), stdlib HTTP only.

Written to the W3C standards so that Oxigraph server (tested), Apache Jena Fuseki and GraphDB
work; what differs between them is only where the endpoints live and how the default graph
is seen:

* **Endpoints.** ``RemoteStore("http://host:7878")`` uses ``/query`` and ``/update`` under
  that base (Oxigraph; also Fuseki with ``http://host:3030/DATASET``). A URL ending in
  ``/query`` or ``/sparql`` is the query endpoint itself and ``/update`` sits beside it. Give
  ``update_url`` when the server puts it elsewhere (GraphDB:
  ``http://host:7200/repositories/REPO`` and ``.../repositories/REPO/statements``).
* **Default graph = union of all graphs** (the kgraph contract). Oxigraph: start the server
  with ``--union-default-graph`` (``kgraph serve`` does). GraphDB: its default graph already
  holds every statement. Fuseki (TDB2): set ``tdb2:unionDefaultGraph true`` on the dataset,
  or pass ``default_graph_uri="urn:x-arq:UnionGraph"``, sent as the protocol's
  ``default-graph-uri`` parameter with every query.

Writes, ``protocol="update"`` (default): :meth:`RemoteStore.apply` sends the whole
:class:`~kgraph.rdf.store.Changes` as ONE SPARQL Update request (``DROP SILENT GRAPH`` +
``INSERT DATA`` per replaced article graph, ``DELETE DATA``/``INSERT DATA`` on the default
graph), which Oxigraph, Fuseki and GraphDB each run as one transaction: all of it or nothing.
Every operation is idempotent (a graph is dropped before it is refilled; inserting a triple
that is there adds nothing), so re-running a build after a failure completes the load
without duplicates.

``protocol="gsp"``, for endpoints that take the Graph Store HTTP Protocol but not Update
(``store_url``: Oxigraph ``.../store``, Fuseki ``.../DATASET/data``): each article graph is
replaced with one ``PUT ?graph=IRI`` and dropped with ``DELETE``; the default graph gets
``POST ?default`` for additions and, for removals, ``GET`` + ``PUT ?default``. Each request
is atomic, the whole change is not: the default graph is written *first*, so a failure leaves
article graphs missing (a re-run writes them and re-plans the default graph) rather than
present with their derived triples missing (a re-run would skip them as unchanged).
"""
from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Iterator
from urllib.parse import urlsplit

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kgraph.errors import QueryError, StoreError
from kgraph.rdf.namespace import PREFIXES
from kgraph.rdf.store import Changes, QueryResult, Store

__all__ = ["RemoteStore", "with_prefixes"]

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def with_prefixes(sparql: str) -> str:
    """``sparql`` with kgraph's prefixes declared in front, except those it declares itself."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return head + sparql


def _term(binding: dict) -> Node:
    """An rdflib term from one SPARQL 1.1 JSON results binding."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": the pre-standard spelling some servers use
        if binding.get("xml:lang"):
            return Literal(value, lang=binding["xml:lang"])
        datatype = binding.get("datatype")
        if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise StoreError(f"unsupported term type {kind!r} in SPARQL results; the endpoint answered {binding!r}")


def _ntriples(triples) -> bytes:
    from kgraph.rdf.oxigraph_store import to_oxigraph

    return "".join(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} .\n" for s, p, o in triples).encode("utf-8")


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0][:300] if text else ""


class RemoteStore(Store):
    """A store on a SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, ...).

    Examples
    --------
    >>> store = RemoteStore("http://127.0.0.1:7878")                 # doctest: +SKIP
    >>> store.query("ASK { ?p kg:leads ?o }").boolean                # doctest: +SKIP
    True
    """

    name = "sparql"

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        timeout: float = 30,
        default_graph_uri: str | None = None,
        headers: dict[str, str] | None = None,
        protocol: str = "update",
        store_url: str | None = None,
    ):
        if not url or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise StoreError(f"not a SPARQL endpoint URL: {url!r}; give one like http://127.0.0.1:7878/query")
        base = url.rstrip("/")
        if base.endswith(("/query", "/sparql")):
            self.query_url = base
            base = base.rsplit("/", 1)[0]
        else:
            self.query_url = base + "/query"
        self.update_url = update_url or base + "/update"
        if protocol not in ("update", "gsp"):
            raise StoreError(f"unknown write protocol {protocol!r}; use 'update' (SPARQL Update) or 'gsp' (Graph Store HTTP Protocol)")
        self.protocol = protocol
        self.store_url = store_url or base + "/store"
        self.url = url
        self.timeout = timeout
        self.default_graph_uri = default_graph_uri
        self.headers = dict(headers or {})  # e.g. {"Authorization": "Basic ..."}

    # -- HTTP -----------------------------------------------------------------------------
    def _post(self, url: str, body: bytes, content_type: str, accept: str | None = None) -> tuple[str, bytes]:
        return self._send("POST", url, body, content_type, accept)

    def _send(
        self, method: str, url: str, body: bytes | None, content_type: str | None, accept: str | None = None,
        missing_ok: bool = False,
    ) -> tuple[str, bytes]:
        headers = dict(self.headers)
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            if missing_ok and exc.code == 404:
                return "", b""
            detail = _first_line(exc.read().decode("utf-8", "replace")) or exc.reason
            if exc.code == 400 and url == self.query_url:
                raise QueryError(f"the SPARQL endpoint {url} rejected the query: {detail}") from None
            hint = {
                401: "give credentials with headers={'Authorization': ...}",
                403: "the endpoint is read-only; start it writable (e.g. `kgraph serve --writable`) or use another endpoint",
                404: "check the URL (queries usually go to .../query or .../sparql, updates to .../update, Graph Store Protocol writes to .../store or .../DATASET/data)",
            }.get(exc.code, "see the server's log")
            raise StoreError(f"SPARQL endpoint {url} answered HTTP {exc.code}: {detail}; {hint}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                why = "connection refused"
            elif isinstance(reason, (socket.timeout, TimeoutError)):
                why = f"no answer within {self.timeout:g} s"
            elif isinstance(reason, socket.gaierror):
                why = "unknown host"
            else:
                why = getattr(reason, "strerror", None) or str(reason)
            raise StoreError(
                f"cannot reach SPARQL endpoint {url}: {why}; check that the server is running at that address"
            ) from None
        except (socket.timeout, TimeoutError):
            raise StoreError(
                f"SPARQL endpoint {url} did not answer within {self.timeout:g} s; raise timeout= or simplify the request"
            ) from None
        except (ConnectionError, OSError) as exc:  # reset or broken mid-response
            raise StoreError(f"connection to SPARQL endpoint {url} broke: {exc}; re-run to complete the load") from None

    # -- reading --------------------------------------------------------------------------
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query (kgraph's prefixes predeclared) through the SPARQL 1.1 Protocol."""
        params = [("query", with_prefixes(sparql))]
        if self.default_graph_uri:
            params.append(("default-graph-uri", self.default_graph_uri))
        content_type, body = self._post(
            self.query_url, urllib.parse.urlencode(params).encode("utf-8"), "application/x-www-form-urlencoded", _ACCEPT
        )
        media = content_type.split(";")[0].strip().lower()
        if media in ("application/sparql-results+json", "application/json"):
            try:
                data = json.loads(body)
            except ValueError as exc:
                raise StoreError(f"SPARQL endpoint {self.query_url} sent malformed JSON results: {exc}") from None
            if "boolean" in data:
                return QueryResult(kind="ask", boolean=bool(data["boolean"]))
            variables = list(data.get("head", {}).get("vars", []))
            rows = [
                tuple(_term(b[v]) if v in b else None for v in variables)
                for b in data.get("results", {}).get("bindings", [])
            ]
            return QueryResult(kind="select", vars=variables, rows=rows)
        if media in ("application/n-triples", "text/turtle", "text/plain"):
            return QueryResult(kind="graph", triples=self._parse_triples(body, media))
        raise StoreError(
            f"SPARQL endpoint {self.query_url} answered with {content_type or 'no content type'}; "
            "expected SPARQL JSON results or N-Triples: is this URL a SPARQL query endpoint?"
        )

    @staticmethod
    def _parse_triples(body: bytes, media: str):
        import pyoxigraph as ox

        from kgraph.rdf.oxigraph_store import from_oxigraph

        fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
        return [
            (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
            for t in ox.parse(body, format=fmt)
        ]

    def graph_names(self) -> set[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return {str(row[0]) for row in result.rows if row[0] is not None}

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        """Every quad. Default-graph triples are those of the union in no named graph, which
        reads right whether or not the endpoint makes the default graph the union."""
        named = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        for s, p, o, g in named.rows:
            yield s, p, o, g
        default = self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
        for s, p, o in default.rows:
            yield s, p, o, None

    # -- writing --------------------------------------------------------------------------
    def apply(self, changes: Changes) -> None:
        """Apply ``changes``: one SPARQL Update request (one transaction on the server), or
        Graph Store Protocol requests with ``protocol="gsp"`` (see the module docstring)."""
        if changes.is_empty():
            return
        if self.protocol == "gsp":
            self._apply_gsp(changes)
            return
        from kgraph.rdf.oxigraph_store import update_request

        try:
            request = update_request(changes)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"cannot write these changes, nothing was sent: {exc}") from None
        self._post(self.update_url, request.encode("utf-8"), "application/sparql-update")

    def _graph_url(self, graph: str | None) -> str:
        query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
        return f"{self.store_url}?{query}"

    def _apply_gsp(self, changes: Changes) -> None:
        try:
            payloads = {g: _ntriples(t) for g, t in changes.replace_graphs.items()}
            added = _ntriples(changes.default_add)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"cannot write these changes, nothing was sent: {exc}") from None
        nt = "application/n-triples"
        if changes.default_remove:  # GSP has no partial delete: rewrite the default graph
            _, body = self._send("GET", self._graph_url(None), None, None, nt, missing_ok=True)
            current = set(self._parse_triples(body, nt)) if body else set()
            current -= set(changes.default_remove)
            current |= set(changes.default_add)
            self._send("PUT", self._graph_url(None), _ntriples(current), nt)
        elif changes.default_add:
            self._send("POST", self._graph_url(None), added, nt)
        for graph in sorted(changes.drop_graphs - set(changes.replace_graphs)):
            self._send("DELETE", self._graph_url(graph), None, None, missing_ok=True)
        for graph, payload in payloads.items():
            self._send("PUT", self._graph_url(graph), payload, nt)

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"
