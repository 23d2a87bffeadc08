"""Line breaks as sentence boundaries: headlines, datelines, bylines, captions and list items
are lines of their own in real news, and a parse that runs across them invents relations.

The ``kgraph_lines`` factory (before ``parser``) presets ``token.is_sent_start`` on the first
token after a blank line, and after a single line break too unless the text is hard-wrapped (most
of its lines fill one column width), where a single break is only the end of a printed line.
The parser keeps preset boundaries.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.nlp.lexicon import doc_text

__all__ = ["LineBreaks", "is_hard_wrapped"]

#: a text is hard-wrapped when at least this share of its lines (of 5 or more) fall within
#: ``_WRAP_BAND`` characters of its longest line
_WRAPPED_SHARE = 0.6
_WRAP_BAND = 15
_BREAKS = re.compile(r"\n[\s]*")


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
        text = doc_text(doc)
        if "\n" not in text:
            return doc
        single_breaks = not is_hard_wrapped(text)
        starts = doc.to_array(IDX)  # token start offsets, without a Token object per token
        seen: set[int] = set()
        for match in _BREAKS.finditer(text):
            k = int(numpy.searchsorted(starts, match.start(), side="right")) - 1  # the token holding the break
            while k + 1 < len(doc) and doc[k + 1].is_space:
                k += 1
            if k + 1 >= len(doc) or k + 1 in seen or k < 0:
                continue
            breaks = text.count("\n", int(starts[k]) if doc[k].is_space else match.start(), int(starts[k + 1]))
            if single_breaks or breaks >= 2:
                seen.add(k + 1)
                doc[k + 1].is_sent_start = True
        return doc


@Language.factory("kgraph_lines", assigns=["token.is_sent_start"])
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    """Sentence starts after line breaks (add before ``parser``)."""
    return LineBreaks(nlp, name)
