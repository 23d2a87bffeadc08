"""Tiny hand-written articles, analyses and entities for the RDF layer's tests (no spaCy)."""
from __future__ import annotations

import datetime as dt

import pytest

from kgraph.model import Article, ArticleAnalysis, Entity, LocalEntity, Mention, Relation

ID = "https://w3id.org/kgraph/id/"
VOLKOVA = Entity(iri=ID + "person/maria-volkova", type="Person", label="Maria Volkova")
DAWN = Entity(iri=ID + "party/green-dawn", type="PoliticalParty", label="Green Dawn", wikidata="Q999001", kb_id="gd")
VOTE = Entity(iri=ID + "election/xyz-2030-legislative", type="Election", label="2030 legislative election")
IVANOV = Entity(iri=ID + "person/petr-ivanov", type="Person", label="Petr Ivanov")


def make_analysis(article_id: str, text: str, entities: list[tuple[LocalEntity, list[tuple[str, str]]]],
                  relations: list[tuple[int, str, int, str]], date=dt.date(2030, 5, 1)) -> ArticleAnalysis:
    """An analysis of ``text``: each local entity with its (surface, kind) mentions located by
    ``str.find`` (successive occurrences), each relation (subject, predicate, object, sentence)."""
    mentions = []
    cursor: dict[str, int] = {}
    for local, surfaces in entities:
        for surface, kind in surfaces:
            start = text.index(surface, cursor.get(surface, 0))
            cursor[surface] = start + 1
            mentions.append(Mention(start, start + len(surface), surface, local.type, local.index, kind))
    rels = []
    for s, p, o, sentence in relations:
        begin = text.index(sentence)
        rels.append(Relation(s, p, o, sentence, begin, begin + len(sentence), begin, begin + len(sentence) - 1, "test-rule", 0.9))
    article = Article(id=article_id, title=f"Title of {article_id}", text=text, date=date, source="Test Wire",
                      url=f"https://example.org/{article_id}")
    return ArticleAnalysis(article=article, entities=[e for e, _ in entities], mentions=mentions, relations=rels)


def article_one() -> tuple[ArticleAnalysis, dict[int, Entity]]:
    text = "Maria Volkova leads the Green Dawn party. Volkova said she was proud."
    analysis = make_analysis(
        "a1", text,
        [(LocalEntity(0, "Person", "Maria Volkova"), [("Maria Volkova", "name"), ("Volkova", "name"), ("she", "pronoun")]),
         (LocalEntity(1, "PoliticalParty", "Green Dawn", kb_id="gd", kb_score=0.95), [("Green Dawn", "name")])],
        [(0, "leads", 1, "Maria Volkova leads the Green Dawn party.")],
    )
    return analysis, {0: VOLKOVA, 1: DAWN}


def article_two() -> tuple[ArticleAnalysis, dict[int, Entity]]:
    text = "The Dawn boycotted the 2030 vote. Party chief M. Volkova leads the Dawn, aides said."
    analysis = make_analysis(
        "a2", text,
        [(LocalEntity(0, "PoliticalParty", "Dawn", kb_id="gd", kb_score=0.8), [("Dawn", "alias"), ("Dawn", "alias")]),
         (LocalEntity(1, "Election", "2030 vote", key="election:XYZ:2030:legislative"), [("2030 vote", "name")]),
         (LocalEntity(2, "Person", "M. Volkova"), [("M. Volkova", "name")])],
        [(0, "boycotted", 1, "The Dawn boycotted the 2030 vote."),
         (2, "leads", 0, "Party chief M. Volkova leads the Dawn, aides said.")],
        date=dt.date(2030, 6, 2),
    )
    return analysis, {0: DAWN, 1: VOTE, 2: VOLKOVA}


def article_three() -> tuple[ArticleAnalysis, dict[int, Entity]]:
    text = "Petr Ivanov was expelled from Green Dawn."
    analysis = make_analysis(
        "a3", text,
        [(LocalEntity(0, "Person", "Petr Ivanov"), [("Petr Ivanov", "name")]),
         (LocalEntity(1, "PoliticalParty", "Green Dawn", kb_id="gd", kb_score=1.0), [("Green Dawn", "name")])],
        [(0, "expelledFrom", 1, "Petr Ivanov was expelled from Green Dawn.")],
    )
    return analysis, {0: IVANOV, 1: DAWN}


@pytest.fixture
def items():
    return [article_one(), article_two(), article_three()]


@pytest.fixture(params=["oxigraph", "memory"])
def store(request):
    from kgraph.rdf.memory_store import MemoryStore
    from kgraph.rdf.oxigraph_store import OxigraphStore

    s = OxigraphStore() if request.param == "oxigraph" else MemoryStore()
    yield s
    s.close()


@pytest.fixture
def built(store, items):
    """A store holding the three fixture articles."""
    from kgraph.rdf.sync import plan_build

    store.apply(plan_build(store, items))
    return store
