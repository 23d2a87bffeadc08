"""kgraph.rdf.build: who says so (kg:assertionMode, kg:assertedBy + prov:wasAttributedTo) and denied claims."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from kgraph.rdf.build import article_triples
from kgraph.rdf.namespace import KG
from kgraph.rdf.validate import validate

from .conftest import DAWN, IVANOV, VOLKOVA, make_analysis
from kgraph.model import LocalEntity


def _article(assertion=None, negated=False):
    text = "Green Dawn said it expelled Petr Ivanov. Maria Volkova spoke."
    analysis = make_analysis(
        "c1", text,
        [(LocalEntity(0, "Person", "Petr Ivanov"), [("Petr Ivanov", "name")]),
         (LocalEntity(1, "PoliticalParty", "Green Dawn"), [("Green Dawn", "name")]),
         (LocalEntity(2, "Person", "Maria Volkova"), [("Maria Volkova", "name")])],
        [(0, "expelledFrom", 1, "Green Dawn said it expelled Petr Ivanov.")],
    )
    if assertion is not None:
        analysis.relations[0].qualifiers["assertion"] = assertion
    if negated:
        analysis.relations[0].qualifiers["negated"] = True
    return analysis, {0: IVANOV, 1: DAWN, 2: VOLKOVA}


def _fact(triples, cls=KG.Fact):
    return next(s for s, p, o in triples if p == RDF.type and o == cls)


def test_build_reported_fact_is_attributed_to_its_source():
    analysis, links = _article({"mode": "reported", "source": 1, "cue": "said"})
    triples = article_triples(analysis, links)
    fact = _fact(triples)
    assert (fact, KG.assertionMode, Literal("reported")) in triples
    assert (fact, KG.assertionCue, Literal("said")) in triples
    assert (fact, KG.assertedBy, URIRef(DAWN.iri)) in triples
    assert (fact, PROV.wasAttributedTo, URIRef(DAWN.iri)) in triples


def test_build_source_is_mentioned_by_the_article():
    analysis, links = _article({"mode": "reported", "source": 2, "cue": "said"})
    triples = article_triples(analysis, links)
    article = next(s for s, p, o in triples if p == RDF.type and o == KG.Article)
    assert (article, KG.mentions, URIRef(VOLKOVA.iri)) in triples


def test_build_unlinked_source_gives_mode_only():
    analysis, links = _article({"mode": "alleged", "source": 7, "cue": "alleged"})
    triples = article_triples(analysis, links)
    fact = _fact(triples)
    assert (fact, KG.assertionMode, Literal("alleged")) in triples
    assert not [t for t in triples if t[1] == KG.assertedBy]


@pytest.mark.parametrize("assertion, negated", [({"mode": "denied", "source": 1, "cue": "denied"}, False), (None, True)])
def test_build_denied_statement_is_a_claim_not_a_fact(assertion, negated):
    analysis, links = _article(assertion, negated)
    triples = article_triples(analysis, links)
    assert not [t for t in triples if t[1] == RDF.type and t[2] == KG.Fact]
    claim = _fact(triples, KG.Claim)
    assert (claim, RDF.subject, URIRef(IVANOV.iri)) in triples


def test_build_bad_mode_is_an_input_error():
    from kgraph.errors import InputError

    analysis, links = _article({"mode": "rumoured", "source": None, "cue": None})
    with pytest.raises(InputError, match="rumoured"):
        article_triples(analysis, links)


def test_build_denied_claim_has_no_direct_triple_and_validates(store):
    from kgraph.rdf.sync import plan_build

    analysis, links = _article({"mode": "denied", "source": 1, "cue": "denied"})
    store.apply(plan_build(store, [(analysis, links)]))
    assert not store.query("ASK { ?s kg:expelledFrom ?o }").boolean
    assert store.query("ASK { ?c a kg:Claim ; kg:assertionMode 'denied' ; kg:assertedBy ?src }").boolean
    report = validate(store)
    assert report.conforms, report.text


def test_build_claim_that_is_also_a_fact_fails_validation(store):
    from rdflib import Graph

    from kgraph.rdf.sync import plan_build

    analysis, links = _article({"mode": "denied", "source": 1, "cue": "denied"})
    store.apply(plan_build(store, [(analysis, links)]))
    g = Graph()
    for s, p, o, _ in store.quads():
        g.add((s, p, o))
    claim = next(g.subjects(RDF.type, KG.Claim))
    g.add((claim, RDF.type, KG.Fact))
    g.add((claim, PROV.wasAttributedTo, URIRef(VOLKOVA.iri)))
    assert not validate(g).conforms


def test_build_denied_statement_states_no_membership(store):
    from kgraph.rdf.namespace import ORG
    from kgraph.rdf.sync import plan_build

    analysis, links = _article({"mode": "denied", "source": 1, "cue": "denied"})
    analysis.relations[0].qualifiers["time"] = {"observed": "2030-05-01"}
    triples = article_triples(analysis, links)
    assert not [t for t in triples if t[2] == ORG.Membership]
    stated, links = _article({"mode": "stated", "source": None, "cue": None})
    stated.relations[0].qualifiers["time"] = {"observed": "2030-05-01"}
    assert [t for t in article_triples(stated, links) if t[2] == ORG.Membership]
    store.apply(plan_build(store, [(analysis, links)]))
    report = validate(store)
    assert report.conforms, report.text
