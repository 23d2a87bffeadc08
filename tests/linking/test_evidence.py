"""Tests for kgraph.linking.evidence: which names need context before they carry a KB link."""
from __future__ import annotations

from collections import Counter

import pytest

from kgraph.linking.evidence import article_countries, assess, name_risk, needed, zipf
from kgraph.linking.kb import KBEntity, KnowledgeBase

APPLE = KBEntity("pf:apple", "PoliticalParty", "Party of Free Democrats", ("Apple",), "Q1984161", "UKR")
PLC_CUB = KBEntity("pf:plc1", "PoliticalParty", "Liberal Party of Cuba", ("PLC",), "Q10", "CUB")
PLC_NIC = KBEntity("pf:plc2", "PoliticalParty", "Constitutionalist Liberal Party", ("PLC",), "Q11", "NIC")
GREEN_A = KBEntity("pf:g1", "PoliticalParty", "Green Party", (), "Q20", "GBR")
GREEN_B = KBEntity("pf:g2", "PoliticalParty", "Green Party", (), "Q21", "USA")
NUR_OTAN = KBEntity("pf:nur", "PoliticalParty", "Nur Otan", ("Fatherland",), "Q1", "KAZ")


@pytest.fixture
def kb():
    return KnowledgeBase([APPLE, PLC_CUB, PLC_NIC, GREEN_A, GREEN_B, NUR_OTAN])


def test_evidence_word_frequencies_come_from_the_package():
    assert zipf("apple") > 4 > zipf("nazarbaev")


@pytest.mark.parametrize(
    "name, risk",
    [
        ("Apple", "common-word"),
        ("Chinese", "common-word"),
        ("Fatherland", "common-word"),
        ("CNN", "acronym"),  # an English word first
        ("PLC", "acronym"),  # shared by two KB parties
        ("UN", "short"),
        ("Green Party", "generic"),  # shared, and made of common words
        ("Nur Otan", None),
        ("Nazarbaev", None),
        ("Kuomintang", None),
        ("OSDP", None),  # four letters, a word of nothing else, one owner
    ],
)
def test_evidence_name_risk(kb, name, risk):
    assert name_risk(name, kb) == risk


def test_evidence_article_countries_leave_out_the_entity_own_name():
    text = "Chinese officials met Kazakh and Kazakhstan's delegates in South Africa."
    counts = article_countries(text)
    assert counts["KAZ"] == 2 and counts["ZAF"] == 1 and counts["CHN"] == 1
    assert article_countries(text, exclude=["Chinese"])["CHN"] == 0


def test_evidence_assess_needs_country_for_a_risky_name(kb):
    assert not assess(["Apple"], APPLE, kb, "Apple shares rose in New York.").kept
    kept = assess(["Apple"], APPLE, kb, "In Ukraine, Apple won seats.")
    assert kept.kept and "UKR" in kept.reasons[-1]
    assert assess(["Apple"], APPLE, kb, "no country here", linked_countries={"UKR"}).kept


def test_evidence_assess_safe_name_is_enough(kb):
    evidence = assess(["Fatherland", "Nur Otan"], NUR_OTAN, kb)
    assert evidence.kept and evidence.risks == {"Fatherland": "common-word", "Nur Otan": None}


def test_evidence_assess_uses_counted_countries(kb):
    assert assess(["Fatherland"], NUR_OTAN, kb, countries=Counter({"KAZ": 3})).kept
    assert not assess(["Fatherland"], NUR_OTAN, kb, countries=Counter({"RUS": 3})).kept


def test_evidence_needed_says_what_a_link_needs(kb):
    assert needed("Nur Otan", NUR_OTAN, kb) == "the name identifies it"
    assert needed("Fatherland", NUR_OTAN, kb).startswith("common-word: links only where the article names KAZ")


def test_evidence_full_name_in_the_article_supports_an_acronym():
    eff = KBEntity("pf:eff", "PoliticalParty", "Economic Freedom Fighters", ("EFF",), "Q15613585", "ZAF")
    kb = KnowledgeBase([eff, KBEntity("pf:x", "PoliticalParty", "Effective Front", ("EFF",), "Q3", "PER")])
    text = "The Economic Freedom Fighters walked out. The EFF said..."
    evidence = assess(["EFF"], eff, kb, text)
    assert evidence.kept and "in full" in evidence.reasons[-1]
    assert not assess(["EFF"], eff, kb, "The EFF said...").kept


def test_evidence_country_words_learned_from_the_kb():
    parties = [KBEntity(f"pf:{i}", "PoliticalParty", f"{w} Party of Bangladesh", (), f"Q{i}", "BGD")
               for i, w in enumerate(["Workers", "Peasants"], 1)]
    bnp = KBEntity("pf:bnp", "PoliticalParty", "Nationalist Front", ("BNP",), "Q9", "BGD")
    kb = KnowledgeBase([*parties, bnp])
    assert kb.country_words("BGD") >= {"bangladesh"}
    assert assess(["BNP"], bnp, kb, "In Dhaka, Bangladesh, the BNP marched.").kept
    assert not assess(["BNP"], bnp, kb, "In Chittagong the BNP marched.").kept
    assert assess(["BNP"], bnp, kb, "In Dhaka the BNP marched.").kept  # a capital names its country
