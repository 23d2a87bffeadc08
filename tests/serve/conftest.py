"""A small hand-made store in the kgraph layout, and a running read-only server over it."""
from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF, RDFS

from kgraph.rdf.namespace import ID, KG, article_graph_iri, article_iri
from kgraph.rdf.store import Changes

LEADER = ID["person/amina-korlan"]
MEMBER = ID["person/boris-tamm"]
PARTY = ID["party/green-valley-party"]
FACT = ID["fact/t1/0001"]
ARTICLE = "t1"


def sample_changes() -> Changes:
    """Two people, a party, `leads` and `memberOf` in the default graph, one article graph
    with the fact behind `leads`, and 300 filler triples so a cross product explodes."""
    graph = str(article_graph_iri(ARTICLE))
    art = article_iri(ARTICLE)
    article = [
        (art, RDF.type, KG.Article),
        (art, KG.articleId, Literal(ARTICLE)),
        (FACT, RDF.type, KG.Fact),
        (FACT, RDF.subject, LEADER),
        (FACT, RDF.predicate, KG.leads),
        (FACT, RDF.object, PARTY),
        (FACT, PROV.wasDerivedFrom, art),
        (FACT, KG.sentence, Literal("Amina Korlan has led the Green Valley Party since spring.")),
    ]
    article += [(ID[f"filler/{i}"], RDFS.comment, Literal(f"filler {i}")) for i in range(300)]
    default = [
        (LEADER, RDF.type, KG.Person), (LEADER, RDFS.label, Literal("Amina Korlan")),
        (MEMBER, RDF.type, KG.Person), (MEMBER, RDFS.label, Literal("Boris Tamm")),
        (PARTY, RDF.type, KG.PoliticalParty), (PARTY, RDFS.label, Literal("Green Valley Party")),
        (LEADER, KG.leads, PARTY),
        (MEMBER, KG.memberOf, PARTY),
    ]
    return Changes(replace_graphs={graph: article}, default_add=default)


def write_store(path) -> str:
    from kgraph.rdf.oxigraph_store import OxigraphStore

    store = OxigraphStore(path)
    store.apply(sample_changes())
    store.close()
    return str(path)


@pytest.fixture(scope="session")
def make_store():
    """Writes the sample store into a directory and returns its path."""
    return write_store


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> str:
    return write_store(tmp_path_factory.mktemp("serve") / "kg.db")


@pytest.fixture(scope="module")
def server(store_dir):
    from kgraph.serve import start_server

    srv = start_server(store_dir, port=0, timeout_s=2)
    yield srv
    srv.stop()


def _analysis(article_id: str, text: str, people: list[tuple[str, str]], relation: tuple[int, str, int]):
    """A hand-made analysis: local entities (name, type) found in ``text``, one relation over the whole text."""
    import datetime as dt

    from kgraph.model import Article, ArticleAnalysis, LocalEntity, Mention, Relation

    entities, mentions = [], []
    for index, (name, type_) in enumerate(people):
        start = text.index(name)
        entities.append(LocalEntity(index, type_, name))
        mentions.append(Mention(start, start + len(name), name, type_, index))
    s, p, o = relation
    relations = [Relation(s, p, o, text, 0, len(text), 0, len(text), "test-rule", 0.9)]
    article = Article(id=article_id, title=f"Story {article_id}", text=text, date=dt.date(2031, 3, 4), source="Test Wire")
    return ArticleAnalysis(article=article, entities=entities, mentions=mentions, relations=relations)


def built_items():
    """Two articles through the real RDF layer: t1 says who leads the party, t2 who is a member."""
    from kgraph.model import Entity

    leader = Entity(str(LEADER), "Person", "Amina Korlan")
    member = Entity(str(MEMBER), "Person", "Boris Tamm")
    party = Entity(str(PARTY), "PoliticalParty", "Green Valley Party")
    one = _analysis("t1", "Amina Korlan has led the Green Valley Party since spring.",
                    [("Amina Korlan", "Person"), ("Green Valley Party", "PoliticalParty")], (0, "leads", 1))
    two = _analysis("t2", "Boris Tamm joined the Green Valley Party as a member.",
                    [("Boris Tamm", "Person"), ("Green Valley Party", "PoliticalParty")], (0, "memberOf", 1))
    return [(one, {0: leader, 1: party}), (two, {0: member, 1: party})]


def write_built_store(path) -> str:
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.rdf.sync import plan_build

    store = OxigraphStore(path)
    store.apply(plan_build(store, built_items()))
    store.close()
    return str(path)


@pytest.fixture(scope="session")
def make_built_store():
    """Writes the two hand-made articles through kgraph.rdf.sync and returns the store path."""
    return write_built_store
