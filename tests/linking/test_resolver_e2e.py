"""Cross-article resolution on real articles with the real model: the same IRIs whatever the
order of the articles and the number of NLP workers, and the seed links kept."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

MENTIONS = """SELECT ?article ?begin ?end ?entity WHERE {
  ?m a kg:Mention ; kg:inArticle ?a ; kg:beginIndex ?begin ; kg:endIndex ?end ; kg:refersTo ?entity .
  ?a kg:articleId ?article }"""
SAME_AS = "SELECT ?entity ?wd WHERE { ?entity owl:sameAs ?wd }"


def _articles():
    from kgraph.corpus import read_articles

    root = Path(__file__).resolve().parents[2]
    return list(read_articles([root / "corpus", root / "tests" / "data" / "synthetic_news.jsonl"]))


def _graph_facts(articles, workers):
    from kgraph.builder import build_articles

    with build_articles(articles, workers=workers) as kg:
        mentions = {tuple(str(v) for v in row.values()) for row in kg.query(MENTIONS, dataframe=False)}
        same_as = {tuple(str(v) for v in row.values()) for row in kg.query(SAME_AS, dataframe=False)}
    return mentions, same_as


def test_resolver_e2e_same_iris_in_any_order_and_any_number_of_workers():
    articles = _articles()
    assert len(articles) >= 10
    forward = _graph_facts(articles, workers=1)
    backward = _graph_facts(articles[::-1], workers=2)
    assert forward[0] and forward == backward


def test_resolver_e2e_seed_links_kept(seed_kg):
    rows = seed_kg.query(SAME_AS, dataframe=False)
    assert ("https://w3id.org/kgraph/id/party/aq-zhol", "http://www.wikidata.org/entity/Q1186246") in {
        (str(r["entity"]), str(r["wd"])) for r in rows
    }
    people = seed_kg.query(
        "SELECT DISTINCT ?p WHERE { ?m kg:refersTo ?p ; kg:anchorText ?t . ?p a kg:Person . "
        "FILTER(CONTAINS(LCASE(?t), 'nazarba')) }", dataframe=False)
    labels = {str(seed_kg.query(f"SELECT ?l WHERE {{ <{r['p']}> rdfs:label ?l }}", dataframe=False)[0]["l"]) for r in people}
    assert labels == {"Nursultan Nazarbaev", "Darigha Nazarbaeva"}
