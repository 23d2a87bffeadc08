"""Quad stores behind one small base class, chosen by name through a lazy registry.

Layout every store holds (the contract the rest of kgraph relies on):

* one named graph per article (``article_graph_iri(id)``): the article's metadata, its
  mentions and its facts (reified relations with their evidence);
* the default graph: the derived view, kept in step with the article graphs by
  ``kgraph.rdf.sync``: every entity's class, ``rdfs:label``, ``skos:altLabel``s,
  ``owl:sameAs`` Wikidata, and the direct relation triples ``?s kg:leads ?o``.

Queries run with the default graph as the union of all graphs; since no triple is in two
graphs, the union has no duplicates.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from rdflib.term import Node

from kgraph.errors import ConfigError

Triple = tuple[Node, Node, Node]


@dataclass
class Changes:
    """One atomic change to a store: all of it is applied, or none of it."""

    replace_graphs: dict[str, list[Triple]] = field(default_factory=dict)  # graph IRI -> its new triples
    drop_graphs: set[str] = field(default_factory=set)
    default_remove: list[Triple] = field(default_factory=list)
    default_add: list[Triple] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.replace_graphs or self.drop_graphs or self.default_remove or self.default_add)


@dataclass
class QueryResult:
    """The answer to a SPARQL query. ``kind`` is select | ask | graph.

    select: ``vars`` and ``rows`` (tuples of rdflib terms or None); ask: ``boolean``;
    graph (CONSTRUCT/DESCRIBE): ``triples``.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)

    def __iter__(self) -> Iterator:
        if self.kind == "select":
            return iter(self.rows)
        if self.kind == "graph":
            return iter(self.triples)
        return iter([self.boolean])

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1


class Store(ABC):
    """A quad store holding the kgraph layout described in the module docstring."""

    name: str = "abstract"

    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query (kgraph's prefixes predeclared; default graph = union)."""

    @abstractmethod
    def apply(self, changes: Changes) -> None:
        """Apply ``changes`` atomically; on any error the store is left as it was."""

    @abstractmethod
    def graph_names(self) -> set[str]:
        """IRIs of the named graphs in the store."""

    @abstractmethod
    def quads(self) -> Iterable[tuple[Node, Node, Node, Node | None]]:
        """Every quad; the graph is None for the default graph."""

    def close(self) -> None:
        """Release files and connections."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


#: store name -> "module:Class", imported only when used
STORES = {
    "oxigraph": "kgraph.rdf.oxigraph_store:OxigraphStore",
    "memory": "kgraph.rdf.memory_store:MemoryStore",
    "sparql": "kgraph.rdf.remote_store:RemoteStore",
}


def open_store(location: str | None = None, *, backend: str | None = None, **options) -> Store:
    """Open a store: ``None`` -> in-memory Oxigraph; a directory -> on-disk Oxigraph;
    ``http(s)://...`` -> a remote SPARQL 1.1 endpoint. ``backend`` forces a registry name."""
    import importlib

    if backend is None:
        if location and location.startswith(("http://", "https://")):
            backend = "sparql"
        else:
            backend = "oxigraph"
    if backend not in STORES:
        raise ConfigError(f"unknown store backend {backend!r}; known: {', '.join(sorted(STORES))}")
    module_name, class_name = STORES[backend].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(location, **options)
