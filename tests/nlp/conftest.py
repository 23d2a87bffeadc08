"""Fixtures for the NLP tests: a tiny in-memory knowledge base and (e2e) the real pipeline."""
from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class FakeEntity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    country: str | None = None


class FakeKB:
    """The two methods of KnowledgeBase the NLP layer uses, over a handful of entities."""

    def __init__(self, entities):
        self.entities = list(entities)

    def alias_table(self):
        for entity in self.entities:
            for alias in (entity.name, *entity.aliases):
                yield alias, entity


@pytest.fixture(scope="session")
def fake_kb():
    return FakeKB(
        [
            FakeEntity("p:1", "PoliticalParty", "Aq Zhol", ("Ak Zhol", "Bright Path")),
            FakeEntity("p:2", "PoliticalParty", "All-National Social Democratic Party", ("OSDP",)),
            FakeEntity("a:1", "Person", "Oleg Sidorov", ("Sidorov",)),
        ]
    )


@pytest.fixture(scope="session")
def real_nlp():
    from kgraph.nlp import load_pipeline

    return load_pipeline()
