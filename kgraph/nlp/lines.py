"""Line breaks as sentence boundaries: headlines, datelines, bylines, captions and list items
are lines of their own in real news, and a parse that runs across them invents relations.

The ``kgraph_lines`` factory (before ``parser``) presets ``token.is_sent_start`` on the first
token after a blank line, and after a single line break too unless the text is hard-wrapped (most
of its lines fill one column width), where a single break is only the end of a printed line.
The parser keeps preset boundaries.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LineBreaks", "is_hard_wrapped"]

#: a text is hard-wrapped when at least this share of its lines (of 5 or more) fall within
#: ``_WRAP_BAND`` characters of its longest line
_WRAPPED_SHARE = 0.6
_WRAP_BAND = 15


def is_hard_wrapped(text: str) -> bool:
    """Whether ``text`` is printed at a fixed width (single line breaks inside paragraphs)."""
    lengths = [len(line) for line in text.splitlines() if line.strip()]
    if len(lengths) < 5:
        return False
    width = max(lengths)
    if width > 120:  # a paragraph per line
        return False
    return sum(1 for n in lengths if n >= width - _WRAP_BAND) >= _WRAPPED_SHARE * len(lengths)


class LineBreaks:
    """Presets sentence starts after line breaks (see the module docstring)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if "\n" not in doc.text:
            return doc
        single_breaks = not is_hard_wrapped(doc.text)
        for token in doc[1:]:
            prev = token.nbor(-1)
            if token.is_space or "\n" not in prev.text + prev.whitespace_:
                continue
            if single_breaks or (prev.text + prev.whitespace_).count("\n") >= 2:
                token.is_sent_start = True
        return doc


@Language.factory("kgraph_lines", assigns=["token.is_sent_start"])
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    """Sentence starts after line breaks (add before ``parser``)."""
    return LineBreaks(nlp, name)
