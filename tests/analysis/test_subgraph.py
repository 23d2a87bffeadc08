"""Subgraph selection: relation types, date ranges, neighbourhoods."""
from __future__ import annotations

import datetime as dt

import pytest
from analysis_fixtures import iri

from kgraph.analysis.subgraph import by_date, by_relation, select


def test_subgraph_by_relation_keeps_only_those_and_their_entities(tiny_graph):
    H = by_relation(tiny_graph, ["boycotted"])
    assert list(H.edges(keys=True)) == [(iri("OSDP"), iri("2021 legislative election"), "boycotted")]
    assert tiny_graph.number_of_edges() == 7  # input untouched
    with pytest.raises(ValueError, match="likes"):
        by_relation(tiny_graph, ["likes"])


@pytest.mark.parametrize("since, until, edges", [
    (None, None, 7),
    ("2021-01-01", None, 4),
    (None, dt.date(2020, 12, 31), 4),
    ("2020-12-03", "2020-12-03", 4),
    ("2022-01-01", None, 0),
])
def test_subgraph_by_date(tiny_graph, since, until, edges):
    assert by_date(tiny_graph, since, until).number_of_edges() == edges


def test_subgraph_by_date_trims_evidence(tiny_graph):
    H = by_date(tiny_graph, since="2021-01-01")
    evidence = H.edges[iri("Azat Peruashev"), iri("Aq Zhol"), "leads"]["evidence"]
    assert [e["date"] for e in evidence] == ["2021-01-05"]
    assert len(tiny_graph.edges[iri("Azat Peruashev"), iri("Aq Zhol"), "leads"]["evidence"]) == 2


def test_subgraph_bad_date_message(tiny_graph):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        by_date(tiny_graph, since="yesterday")


def test_subgraph_select_combines_filters(tiny_graph):
    H = select(tiny_graph, center=iri("Aq Zhol"), depth=2, relations=["memberOf", "leads"])
    assert iri("Nur Otan") not in H  # only reachable through expelledFrom
    assert set(H) == {iri(n) for n in ["Aq Zhol", "Azat Peruashev", "Mukhtar Ablyazov", "Nurzhan Altaev"]}
    lonely = select(tiny_graph, center=iri("Asar"), relations=["boycotted"])
    assert list(lonely) == [iri("Asar")]
