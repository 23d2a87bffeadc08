"""Co-mention edges: entities named in one sentence connect a path when no relation does."""
from __future__ import annotations

import datetime as dt

import pytest

from kgraph.analysis.paths import connection
from kgraph.analysis.projection import COMENTION, to_networkx
from kgraph.model import Article, ArticleAnalysis, Entity, LocalEntity, Mention, Relation
from kgraph.rdf.build import article_triples, entity_triples, relation_triple
from kgraph.rdf.namespace import article_graph_iri, entity_iri
from kgraph.rdf.store import Changes, open_store

TEXT = "Ana Ruiz leads the Blue Party. Ana Ruiz met Tom Bell of the Red Party on Monday."
NAMES = [("Ana Ruiz", "Person"), ("Blue Party", "PoliticalParty"), ("Tom Bell", "Person"), ("Red Party", "PoliticalParty")]


def _mention(text: str, entity: int, type_: str, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    sentence_end = TEXT.index(".") + 1
    s_start, s_end = (0, sentence_end) if start < sentence_end else (sentence_end + 1, len(TEXT))
    return Mention(start, start + len(text), text, type_, entity, sentence_start=s_start, sentence_end=s_end)


@pytest.fixture()
def store():
    article = Article(id="c1", title="Meeting", text=TEXT, date=dt.date(2024, 5, 6))
    locals_ = [LocalEntity(i, t, n, [n]) for i, (n, t) in enumerate(NAMES)]
    mentions = [
        _mention("Ana Ruiz", 0, "Person"), _mention("Blue Party", 1, "PoliticalParty"),
        _mention("Ana Ruiz", 0, "Person", 1), _mention("Tom Bell", 2, "Person"), _mention("Red Party", 3, "PoliticalParty"),
    ]
    first_sentence = TEXT[: TEXT.index(".") + 1]
    relations = [Relation(0, "leads", 1, first_sentence, 0, len(first_sentence), 0, 29, "test", 0.9)]
    analysis = ArticleAnalysis(article, locals_, mentions, relations)
    links = {i: Entity(str(entity_iri(t, n)), t, n, {n}) for i, (n, t) in enumerate(NAMES)}
    changes = Changes(replace_graphs={str(article_graph_iri("c1")): article_triples(analysis, links)})
    for entity in links.values():
        changes.default_add += entity_triples(entity)
    changes.default_add.append(relation_triple(links[0], "leads", links[1]))
    the_store = open_store(None)
    the_store.apply(changes)
    yield the_store, links
    the_store.close()


def test_comention_edges_only_when_asked(store):
    the_store, links = store
    assert not [k for *_, k in to_networkx(the_store).edges(keys=True) if k == COMENTION]
    G = to_networkx(the_store, comentions=True)
    pairs = {frozenset((u, v)) for u, v, k in G.edges(keys=True) if k == COMENTION}
    ana, blue, tom, red = (links[i].iri for i in range(4))
    assert frozenset((ana, tom)) in pairs and frozenset((tom, red)) in pairs and frozenset((ana, blue)) in pairs
    assert frozenset((blue, tom)) not in pairs  # different sentences


def test_comention_path_falls_back_with_sentence(store):
    the_store, links = store
    G = to_networkx(the_store, comentions=True)
    hops = connection(G, links[1].iri, links[3].iri)
    assert [h["relation"] for h in hops] == ["leads", COMENTION]  # Blue -> Ana -> Red
    assert hops[0]["direction"] == "backward" and hops[1]["direction"] == "co-mention"
    assert hops[1]["sentence"] == "Ana Ruiz met Tom Bell of the Red Party on Monday."


def test_comention_relation_preferred_over_comention(store):
    the_store, links = store
    G = to_networkx(the_store, comentions=True)
    hops = connection(G, links[0].iri, links[1].iri)
    assert [h["relation"] for h in hops] == ["leads"]
