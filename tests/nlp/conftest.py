"""Fixtures for the NLP tests: a tiny in-memory knowledge base and (e2e) the real pipeline."""
from __future__ import annotations

import pytest

from kgraph.linking.kb import KBEntity, KnowledgeBase


@pytest.fixture(scope="session")
def fake_kb():
    """A real KnowledgeBase over a handful of entities (injected, as a user's own KB would be)."""
    return KnowledgeBase(
        [
            KBEntity("p:1", "PoliticalParty", "Aq Zhol", ("Ak Zhol", "Bright Path")),
            KBEntity("p:2", "PoliticalParty", "All-National Social Democratic Party", ("OSDP",)),
            KBEntity("a:1", "Person", "Oleg Sidorov", ("Sidorov",)),
        ]
    )


@pytest.fixture(scope="session")
def real_nlp():
    from kgraph.nlp import load_pipeline

    return load_pipeline()
