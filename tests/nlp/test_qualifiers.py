"""Unit tests of kgraph.nlp.qualifiers (kgraph_time) on hand-parsed docs: the parse is not the point."""
from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.tokens import Doc

from kgraph.nlp.lexicon import load_lexicon
from kgraph.nlp.qualifiers import TimeScoper, parse_date_tokens, resolve_date

NLP = spacy.blank("en")
ARTICLE = dt.date(2020, 12, 3)


def _scope(words, heads, deps, pos, lemmas, rel, date=ARTICLE):
    scoper = TimeScoper(NLP, "kgraph_time")  # registers the Doc extensions it reads
    doc = Doc(NLP.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas,
              sent_starts=[True] + [False] * (len(words) - 1))
    rel = {"sent_start": 0, "sent_end": len(words), "rule": "test", "confidence": 0.9, **rel}
    doc._.kgraph_relations = [rel]
    doc._.kgraph_date = date.isoformat() if date else None
    scoper(doc)
    return rel["time"]


def test_qualifiers_plain_statement_is_observed_on_the_article_date():
    words = ["X", "leads", "Y"]
    time = _scope(words, [1, 1, 1], ["nsubj", "ROOT", "dobj"], ["PROPN", "VERB", "PROPN"], ["x", "lead", "y"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 0, "end": 3, "trigger": 1})
    assert time == {"observed": "2020-12-03", "start": None, "end": None}


@pytest.mark.parametrize("word", ["former", "erstwhile", "ex"])
def test_qualifiers_former_leader_ended_before_the_article(word):
    words = ["X", ",", "the", word, "leader", "of", "Y"]
    time = _scope(words, [0, 0, 4, 4, 0, 4, 5], ["ROOT", "punct", "det", "amod", "appos", "prep", "pobj"],
                  ["PROPN", "PUNCT", "DET", "ADJ", "NOUN", "ADP", "PROPN"], [w.lower() for w in words],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 0, "end": 7, "trigger": 4})
    assert time["ended"] is True and time["end"] is None and time["cues"] == [word]


def test_qualifiers_since_year_starts_the_relation():
    words = ["X", "has", "led", "Y", "since", "2019"]
    time = _scope(words, [2, 2, 2, 2, 2, 4], ["nsubj", "aux", "ROOT", "dobj", "prep", "pobj"],
                  ["PROPN", "AUX", "VERB", "PROPN", "ADP", "NUM"], ["x", "have", "lead", "y", "since", "2019"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 0, "end": 4, "trigger": 2})
    assert (time["start"], time["end"], time["cues"]) == ("2019", None, ["since"])


def test_qualifiers_from_to_gives_start_and_end():
    words = ["X", "led", "Y", "from", "2004", "to", "2007"]
    time = _scope(words, [1, 1, 1, 1, 3, 1, 5], ["nsubj", "ROOT", "dobj", "prep", "pobj", "prep", "pobj"],
                  ["PROPN", "VERB", "PROPN", "ADP", "NUM", "ADP", "NUM"], ["x", "lead", "y", "from", "2004", "to", "2007"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 0, "end": 3, "trigger": 1})
    assert (time["start"], time["end"]) == ("2004", "2007")


def test_qualifiers_newly_elected_chairman_started_about_the_article_month():
    words = ["the", "newly", "elected", "chairman", "X", "of", "Y"]
    time = _scope(words, [3, 2, 3, 3, 3, 3, 5], ["det", "advmod", "amod", "ROOT", "appos", "prep", "pobj"],
                  ["DET", "ADV", "VERB", "NOUN", "PROPN", "ADP", "PROPN"], ["the", "newly", "elect", "chairman", "x", "of", "y"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 3, "end": 7, "trigger": 3})
    assert time["start"] == "2020-12" and time["cues"] == ["newly"]


def test_qualifiers_ousted_as_leader_in_march_ended_then():
    words = ["X", "was", "ousted", "as", "leader", "of", "Y", "in", "March"]
    time = _scope(words, [2, 2, 2, 2, 3, 4, 5, 2, 7],
                  ["nsubjpass", "auxpass", "ROOT", "prep", "pobj", "prep", "pobj", "prep", "pobj"],
                  ["PROPN", "AUX", "VERB", "ADP", "NOUN", "ADP", "PROPN", "ADP", "PROPN"],
                  ["x", "be", "oust", "as", "leader", "of", "y", "in", "march"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 0, "end": 7, "trigger": 4})
    assert time["end"] == "2020-03" and "ended" not in time


def test_qualifiers_ousted_without_date_ended_by_the_article():
    words = ["X", "was", "ousted", "as", "leader", "of", "Y"]
    time = _scope(words, [2, 2, 2, 2, 3, 4, 5], ["nsubjpass", "auxpass", "ROOT", "prep", "pobj", "prep", "pobj"],
                  ["PROPN", "AUX", "VERB", "ADP", "NOUN", "ADP", "PROPN"], ["x", "be", "oust", "as", "leader", "of", "y"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 0, "end": 7, "trigger": 4})
    assert time["ended"] is True and time["end"] is None


def test_qualifiers_expulsion_ends_the_membership_on_its_date():
    # "Y said on December 2 that it had expelled X"
    words = ["Y", "said", "on", "December", "2", "that", "it", "had", "expelled", "X"]
    time = _scope(words, [1, 1, 1, 2, 3, 8, 8, 8, 1, 8],
                  ["nsubj", "ROOT", "prep", "pobj", "nummod", "mark", "nsubj", "aux", "ccomp", "dobj"],
                  ["PROPN", "VERB", "ADP", "PROPN", "NUM", "SCONJ", "PRON", "AUX", "VERB", "PROPN"],
                  ["y", "say", "on", "december", "2", "that", "it", "have", "expel", "x"],
                  {"subject": 1, "object": 0, "predicate": "expelledFrom", "start": 6, "end": 10, "trigger": 8})
    assert time["end"] == "2020-12-02"


def test_qualifiers_expulsion_without_date_ends_by_the_article():
    words = ["Y", "expelled", "X"]
    time = _scope(words, [1, 1, 1], ["nsubj", "ROOT", "dobj"], ["PROPN", "VERB", "PROPN"], ["y", "expel", "x"],
                  {"subject": 1, "object": 0, "predicate": "expelledFrom", "start": 0, "end": 3, "trigger": 1})
    assert time["end"] == "2020-12-03"


def test_qualifiers_date_of_another_clause_is_not_taken():
    # "X, who joined in 2010, leads Y": 2010 dates the joining, not the leading
    words = ["X", ",", "who", "joined", "in", "2010", ",", "leads", "Y"]
    time = _scope(words, [7, 0, 3, 0, 3, 4, 0, 7, 7],
                  ["nsubj", "punct", "nsubj", "relcl", "prep", "pobj", "punct", "ROOT", "dobj"],
                  ["PROPN", "PUNCT", "PRON", "VERB", "ADP", "NUM", "PUNCT", "VERB", "PROPN"],
                  ["x", ",", "who", "join", "in", "2010", ",", "lead", "y"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 7, "end": 9, "trigger": 7})
    assert time["start"] is None and time["end"] is None


def test_qualifiers_no_article_date_leaves_observed_empty():
    words = ["X", "leads", "Y"]
    time = _scope(words, [1, 1, 1], ["nsubj", "ROOT", "dobj"], ["PROPN", "VERB", "PROPN"], ["x", "lead", "y"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 0, "end": 3, "trigger": 1}, date=None)
    assert time["observed"] is None


@pytest.mark.parametrize(
    "text, expected",
    [("2019", "2019"), ("March 2019", "2019-03"), ("27 January 2004", "2004-01-27"), ("December 2", "2020-12-02"),
     ("last September", "2020-09"), ("December 25", "2019-12-25"), ("last year", "2019"), ("the party", None)],
)
def test_qualifiers_parse_date_tokens_at_the_text_precision(text, expected):
    assert parse_date_tokens(NLP(text), ARTICLE) == expected


def test_qualifiers_resolve_date_rejects_impossible_day():
    assert resolve_date(2021, 2, 30, None) == "2021-02"
    assert resolve_date(None, 5, None, None) is None


def test_qualifiers_words_live_in_the_lexicon():
    lex = load_lexicon("time")
    assert {"former", "since", "newly"} <= lex["ended_before"] | lex["start_preps"] | lex["started_about"]
    assert lex["months"]["march"] == 3


def test_qualifiers_pipeline_runs_after_relations():
    from kgraph.nlp.pipeline import COMPONENTS

    assert COMPONENTS.index("kgraph_time") == COMPONENTS.index("kgraph_relations") + 1


def test_qualifiers_event_of_the_subject_does_not_end_the_relation():
    # "Party leader X withdrew from the race": the withdrawal is X's, the leadership goes on
    words = ["Party", "leader", "X", "withdrew", "from", "the", "race"]
    time = _scope(words, [1, 2, 3, 3, 3, 6, 4], ["compound", "compound", "nsubj", "ROOT", "prep", "det", "pobj"],
                  ["NOUN", "NOUN", "PROPN", "VERB", "ADP", "DET", "NOUN"], ["party", "leader", "x", "withdraw", "from", "the", "race"],
                  {"subject": 0, "object": 1, "predicate": "leads", "start": 0, "end": 3, "trigger": 1})
    assert "ended" not in time and time["end"] is None


def test_qualifiers_reduced_precision_article_date_is_observed_at_its_precision():
    from kgraph.nlp.qualifiers import _article_date, _observed

    assert _article_date("2023-01") == dt.date(2023, 1, 1)
    assert _observed("2023-01", _article_date("2023-01")) == "2023-01"
    assert _observed("2023", _article_date("2023")) == "2023"
    assert _observed("2023-01-05", _article_date("2023-01-05")) == "2023-01-05"
