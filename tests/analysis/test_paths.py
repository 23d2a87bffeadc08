"""Connections with evidence per hop, and ego networks."""
from __future__ import annotations

import pytest
from analysis_fixtures import iri

from kgraph.analysis.paths import connection, ego, format_connection, neighbors_table
from kgraph.errors import EntityNotFoundError


def test_paths_connection_reports_each_hop_with_its_sentence(tiny_graph):
    hops = connection(tiny_graph, iri("Mukhtar Ablyazov"), iri("Nur Otan"))
    assert format_connection(hops) == "Mukhtar Ablyazov -> Aq Zhol -> Nurzhan Altaev -> Nur Otan"
    assert [(h["relation"], h["direction"]) for h in hops] == [
        ("memberOf", "forward"), ("memberOf", "backward"), ("expelledFrom", "forward")]
    assert hops[0]["sentence"] == "Mukhtar Ablyazov was once a member of Aq Zhol."
    assert hops[1]["subject_label"] == "Nurzhan Altaev" and hops[1]["object_label"] == "Aq Zhol"
    assert hops[2]["title"] == "Parties line up before the vote" and hops[2]["date"] == "2020-12-03"


def test_paths_connection_picks_best_evidence_but_keeps_all(tiny_graph):
    hops = connection(tiny_graph, iri("Azat Peruashev"), iri("Aq Zhol"))
    assert len(hops) == 1
    assert hops[0]["sentence"] == "Aq Zhol leader Azat Peruashev spoke first."  # confidence 0.95
    assert len(hops[0]["evidence"]) == 2


def test_paths_no_connection_is_empty(tiny_graph):
    assert connection(tiny_graph, iri("Asar"), iri("Aq Zhol")) == []
    assert connection(tiny_graph, iri("Asar"), iri("Asar")) == []


def test_paths_unknown_node_raises_entity_not_found(tiny_graph):
    with pytest.raises(EntityNotFoundError, match="nobody"):
        connection(tiny_graph, "https://w3id.org/kgraph/id/person/nobody", iri("Asar"))


def test_paths_ego_depth(tiny_graph):
    assert set(ego(tiny_graph, iri("Aq Zhol"), 0)) == {iri("Aq Zhol")}
    first = set(ego(tiny_graph, iri("Aq Zhol"), 1))
    assert first == {iri(n) for n in ["Aq Zhol", "Azat Peruashev", "Mukhtar Ablyazov", "Nurzhan Altaev"]}
    assert iri("Nur Otan") in ego(tiny_graph, iri("Aq Zhol"), 2)
    with pytest.raises(ValueError):
        ego(tiny_graph, iri("Aq Zhol"), -1)


def test_paths_neighbors_table(tiny_graph):
    rows = neighbors_table(tiny_graph, iri("Nurzhan Altaev"), 2)
    by_label = {r["label"]: r for r in rows}
    assert by_label["Nur Otan"]["distance"] == 1 and by_label["Nur Otan"]["relation"] == "expelledFrom"
    assert by_label["Azat Peruashev"]["distance"] == 2
    assert by_label["Azat Peruashev"]["via_label"] == "Aq Zhol"
    assert by_label["Azat Peruashev"]["direction"] == "backward"  # Peruashev leads Aq Zhol, reached from Aq Zhol
    assert by_label["Azat Peruashev"]["sentence"] in {
        "Aq Zhol leader Azat Peruashev spoke first.", "Peruashev, who heads Aq Zhol, called for calm."}
    assert [r["distance"] for r in rows] == sorted(r["distance"] for r in rows)
