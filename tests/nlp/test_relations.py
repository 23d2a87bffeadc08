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


def _tagged(words, heads, deps, tags, pos=None, lemmas=None):
    return Doc(VOCAB, words=words, heads=heads, deps=deps, tags=tags,
               pos=pos or ["PROPN" if t.startswith("NNP") else "VERB" if t.startswith("VB") else "X" for t in tags],
               lemmas=lemmas or [w.lower() for w in words], sent_starts=[True] + [False] * (len(words) - 1))


def test_relations_participle_with_a_direct_object_is_active():
    from kgraph.nlp.relations import _passive

    # "the CRP, elected Mendes as chairman": a main verb the parser hung under its subject
    doc = _tagged(["the", "CRP", ",", "elected", "Mendes", "as", "chairman"], [1, 1, 1, 1, 3, 3, 5],
                  ["det", "ROOT", "punct", "acl", "dobj", "prep", "pobj"], ["DT", "NNP", ",", "VBN", "NNP", "IN", "NN"])
    assert not _passive(doc[3])
    # "the CRP, led by Mendes": a bare participle is passive
    doc = _tagged(["the", "CRP", ",", "led", "by", "Mendes"], [1, 1, 1, 1, 3, 4],
                  ["det", "ROOT", "punct", "acl", "agent", "pobj"], ["DT", "NNP", ",", "VBN", "IN", "NNP"])
    assert _passive(doc[3])


def test_relations_of_two_subjects_the_nearer_one():
    from kgraph.nlp.relations import _subjects

    # "NEWSWIRE – Mwale has been elected": a dateline the parser made a second subject
    doc = _tagged(["NEWSWIRE", "–", "Mwale", "has", "been", "elected"], [5, 0, 5, 5, 5, 5],
                  ["nsubjpass", "punct", "nsubjpass", "aux", "auxpass", "ROOT"], ["NNP", ":", "NNP", "VBZ", "VBN", "VBN"])
    assert [t.text for t, _ in _subjects(doc[5])] == ["Mwale"]


def test_relations_parallel_participle_shares_its_noun():
    from kgraph.nlp.relations import _parallel_participle, _passive, _subjects

    # "unite against the CRP, formerly led by Keller, and now headed by Mwale" with "headed"
    # hung on "unite"
    words = ["unite", "against", "the", "CRP", ",", "led", "by", "Keller", ",", "and", "headed", "by", "Mwale"]
    heads = [0, 0, 3, 1, 3, 3, 5, 6, 0, 0, 0, 10, 11]
    deps = ["ROOT", "prep", "det", "pobj", "punct", "acl", "agent", "pobj", "punct", "cc", "conj", "agent", "pobj"]
    tags = ["VB", "IN", "DT", "NNP", ",", "VBN", "IN", "NNP", ",", "CC", "VBN", "IN", "NNP"]
    doc = _tagged(words, heads, deps, tags)
    assert _parallel_participle(doc[10]) == doc[5]
    assert _passive(doc[10])
    assert [t.text for t, _ in _subjects(doc[10])] == ["CRP"]
    # without "and" between them the second participle is not the first's conjunct
    words[9] = "or"
    assert _parallel_participle(_tagged(words, heads, deps, tags)[10]) is None


def test_relations_general_secretary_leads():
    from kgraph.nlp.relations import role_of

    doc = _tagged(["CRP", "General", "Secretary", "Mwale"], [3, 2, 3, 3], ["compound", "compound", "compound", "ROOT"],
                  ["NNP", "NNP", "NNP", "NNP"], pos=["PROPN", "PROPN", "PROPN", "PROPN"])
    assert role_of(doc[2]) == "leads"
    doc = _tagged(["party", "secretary", "Mwale"], [2, 2, 2], ["compound", "compound", "ROOT"], ["NN", "NN", "NNP"],
                  pos=["NOUN", "NOUN", "PROPN"])
    assert role_of(doc[1]) == "memberOf"
