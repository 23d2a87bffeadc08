"""Tests for kgraph.evaluate_linking: coverage, pairwise and B-cubed clustering scores, QID figures."""
from __future__ import annotations

import json

import pytest

from kgraph.errors import ArticleError
from kgraph.evaluate import GoldDoc, GoldEntity
from kgraph.evaluate import gold_files
from kgraph.evaluate_linking import bcubed, evaluate_linking, pairwise, score_linking
from kgraph.model import Article, ArticleAnalysis, Entity, LocalEntity, Mention


def test_evaluate_linking_pairwise_counts_pairs_across_groups_only():
    items = [("d1", "a", 1), ("d2", "a", 1), ("d3", "b", 1), ("d1", "c", 2)]
    # cross pairs: (d1a,d2a) gold+pred; (d1a,d3b), (d2a,d3b) pred only; none gold-only
    assert pairwise(items) == (1, 2, 0)
    assert pairwise([("d", "a", 1), ("d", "a", 2)], across=False) == (0, 0, 1)


def test_evaluate_linking_bcubed_perfect_and_merged():
    assert bcubed([("a", 1), ("b", 2)]) == (1.0, 1.0)
    precision, recall = bcubed([("a", 1), ("b", 1)])
    assert precision == 0.5 and recall == 1.0


def _doc(doc_id, text, *entities):
    return GoldDoc(id=doc_id, text=text, entities=[GoldEntity(*e) for e in entities])


def _analysis(doc_id, text, spans):
    """spans: (surface, local index, IRI, wikidata); mentions found by text position."""
    entities, mentions, links = {}, [], {}
    for surface, index, iri, qid in spans:
        start = text.index(surface)
        entities.setdefault(index, LocalEntity(index, "Person", surface))
        mentions.append(Mention(start, start + len(surface), surface, "Person", index))
        links[(doc_id, index)] = Entity(iri, "Person", surface, wikidata=qid)
    return ArticleAnalysis(Article(doc_id, "t", text), list(entities.values()), mentions), links


def test_evaluate_linking_scores_a_small_corpus():
    t1 = "Jacob Zuma met Cyril Ramaphosa. Zuma left."
    t2 = "Zuma spoke to the ANC."
    gold = [
        _doc("d1", t1, ("Jacob Zuma", "Person", ("Jacob Zuma", "Zuma"), "Q57238"),
             ("Cyril Ramaphosa", "Person", ("Cyril Ramaphosa",), None)),
        _doc("d2", t2, ("Jacob Zuma", "Person", ("Zuma",), "Q57238"),
             ("African National Congress", "PoliticalParty", ("ANC",), "Q83162")),
    ]
    a1, l1 = _analysis("d1", t1, [("Jacob Zuma", 0, "z", "Q57238"), ("Zuma", 0, "z", "Q57238"),
                                  ("Cyril Ramaphosa", 1, "r", "Q1")])
    a2, l2 = _analysis("d2", t2, [("Zuma", 0, "z2", None)])
    report = score_linking(gold, [a1, a2], {**l1, **l2})
    assert report.mentions_gold == 5 and report.mentions_covered == 4  # "ANC" not found
    assert (report.within.tp, report.within.fp, report.within.fn) == (1, 0, 0)
    assert (report.cross.tp, report.cross.fp, report.cross.fn) == (0, 0, 1)  # Zuma split across articles
    assert report.qid_gold == 2 and report.qid_found == 1
    assert report.qid_given_known == 1 and report.qid_right == 1
    assert report.qid_given_unknown == 1  # Ramaphosa got an id the gold does not give
    assert report.split_entities == [("wd:Q57238", ["z", "z2"])]
    assert "cross-article" in report.to_table(errors=True)


def test_evaluate_linking_gold_files_from_folder(tmp_path):
    for name in ("b.jsonl", "a.jsonl"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in gold_files(tmp_path)] == ["a.jsonl", "b.jsonl"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArticleError, match="no gold"):
        gold_files(tmp_path / "empty")


@pytest.mark.e2e
def test_evaluate_linking_runs_the_real_pipeline(tmp_path):
    docs = [
        {"id": "x1", "text": "Nursultan Nazarbaev met the leaders of Aq Zhol in Astana. Nazarbaev spoke.",
         "entities": [{"name": "Nursultan Nazarbaev", "type": "Person", "mentions": ["Nazarbaev"], "wikidata": None},
                      {"name": "Aq Zhol", "type": "PoliticalParty", "mentions": [], "wikidata": "Q1186246"}]},
        {"id": "x2", "text": "Aq Zhol criticised Nazarbaev in Kazakhstan.",
         "entities": [{"name": "Nursultan Nazarbaev", "type": "Person", "mentions": ["Nazarbaev"], "wikidata": None},
                      {"name": "Aq Zhol", "type": "PoliticalParty", "mentions": [], "wikidata": "Q1186246"}]},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    report = evaluate_linking(gold)
    assert report.documents == 2
    from typer.testing import CliRunner

    from kgraph.cli import app

    result = CliRunner().invoke(app, ["evaluate", str(gold), "--linking", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["cross_article"]["f1"] == report.cross.f1
    assert report.coverage == 1.0
    assert report.cross.f1 == 1.0 and report.within.f1 == 1.0
    assert report.qid_recall == 1.0 and report.qid_precision == 1.0
