"""kgraph.temporal.as_of and the packaged asof query, on hand-built articles with time scopes
(no spaCy), and end to end on the seed corpus with the real model."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from kgraph.errors import InputError
from kgraph.model import Article, ArticleAnalysis, Entity, LocalEntity, Mention, Relation
from kgraph.temporal import as_of, parse_date

ID = "https://w3id.org/kgraph/id/"
BERG = Entity(ID + "person/anna-berg", "Person", "Anna Berg")
ODE = Entity(ID + "person/karl-ode", "Person", "Karl Ode")
LIND = Entity(ID + "person/ivo-lind", "Person", "Ivo Lind")
SAND = Entity(ID + "person/eva-sand", "Person", "Eva Sand")
BLUE = Entity(ID + "party/blue-party", "PoliticalParty", "Blue Party", kb_id="kb:blue")
AZURE = Entity(ID + "party/azure-party", "PoliticalParty", "Azure Party", kb_id="kb:azure")
PEOPLE = {BERG.iri: BERG, ODE.iri: ODE, LIND.iri: LIND, SAND.iri: SAND}


def _article(article_id: str, date: dt.date, text: str, person: Entity, predicate: str, time: dict):
    """One article stating ``person predicate Blue Party`` (expelledFrom: the party expels)."""
    party_at = text.index("Blue Party")
    person_at = text.index(person.label)
    entities = [LocalEntity(0, "Person", person.label), LocalEntity(1, "PoliticalParty", "Blue Party")]
    mentions = [Mention(person_at, person_at + len(person.label), person.label, "Person", 0),
                Mention(party_at, party_at + 10, "Blue Party", "PoliticalParty", 1)]
    relation = Relation(0, predicate, 1, text, 0, len(text), 0, len(text), "test-rule", 0.9,
                        qualifiers={"time": {"observed": date.isoformat(), "start": None, "end": None, **time}})
    article = Article(id=article_id, title=f"Title {article_id}", text=text, date=date)
    return ArticleAnalysis(article, entities, mentions, [relation]), {0: person, 1: BLUE}


ARTICLES = [
    _article("t1", dt.date(2010, 3, 1), "Anna Berg leads the Blue Party.", BERG, "leads", {}),
    _article("t2", dt.date(2012, 6, 15), "Karl Ode, the newly elected chairman of the Blue Party.", ODE, "leads",
             {"start": "2012-06", "cues": ["newly"]}),
    _article("t3", dt.date(2011, 1, 10), "Ivo Lind has been a member of the Blue Party since 2005.", LIND, "memberOf",
             {"start": "2005", "cues": ["since"]}),
    _article("t4", dt.date(2013, 2, 1), "The Blue Party expelled Ivo Lind on January 20.", LIND, "expelledFrom",
             {"end": "2013-01-20", "cues": ["on"]}),
    _article("t5", dt.date(2014, 1, 1), "Eva Sand, a former member of the Blue Party, spoke.", SAND, "memberOf",
             {"ended": True, "cues": ["former"]}),
]


@pytest.fixture(params=["oxigraph", "memory"])
def store(request):
    from kgraph.rdf.memory_store import MemoryStore
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.rdf.sync import plan_build

    s = OxigraphStore() if request.param == "oxigraph" else MemoryStore()
    s.apply(plan_build(s, ARTICLES))
    yield s
    s.close()


def _held(store, date, **kw):
    return {(r["subject"], r["relation"], r["object"]): r for r in as_of(store, date, **kw)}


def test_temporal_observation_day_is_stated(store):
    row = _held(store, "2010-03-01")[("Anna Berg", "leads", "Blue Party")]
    assert (row["status"], row["observed"], row["age_days"]) == ("stated", "2010-03-01", None)
    assert row["sentence"] == "Anna Berg leads the Blue Party." and row["article"] == "t1"


def test_temporal_later_date_is_carried_forward_with_its_age(store):
    row = _held(store, "2011-03-01")[("Anna Berg", "leads", "Blue Party")]
    assert (row["status"], row["age_days"]) == ("carried", 365)


def test_temporal_before_any_observation_nothing_is_held(store):
    assert ("Anna Berg", "leads", "Blue Party") not in _held(store, "2010-02-28")


def test_temporal_since_year_states_the_years_before_the_article(store):
    row = _held(store, "2008-06-01")[("Ivo Lind", "memberOf", "Blue Party")]
    assert (row["status"], row["since"]) == ("stated", "2005")


def test_temporal_successor_ends_the_predecessors_leadership(store):
    held = _held(store, "2012-07-01")
    assert ("Anna Berg", "leads", "Blue Party") not in held
    assert held[("Karl Ode", "leads", "Blue Party")]["status"] == "carried"  # newly elected in 2012-06, seen on the 15th
    ended = _held(store, "2012-07-01", ended=True)[("Anna Berg", "leads", "Blue Party")]
    assert (ended["status"], ended["until"]) == ("succeeded", "2012-06-15")


def test_temporal_expulsion_ends_the_membership_at_its_date(store):
    assert _held(store, "2013-01-19")[("Ivo Lind", "memberOf", "Blue Party")]["status"] == "carried"
    assert ("Ivo Lind", "memberOf", "Blue Party") not in _held(store, "2013-03-01")
    row = _held(store, "2013-03-01", ended=True)[("Ivo Lind", "memberOf", "Blue Party")]
    assert (row["status"], row["until"]) == ("ended", "2013-01-20")


def test_temporal_former_member_ended_by_the_article(store):
    assert ("Eva Sand", "memberOf", "Blue Party") not in _held(store, "2013-06-01", ended=True)
    row = _held(store, "2014-06-01", ended=True)[("Eva Sand", "memberOf", "Blue Party")]
    assert (row["status"], row["until"]) == ("ended", "2014-01-01")


def test_temporal_filters_by_predicate_and_entity(store):
    assert {r["relation"] for r in as_of(store, "2012-07-01", predicate="leads")} == {"leads"}
    assert {r["subject"] for r in as_of(store, "2012-07-01", entity=LIND.iri)} == {"Ivo Lind"}
    with pytest.raises(InputError, match="leads, memberOf"):
        as_of(store, "2012-07-01", predicate="boycotted")


def test_temporal_packaged_query_has_a_date_parameter():
    from kgraph.rdf.queries import named_query, query_parameters

    assert query_parameters("asof") == ["date"]
    assert '"2021-01-01"' in named_query("asof", date="2021-01-01")


def test_temporal_renamed_party_is_named_as_on_the_date(store, tmp_path):
    from kgraph.lineage import curated_lineage
    from kgraph.linking.kb import KBEntity, KnowledgeBase
    from kgraph.rdf.build import lineage_triples
    from kgraph.rdf.namespace import LINEAGE_GRAPH
    from kgraph.rdf.sync import plan_graph

    kb = KnowledgeBase([KBEntity("kb:blue", "PoliticalParty", "Blue Party"), KBEntity("kb:azure", "PoliticalParty", "Azure Party")])
    path = tmp_path / "lineage.jsonl"
    path.write_text(json.dumps({"id": "blue-to-azure", "kind": "rename", "date": "2015-05", "original": ["kb:blue"],
                                "resulting": ["kb:azure"], "sources": ["test"]}) + "\n")
    events, entities = curated_lineage(kb, [path], bundled=False)
    store.apply(plan_graph(store, str(LINEAGE_GRAPH), lineage_triples(events, entities), entities.values()))
    before = _held(store, "2015-01-01")[("Karl Ode", "leads", "Blue Party")]
    after = _held(store, "2015-06-01")[("Karl Ode", "leads", "Blue Party")]
    assert before["object_then"] is None and after["object_then"] == "Azure Party"
    assert ("Karl Ode", "leads", "Blue Party") in _held(store, "2015-06-01", entity=AZURE.iri)


def test_temporal_built_store_conforms_to_shapes(store):
    from kgraph.rdf.validate import validate

    report = validate(store)
    assert report.conforms, report.text


@pytest.mark.parametrize("text, day", [("2021-01-01", dt.date(2021, 1, 1)), ("2021", dt.date(2021, 1, 1)),
                                       ("2021-03", dt.date(2021, 3, 1))])
def test_temporal_parse_date(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["2021-13-01", "yesterday", ""])
def test_temporal_parse_date_rejects_non_dates(text):
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_date(text)


# -- end to end: the real model on the seed corpus ------------------------------------------
@pytest.mark.e2e
def test_temporal_seed_nazarbaeva_leads_asar_on_2004_02_01(seed_kg):
    rows = seed_kg.as_of("2004-02-01", predicate="leads", dataframe=False)
    row = next(r for r in rows if r["subject"] == "Darigha Nazarbaeva" and r["object"] == "Asar")
    assert row["status"] == "carried" and row["observed"] == "2004-01-29" and row["age_days"] == 3
    assert "led by Darigha Nazarbaeva" in row["sentence"]


@pytest.mark.e2e
def test_temporal_seed_rakhimzhanov_leads_osdp_on_2020_12_31(seed_kg):
    rows = seed_kg.as_of("2020-12-31", entity="OSDP", dataframe=False)
    leads = [r for r in rows if r["relation"] == "leads"]
    assert [r["subject"] for r in leads] == ["Askhat Rakhimzhanov"]
    assert leads[0]["status"] == "carried" and leads[0]["age_days"] == 28


@pytest.mark.e2e
def test_temporal_seed_altaev_no_longer_member_of_nur_otan_on_2020_12_31(seed_kg):
    held = seed_kg.as_of("2020-12-31", entity="Nurzhan Altaev", dataframe=False)
    assert not [r for r in held if r["object"] == "Nur Otan"]
    ended = seed_kg.as_of("2020-12-31", entity="Nurzhan Altaev", ended=True, dataframe=False)
    row = next(r for r in ended if r["object"] == "Nur Otan")
    assert (row["relation"], row["status"], row["until"]) == ("memberOf", "ended", "2020-12-02")
    assert "expelled Nurzhan Altaev" in row["sentence"]


@pytest.mark.e2e
def test_temporal_seed_asar_leadership_ends_with_the_merger(seed_kg):
    rows = seed_kg.as_of("2010-01-01", entity="Asar", ended=True, dataframe=False)
    row = next(r for r in rows if r["relation"] == "leads")
    assert (row["status"], row["until"]) == ("merged", "2006")


@pytest.mark.e2e
def test_temporal_cli_asof_json_with_evidence(seed_store):
    from typer.testing import CliRunner

    from kgraph.cli import app

    result = CliRunner().invoke(app, ["asof", "2020-12-31", "--store", str(seed_store), "--predicate", "leads",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    row = next(r for r in rows if r["subject"] == "Askhat Rakhimzhanov")
    assert row["status"] == "carried" and row["age_days"] == 28 and "OSDP leader" in row["sentence"]


@pytest.mark.e2e
@pytest.mark.parametrize("args, message", [(["2020-31-12"], "YYYY-MM-DD"), (["2020-12-31", "--predicate", "boycotted"], "leads, memberOf"),
                                           (["2020-12-31", "--entity", "Zzyzx Qwerty"], "Zzyzx")])
def test_temporal_cli_asof_bad_input_is_one_line(seed_store, args, message):
    from typer.testing import CliRunner

    from kgraph.cli import app

    result = CliRunner().invoke(app, ["asof", *args, "--store", str(seed_store)])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


@pytest.mark.e2e
def test_temporal_seed_examples_through_sparql(seed_kg):
    from kgraph.rdf.queries import named_query

    def rows(date):
        return {(r["subjectLabel"], r["relation"], r["objectLabel"], r["status"])
                for r in seed_kg.query(named_query("asof", date=date), dataframe=False)}

    assert ("Darigha Nazarbaeva", "leads", "Asar", "carried") in rows("2004-02-01")
    late = rows("2020-12-31")
    assert ("Askhat Rakhimzhanov", "leads", "Nationwide Social Democratic Party", "carried") in late
    assert ("Nurzhan Altaev", "memberOf", "Nur Otan", "ended") in late
    assert not {r for r in late if r[:3] == ("Nurzhan Altaev", "memberOf", "Nur Otan") and r[3] in ("stated", "carried")}
