"""Facts in time: who held what (leads, memberOf) on a date, with the evidence and its age.

The packaged query ``asof`` (``kgraph/rdf/queries/asof.rq``) rates every piece of evidence for
the date (stated, carried forward, ended, succeeded); :func:`as_of` keeps the best one per
relation, names the organization as it was called on the date (through its lineage, see
:mod:`kgraph.lineage`) and filters by predicate or entity.

>>> parse_date("2020-12-31")
datetime.date(2020, 12, 31)
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from kgraph.errors import InputError

__all__ = ["as_of", "parse_date", "STATE_PREDICATES", "HELD", "STATUSES"]

#: the relations that are states held over time (expelledFrom and boycotted are events)
STATE_PREDICATES = ("leads", "memberOf")
#: statuses meaning the relation held on the date
HELD = ("stated", "carried")
#: every status, best first
STATUSES = ("stated", "carried", "succeeded", "merged", "ended")
COLUMNS = ["subject", "relation", "object", "object_then", "status", "since", "until", "observed",
           "age_days", "evidence", "sentence", "title", "article", "subject_iri", "object_iri"]


def parse_date(value: str | dt.date) -> dt.date:
    """An ISO date (``2021-01-01``; a bare year or year-month means its first day)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1)
        if len(text) == 7 and text[4] == "-":
            return dt.date(int(text[:4]), int(text[5:]), 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2021-01-01") from None


def _text(term) -> str | None:
    return None if term is None else str(term)


def _age_days(term) -> int | None:
    if term is None:
        return None
    value = term.toPython() if hasattr(term, "toPython") else term
    if isinstance(value, dt.timedelta):
        return value.days
    text = str(value)  # an xsd:dayTimeDuration such as "P28D"
    if text.startswith("P") and text.endswith("D") and text[1:-1].isdigit():
        return int(text[1:-1])
    return None


def as_of(store, date: str | dt.date, *, predicate: str | None = None, entity: str | None = None,
          ended: bool = False) -> list[dict[str, Any]]:
    """Who held what on ``date``: one row per (subject, relation, object), best evidence first.

    ``status`` is ``stated`` (the evidence covers the date) or ``carried`` (observed ``age_days``
    earlier, nothing since ended it); with ``ended=True`` also the relations that had ended by the
    date (``ended``: "former", "ousted", an expulsion; ``succeeded``: another leader was observed
    later; ``merged``: the organization merged into another), with ``until``. ``object_then`` is
    the organization's name on the date when it has since been renamed (or was renamed before).
    ``predicate`` is leads or memberOf; ``entity`` an IRI (subject or object, any name of its
    party line).
    """
    from kgraph.lineage import Lineage
    from kgraph.rdf.queries import named_query

    day = parse_date(date)
    if predicate is not None and predicate not in STATE_PREDICATES:
        raise InputError(
            f"asof answers for states held over time: --predicate must be one of {', '.join(STATE_PREDICATES)}, "
            f"not {predicate!r} (expulsions and boycotts are events: see `kgraph query relations`)"
        )
    result = store.query(named_query("asof", date=day.isoformat()))
    rows = [dict(zip(result.vars, row)) for row in result.rows]
    lineage = Lineage.from_store(store)
    wanted = (lineage.members(entity) | {entity}) if entity else None
    best: dict[tuple[str, str, str], dict] = {}
    counts: dict[tuple[str, str, str], int] = {}
    for row in rows:
        relation = str(row["relation"])
        if predicate and relation != predicate:
            continue
        s, o = str(row["subject"]), str(row["object"])
        if wanted is not None and s not in wanted and o not in wanted:
            continue
        key = (s, relation, o)
        status = str(row["status"])
        rank = STATUSES.index(status) if status in STATUSES else len(STATUSES)
        observed = _text(row.get("observed"))
        candidate = {
            "subject": _text(row.get("subjectLabel")) or s,
            "relation": relation,
            "object": _text(row.get("objectLabel")) or o,
            "object_then": None,
            "status": status,
            "since": _text(row.get("since")),
            "until": _text(row.get("until")),
            "observed": observed,
            "age_days": _age_days(row.get("age")),
            "evidence": 0,
            "sentence": _text(row.get("sentence")),
            "title": _text(row.get("title")),
            "article": _text(row.get("articleId")),
            "subject_iri": s,
            "object_iri": o,
            "_rank": (rank, -(int(observed.replace("-", "")) if observed else 0)),
        }
        if status in HELD:
            counts[key] = counts.get(key, 0) + 1
        if key not in best or candidate["_rank"] < best[key]["_rank"]:
            best[key] = candidate
    out = []
    for key, row in best.items():
        if row["status"] not in HELD and not ended:
            continue
        row.pop("_rank")
        row["evidence"] = counts.get(key, 1 if row["status"] not in HELD else 0)
        then = lineage.name_at(row["object_iri"], day) if row["status"] in HELD else None
        if then is not None and then != row["object"]:
            row["object_then"] = then
        out.append(row)
    out.sort(key=lambda r: (r["object"], r["relation"], STATUSES.index(r["status"]) if r["status"] in STATUSES else 9, r["subject"]))
    return out
