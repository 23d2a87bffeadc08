"""A tiny hand-made knowledge graph (two articles, ten entities) in a real store, for the analysis and viz tests.

The triples come from kgraph.model objects through ``kgraph.rdf.build`` (the same functions a
build uses), so the fixture follows the store layout of ARCHITECTURE.md.
"""
from __future__ import annotations

import datetime as dt

from kgraph.model import Article, ArticleAnalysis, Entity, LocalEntity, Relation
from kgraph.rdf.namespace import entity_iri

# name -> (type, wikidata, knowledge-base id): linked as a build would link them
ENTITIES = {
    "Darigha Nazarbaeva": ("Person", None, "actor:darigha-nazarbaeva"),
    "Azat Peruashev": ("Person", None, "actor:azat-peruashev"),
    "Mukhtar Ablyazov": ("Person", "Q4319775", "actor:mukhtar-ablyazov"),
    "Nurzhan Altaev": ("Person", None, "actor:nurzhan-altaev"),
    "Askhat Rakhimzhanov": ("Person", None, "actor:askhat-rakhimzhanov"),
    "Asar": ("PoliticalParty", None, "pf:5907"),
    "Aq Zhol": ("PoliticalParty", "Q1186246", "pf:3747"),
    "Nur Otan": ("PoliticalParty", None, "pf:3748"),
    "OSDP": ("PoliticalParty", None, "pf:3750"),
    "2021 legislative election": ("Election", None, None),
}

# (article id, title, date, [(subject, predicate, object, sentence, confidence)])
ARTICLES = [
    ("a1", "Parties line up before the vote", dt.date(2020, 12, 3), [
        ("Darigha Nazarbaeva", "leads", "Asar", "Asar is chaired by Darigha Nazarbaeva.", 0.9),
        ("Azat Peruashev", "leads", "Aq Zhol", "Aq Zhol leader Azat Peruashev spoke first.", 0.95),
        ("Nurzhan Altaev", "expelledFrom", "Nur Otan", "Nur Otan expelled Nurzhan Altaev last year.", 0.85),
        ("OSDP", "boycotted", "2021 legislative election", "OSDP said it would sit out the January poll.", 0.8),
    ]),
    ("a2", "Opposition regroups", dt.date(2021, 1, 5), [
        ("Azat Peruashev", "leads", "Aq Zhol", "Peruashev, who heads Aq Zhol, called for calm.", 0.9),
        ("Mukhtar Ablyazov", "memberOf", "Aq Zhol", "Mukhtar Ablyazov was once a member of Aq Zhol.", 0.7),
        ("Nurzhan Altaev", "memberOf", "Aq Zhol", "Nurzhan Altaev later joined Aq Zhol.", 0.75),
        ("Askhat Rakhimzhanov", "leads", "OSDP", "OSDP chairman Askhat Rakhimzhanov signed the letter.", 0.9),
    ]),
]


def canonical(name: str, entities: dict = ENTITIES) -> Entity:
    type_, wikidata, kb_id = entities[name]
    return Entity(iri=str(entity_iri(type_, name)), type=type_, label=name, wikidata=wikidata, kb_id=kb_id)


def make_changes(entities: dict = ENTITIES, articles: list = ARTICLES):
    """The Changes of a build of ``articles``: one named graph each, entities and direct
    relation triples in the default graph."""
    from kgraph.rdf.build import article_triples, entity_triples, relation_triple
    from kgraph.rdf.namespace import article_graph_iri
    from kgraph.rdf.store import Changes

    changes = Changes()
    default = []
    for name in entities:
        default += entity_triples(canonical(name, entities))
    for article_id, title, date, facts in articles:
        names = sorted({n for s, _, o, _, _ in facts for n in (s, o)})
        index = {name: i for i, name in enumerate(names)}
        text = " ".join(sentence for *_, sentence, _ in facts)
        relations, offset = [], 0
        for s, p, o, sentence, confidence in facts:
            relations.append(Relation(index[s], p, index[o], sentence, offset, offset + len(sentence),
                                      offset, offset + len(sentence), "fixture", confidence))
            offset += len(sentence) + 1
            default.append(relation_triple(canonical(s, entities), p, canonical(o, entities)))
        analysis = ArticleAnalysis(
            article=Article(id=article_id, title=title, text=text, date=date, source="fixture"),
            entities=[LocalEntity(index[n], entities[n][0], n) for n in names],
            relations=relations,
        )
        links = {index[n]: canonical(n, entities) for n in names}
        changes.replace_graphs[str(article_graph_iri(article_id))] = article_triples(analysis, links)
    changes.default_add = list(dict.fromkeys(default))
    return changes


def memory_store():
    """An in-memory store (the real default backend)."""
    from kgraph.rdf.store import open_store

    return open_store(None)


def store_with(entities: dict = ENTITIES, articles: list = ARTICLES):
    store = memory_store()
    store.apply(make_changes(entities, articles))
    return store


def iri(name: str) -> str:
    return canonical(name).iri
