"""The CLI: every command documented, clean one-line errors, and the README's commands working."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)


def test_cli_every_command_has_help_with_example():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help and "Example: kgraph" in command.help, f"`kgraph {name}` lacks an example"


def test_cli_readme_mentions_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in command_names() if f"kgraph {name}" not in readme]
    assert not missing, f"README does not mention: {missing}"


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "/no/such/dir"], "/no/such/dir"),
        (["query", "--store", "/no/such/store", "SELECT * WHERE { ?s ?p ?o }"], "no store"),
        (["export", "out.trig"], "exactly one"),
    ],
)
def test_cli_bad_input_gives_one_line_error(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.output


def test_cli_console_script_prints_no_traceback(tmp_path):
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    proc = subprocess.run(
        [sys.executable, "-m", "kgraph.cli", "build", str(binary)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "bad.txt" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.e2e
def test_cli_build_query_export_stats_link(tmp_path):
    store, out = tmp_path / "kg.db", tmp_path / "kg.trig"
    result = runner.invoke(app, ["build", str(ROOT / "corpus"), "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 articles" in result.output and out.stat().st_size > 1000

    result = runner.invoke(
        app,
        ["query", "--store", str(store), "--format", "json",
         "SELECT ?leader ?party WHERE { ?l kg:leads ?p . ?l rdfs:label ?leader . ?p rdfs:label ?party }"],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert any("Peruashev" in r["leader"] for r in rows)

    result = runner.invoke(app, ["query", "--store", str(store), "SELECT ?x WHERE { ?x"])
    assert result.exit_code == 2 and "Traceback" not in result.output

    result = runner.invoke(app, ["query", "--graph", str(out), "--format", "csv", "relations"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("subject")
    assert "will establish" not in result.output

    result = runner.invoke(app, ["stats", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    counts = {r["what"]: r["count"] for r in json.loads(result.output)}
    assert counts["articles"] == 2

    result = runner.invoke(app, ["link", "Nazarbayev", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Nazarbaev" in json.loads(result.output)[0]["name"]


@pytest.mark.e2e
def test_cli_folder_with_bad_article_processes_the_rest(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Party news\n\nMaria Lopez, the leader of the Green Future Party, spoke on Monday.\n", encoding="utf-8"
    )
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9 politics\n\nJos\xe9 spoke.".encode("latin-1"))
    result = runner.invoke(app, ["build", str(folder), "--out", str(tmp_path / "kg.ttl")])
    assert result.exit_code == 0, result.output
    assert "broken.json" in result.output and "latin1.txt" in result.output
    assert "1 articles" in result.output or "1 article" in result.output
    assert "Traceback" not in result.output


@pytest.mark.e2e
@pytest.mark.parametrize("source, target", [("Ablyazov", "Nur Otan"), ("Аблязов", "Nur Otan"), ("Nazarbayev", "Ak Zhol")])
def test_cli_path_prints_connection_with_sentences(seed_store, source, target):
    result = runner.invoke(app, ["path", "--store", str(seed_store), source, target, "--format", "json"])
    assert result.exit_code == 0, result.output
    hops = json.loads(result.output)
    assert hops and all(h["sentence"] for h in hops)
    assert hops[-1]["target_label"] in {"Nur Otan", "Aq Zhol"}
