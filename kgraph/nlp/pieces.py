"""Texts longer than a spaCy pipeline takes: cut at natural boundaries, analyses joined back.

spaCy refuses a text over ``nlp.max_length`` characters (1,000,000 by default; the parser and
NER need memory in proportion to the text). A longer article is cut into pieces of at most
``PIECE_CHARS`` characters, each ending at the last paragraph break in its window, else the
last sentence end, else the last whitespace, else (a line with no spaces at all) at the limit.
Each piece is analysed as its own doc; :func:`join_analyses` shifts every character offset
back into ``Article.text`` and merges the entities the pieces share (same type and the same
knowledge-base id, key or name), so the result is one ``ArticleAnalysis`` as for a short text.
What the pieces lose is only what crosses a cut: a pronoun whose antecedent is in the piece
before, a relation split over two pieces.
"""
from __future__ import annotations

import re
from typing import Sequence

from kgraph.model import Article, ArticleAnalysis, Change, LocalEntity, Mention, Relation

__all__ = ["PIECE_CHARS", "split_text", "join_analyses"]

#: the size of the pieces a long article is cut into (spaCy's own advice: ~100,000 characters)
PIECE_CHARS = 100_000
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")
_SPACE = re.compile(r"\s")


def split_text(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces covering ``text``, each at most ``limit`` long.

    >>> split_text("One. Two. Three.", limit=10)
    [(0, 10), (10, 16)]
    """
    if limit < 2:
        raise ValueError(f"limit must be at least 2, got {limit}")
    pieces = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def _cut(text: str, start: int, stop: int) -> int:
    """Where to end the piece beginning at ``start``: the best boundary in its last three quarters."""
    floor = start + (stop - start) // 4
    paragraph = text.rfind("\n\n", floor, stop)
    if paragraph > floor:
        return paragraph + 2
    window = text[floor:stop]
    last = None
    for last in _SENTENCE_END.finditer(window):
        pass
    if last is not None:
        return floor + last.end()
    space = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"))
    if space < 0:
        match = None
        for match in _SPACE.finditer(window):
            pass
        space = match.start() if match is not None else -1
    return floor + space + 1 if space >= 0 else stop


def join_analyses(article: Article, parts: Sequence[tuple[int, ArticleAnalysis]]) -> ArticleAnalysis:
    """One analysis of ``article`` from the analyses of its pieces, ``(offset of the piece,
    analysis with offsets in the piece)``: offsets shifted into ``article.text``, entities
    shared by pieces merged, indices renumbered."""
    entities: list[LocalEntity] = []
    by_identity: dict[tuple, int] = {}
    mentions: list[Mention] = []
    relations: list[Relation] = []
    changes: list[Change] = []
    for offset, part in parts:
        index_of: dict[int, int] = {}
        for entity in part.entities:
            identity = (entity.type, entity.kb_id or entity.key or entity.name.lower())
            merged = by_identity.get(identity)
            if merged is None:
                merged = by_identity[identity] = len(entities)
                entities.append(LocalEntity(merged, entity.type, entity.name, list(entity.surface_forms),
                                            entity.kb_id, entity.kb_score, entity.key))
            else:
                known = entities[merged]
                known.surface_forms.extend(f for f in entity.surface_forms if f not in known.surface_forms)
                if len(entity.name) > len(known.name) and entity.kb_id == known.kb_id:
                    known.name = entity.name
                known.kb_score = max(known.kb_score, entity.kb_score)
            index_of[entity.index] = merged
        for entity in part.entities:  # a party body keeps its party, renumbered
            if entity.parent is not None and entity.parent in index_of and entities[index_of[entity.index]].parent is None:
                entities[index_of[entity.index]].parent = index_of[entity.parent]
        for m in part.mentions:
            mentions.append(Mention(m.start + offset, m.end + offset, m.text, m.type, index_of[m.entity], m.kind,
                                    _shift(m.sentence_start, offset), _shift(m.sentence_end, offset)))
        for r in part.relations:
            relations.append(Relation(
                index_of[r.subject], r.predicate, index_of[r.object], r.sentence,
                r.sentence_start + offset, r.sentence_end + offset, r.start + offset, r.end + offset,
                r.rule, r.confidence, _shift(r.trigger_start, offset), _shift(r.trigger_end, offset),
                _renumber_qualifiers(r.qualifiers, index_of),
            ))
        for c in getattr(part, "changes", None) or ():
            changes.append(Change(
                c.kind, [index_of[i] for i in c.original], [index_of[i] for i in c.resulting], c.sentence,
                c.sentence_start + offset, c.sentence_end + offset, c.start + offset, c.end + offset, c.rule,
                index_of.get(c.continues) if c.continues is not None else None, c.date,
            ))
    return ArticleAnalysis(article=article, entities=entities, mentions=mentions, relations=relations,
                           changes=changes)


def _renumber_qualifiers(qualifiers: dict, index_of: dict[int, int]) -> dict:
    """A relation's qualifiers with the local entity indices in them (an assertion's source)
    renumbered like the relation's ends."""
    out = dict(qualifiers)
    assertion = out.get("assertion")
    if isinstance(assertion, dict) and isinstance(assertion.get("source"), int):
        out["assertion"] = dict(assertion, source=index_of.get(assertion["source"]))
    return out


def _shift(value: int, offset: int) -> int:
    return value + offset if value >= 0 else value
