"""Shared fixtures: paths, and the seed corpus built once per session with the real model."""
from __future__ import annotations

import socket
import threading
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


class _Listener:
    """A loopback TCP listener that records whether anything connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    probe = _Listener()
    yield probe
    probe.close()
