"""KnowledgeGraph: the Python face of a built graph (query, entities, relations, export)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from kgraph.errors import InputError

_RELATIONS_QUERY = "relations"
_ENTITIES_QUERY = "entities"


def _to_python(term) -> Any:
    """rdflib term -> plain Python value (IRIs and blank nodes as strings, literals native)."""
    if term is None:
        return None
    from rdflib import Literal

    if isinstance(term, Literal):
        value = term.toPython()
        if type(value).__name__ == "Decimal":
            return float(value)
        return value if not isinstance(value, Literal) else str(value)
    return str(term)


def _table(vars_: list[str], rows: list[dict], dataframe: bool | None):
    """Rows as a pandas DataFrame when pandas is installed (or asked for), else list of dicts."""
    if dataframe is False:
        return rows
    try:
        import pandas as pd
    except ImportError:
        if dataframe:
            raise InputError("dataframe=True needs pandas: pip install pandas") from None
        return rows
    return pd.DataFrame(rows, columns=vars_)


class KnowledgeGraph:
    """A knowledge graph held in a store, with the knowledge base used to link it.

    Obtain one from :func:`kgraph.build` or :func:`kgraph.open_graph`.

    Examples
    --------
    >>> import kgraph
    >>> kg = kgraph.build("corpus/")                                          # doctest: +SKIP
    >>> kg.query("SELECT ?leader ?party WHERE { ?leader kg:leads ?party }")   # doctest: +SKIP
    """

    def __init__(self, store, kb=None, report=None):
        self.store = store
        self._kb = kb
        self.report = report
        self.decisions_path = None  # reviewers' decisions file (kgraph.review); None: the default
        self._review = None

    # -- access -------------------------------------------------------------------------
    @property
    def kb(self):
        if self._kb is None:
            from kgraph.builder import load_kb

            self._kb = load_kb()
        return self._kb

    @property
    def review(self):
        """Review the relations and record decisions (:class:`kgraph.review.Review`): ``kg.review.relations()``,
        ``kg.review.reject(ID, note=...)``, ``accept``, ``correct``, ``merge``, ``split``, ``log()``."""
        if self._review is None:
            from kgraph.review import Review

            self._review = Review(self)
        return self._review

    def query(self, sparql: str, *, dataframe: bool | None = None, allow_service: bool = False):
        """Run SPARQL (kgraph's prefixes predeclared; a packaged query name is accepted too).

        SELECT -> rows (DataFrame when pandas is installed, else list of dicts);
        ASK -> bool; CONSTRUCT/DESCRIBE -> an rdflib Graph. A query using federation
        (``SERVICE <url>``) raises QueryError unless ``allow_service=True``: it would make this
        machine connect to the address the query names.
        """
        from kgraph.rdf.queries import resolve_query

        if not isinstance(sparql, str):
            from kgraph.errors import QueryError

            raise QueryError(
                f"a query must be SPARQL text, a .rq file or a packaged query name, got {type(sparql).__name__} {sparql!r}; "
                "e.g. kg.query('SELECT ?s WHERE { ?s a kg:Person }')"
            )
        text = resolve_query(sparql)
        if not allow_service:
            from kgraph.rdf.federation import refuse_service

            refuse_service(text)
        result = self.store.query(text)
        if result.kind == "ask":
            return bool(result.boolean)
        if result.kind == "graph":
            from rdflib import Graph

            from kgraph.rdf.namespace import PREFIXES

            graph = Graph()
            for prefix, iri in PREFIXES.items():
                graph.bind(prefix, iri)
            for triple in result.triples:
                graph.add(triple)
            return graph
        rows = [{v: _to_python(val) for v, val in zip(result.vars, row)} for row in result.rows]
        return _table(result.vars, rows, dataframe)

    def entities(self, *, dataframe: bool | None = None):
        """One row per entity: iri, label, type, wikidata, aliases."""
        return self.query(_ENTITIES_QUERY, dataframe=dataframe)

    def relations(self, *, dataframe: bool | None = None):
        """One row per fact with its evidence: subject, predicate, object, article, date,
        sentence, character offsets, confidence and rule."""
        return self.query(_RELATIONS_QUERY, dataframe=dataframe)

    def claims(self, source: str | None = None, *, dataframe: bool | None = None):
        """Who says so: one row per fact (and denied claim) with how its article asserts it (mode:
        stated, reported, alleged, denied), the source entity and the cue word; with ``source``
        (a name), only what that entity asserts."""
        from kgraph.rdf.queries import named_query

        return self.query(named_query("claims", **({"source": source} if source else {})), dataframe=dataframe)

    def resolve(self, name: str, type: str | None = None):
        """The entity a name refers to, in any known spelling (raises EntityNotFoundError)."""
        from kgraph.linking.resolver import resolve_name
        from kgraph.rdf.sync import load_entities

        _check_name(name)
        return resolve_name(name, self.kb, load_entities(self.store), type=type)

    def explain(self, name: str, limit: int = 10):
        """The linker's candidates for a name, with scores (what ``kgraph link`` prints)."""
        from kgraph.linking.resolver import explain
        from kgraph.rdf.sync import load_entities

        _check_name(name)
        return explain(name, self.kb, load_entities(self.store), limit=limit)

    def as_of(self, date, *, predicate: str | None = None, entity: str | None = None, ended: bool = False,
              dataframe: bool | None = None):
        """Who held what (leads, memberOf) on ``date`` ("2021-01-01" or a date), one row per relation
        with its best evidence: ``status`` stated (the evidence covers the date) or carried (from an
        observation ``age_days`` old); ``ended=True`` adds what had ended by then (ended,
        succeeded, merged, with ``until``). ``object_then`` names a renamed party as it was called
        on the date. ``entity`` is a name in any spelling (its whole party line counts).

        >>> kg.as_of("2020-12-31", predicate="leads")      # doctest: +SKIP
        """
        from kgraph.temporal import COLUMNS, as_of

        iri = self.resolve(entity).iri if entity else None
        rows = as_of(self.store, date, predicate=predicate, entity=iri, ended=ended)
        return _table(COLUMNS, rows, dataframe)

    def lineage(self, name: str) -> dict:
        """The party line of an organization (any spelling): ``line`` as text
        (``Otan -> Nur Otan (2006, absorbing ...) -> Amanat (2022)``) and ``events``, one dict per
        change with its kind, date, organizations, sources and evidence sentences."""
        from kgraph.lineage import Lineage

        entity = self.resolve(name)
        return Lineage.from_store(self.store).report(entity.iri)

    def to_networkx(self, *, comentions: bool = False):
        """The graph as a networkx MultiDiGraph (nodes: entities; edges: relations + evidence;
        with ``comentions=True`` also "mentionedWith" edges between entities named in one sentence)."""
        from kgraph.analysis.projection import to_networkx

        return to_networkx(self.store, comentions=comentions)

    def stats(self) -> dict[str, int]:
        """Counts: articles, entities by class, facts and direct relations by predicate."""
        rows = self.query("stats", dataframe=False)
        return {str(r["key"]): int(r["count"]) for r in rows}

    def serialize(self, path: str | Path, format: str | None = None) -> Path:
        """Write the whole graph to ``path``; format from the extension (.trig, .ttl, .nq, .jsonld,
        .graphml, .gexf)."""
        path = Path(path)
        if path.suffix.lower() in {".graphml", ".gexf"}:
            from kgraph.viz.export import write_graph

            write_graph(self.to_networkx(), path)
            return path
        from kgraph.rdf.export import serialize

        serialize(self.store, path, format=format)
        return path

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph store={type(self.store).__name__}>"


def _check_name(name) -> None:
    if not isinstance(name, str) or not name.strip():
        from kgraph.errors import ArgumentTypeError

        cls = ArgumentTypeError if not isinstance(name, str) else InputError
        raise cls(f"give an entity's name as non-empty text, got {type(name).__name__} {name!r}; e.g. kg.resolve('Nazarbayev')")


def open_graph(store: str | Path | None = None, graph_file: str | Path | None = None, *, read_only: bool = True):
    """Open an existing graph: a store (directory or ``http(s)://`` endpoint) or a graph file
    (.trig, .ttl, .nq, .jsonld), loaded into memory."""
    from kgraph.rdf.store import open_store

    if (store is None) == (graph_file is None):
        raise InputError("give exactly one of a store (--store DIR) or a graph file (--graph FILE)")
    if store is not None:
        location = str(store)
        if not location.startswith(("http://", "https://")) and not Path(location).is_dir():
            raise InputError(f"no store at {location}: build one first with `kgraph build ARTICLES --store {location}`")
        options = {} if location.startswith(("http://", "https://")) else {"read_only": read_only}
        return KnowledgeGraph(open_store(location, **options))
    from kgraph.rdf.export import load_into

    mem = open_store(None)
    load_into(mem, Path(graph_file))
    return KnowledgeGraph(mem)
