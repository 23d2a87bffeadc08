"""kgraph/rdf/namespace.py (class KG) and ontology/kgraph.ttl declare exactly the same terms."""
from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kgraph.rdf.namespace import KG, ONTOLOGY_IRI
from kgraph.rdf.validate import ONTOLOGY_DIR


def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kgraph.ttl", format="turtle")


def _namespace_terms() -> set[str]:
    return {str(KG[name]) for name in KG.__annotations__}


def _declared_terms(graph: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
             OWL.NamedIndividual)  # individuals: the org:Role values kg:leaderRole, kg:memberRole
    prefix = str(KG._NS)
    return {str(s) for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(prefix)}


def test_namespace_every_term_declared_in_ontology():
    missing = _namespace_terms() - _declared_terms(_ontology())
    assert not missing, f"terms in namespace.py but not in ontology/kgraph.ttl: {sorted(missing)}"


def test_namespace_every_ontology_term_in_namespace():
    extra = _declared_terms(_ontology()) - _namespace_terms()
    assert not extra, f"terms in ontology/kgraph.ttl but not in namespace.py: {sorted(extra)}"


def test_namespace_every_term_has_label_and_comment():
    graph = _ontology()
    for term in _namespace_terms():
        assert graph.value(URIRef(term), RDFS.label) is not None, term
        assert graph.value(URIRef(term), RDFS.comment) is not None, term


def test_namespace_ontology_header():
    graph = _ontology()
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in graph
    assert graph.value(onto, OWL.versionInfo) is not None
    assert graph.value(onto, URIRef("http://purl.org/dc/terms/license")) is not None


def test_namespace_alignment_to_standard_vocabularies():
    graph = _ontology()
    org = "http://www.w3.org/ns/org#"
    assert (KG.leads, RDFS.subPropertyOf, URIRef(org + "headOf")) in graph
    assert (KG.memberOf, RDFS.subPropertyOf, URIRef(org + "memberOf")) in graph
    assert (KG.PoliticalParty, RDFS.subClassOf, KG.Organization) in graph
    assert (KG.Person, RDFS.subClassOf, URIRef("http://xmlns.com/foaf/0.1/Person")) in graph
    assert (KG.Fact, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in graph
    for prop in (KG.leads, KG.memberOf, KG.expelledFrom, KG.boycotted):
        assert graph.value(prop, RDFS.domain) is not None and graph.value(prop, RDFS.range) is not None


def test_namespace_misspelled_term_fails():
    import pytest

    with pytest.raises(AttributeError):
        KG.lead  # noqa: B018
