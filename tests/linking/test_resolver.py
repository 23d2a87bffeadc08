"""Tests for kgraph.linking.resolver: cluster linking, cross-article merging, name resolution."""
from __future__ import annotations

import time

import pytest

from kgraph.errors import EntityNotFoundError
from kgraph.linking.kb import KBEntity, KnowledgeBase
from kgraph.linking.resolver import LinkContext, Linker, explain, link_analyses, resolve_name
from kgraph.model import Article, ArticleAnalysis, Entity, LocalEntity
from kgraph.rdf.namespace import entity_iri

AQ_ZHOL = KBEntity("p:aq", "PoliticalParty", "Aq Zhol", ("Ak Zhol",), "Q1186246", "KAZ")
AK_JOL = KBEntity("p:akjol", "PoliticalParty", "Ak Jol", (), "Q2", "KGZ")
NAZARBAEV = KBEntity("a:nn", "Person", "Nursultan Nazarbaev", ("Nazarbayev",), None, "KAZ")
NAZARBAEVA = KBEntity("a:dn", "Person", "Darigha Nazarbaeva", ("Nazarbaeva",), None, "KAZ")
LABOUR_A = KBEntity("p:lab1", "PoliticalParty", "Labour Party", (), "Q10", "GBR")
LABOUR_B = KBEntity("p:lab2", "PoliticalParty", "Labour Party", (), "Q11", "NZL")
LABOUR_DUP = KBEntity("p:lab3", "PoliticalParty", "Labour Party", (), "Q10", "GBR")  # same item twice


@pytest.fixture
def kb():
    return KnowledgeBase([AQ_ZHOL, AK_JOL, NAZARBAEV, NAZARBAEVA, LABOUR_A, LABOUR_B])


# --- Linker -----------------------------------------------------------------------------------
def test_resolver_linker_all_forms_vote(kb):
    decision = Linker(kb).link(["Darigha Nazarbayeva", "Nazarbaeva", "she"], "Person")
    assert decision.kb_id == "a:dn"
    assert decision.score >= 0.95


def test_resolver_linker_requires_compatible_type(kb):
    assert Linker(kb).link(["Aq Zhol"], "Organization").kb_id == "p:aq"  # org <-> party agree
    decision = Linker(kb).link(["Aq Zhol"], "Person")
    assert decision.kb_id is None
    assert all(c.entity.type == "Person" for c in decision.candidates)


def test_resolver_linker_country_breaks_ties(kb):
    assert Linker(kb).link(["Ak Jol"], "PoliticalParty", LinkContext(country="KAZ")).kb_id == "p:aq"
    assert Linker(kb).link(["Labour Party"], "PoliticalParty", LinkContext(country="NZL")).kb_id == "p:lab2"


def test_resolver_linker_refuses_real_ties(kb):
    decision = Linker(kb).link(["Labour Party"], "PoliticalParty")
    assert decision.kb_id is None
    assert {c.entity.id for c in decision.candidates[:2]} == {"p:lab1", "p:lab2"}


def test_resolver_linker_same_wikidata_twice_is_not_a_tie():
    kb = KnowledgeBase([LABOUR_A, LABOUR_DUP])
    assert Linker(kb).link(["Labour Party"], "PoliticalParty").kb_id == "p:lab1"


@pytest.mark.parametrize("threshold", [0.8, 0.99])
def test_resolver_linker_threshold(kb, threshold):
    # a fuzzy match (typo) is accepted by a lenient linker only
    decision = Linker(kb, threshold=0.5).link(["Nursultan Nazarbajevv"], "Person")
    strict = Linker(kb, threshold=threshold).link(["Nursultan Nazarbajevv"], "Person")
    assert decision.kb_id == "a:nn"
    assert strict.kb_id is None or strict.score >= threshold


def test_resolver_linker_out_of_kb_name_links_to_nothing(kb):
    assert Linker(kb).link(["Merhat Sharipzhan"], "Person").kb_id is None


def test_resolver_linker_is_fast_on_default_kb():
    linker = Linker(KnowledgeBase.default())
    linker.link(["warm up"], "Person")
    start = time.perf_counter()
    for _ in range(20):
        linker.link(["Nursultan Nazarbaev", "Nazarbaev"], "Person", LinkContext(country="KAZ"))
        linker.link(["Aq Zhol", "Bright Path"], "PoliticalParty", LinkContext(country="KAZ"))
    assert (time.perf_counter() - start) / 40 < 0.02


# --- link_analyses ----------------------------------------------------------------------------
def _analysis(article_id: str, *entities: tuple) -> ArticleAnalysis:
    article = Article(id=article_id, title="t", text="x")
    locals_ = []
    for index, (etype, name, forms, kb_id, key) in enumerate(entities):
        locals_.append(LocalEntity(index, etype, name, list(forms), kb_id=kb_id, key=key))
    return ArticleAnalysis(article=article, entities=locals_)


def _person(name, *forms):
    return ("Person", name, forms or (name,), None, None)


def test_resolver_link_analyses_surname_and_full_name_are_one_person(kb):
    a = _analysis("a1", _person("Altaev"))
    b = _analysis("b2", _person("Nurzhan Altaev", "Nurzhan Altaev", "Altaev"))
    links = link_analyses([a, b], kb)
    assert links[("a1", 0)] is links[("b2", 0)]
    entity = links[("a1", 0)]
    assert entity.label == "Nurzhan Altaev"
    assert entity.iri == str(entity_iri("Person", "Nurzhan Altaev"))
    assert "Altaev" in entity.aliases


def test_resolver_link_analyses_is_independent_of_article_order(kb):
    arts = [
        _analysis("a1", _person("Altaev"), ("PoliticalParty", "El Tiregi", ["El Tiregi"], None, None)),
        _analysis("b2", _person("Nurzhan Altayev"), ("Organization", "El Tiregi party", ["El Tiregi party"], None, None)),
        _analysis("c3", _person("Nurzhan Altaev")),
    ]
    forward = {k: v.iri for k, v in link_analyses(arts, kb).items()}
    backward = {k: v.iri for k, v in link_analyses(arts[::-1], kb).items()}
    assert forward == backward
    assert len({forward[(a, 0)] for a in ("a1", "b2", "c3")}) == 1  # folded names agree
    assert forward[("a1", 1)] == forward[("b2", 1)]  # "El Tiregi" = "El Tiregi party", org ~ party


def test_resolver_link_analyses_uses_kb_entity(kb):
    a = _analysis("a1", ("PoliticalParty", "Ak Zhol", ["Ak Zhol", "Bright Path"], "p:aq", None))
    b = _analysis("b2", ("Organization", "Aq Zhol party", ["Aq Zhol party"], None, None))
    links = link_analyses([a, b], kb)
    entity = links[("a1", 0)]
    assert (entity.label, entity.wikidata, entity.kb_id, entity.type) == ("Aq Zhol", "Q1186246", "p:aq", "PoliticalParty")
    assert entity.iri == str(entity_iri("PoliticalParty", "Aq Zhol"))
    assert links[("b2", 0)] is entity  # the unlinked spelling merges into the KB entity
    assert {"Ak Zhol", "Bright Path", "Aq Zhol party"} <= entity.aliases


def test_resolver_link_analyses_elections_by_key(kb):
    key = "election:KAZ:2021:legislative"
    a = _analysis("a1", ("Election", "2021 Kazakh legislative election", [], None, key))
    b = _analysis("b2", ("Election", "2021 Kazakh legislative election", ["the January 10 elections"], None, key),
                  ("Election", "2016 Kazakh legislative election", [], None, "election:KAZ:2016:legislative"))
    links = link_analyses([a, b], kb)
    assert links[("a1", 0)] is links[("b2", 0)]
    assert links[("a1", 0)].iri == str(entity_iri("Election", key))
    assert links[("b2", 1)] is not links[("a1", 0)]


def test_resolver_link_analyses_merges_with_known_store_entity(kb):
    known = Entity("https://w3id.org/kgraph/id/person/m-sharipzhan", "Person", "Merhat Sharipzhan", {"Sharipzhan"})
    a = _analysis("a1", _person("Merkhat Sharipzhan"), _person("Sharipzhan"))
    links = link_analyses([a], kb, known=[known])
    assert links[("a1", 0)].iri == known.iri
    assert links[("a1", 1)].iri == known.iri
    assert links[("a1", 0)].label == "Merhat Sharipzhan"  # the store's label stays
    assert "Merkhat Sharipzhan" in links[("a1", 0)].aliases


def test_resolver_link_analyses_ambiguous_surname_is_not_merged(kb):
    known = [
        Entity("https://w3id.org/kgraph/id/person/rashid-akhmetov", "Person", "Rashid Akhmetov"),
        Entity("https://w3id.org/kgraph/id/person/marat-akhmetov", "Person", "Marat Akhmetov"),
    ]
    links = link_analyses([_analysis("a1", _person("Akhmetov"))], kb, known=known)
    assert links[("a1", 0)].iri not in {e.iri for e in known}


def test_resolver_link_analyses_keeps_types_apart(kb):
    a = _analysis("a1", _person("Birlik"), ("PoliticalParty", "Birlik", ["Birlik"], None, None))
    links = link_analyses([a], kb)
    assert links[("a1", 0)] is not links[("a1", 1)]


# --- resolve_name / explain -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Nazarbayev", "Назарбаев", "nursultan nazarbaev"])
def test_resolver_resolve_name_any_spelling(kb, name):
    entity = resolve_name(name, kb)
    assert entity.kb_id == "a:nn"
    assert entity.iri == str(entity_iri("Person", "Nursultan Nazarbaev"))


def test_resolver_resolve_name_prefers_store_entity(kb):
    stored = Entity("https://w3id.org/kgraph/id/party/aq-zhol", "PoliticalParty", "Aq Zhol", {"Ak Zhol"}, "Q1186246", "p:aq")
    assert resolve_name("Ak Zhol", kb, [stored]) == stored
    minted = Entity("https://w3id.org/kgraph/id/party/el-tiregi", "PoliticalParty", "El Tiregi")
    assert resolve_name("El Tiregi party", kb, [stored, minted]).iri == minted.iri


def test_resolver_resolve_name_unknown_lists_closest(kb):
    with pytest.raises(EntityNotFoundError) as err:
        resolve_name("Nazarbekov", kb)
    assert "Nazarbekov" in str(err.value)
    assert "kgraph link" in str(err.value)


def test_resolver_resolve_name_ambiguous_lists_both(kb):
    with pytest.raises(EntityNotFoundError) as err:
        resolve_name("Labour Party", kb)
    assert err.value.candidates[:2] == ["Labour Party", "Labour Party"]
    assert "GBR" in str(err.value) and "NZL" in str(err.value)


def test_resolver_explain_lists_kb_and_store_candidates_once(kb):
    stored = Entity("https://w3id.org/kgraph/id/person/nursultan-nazarbaev", "Person", "Nursultan Nazarbaev", set(), None, "a:nn")
    found = explain("Nazarbaev", kb, [stored])
    ids = [c.entity.id for c in found]
    assert ids[0] == stored.iri
    assert "a:nn" not in ids
    assert "a:dn" in ids  # the daughter is a (weaker) candidate
    assert found == sorted(found, key=lambda c: -c.score)


# --- the bundled KB ---------------------------------------------------------------------------
def test_resolver_default_kb_resolves_cli_examples():
    kb = KnowledgeBase.default()
    assert resolve_name("Nazarbayev", kb).kb_id == "actor:nursultan-nazarbaev"
    assert resolve_name("Ak Zhol", kb).wikidata == "Q1186246"
    assert resolve_name("Ақ жол", kb).kb_id == "pf:3747"


def test_resolver_link_analyses_kb_entity_keeps_kb_label_and_store_aliases(kb):
    old = Entity("https://w3id.org/kgraph/id/party/ak-zhol-old", "Organization", "Ak Zhol (old)", {"Akzhol"}, None, "p:aq")
    links = link_analyses([_analysis("a1", ("PoliticalParty", "Aq Zhol", ["Aq Zhol"], "p:aq", None))], kb, [old])
    entity = links[("a1", 0)]
    assert (entity.iri, entity.label, entity.type) == (str(entity_iri("PoliticalParty", "Aq Zhol")), "Aq Zhol", "PoliticalParty")
    assert "Akzhol" in entity.aliases


def test_resolver_linker_name_opening_with_its_country():
    # "British Labour Party": the country's "Labour Party", not another's
    kb = KnowledgeBase([LABOUR_A, LABOUR_B])
    assert Linker(kb).link(["British Labour Party"], "PoliticalParty").kb_id == "p:lab1"
    assert Linker(kb).link(["New Zealand Labour Party"], "PoliticalParty").kb_id == "p:lab2"


def test_resolver_namesake_kb_parties_get_their_own_iris(kb):
    def analysis(article_id, text, kb_id):
        article = Article(id=article_id, title="t", text=text)
        return ArticleAnalysis(article=article, entities=[
            LocalEntity(0, "PoliticalParty", "Labour Party", ["Labour Party"], kb_id=kb_id)])

    links = link_analyses([analysis("a1", "In Britain, the Labour Party won.", "p:lab1"),
                           analysis("b2", "In New Zealand, the Labour Party won.", "p:lab2")], kb)
    uk, nz = links[("a1", 0)], links[("b2", 0)]
    assert (uk.wikidata, nz.wikidata) == ("Q10", "Q11")
    assert uk.iri != nz.iri and uk.iri == str(entity_iri("PoliticalParty", "Labour Party gbr"))
    # a name only one KB entity bears keeps its plain IRI
    aq = link_analyses([_analysis("c3", ("PoliticalParty", "Aq Zhol", ["Aq Zhol"], "p:aq", None))], kb)[("c3", 0)]
    assert aq.iri == str(entity_iri("PoliticalParty", "Aq Zhol"))
