"""kgraph.review on hand-built articles in a real in-memory Oxigraph store (no spaCy model)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from kgraph.errors import InputError
from kgraph.graph import KnowledgeGraph
from kgraph.linking.kb import KnowledgeBase
from kgraph.model import Article, ArticleAnalysis, Entity, LocalEntity, Mention, Relation
from kgraph.rdf.oxigraph_store import OxigraphStore
from kgraph.rdf.sync import plan_build, plan_removal
from kgraph.rdf.validate import validate
from kgraph.review import (
    Decision,
    apply_decisions,
    decision_rewriter,
    read_decisions,
    relation_id,
    stored_decisions,
)

ID = "https://w3id.org/kgraph/id/"
VOLKOVA = Entity(ID + "person/maria-volkova", "Person", "Maria Volkova")
VOLKOVA2 = Entity(ID + "person/m-volkova", "Person", "M. Volkova")
IVANOV = Entity(ID + "person/petr-ivanov", "Person", "Petr Ivanov")
DAWN = Entity(ID + "party/green-dawn", "PoliticalParty", "Green Dawn")
DUSK = Entity(ID + "party/red-dusk", "PoliticalParty", "Red Dusk")


def article(article_id: str, text: str, names: list[tuple[Entity, str]], relations: list[tuple[int, str, int, float]]):
    """An analysed article: local entity i is ``names[i]`` (its canonical entity and surface form
    in ``text``); each relation (subject, predicate, object, confidence) has the whole text as evidence."""
    entities, mentions, links = [], [], {}
    for i, (entity, surface) in enumerate(names):
        start = text.index(surface)
        entities.append(LocalEntity(i, entity.type, surface))
        mentions.append(Mention(start, start + len(surface), surface, entity.type, i, "name", 0, len(text)))
        links[i] = entity
    rels = [Relation(s, p, o, text, 0, len(text), 0, len(text), "test-rule", c) for s, p, o, c in relations]
    art = Article(id=article_id, title=article_id, text=text, date=dt.date(2030, 1, 2))
    return ArticleAnalysis(art, entities, mentions, rels), links


def a1():
    return article("a1", "Maria Volkova leads Green Dawn.", [(VOLKOVA, "Maria Volkova"), (DAWN, "Green Dawn")],
                   [(0, "leads", 1, 0.9)])


def a2():
    return article("a2", "Petr Ivanov, a Green Dawn member, met M. Volkova of Red Dusk.",
                   [(IVANOV, "Petr Ivanov"), (DAWN, "Green Dawn"), (VOLKOVA2, "M. Volkova"), (DUSK, "Red Dusk")],
                   [(0, "memberOf", 1, 0.6), (2, "memberOf", 3, 0.7)])


def a3():  # a later article stating a2's membership again
    return article("a3", "Green Dawn member Petr Ivanov spoke.", [(DAWN, "Green Dawn"), (IVANOV, "Petr Ivanov")],
                   [(1, "memberOf", 0, 0.8)])


@pytest.fixture
def kg(tmp_path):
    store = OxigraphStore()
    store.apply(plan_build(store, [a1(), a2()]))
    graph = KnowledgeGraph(store, kb=KnowledgeBase([]))
    graph.decisions_path = tmp_path / "decisions.jsonl"
    yield graph
    graph.close()


def _rid(s: Entity, p: str, o: Entity) -> str:
    return relation_id(s.iri, p, o.iri)


def _ask(kg, sparql: str) -> bool:
    return kg.query(sparql)


def test_review_relation_id_is_stable():
    assert relation_id(IVANOV.iri, "memberOf", DAWN.iri) == relation_id(IVANOV.iri, "memberOf", DAWN.iri)
    assert relation_id(IVANOV.iri, "memberOf", DAWN.iri) != relation_id(DAWN.iri, "memberOf", IVANOV.iri)


def test_review_relations_lowest_confidence_first_with_evidence(kg):
    rows = kg.review.relations()
    assert [(r["subject"], r["predicate"], r["object"]) for r in rows] == [
        ("Petr Ivanov", "memberOf", "Green Dawn"), ("M. Volkova", "memberOf", "Red Dusk"), ("Maria Volkova", "leads", "Green Dawn")]
    assert rows[0]["id"] == _rid(IVANOV, "memberOf", DAWN)
    assert rows[0]["sentences"] == ["Petr Ivanov, a Green Dawn member, met M. Volkova of Red Dusk."]
    assert rows[0]["articles"] == ["a2"] and rows[0]["status"] == "unreviewed"


def test_review_relations_filters(kg):
    assert [r["predicate"] for r in kg.review.relations(predicate="leads")] == ["leads"]
    assert {r["object"] for r in kg.review.relations(entity="Green Dawn")} == {"Green Dawn"}
    assert {r["subject"] for r in kg.review.relations(article="a1")} == {"Maria Volkova"}
    with pytest.raises(InputError, match="leads, memberOf"):
        kg.review.relations(predicate="heads")


def test_review_reject_keeps_evidence_as_claim_and_drops_direct_triple(kg):
    rid = _rid(IVANOV, "memberOf", DAWN)
    decision = kg.review.reject(rid, note="he left in 2029", agent="ana")
    assert not _ask(kg, f"ASK {{ <{IVANOV.iri}> kg:memberOf <{DAWN.iri}> }}")
    assert _ask(kg, f"""ASK {{ ?c a kg:Claim ; rdf:subject <{IVANOV.iri}> ; kg:reviewStatus "rejected" ;
                             kg:reviewedIn <https://w3id.org/kgraph/id/review/{decision.id}> ; kg:sentence ?s }}""")
    assert all(r["subjectLabel"] != "Petr Ivanov" for r in kg.relations(dataframe=False))
    assert [r["id"] for r in kg.review.relations(status="rejected")] == [rid]
    assert rid not in [r["id"] for r in kg.review.relations()]
    report = validate(kg.store)
    assert report.conforms, report.text


def test_review_decision_is_in_its_named_graph_with_prov(kg):
    decision = kg.review.reject(_rid(IVANOV, "memberOf", DAWN), note="wrong party", agent="ana")
    rows = kg.query("""SELECT ?who ?when ?why ?action ?subject WHERE { GRAPH kgid:reviews {
        ?r a kg:Review , prov:Activity ; kg:reviewAction ?action ; prov:wasAssociatedWith ?agent ;
           prov:endedAtTime ?when ; kg:reviewNote ?why ; kg:reviewedSubject ?subject ; prov:used ?article .
        ?agent a prov:Agent ; rdfs:label ?who } }""", dataframe=False)
    assert len(rows) == 1
    row = rows[0]
    assert (row["who"], row["why"], row["action"], row["subject"]) == ("ana", "wrong party", "reject", IVANOV.iri)
    assert str(row["when"]).startswith(decision.time[:10])


def test_review_decisions_file_is_portable_jsonl(kg):
    decision = kg.review.accept(_rid(VOLKOVA, "leads", DAWN), note="checked", agent="ana")
    lines = kg.decisions_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["action"] == "accept" and data["note"] == "checked" and data["agent"] == "ana"
    assert data["relation"]["id"] == _rid(VOLKOVA, "leads", DAWN)
    assert read_decisions(kg.decisions_path) == [decision] == stored_decisions(kg.store)


def test_review_bad_decisions_file_line_is_a_clear_error(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "x", "action": "approve", "agent": "a", "time": "t"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"d.jsonl:1: .*approve"):
        read_decisions(path)


def test_review_unknown_id_is_a_clear_error(kg):
    with pytest.raises(InputError, match="no relation with id 'ffffffffffff'"):
        kg.review.reject("ffffffffffff")


def test_review_rebuild_reapplies_rejection_and_new_articles_stay_rejected(kg):
    kg.review.reject(_rid(IVANOV, "memberOf", DAWN), agent="ana")
    log = read_decisions(kg.decisions_path)
    # a rebuild from scratch: the raw article graphs, rewritten with the decisions, into a new store
    fresh = OxigraphStore()
    fresh.apply(plan_build(fresh, [a1(), a2(), a3()], rewrite=decision_rewriter(log)))
    assert not fresh.query(f"ASK {{ <{IVANOV.iri}> kg:memberOf <{DAWN.iri}> }}").boolean
    assert fresh.query(f"ASK {{ <{VOLKOVA.iri}> kg:leads <{DAWN.iri}> }}").boolean
    # the rebuilt graph of a2 is the stored one, byte for byte (same content hash)
    hashes = "SELECT ?h WHERE { GRAPH <https://w3id.org/kgraph/id/graph/a2> { ?a kg:contentHash ?h } }"
    assert fresh.query(hashes).rows == kg.store.query(hashes).rows
    # a3 states the rejected relation again: it is a rejected claim there too
    assert fresh.query('ASK { GRAPH <https://w3id.org/kgraph/id/graph/a3> { ?c a kg:Claim ; kg:reviewStatus "rejected" } }').boolean


def test_review_apply_decisions_is_idempotent(kg):
    kg.review.reject(_rid(IVANOV, "memberOf", DAWN), agent="ana")
    log = read_decisions(kg.decisions_path)
    rows = kg.store.query("SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/kgraph/id/graph/a2> { ?s ?p ?o } }").rows
    stored = [tuple(r) for r in rows]
    assert sorted(apply_decisions(stored, log)) == sorted(stored)


def test_review_accept_then_reject_then_accept(kg):
    rid = _rid(IVANOV, "memberOf", DAWN)
    kg.review.accept(rid, agent="ana")
    kg.review.reject(rid, agent="bo")
    assert [r["status"] for r in kg.review.relations(status="all") if r["id"] == rid] == ["rejected"]
    kg.review.accept(rid, agent="ana", note="bo was wrong")
    assert _ask(kg, f"ASK {{ <{IVANOV.iri}> kg:memberOf <{DAWN.iri}> }}")
    assert [r["status"] for r in kg.review.relations(status="all") if r["id"] == rid] == ["accepted"]
    assert validate(kg.store).conforms


def test_review_correct_object(kg):
    rid = _rid(VOLKOVA2, "memberOf", DUSK)
    kg.review.correct(rid, object="Green Dawn", note="she is in Green Dawn", agent="ana")
    assert not _ask(kg, f"ASK {{ <{VOLKOVA2.iri}> kg:memberOf <{DUSK.iri}> }}")
    assert _ask(kg, f"ASK {{ <{VOLKOVA2.iri}> kg:memberOf <{DAWN.iri}> }}")
    rows = kg.review.relations(status="corrected")
    assert [(r["subject"], r["object"]) for r in rows] == [("M. Volkova", "Green Dawn")]
    assert validate(kg.store).conforms


def test_review_merge_two_entities_holds_for_new_articles(kg):
    kg.review.merge("Maria Volkova", "M. Volkova", note="same person", agent="ana")
    assert not _ask(kg, f"ASK {{ <{VOLKOVA2.iri}> ?p ?o }}")
    assert _ask(kg, f"ASK {{ <{VOLKOVA.iri}> kg:memberOf <{DUSK.iri}> ; skos:altLabel 'M. Volkova' }}")
    report = validate(kg.store)
    assert report.conforms, report.text
    # a new article naming the merged entity: it is the kept one there too
    a4 = article("a4", "M. Volkova joined Red Dusk.", [(VOLKOVA2, "M. Volkova"), (DUSK, "Red Dusk")], [(0, "memberOf", 1, 0.8)])
    kg.store.apply(plan_build(kg.store, [a4], rewrite=decision_rewriter(read_decisions(kg.decisions_path))))
    assert not _ask(kg, f"ASK {{ <{VOLKOVA2.iri}> ?p ?o }}")
    assert _ask(kg, f"ASK {{ GRAPH <https://w3id.org/kgraph/id/graph/a4> {{ ?m kg:refersTo <{VOLKOVA.iri}> }} }}")


def test_review_split_entity_in_one_article(kg):
    decision = kg.review.split("Green Dawn", "a2", note="another Green Dawn", agent="ana")
    new = decision.new_entity
    assert _ask(kg, f"ASK {{ GRAPH <https://w3id.org/kgraph/id/graph/a2> {{ ?m kg:refersTo <{new}> }} }}")
    assert _ask(kg, f"ASK {{ <{IVANOV.iri}> kg:memberOf <{new}> . <{new}> a kg:PoliticalParty ; rdfs:label 'Green Dawn' }}")
    assert _ask(kg, f"ASK {{ <{VOLKOVA.iri}> kg:leads <{DAWN.iri}> }}")  # a1 keeps the original
    assert not _ask(kg, f"ASK {{ <{IVANOV.iri}> kg:memberOf <{DAWN.iri}> }}")
    assert validate(kg.store).conforms


def test_review_removed_article_leaves_decision_orphaned(kg):
    kept = kg.review.accept(_rid(VOLKOVA, "leads", DAWN), agent="ana")
    gone = kg.review.reject(_rid(IVANOV, "memberOf", DAWN), agent="ana")
    kg.store.apply(plan_removal(kg.store, ["a2"]))
    status = {row["id"]: row["status"] for row in kg.review.log()}
    assert status == {kept.id: "applied", gone.id: "orphaned"}
    assert {d.id for d in stored_decisions(kg.store)} == {kept.id, gone.id}


def test_review_pending_decisions_of_a_shared_file_are_applied(kg, tmp_path):
    # a teammate's file: one decision the store does not hold yet
    theirs = Decision(id="t1", action="reject", agent="teammate", time="2030-01-05T10:00:00Z",
                      relation=(VOLKOVA.iri, "leads", DAWN.iri), articles=("a1",))
    path = tmp_path / "team.jsonl"
    path.write_text(json.dumps(theirs.to_json()) + "\n", encoding="utf-8")
    from kgraph.review import Review

    review = Review(kg, decisions=path)
    assert [row["status"] for row in review.log()] == ["pending"]
    review.apply_pending()
    assert not _ask(kg, f"ASK {{ <{VOLKOVA.iri}> kg:leads <{DAWN.iri}> }}")
    assert [row["status"] for row in review.log()] == ["applied"]


def test_review_export_gold_in_eval_schema(kg, tmp_path):
    kg.review.accept(_rid(VOLKOVA2, "memberOf", DUSK), agent="ana")
    kg.review.reject(_rid(IVANOV, "memberOf", DAWN), agent="ana")
    out = tmp_path / "gold.jsonl"
    assert kg.review.export_gold(out) == 1
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == "a2" and line["date"] == "2030-01-02"
    assert line["relations"] == [{"subject": "M. Volkova", "predicate": "memberOf", "object": "Red Dusk"}]
    assert line["optional_relations"] == []
    assert {e["name"]: e["type"] for e in line["entities"]} == {"M. Volkova": "Person", "Red Dusk": "PoliticalParty"}


def test_review_read_only_graph_refuses_decisions(tmp_path):
    from kgraph.graph import open_graph

    location = tmp_path / "kg.db"
    store = OxigraphStore(location)
    store.apply(plan_build(store, [a1()]))
    store.close()
    with open_graph(store=location) as graph:
        with pytest.raises(InputError, match="read-only"):
            graph.review.reject(_rid(VOLKOVA, "leads", DAWN))
    assert (tmp_path / "kg.db.decisions.jsonl").exists() is False


def test_review_decision_without_reviewer_fails_validation(kg):
    from rdflib import Graph
    from rdflib.namespace import PROV

    kg.review.reject(_rid(IVANOV, "memberOf", DAWN), agent="ana")
    g = Graph()
    for s, p, o, _ in kg.store.quads():
        g.add((s, p, o))
    assert validate(g).conforms
    g.remove((None, PROV.wasAssociatedWith, None))
    report = validate(g)
    assert not report.conforms and "prov:Agent" in report.text


def test_review_unreviewed_denial_is_not_listed(tmp_path):
    analysis, links = article("d1", "Green Dawn denied expelling Petr Ivanov.", [(IVANOV, "Petr Ivanov"), (DAWN, "Green Dawn")],
                              [(0, "expelledFrom", 1, 0.8)])
    analysis.relations[0].qualifiers.update({"negated": True, "assertion": {"mode": "denied", "source": 1, "cue": "denied"}})
    store = OxigraphStore()
    store.apply(plan_build(store, [(analysis, links)]))
    with KnowledgeGraph(store, kb=KnowledgeBase([])) as graph:
        graph.decisions_path = tmp_path / "d.jsonl"
        assert graph.review.relations(status="all") == []
        assert graph.query("ASK { ?c a kg:Claim ; kg:assertionMode 'denied' }")


@pytest.mark.parametrize("kwargs, message", [
    ({"object": "Petr Ivanov"}, "object of memberOf must be: Organization or PoliticalParty"),
    ({"subject": "Red Dusk"}, "subject of memberOf must be: Person"),
    ({}, "--subject NAME and/or --object NAME"),
])
def test_review_correct_checks_the_ends(kg, kwargs, message):
    with pytest.raises(InputError, match=message):
        kg.review.correct(_rid(VOLKOVA2, "memberOf", DUSK), **kwargs)


@pytest.mark.parametrize("action, remove", [("merge", "mergedEntity"), ("split", "newEntity"), ("reject", "reviewedObject")])
def test_review_decision_missing_what_it_is_about_fails_validation(kg, action, remove):
    from rdflib import Graph

    from kgraph.rdf.namespace import KG

    if action == "merge":
        kg.review.merge("Maria Volkova", "M. Volkova", agent="ana")
    elif action == "split":
        kg.review.split("Green Dawn", "a2", agent="ana")
    else:
        kg.review.reject(_rid(IVANOV, "memberOf", DAWN), agent="ana")
    g = Graph()
    for s, p, o, _ in kg.store.quads():
        g.add((s, p, o))
    assert validate(g).conforms
    g.remove((None, KG[remove], None))
    report = validate(g)
    assert not report.conforms and "review names" in report.text


def test_review_reject_acts_on_every_piece_of_evidence(tmp_path):
    store = OxigraphStore()
    store.apply(plan_build(store, [a1(), a2(), a3()]))
    with KnowledgeGraph(store, kb=KnowledgeBase([])) as graph:
        graph.decisions_path = tmp_path / "d.jsonl"
        (row,) = [r for r in graph.review.relations() if r["id"] == _rid(IVANOV, "memberOf", DAWN)]
        assert row["articles"] == ["a2", "a3"] and row["evidence"] == 2
        decision = graph.review.reject(row["id"], agent="ana")
        assert decision.articles == ("a2", "a3")
        rows = graph.query(f"""SELECT ?g WHERE {{ GRAPH ?g {{ ?c a kg:Claim ; kg:reviewStatus "rejected" ;
                               rdf:subject <{IVANOV.iri}> }} }} ORDER BY ?g""", dataframe=False)
        assert [r["g"].rpartition("/")[2] for r in rows] == ["a2", "a3"]
        assert not graph.query(f"ASK {{ <{IVANOV.iri}> kg:memberOf <{DAWN.iri}> }}")
