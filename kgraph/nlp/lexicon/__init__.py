"""Word lists of the NLP components, read from per-language data files.

Every word a rule looks for lives in ``kgraph/nlp/lexicon/<language>/<name>.json``, not in
code, so a new language or a new phrasing is a data change. A file is one JSON object whose
values are lists of words (returned as frozensets of lower-cased strings), or objects mapping a
word to a value (returned as dicts with lower-cased keys); a key starting with ``_`` is a comment.

>>> load_lexicon("example")["fruit"] >= {"apple"}
True
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from kgraph.errors import ConfigError

__all__ = ["load_lexicon", "known_languages", "word_positions", "tag_positions", "doc_text", "token_range"]


def known_languages() -> list[str]:
    """The languages that have a lexicon folder."""
    root = resources.files(__name__)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def _convert(value: Any) -> Any:
    if isinstance(value, list):
        return frozenset(str(v).lower() for v in value)
    if isinstance(value, dict):
        return {str(k).lower(): _convert(v) for k, v in value.items() if not str(k).startswith("_")}
    return value


@lru_cache(maxsize=None)
def load_lexicon(name: str, language: str = "en") -> Mapping[str, Any]:
    """The lexicon ``name`` of ``language``: a mapping of list names to frozensets of words.

    Raises :class:`~kgraph.errors.ConfigError` naming the known languages or lexicons when
    either is unknown.
    """
    folder = resources.files(__name__) / language
    if not folder.is_dir():
        raise ConfigError(f"no lexicon for language {language!r}; known: {', '.join(known_languages())}")
    path = folder / f"{name}.json"
    if not path.is_file():
        known = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))
        raise ConfigError(f"no lexicon {name!r} for language {language!r}; known: {', '.join(known)}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: _convert(v) for k, v in data.items() if not k.startswith("_")}


_WORD_IDS: dict[tuple[int, frozenset], Any] = {}


def doc_text(doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token's text each time it is asked,
    and five components ask."""
    text = doc.user_data.get("kgraph_text")
    if text is None:
        text = doc.user_data["kgraph_text"] = doc.text
    return text


def token_range(doc, start: int, end: int) -> tuple[int, int]:
    """The tokens ``[first, last)`` that overlap the characters ``[start, end)`` (spaCy's
    ``char_span(..., alignment_mode="expand")``, by binary search: ``char_span`` walks the doc)."""
    import numpy
    from spacy.attrs import IDX, LENGTH

    starts = doc.to_array(IDX)
    ends = starts + doc.to_array(LENGTH)
    return int(numpy.searchsorted(ends, start, side="right")), int(numpy.searchsorted(starts, end, side="left"))


def word_positions(doc, words: frozenset, *, lemmas: bool = False, exact: bool = False, cache: bool = True) -> list[int]:
    """The indices of the tokens of ``doc`` whose lower-case form (or, with ``lemmas``, lemma;
    with ``exact``, verbatim text) is one of ``words``: one vectorised pass over the doc's arrays,
    with no Token object made for the tokens that do not match (making one per token is what
    makes a Python loop slow). The word ids of a lexicon's set are kept (``cache``); pass
    ``cache=False`` for a set made for one doc."""
    import numpy
    from spacy.attrs import LEMMA, LOWER, ORTH

    key = (id(doc.vocab), words)  # a frozenset keeps its hash: a cheap key
    ids = _WORD_IDS.get(key) if cache else None
    if ids is None:
        strings = doc.vocab.strings
        ids = numpy.array(sorted(strings.add(w) for w in words), dtype="uint64")
        if cache:
            _WORD_IDS[key] = ids
    if not len(doc):
        return []
    hits = numpy.isin(doc.to_array(ORTH if exact else LOWER), ids)
    if lemmas:
        hits |= numpy.isin(doc.to_array(LEMMA), ids)
    return numpy.nonzero(hits)[0].tolist()


def tag_positions(doc, tags: frozenset) -> list[int]:
    """The indices of the tokens of ``doc`` whose fine-grained tag is one of ``tags`` (as
    :func:`word_positions`, without a Token object per token)."""
    import numpy
    from spacy.attrs import TAG

    key = (id(doc.vocab), tags)
    ids = _WORD_IDS.get(key)
    if ids is None:
        ids = _WORD_IDS[key] = numpy.array(sorted(doc.vocab.strings.add(t) for t in tags), dtype="uint64")
    if not len(doc):
        return []
    return numpy.nonzero(numpy.isin(doc.to_array(TAG), ids))[0].tolist()
