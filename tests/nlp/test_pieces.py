"""kgraph.nlp.pieces: long texts cut at natural boundaries, their analyses joined with offsets in Article.text."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kgraph.model import Article, ArticleAnalysis, LocalEntity, Mention, Relation
from kgraph.nlp.pieces import join_analyses, split_text

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _covers(text, pieces, limit):
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    assert all(0 < end - start <= limit for start, end in pieces)


def test_pieces_split_prefers_paragraphs_then_sentences_then_spaces():
    para = "First sentence here. Second sentence here.\n\n"
    text = para * 10
    pieces = split_text(text, limit=100)
    _covers(text, pieces, 100)
    assert all(text[start:end].endswith("\n\n") for start, end in pieces[:-1])
    text = "One sentence ends here. " * 20
    pieces = split_text(text, limit=100)
    _covers(text, pieces, 100)
    assert all(text[start:end].endswith(". ") for start, end in pieces[:-1])
    text = "word " * 100
    pieces = split_text(text, limit=33)
    _covers(text, pieces, 33)
    assert all(text[start:end].endswith(" ") for start, end in pieces[:-1])


def test_pieces_split_a_line_without_spaces_at_the_limit():
    text = "x" * 2_000_000
    pieces = split_text(text, limit=100_000)
    _covers(text, pieces, 100_000)
    assert len(pieces) == 20


def test_pieces_split_20_mb_is_linear_and_covers_the_text():
    text = ("A sentence of an article. " * 40 + "\n\n") * 20_000
    assert len(text) > 20_000_000
    pieces = split_text(text)
    _covers(text, pieces, 100_000)


def _part(text: str, names: list[tuple[str, str, str | None]], relation: tuple[int, str, int]) -> ArticleAnalysis:
    entities, mentions = [], []
    for index, (name, type_, kb_id) in enumerate(names):
        start = text.index(name)
        entities.append(LocalEntity(index, type_, name, [name], kb_id))
        mentions.append(Mention(start, start + len(name), name, type_, index, "name", 0, len(text)))
    s, p, o = relation
    article = Article(id="x", title="t", text=text)
    rel = Relation(s, p, o, text, 0, len(text), 0, len(text), "rule", 0.9, text.index(" "), text.index(" ") + 1)
    return ArticleAnalysis(article, entities, mentions, [rel])


def test_pieces_join_shifts_offsets_and_merges_shared_entities():
    one = "Ann Lee leads the Blue Party. "
    two = "Bo Chan joined the Blue Party."
    text = one + two
    article = Article(id="x", title="t", text=text)
    parts = [
        (0, _part(one, [("Ann Lee", "Person", None), ("Blue Party", "PoliticalParty", "p:1")], (0, "leads", 1))),
        (len(one), _part(two, [("Bo Chan", "Person", None), ("Blue Party", "PoliticalParty", "p:1")], (0, "memberOf", 1))),
    ]
    joined = join_analyses(article, parts)
    assert [e.name for e in joined.entities] == ["Ann Lee", "Blue Party", "Bo Chan"]
    assert [e.index for e in joined.entities] == [0, 1, 2]
    for mention in joined.mentions:
        assert text[mention.start:mention.end] == mention.text
        assert joined.entities[mention.entity].name == mention.text
    leads, member = joined.relations
    assert (leads.subject, leads.object, member.subject, member.object) == (0, 1, 2, 1)
    assert text[member.sentence_start:member.sentence_end] == member.sentence == two
    assert text[member.trigger_start:member.trigger_end] == " "


@pytest.mark.e2e
def test_pieces_long_article_analysed_in_pieces_with_offsets_into_its_text(real_nlp):
    """The real model on a seed article made "too long" (max_length lowered): the facts found in
    pieces point into Article.text, and match those of the whole text."""
    from kgraph.corpus import read_articles
    from kgraph.nlp import analyze_articles

    article = next(read_articles(CORPUS / "004_aq-zhol-stops-accepting-members.md"))
    whole = next(analyze_articles([article], real_nlp))
    saved = real_nlp.max_length
    real_nlp.max_length = 1200
    try:
        pieced = next(analyze_articles([article], real_nlp, piece_chars=700))
    finally:
        real_nlp.max_length = saved
    assert len(article.text) > 1200
    text = article.text
    for mention in pieced.mentions:
        assert text[mention.start:mention.end] == mention.text
    for relation in pieced.relations:
        assert text[relation.sentence_start:relation.sentence_end] == relation.sentence
        assert relation.sentence_start <= relation.start < relation.end <= relation.sentence_end

    def facts(analysis):
        return {(analysis.entities[r.subject].name, r.predicate, analysis.entities[r.object].name, r.start, r.end)
                for r in analysis.relations}

    # pieces of 700 characters lose context across cuts (an election's year, a pronoun's antecedent),
    # but facts stated inside one piece come out the same, at the same offsets
    assert ("Azat Peruashev", "leads", "Aq Zhol") in {f[:3] for f in facts(pieced) & facts(whole)}
    assert len(facts(pieced) & facts(whole)) >= len(facts(whole)) // 2


@pytest.mark.e2e
def test_pieces_reduced_precision_date_reaches_election_resolution(real_nlp):
    """An article dated only "2020" (month unknown): "the December elections" it reports as past
    are 2020's, not moved a year back as for an article dated 1 January 2020."""
    from kgraph.nlp import analyze_articles

    text = "Kazakhstan's ruling party won the December elections, officials said on Monday."
    by_year = Article(id="y", title="t", text=text, date=dt.date(2020, 1, 1), date_precision="year")
    by_month = replace(by_year, date_precision="month")

    def election_keys(article):
        return {e.key for e in next(analyze_articles([article], real_nlp)).entities if e.type == "Election"}

    assert election_keys(by_year) == {"election:KAZ:2020:legislative"}
    assert election_keys(by_month) == {"election:KAZ:2019:legislative"}


def test_pieces_join_renumbers_bodies_sources_and_changes():
    from kgraph.model import Article, ArticleAnalysis, Change, LocalEntity, Relation
    from kgraph.nlp.pieces import join_analyses

    article = Article(id="a", title="", text="x" * 200)
    first = ArticleAnalysis(article=article, entities=[LocalEntity(0, "Person", "Ann Lee")])
    second = ArticleAnalysis(
        article=article,
        entities=[LocalEntity(0, "PoliticalParty", "Green Party"), LocalEntity(1, "Organization", "Green Party council", parent=0),
                  LocalEntity(2, "Person", "Ann Lee"), LocalEntity(3, "PoliticalParty", "Greens")],
        relations=[Relation(2, "leads", 1, "s", 0, 5, 0, 5, "r", 0.9, qualifiers={"assertion": {"mode": "reported", "source": 0}})],
        changes=[Change("rename", [3], [0], "s", 0, 5, 0, 5, "r", continues=3)],
    )
    joined = join_analyses(article, [(0, first), (100, second)])
    names = [e.name for e in joined.entities]
    party, council, greens = names.index("Green Party"), names.index("Green Party council"), names.index("Greens")
    assert joined.entities[council].parent == party
    assert joined.relations[0].subject == names.index("Ann Lee") == 0
    assert joined.relations[0].qualifiers["assertion"]["source"] == party
    change = joined.changes[0]
    assert (change.original, change.resulting, change.continues, change.start) == ([greens], [party], greens, 100)
