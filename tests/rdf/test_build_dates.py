"""Article dates at their precision in RDF: xsd:date, xsd:gYearMonth, xsd:gYear, all SHACL-valid."""
from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, XSD

from kgraph.model import Article, ArticleAnalysis
from kgraph.rdf.build import article_triples
from kgraph.rdf.validate import validate


@pytest.mark.parametrize(
    "precision, lexical, datatype",
    [("day", "2023-01-15", XSD.date), ("month", "2023-01", XSD.gYearMonth), ("year", "2023", XSD.gYear)],
)
def test_build_article_date_written_at_its_precision(precision, lexical, datatype):
    article = Article(id="d1", title="Dated", text="Some text.", date=dt.date(2023, 1, 15), date_precision=precision)
    graph = Graph()
    for triple in article_triples(ArticleAnalysis(article), {}):
        graph.add(triple)
    (date,) = list(graph.objects(None, DCTERMS.date))
    assert (str(date), date.datatype) == (lexical, datatype)
    report = validate(graph)
    assert report.conforms, report.text
