"""Tests of kgraph.nlp.coref with the real model: bodies and their party, the article's
parliament, definite descriptions of the article's topic organization, type votes."""
from __future__ import annotations

import datetime as dt

import pytest

from kgraph.model import Article

pytestmark = pytest.mark.e2e


def _analysis(nlp, text, date="2021-03-01"):
    from kgraph.nlp import analyze
    from kgraph.nlp.pipeline import _make_doc

    article = Article(id="t", title="", text=text, date=dt.date.fromisoformat(date))
    return analyze(nlp(_make_doc(nlp, article)), article)


def test_coref_party_body_records_its_party(real_nlp):
    analysis = _analysis(real_nlp, "The Zorland Freedom Party (ZFP) met on Monday. The ZFP Political Council "
                                   "decided to expel two deputies.")
    by_name = {e.name: e for e in analysis.entities}
    council = by_name["ZFP Political Council"]
    assert council.type == "Organization"
    assert analysis.entities[council.parent].name == "Zorland Freedom Party"


def test_coref_lower_case_body_takes_the_party_named_with_it(real_nlp):
    analysis = _analysis(real_nlp, "The Aul Party held a congress. The political council of the party "
                                   "expelled Ivan Dolgov.")
    bodies = [e for e in analysis.entities if e.parent is not None]
    assert bodies and analysis.entities[bodies[0].parent].name == "Aul Party"
    assert bodies[0].name.startswith("Aul Party")


def test_coref_generic_parliament_is_the_article_country_parliament(real_nlp):
    analysis = _analysis(real_nlp, "Tajikistan's parliament set October 11 as the date of the vote. "
                                   "Two deputies left the parliament in protest.")
    parliaments = [e for e in analysis.entities if e.name == "Parliament of Tajikistan"]
    assert len(parliaments) == 1 and parliaments[0].type == "Organization"
    assert "parliament" in parliaments[0].surface_forms


def test_coref_definite_description_reaches_the_topic_organization(real_nlp):
    text = ("The Civic Renewal Movement was founded in Oskar in 2019. It held rallies in four cities. "
            "Police detained dozens of protesters on Sunday. Officials said the rallies were illegal. "
            "The movement's treasurer Anna Berg was arrested on Monday.")
    analysis = _analysis(real_nlp, text)
    movement = next(e for e in analysis.entities if e.name == "Civic Renewal Movement")
    nominal = [m for m in analysis.mentions if m.kind == "nominal" and m.text.lower() == "movement"]
    assert nominal and nominal[0].entity == movement.index


def test_coref_acronym_and_long_name_are_one_entity_typed_as_the_long_name(real_nlp):
    analysis = _analysis(real_nlp, "The Bangladesh Nationalist Party (BNP) said it will boycott the polls. "
                                   "The BNP and other parties held protests. BNP activists were arrested.")
    parties = [e for e in analysis.entities if "BNP" in e.surface_forms]
    assert len(parties) == 1 and parties[0].type == "PoliticalParty"
    assert parties[0].name == "Bangladesh Nationalist Party"


def test_coref_inner_name_word_of_two_persons_joins_neither(real_nlp):
    # "Bwalya" is an inner word of two names: joining it to the nearer one would merge namesakes
    analysis = _analysis(real_nlp, "The party expelled Kelvin Bwalya Fube. It readmitted Geoffrey Bwalya Mwamba. "
                                   "The expulsion of Bwalya was final.")
    with_inner = [e for e in analysis.entities
                  if any(m.text == "Bwalya" for m in analysis.mentions if m.entity == e.index)]
    assert with_inner and all("Geoffrey" not in e.name and "Kelvin" not in e.name for e in with_inner)



def test_coref_party_name_with_an_ideology_word_before_it_is_another_party(real_nlp):
    # "Social-Democratic Party of X" is not a long form of "Democratic Party of X"
    doc = real_nlp("The Democratic Party of Moldova (DPM) and the Social-Democratic Party of Moldova (SDPM) met. "
                   "The Democratic Party of Moldova left.")
    names = {c["name"] for c in doc._.kgraph_entities if c["type"] == "PoliticalParty"}
    assert {"Democratic Party of Moldova", "Social-Democratic Party of Moldova"} <= names


def test_coref_the_parliament_is_the_articles_one_named_legislature(real_nlp):
    # "the parliament" of an article that names the country's whole legislature is that one; a
    # chamber or a town's assembly is not the whole
    doc = real_nlp("The National Assembly of Zambia met on Monday. MP Anna Keller said the parliament would vote.")
    assert [c["name"] for c in doc._.kgraph_entities if c["type"] == "Organization"] == ["National Assembly of Zambia"]
    doc = real_nlp("The Mazhilis met on Monday in Astana. Kazakhstan's parliament has two chambers.")
    assert {c["name"] for c in doc._.kgraph_entities if c["type"] == "Organization"} == {"Mazhilis", "Parliament of Kazakhstan"}
