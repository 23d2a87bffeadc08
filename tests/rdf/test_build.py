"""Triples of article named graphs and of entity descriptions (kgraph.rdf.build)."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kgraph.errors import InputError
from kgraph.model import Entity
from kgraph.rdf.build import article_triples, entity_triples, graph_fingerprint, relation_triple
from kgraph.rdf.namespace import KG, WD, article_iri, mention_iri

from .conftest import DAWN, VOLKOVA, article_one, article_two


def _graph(triples):
    from rdflib import Graph

    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_build_article_metadata_literals():
    analysis, links = article_one()
    g = _graph(article_triples(analysis, links))
    a = article_iri("a1")
    assert (a, RDF.type, KG.Article) in g
    assert g.value(a, KG.articleId) == Literal("a1")
    assert g.value(a, DCTERMS.date) == Literal("2030-05-01", datatype=XSD.date)
    assert g.value(a, DCTERMS.title).language is None
    assert g.value(a, DCTERMS.source) == Literal("Test Wire")
    assert str(g.value(a, URIRef("https://schema.org/url"))) == "https://example.org/a1"
    assert set(g.objects(a, KG.mentions)) == {URIRef(VOLKOVA.iri), URIRef(DAWN.iri)}


def test_build_mentions_with_offsets():
    analysis, links = article_one()
    g = _graph(article_triples(analysis, links))
    text = analysis.article.text
    mentions = list(g.subjects(RDF.type, KG.Mention))
    assert len(mentions) == 4
    for m in mentions:
        begin, end = int(g.value(m, KG.beginIndex)), int(g.value(m, KG.endIndex))
        assert text[begin:end] == str(g.value(m, KG.anchorText))
        assert g.value(m, KG.beginIndex).datatype == XSD.integer
        assert g.value(m, KG.inArticle) == article_iri("a1")
    m = mention_iri("a1", 0, 13)
    assert g.value(m, KG.refersTo) == URIRef(VOLKOVA.iri)
    assert g.value(m, KG.mentionKind) == Literal("name")
    assert g.value(mention_iri("a1", 24, 34), KG.linkScore) == Literal("0.95", datatype=XSD.decimal)


def test_build_fact_provenance():
    analysis, links = article_one()
    g = _graph(article_triples(analysis, links))
    (fact,) = g.subjects(RDF.type, KG.Fact)
    assert (fact, RDF.type, RDF.Statement) in g
    assert g.value(fact, RDF.subject) == URIRef(VOLKOVA.iri)
    assert g.value(fact, RDF.predicate) == KG.leads
    assert g.value(fact, RDF.object) == URIRef(DAWN.iri)
    assert g.value(fact, PROV.wasDerivedFrom) == article_iri("a1")
    assert str(g.value(fact, KG.sentence)) == "Maria Volkova leads the Green Dawn party."
    assert g.value(fact, KG.sentenceBeginIndex) == Literal("0", datatype=XSD.integer)
    assert g.value(fact, KG.confidence).datatype == XSD.decimal
    assert float(g.value(fact, KG.confidence)) == pytest.approx(0.9)
    assert str(g.value(fact, KG.rule)) == "test-rule"


def test_build_unlinked_entities_left_out():
    analysis, links = article_one()
    g = _graph(article_triples(analysis, {0: links[0]}))  # the party is not linked
    assert not list(g.subjects(RDF.type, KG.Fact))
    assert set(g.objects(article_iri("a1"), KG.mentions)) == {URIRef(VOLKOVA.iri)}


def test_build_deterministic_with_content_hash():
    first = article_triples(*article_one())
    second = article_triples(*article_one())
    assert first == second
    hashes = [o for _, p, o in first if p == KG.contentHash]
    assert len(hashes) == 1
    assert str(hashes[0]) == graph_fingerprint([t for t in first if t[1] != KG.contentHash])
    assert str(hashes[0]) != str([o for _, p, o in article_triples(*article_two()) if p == KG.contentHash][0])


def test_build_entity_triples():
    entity = Entity(iri=DAWN.iri, type="PoliticalParty", label="Green Dawn", aliases={"Dawn", "Green Dawn", "GD"},
                    wikidata="Q999001", kb_id="gd")
    g = _graph(entity_triples(entity))
    node = URIRef(DAWN.iri)
    assert list(g.objects(node, RDF.type)) == [KG.PoliticalParty]
    assert list(g.objects(node, RDFS.label)) == [Literal("Green Dawn")]
    assert set(g.objects(node, SKOS.altLabel)) == {Literal("Dawn"), Literal("GD")}
    assert g.value(node, OWL.sameAs) == WD.Q999001
    assert g.value(node, KG.wikidataId) == Literal("Q999001")
    assert g.value(node, KG.kbId) == Literal("gd")


@pytest.mark.parametrize("bad", [
    Entity(iri=DAWN.iri, type="Party", label="Green Dawn"),
    Entity(iri=DAWN.iri, type="PoliticalParty", label="  "),
    Entity(iri=DAWN.iri, type="PoliticalParty", label="Green Dawn", wikidata="999"),
])
def test_build_entity_triples_rejects_bad_entity(bad):
    with pytest.raises(InputError):
        entity_triples(bad)


def test_build_relation_triple():
    assert relation_triple(VOLKOVA, "leads", DAWN) == (URIRef(VOLKOVA.iri), KG.leads, URIRef(DAWN.iri))
    with pytest.raises(InputError, match="leads"):
        relation_triple(VOLKOVA, "heads", DAWN)


def test_build_malformed_url_left_out():
    import dataclasses

    analysis, links = article_one()
    analysis = dataclasses.replace(analysis, article=dataclasses.replace(analysis.article, url="not a url <x>"))
    g = _graph(article_triples(analysis, links))
    assert g.value(article_iri("a1"), URIRef("https://schema.org/url")) is None


def test_build_datetime_becomes_xsd_date():
    import dataclasses
    import datetime as dt

    analysis, links = article_one()
    article = dataclasses.replace(analysis.article, date=dt.datetime(2030, 5, 1, 17, 30))
    g = _graph(article_triples(dataclasses.replace(analysis, article=article), links))
    assert g.value(article_iri("a1"), DCTERMS.date) == Literal("2030-05-01", datatype=XSD.date)


def test_build_party_body_is_sub_organization_of_its_party():
    from kgraph.model import LocalEntity
    from kgraph.rdf.namespace import ORG

    from .conftest import make_analysis

    council = Entity(iri="https://w3id.org/kgraph/id/organization/green-dawn-political-council",
                     type="Organization", label="Green Dawn political council")
    text = "The Green Dawn political council met. Green Dawn said so."
    analysis = make_analysis(
        "b1", text,
        [(LocalEntity(0, "Organization", "Green Dawn political council", parent=1),
          [("Green Dawn political council", "name")]),
         (LocalEntity(1, "PoliticalParty", "Green Dawn"), [("Green Dawn", "name")])],
        [],
    )
    g = _graph(article_triples(analysis, {0: council, 1: DAWN}))
    assert (URIRef(council.iri), ORG.subOrganizationOf, URIRef(DAWN.iri)) in g
    # a person is never a body: the link is left out when the types do not fit
    g = _graph(article_triples(analysis, {0: VOLKOVA, 1: DAWN}))
    assert not list(g.triples((None, ORG.subOrganizationOf, None)))
