"""SHACL validation of produced graphs (kgraph.rdf.validate)."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kgraph.rdf.namespace import KG
from kgraph.rdf.validate import validate

from .conftest import DAWN, VOLKOVA


def _graph(store):
    from rdflib import Graph

    g = Graph()
    for s, p, o, _ in store.quads():
        g.add((s, p, o))
    return g


def test_validate_built_store_conforms(built):
    report = validate(built)
    assert report.conforms, report.text


def test_validate_fails_on_two_labels(built):
    g = _graph(built)
    g.add((URIRef(DAWN.iri), RDFS.label, Literal("Another Name")))
    report = validate(g)
    assert not report.conforms
    assert "label" in report.text


def test_validate_fails_on_missing_class(built):
    g = _graph(built)
    g.remove((URIRef(VOLKOVA.iri), RDF.type, None))
    assert not validate(g).conforms


def test_validate_fails_on_bad_fact(built):
    g = _graph(built)
    fact = next(g.subjects(RDF.type, KG.Fact))
    g.set((fact, KG.confidence, Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))))
    g.set((fact, KG.beginIndex, Literal(10**6)))
    report = validate(g)
    assert not report.conforms
    assert "confidence" in report.text


def test_validate_fails_on_relation_range(built):
    g = _graph(built)
    g.add((URIRef(VOLKOVA.iri), KG.leads, URIRef(VOLKOVA.iri)))  # a person is not an organization
    assert not validate(g).conforms


def test_validate_accepts_dataset(built):
    from rdflib import Dataset

    ds = Dataset()
    for s, p, o, g in built.quads():
        ds.add((s, p, o, g) if g is not None else (s, p, o))
    assert validate(ds).conforms


@pytest.mark.e2e
def test_validate_seed_corpus_conforms(seed_store):
    from kgraph.rdf.oxigraph_store import OxigraphStore

    with OxigraphStore(seed_store, read_only=True) as store:
        report = validate(store)
    assert report.conforms, report.text


def test_validate_sub_organization_needs_organizations(built):
    from kgraph.rdf.namespace import ORG

    from .conftest import DAWN, VOLKOVA

    g = _graph(built)
    g.add((URIRef(VOLKOVA.iri), ORG.subOrganizationOf, URIRef(DAWN.iri)))  # a person is no body
    assert not validate(g).conforms
