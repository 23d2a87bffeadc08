"""Unit tests of kgraph.nlp.relations.is_asserted on hand-parsed docs (the parse is not the point)."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kgraph.nlp.relations import is_asserted

VOCAB = spacy.blank("en").vocab


def _doc(words, heads, deps, lemmas=None):
    return Doc(VOCAB, words=words, heads=heads, deps=deps, lemmas=lemmas or [w.lower() for w in words],
               sent_starts=[True] + [False] * (len(words) - 1))


def test_relations_plain_past_statement_is_asserted():
    doc = _doc(["OSDP", "boycotted", "the", "poll", "."], [1, 1, 3, 1, 1], ["nsubj", "ROOT", "det", "dobj", "punct"],
               ["osdp", "boycott", "the", "poll", "."])
    assert is_asserted(doc[1])


@pytest.mark.parametrize("aux", ["will", "may", "could", "would"])
def test_relations_modal_or_future_is_not_asserted(aux):
    doc = _doc(["OSDP", aux, "boycott", "the", "poll"], [2, 2, 2, 4, 2], ["nsubj", "aux", "ROOT", "det", "dobj"])
    assert not is_asserted(doc[2])


def test_relations_negated_is_not_asserted():
    doc = _doc(["X", "did", "not", "join", "Y"], [3, 3, 3, 3, 3], ["nsubj", "aux", "neg", "ROOT", "dobj"])
    assert not is_asserted(doc[3])


@pytest.mark.parametrize("verb", ["plan", "threaten", "refuse", "want"])
def test_relations_under_intention_verb_is_not_asserted(verb):
    # "Y plans to expel X"
    doc = _doc(["Y", verb, "to", "expel", "X"], [1, 1, 3, 1, 3], ["nsubj", "ROOT", "aux", "xcomp", "dobj"],
               ["y", verb, "to", "expel", "x"])
    assert not is_asserted(doc[3])


def test_relations_decided_not_to_participate_is_asserted_when_negation_expected():
    words = ["OSDP", "decided", "not", "to", "participate"]
    doc = _doc(words, [1, 1, 4, 4, 1], ["nsubj", "ROOT", "neg", "aux", "xcomp"],
               ["osdp", "decide", "not", "to", "participate"])
    assert is_asserted(doc[4], negation_expected=True)
    assert not is_asserted(doc[4])


def test_relations_relative_clause_keeps_its_own_truth():
    # "X, who heads Y, refused to comment": the refusal does not cancel "heads"
    words = ["X", ",", "who", "heads", "Y", ",", "refused", "to", "comment"]
    heads = [6, 0, 3, 0, 3, 0, 6, 8, 6]
    deps = ["nsubj", "punct", "nsubj", "relcl", "dobj", "punct", "ROOT", "aux", "xcomp"]
    doc = _doc(words, heads, deps, ["x", ",", "who", "head", "y", ",", "refuse", "to", "comment"])
    assert is_asserted(doc[3])


def test_relations_question_is_not_asserted():
    doc = _doc(["Did", "X", "join", "Y", "?"], [2, 2, 2, 2, 2], ["aux", "nsubj", "ROOT", "dobj", "punct"])
    assert not is_asserted(doc[2])
