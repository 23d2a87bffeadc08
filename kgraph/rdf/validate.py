"""Validate RDF produced by kgraph against the SHACL shapes of ``ontology/shapes.ttl`` (pyshacl)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgraph.errors import ConfigError

__all__ = ["ValidationReport", "validate", "ONTOLOGY_DIR", "ontology_graph", "shapes_graph"]

#: the packaged ontology directory (kgraph/ontology is a symlink to the repository's ontology/)
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


@dataclass
class ValidationReport:
    """The outcome of a SHACL validation: ``conforms`` and pyshacl's human-readable ``text``."""

    conforms: bool
    text: str

    def __bool__(self) -> bool:
        return self.conforms


def ontology_graph():
    """``ontology/kgraph.ttl`` as an rdflib Graph."""
    from rdflib import Graph

    return Graph().parse(ONTOLOGY_DIR / "kgraph.ttl", format="turtle")


def shapes_graph():
    """``ontology/shapes.ttl`` as an rdflib Graph."""
    from rdflib import Graph

    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def _union_graph(data):
    """All triples of ``data`` (a Graph, a Dataset, a Store or an iterable of quads) in one Graph."""
    from rdflib import Dataset, Graph

    from kgraph.rdf.store import Store

    if isinstance(data, Dataset):
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    if isinstance(data, Graph):
        return data
    quads = data.quads() if isinstance(data, Store) else data
    union = Graph()
    try:
        for quad in quads:
            union.add(tuple(quad[:3]))
    except TypeError as exc:
        raise ConfigError(
            f"cannot validate a {type(data).__name__}; give an rdflib Graph or Dataset, a kgraph Store, or quads"
        ) from exc
    return union


def validate(data) -> ValidationReport:
    """Validate ``data`` (the union of all its graphs) against kgraph's SHACL shapes.

    The ontology is mixed in so that ``sh:class kg:Organization`` accepts a ``kg:PoliticalParty``.
    """
    import pyshacl

    conforms, _results, text = pyshacl.validate(
        _union_graph(data),
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    return ValidationReport(conforms=bool(conforms), text=str(text))
