"""Turn linked analyses and canonical entities into RDF triples (the layout of ARCHITECTURE.md).

Pure functions of plain data: no store is read or written here (``kgraph.rdf.sync`` decides what
changes). Literals are language-less strings, ``xsd:integer`` offsets, ``xsd:date`` dates and
``xsd:decimal`` scores, so the same input always gives byte-identical triples.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kgraph.errors import InputError
from kgraph.model import ENTITY_TYPES, PREDICATES, ArticleAnalysis, Entity
from kgraph.rdf.namespace import (
    KG,
    ORG,
    SCHEMA,
    TIME,
    WD,
    article_iri,
    fact_iri,
    mention_iri,
)
from kgraph.rdf.store import Triple

__all__ = ["article_triples", "entity_triples", "relation_triple", "graph_fingerprint", "NAME_KINDS",
           "time_triples", "date_bounds", "date_literal", "change_triples", "lineage_triples",
           "assertion_triples", "is_denied"]

#: mention kinds whose anchor text is a name of the entity (a skos:altLabel candidate);
#: nominals ("the party") and pronouns ("she") are not names.
NAME_KINDS = frozenset({"name", "acronym", "alias"})

# An IRI Oxigraph accepts: absolute, no spaces, quotes or angle brackets (RFC 3987, loosely).
_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_WIKIDATA_RE = re.compile(r"^Q[0-9]+$")


# Plain attribute access for the hot loops: a DefinedNamespace validates every ``KG.x`` lookup
# (typos still fail here: SimpleNamespace raises AttributeError).
_K = SimpleNamespace(**{name: getattr(KG, name) for name in KG.__annotations__})
_RDF_type, _RDF_subject, _RDF_predicate, _RDF_object, _RDF_Statement = (
    RDF.type, RDF.subject, RDF.predicate, RDF.object, RDF.Statement)


@lru_cache(maxsize=1 << 16)
def _decimal(value: float) -> Literal:
    """A score as an xsd:decimal with at most 4 decimals, in the XSD 1.1 canonical form Oxigraph
    stores ("1", "0.9"), so triples read back from a store equal the ones built here."""
    number = Decimal(str(round(float(value), 4))).normalize()
    return Literal(format(number, "f"), datatype=XSD.decimal)


@lru_cache(maxsize=1 << 16)  # offsets repeat across articles; a Literal is immutable
def _integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


@lru_cache(maxsize=1 << 16)  # names and mention kinds repeat across articles
def _plain(text: str) -> Literal:
    return Literal(text)


def _term_key(term) -> str:
    # cheaper than term.n3() (no escaping) and as unambiguous, given the \x1f/\x1e separators
    if isinstance(term, Literal):
        return f"L{term}\x1f{term.datatype or ''}\x1f{term.language or ''}"
    return f"{type(term).__name__[0]}{term}"


def graph_fingerprint(triples: list[Triple]) -> str:
    """A stable fingerprint of a set of triples (order and duplicates do not matter)."""
    # the keys of _term_key, written out for subjects and predicates (never literals): this runs on
    # every triple of every article
    lines = sorted({f"{type(s).__name__[0]}{s}\x1e{type(p).__name__[0]}{p}\x1e{_term_key(o)}" for s, p, o in triples})
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()


def relation_triple(subject: Entity | str, predicate: str, obj: Entity | str) -> Triple:
    """The direct triple ``S kg:<predicate> O`` of the default graph.

    >>> relation_triple("https://w3id.org/kgraph/id/person/a", "leads", "https://w3id.org/kgraph/id/party/b")[1]
    rdflib.term.URIRef('https://w3id.org/kgraph/ontology#leads')
    """
    if predicate not in PREDICATES:
        raise InputError(f"unknown relation {predicate!r}; use one of: {', '.join(PREDICATES)}")
    s = subject.iri if isinstance(subject, Entity) else subject
    o = obj.iri if isinstance(obj, Entity) else obj
    return (URIRef(s), KG[predicate], URIRef(o))


def entity_triples(entity: Entity) -> list[Triple]:
    """The default-graph description of an entity: its class, one ``rdfs:label``, a
    ``skos:altLabel`` per other alias, ``owl:sameAs`` Wikidata and ``kg:wikidataId``, ``kg:kbId``."""
    if entity.type not in ENTITY_TYPES:
        raise InputError(
            f"entity {entity.iri} has type {entity.type!r}; use one of: {', '.join(ENTITY_TYPES)}"
        )
    if not entity.label.strip():
        raise InputError(f"entity {entity.iri} has an empty label; give it its canonical name")
    node = URIRef(entity.iri)
    triples: list[Triple] = [(node, _RDF_type, KG[entity.type]), (node, RDFS.label, Literal(entity.label))]
    for alias in sorted({a for a in entity.aliases if a and a.strip() and a != entity.label}):
        triples.append((node, SKOS.altLabel, Literal(alias)))
    if entity.wikidata:
        if not _WIKIDATA_RE.match(entity.wikidata):
            raise InputError(
                f"entity {entity.iri} has Wikidata id {entity.wikidata!r}; expected an item id like 'Q1186246'"
            )
        triples.append((node, OWL.sameAs, WD[entity.wikidata]))
        triples.append((node, _K.wikidataId, Literal(entity.wikidata)))
    if entity.kb_id:
        triples.append((node, _K.kbId, Literal(entity.kb_id)))
    return triples


def article_triples(analysis: ArticleAnalysis, links: dict[int, Entity]) -> list[Triple]:
    """The content of one article's named graph: metadata, ``kg:mentions``, mentions and facts.

    ``links`` maps ``LocalEntity.index`` to its canonical Entity; mentions and relations of
    unlinked local entities are left out (they have no IRI). The last triple is the article's
    ``kg:contentHash``, the fingerprint of all the others.
    """
    art = analysis.article
    a = article_iri(art.id)
    triples: list[Triple] = [
        (a, _RDF_type, _K.Article),
        (a, _K.articleId, Literal(art.id)),
        (a, DCTERMS.title, Literal(art.title or "")),
    ]
    if art.date is not None:
        day = art.date.date() if isinstance(art.date, dt.datetime) else art.date  # xsd:date has no time
        precision = getattr(art, "date_precision", "day")  # "2023-01" / "2023": gYearMonth / gYear
        if precision == "month":
            triples.append((a, DCTERMS.date, Literal(day.isoformat()[:7], datatype=XSD.gYearMonth)))
        elif precision == "year":
            triples.append((a, DCTERMS.date, Literal(day.isoformat()[:4], datatype=XSD.gYear)))
        else:
            triples.append((a, DCTERMS.date, Literal(day.isoformat(), datatype=XSD.date)))
    if art.source:
        triples.append((a, DCTERMS.source, Literal(art.source)))
    if art.language:
        triples.append((a, DCTERMS.language, Literal(art.language)))
    if art.url and _IRI_RE.match(art.url):  # a malformed URL would make the whole write fail
        triples.append((a, SCHEMA.url, URIRef(art.url)))

    local_scores = {le.index: le.kb_score for le in analysis.entities}
    mentioned: dict[str, None] = {}  # ordered set of entity IRIs

    seen_spans: set[tuple[int, int]] = set()
    sentences: dict[tuple[int, int], Literal] = {}  # one literal per sentence, shared by its mentions
    for m in sorted(analysis.mentions, key=lambda m: (m.start, m.end)):
        entity = links.get(m.entity)
        if entity is None or (m.start, m.end) in seen_spans or not m.text or m.end <= m.start:
            continue  # one mention per span: its IRI is minted from the offsets
        seen_spans.add((m.start, m.end))
        node = URIRef(entity.iri)
        mentioned.setdefault(entity.iri)
        mi = mention_iri(art.id, m.start, m.end)
        triples += [
            (mi, _RDF_type, _K.Mention),
            (mi, _K.inArticle, a),
            (mi, _K.refersTo, node),
            (mi, _K.anchorText, _plain(m.text)),
            (mi, _K.beginIndex, _integer(m.start)),
            (mi, _K.endIndex, _integer(m.end)),
            (mi, _K.mentionKind, _plain(m.kind)),
        ]
        if 0 <= m.sentence_start < m.sentence_end <= len(art.text):
            # the sentence around the mention: entities named together are co-mentioned
            bounds = (m.sentence_start, m.sentence_end)
            sentence = sentences.get(bounds)
            if sentence is None:
                sentence = sentences[bounds] = Literal(art.text[m.sentence_start:m.sentence_end])
            triples += [
                (mi, _K.sentence, sentence),
                (mi, _K.sentenceBeginIndex, _integer(m.sentence_start)),
                (mi, _K.sentenceEndIndex, _integer(m.sentence_end)),
            ]
        score = local_scores.get(m.entity)
        if score:
            triples.append((mi, _K.linkScore, _decimal(min(max(score, 0.0), 1.0))))

    # One fact per (subject, predicate, object, evidence span); the most confident wins a tie.
    facts = {}
    for r in analysis.relations:
        s, o = links.get(r.subject), links.get(r.object)
        if s is None or o is None or s.iri == o.iri or r.predicate not in PREDICATES:
            continue
        fi = fact_iri(art.id, s.iri, r.predicate, o.iri, r.start, r.end)
        if fi not in facts or r.confidence > facts[fi][2].confidence:
            facts[fi] = (s, o, r)
    for fi, (s, o, r) in sorted(facts.items()):
        mentioned.setdefault(s.iri)
        mentioned.setdefault(o.iri)
        triples += [
            (fi, _RDF_type, _K.Claim if is_denied(r) else _K.Fact),
            (fi, _RDF_type, _RDF_Statement),
            (fi, _RDF_subject, URIRef(s.iri)),
            (fi, _RDF_predicate, KG[r.predicate]),
            (fi, _RDF_object, URIRef(o.iri)),
            (fi, PROV.wasDerivedFrom, a),
            (fi, _K.sentence, Literal(r.sentence)),
            (fi, _K.sentenceBeginIndex, _integer(r.sentence_start)),
            (fi, _K.sentenceEndIndex, _integer(r.sentence_end)),
            (fi, _K.beginIndex, _integer(min(r.start, r.end))),
            (fi, _K.endIndex, _integer(max(r.start, r.end))),
            (fi, _K.confidence, _decimal(min(max(r.confidence, 0.0), 1.0))),
            (fi, _K.rule, Literal(r.rule)),
        ]
        if not is_denied(r):  # a denied statement held no membership
            triples += time_triples(fi, s.iri, r.predicate, o.iri, r.qualifiers.get("time"))
        if "assertion" in r.qualifiers:
            triples += assertion_triples(fi, r.qualifiers["assertion"], links, mentioned)
    triples += _body_triples(analysis, links, mentioned)
    triples += article_change_triples(analysis, links, a)
    triples += [(a, _K.mentions, URIRef(iri)) for iri in mentioned]

    unique = list(dict.fromkeys(triples))
    unique.append((a, _K.contentHash, Literal(graph_fingerprint(unique))))
    return unique


def _body_triples(analysis: ArticleAnalysis, links: dict[int, Entity], mentioned: dict[str, None]) -> list[Triple]:
    """``BODY org:subOrganizationOf PARTY`` for each party body the article names (a political
    council, a committee, a parliamentary faction, a youth wing: ``LocalEntity.parent``)."""
    out: list[Triple] = []
    for local in analysis.entities:
        parent = getattr(local, "parent", None)
        if parent is None:
            continue
        body, owner = links.get(local.index), links.get(parent)
        if body is None or owner is None or body.iri == owner.iri:
            continue
        if body.type != "Organization" or owner.type not in ("PoliticalParty", "Organization"):
            continue
        mentioned.setdefault(body.iri)
        mentioned.setdefault(owner.iri)
        out.append((URIRef(body.iri), ORG.subOrganizationOf, URIRef(owner.iri)))
    return out


# -- time scopes (issue 9): W3C ORG memberships and OWL-Time intervals ------------------------
#: predicates whose fact states a membership (org:Membership) and the role it is in; an
#: expulsion states the membership it ends
MEMBERSHIP_ROLES = {"leads": "leaderRole", "memberOf": "memberRole", "expelledFrom": "memberRole"}
_TIME_IN = {4: TIME.inXSDgYear, 7: TIME.inXSDgYearMonth, 10: TIME.inXSDDate}
_TIME_TYPE = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@lru_cache(maxsize=4096)
def date_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ISO date at its precision may be ("2019" -> 2019-01-01, 2019-12-31).

    >>> date_bounds("2020-02")
    (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))
    """
    try:
        if len(text) == 4:
            year = int(text)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
            return dt.date(year, month, 1), last
        day = dt.date.fromisoformat(text[:10])
        return day, day
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def date_literal(text: str) -> Literal | None:
    """An ISO date at its precision as an xsd:gYear, xsd:gYearMonth or xsd:date literal."""
    datatype = _TIME_TYPE.get(len(text))
    return None if datatype is None or date_bounds(text) is None else Literal(text, datatype=datatype)


def _instant(node: URIRef, text: str | None, latest: str | None = None) -> list[Triple]:
    """A time:Instant at the precision of ``text`` with its kg:earliest/kg:latest days (for
    comparisons across precisions); with only ``latest``, an instant known to be no later."""
    triples: list[Triple] = [(node, _RDF_type, TIME.Instant)]
    bounds = date_bounds(text) if text else None
    if bounds is not None:
        triples += [
            (node, _TIME_IN[len(text)], date_literal(text)),
            (node, _K.earliest, Literal(bounds[0].isoformat(), datatype=XSD.date)),
            (node, _K.latest, Literal(bounds[1].isoformat(), datatype=XSD.date)),
        ]
    elif latest and (bounds := date_bounds(latest)) is not None:
        triples.append((node, _K.latest, Literal(bounds[1].isoformat(), datatype=XSD.date)))
    return triples


def time_triples(fact: URIRef, subject: str, predicate: str, obj: str, time: dict | None) -> list[Triple]:
    """The time scope of one fact (``Relation.qualifiers["time"]`` from ``kgraph_time``):

    ``FACT kg:observedOn DATE ; kg:timeScope FACT/time`` and ``FACT/time a time:Interval`` with
    ``time:hasBeginning`` / ``time:hasEnd`` instants at the precision the text gives; for leads,
    memberOf and expelledFrom also ``FACT/membership a org:Membership`` (member, organization,
    role, ``org:memberDuring`` the same interval). An expulsion's interval ends at its date.
    """
    if not time:
        return []
    triples: list[Triple] = []
    observed = time.get("observed")
    if observed and date_bounds(observed) is not None:
        triples.append((fact, _K.observedOn, Literal(date_bounds(observed)[0].isoformat(), datatype=XSD.date)))
    start, end, ended = time.get("start"), time.get("end"), bool(time.get("ended"))
    role = MEMBERSHIP_ROLES.get(predicate)
    if role is None and not (start or end or ended):
        return triples
    interval = URIRef(f"{fact}/time")
    triples += [(fact, _K.timeScope, interval), (interval, _RDF_type, TIME.Interval)]
    if start and date_bounds(start) is not None:
        begin = URIRef(f"{interval}/begin")
        triples.append((interval, TIME.hasBeginning, begin))
        triples += _instant(begin, start)
    if (end and date_bounds(end) is not None) or (ended and observed):
        finish = URIRef(f"{interval}/end")
        triples.append((interval, TIME.hasEnd, finish))
        triples += _instant(finish, end if end and date_bounds(end) else None, latest=observed)
    for cue in time.get("cues") or ():
        triples.append((interval, _K.timeCue, Literal(str(cue).lower())))
    if role is not None:
        membership = URIRef(f"{fact}/membership")
        triples += [
            (membership, _RDF_type, ORG.Membership),
            (membership, ORG.member, URIRef(subject)),
            (membership, ORG.organization, URIRef(obj)),
            (membership, ORG.role, KG[role]),
            (membership, ORG.memberDuring, interval),
            (membership, PROV.wasDerivedFrom, fact),
        ]
    return triples


# -- party lineage (issue 9): org:ChangeEvent --------------------------------------------------
def _day(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def change_triples(event: URIRef, kind: str, original: list[str], resulting: list[str], *,
                   continues: str | None = None, date: str | None = None, sources=(), note: str | None = None,
                   derived_from: URIRef | None = None, latest: str | None = None) -> list[Triple]:
    """One ``org:ChangeEvent``: ``org:originalOrganization`` -> ``org:resultingOrganization``,
    ``kg:changeKind``, ``kg:continues``, ``dcterms:date`` at its precision with ``kg:earliest`` /
    ``kg:latest``, ``dcterms:source`` per source, ``prov:wasDerivedFrom`` its record or article."""
    triples: list[Triple] = [(event, _RDF_type, ORG.ChangeEvent), (event, _K.changeKind, Literal(kind))]
    triples += [(event, ORG.originalOrganization, URIRef(o)) for o in original]
    triples += [(event, ORG.resultingOrganization, URIRef(r)) for r in resulting]
    if continues:
        triples.append((event, _K.continues, URIRef(continues)))
    bounds = date_bounds(date) if date else None
    if bounds is not None and date_literal(date) is not None:
        triples += [(event, DCTERMS.date, date_literal(date)),
                    (event, _K.earliest, _day(bounds[0])), (event, _K.latest, _day(bounds[1]))]
    elif latest and date_bounds(latest) is not None:  # undated, but it had happened by then
        triples.append((event, _K.latest, _day(date_bounds(latest)[1])))
    triples += [(event, DCTERMS.source, Literal(str(src))) for src in sources]
    if note:
        triples.append((event, RDFS.comment, Literal(note)))
    if derived_from is not None:
        triples.append((event, PROV.wasDerivedFrom, derived_from))
    return triples


def lineage_triples(events, entities: dict[str, Entity]) -> list[Triple]:
    """The named graph of the curated lineage: a ``kg:LineageRecord`` that ``kg:mentions`` every
    organization of its events (so their descriptions stay in the default graph) and the events;
    ``entities`` maps the events' KB ids to entities. Ends with its ``kg:contentHash``."""
    from kgraph.rdf.namespace import LINEAGE_RECORD, change_iri

    record = LINEAGE_RECORD
    triples: list[Triple] = [(record, _RDF_type, _K.LineageRecord)]
    named: dict[str, None] = {}
    for event in events:
        iri = lambda kb_id: entities[kb_id].iri  # noqa: E731
        for kb_id in (*event.original, *event.resulting):
            named.setdefault(iri(kb_id))
        triples += change_triples(
            change_iri(event.id), event.kind, [iri(o) for o in event.original], [iri(r) for r in event.resulting],
            continues=iri(event.continues) if event.continues else None, date=event.date,
            sources=event.sources, note=event.note, derived_from=record,
        )
    triples += [(record, _K.mentions, URIRef(i)) for i in named]
    unique = list(dict.fromkeys(triples))
    unique.append((record, _K.contentHash, Literal(graph_fingerprint(unique))))
    return unique


def article_change_triples(analysis: ArticleAnalysis, links: dict[int, Entity], article: URIRef) -> list[Triple]:
    """The org:ChangeEvents an article states (``ArticleAnalysis.changes``), each with its evidence
    sentence and offsets; an undated one had happened by the article's date (``kg:latest``)."""
    from kgraph.rdf.namespace import change_iri

    art = analysis.article
    observed = art.date.isoformat()[:10] if art.date is not None else None
    triples: list[Triple] = []
    for ch in getattr(analysis, "changes", None) or ():
        orgs = [links.get(i) for i in (*ch.original, *ch.resulting)]
        if any(e is None or e.type not in ("PoliticalParty", "Organization") for e in orgs):
            continue
        original = [links[i].iri for i in ch.original]
        resulting = [links[i].iri for i in ch.resulting]
        if set(original) == set(resulting):
            continue
        continues = links[ch.continues].iri if ch.continues is not None and ch.continues in links else None
        event = change_iri(f"{ch.kind}|{'|'.join(original)}|{'|'.join(resulting)}|{ch.start}|{ch.end}", art.id)
        triples += change_triples(event, ch.kind, original, resulting, continues=continues, date=ch.date,
                                  derived_from=article, latest=observed)
        triples += [
            (event, _K.sentence, Literal(ch.sentence)),
            (event, _K.sentenceBeginIndex, _integer(ch.sentence_start)),
            (event, _K.sentenceEndIndex, _integer(ch.sentence_end)),
            (event, _K.beginIndex, _integer(min(ch.start, ch.end))),
            (event, _K.endIndex, _integer(max(ch.start, ch.end))),
        ]
    return triples


# -- who says so (kgraph_attribution) ------------------------------------------------------------
_ASSERTION_MODES = frozenset({"stated", "reported", "alleged", "denied"})


def is_denied(relation) -> bool:
    """A statement the article denies (``qualifiers["negated"]``, or an assertion mode "denied")
    is written as a ``kg:Claim``: recorded with its evidence, but no fact and no direct triple."""
    qualifiers = relation.qualifiers
    if qualifiers.get("negated"):
        return True
    assertion = qualifiers.get("assertion")
    return isinstance(assertion, dict) and assertion.get("mode") == "denied"


def assertion_triples(fact, assertion: dict, links: dict[int, Entity], mentioned: dict[str, None]) -> list[Triple]:
    """How a fact is asserted: ``kg:assertionMode``, the cue word, and the source entity when it is
    linked (``kg:assertedBy``, which refines ``prov:wasAttributedTo``; both are written so that plain
    PROV-O queries see it). The source is added to the article's ``kg:mentions``."""
    mode = assertion.get("mode")
    if mode not in _ASSERTION_MODES:
        raise InputError(f"assertion mode {mode!r} is not one of: {', '.join(sorted(_ASSERTION_MODES))}")
    triples: list[Triple] = [(fact, _K.assertionMode, Literal(mode))]
    if assertion.get("cue"):
        triples.append((fact, _K.assertionCue, Literal(str(assertion["cue"]))))
    source = links.get(assertion["source"]) if assertion.get("source") is not None else None
    if source is not None:
        node = URIRef(source.iri)
        mentioned.setdefault(source.iri)
        triples += [(fact, _K.assertedBy, node), (fact, PROV.wasAttributedTo, node)]
    return triples
