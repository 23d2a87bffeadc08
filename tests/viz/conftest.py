"""Graphs for the drawing tests: the analysis tests' tiny graph, and one built from hostile articles."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hostile import HOSTILE_ARTICLES, HOSTILE_ENTITIES


def _analysis_fixtures():
    """The store helpers beside the analysis tests (one copy for both folders)."""
    if "analysis_fixtures" not in sys.modules:
        path = Path(__file__).parents[1] / "analysis" / "analysis_fixtures.py"
        spec = importlib.util.spec_from_file_location("analysis_fixtures", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["analysis_fixtures"] = module
    return sys.modules["analysis_fixtures"]


def graph_of(entities=None, articles=None):
    from kgraph.analysis.projection import to_networkx

    fixtures = _analysis_fixtures()
    store = fixtures.store_with(*(() if entities is None else (entities, articles)))
    try:
        return to_networkx(store)
    finally:
        store.close()


@pytest.fixture
def hostile_graph():
    return graph_of(HOSTILE_ENTITIES, HOSTILE_ARTICLES)


@pytest.fixture
def tiny_graph():
    return graph_of()
