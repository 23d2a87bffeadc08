"""kgraph.rdf.federation: SERVICE clauses are spotted however they are written, and only those."""
from __future__ import annotations

import pytest

from kgraph.errors import QueryError
from kgraph.rdf.federation import refuse_service, uses_service


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\U00000053ervice <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { # comment\nSERVICE\n<http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE {SERVICE<http://x/>{?s ?p ?o}}",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    ],
)
def test_federation_service_is_spotted(query):
    assert uses_service(query)
    with pytest.raises(QueryError, match="allow-service"):
        refuse_service(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p ?o }",
        "PREFIX ex: <urn:x:> SELECT * WHERE { ?s ex:SERVICE ?o }",
        "PREFIX service: <urn:x:> SELECT * WHERE { ?s service:x ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>",
        "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
        "SELECT * WHERE { ?s ?p '''a\nSERVICE b''' }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    ],
)
def test_federation_other_uses_of_the_word_are_not_service(query):
    assert not uses_service(query)
    refuse_service(query)
