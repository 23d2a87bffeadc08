"""Plain data passed between the stages: Article -> ArticleAnalysis -> linked Entity/Fact.

Everything here is picklable (it crosses process and Dask worker boundaries) and has no
dependency on spaCy or rdflib. Character offsets always refer to ``Article.text``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: The four entity classes of the ontology (kg:Person, ...), by local name.
ENTITY_TYPES = ("Person", "PoliticalParty", "Organization", "Election")
#: The four relations of the ontology (kg:leads, ...), by local name.
PREDICATES = ("leads", "memberOf", "expelledFrom", "boycotted")


@dataclass(frozen=True)
class Article:
    """One news article. ``id`` is a stable hash of the content (see ``kgraph.corpus``).

    ``date_precision`` is ``"day"``, ``"month"`` or ``"year"``: a date given as ``"2023-01"``
    or ``"2023"`` is stored as the first day of that period with its precision, and written
    back at that precision (``date_iso``; RDF ``xsd:gYearMonth`` / ``xsd:gYear``).
    """

    id: str
    title: str
    text: str
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    language: str = "en"
    path: str | None = None
    date_precision: str = "day"

    @property
    def date_iso(self) -> str | None:
        """The date at its precision: ``"2023-01-15"``, ``"2023-01"`` or ``"2023"``."""
        if self.date is None:
            return None
        day = self.date.isoformat()[:10]
        return {"month": day[:7], "year": day[:4]}.get(self.date_precision, day)


@dataclass
class Mention:
    """A span of ``Article.text`` that refers to a local entity (``entity`` indexes
    ``ArticleAnalysis.entities``). ``kind``: name | acronym | alias | nominal | pronoun.
    ``sentence_start``/``sentence_end`` span the sentence it is in (-1 when unknown): entities
    named in one sentence are connected by co-mention, the weakest kind of evidence."""

    start: int
    end: int
    text: str
    type: str
    entity: int
    kind: str = "name"
    sentence_start: int = -1
    sentence_end: int = -1


@dataclass
class LocalEntity:
    """One entity as seen inside one article: a cluster of mentions.

    ``name`` is the best name the article gives (the longest proper name); ``kb_id`` the
    knowledge-base entity it was linked to, if any, with ``kb_score`` in [0, 1].
    ``key`` is a normalised identity used to merge entities across articles when no KB
    entity matched (e.g. ``"election:KAZ:2021:legislative"`` or a normalised name).
    ``parent`` is the index of the entity this one is a body of, when it is a party body.
    """

    index: int
    type: str
    name: str
    surface_forms: list[str] = field(default_factory=list)
    kb_id: str | None = None
    kb_score: float = 0.0
    key: str | None = None
    #: index of the local entity this one is a body of (a party's council, faction or youth
    #: wing -> the party), written as org:subOrganizationOf
    parent: int | None = None


@dataclass
class Relation:
    """A relation stated in the article between two local entities, with its evidence.

    ``start``/``end`` span the evidence (from the first to the last character of the
    subject, trigger and object mentions); ``sentence_start``/``sentence_end`` the sentence.
    ``trigger_start``/``trigger_end`` span the word that triggered the rule (-1 when unknown).
    ``qualifiers`` holds what later components say about the statement, as plain JSON-able
    values under one key per component (e.g. ``"time"``, ``"assertion"``); local entity
    indices in it refer to ``ArticleAnalysis.entities`` like ``subject``/``object``.
    """

    subject: int
    predicate: str
    object: int
    sentence: str
    sentence_start: int
    sentence_end: int
    start: int
    end: int
    rule: str
    confidence: float
    trigger_start: int = -1
    trigger_end: int = -1
    qualifiers: dict = field(default_factory=dict)


@dataclass
class Change:
    """A change of organizations stated in the article (kgraph_lineage): ``original`` ->
    ``resulting`` (local entity indices), ``kind`` rename | merger | split | succession,
    ``continues`` the original the result carries on (or None), ``date`` ISO at its precision (or
    None), with its evidence like a Relation's."""

    kind: str
    original: list[int]
    resulting: list[int]
    sentence: str
    sentence_start: int
    sentence_end: int
    start: int
    end: int
    rule: str
    continues: int | None = None
    date: str | None = None


@dataclass
class ArticleAnalysis:
    """What the NLP stage found in one article, before cross-article linking."""

    article: Article
    entities: list[LocalEntity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # renames, mergers... (kgraph.lineage)


@dataclass
class Entity:
    """A canonical entity of the knowledge graph."""

    iri: str
    type: str
    label: str
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None
    kb_id: str | None = None
