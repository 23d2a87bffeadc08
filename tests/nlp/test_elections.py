"""Unit tests of kgraph.nlp.elections: keys, names, country codes."""
from __future__ import annotations

import pytest

from kgraph.nlp.countries import country_code
from kgraph.nlp.elections import election_key, election_name


@pytest.mark.parametrize(
    "text, code",
    [("Kazakh", "KAZ"), ("Kazakhstan's", "KAZ"), ("Russian", "RUS"), ("U.S.", "USA"), ("Narnia", None)],
)
def test_elections_country_code_of_names_and_demonyms(text, code):
    assert country_code(text) == code


def test_elections_key_and_name():
    assert election_key("KAZ", 2021, "legislative") == "election:KAZ:2021:legislative"
    assert election_name("KAZ", 2021, "legislative") == "2021 Kazakh legislative election"
    assert election_key(None, None, "presidential") == "election:XXX:unknown:presidential"


def test_elections_countries_of_many_regions_from_the_lexicon():
    from kgraph.nlp.countries import country_adjective, country_name

    assert country_code("Bangladeshi") == "BGD" and country_code("Côte d'Ivoire") == "CIV"
    assert country_code("Zimbabwe’s") == "ZWE" and country_code("Nicaraguan") == "NIC"
    assert country_adjective("TWN") == "Taiwanese" and country_name("TJK") == "Tajikistan"
    # the small states of the Pacific and the Caribbean are countries too
    assert [country_code(n) for n in ("Vanuatu", "Samoan", "Tonga", "Solomon Islands", "Dominica", "Grenadian")] == [
        "VUT", "WSM", "TON", "SLB", "DMA", "GRD"]
    assert country_code("Dominican") == "DOM"  # the Dominican Republic's, not Dominica's


def test_elections_aliases_use_the_article_kind_word():
    from kgraph.nlp.elections import election_aliases

    assert election_aliases("BGD", 2024, {"general"}) == ["2024 Bangladeshi general election"]
    assert election_aliases(None, 2024, {"general"}) == []


@pytest.mark.parametrize("value, expected", [("2015-04", "2015-04-15"), ("2016", "2016-07-15"), ("2020-09-01", "2020-09-01")])
def test_elections_article_date_of_reduced_precision(value, expected):
    import datetime as dt

    import spacy

    from spacy.tokens import Doc

    from kgraph.nlp.elections import article_date

    if not Doc.has_extension("kgraph_date"):
        Doc.set_extension("kgraph_date", default=None)
    doc = spacy.blank("en")("text")
    doc._.kgraph_date = value
    assert article_date(doc) == dt.date.fromisoformat(expected)


def _elections(nlp, text, date):
    import datetime as dt

    from kgraph.model import Article
    from kgraph.nlp import analyze
    from kgraph.nlp.pipeline import _make_doc

    article = Article(id="t", title="", text=text, date=dt.date.fromisoformat(date))
    return [e for e in analyze(nlp(_make_doc(nlp, article)), article).entities if e.type == "Election"]


@pytest.mark.e2e
@pytest.mark.parametrize(
    "text, date, key",
    [
        ("Bangladesh's main opposition party said it will boycott the January 7 polls.", "2023-11-30",
         "election:BGD:2024:legislative"),
        ("The Zimbabwean opposition rejected last year's presidential vote.", "2019-05-02",
         "election:ZWE:2018:presidential"),
        ("Nicaragua's opposition won seats in the 2016 general election.", "2017-03-01",
         "election:NIC:2016:legislative"),
        ("Georgia's opposition refused to take part in the runoff of the municipal elections.", "2017-10-25",
         "election:GEO:2017:local"),
    ],
)
def test_elections_of_any_country_resolved_to_year_kind_country(real_nlp, text, date, key):
    keys = {e.key for e in _elections(real_nlp, text, date)}
    assert key in keys, keys


@pytest.mark.e2e
def test_elections_name_alias_from_the_article_kind_word(real_nlp):
    (election,) = _elections(real_nlp, "The Bangladesh Nationalist Party will boycott the general elections "
                                       "in Bangladesh on January 7.", "2023-11-30")
    assert "2024 Bangladeshi general election" in election.surface_forms


@pytest.mark.e2e
def test_elections_by_election_is_an_election_of_its_own(real_nlp):
    import datetime as dt

    from kgraph.model import Article
    from kgraph.nlp import analyze
    from kgraph.nlp.pipeline import _make_doc

    article = Article(id="t", title="", text="The Aul Party on Tuesday decided to boycott the upcoming by-elections "
                      "across Kazakhstan.", date=dt.date(2025, 11, 4))
    analysis = analyze(real_nlp(_make_doc(real_nlp, article)), article)
    (election,) = [e for e in analysis.entities if e.type == "Election"]
    assert election.name == "2025 Kazakh by-election" and election.key == "election:KAZ:2025:by-election"
    assert [(analysis.entities[r.subject].name, r.predicate) for r in analysis.relations] == [("Aul Party", "boycotted")]


@pytest.mark.e2e
@pytest.mark.parametrize("text", [
    "The Unity Party of Moldova boycotted the last presidential election, in 2016, as well as the 2009 presidential "
    "poll, and parliamentary elections in 2014 and 2019.",
    "The Unity Party of Moldova boycotted parliamentary elections in 2014 and 2019, the last presidential election, "
    "in 2016, and the 2009 presidential poll.",
])
def test_elections_listed_elections_are_each_their_own_and_all_boycotted(real_nlp, text):
    # a coordinated election takes no date of the first one; "elections in 2014 and 2019" are two;
    # a boycott of the first election of a list is a boycott of each
    import datetime as dt

    from kgraph.model import Article
    from kgraph.nlp import analyze
    from kgraph.nlp.pipeline import _make_doc

    article = Article(id="t", title="", text=text, date=dt.date(2021, 3, 1))
    analysis = analyze(real_nlp(_make_doc(real_nlp, article)), article)
    keys = {e.key for e in analysis.entities if e.type == "Election"}
    wanted = {"election:MDA:2016:presidential", "election:MDA:2009:presidential", "election:MDA:2014:legislative",
              "election:MDA:2019:legislative"}
    assert wanted <= keys, keys
    boycotted = {analysis.entities[r.object].key for r in analysis.relations if r.predicate == "boycotted"}
    assert wanted <= boycotted, boycotted


@pytest.mark.e2e
def test_elections_an_indefinite_or_pronoun_determiner_is_not_part_of_the_mention(real_nlp):
    elections = _elections(real_nlp, "Kuwait's opposition will boycott a December 1 parliamentary election, and the "
                                     "ruling party its local elections.", "2012-11-28")
    forms = {f for e in elections for f in e.surface_forms}
    assert "December 1 parliamentary election" in forms and not any(f.startswith(("a ", "its ")) for f in forms)


def test_elections_a_capital_names_the_articles_country():
    from kgraph.linking.evidence import article_countries
    from kgraph.nlp.countries import capital_country

    assert capital_country("Dhaka") == "BGD" and capital_country("Ulaanbaatar") == "MNG"
    assert capital_country("Victoria") is None  # a capital that is also a person's name is left out
    assert capital_country("Kazakhstan") is None and country_code("Dhaka") is None  # a city is no country
    assert article_countries("DHAKA, Jan 25 - The BNP will not take part, its leaders said in Dhaka.")["BGD"] == 2
