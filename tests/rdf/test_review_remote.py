"""kgraph.review against a remote SPARQL store (a real `oxigraph serve` on loopback)."""
from __future__ import annotations

import pytest

from kgraph.graph import KnowledgeGraph
from kgraph.linking.kb import KnowledgeBase
from kgraph.rdf.store import open_store
from kgraph.rdf.sync import plan_build
from kgraph.review import Review, read_decisions, relation_id

from .conftest import DAWN, IVANOV, article_three
from .test_remote_store import OxigraphProcess, free_port

pytestmark = pytest.mark.server


def test_review_remote_store_reject_with_decisions_file(tmp_path):
    server = OxigraphProcess(tmp_path / "remote.db", free_port())
    try:
        store = open_store(server.url)
        store.apply(plan_build(store, [article_three()]))
        kg = KnowledgeGraph(store, kb=KnowledgeBase([]))
        review = Review(kg, decisions=tmp_path / "team.jsonl", agent="ana")
        assert review.path == tmp_path / "team.jsonl"
        review.reject(relation_id(IVANOV.iri, "expelledFrom", DAWN.iri), note="remote")
        assert not store.query(f"ASK {{ <{IVANOV.iri}> kg:expelledFrom <{DAWN.iri}> }}").boolean
        assert store.query("ASK { GRAPH kgid:reviews { ?r kg:reviewNote 'remote' } }").boolean
        assert [d.note for d in read_decisions(tmp_path / "team.jsonl")] == ["remote"]
        # without a file, a remote store keeps its decisions in its review graph only
        assert Review(kg).path is None and [d["status"] for d in Review(kg).log()] == ["applied"]
    finally:
        server.stop()
