"""The packaged named queries parse and answer on the fixture store (kgraph.rdf.queries)."""
from __future__ import annotations

import datetime as dt

import pytest
from rdflib import URIRef

from kgraph.errors import ConfigError
from kgraph.rdf.namespace import KG
from kgraph.rdf.queries import list_queries, named_query, query_parameters

from .conftest import DAWN, IVANOV, VOLKOVA, VOTE

EXPECTED = {"relations", "entities", "leaders", "members", "boycotts", "expulsions", "mentions-of", "articles", "stats"}


def _rows(store, name, /, **bindings):
    result = store.query(named_query(name, **bindings))
    return [dict(zip(result.vars, row)) for row in result.rows]


def test_queries_listed_with_descriptions():
    queries = list_queries()
    assert EXPECTED <= set(queries)
    assert all(len(description) > 20 for description in queries.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_queries_parse_on_both_stores(name, store):
    assert store.query(named_query(name)).kind == "select"


def test_queries_unknown_name_lists_known():
    with pytest.raises(ConfigError, match="relations"):
        named_query("relatoins")
    with pytest.raises(ConfigError, match="name"):
        named_query("mentions-of", person="x")


def test_queries_relations_provenance(built):
    rows = _rows(built, "relations")
    assert len(rows) == 4  # Volkova leads Dawn (twice: a1 and a2), boycott, expulsion
    for row in rows:
        assert row["article"] is not None and row["sentence"] is not None and row["date"] is not None
        assert isinstance(row["date"].toPython(), dt.date)
    leads = [r for r in rows if r["predicate"] == KG.leads]
    assert {str(r["articleId"]) for r in leads} == {"a1", "a2"}
    assert {str(r["subjectLabel"]) for r in leads} == {"Maria Volkova"}
    a1 = next(r for r in leads if str(r["articleId"]) == "a1")
    assert str(a1["sentence"]) == "Maria Volkova leads the Green Dawn party."
    assert str(a1["title"]) == "Title of a1" and str(a1["date"]) == "2030-05-01"
    assert str(a1["relation"]) == "leads" and str(a1["rule"]) == "test-rule"


def test_queries_entities(built):
    rows = {str(r["entity"]): r for r in _rows(built, "entities")}
    assert set(rows) == {VOLKOVA.iri, DAWN.iri, VOTE.iri, IVANOV.iri}
    assert str(rows[DAWN.iri]["type"]) == "PoliticalParty"
    assert str(rows[DAWN.iri]["wikidata"]) == "Q999001"
    assert set(str(rows[VOLKOVA.iri]["aliases"]).split("; ")) == {"Volkova", "M. Volkova"}


@pytest.mark.parametrize("name, subject, obj, facts", [
    ("leaders", VOLKOVA, DAWN, 2), ("boycotts", DAWN, VOTE, 1), ("expulsions", IVANOV, DAWN, 1),
])
def test_queries_relation_tables(built, name, subject, obj, facts):
    (row,) = _rows(built, name)
    values = list(row.values())
    assert values[0] == URIRef(subject.iri) and values[2] == URIRef(obj.iri)
    assert int(row["facts"]) == facts


def test_queries_members_empty(built):
    assert _rows(built, "members") == []


def test_queries_mentions_of_binds_name(built):
    assert query_parameters("mentions-of") == ["name"]
    rows = _rows(built, "mentions-of", name="m. volkova")  # case-insensitive, through an alias
    assert {str(r["entity"]) for r in rows} == {VOLKOVA.iri}
    assert {str(r["text"]) for r in rows} == {"Maria Volkova", "Volkova", "she", "M. Volkova"}
    assert _rows(built, "mentions-of", name='no "such" name') == []


def test_queries_articles_and_stats(built):
    articles = {str(r["articleId"]): r for r in _rows(built, "articles")}
    assert set(articles) == {"a1", "a2", "a3"}
    assert int(articles["a2"]["facts"]) == 2 and int(articles["a2"]["entities"]) == 3
    stats = {str(r["key"]): int(r["count"]) for r in _rows(built, "stats")}
    assert stats["articles"] == 3 and stats["facts"] == 4
    assert stats["entities: Person"] == 2 and stats["relations: leads"] == 1


@pytest.mark.e2e
def test_queries_seed_relations_have_provenance(seed_store):
    from kgraph.rdf.oxigraph_store import OxigraphStore

    with OxigraphStore(seed_store, read_only=True) as store:
        rows = _rows(store, "relations")
        direct = store.query("SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { kg:leads kg:memberOf kg:expelledFrom kg:boycotted } ?s ?p ?o }").rows
    assert rows
    for row in rows:
        assert row["article"] is not None and row["date"] is not None and str(row["sentence"]).strip()
    # every direct triple is backed by at least one fact, and every fact by a direct triple
    assert {(r["subject"], r["predicate"], r["object"]) for r in rows} == set(direct)


def test_queries_resolve_query(tmp_path):
    from kgraph.errors import InputError
    from kgraph.rdf.queries import resolve_query

    assert resolve_query("relations") == named_query("relations")
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?s WHERE { ?s kg:leads ?o }")
    assert resolve_query(str(rq)) == "SELECT ?s WHERE { ?s kg:leads ?o }"
    assert resolve_query("ASK { ?s ?p ?o }") == "ASK { ?s ?p ?o }"
    with pytest.raises(InputError, match="does not exist"):
        resolve_query(str(tmp_path / "missing.rq"))
