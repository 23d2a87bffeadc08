"""kgraph_lines: line breaks start sentences, except single breaks of hard-wrapped text."""
import spacy

from kgraph.nlp.lines import LineBreaks, is_hard_wrapped


def _starts(text):
    nlp = spacy.blank("en")
    doc = LineBreaks(nlp, "kgraph_lines")(nlp.make_doc(text))
    return [t.text for t in doc if t.is_sent_start and t.i > 0]


def test_lines_headline_and_byline_are_sentences_of_their_own():
    assert _starts("Party Decides To Boycott Polls\nBy Jane Roe\nThe party said it would boycott.") == ["By", "The"]


def test_lines_blank_line_starts_a_sentence():
    assert _starts("First paragraph ends here\n\nSecond one") == ["Second"]


def test_lines_hard_wrapped_text_keeps_single_breaks_inside_sentences():
    text = "\n".join(["word " * 14] * 6) + "\n\nNext paragraph"
    assert is_hard_wrapped(text)
    assert _starts(text) == ["Next"]


def test_lines_text_without_breaks_is_untouched():
    assert _starts("One sentence. Another one.") == []
