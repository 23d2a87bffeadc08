"""Tests for kgraph.evaluate: the scorer on tiny hand-made gold and predictions, gold loading,
the project's own gold file, and (e2e) the whole pipeline scored on it."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kgraph.errors import ArticleError
from kgraph.evaluate import (
    GoldDoc,
    GoldEntity,
    GoldRelation,
    PredEntity,
    PredRelation,
    Prediction,
    load_gold,
    prediction_from_analysis,
    score,
)
from kgraph.model import Article, ArticleAnalysis, Entity, LocalEntity, Relation

ROOT = Path(__file__).resolve().parents[1]
REDOCRED = ROOT.parent / "shared" / "data" / "redocred" / "dev.jsonl"

TEXT = "The Green Alliance elected Ona Petraite as chair. Jonas Kairys left the Blue Union."


def gold_doc(relations=(), optional=(), doc_id="d1") -> GoldDoc:
    return GoldDoc(
        id=doc_id,
        text=TEXT,
        entities=[
            GoldEntity("Green Alliance", "PoliticalParty", ("Green Alliance", "GA")),
            GoldEntity("Ona Petraite", "Person", ("Ona Petraite", "Petraite")),
            GoldEntity("Jonas Kairys", "Person", ("Jonas Kairys",)),
            GoldEntity("Blue Union", "Organization", ("Blue Union",)),
        ],
        relations=[GoldRelation(*r) for r in relations],
        optional_relations=[GoldRelation(*r) for r in optional],
    )


def rel(subject, predicate, obj, subject_aliases=(), object_aliases=()) -> PredRelation:
    return PredRelation(subject, list(subject_aliases), predicate, obj, list(object_aliases))


LEADS = ("Ona Petraite", "leads", "Green Alliance")


# --------------------------------------------------------------------------- relations


@pytest.mark.parametrize(
    "subject, obj",
    [
        ("Ona Petraite", "Green Alliance"),
        ("ONA PETRAITE", "green alliance"),  # case
        ("Oná Petraitė", "Green Alliance"),  # accents
        ("Ona Petraite", "the Green Alliance"),  # a leading "the"
        ("Ona Petraite's", "Green Alliance’s"),  # possessives, straight and curly
        ("Ona Petraite.", "Green-Alliance"),  # punctuation
        ("Petraite", "GA"),  # a mention of the gold entity, not its name
    ],
)
def test_evaluate_labels_match_after_normalisation(subject, obj):
    report = score([gold_doc([LEADS])], {"d1": Prediction(relations=[rel(subject, "leads", obj)])})
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 0, 0)
    assert report.micro.f1 == 1.0


@pytest.mark.parametrize(
    "subject, obj",
    [("Ona Petrait", "Green Alliance"), ("Ona Petraite", "Green Alliance Party"), ("Jonas Kairys", "Green Alliance")],
)
def test_evaluate_different_labels_do_not_match(subject, obj):
    report = score([gold_doc([LEADS])], {"d1": Prediction(relations=[rel(subject, "leads", obj)])})
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (0, 1, 1)
    assert report.docs[0].false_positives == [(subject, "leads", obj)]
    assert report.docs[0].false_negatives == [LEADS]


def test_evaluate_alias_of_a_prediction_matches():
    prediction = rel("O. Petraite", "leads", "Zalieji", ["Ona Petraite"], ["Zalieji", "the Green Alliance"])
    report = score([gold_doc([LEADS])], {"d1": Prediction(relations=[prediction])})
    assert report.micro.tp == 1 and report.micro.fp == 0


def test_evaluate_predicate_must_be_equal():
    report = score([gold_doc([LEADS])], {"d1": Prediction(relations=[rel("Ona Petraite", "memberOf", "Green Alliance")])})
    assert report.predicates["memberOf"].fp == 1
    assert report.predicates["leads"].fn == 1
    assert report.micro.tp == 0


def test_evaluate_direction_matters():
    report = score([gold_doc([LEADS])], {"d1": Prediction(relations=[rel("Green Alliance", "leads", "Ona Petraite")])})
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (0, 1, 1)


def test_evaluate_optional_relations_neither_rewarded_nor_penalised():
    optional = ("Ona Petraite", "memberOf", "Green Alliance")
    doc = gold_doc([LEADS], optional=[optional])
    with_optional = Prediction(relations=[rel(*LEADS), rel(*optional)])
    without = Prediction(relations=[rel(*LEADS)])
    a, b = score([doc], {"d1": with_optional}), score([doc], {"d1": without})
    assert (a.micro.tp, a.micro.fp, a.micro.fn) == (b.micro.tp, b.micro.fp, b.micro.fn) == (1, 0, 0)
    assert a.docs[0].optional_matched == [optional]
    # an optional triple not predicted is no false negative
    assert b.predicates["memberOf"].fn == 0


def test_evaluate_per_predicate_and_micro_counts():
    doc = gold_doc(
        [LEADS, ("Jonas Kairys", "leads", "Blue Union"), ("Jonas Kairys", "expelledFrom", "Blue Union")]
    )
    prediction = Prediction(relations=[
        rel(*LEADS),
        rel("Jonas Kairys", "leads", "Green Alliance"),  # wrong object
        rel("Kairys", "expelledFrom", "Blue Union", ["Jonas Kairys"]),
    ])
    report = score([doc], {"d1": prediction})
    leads, expelled = report.predicates["leads"], report.predicates["expelledFrom"]
    assert (leads.tp, leads.fp, leads.fn) == (1, 1, 1)
    assert (leads.precision, leads.recall, leads.f1) == (0.5, 0.5, 0.5)
    assert (expelled.tp, expelled.fp, expelled.fn) == (1, 0, 0)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (2, 1, 1)
    assert report.micro.precision == pytest.approx(2 / 3)
    assert report.micro.recall == pytest.approx(2 / 3)
    assert report.macro_f1 == pytest.approx((0.5 + 1.0) / 2)  # predicates with no triples are left out


def test_evaluate_same_fact_twice_counts_once():
    prediction = Prediction(relations=[
        rel(*LEADS), rel("ona petraite", "leads", "The Green Alliance"),
        rel("Jonas Kairys", "leads", "Blue Union"), rel("Jonas Kairys", "leads", "Blue Union"),
    ])
    report = score([gold_doc([LEADS])], {"d1": prediction})
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 1, 0)


def test_evaluate_documents_are_scored_separately():
    docs = [gold_doc([LEADS], doc_id="d1"), gold_doc([("Jonas Kairys", "leads", "Blue Union")], doc_id="d2")]
    # d1's fact predicted for d2 is a false positive there, and d1 gets nothing
    report = score(docs, {"d2": Prediction(relations=[rel(*LEADS)])})
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (0, 1, 2)
    assert [len(d.false_negatives) for d in report.docs] == [1, 1]


def test_evaluate_empty_prediction_scores_zero_not_error():
    report = score([gold_doc([LEADS])], {})
    assert report.micro.precision == 0.0 and report.micro.recall == 0.0 and report.micro.f1 == 0.0


# --------------------------------------------------------------------------- entities


def test_evaluate_typing_accuracy_and_entity_recall():
    prediction = Prediction(entities=[
        PredEntity("Green Alliance", ["GA"], "PoliticalParty"),
        PredEntity("Ona Petraite", ["Petraite"], "Person"),
        PredEntity("Blue Union", [], "PoliticalParty"),  # wrong type
        PredEntity("Vilnius City Council", [], "Organization"),  # not in the gold
    ])
    report = score([gold_doc()], {"d1": prediction})
    assert (report.entities_gold, report.entities_found, report.typing_correct) == (4, 3, 2)
    assert report.typing_accuracy == pytest.approx(2 / 3)
    assert report.entity_recall == pytest.approx(3 / 4)
    assert report.entity_precision == pytest.approx(3 / 4)
    assert report.docs[0].missed_entities == ["Jonas Kairys"]
    assert report.docs[0].typing_errors == [("Blue Union", "Organization", "PoliticalParty")]


def test_evaluate_typing_uses_the_best_matching_entity():
    prediction = Prediction(entities=[
        PredEntity("Petraite", [], "Organization"),  # shares one name
        PredEntity("Ona Petraite", ["Petraite"], "Person"),  # shares two
    ])
    report = score([gold_doc()], {"d1": prediction})
    assert report.typing_correct == 1 and report.entities_found == 1


def test_evaluate_undecided_type_is_a_typing_error():
    prediction = Prediction(entities=[PredEntity("Blue Union", [], "Organization"), PredEntity("Blue Union", [], "Person")])
    report = score([gold_doc()], {"d1": prediction})
    assert report.typing_correct == 0 and report.entities_found == 1


def test_evaluate_mention_recall_counts_surface_forms_of_the_linked_entity():
    prediction = Prediction(entities=[
        PredEntity("Green Alliance", [], "PoliticalParty"),  # misses "GA": 1 of 2
        PredEntity("Ona Petraite", ["Petraite"], "Person"),  # 2 of 2
    ])
    report = score([gold_doc()], {"d1": prediction})
    assert (report.mentions_found, report.mentions_gold) == (3, 6)
    assert report.mention_recall == 0.5


# --------------------------------------------------------------------------- report


def test_evaluate_report_dict_and_table():
    report = score([gold_doc([LEADS])], {"d1": Prediction(
        entities=[PredEntity("Ona Petraite", [], "Person")],
        relations=[rel(*LEADS), rel("Jonas Kairys", "memberOf", "Blue Union")],
    )})
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data  # plain JSON
    assert data["relations"]["leads"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0, "gold": 1}
    assert data["micro"]["precision"] == 0.5
    assert data["entities"]["typing_accuracy"] == 1.0
    assert data["errors"][0]["false_positives"] == [["Jonas Kairys", "memberOf", "Blue Union"]]
    table = report.to_table(errors=True)
    assert re.search(r"^leads\s+1\.000\s+1\.000\s+1\.000\s+1\s+1\s+0\s+0$", table, re.M)
    assert re.search(r"^micro\s+0\.500\s+1\.000\s+0\.667", table, re.M)
    assert "boycotted" not in table  # no gold and no prediction: left out of the table
    assert "FP Jonas Kairys --memberOf--> Blue Union" in table


# --------------------------------------------------------------------------- predictions from the pipeline's data


def test_evaluate_prediction_from_analysis_uses_linked_entities():
    article = Article(id="a1", title="T", text=TEXT)
    analysis = ArticleAnalysis(
        article=article,
        entities=[
            LocalEntity(0, "PoliticalParty", "Green Alliance", ["Green Alliance"]),
            LocalEntity(1, "Person", "Petraite", ["Petraite"]),
            LocalEntity(2, "Person", "Jonas Kairys", ["Jonas Kairys"]),  # not linked
        ],
        relations=[Relation(1, "leads", 0, TEXT[:48], 0, 48, 0, 48, "test", 0.9)],
    )
    links = {
        ("a1", 0): Entity("kgid:party/ga", "PoliticalParty", "Green Alliance", {"GA", "Zalieji"}),
        ("a1", 1): Entity("kgid:person/op", "Person", "Ona Petraite", {"Petraite"}),
    }
    prediction = prediction_from_analysis(analysis, links)
    assert [(e.label, e.type) for e in prediction.entities] == [
        ("Green Alliance", "PoliticalParty"), ("Ona Petraite", "Person"), ("Jonas Kairys", "Person")]
    assert prediction.entities[0].aliases == ["GA", "Zalieji"]
    assert prediction.relations == [PredRelation("Ona Petraite", ["Petraite"], "leads", "Green Alliance", ["GA", "Zalieji"],
                                                 TEXT[:48], "test")]


# --------------------------------------------------------------------------- loading gold


def write_gold(path: Path, *docs: dict | str) -> Path:
    path.write_text("\n".join(d if isinstance(d, str) else json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


ENTITIES = [{"name": "Ona Petraite", "type": "Person", "mentions": ["Petraite"]},
            {"name": "Green Alliance", "type": "PoliticalParty", "mentions": []}]


def test_evaluate_load_gold_inline_text(tmp_path):
    path = write_gold(tmp_path / "g.jsonl", {
        "id": "x", "date": "2019-03-04", "text": TEXT, "entities": ENTITIES,
        "relations": [{"subject": "Ona Petraite", "predicate": "leads", "object": "Green Alliance"}],
        "optional_relations": [{"subject": "Ona Petraite", "predicate": "memberOf", "object": "Green Alliance"}]})
    [doc] = load_gold(path)
    assert (doc.id, doc.text, doc.date) == ("x", TEXT, dt.date(2019, 3, 4))
    assert doc.entities[0] == GoldEntity("Ona Petraite", "Person", ("Petraite",), None)
    assert doc.relations == [GoldRelation(*LEADS)]
    assert doc.optional_relations == [GoldRelation("Ona Petraite", "memberOf", "Green Alliance")]
    assert doc.article() == Article(id="x", title="", text=TEXT, date=dt.date(2019, 3, 4), language="en")


def test_evaluate_load_gold_text_from_files(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "by-name.md").write_text("---\ntitle: Named\ndate: 2019-03-01\n---\nFirst text.", encoding="utf-8")
    (texts / "x2.txt").write_text("By id\nSecond text.", encoding="utf-8")
    (texts / "other.txt").write_text("By content id\nThird text.", encoding="utf-8")
    from kgraph.corpus import article_id

    gold = write_gold(tmp_path / "g.jsonl",
                      {"id": "x1", "file": "by-name.md", "date": "2019-03-02", "entities": ENTITIES},
                      {"id": "x2", "entities": ENTITIES},
                      {"id": article_id("By content id", "Third text."), "entities": ENTITIES})
    docs = load_gold(gold, texts)
    # EVAL.md: TEXTS/ID.txt is the document's whole text (its first line is no title)
    assert [(d.title, d.text) for d in docs] == [("Named", "First text."), ("", "By id\nSecond text."),
                                                  ("By content id", "Third text.")]
    assert docs[0].date == dt.date(2019, 3, 2)  # the gold date wins over the file's
    assert docs[1].article().id == "x2"  # predictions are keyed by the gold id


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"id": "a", "text": ', "malformed JSON"),
        ('{"text": "x"}', "no 'id'"),
        ('{"id": "a", "text": "x", "entities": [{"name": "X", "type": "Country"}]}', "type 'Country'; use one of"),
        ('{"id": "a", "text": "x", "entities": [{"name": "X", "type": "Person"}], '
         '"relations": [{"subject": "X", "predicate": "founded", "object": "X"}]}', "predicate 'founded'"),
        ('{"id": "a", "text": "x", "entities": [{"name": "X", "type": "Person"}], '
         '"relations": [{"subject": "X", "predicate": "leads", "object": "Y"}]}', "object 'Y' is not the name"),
        ('{"id": "a", "entities": []}', "no text for document 'a'"),
        ('{"id": "a", "file": "missing.txt", "entities": []}', "no such file"),
        ('{"id": "a", "text": "x", "date": "soon"}', "'soon' is not a date"),
    ],
)
def test_evaluate_load_gold_bad_lines(tmp_path, line, reason):
    path = write_gold(tmp_path / "g.jsonl", {"id": "ok", "text": "Fine."}, line)
    with pytest.raises(ArticleError, match=reason) as raised:
        load_gold(path)
    assert raised.value.path == f"{path}:2"


def test_evaluate_missing_text_is_skipped_only_when_asked(tmp_path):
    from typer.testing import CliRunner

    from kgraph.cli import app
    from kgraph.evaluate import load_gold_set

    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("The Aul Party met.", encoding="utf-8")
    path = write_gold(tmp_path / "g.jsonl", {"id": "a"}, {"id": "gone"})
    with pytest.raises(ArticleError, match="no text for document 'gone'"):
        load_gold_set(path, texts)
    skipped = []
    assert [d.id for d in load_gold_set(path, texts, on_missing=skipped.append)] == ["a"]
    assert len(skipped) == 1 and "'gone'" in str(skipped[0])
    runner = CliRunner()
    result = runner.invoke(app, ["evaluate", str(path), "--texts", str(texts)])
    assert result.exit_code == 2 and "no text for document 'gone'" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["evaluate", str(path), "--texts", str(texts), "--skip-missing"])
    assert result.exit_code == 0 and "skipped:" in result.output and "micro" in result.output


def test_evaluate_load_gold_missing_file_and_duplicates(tmp_path):
    with pytest.raises(ArticleError, match="no such gold file"):
        load_gold(tmp_path / "none.jsonl")
    path = write_gold(tmp_path / "g.jsonl", {"id": "a", "text": "One."}, {"id": "a", "text": "Two."})
    with pytest.raises(ArticleError, match="duplicate document id 'a'"):
        load_gold(path)


# --------------------------------------------------------------------------- the project's gold


def test_evaluate_project_gold_is_consistent():
    docs = load_gold(ROOT / "corpus" / "gold.jsonl")
    assert [(d.id, d.date) for d in docs] == [("000", dt.date(2004, 1, 29)), ("004", dt.date(2020, 12, 3))]
    for doc in docs:
        text = doc.text.replace("’", "'")
        for entity in doc.entities:
            for mention in entity.mentions:  # every mention is a string of the text
                assert mention.replace("’", "'").lower() in text.lower(), (doc.id, mention)
        names = [e.name for e in doc.entities]
        assert len(names) == len(set(names))
        assert not set(doc.relations) & set(doc.optional_relations)
    relations = {(d.id, r.subject, r.predicate, r.object) for d in docs for r in d.relations}
    assert ("004", "All-National Social Democratic Party", "boycotted", "2021 Kazakh legislative election") in relations
    assert ("000", "Darigha Nazarbaeva", "leads", "Asar") in relations


@pytest.mark.skipif(not REDOCRED.is_file(), reason="../shared/data/redocred is not beside the project")
def test_evaluate_redocred_dev_loads():
    docs = load_gold(REDOCRED)
    assert len(docs) == 102
    assert all(doc.text and doc.relations for doc in docs)


# --------------------------------------------------------------------------- end to end


def _assert_well_formed(data: dict) -> None:
    figures = [scores[k] for scores in [*data["relations"].values(), data["micro"]] for k in ("precision", "recall", "f1")]
    figures += [data["entities"][k] for k in ("typing_accuracy", "recall", "precision", "mention_recall")]
    assert all(0.0 <= f <= 1.0 for f in figures)
    assert data["time"]["seconds"] > 0 and data["time"]["words"] > 0


@pytest.mark.e2e
def test_evaluate_pipeline_on_project_gold():
    from kgraph.evaluate import evaluate

    report = evaluate(ROOT / "corpus" / "gold.jsonl", ROOT / "corpus")
    data = report.to_dict()
    _assert_well_formed(data)
    assert data["documents"] == 2 and data["micro"]["gold"] == 11
    print("\n" + report.to_table(errors=True))
    # the seed facts are the project's promise: every one found, and nothing else stated
    # (a false fact here is a regression of the core issue, as a missed one is)
    assert report.micro.recall == 1.0, report.to_table(errors=True)
    assert report.micro.precision == 1.0, report.to_table(errors=True)
    assert report.typing_accuracy >= 0.8


@pytest.mark.e2e
@pytest.mark.skipif(not REDOCRED.is_file(), reason="../shared/data/redocred is not beside the project")
def test_evaluate_pipeline_on_redocred_dev():
    from kgraph.evaluate import evaluate

    report = evaluate(REDOCRED)
    data = report.to_dict()
    _assert_well_formed(data)
    assert data["documents"] == 102
    assert (data["relations"]["leads"]["gold"], data["relations"]["memberOf"]["gold"]) == (40, 227)
    print("\n" + report.to_table())
    assert report.micro.tp > 0


def test_evaluate_split_is_fixed_by_id_and_halves_a_set():
    from kgraph.evaluate import GoldDoc, select_split, split_of

    assert split_of("ca-001") == "check" and split_of("ca-003") == "tune"
    ids = [f"x-{i:03d}" for i in range(200)]
    tune = [i for i in ids if split_of(i) == "tune"]
    assert 70 < len(tune) < 130  # a hash halves a set
    docs = [GoldDoc(id=i, text="t", date=None, entities=[], relations=[], optional_relations=[]) for i in ids[:10]]
    assert {d.id for d in select_split(docs, "tune")} | {d.id for d in select_split(docs, "check")} == set(ids[:10])
    assert select_split(docs, "all") == docs


def test_evaluate_unknown_split_is_a_config_error():
    from kgraph.errors import ConfigError
    from kgraph.evaluate import select_split

    with pytest.raises(ConfigError, match="tune, check, all"):
        select_split([], "dev")


def test_evaluate_gold_date_of_reduced_precision_is_kept(tmp_path):
    from kgraph.evaluate import load_gold

    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "m", "date": "2015-04", "text": "Ann Lee leads the Green Party.",
                                "entities": [], "relations": []}) + "\n", encoding="utf-8")
    (doc,) = load_gold(gold)
    assert doc.date == dt.date(2015, 4, 1) and doc.article().date_iso == "2015-04"
