"""Unit tests of kgraph.nlp.mentions on blank pipelines (no statistical model needed)."""
from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from kgraph.nlp.mentions import MENTIONS_KEY, _clean, _head_type, register_kb


def _ruler_nlp(kb):
    import kgraph.nlp.mentions  # noqa: F401  (registers the factories)

    nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_entity_ruler", config={"kb_name": register_kb(kb)})
    return nlp


def test_mentions_ruler_presets_kb_aliases_as_entities(fake_kb):
    doc = _ruler_nlp(fake_kb)("Members of Aq Zhol and the OSDP met Sidorov.")
    found = {(e.text, e.label_, e.kb_id_) for e in doc.ents}
    assert ("Aq Zhol", "PARTY", "p:1") in found
    assert ("OSDP", "PARTY", "p:2") in found
    assert ("Sidorov", "PERSON", "a:1") in found


def test_mentions_ruler_matches_multiword_names_in_any_case(fake_kb):
    doc = _ruler_nlp(fake_kb)("Delegates of AK ZHOL spoke.")
    assert [e.text for e in doc.ents] == ["AK ZHOL"]


def test_mentions_ruler_ignores_lowercase_acronym_lookalikes(fake_kb):
    doc = _ruler_nlp(fake_kb)("the osdp and the bright path ahead")
    assert list(doc.ents) == []


def test_mentions_ruler_without_kb_is_a_no_op():
    import kgraph.nlp.mentions  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_entity_ruler", config={"kb_name": "none"})
    assert list(nlp("Aq Zhol met.").ents) == []


def _span(words, start, end, **kwargs):
    doc = Doc(spacy.blank("en").vocab, words=words, **kwargs)
    return Span(doc, start, end, label="ORG")


def test_mentions_clean_splits_possessor_from_name():
    span = _span(["Nazarbaev", "’s", "Nur", "Otan", "won"], 0, 4)
    assert [s.text for s in _clean(span)] == ["Nur Otan", "Nazarbaev"]


def test_mentions_clean_keeps_possessive_inside_a_party_name():
    span = _span(["the", "Communist", "People", "'s", "Party"], 0, 5)
    assert [s.text for s in _clean(span)] == ["Communist People 's Party"]


def test_mentions_clean_cuts_unbalanced_parenthesis():
    span = _span(["El", "Tiregi", "(", "People", "Pillar"], 0, 5)
    assert [s.text for s in _clean(span)] == ["El Tiregi"]


def test_mentions_clean_separates_bracketed_acronym():
    span = _span(["Democratic", "Choice", "(", "DVK", ")"], 0, 5)
    assert [s.text for s in _clean(span)] == ["Democratic Choice", "DVK"]


def test_mentions_head_type_from_head_words():
    assert _head_type(_span(["Aul", "Party"], 0, 2)) == "PoliticalParty"
    assert _head_type(_span(["Security", "Council"], 0, 2)) == "Organization"
    assert _head_type(_span(["European", "Union"], 0, 2)) == "Organization"
    assert _head_type(_span(["Democratic", "Union"], 0, 2)) == "PoliticalParty"
    assert _head_type(_span(["Democratic", "Choice", "Movement", "of", "Kazakhstan"], 0, 5)) == "PoliticalParty"
    assert _head_type(_span(["Rakhimzhanov"], 0, 1)) is None


def test_mentions_key_is_the_span_group_name():
    assert MENTIONS_KEY == "kgraph_mentions"
