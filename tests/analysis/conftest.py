"""Fixtures of the analysis tests: the tiny knowledge graph of analysis_fixtures in a real store."""
from __future__ import annotations

import pytest
from analysis_fixtures import store_with


@pytest.fixture
def tiny_store():
    store = store_with()
    yield store
    store.close()


@pytest.fixture
def tiny_graph(tiny_store):
    from kgraph.analysis.projection import to_networkx

    return to_networkx(tiny_store)
