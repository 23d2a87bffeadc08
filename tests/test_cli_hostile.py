"""The CLI against hostile input: one bad article is one line and is skipped, long ones are
processed in pieces, and bad arguments stop the build before any work."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
runner = CliRunner()

BAD_IDS = [["a", "b"], {"k": "v"}, "has space", "a>b", "tab\there", "new\nline"]


def _hostile_folder(folder: Path) -> dict[str, Path]:
    """The seed articles, one file per bad article of issue 10 item 9, and two long ones."""
    folder.mkdir()
    for seed in CORPUS.glob("*.md"):
        shutil.copy(seed, folder / seed.name)
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "bad_date.md").write_text("---\ntitle: T\ndate: 2020-13-45\n---\nThe party met on Monday.\n")
    (folder / "bad_ids.jsonl").write_text(
        "".join(json.dumps({"id": bad, "text": f"Article number {i} about a party."}) + "\n" for i, bad in enumerate(BAD_IDS))
    )
    seed_text = (CORPUS / "004_aq-zhol-stops-accepting-members.md").read_text().split("---", 2)[2].strip()
    filler = ("x" * 999 + "\n") * 20_000  # 20 MB that tokenizes cheaply; the facts come last
    (folder / "long_20mb.txt").write_text("A very long article\n" + filler + "\n" + seed_text + "\n")
    (folder / "no_spaces.txt").write_text("A line with no spaces\n" + "y" * 2_000_000 + "\n")
    return {"long": folder / "long_20mb.txt"}


@pytest.mark.e2e
def test_cli_build_hostile_folder_builds_the_good_and_reports_each_bad_in_one_line(tmp_path):
    files = _hostile_folder(tmp_path / "articles")
    store = tmp_path / "kg.db"
    result = runner.invoke(app, ["build", str(tmp_path / "articles"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("kgraph: skipped")]
    assert len(skipped) == 2 + len(BAD_IDS), result.stderr
    assert any("deep.json" in line and "nested too deeply" in line for line in skipped)
    assert any("bad_date.md" in line and "2020-13-45" in line for line in skipped)
    assert sum("bad_ids.jsonl" in line for line in skipped) == len(BAD_IDS)
    assert "Traceback" not in result.output
    assert "4 articles" in result.stdout  # the two seeds, the 20 MB article and the 2 MB line

    import kgraph
    from kgraph.corpus import read_articles

    long_article = next(read_articles(files["long"]))
    assert len(long_article.text) > 20_000_000
    with kgraph.open_graph(store=store) as kg:
        rows = kg.query("relations", dataframe=False)
        titles = {r["title"] for r in rows}
        assert "Kazakh Political Party Stops Accepting New Members After Opposition Figure's Call To Support It" in titles
        long_facts = [r for r in rows if r["articleId"] == long_article.id]
        assert any(r["relation"] == "leads" and "Peruashev" in r["subjectLabel"] for r in long_facts)
        for row in long_facts:  # the evidence offsets point into the 20 MB Article.text, inside the sentence
            assert row["start"] > 20_000_000
            evidence = long_article.text[row["start"]:row["end"]]
            sentence_start = long_article.text.rfind(row["sentence"], 0, row["end"] + len(row["sentence"]))
            assert evidence and evidence in row["sentence"]
            assert sentence_start <= row["start"] and row["end"] <= sentence_start + len(row["sentence"])


def test_cli_build_bad_out_fails_before_any_work(tmp_path):
    (tmp_path / "folder").mkdir()
    for out in ("graph.docx", "folder"):
        result = runner.invoke(app, ["build", str(CORPUS), "--store", str(tmp_path / "kg.db"), "--out", str(tmp_path / out)])
        assert result.exit_code == 2, result.output
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
        assert not (tmp_path / "kg.db").exists()


def test_cli_link_unknown_name_exits_2():
    result = runner.invoke(app, ["link", "Qxzvw Jjjkkq"])
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_build_duplicate_ids_are_a_note_and_both_are_kept(tmp_path):
    articles = tmp_path / "a.jsonl"
    articles.write_text(
        json.dumps({"id": "same", "text": "Azat Peruashev leads Aq Zhol."}) + "\n"
        + json.dumps({"id": "same", "text": "Nur Otan expelled a member."}) + "\n"
    )
    result = runner.invoke(app, ["build", str(articles)])
    assert result.exit_code == 0, result.output
    assert "2 articles" in result.stdout
    notes = [line for line in result.stderr.splitlines() if "also the id of" in line]
    assert len(notes) == 1 and notes[0].startswith("kgraph: note: ")
    assert "skipped" not in result.stderr
