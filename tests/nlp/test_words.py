"""Unit tests of kgraph.nlp.words: hyphen-prefixed verbs are one token with the base verb's lemma."""
from __future__ import annotations

import spacy

from kgraph.nlp.words import PREFIXED, keep_whole


def test_words_prefixed_verbs_are_one_token_with_the_base_lemma():
    nlp = spacy.blank("en")
    keep_whole(nlp)
    nlp.add_pipe("kgraph_words")
    doc = nlp("Mwale was re-elected and Re-elected; the party co-founded a bloc.")
    words = [t.text for t in doc]
    assert "re-elected" in words and "Re-elected" in words and "co-founded" in words
    assert {t.text: t.lemma_ for t in doc if "-" in t.text} == {"re-elected": "elect", "Re-elected": "elect",
                                                                  "co-founded": "found"}


def test_words_by_elections_stay_whole_and_other_hyphens_split():
    nlp = spacy.blank("en")
    keep_whole(nlp)
    assert [t.text for t in nlp("the by-elections in well-known towns")] == ["the", "by-elections", "in", "well", "-",
                                                                             "known", "towns"]
    assert "run-off" in [t.text for t in nlp("the presidential election run-off")]


def test_words_lexicon_maps_forms_to_base_verbs():
    assert PREFIXED["re-admitted"] == "admit" and PREFIXED["re-elect"] == "elect"


def test_words_names_with_a_glued_initial_stay_whole():
    # "Kh.Altankhuyag": the tokenizer would split "Kh." off and end a sentence there
    nlp = spacy.blank("en")
    keep_whole(nlp)
    assert [t.text for t in nlp("led by Kh.Batbold, while O.Dorj and Ts.Enkh won")] == [
        "led", "by", "Kh.Batbold", ",", "while", "O.Dorj", "and", "Ts.Enkh", "won"]


def test_words_glued_initial_is_not_an_abbreviation():
    from kgraph.nlp.words import glued_initial

    assert glued_initial("M.Enkhbold") and glued_initial("Kh.Altankhuyag") and glued_initial("J.K.Rowling")
    assert not glued_initial("St.Petersburg") and not glued_initial("U.S.") and not glued_initial("Mr.Smith")
