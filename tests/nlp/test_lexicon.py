"""Lexicon data files: loading, lower-casing, clear errors for unknown names."""
import pytest

from kgraph.errors import ConfigError
from kgraph.nlp.lexicon import known_languages, load_lexicon


def test_lexicon_loads_lists_as_lowercase_frozensets():
    lex = load_lexicon("example")
    assert lex["fruit"] == frozenset({"apple", "pear"})
    assert lex["colour_of"] == {"apple": "red"}
    assert "_comment" not in lex


def test_lexicon_unknown_language_lists_known_ones():
    with pytest.raises(ConfigError, match="known: .*en"):
        load_lexicon("example", language="xx")


def test_lexicon_unknown_name_lists_known_ones():
    with pytest.raises(ConfigError, match="example"):
        load_lexicon("no-such-lexicon")


def test_lexicon_languages_include_english():
    assert "en" in known_languages()


def test_lexicon_word_positions_by_form_and_lemma():
    import spacy

    from kgraph.nlp.lexicon import word_positions

    nlp = spacy.blank("en")
    doc = nlp("The Leaders met; a leader spoke.")
    doc[1].lemma_ = "leader"
    words = frozenset({"leader"})
    assert word_positions(doc, words) == [5]
    assert word_positions(doc, words, lemmas=True) == [1, 5]


def test_lexicon_token_range_is_char_span_expand():
    import spacy

    from kgraph.nlp.lexicon import token_range

    nlp = spacy.blank("en")
    for text in ("ALMATY, Kazakhstan (AP) — The party met.\n\nBy John Smith\nRead more  here.\n", "a\nB  c\n\n d e."):
        doc = nlp(text)
        for start in range(len(text)):
            for end in range(start + 1, len(text) + 1):
                span = doc.char_span(start, end, alignment_mode="expand")
                assert range(*token_range(doc, start, end)) == (range(span.start, span.end) if span else range(0))
