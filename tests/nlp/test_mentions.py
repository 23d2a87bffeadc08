"""Unit tests of kgraph.nlp.mentions on blank pipelines (no statistical model needed)."""
from __future__ import annotations

import pytest
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


# --- page furniture, offices, names that swallowed a holder (blank pipelines) -----------------

from kgraph.nlp.mentions import _furniture_tokens, _not_a_name, _split_holder  # noqa: E402


def _blank_doc(text):
    return spacy.blank("en")(text)


@pytest.mark.parametrize(
    "text, dateline",
    [
        ("ALMATY, Kazakhstan (AP) — Nur Otan met.", "ALMATY, Kazakhstan (AP) —"),
        ("Prague, 29 January 2004 (RFE/RL) -- The party met.", "Prague, 29 January 2004 (RFE/RL) --"),
        ("DHAKA (TIP): The party met.", "DHAKA (TIP):"),
    ],
)
def test_mentions_datelines_are_furniture(text, dateline):
    doc = _blank_doc(text)
    furniture = _furniture_tokens(doc)
    assert {doc[i].text for i in furniture} == {t.text for t in _blank_doc(dateline)}
    assert not any(t.i in furniture for t in doc if t.text in ("party", "Otan", "met"))


def test_mentions_section_labels_and_bylines_are_furniture():
    doc = _blank_doc("Breaking News\nBy John Smith\nThe Aul Party met in Astana.\nRead more")
    furniture = {doc[i].text for i in _furniture_tokens(doc)}
    assert {"Breaking", "News", "John", "Smith", "Read", "more"} <= furniture
    assert not furniture & {"Aul", "Party", "Astana"}


def test_mentions_plain_sentence_has_no_furniture():
    assert _furniture_tokens(_blank_doc("Maria Volkova - the party's leader - spoke.")) == set()


@pytest.mark.parametrize(
    "words, expected",
    [(["Secretary", "General"], True), (["National", "Publicity", "Secretary"], True),
     (["Leader", "of", "Opposition"], True), (["Read", "more"], True), (["<", "div", "class"], True),
     (["Aul", "Party"], False), (["Nur", "Otan"], False), (["Ministry", "of", "Justice"], False)],
)
def test_mentions_offices_furniture_markup_are_not_names(words, expected):
    assert _not_a_name(_span(words, 0, len(words))) is expected


def test_mentions_split_holder_from_office():
    org, person = _split_holder(_span(["Party", "Chairman", "John", "Smith"], 0, 4))
    assert org is None and person.text == "John Smith"
    org, person = _split_holder(_span(["Opposition", "leader", "Jane", "Roe"], 0, 4))
    assert org is None and person.text == "Jane Roe"
    # a person glued to an acronym: only when the document names that person elsewhere
    org, person = _split_holder(_span(["UNM", "Nika", "Melia"], 0, 3), frozenset({"Melia"}))
    assert org.text == "UNM" and person.text == "Nika Melia"
    assert _split_holder(_span(["ACE", "Aviation", "Holdings"], 0, 3), frozenset({"Melia"})) == (None, None)
    assert _split_holder(_span(["ANC", "Youth", "League"], 0, 3)) == (None, None)
    assert _split_holder(_span(["Democratic", "Choice", "of", "Kazakhstan"], 0, 4)) == (None, None)


def test_mentions_head_type_bodies_and_legislatures_are_organizations():
    assert _head_type(_span(["SDPK", "faction"], 0, 2)) == "Organization"
    assert _head_type(_span(["ARF", "Supreme", "Body"], 0, 3)) == "Organization"
    assert _head_type(_span(["State", "Duma"], 0, 2)) == "Organization"
    assert _head_type(_span(["Verkhovna", "Rada"], 0, 2)) == "Organization"
    assert _head_type(_span(["National", "Assembly", "of", "Armenia"], 0, 4)) == "Organization"
    assert _head_type(_span(["Oromo", "Federalist", "Congress"], 0, 3)) == "PoliticalParty"


def test_mentions_word_lists_come_from_the_lexicon():
    from kgraph.nlp.lexicon import load_lexicon
    from kgraph.nlp.mentions import LEAD_TITLES, MEMBER_TITLES, PARTY_HEADS, PARTY_MEMBER_TITLES, TITLE_WORDS

    lex = load_lexicon("entities")
    assert LEAD_TITLES == lex["lead_titles"] and MEMBER_TITLES == lex["member_titles"]
    assert PARTY_HEADS == lex["party_heads"] and PARTY_MEMBER_TITLES == lex["party_member_titles"]
    assert lex["title_words"] <= TITLE_WORDS and "mr" in TITLE_WORDS


# --- the real model: names by form, acronyms, bodies, legislatures ---------------------------

def _entities(nlp, text, date="2023-11-30"):
    import datetime as dt

    from kgraph.model import Article
    from kgraph.nlp import analyze
    from kgraph.nlp.pipeline import _make_doc

    article = Article(id="t", title="", text=text, date=dt.date.fromisoformat(date))
    return analyze(nlp(_make_doc(nlp, article)), article).entities


@pytest.mark.e2e
def test_mentions_acronym_typed_from_its_long_form(real_nlp):
    entities = _entities(real_nlp, "The Zorland Freedom Party (ZFP) held a rally in Oskar. Later the ZFP "
                                   "said it will not take part. ZFP leaders were arrested.")
    (party,) = [e for e in entities if "ZFP" in e.surface_forms]
    assert party.type == "PoliticalParty" and party.name == "Zorland Freedom Party"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "text, name, kind",
    [("Members of the Party of Regional Revival met on Monday.", "Party of Regional Revival", "PoliticalParty"),
     ("The Forum for Democratic Renewal said the vote was rigged.", "Forum for Democratic Renewal", "PoliticalParty"),
     ("Thousands joined the Patriotic Front of Zorland at the rally.", "Patriotic Front of Zorland", "PoliticalParty")],
)
def test_mentions_parties_recognised_by_form(real_nlp, text, name, kind):
    entities = _entities(real_nlp, text)
    assert any(e.name == name and e.type == kind for e in entities), [(e.name, e.type) for e in entities]


@pytest.mark.e2e
def test_mentions_dateline_city_is_no_entity(real_nlp):
    entities = _entities(real_nlp, "ALMATY, Kazakhstan (AP) — The Aul Party said on Monday it will join the race.")
    assert not any("ALMATY" in e.surface_forms or e.name.upper() == "ALMATY" for e in entities)


@pytest.mark.e2e
def test_mentions_office_before_holder_gives_the_person(real_nlp):
    entities = _entities(real_nlp, "Opposition leader Marat Tokayev said the vote was rigged. "
                                   "Party Chairman Ivan Dolgov agreed with him.")
    names = {e.name: e.type for e in entities}
    assert names.get("Marat Tokayev") == "Person" and names.get("Ivan Dolgov") == "Person"
    assert not any("Chairman" in n or "leader" in n for n in names)


@pytest.mark.e2e
def test_mentions_led_alliance_is_an_organization(real_nlp):
    entities = _entities(real_nlp, "The ZFP-led opposition alliance said it will boycott the vote.")
    assert any(e.name == "ZFP-led opposition alliance" and e.type == "Organization" for e in entities), \
        [(e.name, e.type) for e in entities]


@pytest.mark.e2e
def test_mentions_legislature_by_lexicon_not_person(real_nlp):
    entities = _entities(real_nlp, "Gennady Seleznyov told the State Duma on Friday that the Verkhovna Rada "
                                   "and the Knesset had sent delegations.")
    names = {e.name: e.type for e in entities}
    assert names.get("State Duma") == "Organization" and names.get("Verkhovna Rada") == "Organization"
    assert names.get("Knesset") == "Organization"


def test_mentions_acronym_before_a_colon_is_not_a_dateline():
    doc = _blank_doc("BNP: we will boycott the vote.")
    assert _furniture_tokens(doc) == set()


@pytest.mark.e2e
@pytest.mark.parametrize(
    "text, name",
    [("The president of the Nahda Islamist party, Karim Ben Ali, spoke on Monday.", "Nahda"),
     ("The leader of the nationalist Vazrada party said it would take part.", "Vazrada"),
     ("Its members including the largest political party Nahda have decided to take part.", "Nahda"),
     ("Elena Moraru, leader of the opposition party Droa, began a hunger strike.", "Droa")],
)
def test_mentions_described_party_is_named_by_its_name(real_nlp, text, name):
    # "the X Islamist party", "the opposition party X": the describing words are not the name
    entities = _entities(real_nlp, text)
    assert any(e.name == name and e.type == "PoliticalParty" for e in entities), [(e.name, e.type) for e in entities]


@pytest.mark.e2e
def test_mentions_country_words_stay_in_a_described_party_name(real_nlp):
    entities = _entities(real_nlp, "The Bangladesh Nationalist party said it would boycott the vote.")
    assert not any(e.name == "Bangladesh" for e in entities)


@pytest.mark.e2e
def test_mentions_hyphen_joined_acronym_is_one_name(real_nlp):
    entities = _entities(real_nlp, "MDC-T leader Morgan Tsvangirai told journalists that the ZANU-PF politburo met.")
    names = {e.name for e in entities}
    assert "MDC-T" in names and "T" not in names and "ZANU-PF" in names and "ZANU" not in names


@pytest.mark.e2e
def test_mentions_name_does_not_end_with_a_connector(real_nlp):
    entities = _entities(real_nlp, "The Federation of Independent Trade Unions of Tajikistan has nominated a candidate.")
    assert not any(e.name.endswith(" of") for e in entities), [e.name for e in entities]


@pytest.mark.e2e
def test_mentions_kb_name_with_a_digit_is_kept(real_nlp):
    # a bare number is no name, but a party the knowledge base knows by "M5S" is
    entities = _entities(real_nlp, "Four senators were expelled from the M5S following an online vote in Rome.")
    assert any(e.name == "M5S" or "M5S" in e.surface_forms for e in entities if e.type == "PoliticalParty")


@pytest.mark.e2e
def test_mentions_the_senate_is_the_senate_of_the_articles_country(real_nlp):
    entities = _entities(real_nlp, "Paraguay's opposition protested. Yesterday in the Senate, the ruling faction voted "
                                   "to strip Senator Anna Keller of her seat.")
    assert any(e.name == "Senate of Paraguay" and e.type == "Organization" for e in entities), [e.name for e in entities]


def test_mentions_acronym_alias_that_is_another_names_initials_is_ambiguous():
    # "PF" is an alias of one party and the initials of another's name: the ruler gives no KB id
    import spacy

    from kgraph.linking.kb import KBEntity, KnowledgeBase
    from kgraph.nlp.mentions import _AliasPatterns

    kb = KnowledgeBase([
        KBEntity("pf:a", "PoliticalParty", "Unity Union – Patriotic Front", ("PF", "UU"), "Q1", "ZWE"),
        KBEntity("pf:b", "PoliticalParty", "Patriotic Front", (), "Q2", "ZMB"),
    ])
    patterns = _AliasPatterns(spacy.blank("en").tokenizer, kb)
    assert patterns.targets["=PF"] == ("PoliticalParty", None)
    assert patterns.targets["=UU"] == ("PoliticalParty", "pf:a")


def test_mentions_regional_legislature_is_named_by_its_place(real_nlp):
    # "the Balearic parliament": a region's legislature, named by both words (not "Balearic" alone)
    doc = real_nlp("The president of the Balearic parliament, Xelo Marti, was expelled. The Catalan parliament voted.")
    names = {(s.text, s.label_) for s in doc.spans["kgraph_mentions"]}
    assert ("Balearic parliament", "Organization") in names and ("Catalan parliament", "Organization") in names
    assert not any(text == "Balearic" for text, _ in names)


def test_mentions_honorifics_of_many_countries_are_not_part_of_the_name(real_nlp):
    doc = real_nlp("The party voted to expel Vice President Alhaji Samuel Konteh and Datuk Ahmad Rahman on Monday.")
    names = {s.text for s in doc.spans["kgraph_mentions"] if s.label_ == "Person"}
    assert "Samuel Konteh" in names and not any(n.startswith(("Alhaji", "Datuk")) for n in names)


def test_mentions_a_name_described_as_a_person_is_a_person(real_nlp):
    # the NER calls unfamiliar names organizations; a person noun in apposition settles it
    doc = real_nlp("The council also expelled Kainday Bangura, a party stalwart in the Western Area.")
    types = {s.text: s.label_ for s in doc.spans["kgraph_mentions"]}
    assert types.get("Kainday Bangura") == "Person"


def test_mentions_title_before_an_untagged_name_is_not_part_of_it(real_nlp):
    doc = real_nlp("Five senators were expelled for criticizing their leader's tirade against Premier Matteo Renzi "
                   "during his government-formation.")
    assert ("Matteo Renzi", "Person") in {(s.text, s.label_) for s in doc.spans["kgraph_mentions"]}


def test_mentions_parliament_written_as_a_name_is_a_legislature_even_with_no_country(real_nlp):
    # an article that names no country: "Parliament" as a name is one (kept to its article by the
    # linker); a lower-case "parliament" of nowhere is not
    doc = real_nlp("The party expelled four MPs on Monday. They will keep their seats in Parliament until the vote.")
    assert ("Parliament", "Organization") in {(s.text, s.label_) for s in doc.spans["kgraph_mentions"]}
    doc = real_nlp("The party expelled four MPs on Monday. They will keep their seats in parliament until the vote.")
    assert not any(s.text.lower() == "parliament" for s in doc.spans["kgraph_mentions"])


def test_mentions_a_name_before_a_title_and_a_person_is_no_person(real_nlp):
    doc = real_nlp("Four of the defecting MPs, Goilala MP Casmiro Aia and Lagaip MP Amos Akem, were present.")
    persons = {s.text for s in doc.spans["kgraph_mentions"] if s.label_ == "Person"}
    assert {"Casmiro Aia", "Amos Akem"} <= persons and not persons & {"Goilala", "Lagaip"}


def _parsed(words, heads, deps, pos, ents=None):
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, ents=ents)


def test_mentions_person_after_a_named_group_is_not_its_name():
    from kgraph.nlp.mentions import _person_after_named_group

    # "the leader of the Unity party, John Mwale, said": the parse hangs the name on "party"
    words = ["the", "Unity", "party", ",", "John", "Mwale", ",", "said"]
    heads = [2, 2, 7, 2, 5, 2, 2, 7]
    deps = ["det", "compound", "nsubj", "punct", "compound", "appos", "punct", "ROOT"]
    pos = ["DET", "PROPN", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT", "VERB"]
    ents = ["O", "O", "O", "O", "B-PERSON", "I-PERSON", "O", "O"]
    assert _person_after_named_group(_parsed(words, heads, deps, pos, ents)[5])
    # "the party, John Mwale, said": nothing else names the party, so the name may be its
    words2, heads2 = words[:1] + words[2:], [1, 6, 1, 4, 1, 1, 6]
    deps2, pos2, ents2 = deps[:1] + deps[2:], pos[:1] + pos[2:], ents[:1] + ents[2:]
    assert not _person_after_named_group(_parsed(words2, heads2, deps2, pos2, ents2)[4])


def test_mentions_a_name_after_a_titled_organization_is_a_person():
    from kgraph.nlp.mentions import _after_titled_name

    words = ["the", "head", "of", "Servant", "of", "the", "People", "Dmytro", "Kovalenko", "read"]
    pos = ["DET", "NOUN", "ADP", "PROPN", "ADP", "DET", "PROPN", "PROPN", "PROPN", "VERB"]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, lemmas=[w.lower() for w in words],
              sent_starts=[True] + [False] * (len(words) - 1))
    assert _after_titled_name(doc[7:9])
    # no title before the organization: nothing says the words after it are a person's
    words[1], pos[1] = "rise", "NOUN"
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, lemmas=[w.lower() for w in words],
              sent_starts=[True] + [False] * (len(words) - 1))
    assert not _after_titled_name(doc[7:9])
