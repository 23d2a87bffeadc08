"""Tests for kgraph.linking.kb: loading, enrichment, the ruler's alias table, candidate ranking."""
from __future__ import annotations

import json
import time

import pytest

from kgraph.errors import InputError
from kgraph.linking.kb import (
    ACTORS_JSONL,
    KBEntity,
    KnowledgeBase,
    read_kb_file,
    read_partyfacts,
    write_jsonl,
    write_kb_file,
)

AQ_ZHOL = KBEntity("p:aq", "PoliticalParty", "Aq Zhol", ("Ak Zhol", "Bright Path"), "Q1", "KAZ")
AK_JOL = KBEntity("p:akjol", "PoliticalParty", "Ak Jol", (), "Q2", "KGZ")
OSDP = KBEntity(
    "p:osdp", "PoliticalParty", "Nationwide Social Democratic Party", ("OSDP",), "Q3", "KAZ"
)
NAZARBAEV = KBEntity("a:nn", "Person", "Nursultan Nazarbaev", ("Nazarbayev",), None, "KAZ")
NAZARBAEVA = KBEntity("a:dn", "Person", "Darigha Nazarbaeva", (), None, "KAZ")
AKHMETOV_1 = KBEntity("a:ra", "Person", "Rashid Akhmetov", (), None, "KAZ")
CIVIC_KAZ = KBEntity("p:civ", "PoliticalParty", "Civic Party of Kazakhstan", (), None, "KAZ")
AGRARIAN_KAZ = KBEntity("p:agr", "PoliticalParty", "Agrarian Party of Kazakhstan", (), None, "KAZ")
UNITY = KBEntity("p:unity", "PoliticalParty", "Unity Party", ("Unity",), None, "UZB")
COUNCIL = KBEntity("o:sc", "Organization", "Security Council of Kazakhstan", (), None, "KAZ")


@pytest.fixture
def kb():
    return KnowledgeBase(
        [AQ_ZHOL, AK_JOL, OSDP, NAZARBAEV, NAZARBAEVA, AKHMETOV_1, CIVIC_KAZ, AGRARIAN_KAZ, UNITY, COUNCIL]
    )


def _top(kb, name, **kw):
    found = kb.candidates(name, **kw)
    return (found[0].entity.id, found[0].method) if found else None


@pytest.mark.parametrize(
    ("name", "entity_id", "method"),
    [
        ("Aq Zhol", "p:aq", "alias"),
        ("the Ak Zhol", "p:aq", "alias"),
        ("Ақ жол", "p:aq", "folded"),
        ("Akzhol", "p:aq", "folded"),
        ("Nazarbaev", "a:nn", "folded"),
        ("Назарбаев", "a:nn", "folded"),
        ("Nursultan Nazarbayev", "a:nn", "folded"),
        ("Nazarbayeva", "a:dn", "surname"),
        ("Akhmetov", "a:ra", "surname"),
        ("R. Akhmetov", "a:ra", "initial"),
        ("OSDP", "p:osdp", "alias"),
        ("Bright Path party", "p:aq", "core"),
        ("Nationwide Socialist Democratic Party", "p:osdp", "fuzzy"),
    ],
)
def test_kb_candidates_match_each_kind_of_variant(kb, name, entity_id, method):
    assert _top(kb, name, country="KAZ") == (entity_id, method)


def test_kb_candidates_rank_exact_above_folded_above_fuzzy(kb):
    found = kb.candidates("Ak Jol")
    assert [c.entity.id for c in found[:2]] == ["p:akjol", "p:aq"]
    assert found[0].score > found[1].score


def test_kb_candidates_country_breaks_folded_ties(kb):
    assert _top(kb, "Ak Jol", country="KAZ")[0] == "p:aq"
    assert _top(kb, "Ak Jol", country="KGZ")[0] == "p:akjol"


def test_kb_candidates_type_lowers_incompatible_entities(kb):
    as_party = kb.candidates("Aq Zhol", type="PoliticalParty")[0].score
    as_org = kb.candidates("Aq Zhol", type="Organization")[0].score
    as_person = kb.candidates("Aq Zhol", type="Person")[0].score
    assert as_party > as_org > as_person


def test_kb_candidates_expand_acronym_of_long_name():
    kb = KnowledgeBase([KBEntity("x", "PoliticalParty", "Movement for Democratic Change", (), None, "ZWE")])
    assert _top(kb, "MDC") == ("x", "acronym")
    kb = KnowledgeBase([KBEntity("y", "PoliticalParty", "Obscure Name", ("ANSDP",), None, "KAZ")])
    assert _top(kb, "All-National Social Democratic Party") == ("y", "expansion")


def test_kb_candidates_drop_country_of_a_local_name_only_in_that_country(kb):
    # "of Kazakhstan" is learned from the data (two parties end in it), not from a gazetteer
    local = kb.candidates("Civic", type="PoliticalParty", country="KAZ")[0]
    assert (local.entity.id, local.method) == ("p:civ", "local")
    elsewhere = kb.candidates("Civic", type="PoliticalParty", country="USA")
    assert not elsewhere or elsewhere[0].score < 0.8


def test_kb_candidates_surname_shared_by_two_people_scores_lower(kb):
    kb.add(KBEntity("a:other", "Person", "Marat Akhmetov", (), None, "KAZ"))
    found = kb.candidates("Akhmetov")
    assert {c.entity.id for c in found[:2]} == {"a:ra", "a:other"}
    assert found[0].score < 0.8


def test_kb_candidates_unknown_name_returns_nothing_close(kb):
    assert all(c.score < 0.6 for c in kb.candidates("Facebook"))
    assert kb.candidates("") == []


def test_kb_alias_table_drops_unsafe_aliases():
    kb = KnowledgeBase(
        [
            KBEntity("a", "PoliticalParty", "Unity Party", ("Unity", "U", "1999", "AND"), None, "UZB"),
            KBEntity("b", "PoliticalParty", "Justice Front", ("JF", "Adilet"), None, "KGZ"),
            KBEntity("c", "PoliticalParty", "Adilet Party", ("Adilet", "JF"), None, "KAZ"),
        ]
    )
    table = [(alias, e.id) for alias, e in kb.alias_table()]
    aliases = {alias for alias, _ in table}
    assert "Unity Party" in aliases and "Justice Front" in aliases
    assert not aliases & {"Unity", "U", "1999", "AND", "Adilet"}  # common word, letter, number, shared
    assert ("JF", "b") in table and ("JF", "c") in table  # shared acronyms stay


def test_kb_jsonl_roundtrip_and_enrichment(tmp_path, kb):
    path = tmp_path / "mine.jsonl"
    write_jsonl([NAZARBAEV], path)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "p:aq", "type": "PoliticalParty", "name": "Ak Zhol Democratic Party",
                             "aliases": ["Ақ жол"], "wikidata": None, "country": "KAZ"}) + "\n")
    assert KnowledgeBase.from_jsonl(path).get("a:nn") == NAZARBAEV
    kb.extend_jsonl(path)
    enriched = kb.get("p:aq")
    assert enriched.name == "Ak Zhol Democratic Party"
    assert enriched.wikidata == "Q1"  # kept: the record gives none
    assert {"Aq Zhol", "Ak Zhol", "Ақ жол"} <= set(enriched.aliases)
    assert len(kb) == 10


@pytest.mark.parametrize(
    ("line", "message"),
    [("{not json", "mine.jsonl:1"), ('{"id": "x", "type": "Party", "name": "X"}', "'Party'"), ('{"id": "x"}', "mine.jsonl:1")],
)
def test_kb_jsonl_bad_record_raises_input_error(tmp_path, line, message):
    path = tmp_path / "mine.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        KnowledgeBase.from_jsonl(path)


def test_kb_add_rejects_unknown_type():
    with pytest.raises(InputError, match="Politician"):
        KnowledgeBase([KBEntity("x", "Politician", "X")])


def test_kb_partyfacts_short_names_are_split():
    by_id = {e.id: e for e in read_partyfacts()}
    assert {"CPSU", "KPSS"} <= set(by_id["pf:8397"].aliases)
    assert "NZ First" in by_id["pf:591"].aliases
    assert all("/English" not in a for e in by_id.values() for a in e.aliases)


def test_kb_fuzzy_search_stays_fast_on_ten_thousand_entities():
    kb = KnowledgeBase(
        KBEntity(f"e{i}", "PoliticalParty", f"Party number {i} of region {i % 97}", (f"Alliance {i * 7919}",), None, "XXX")
        for i in range(10_000)
    )
    kb.candidates("warmup")
    start = time.perf_counter()
    for i in range(50):
        kb.candidates(f"Partty numbr {i * 13} of regon")
    assert (time.perf_counter() - start) / 50 < 0.05


# --- the bundled KB -------------------------------------------------------------------------
def test_kb_default_loads_fast_and_has_partyfacts_and_actors():
    start = time.perf_counter()
    fresh = KnowledgeBase(read_partyfacts())  # what default() does, without its cache
    fresh.extend_jsonl(ACTORS_JSONL)
    assert time.perf_counter() - start < 1.0  # measured: ~0.06 s (indexes are built lazily)
    fresh.candidates("Nazarbaev")  # the first query builds the indexes: ~0.5 s
    assert time.perf_counter() - start < 3.0
    assert len(fresh) > 4000
    assert fresh.get("actor:nursultan-nazarbaev").type == "Person"
    assert KnowledgeBase.default() is KnowledgeBase.default()  # cached per process


@pytest.mark.parametrize("name", ["Aq Zhol", "Ak Zhol", "Ақ жол", "Bright Path"])
def test_kb_default_aq_zhol_spellings_link_to_q1186246(name):
    found = KnowledgeBase.default().candidates(name, type="PoliticalParty", country="KAZ")
    assert found[0].entity.wikidata == "Q1186246"
    assert found[0].entity.id == "pf:3747"


@pytest.mark.parametrize("name", ["Nazarbayev", "Назарбаев", "Nursultan Nazarbayev", "Nazarbaev"])
def test_kb_default_nazarbaev_spellings_are_one_person(name):
    assert KnowledgeBase.default().candidates(name, type="Person")[0].entity.id == "actor:nursultan-nazarbaev"


@pytest.mark.parametrize("name", ["OSDP", "All-National Social Democratic Party", "Nationwide Social Democratic Party", "JSDP"])
def test_kb_default_osdp_acronym_and_long_name_are_one_party(name):
    top = KnowledgeBase.default().candidates(name, type="PoliticalParty", country="KAZ")[0]
    assert top.entity.id == "pf:3750"


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [("Otan", "actor:otan"), ("Amanat", "actor:amanat"), ("Nur Otan", "pf:3748"), ("DVK", "pf:4351"), ("Aul Party", "pf:5627"),
     ("Asar", "pf:5907"), ("All Together", "pf:5907"), ("Majlis", "actor:mazhilis"),
     ("Kassym-Jomart Tokayev", "actor:qasym-zhomart-toqaev"), ("Dariga Nazarbayeva", "actor:darigha-nazarbaeva")],
)
def test_kb_default_curated_renames_and_spellings(name, entity_id):
    assert KnowledgeBase.default().candidates(name, country="KAZ")[0].entity.id == entity_id


def test_kb_default_enriches_partyfacts_instead_of_duplicating():
    kb = KnowledgeBase.default()
    nur_otan = [e for e in kb if e.wikidata == "Q111077075"]
    assert [e.id for e in nur_otan] == ["pf:3748"]
    # each name of the party line is its own entity, linked by lineage (lineage.jsonl), not an alias
    assert not {"Otan", "Fatherland", "Amanat"} & set(nur_otan[0].aliases)
    assert {"Fatherland", "Отан"} <= set(kb.get("actor:otan").aliases)
    assert not [e for e in kb if e.id.startswith("actor:") and e.name in ("Aq Zhol", "Nur Otan", "Asar")]


def test_kb_pickles_without_its_index(kb):
    import pickle

    kb.candidates("Aq Zhol")  # build the index
    clone = pickle.loads(pickle.dumps(kb))
    assert clone._index is None  # rebuilt where used, not shipped to workers
    assert clone.candidates("Ақ жол", country="KAZ")[0].entity.id == "p:aq"


def test_kb_default_alias_table_has_seed_actors_not_common_words():
    table = {alias: e.id for alias, e in KnowledgeBase.default().alias_table()}
    assert table["Aq Zhol"] == "pf:3747"
    assert table["OSDP"] == "pf:3750"
    assert table["Nazarbaev"] == "actor:nursultan-nazarbaev"
    assert "Fatherland" not in table and "Unity" not in table


# --- users' own knowledge-base files ------------------------------------------------------------


def test_kb_reads_user_csv(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "name,aliases,type,qid,country\n"
        "Nurlan Nigmatulin,Nigmatulin|Нурлан Нигматулин,Person,Q4392961,KAZ\n"
        "Zhanbolat Mamay,,person,https://www.wikidata.org/wiki/Q123,Kazakhstan\n",
        encoding="utf-8",
    )
    first, second = read_kb_file(path)
    assert (first.name, first.type, first.wikidata, first.country) == ("Nurlan Nigmatulin", "Person", "Q4392961", "KAZ")
    assert first.aliases == ("Nigmatulin", "Нурлан Нигматулин")
    assert first.id == "wd:Q4392961"
    assert (second.type, second.wikidata, second.country, second.aliases) == ("Person", "Q123", "KAZ", ())


def test_kb_reads_user_jsonl_with_qid_key(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text('{"name": "Acme Party", "type": "PoliticalParty", "aliases": ["AP"], "qid": "Q5"}\n', encoding="utf-8")
    (entity,) = read_kb_file(path)
    assert (entity.id, entity.wikidata, entity.aliases) == ("wd:Q5", "Q5", ("AP",))


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"name": "X", "type": "Robot"}', "Robot"),
        ('{"type": "Person"}', "no name"),
        ('{"name": "X", "type": "Person", "qid": "12"}', "not an item id"),
        ('{"name": "X", "type": "Person", "country": "Atlantis"}', "Atlantis"),
        ("[1, 2]", "JSON object"),
        ("{nope", "not JSON"),
    ],
)
def test_kb_user_file_errors_name_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"name": "Ok", "type": "Person"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(read_kb_file(path))
    assert f"{path}:2" in str(err.value) and message in str(err.value)


def test_kb_user_entity_with_known_qid_enriches_packaged_entity(tmp_path):
    kb = KnowledgeBase([KBEntity("pf:3747", "PoliticalParty", "Aq Zhol", ("Ak Zhol",), "Q1186246", "KAZ")])
    path = tmp_path / "mine.csv"
    path.write_text("name,aliases,type,qid\nBright Path,Светлый путь,PoliticalParty,Q1186246\n", encoding="utf-8")
    assert kb.extend_file(path) == 1
    assert len(kb) == 1
    entity = kb.get("pf:3747")
    assert entity.name == "Aq Zhol" and {"Bright Path", "Светлый путь"} <= set(entity.aliases)
    assert kb.candidates("Bright Path")[0].entity.id == "pf:3747"


def test_kb_write_then_read_round_trips(tmp_path):
    entities = [KBEntity("user:person:a-b", "Person", "A B", ("B",), "Q7", "KAZ", "d")]
    for name in ("out.csv", "out.jsonl"):
        write_kb_file(entities, tmp_path / name)
        assert list(read_kb_file(tmp_path / name)) == entities


def test_kb_label_shared_by_namesakes():
    kb = KnowledgeBase([KBEntity("p1", "PoliticalParty", "Democratic Party", (), "Q1", "MNG"),
                        KBEntity("p2", "PoliticalParty", "Democratic Party", (), "Q2", "HKG"),
                        KBEntity("p3", "PoliticalParty", "Aq Zhol", (), "Q3", "KAZ")])
    assert kb.label_shared("Democratic Party") and not kb.label_shared("Aq Zhol")
    kb.add(KBEntity("p4", "PoliticalParty", "Aq Zhol", (), "Q4", "KGZ"))  # a later entity counts too
    assert kb.label_shared("Aq Zhol")
