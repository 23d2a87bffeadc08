"""kgraph.lineage: curated lineage files, party lines across names, and `kgraph lineage` end to end."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kgraph.errors import InputError
from kgraph.lineage import LINEAGE_JSONL, Lineage, curated_lineage, read_lineage
from kgraph.linking.kb import KBEntity, KnowledgeBase

runner = CliRunner()

KB = KnowledgeBase([
    KBEntity("kb:a", "PoliticalParty", "Alpha Union"), KBEntity("kb:b", "PoliticalParty", "Beta League"),
    KBEntity("kb:c", "PoliticalParty", "Gamma Front"), KBEntity("kb:d", "PoliticalParty", "Delta Bloc"),
])


def _write(tmp_path, *records) -> str:
    path = tmp_path / "lineage.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return str(path)


def _store_with(events, entities):
    from kgraph.rdf.build import lineage_triples
    from kgraph.rdf.namespace import LINEAGE_GRAPH
    from kgraph.rdf.store import open_store
    from kgraph.rdf.sync import plan_graph

    store = open_store(None)
    store.apply(plan_graph(store, str(LINEAGE_GRAPH), lineage_triples(events, entities), entities.values()))
    return store


@pytest.mark.parametrize(
    "record, message",
    [({"id": "x", "kind": "melt", "original": ["kb:a"], "resulting": ["kb:b"]}, "kind 'melt'"),
     ({"id": "x", "kind": "rename", "original": ["kb:a"]}, "missing resulting"),
     ({"id": "x", "kind": "rename", "date": "March 2006", "original": ["kb:a"], "resulting": ["kb:b"]}, "YYYY"),
     ({"id": "x", "kind": "merger", "original": ["kb:a"], "resulting": ["kb:b"], "continues": "kb:c"}, "continues")],
)
def test_lineage_bad_record_is_one_clear_error(tmp_path, record, message):
    path = _write(tmp_path, record)
    with pytest.raises(InputError, match=message) as err:
        read_lineage(path)
    assert f"{path}:1" in str(err.value)


def test_lineage_unknown_kb_id_is_named(tmp_path):
    path = _write(tmp_path, {"id": "x", "kind": "rename", "original": ["kb:zzz"], "resulting": ["kb:b"]})
    with pytest.raises(InputError, match="'kb:zzz'"):
        curated_lineage(KB, [path], bundled=False)


def test_lineage_rename_continues_its_only_original(tmp_path):
    [event] = read_lineage(_write(tmp_path, {"id": "x", "kind": "rename", "original": ["kb:a"], "resulting": ["kb:b"]}))
    assert event.continues == "kb:a"


def test_lineage_line_across_names_with_absorbed_parties(tmp_path):
    path = _write(
        tmp_path,
        {"id": "ab", "kind": "merger", "date": "2001", "original": ["kb:a", "kb:c"], "resulting": ["kb:b"],
         "continues": "kb:a", "sources": ["src-1"]},
        {"id": "bd", "kind": "rename", "date": "2010-05", "original": ["kb:b"], "resulting": ["kb:d"], "sources": ["src-2"]},
    )
    events, entities = curated_lineage(KB, [path], bundled=False)
    store = _store_with(events, entities)
    lineage = Lineage.from_store(store)
    for kb_id in ("kb:a", "kb:b", "kb:d"):
        assert lineage.describe(entities[kb_id].iri) == "Alpha Union -> Beta League (2001, absorbing Gamma Front) -> Delta Bloc (2010)"
    assert lineage.describe(entities["kb:c"].iri) == "Gamma Front -> merged into Beta League (2001)"
    report = lineage.report(entities["kb:d"].iri)
    assert [e["sources"] for e in report["events"]] == [["src-1"], ["src-2"]]
    import datetime as dt

    assert lineage.name_at(entities["kb:a"].iri, dt.date(2005, 1, 1)) == "Beta League"
    assert lineage.name_at(entities["kb:d"].iri, dt.date(2000, 1, 1)) == "Alpha Union"
    assert lineage.members(entities["kb:b"].iri) == {entities[k].iri for k in ("kb:a", "kb:b", "kb:d")}


def test_lineage_graph_conforms_and_describes_unmentioned_parties(tmp_path):
    from kgraph.rdf.validate import validate

    path = _write(tmp_path, {"id": "ab", "kind": "rename", "date": "2001", "original": ["kb:a"], "resulting": ["kb:b"]})
    events, entities = curated_lineage(KB, [path], bundled=False)
    store = _store_with(events, entities)
    report = validate(store)
    assert report.conforms, report.text
    labels = {str(r[0]) for r in store.query("SELECT ?l WHERE { ?p a kg:PoliticalParty ; rdfs:label ?l }").rows}
    assert labels == {"Alpha Union", "Beta League"}


def test_lineage_bundled_file_resolves_in_the_default_kb():
    events, entities = curated_lineage(KnowledgeBase.default())
    assert LINEAGE_JSONL.is_file() and all(e.sources for e in events)
    names = {entities[i].label for e in events for i in (*e.original, *e.resulting)}
    assert {"Otan", "Nur Otan", "Amanat", "Asar"} <= names
    assert len({entities[i].iri for i in ("actor:otan", "pf:3748", "actor:amanat")}) == 3


# -- end to end: the seed corpus built with the real model ----------------------------------
@pytest.mark.e2e
@pytest.mark.parametrize("name", ["Amanat", "Аманат", "nur otan", "Отан"])
def test_lineage_cli_prints_the_nur_otan_line_in_any_spelling(seed_store, name):
    from kgraph.cli import app

    result = runner.invoke(app, ["lineage", name, "--store", str(seed_store)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Otan -> Nur Otan (2006, absorbing ") and first.endswith(" -> Amanat (2022)")
    assert all(p in first for p in ("Asar", "Civic Party", "Agrarian Party"))
    assert "wikipedia.org" in result.output


@pytest.mark.e2e
def test_lineage_cli_unknown_name_is_one_line_error(seed_store):
    from kgraph.cli import app

    result = runner.invoke(app, ["lineage", "Zzyzx Qwerty Party", "--store", str(seed_store)])
    assert result.exit_code != 0 and "Traceback" not in result.output


@pytest.mark.e2e
def test_lineage_party_line_query_finds_nur_otan_facts_by_amanat(seed_kg):
    from kgraph.rdf.queries import named_query

    rows = seed_kg.query(named_query("party-line", name="Amanat"), dataframe=False)
    assert {(r["subjectLabel"], r["relation"]) for r in rows} >= {("Nurzhan Altaev", "expelledFrom")}
    assert {r["partyLabel"] for r in rows} == {"Nur Otan"}


@pytest.mark.e2e
def test_lineage_asof_names_nur_otan_as_amanat_after_2022(seed_kg):
    rows = seed_kg.as_of("2023-01-01", entity="Amanat", predicate="leads", dataframe=False)
    row = next(r for r in rows if r["object"] == "Nur Otan")
    assert row["object_then"] == "Amanat" and row["status"] == "carried"


def test_lineage_rewrite_is_a_no_op_and_article_removal_keeps_lineage_parties(tmp_path):
    import datetime as dt

    from kgraph.model import Article, ArticleAnalysis, LocalEntity, Mention
    from kgraph.rdf.build import lineage_triples
    from kgraph.rdf.namespace import LINEAGE_GRAPH
    from kgraph.rdf.sync import plan_build, plan_graph, plan_removal

    path = _write(tmp_path, {"id": "ab", "kind": "rename", "date": "2001", "original": ["kb:a"], "resulting": ["kb:b"]})
    events, entities = curated_lineage(KB, [path], bundled=False)
    store = _store_with(events, entities)
    assert plan_graph(store, str(LINEAGE_GRAPH), lineage_triples(events, entities), entities.values()).is_empty()
    text = "Alpha Union met."
    analysis = ArticleAnalysis(Article(id="x1", title="t", text=text, date=dt.date(2000, 1, 1)),
                               [LocalEntity(0, "PoliticalParty", "Alpha Union")],
                               [Mention(0, 11, "Alpha Union", "PoliticalParty", 0)])
    alpha = entities["kb:a"]
    store.apply(plan_build(store, [(analysis, {0: alpha})]))
    store.apply(plan_removal(store, ["x1"]))
    rows = store.query(f"SELECT ?l WHERE {{ <{alpha.iri}> rdfs:label ?l }}").rows
    assert [str(r[0]) for r in rows] == ["Alpha Union"]


def test_lineage_splinter_names_where_it_split_from(tmp_path):
    path = _write(tmp_path, {"id": "split", "kind": "split", "date": "2002", "original": ["kb:a"],
                             "resulting": ["kb:a", "kb:b"], "sources": ["s"]})
    events, entities = curated_lineage(KB, [path], bundled=False)
    lineage = Lineage.from_store(_store_with(events, entities))
    assert lineage.describe(entities["kb:b"].iri) == "Beta League (2002, split from Alpha Union)"
    assert lineage.describe(entities["kb:a"].iri) == "Alpha Union"  # the party split from goes on
    assert [e["kind"] for e in lineage.report(entities["kb:a"].iri)["events"]] == ["split"]


@pytest.mark.e2e
def test_lineage_user_file_at_build(tmp_path, corpus_dir):
    from kgraph.cli import app

    path = _write(tmp_path, {"id": "aq-zhol-from-dvk", "kind": "split", "date": "2002", "original": ["pf:4351"],
                             "resulting": ["pf:4351", "pf:3747"], "sources": ["a user's note"]})
    store = str(tmp_path / "kg.db")
    built = runner.invoke(app, ["build", str(corpus_dir), "--store", store, "--lineage", path])
    assert built.exit_code == 0, built.output
    result = runner.invoke(app, ["lineage", "Ak Zhol", "--store", store])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Aq Zhol (2002, split from Democratic Choice of Kazakhstan)"
    assert "a user's note" in result.output
    bad = _write(tmp_path, {"id": "x", "kind": "rename", "original": ["pf:0"], "resulting": ["pf:3747"]})
    failed = runner.invoke(app, ["build", str(corpus_dir), "--store", str(tmp_path / "other.db"), "--lineage", bad])
    assert failed.exit_code == 2 and "'pf:0'" in failed.output and not (tmp_path / "other.db").exists()
