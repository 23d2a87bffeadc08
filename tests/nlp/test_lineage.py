"""kgraph_lineage (kgraph/nlp/lineage.py): renames, mergers, splits, successions in text (real model)."""
from __future__ import annotations

import datetime as dt

import pytest

from kgraph.model import Article

pytestmark = pytest.mark.e2e


def _changes(nlp, text):
    from kgraph.nlp.pipeline import analyze_articles

    [analysis] = analyze_articles([Article(id="t", title="t", text=text, date=dt.date(2023, 1, 1))], nlp)
    names = lambda idx: [analysis.entities[i].name for i in idx]  # noqa: E731
    return [(c.kind, names(c.original), names(c.resulting), c.date) for c in analysis.changes]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nur Otan was renamed Amanat in March 2022.", ("rename", ["Nur Otan"], ["Amanat"], "2022-03")),
        ("Amanat, formerly Nur Otan, won the election.", ("rename", ["Nur Otan"], ["Amanat"], None)),
        ("Amanat (formerly known as Nur Otan) won the election.", ("rename", ["Nur Otan"], ["Amanat"], None)),
        ("The Civic Party was absorbed by Nur Otan in 2006.", ("merger", ["Civic Party", "Nur Otan"], ["Nur Otan"], "2006")),
        ("The Nationwide Social Democratic Party is the successor of the Democratic Choice of Kazakhstan.",
         ("succession", ["Democratic Choice of Kazakhstan"], ["Nationwide Social Democratic Party"], None)),
        ("Aq Zhol split from the Democratic Choice of Kazakhstan in 2002.",
         ("split", ["Democratic Choice of Kazakhstan"], ["Democratic Choice of Kazakhstan", "Aq Zhol"], "2002")),
    ],
)
def test_lineage_extracts_change_from_text(real_nlp, text, expected):
    assert expected in _changes(real_nlp, text)


def test_lineage_merged_into_and_relative_clause_rename(real_nlp):
    # invented parties: the KB folds the real "Otan" into Nur Otan already, so no rename is left
    found = _changes(real_nlp, "In 2006 the Civic Dawn party merged into the Unity Party, which was renamed Bright Path.")
    kinds = {(k, tuple(o), tuple(r)) for k, o, r, _ in found}
    assert ("merger", ("Civic Dawn", "Unity Party"), ("Unity Party",)) in kinds
    assert ("rename", ("Unity Party",), ("Bright Path",)) in kinds


@pytest.mark.parametrize("text", ["Nur Otan said Aq Zhol was weak.", "Aq Zhol members met Nur Otan officials once.",
                                  "Aq Zhol will merge into Nur Otan next year.", "Nur Otan was not renamed Amanat.",
                                  "Aq Zhol plans to merge into Nur Otan."])
def test_lineage_no_change_without_a_change_phrase(real_nlp, text):
    assert _changes(real_nlp, text) == []


def test_lineage_text_change_becomes_a_change_event_with_evidence(real_nlp):
    from kgraph.builder import build_articles
    from kgraph.rdf.validate import validate

    article = Article(id="r1", title="Rename", text="Nur Otan was renamed Amanat in March 2022.", date=dt.date(2022, 3, 2))
    with build_articles([article]) as graph:
        rows = graph.query("""SELECT ?kind ?date ?sentence ?a WHERE { ?e a org:ChangeEvent ; kg:changeKind ?kind ;
            dcterms:date ?date ; kg:sentence ?sentence ; prov:wasDerivedFrom ?a . ?a a kg:Article }""", dataframe=False)
        assert [(r["kind"], str(r["date"])) for r in rows] == [("rename", "2022-03")]
        assert rows[0]["sentence"] == article.text
        report = validate(graph.store)
        assert report.conforms, report.text
