"""`kgraph kb`: list, search, add and export knowledge-base entries; a user's file links persons
to Wikidata in a real build (end to end)."""
from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from kgraph.cli import app

runner = CliRunner()

ARTICLE = """Steppe reform row
Astana, 3 March 2021 (RFE/RL) -- Yerlan Sadykbekov, the chairman of the Green Steppe movement,
met Aigerim Tulegenova, a member of the Mazhilis, in Kazakhstan's capital on Tuesday.
Sadykbekov said the movement would take part in the regional elections.
Tulegenova did not comment.
"""


def test_cli_kb_add_list_search(tmp_path):
    mine = tmp_path / "mine.csv"
    result = runner.invoke(app, ["kb", "add", str(mine), "--name", "Yerlan Sadykbekov", "--type", "Person",
                                 "--alias", "Sadykbekov", "--qid", "Q900000001", "--country", "Kazakhstan"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(mine.open(encoding="utf-8")))
    assert rows[0]["qid"] == "Q900000001" and rows[0]["country"] == "KAZ"
    again = runner.invoke(app, ["kb", "add", str(mine), "--name", "Yerlan Sadykbekov", "--type", "Person",
                                "--qid", "Q900000001"])
    assert again.exit_code == 2 and "already has" in again.output
    listed = runner.invoke(app, ["kb", "list", "--kb", str(mine), "--user", "--format", "json"])
    assert listed.exit_code == 0
    assert [r["name"] for r in json.loads(listed.output)] == ["Yerlan Sadykbekov"]
    found = runner.invoke(app, ["kb", "search", "Sadykbekov", "--kb", str(mine), "--format", "json"])
    assert json.loads(found.output)[0]["qid"] == "Q900000001"


def test_cli_kb_add_rejects_bad_entry(tmp_path):
    result = runner.invoke(app, ["kb", "add", str(tmp_path / "m.jsonl"), "--name", "X", "--type", "Robot"])
    assert result.exit_code == 2
    assert "Robot" in result.output and "Traceback" not in result.output


def test_cli_kb_search_shows_evidence_needed():
    result = runner.invoke(app, ["kb", "search", "Apple", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)[0]["evidence"].startswith("common-word")


def test_cli_link_shows_evidence():
    result = runner.invoke(app, ["link", "Ak Zhol", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)[0]["evidence"] == "the name identifies it"


@pytest.mark.e2e
def test_cli_kb_user_file_links_persons_in_a_real_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "steppe.txt").write_text(ARTICLE, encoding="utf-8")
    store = tmp_path / "kg.db"
    assert runner.invoke(app, ["build", str(corpus), "--store", str(store)]).exit_code == 0

    # what the corpus minted, as an editable file: the persons have no Wikidata id yet
    minted = tmp_path / "minted.csv"
    result = runner.invoke(app, ["kb", "export", str(minted), "--store", str(store), "--type", "Person"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(minted.open(encoding="utf-8")))
    names = {r["name"] for r in rows}
    assert {"Yerlan Sadykbekov", "Aigerim Tulegenova"} <= names
    assert all(not r["qid"] for r in rows)

    # the user fills in the ids and builds again into a fresh store
    qids = {"Yerlan Sadykbekov": "Q900000001", "Aigerim Tulegenova": "Q900000002"}
    for row in rows:
        row["qid"] = qids.get(row["name"], "")
        row["country"] = "KAZ"
    with minted.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    store2 = tmp_path / "kg2.db"
    result = runner.invoke(app, ["build", str(corpus), "--store", str(store2), "--kb", str(minted)])
    assert result.exit_code == 0, result.output
    query = ("SELECT ?name ?qid WHERE { ?p a kg:Person ; rdfs:label ?name ; owl:sameAs ?wd ; kg:wikidataId ?qid }")
    found = runner.invoke(app, ["query", "--store", str(store2), query, "--format", "json"])
    linked = {r["name"]: r["qid"] for r in json.loads(found.output)}
    assert linked["Yerlan Sadykbekov"] == "Q900000001"
    assert linked["Aigerim Tulegenova"] == "Q900000002"
    # the surname-only mentions refer to the same linked person
    mentions = runner.invoke(app, ["query", "--store", str(store2),
                                   "SELECT ?text WHERE { ?m kg:refersTo ?p ; kg:anchorText ?text . ?p kg:wikidataId 'Q900000001' }",
                                   "--format", "json"])
    assert "Sadykbekov" in {r["text"] for r in json.loads(mentions.output)}


@pytest.mark.e2e
def test_cli_kb_python_api_takes_a_knowledge_base(tmp_path):
    import kgraph
    from kgraph.linking.kb import KBEntity, KnowledgeBase

    (tmp_path / "steppe.txt").write_text(ARTICLE, encoding="utf-8")
    mine = KnowledgeBase([KBEntity("user:1", "Person", "Aigerim Tulegenova", ("Tulegenova",), "Q900000002", "KAZ")])
    with kgraph.build(tmp_path, kb=mine) as kg:
        rows = kg.query("SELECT ?qid WHERE { ?p rdfs:label 'Aigerim Tulegenova' ; kg:wikidataId ?qid }", dataframe=False)
    assert [str(r["qid"]) for r in rows] == ["Q900000002"]
