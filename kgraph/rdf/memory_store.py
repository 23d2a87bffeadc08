"""rdflib's in-memory Dataset behind the Store interface: small in-process graphs and the benchmark baseline.

rdflib's memory store has no transactions, so ``apply`` keeps an undo log and rolls back
what it did when anything fails part-way.
"""
from __future__ import annotations

from typing import Iterator

from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kgraph.errors import QueryError, StoreError
from kgraph.rdf.namespace import PREFIXES
from kgraph.rdf.store import Changes, QueryResult, Store

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """An rdflib ``Dataset`` (default graph = union of all graphs when querying).

    ``location``: an RDF file (TriG, N-Quads, ...) to load at start, or ``None``.
    """

    name = "memory"

    def __init__(self, location: str | None = None, **_options):
        self.dataset = Dataset(default_union=True)
        if location is not None:
            from kgraph.rdf.export import load

            for s, p, o, g in load(location):
                self._graph(g).add((s, p, o))

    def _graph(self, name: Node | str | None):
        ident = DATASET_DEFAULT_GRAPH_ID if name is None else URIRef(str(name))
        return self.dataset.graph(ident)

    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query with kgraph's prefixes; the default graph is the union of all graphs."""
        from pyparsing.exceptions import ParseException

        try:
            result = self.dataset.query(sparql, initNs=PREFIXES)
            if result.type == "ASK":
                return QueryResult(kind="ask", boolean=bool(result.askAnswer))
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                return QueryResult(kind="graph", triples=list(result.graph))
            variables = [str(v) for v in result.vars]
            return QueryResult(kind="select", vars=variables, rows=[tuple(row) for row in result])
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error: {str(exc).splitlines()[0]}") from exc
        except Exception as exc:  # rdflib raises plain Exceptions for evaluation errors
            raise QueryError(f"SPARQL query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc

    def graph_names(self) -> set[str]:
        return {
            str(c.identifier)
            for c in self.dataset.graphs()
            if c.identifier != DATASET_DEFAULT_GRAPH_ID and len(c) > 0
        }

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        for s, p, o, g in self.dataset.quads((None, None, None, None)):
            gid = g.identifier if hasattr(g, "identifier") else g
            yield (s, p, o, None if gid == DATASET_DEFAULT_GRAPH_ID else gid)

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())

    def apply(self, changes: Changes) -> None:
        """Apply ``changes``; on any error undo what was done so the store is left as it was."""
        undo: list[tuple[str, object, tuple]] = []  # (op, graph, triple) to reverse
        try:
            for name in sorted(set(changes.drop_graphs) | set(changes.replace_graphs)):
                graph = self._graph(name)
                for triple in list(graph):
                    graph.remove(triple)
                    undo.append(("add", graph, triple))
            default = self._graph(None)
            for triple in changes.default_remove:
                if triple in default:
                    default.remove(triple)
                    undo.append(("add", default, triple))
            for name, triples in changes.replace_graphs.items():
                graph = self._graph(name)
                for triple in triples:
                    _check(triple)
                    if triple not in graph:
                        graph.add(triple)
                        undo.append(("remove", graph, triple))
            for triple in changes.default_add:
                _check(triple)
                if triple not in default:
                    default.add(triple)
                    undo.append(("remove", default, triple))
        except Exception as exc:
            for op, graph, triple in reversed(undo):
                (graph.add if op == "add" else graph.remove)(triple)
            raise StoreError(f"writing to the memory store failed, nothing was changed: {exc}") from exc
        for name in changes.drop_graphs:
            self.dataset.remove_graph(URIRef(name))

    def __repr__(self) -> str:
        return "MemoryStore()"


def _check(triple) -> None:
    """Refuse what no RDF store can hold (rdflib would accept a literal subject silently)."""
    from rdflib import Literal

    s, p, o = triple
    if isinstance(s, Literal) or not isinstance(p, URIRef) or o is None:
        raise StoreError(f"not a valid RDF triple: {triple!r}")
