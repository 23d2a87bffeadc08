"""The explore commands through a Typer app of the test's own (path, neighbors, centrality, communities, viz)."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
import typer
import typer.main
from analysis_fixtures import make_changes
from typer.testing import CliRunner

from kgraph import cli_explore

runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    cli_explore.register(app)
    return app


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    from kgraph.rdf.store import open_store

    location = tmp_path_factory.mktemp("explore") / "kg.db"
    store = open_store(str(location))
    store.apply(make_changes())
    store.close()
    return str(location)


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory, store_dir):
    from kgraph.graph import open_graph

    path = tmp_path_factory.mktemp("explore-file") / "kg.trig"
    with open_graph(store=store_dir) as kg:
        kg.serialize(path)
    return str(path)


def invoke(app, *args):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_cli_explore_every_command_has_help_with_example(app):
    group = typer.main.get_command(app)
    assert set(group.commands) == {"path", "neighbors", "centrality", "communities", "viz"}
    for name, command in group.commands.items():
        assert command.help and f"Example: kgraph {name}" in command.help, name


def test_cli_explore_path_prints_hops_with_sentences(app, store_dir):
    result = invoke(app, "path", "--store", store_dir, "Ablyazov", "Nur Otan")
    assert result.exit_code == 0, result.output
    assert "Mukhtar Ablyazov -> Aq Zhol -> Nurzhan Altaev -> Nur Otan" in result.output
    assert "expelledFrom" in result.output and "Nur Otan expelled" in result.output


def test_cli_explore_path_other_spellings_and_json(app, store_dir):
    result = invoke(app, "path", "--store", store_dir, "--format", "json", "Peruashev", "Ak Zhol")
    assert result.exit_code == 0, result.output
    hops = json.loads(result.output)
    assert [(h["source_label"], h["relation"], h["target_label"]) for h in hops] == [
        ("Azat Peruashev", "leads", "Aq Zhol")]
    assert hops[0]["sentence"] == "Aq Zhol leader Azat Peruashev spoke first."


def test_cli_explore_path_from_graph_file(app, graph_file):
    result = invoke(app, "path", "--graph", graph_file, "--format", "csv", "Altaev", "Peruashev")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["target_label"] for r in rows] == ["Aq Zhol", "Azat Peruashev"]


def test_cli_explore_unknown_name_one_line_with_exit_code(app, store_dir):
    result = invoke(app, "path", "--store", store_dir, "Zzyzx Qwerty", "Nur Otan")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Zzyzx Qwerty" in lines[0]


def test_cli_explore_ambiguous_name_lists_candidates(app, store_dir):
    result = invoke(app, "neighbors", "--store", store_dir, "Social Democratic")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "ambiguous" in lines[0] and lines[0].count("Social Democratic") >= 3


def test_cli_explore_known_entity_without_relations(app, store_dir):
    result = invoke(app, "neighbors", "--store", store_dir, "Nursultan Nazarbaev")  # in the KB, not in this graph
    assert result.exit_code == 2 and "has no relation in this graph" in result.output


def test_cli_explore_no_connection_exits_1(app, store_dir):
    result = invoke(app, "path", "--store", store_dir, "Asar", "Aq Zhol")
    assert result.exit_code == 1
    assert "no connection between Asar and Aq Zhol" in result.output


def test_cli_explore_missing_store_is_a_clean_error(app, tmp_path):
    result = invoke(app, "centrality", "--store", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "no store" in result.output


def test_cli_explore_neighbors_depth(app, store_dir):
    one = json.loads(invoke(app, "neighbors", "--store", store_dir, "-f", "json", "Aq Zhol").output)
    two = json.loads(invoke(app, "neighbors", "--store", store_dir, "-f", "json", "Aq Zhol", "--depth", "2").output)
    assert {r["label"] for r in one} == {"Azat Peruashev", "Mukhtar Ablyazov", "Nurzhan Altaev"}
    assert {r["label"] for r in two} - {r["label"] for r in one} == {"Nur Otan"}


def test_cli_explore_centrality_formats(app, store_dir):
    table = invoke(app, "centrality", "--store", store_dir, "--top", "3")
    assert table.exit_code == 0 and "Aq Zhol" in table.output and "pagerank" in table.output
    rows = list(csv.DictReader(io.StringIO(
        invoke(app, "centrality", "--store", store_dir, "-f", "csv", "-t", "Person", "-m", "betweenness").output)))
    assert rows[0]["label"] == "Nurzhan Altaev" and set(rows[0]) == {"rank", "label", "type", "betweenness", "iri"}
    assert {r["type"] for r in rows} == {"Person"}


def test_cli_explore_centrality_bad_measure(app, store_dir):
    result = invoke(app, "centrality", "--store", store_dir, "-m", "closeness")
    assert result.exit_code == 2 and "closeness" in result.output and "pagerank" in result.output


def test_cli_explore_communities_and_cohesion(app, store_dir):
    rows = json.loads(invoke(app, "communities", "--store", store_dir, "-f", "json").output)
    assert sum(r["size"] for r in rows) == 10
    cohesion = json.loads(invoke(app, "communities", "--store", store_dir, "--cohesion", "-f", "json").output)
    assert cohesion[0]["label"] == "Aq Zhol" and cohesion[0]["people"] == 3


def test_cli_explore_viz_writes_html_and_subgraphs(app, store_dir, tmp_path):
    out = tmp_path / "g.html"
    result = invoke(app, "viz", "--store", store_dir, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "10 entities, 7 relations" in result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = invoke(app, "viz", "--store", store_dir, "--out", str(out), "--center", "Ak Zhol", "--depth", "1")
    assert "4 entities, 3 relations" in result.output
    result = invoke(app, "viz", "--store", store_dir, "--out", str(out), "-r", "leads", "--since", "2021-01-01")
    assert "4 entities, 2 relations" in result.output  # Peruashev and Rakhimzhanov, stated in a2


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_cli_explore_viz_exports(app, store_dir, tmp_path, suffix):
    out = tmp_path / f"g{suffix}"
    assert invoke(app, "viz", "--store", store_dir, "--out", str(out)).exit_code == 0
    H = nx.read_graphml(out) if suffix == ".graphml" else nx.read_gexf(out)
    assert H.number_of_nodes() == 10


@pytest.mark.parametrize("args, message", [
    (["--out", "g.png"], "g.png"),
    (["--relation", "likes"], "likes"),
    (["--since", "last week"], "YYYY-MM-DD"),
])
def test_cli_explore_viz_bad_options(app, store_dir, args, message):
    result = invoke(app, "viz", "--store", store_dir, *args)
    assert result.exit_code == 2 and message in result.output


def test_cli_explore_views_use_the_projections(app, store_dir):
    people = json.loads(invoke(app, "centrality", "--store", store_dir, "--view", "people", "-f", "json").output)
    assert {r["type"] for r in people} == {"Person"} and len(people) == 5
    parties = json.loads(invoke(app, "communities", "--store", store_dir, "--view", "parties", "-f", "json").output)
    together = next(r for r in parties if "Aq Zhol" in r["members"])
    assert "Nur Otan" in together["members"]  # tied through Altaev
    bad = invoke(app, "centrality", "--store", store_dir, "--view", "towns")
    assert bad.exit_code == 2 and "towns" in bad.output
