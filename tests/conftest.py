"""Shared fixtures: paths, and the seed corpus built once per session with the real model."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """An on-disk store holding the seed corpus, built once with the real pipeline."""
    import kgraph

    location = tmp_path_factory.mktemp("seed") / "kg.db"
    kg = kgraph.build(CORPUS, store=location)
    kg.close()
    return location


@pytest.fixture(scope="session")
def seed_kg():
    """The seed corpus built in memory with the real pipeline."""
    import kgraph

    kg = kgraph.build(CORPUS)
    yield kg
    kg.close()
