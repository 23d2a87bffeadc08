"""kgraph.build and KnowledgeGraph: every user mistake is a KGraphError with the fix in its message,
raised before any work (no model load, no store written)."""
from __future__ import annotations

from pathlib import Path

import pytest

import kgraph
from kgraph.errors import ArgumentError, ArgumentTypeError, ArticleError, ConfigError, InputError, KGraphError, QueryError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"paths": 123}, ArgumentTypeError, "paths"),
        ({"paths": None}, ArgumentTypeError, "paths"),
        ({"paths": [CORPUS, 5]}, ArgumentTypeError, "paths"),
        ({"workers": "2"}, ArgumentTypeError, "workers"),
        ({"workers": 0}, ArgumentError, "workers"),
        ({"workers": True}, ArgumentTypeError, "workers"),
        ({"commit_every": 0}, ArgumentError, "commit_every"),
        ({"commit_every": "5"}, ArgumentTypeError, "commit_every"),
        ({"on_error": "x"}, ArgumentTypeError, "on_error"),
        ({"progress": 3}, ArgumentTypeError, "progress"),
        ({"out": 123}, ArgumentTypeError, "out"),
        ({"out": "graph.docx"}, ConfigError, ".trig"),
        ({"engine": 7}, ArgumentTypeError, "engine"),
        ({"model": 7}, ArgumentTypeError, "model"),
        ({"kb_files": 7}, ArgumentTypeError, "kb_files"),
        ({"store": 3.5}, ArgumentTypeError, "store"),
    ],
)
def test_builder_bad_arguments_raise_kgraph_errors_with_the_fix(kwargs, error, words):
    kwargs = {"paths": CORPUS, **kwargs}
    paths = kwargs.pop("paths")
    with pytest.raises(error) as caught:
        kgraph.build(paths, **kwargs)
    assert isinstance(caught.value, KGraphError)
    message = str(caught.value)
    assert words in message and "\n" not in message


def test_builder_type_errors_are_also_python_type_errors():
    with pytest.raises(TypeError):
        kgraph.build(123)
    with pytest.raises(ValueError):
        kgraph.build(CORPUS, commit_every=0)


def test_builder_missing_folder_is_an_error_not_an_empty_graph(tmp_path):
    with pytest.raises(ArticleError, match="no such file or folder"):
        kgraph.build(tmp_path / "missing_dir")


@pytest.mark.parametrize(
    "options",
    [{"out": "folder"}, {"out": "graph.docx"}, {"out": "nowhere/graph.trig"}, {"engine": "spark"},
     {"model": "no_such_model_xyz"}],
)
def test_builder_bad_arguments_refused_before_the_store_is_written(tmp_path, options):
    from kgraph.errors import ModelError

    (tmp_path / "folder").mkdir()
    store = tmp_path / "kg.db"
    options = {k: str(tmp_path / v) if k == "out" else v for k, v in options.items()}
    with pytest.raises((InputError, ConfigError, ModelError)) as caught:
        kgraph.build(CORPUS, store=store, **options)
    assert "\n" not in str(caught.value)
    assert not store.exists()  # refused before any work


@pytest.fixture(scope="module")
def memory_kg():
    from kgraph.graph import KnowledgeGraph
    from kgraph.rdf.store import open_store

    kg = KnowledgeGraph(open_store(None))
    yield kg
    kg.close()


@pytest.mark.parametrize("value", [None, 42, b"SELECT"])
def test_graph_query_of_a_non_string_is_a_query_error(memory_kg, value):
    with pytest.raises(QueryError, match="SPARQL"):
        memory_kg.query(value)


@pytest.mark.parametrize("value", [None, 42, ""])
def test_graph_resolve_of_a_non_name_is_an_input_error(memory_kg, value):
    with pytest.raises(InputError, match="name"):
        memory_kg.resolve(value)
    with pytest.raises(InputError, match="name"):
        memory_kg.explain(value)
