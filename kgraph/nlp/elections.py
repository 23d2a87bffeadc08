"""Election mentions: "the January 10 elections", "the poll", "parliamentary elections" -> one
Election per (country, year, kind), resolved against the article date.

The ``kgraph_elections`` factory adds spans labelled ``Election`` to ``doc.spans["kgraph_mentions"]``
with ``kb_id_`` set to the election key (``"election:KAZ:2021:legislative"``). Year: an explicit
year in the mention or its sentence; else a month ("the October elections") resolved to its next
occurrence after the article date (a December 2020 article's "January 10 elections" are in
January 2021), or its last one when the sentence is in the past tense; else the election the
article last spoke of. Kind from the words around the mention (parliamentary, presidential,
local, ...), else the article's dominant kind. Country from the article's dominant GPE/demonym.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span

from kgraph.nlp.countries import _ADJECTIVES, COUNTRIES, country_code
from kgraph.nlp.mentions import MENTIONS_KEY

__all__ = ["article_date", "COUNTRIES", "country_code", "doc_country", "election_key", "election_name", "ElectionDetector"]

_MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        "January February March April May June July August September October November December".split(), 1
    )
}
_MONTHS.update({m[:3].lower(): i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_YEAR = re.compile(r"^(19|20)\d\d$")
_KIND_WORDS = {
    "parliamentary": "legislative", "legislative": "legislative", "parliament": "legislative",
    "general": "legislative", "congressional": "legislative", "senate": "legislative",
    "duma": "legislative", "mazhilis": "legislative", "majlis": "legislative", "mazhlis": "legislative",
    "house": "legislative", "midterm": "legislative", "assembly": "legislative",
    "presidential": "presidential", "president": "presidential",
    "local": "local", "municipal": "local", "regional": "local", "mayoral": "local",
    "provincial": "local", "city": "local", "council": "local", "gubernatorial": "local",
    "european": "european",
}
_ELECTION_NOUNS = frozenset({"election", "elections", "poll", "polls", "balloting", "ballot", "vote"})
_RELATIVE_YEARS = {"next": 1, "last": -1, "this": 0, "previous": -1, "coming": 1}
_PAST_MARKERS = frozenset({"last", "previous", "past", "earlier", "prior"})
_FUTURE_MARKERS = frozenset({"upcoming", "next", "coming", "forthcoming", "future", "planned", "scheduled"})


def doc_country(doc: Doc) -> str | None:
    """The article's dominant country: the most frequent GPE/NORP (names and demonyms)."""
    counts: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in ("GPE", "NORP", "ORG", "LOC"):
            code = country_code(ent.text)
            if code:
                counts[code] += 1
    for token in doc:  # demonyms the NER does not tag ("Kazakh politics")
        if token.is_title and not token.ent_type_:
            code = COUNTRIES.get(token.lower_)
            if code:
                counts[code] += 1
    return counts.most_common(1)[0][0] if counts else None


def article_date(doc: Doc) -> dt.date | None:
    """The article date the pipeline was given (``doc._.kgraph_date``, ISO string or date)."""
    value = doc._.kgraph_date if Doc.has_extension("kgraph_date") else None
    if isinstance(value, str):
        text = value.strip()[:10]
        # a reduced-precision date ("2023-01", "2023") stands for the first day of its period
        text += {4: "-01-01", 7: "-01"}.get(len(text), "")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return value


def _date_precision(doc: Doc) -> str:
    value = doc._.kgraph_date if Doc.has_extension("kgraph_date") else None
    if isinstance(value, str) and len(value.strip()) in (4, 7):
        return "year" if len(value.strip()) == 4 else "month"
    return "day"


def election_key(country: str | None, year: int | None, kind: str) -> str:
    """The identity of an election: ``election:KAZ:2021:legislative``."""
    return f"election:{country or 'XXX'}:{year or 'unknown'}:{kind}"


def election_name(country: str | None, year: int | None, kind: str) -> str:
    """A readable name: ``2021 Kazakh legislative election``."""
    words = [str(year) if year else None, _ADJECTIVES.get(country or ""), kind, "election"]
    return " ".join(w for w in words if w)


def _is_election_noun(token) -> bool:
    if token.lower_ in ("race", "runoff", "run-off", "contest") and token.pos_ == "NOUN" and token.dep_ != "compound":
        # "the presidential race", "the runoff": an election when a kind word says so
        return token.lower_ in ("runoff", "run-off") or any(
            c.lower_ in _KIND_WORDS and c.lower_ not in ("house", "city", "council", "assembly") for c in token.children
        )
    if token.lower_ not in _ELECTION_NOUNS or token.pos_ not in ("NOUN", "PROPN"):
        return False
    if token.dep_ == "compound":  # "election officials", "election laws"
        return False
    if token.lower_ in ("vote", "ballot", "balloting") :
        # a vote is an election only as "the vote" about a date/kind: too ambiguous otherwise
        return any(c.lower_ in _KIND_WORDS or c.ent_type_ == "DATE" for c in token.children)
    if token.lower_ in ("poll", "polls"):
        # "opinion polls" are not elections
        return not any(c.lower_ in ("opinion", "exit", "survey") for c in token.children)
    return True


def _is_vote_reference(token) -> bool:
    """"the vote"/"the ballot" after an election was mentioned: that election."""
    return (
        token.lower_ in ("vote", "ballot", "balloting")
        and token.pos_ == "NOUN"
        and token.dep_ != "compound"
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)
        and not any(c.dep_ == "prep" and c.lower_ in ("for", "on", "against") for c in token.children)
    )


class ElectionDetector:
    """Finds election mentions and gives each a (country, year, kind) key."""

    def __init__(self, nlp: Language, name: str, default_kind: str):
        self.name = name
        self.default_kind = default_kind
        if not Doc.has_extension("kgraph_date"):
            Doc.set_extension("kgraph_date", default=None)

    def __call__(self, doc: Doc) -> Doc:
        found = []  # (span, year, month, kind, tense)
        taken = {i for s in doc.spans.get(MENTIONS_KEY, []) for i in range(s.start, s.end)}
        for token in doc:
            if token.i in taken:
                continue
            if not _is_election_noun(token) and not (found and _is_vote_reference(token)):
                continue
            span = self._span(token)
            year, month, kind, tense = self._attributes(token, span)
            found.append((span, year, month, kind, tense))
        if not found:
            return doc
        date = article_date(doc)
        country = doc_country(doc)
        kinds = Counter(f[3] for f in found if f[3])
        dominant_kind = kinds.most_common(1)[0][0] if kinds else self.default_kind
        resolved = []
        for span, year, month, kind, tense in found:
            if isinstance(year, tuple):  # ("relative", offset) from "next year"
                year = date.year + year[1] if date is not None else None
            if year is None and month is not None and date is not None:
                year = date.year
                if _date_precision(doc) == "year":  # the article's month is unknown: keep its year
                    pass
                elif tense == "past" and month > date.month:
                    year -= 1
                elif tense != "past" and month < date.month:
                    year += 1
            resolved.append([span, year, kind, tense])
        # unresolved years: the election the article last spoke of (not one marked as past),
        # else the next one mentioned, else the article's year
        current = [r for r in resolved if r[1] is not None and r[3] != "past"]
        for item in resolved:
            if item[1] is None:
                before = [r for r in current if r[0].start < item[0].start]
                after = [r for r in current if r[0].start > item[0].start]
                source = before[-1] if before else (after[0] if after else None)
                if source is not None:
                    item[1] = source[1]
                    item[2] = item[2] or source[2]
                elif date is not None:
                    item[1] = date.year
            item[2] = item[2] or dominant_kind
        group = list(doc.spans.get(MENTIONS_KEY, []))
        for span, year, kind, _tense in resolved:
            key = election_key(country, year, kind)
            group.append(Span(doc, span.start, span.end, label="Election", kb_id=key))
        doc.spans[MENTIONS_KEY] = sorted(group, key=lambda s: s.start)
        return doc

    @staticmethod
    def _span(token) -> Span:
        """The election noun with its determiner and modifiers: "the January 10 elections"."""
        start = token.i
        for child in token.lefts:
            if child.dep_ in ("det", "amod", "compound", "nmod", "nummod", "poss"):
                start = min(start, child.left_edge.i)
        return token.doc[start : token.i + 1]

    @staticmethod
    def _attributes(token, span: Span):
        year = month = kind = None
        tense = None
        relative = None
        # words of the mention, its prepositional attachments ("elections to the Mazhlis",
        # "elections in 2021", "elections later this year") and its governing verb's dates
        words = list(span)
        for prep in token.rights:
            if prep.dep_ == "prep":
                words.extend(prep.subtree)
        head = token.head
        for child in head.children:
            if child.ent_type_ == "DATE" or (child.dep_ == "prep" and child.lower_ in ("in", "on")):
                if child.i not in (t.i for t in words) and child.i != token.i:
                    words.extend(child.subtree)
        for w in words:
            low = w.lower_
            if _YEAR.match(w.text) and year is None:
                year = int(w.text)
            elif low in _MONTHS and (w.ent_type_ == "DATE" or w.is_title) and month is None:
                month = _MONTHS[low]
            elif low in _KIND_WORDS and kind is None and w.i != token.i:
                kind = _KIND_WORDS[low]
            elif low in _PAST_MARKERS:
                tense = "past"
            elif low in _FUTURE_MARKERS:
                tense = "future"
            elif low == "year" and any(c.lower_ in _RELATIVE_YEARS for c in w.children):
                offset = next(_RELATIVE_YEARS[c.lower_] for c in w.children if c.lower_ in _RELATIVE_YEARS)
                relative = offset  # "next year", "last year", "later this year"
                tense = tense or ("past" if offset < 0 else "future")
        if tense is None:
            # "the last elections were held in March 2016": the clause's tense decides
            verb = token.head if token.dep_ in ("nsubj", "nsubjpass", "dobj") else None
            if verb is not None and verb.tag_ == "VBD" or any(
                c.tag_ == "VBD" for c in (verb.children if verb is not None else ())
            ):
                tense = "past"
        if year is None and relative is not None:
            year = ("relative", relative)
        return year, month, kind, tense


@Language.factory(
    "kgraph_elections",
    requires=["token.dep", "token.ent_type", "doc.spans"],
    assigns=["doc.spans"],
    default_config={"default_kind": "legislative"},
)
def make_elections(nlp: Language, name: str, default_kind: str) -> ElectionDetector:
    """Election mentions with a (country, year, kind) key (add after ``kgraph_mentions``)."""
    return ElectionDetector(nlp, name, default_kind)
