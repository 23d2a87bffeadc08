"""Tests for kgraph.linking.resolver's cross-article resolution: evidence for KB links, and one
entity per real entity across articles (surnames, acronyms, short names, party forms, titles,
types, namesakes), whatever the order of the articles."""
from __future__ import annotations

import itertools
import random

import pytest

from kgraph.linking.kb import KBEntity, KnowledgeBase
from kgraph.linking.resolver import link_analyses, link_evidence, strip_titles
from kgraph.model import Article, ArticleAnalysis, LocalEntity

APPLE_PARTY = KBEntity("pf:apple", "PoliticalParty", "Party of Free Democrats", ("Apple",), "Q1984161", "UKR")
REPUBLICAN = KBEntity("pf:rep", "PoliticalParty", "Republican Party", ("GOP",), "Q29468", "USA")
NUR_OTAN = KBEntity("pf:nur", "PoliticalParty", "Nur Otan", ("Fatherland",), "Q1", "KAZ")
OTHER_FATHERLAND = KBEntity("pf:ata", "PoliticalParty", "Ata-Zhurt", ("Fatherland",), "Q2", "KGZ")


@pytest.fixture
def kb():
    return KnowledgeBase([APPLE_PARTY, REPUBLICAN, NUR_OTAN, OTHER_FATHERLAND])


def _analysis(article_id: str, text: str, *entities: tuple) -> ArticleAnalysis:
    locals_ = [
        LocalEntity(i, etype, name, list(forms or [name]), kb_id=kb_id)
        for i, (etype, name, forms, kb_id) in enumerate(entities)
    ]
    return ArticleAnalysis(article=Article(id=article_id, title="t", text=text), entities=locals_)


def P(name, *forms):  # noqa: N802 - reads like the type it builds
    return ("Person", name, list(forms), None)


def O(name, *forms, kb_id=None, etype="Organization"):  # noqa: N802, E741
    return (etype, name, list(forms), kb_id)


def _iris(analyses, kb, known=()):
    return {k: v.iri for k, v in link_analyses(analyses, kb, known).items()}


# --- evidence for KB links --------------------------------------------------------------------
def test_resolver_common_word_link_without_context_is_minted(kb):
    a = _analysis("a1", "Apple shares rose in New York.", O("Apple", kb_id="pf:apple"))
    entity = link_analyses([a], kb)[("a1", 0)]
    assert entity.wikidata is None and entity.kb_id is None
    evidence = link_evidence(a, kb)[0]
    assert not evidence.kept and any("common-word" in r for r in evidence.reasons)


def test_resolver_common_word_link_with_its_country_is_kept(kb):
    a = _analysis("a1", "In Kazakhstan, Fatherland won the vote.", O("Fatherland", kb_id="pf:nur", etype="PoliticalParty"))
    entity = link_analyses([a], kb)[("a1", 0)]
    assert entity.wikidata == "Q1"
    assert "KAZ" in " ".join(link_evidence(a, kb)[0].reasons)


def test_resolver_ambiguous_acronym_needs_context(kb):
    bare = _analysis("a1", "GOP said nothing.", O("GOP", kb_id="pf:rep", etype="PoliticalParty"))
    assert link_analyses([bare], kb)[("a1", 0)].wikidata is None
    at_home = _analysis("a2", "In the United States the GOP said nothing.", O("GOP", kb_id="pf:rep", etype="PoliticalParty"))
    assert link_analyses([at_home], kb)[("a2", 0)].wikidata == "Q29468"


def test_resolver_safe_name_in_cluster_carries_the_link(kb):
    a = _analysis("a1", "x", O("Republican Party", "Republican Party", "GOP", kb_id="pf:rep", etype="PoliticalParty"))
    # "Republican Party" is shared by no other KB entity here, so it identifies the party
    assert link_analyses([a], kb)[("a1", 0)].wikidata == "Q29468"


def test_resolver_plural_party_word_beside_another_party_is_not_linked(kb):
    kb.add(KBEntity("pf:com", "PoliticalParty", "Communists of Russia", ("Communists",), "Q9", "RUS"))
    a = _analysis("a1", "In Russia the Communist Party ... the Communists said.",
                  O("Communist Party", etype="PoliticalParty"), O("Communists", kb_id="pf:com", etype="PoliticalParty"))
    links = link_analyses([a], kb)
    assert links[("a1", 1)].wikidata is None
    assert links[("a1", 1)] is links[("a1", 0)]  # the plural joins the party of its word


# --- names across articles --------------------------------------------------------------------
def test_resolver_titles_are_stripped():
    assert strip_titles("Pope Francis") == "Francis"
    assert strip_titles("President Kassym-Jomart Tokayev") == "Kassym-Jomart Tokayev"
    assert strip_titles("General") == "General"


def test_resolver_title_and_bare_name_are_one_person(kb):
    links = link_analyses([
        _analysis("a1", "x", P("Pope Francis")),
        _analysis("b2", "x", P("Francis")),
        _analysis("c3", "x", P("President Jacob Zuma")),
        _analysis("d4", "x", P("Jacob Zuma")),
    ], kb)
    assert links[("a1", 0)] is links[("b2", 0)]
    assert links[("c3", 0)] is links[("d4", 0)]
    assert links[("d4", 0)].label == "Jacob Zuma"


def test_resolver_surname_joins_unique_full_name_across_articles(kb):
    links = link_analyses([_analysis("a1", "x", P("Altaev")), _analysis("b2", "x", P("Nurzhan Altaev"))], kb)
    assert links[("a1", 0)] is links[("b2", 0)]


def test_resolver_namesakes_stay_apart(kb):
    # two full names of one surname: a lone surname joins the one its article's context shares
    arts = [
        _analysis("a1", "Azerbaijan", P("Ilham Aliyev"), O("New Azerbaijan Party")),
        _analysis("b2", "Kazakhstan", P("Rakhat Aliyev"), O("Nur Otan Youth")),
        _analysis("c3", "Kazakhstan", P("Aliyev"), O("Nur Otan Youth")),
        _analysis("d4", "Mongolia", P("Aliyev")),
    ]
    links = link_analyses(arts, kb)
    assert links[("a1", 0)] is not links[("b2", 0)]  # different given names
    assert links[("c3", 0)] is links[("b2", 0)]  # shares country and a co-occurring entity
    assert links[("d4", 0)] is not links[("a1", 0)] and links[("d4", 0)] is not links[("b2", 0)]


def test_resolver_acronym_joins_long_form(kb):
    links = link_analyses([
        _analysis("a1", "Kyrgyzstan", O("Social Democratic Party of Kyrgyzstan", etype="PoliticalParty")),
        _analysis("b2", "Kyrgyzstan", O("SDPK", etype="PoliticalParty")),
    ], kb)
    assert links[("a1", 0)] is links[("b2", 0)]
    assert links[("b2", 0)].label == "Social Democratic Party of Kyrgyzstan"


def test_resolver_bare_acronym_stays_within_its_country(kb):
    # "PF" is one party in Zambian articles and another in a Spanish one; "AFP" is one agency
    links = link_analyses([
        _analysis("a1", "Zambia: PF said", O("PF", etype="PoliticalParty"), O("AFP")),
        _analysis("b2", "In Zambia the PF won", O("PF", etype="PoliticalParty")),
        _analysis("c3", "Spain. PF deputies in Madrid, Spain", O("PF", etype="PoliticalParty"), O("AFP")),
    ], kb)
    assert links[("a1", 0)] is links[("b2", 0)]  # one country, one PF
    assert links[("c3", 0)].iri != links[("a1", 0)].iri
    assert links[("c3", 1)] is links[("a1", 1)]  # an international agency is one everywhere


def test_resolver_short_org_name_joins_long_one(kb):
    links = link_analyses([
        _analysis("a1", "x", O("Ford Motor Company")),
        _analysis("b2", "x", O("Ford")),
        _analysis("c3", "x", O("General Motors"), O("GM")),
    ], kb)
    assert links[("b2", 0)] is links[("a1", 0)]
    assert links[("c3", 1)] is links[("c3", 0)]  # GM = General Motors (initials), same article


def test_resolver_plural_and_adjectival_party_forms_join_the_party(kb):
    us = "the United States"
    links = link_analyses([
        _analysis("a1", us, O("Republican Party", kb_id="pf:rep", etype="PoliticalParty")),
        _analysis("b2", us, O("Republicans", etype="PoliticalParty")),
        _analysis("c3", us, O("Republican", etype="Organization")),
        _analysis("d4", us, O("Democratic-Republican Party", etype="PoliticalParty")),
        _analysis("e5", us, O("California Republican Party", etype="PoliticalParty")),
    ], kb)
    party = links[("a1", 0)]
    assert links[("b2", 0)] is party and links[("c3", 0)] is party
    assert links[("d4", 0)] is not party  # a compound name is not one of its parts
    assert links[("e5", 0)] is not party  # a regional branch is not the national party


def test_resolver_generic_names_are_one_entity_per_country(kb):
    links = link_analyses([
        _analysis("a1", "India", O("Supreme Court")),
        _analysis("b2", "Nicaragua", O("Supreme Court")),
        _analysis("c3", "India and India", O("Supreme Court")),
    ], kb)
    assert links[("a1", 0)] is links[("c3", 0)]
    assert links[("a1", 0)] is not links[("b2", 0)]
    assert links[("a1", 0)].label == links[("b2", 0)].label == "Supreme Court"


def test_resolver_type_conflict_is_resolved_by_vote(kb):
    links = link_analyses([
        _analysis("a1", "x", P("Jacob Zuma")),
        _analysis("b2", "x", P("Jacob Zuma")),
        _analysis("c3", "x", O("Jacob Zuma")),
    ], kb)
    assert links[("a1", 0)] is links[("c3", 0)]
    assert links[("c3", 0)].type == "Person"


def _corpus():
    return [
        _analysis("a1", "the United States", O("Republican Party", kb_id="pf:rep", etype="PoliticalParty"),
                  P("Pope Francis"), P("Nurzhan Altaev")),
        _analysis("b2", "the United States", O("Republicans", etype="PoliticalParty"), P("Francis"), P("Altaev")),
        _analysis("c3", "Kyrgyzstan", O("SDPK", etype="PoliticalParty"), O("Ford")),
        _analysis("d4", "Kyrgyzstan", O("Social Democratic Party of Kyrgyzstan", etype="PoliticalParty"),
                  O("Ford Motor Company"), P("Jacob Zuma")),
        _analysis("e5", "India", O("Supreme Court"), O("Jacob Zuma"), P("Zuma")),
        _analysis("f6", "Nicaragua", O("Supreme Court"), P("Jacob Zuma")),
    ]


def test_resolver_same_iris_in_any_article_order(kb):
    corpus = _corpus()
    expected = _iris(corpus, kb)
    for order in itertools.islice(itertools.permutations(corpus), 0, 720, 37):
        assert _iris(list(order), kb) == expected
    rng = random.Random(7)
    for _ in range(5):
        shuffled = corpus[:]
        rng.shuffle(shuffled)
        assert _iris(shuffled, kb) == expected


def _with_relation(analysis: ArticleAnalysis, subject: int, obj: int) -> ArticleAnalysis:
    from kgraph.model import Relation

    analysis.relations.append(Relation(subject, "memberOf", obj, "s", 0, 1, 0, 1, "test", 0.9))
    return analysis


def test_resolver_namesakes_of_parties_of_different_countries_stay_apart(kb):
    kb.add(KBEntity("pf:lab", "PoliticalParty", "Labour Party", ("Labour",), "Q9630", "GBR"))
    uk = _with_relation(_analysis("a1", "x", P("John Smith"), O("Labour Party", kb_id="pf:lab", etype="PoliticalParty")), 0, 1)
    us = _with_relation(_analysis("b2", "x", P("John Smith"), O("Republican Party", kb_id="pf:rep", etype="PoliticalParty")), 0, 1)
    uk2 = _with_relation(_analysis("c3", "x", P("John Smith"), O("Labour Party", kb_id="pf:lab", etype="PoliticalParty")), 0, 1)
    plain = _analysis("d4", "x", P("John Smith"))
    links = link_analyses([uk, us, uk2, plain], kb)
    assert links[("a1", 0)] is links[("c3", 0)] is links[("d4", 0)]  # the larger context keeps the loose one
    assert links[("b2", 0)] is not links[("a1", 0)]
    assert links[("b2", 0)].label == links[("a1", 0)].label == "John Smith"
    forward = _iris([uk, us, uk2, plain], kb)
    assert forward == _iris([plain, uk2, us, uk], kb)


def test_resolver_country_name_is_not_a_party(kb):
    kb.add(KBEntity("pf:hot", "PoliticalParty", "Heart of Kazakhstan", ("Kazakhstan",), "Q67263863", "KAZ"))
    a = _analysis("a1", "Heart of Kazakhstan won. Kazakhstan voted.",
                  O("Heart of Kazakhstan", kb_id="pf:hot", etype="PoliticalParty"),
                  O("Kazakhstan", kb_id="pf:hot", etype="PoliticalParty"))
    links = link_analyses([a], kb)
    assert links[("a1", 0)].wikidata == "Q67263863"
    assert links[("a1", 1)].wikidata is None and links[("a1", 1)] is not links[("a1", 0)]


def test_resolver_loose_party_match_of_an_unnamed_country_is_minted(kb):
    kb.add(KBEntity("pf:da", "PoliticalParty", "Democratic Alliance", ("Azione Democratica",), "Q1747585", "ITA"))
    local = ("PoliticalParty", "Accion Democratica", [], "pf:da")
    venezuela = _analysis("a1", "In Venezuela and in Caracas, Venezuela, Accion Democratica said.", local)
    venezuela.entities[0].kb_score = 0.85  # a fuzzy match
    assert link_analyses([venezuela], kb)[("a1", 0)].wikidata is None
    italy = _analysis("b2", "In Italy, Accion Democratica said.", local)
    italy.entities[0].kb_score = 0.85
    assert link_analyses([italy], kb)[("b2", 0)].wikidata == "Q1747585"


def test_resolver_shorter_full_name_joins_the_longer_one(kb):
    links = link_analyses([
        _analysis("a1", "Mexico", P("Alejandro Moreno Cardenas"), P("Alejandro Moreno"), O("Zelaya"),
                  P("Jose Manuel Zelaya Rosales"), P("Manuel Zelaya")),
        _analysis("b2", "Mexico", P("Alejandro Moreno")),
    ], kb)
    assert links[("a1", 1)] is links[("a1", 0)] is links[("b2", 0)]
    assert links[("a1", 4)] is links[("a1", 3)]  # words in order
    assert links[("a1", 2)] is links[("a1", 3)]  # one word of the name, same article
    assert links[("a1", 3)].type == "Person"


def test_resolver_risky_form_of_one_article_does_not_pull_another(kb):
    kb.add(KBEntity("pf:zanu", "PoliticalParty", "Zimbabwe African National Union – Patriotic Front", ("ZANU-PF", "PF"),
                    "Q1910161", "ZWE"))
    zimbabwe = _analysis("a1", "Zimbabwe", O("ZANU-PF", "ZANU-PF", "PF", kb_id="pf:zanu", etype="PoliticalParty"))
    zambia = _analysis("b2", "Lusaka", O("PF", etype="PoliticalParty"))
    links = link_analyses([zimbabwe, zambia], kb)
    assert links[("a1", 0)].wikidata == "Q1910161"
    assert links[("b2", 0)].wikidata is None


def test_resolver_generic_name_of_articles_without_a_country_stays_apart(kb):
    links = link_analyses([
        _analysis("a1", "The speaker of the National Assembly in Abuja said", O("National Assembly")),
        _analysis("b2", "Lusaka: the National Assembly voted", O("National Assembly")),
    ], kb)
    assert links[("a1", 0)].iri != links[("b2", 0)].iri


def test_resolver_acronym_joins_a_long_name_of_another_article_only_in_one_country(kb):
    links = link_analyses([
        _analysis("a1", "Mongolia: the Mongolian Democratic Party met", O("Mongolian Democratic Party", etype="PoliticalParty")),
        _analysis("b2", "The ruling MDP has expelled a lawmaker.", O("MDP", etype="PoliticalParty")),
        _analysis("c3", "In Mongolia, the MDP won.", O("MDP", etype="PoliticalParty")),
    ], kb)
    assert links[("b2", 0)] is not links[("a1", 0)]  # no country: no evidence it is the Mongolian party
    assert links[("c3", 0)] is links[("a1", 0)]
