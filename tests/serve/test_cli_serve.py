"""`kgraph serve` and `kgraph remove` through Typer: help with examples, one-line errors, removal."""
from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from kgraph.cli_serve import register


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer(add_completion=False)
    register(app)
    return app


@pytest.mark.parametrize("command", ["serve", "remove"])
def test_cli_serve_help_has_an_example(app, command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"kgraph {command}" in result.output


def test_cli_serve_missing_store_is_one_line_error(app, tmp_path):
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "missing"), "--port", "0"])
    assert result.exit_code == 1
    assert "does not exist" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_remove_drops_the_article_graph(app, tmp_path, make_built_store):
    from kgraph.rdf.namespace import article_graph_iri
    from kgraph.rdf.oxigraph_store import OxigraphStore

    location = make_built_store(tmp_path / "kg.db")
    result = CliRunner().invoke(app, ["remove", "t1", "--store", location])
    assert result.exit_code == 0, result.output
    store = OxigraphStore(location)
    try:
        assert str(article_graph_iri("t1")) not in store.graph_names()
        # the only fact supporting `leads` was in that article: the direct triple goes too
        assert store.query("ASK { ?p kg:leads ?o }").boolean is False
        assert store.query("ASK { ?p kg:memberOf ?o }").boolean is True  # t2's fact stays
    finally:
        store.close()


def test_cli_remove_unknown_article_is_one_line_error(app, tmp_path, make_store):
    location = make_store(tmp_path / "kg.db")
    result = CliRunner().invoke(app, ["remove", "no-such-article", "--store", location])
    assert result.exit_code == 2
    assert "no-such-article" in result.output and "Traceback" not in result.output
