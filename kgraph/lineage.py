"""Party lineage: renames, mergers, splits and successions linking organizations across their names.

Each name is an entity of its own (Otan, Nur Otan, Amanat); lineage links them with
``org:ChangeEvent`` s (``org:originalOrganization`` -> ``org:resultingOrganization``, a date, a
source). Events come from the curated file ``kgraph/linking/data/lineage.jsonl`` (users add
their own files of the same shape) and from article text (``kgraph/nlp/lineage.py``). A
*party line* is the chain of organizations that continue one another (``kg:continues``: the
original a result continues; a merger's absorbed parties end there).

A curated record, one JSON object per line::

    {"id": "kaz-nur-otan-2006", "kind": "merger", "date": "2006",
     "original": ["actor:otan", "pf:5907"], "resulting": ["pf:3748"], "continues": "actor:otan",
     "sources": ["https://en.wikipedia.org/wiki/Amanat_(party)"], "note": "..."}

``original`` / ``resulting`` / ``continues`` are knowledge-base ids (``kgraph/linking/data``).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kgraph.errors import InputError

__all__ = ["ChangeEvent", "KINDS", "LINEAGE_JSONL", "read_lineage", "curated_lineage", "Lineage",
           "name_at", "line_members"]

#: the kinds of change (org:ChangeEvent) kgraph records
KINDS = ("rename", "merger", "split", "succession")
LINEAGE_JSONL = Path(__file__).parent / "linking" / "data" / "lineage.jsonl"


@dataclass(frozen=True)
class ChangeEvent:
    """One change of organizations: ``original`` -> ``resulting`` on ``date`` (ISO at its precision:
    "2006", "2022-03", "2022-03-01"), ``continues`` the original whose line the result carries on."""

    id: str
    kind: str
    original: tuple[str, ...]
    resulting: tuple[str, ...]
    date: str | None = None
    continues: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None


def _date_ok(text: str) -> bool:
    from kgraph.rdf.build import date_bounds

    return len(text) in (4, 7, 10) and date_bounds(text) is not None


def read_lineage(path: str | Path) -> list[ChangeEvent]:
    """The change events of a lineage JSONL file (raises InputError naming the line at fault)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read lineage file {path}: {exc.strerror or exc}") from exc
    events = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg}); one JSON object per line") from None
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected a JSON object with id, kind, original, resulting")
        missing = [k for k in ("id", "kind", "original", "resulting") if not record.get(k)]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)}; a change needs id, kind, original, resulting")
        if record["kind"] not in KINDS:
            raise InputError(f"{where}: kind {record['kind']!r} is not one of {', '.join(KINDS)}")
        date = record.get("date")
        if date is not None and not _date_ok(str(date)):
            raise InputError(f"{where}: date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        original = tuple(_as_list(record["original"]))
        continues = record.get("continues")
        if continues is not None and continues not in original:
            raise InputError(f"{where}: continues {continues!r} must be one of original: {', '.join(original)}")
        if continues is None and record["kind"] == "rename" and len(original) == 1:
            continues = original[0]  # a rename continues its only original
        events.append(ChangeEvent(
            id=str(record["id"]), kind=record["kind"], original=original,
            resulting=tuple(_as_list(record["resulting"])), date=str(date) if date else None,
            continues=continues, sources=tuple(_as_list(record.get("sources", ()))), note=record.get("note"),
        ))
    return events


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def curated_lineage(kb, files: Iterable[str | Path] = (), *, bundled: bool = True) -> tuple[list[ChangeEvent], dict]:
    """The curated events (the bundled file unless ``bundled=False``, then ``files``) and the
    entities they name, by KB id.

    Raises InputError for an id the knowledge base does not have."""
    from kgraph.model import Entity
    from kgraph.rdf.namespace import entity_iri

    events: list[ChangeEvent] = []
    for path in ((LINEAGE_JSONL,) if bundled else ()) + tuple(files):
        events += read_lineage(path)
    entities: dict[str, Entity] = {}
    for event in events:
        for kb_id in (*event.original, *event.resulting):
            if kb_id in entities:
                continue
            kbe = kb.get(kb_id)
            if kbe is None:
                raise InputError(
                    f"lineage event {event.id!r} names {kb_id!r}, which the knowledge base does not have; "
                    "add it to a --kb file or fix the id"
                )
            entities[kb_id] = Entity(str(entity_iri(kbe.type, kbe.name)), kbe.type, kbe.name, set(),
                                     kbe.wikidata, kbe.id)
    return events, entities


# -- reading lineage back from a store ------------------------------------------------------
_EVENTS_QUERY = """
SELECT ?event ?kind ?date ?latest ?role ?org ?label ?source ?sentence ?article WHERE {
  ?event a org:ChangeEvent ; kg:changeKind ?kind .
  OPTIONAL { ?event dcterms:date ?date } OPTIONAL { ?event kg:latest ?latest }
  { ?event org:originalOrganization ?org BIND("original" AS ?role) }
  UNION { ?event org:resultingOrganization ?org BIND("resulting" AS ?role) }
  UNION { ?event kg:continues ?org BIND("continues" AS ?role) }
  OPTIONAL { ?org rdfs:label ?label }
  OPTIONAL { ?event dcterms:source ?source }
  OPTIONAL { ?event kg:sentence ?sentence }
  OPTIONAL { ?event prov:wasDerivedFrom ?from . ?from kg:articleId ?article }
}"""


@dataclass
class _StoredEvent:
    iri: str
    kind: str
    date: str | None = None
    latest: dt.date | None = None  # the last day it may have happened on: it had happened by then
    original: list[str] = field(default_factory=list)
    resulting: list[str] = field(default_factory=list)
    continues: str | None = None
    sources: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


class Lineage:
    """The change events of a store, with the party lines they make."""

    def __init__(self, events: list[_StoredEvent], labels: dict[str, str]):
        self.events = sorted(events, key=lambda e: (e.latest or dt.date.max, e.iri))
        self.labels = labels

    @classmethod
    def from_store(cls, store) -> "Lineage":
        events: dict[str, _StoredEvent] = {}
        labels: dict[str, str] = {}
        for row in store.query(_EVENTS_QUERY).rows:
            ev_iri, kind, date, latest, role, org, label, source, sentence, article = row
            event = events.setdefault(str(ev_iri), _StoredEvent(str(ev_iri), str(kind)))
            if date is not None:
                event.date = str(date)
            if latest is not None:
                event.latest = latest.toPython() if hasattr(latest, "toPython") else latest
            org = str(org)
            if label is not None:
                labels[org] = str(label)
            bucket = {"original": event.original, "resulting": event.resulting}.get(str(role))
            if bucket is not None and org not in bucket:
                bucket.append(org)
            elif str(role) == "continues":
                event.continues = org
            for value, into in ((source, event.sources), (sentence, event.sentences), (article, event.articles)):
                if value is not None and str(value) not in into:
                    into.append(str(value))
        for event in events.values():
            event.original.sort(key=lambda i: (i != event.continues, labels.get(i, i)))
            event.resulting.sort(key=lambda i: labels.get(i, i))
        return cls(list(events.values()), labels)

    def label(self, iri: str) -> str:
        return self.labels.get(iri, iri.rsplit("/", 1)[-1])

    def _before(self, iri: str) -> _StoredEvent | None:
        """The event that made ``iri`` out of a continued predecessor."""
        found = [e for e in self.events if iri in e.resulting and e.continues and e.continues != iri]
        return found[-1] if found else None

    def _after(self, iri: str) -> _StoredEvent | None:
        """The event where ``iri`` is continued by a new name (renamed, or absorbing others)."""
        found = [e for e in self.events if e.continues == iri and iri not in e.resulting]
        return found[0] if found else None

    def _origin(self, iri: str) -> _StoredEvent | None:
        """The event that created ``iri`` without continuing anything (a split, a new merged party)."""
        found = [e for e in self.events if iri in e.resulting and iri not in e.original and not e.continues]
        return found[0] if found else None

    def absorbed(self, iri: str) -> _StoredEvent | None:
        """The event where ``iri`` ended by merging into (or splitting into) other organizations."""
        found = [e for e in self.events if iri in e.original and e.continues != iri and iri not in e.resulting]
        return found[0] if found else None

    def line(self, iri: str) -> list[tuple[str, _StoredEvent | None]]:
        """The party line through ``iri``, oldest first: (organization, the event that made it)."""
        steps: list[tuple[str, _StoredEvent | None]] = []
        seen = {iri}
        current, event = iri, self._before(iri)
        while event is not None and event.continues not in seen:
            steps.insert(0, (current, event))
            current = event.continues
            seen.add(current)
            event = self._before(current)
        steps.insert(0, (current, None))
        current = iri
        while (event := self._after(current)) is not None:
            nxt = next((r for r in event.resulting if r not in seen), None)
            if nxt is None:
                break
            steps.append((nxt, event))
            seen.add(nxt)
            current = nxt
        return steps

    def members(self, iri: str) -> set[str]:
        """Every organization of the line through ``iri``."""
        return {org for org, _ in self.line(iri)}

    def name_at(self, iri: str, day: dt.date) -> str | None:
        """The name the line of ``iri`` went by on ``day`` (None when no event dates it)."""
        steps = self.line(iri)
        if len(steps) == 1:
            return None
        name = steps[0][0]
        for org, event in steps[1:]:
            if event is not None and event.latest is not None and event.latest <= day:
                name = org
        return self.label(name)

    def describe(self, iri: str) -> str:
        """``Otan -> Nur Otan (2006, absorbing Asar, ...) -> Amanat (2022)``."""
        parts = []
        for org, event in self.line(iri):
            if event is None:
                origin = self._origin(org)
                if origin is None:
                    parts.append(self.label(org))
                else:  # a splinter, or a party formed by a merger that continues none of its originals
                    verb = "split from" if origin.kind == "split" else f"{origin.kind} of"
                    sources = _and([self.label(o) for o in origin.original])
                    year = origin.date[:4] if origin.date else "date unknown"
                    parts.append(f"{self.label(org)} ({year}, {verb} {sources})")
                continue
            detail = [event.date[:4] if event.date else "date unknown"]
            others = [self.label(o) for o in event.original if o != event.continues]
            if others and event.continues:
                detail.append("absorbing " + _and(others))
            elif event.kind != "rename":
                detail.append(event.kind)
            parts.append(f"{self.label(org)} ({', '.join(detail)})")
        last = self.line(iri)[-1][0]
        end = self.absorbed(last)
        if end is not None:
            into = _and([self.label(r) for r in end.resulting])
            verb = {"merger": "merged", "split": "split"}.get(end.kind, end.kind)
            parts.append(f"{verb} into {into} ({end.date[:4] if end.date else 'date unknown'})")
        return " -> ".join(parts)


    def report(self, iri: str) -> dict:
        """The line through ``iri`` as text and its events as plain dicts (oldest first)."""
        seen: list[_StoredEvent] = []
        line = {org for org, _ in self.line(iri)}
        for event in self.events:  # every change any name of the line took part in
            if line & {*event.original, *event.resulting} and event not in seen:
                seen.append(event)
        events = [
            {
                "date": e.date, "kind": e.kind,
                "original": [self.label(o) for o in e.original],
                "resulting": [self.label(r) for r in e.resulting],
                "continues": self.label(e.continues) if e.continues else None,
                "sources": list(e.sources) + [f"article {a}" for a in e.articles],
                "sentences": list(e.sentences),
                "event": e.iri,
            }
            for e in sorted(seen, key=lambda e: (e.latest or dt.date.max, e.iri))
        ]
        return {"organization": self.label(iri), "iri": iri, "line": self.describe(iri), "events": events}


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def name_at(store, iri: str, day: dt.date) -> str | None:
    """The name the party line of ``iri`` went by on ``day`` (None if it has no dated lineage)."""
    return Lineage.from_store(store).name_at(iri, day)


def line_members(store, iri: str) -> set[str]:
    """``iri`` and every organization of its party line."""
    return Lineage.from_store(store).members(iri) | {iri}
