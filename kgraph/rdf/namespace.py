"""The kgraph ontology as an rdflib DefinedNamespace (mirrors ontology/kgraph.ttl) and IRI minting.

``_fail = True``: a misspelled term (``KG.lead``) raises at first use instead of silently
producing an IRI no query will ever match. ``tests/rdf/test_namespace.py`` checks that
every term here is declared in ``ontology/kgraph.ttl`` and vice versa.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/kgraph/"
ONTOLOGY_IRI = BASE + "ontology"
ID = Namespace(BASE + "id/")
WD = Namespace("http://www.wikidata.org/entity/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")


class KG(DefinedNamespace):
    """Terms of the kgraph ontology."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes
    Person: URIRef
    PoliticalParty: URIRef
    Organization: URIRef
    Election: URIRef
    Article: URIRef
    Mention: URIRef
    Fact: URIRef
    # the four relations (object properties)
    leads: URIRef
    memberOf: URIRef
    expelledFrom: URIRef
    boycotted: URIRef
    # mentions and linking
    mentions: URIRef  # Article -> entity it mentions
    refersTo: URIRef  # Mention -> entity
    inArticle: URIRef  # Mention -> Article
    anchorText: URIRef  # Mention: the surface form
    mentionKind: URIRef  # Mention: name | acronym | alias | nominal | pronoun
    beginIndex: URIRef  # Mention/Fact: first character (0-based, in the article text)
    endIndex: URIRef  # Mention/Fact: one past the last character
    wikidataId: URIRef  # entity: "Q1186246"
    linkScore: URIRef  # Mention: linker confidence
    # provenance of a Fact (also rdf:subject/predicate/object, prov:wasDerivedFrom)
    sentence: URIRef
    sentenceBeginIndex: URIRef
    sentenceEndIndex: URIRef
    confidence: URIRef
    rule: URIRef
    # articles and elections
    articleId: URIRef
    year: URIRef
    country: URIRef
    # added by the RDF layer: change detection and incremental linking
    contentHash: URIRef  # Article: fingerprint of its named graph's content (re-build skips it if equal)
    kbId: URIRef  # entity: id of the knowledge-base entry it was linked to
    # time scopes (W3C ORG memberships, OWL-Time intervals): kgraph/nlp/qualifiers.py, kgraph/temporal.py
    observedOn: URIRef  # Fact: the date it was observed (its article's date)
    timeScope: URIRef  # Fact -> time:Interval during which the relation held, as the sentence says
    timeCue: URIRef  # time:Interval: a word that set its beginning or end ("since", "former")
    earliest: URIRef  # time:Instant / ChangeEvent: first day it may fall on (xsd:date)
    latest: URIRef  # time:Instant / ChangeEvent: last day it may fall on (xsd:date)
    leaderRole: URIRef  # org:Role of a leader (kg:leads as an org:Membership)
    memberRole: URIRef  # org:Role of a member (kg:memberOf as an org:Membership)
    # party lineage (org:ChangeEvent): kgraph/lineage.py
    LineageRecord: URIRef  # the curated lineage as a source: its named graph mentions the organizations
    changeKind: URIRef  # org:ChangeEvent: rename | merger | split | succession
    continues: URIRef  # org:ChangeEvent -> the original organization whose line the result carries on
    # who says so (kgraph_attribution): how an article asserts a statement, and by whom
    Claim: URIRef  # a statement recorded with its evidence but not held as a fact (denied, or rejected)
    assertionMode: URIRef  # Fact/Claim: stated | reported | alleged | denied
    assertionCue: URIRef  # Fact/Claim: the word that says so ("said", "according to", "alleged")
    assertedBy: URIRef  # Fact/Claim -> the entity whose word it is (refines prov:wasAttributedTo)
    # review: human decisions, in the named graph kgid:reviews (kgraph.review)
    Review: URIRef  # one decision of a reviewer (a prov:Activity)
    reviewId: URIRef  # Review: its stable id
    reviewAction: URIRef  # Review: accept | reject | correct | merge | split
    reviewNote: URIRef  # Review: why (refines rdfs:comment)
    decisionRecord: URIRef  # Review: the decision as one JSON line of the portable decisions file
    relationId: URIRef  # Review: the id of the relation reviewed (as `kgraph review` lists it)
    reviewedSubject: URIRef  # Review -> subject of the relation reviewed
    reviewedPredicate: URIRef  # Review -> predicate of the relation reviewed
    reviewedObject: URIRef  # Review -> object of the relation reviewed
    correctedSubject: URIRef  # Review (correct) -> the right subject
    correctedObject: URIRef  # Review (correct) -> the right object
    keptEntity: URIRef  # Review (merge) -> the entity that remains
    mergedEntity: URIRef  # Review (merge) -> the entity merged into it
    splitEntity: URIRef  # Review (split) -> the entity split apart
    splitArticle: URIRef  # Review (split) -> the article whose mentions get their own entity
    newEntity: URIRef  # Review (split) -> the entity they now refer to
    reviewStatus: URIRef  # Fact/Claim: accepted | rejected | corrected (by the latest review)
    reviewedIn: URIRef  # Fact/Claim -> the Review(s) that acted on it (refines prov:wasInfluencedBy)


#: entity type (local name of its class) -> IRI path segment
TYPE_SEGMENTS = {
    "Person": "person",
    "PoliticalParty": "party",
    "Organization": "organization",
    "Election": "election",
}


def slugify(name: str) -> str:
    """ASCII slug of a name: ``"Nur Otan" -> "nur-otan"``; Cyrillic and accents are folded."""
    from kgraph.linking.normalize import transliterate  # one transliteration table for all

    text = unicodedata.normalize("NFKD", transliterate(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not slug:  # a name of symbols only still gets a stable IRI
        slug = "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    return slug[:80]


def entity_iri(entity_type: str, name: str) -> URIRef:
    """The IRI of an entity: ``id/<type>/<slug of its canonical name or key>``."""
    return ID[f"{TYPE_SEGMENTS[entity_type]}/{slugify(name)}"]


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{article_id}"]


def article_graph_iri(article_id: str) -> URIRef:
    """The named graph holding one article's metadata, mentions and facts."""
    return ID[f"graph/{article_id}"]


def mention_iri(article_id: str, start: int, end: int) -> URIRef:
    return ID[f"mention/{article_id}/{start}-{end}"]


#: the named graph of the curated lineage (kgraph/linking/data/lineage.jsonl and users' files)
LINEAGE_GRAPH = ID["graph/lineage"]
LINEAGE_RECORD = ID["lineage/curated"]


def change_iri(event_id: str, article_id: str | None = None) -> URIRef:
    """The IRI of a change event: ``change/<slug of its id>``, or ``change/<article>/<hash>`` from text."""
    if article_id is not None:
        return ID[f"change/{article_id}/{hashlib.sha1(event_id.encode()).hexdigest()[:16]}"]
    return ID[f"change/{slugify(event_id)}"]
def review_iri(review_id: str) -> URIRef:
    """A reviewer's decision (a kg:Review) in the review graph."""
    return ID[f"review/{review_id}"]


def agent_iri(name: str) -> URIRef:
    """The reviewer (a prov:Agent) who made decisions."""
    return ID[f"agent/{slugify(name)}"]


#: the named graph holding the review decisions (kgraph.review); not under graph/, which is the articles'
REVIEW_GRAPH = ID["reviews"]


def fact_iri(article_id: str, subject: str, predicate: str, obj: str, start: int, end: int) -> URIRef:
    digest = hashlib.sha1(f"{subject}|{predicate}|{obj}|{start}|{end}".encode()).hexdigest()[:16]
    return ID[f"fact/{article_id}/{digest}"]


#: prefixes predeclared for every query kgraph runs (CLI, API, packaged queries)
PREFIXES = {
    "kg": str(KG._NS),
    "kgid": str(ID),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": str(ORG),
    "time": str(TIME),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": str(SCHEMA),
    "wd": str(WD),
}
