"""Election mentions: "the January 10 elections", "the runoff", "last year's presidential vote"
-> one Election per (country, year, kind), resolved against the article date.

The ``kgraph_elections`` factory adds spans labelled ``Election`` to ``doc.spans["kgraph_mentions"]``
with ``kb_id_`` set to the election key (``"election:KAZ:2021:legislative"``) and ``id_`` set to
the kind word the article uses ("general", "parliamentary"; coreference turns it into an alias
such as "2024 Bangladeshi general election"). Year: an explicit year in the mention or its
sentence; else a relative one ("last year's vote", "elections next year"); else a month ("the
October elections") resolved to its next occurrence after the article date (a December 2020
article's "January 10 elections" are in January 2021), or its last one when the sentence is in
the past tense; else the election the article last spoke of. Kind from the words around the
mention (parliamentary, presidential, local, ...), else the article's dominant kind. Country: a
country named in the mention or its attachments ("Tunisia's elections", "the Kenyan poll",
"elections in Iraq"), else the article's dominant country. Every word list is in
``lexicon/<lang>/elections.json``; countries come from :mod:`kgraph.nlp.countries`.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import numpy
from spacy.attrs import IS_TITLE
from spacy.language import Language
from spacy.tokens import Doc, Span

from kgraph.nlp.countries import _ADJECTIVES, COUNTRIES, capital_country, country_adjective, country_code
from kgraph.nlp.lexicon import load_lexicon, word_positions
from kgraph.nlp.mentions import MENTIONS_KEY

__all__ = [
    "article_date", "COUNTRIES", "country_code", "doc_country", "election_key", "election_name",
    "election_aliases", "ElectionDetector",
]

_LEX = load_lexicon("elections")
_MONTHS: dict[str, int] = _LEX["months"]
_YEAR = re.compile(r"^(19|20)\d\d$")
_KIND_WORDS: dict[str, str] = _LEX["kind_words"]
_KIND_NAMES = _LEX["kind_names"]
_WEAK_KIND_WORDS = _LEX["weak_kind_words"]
_ELECTION_NOUNS = _LEX["election_nouns"]
_WEAK_ELECTION_NOUNS = _LEX["weak_election_nouns"]
_ROUND_NOUNS = _LEX["round_nouns"]
_RACE_NOUNS = _LEX["race_nouns"]
_NOT_ELECTION = _LEX["not_election"]
_RELATIVE_YEARS: dict[str, int] = _LEX["relative_years"]
_PAST_MARKERS = _LEX["past_markers"]
_FUTURE_MARKERS = _LEX["future_markers"]
_ROUND_ORDINALS = _LEX["round_ordinals"]
_ROUND_NOT = _LEX["round_not"]
_VOTE_REFERENCES = _LEX["vote_references"]
#: the words an election mention may be headed by (:func:`_is_election_noun`, :func:`_is_vote_reference`)
_CANDIDATE_WORDS = frozenset(_ELECTION_NOUNS | _ROUND_NOUNS | _RACE_NOUNS | _VOTE_REFERENCES | {"poll", "polls"})
_NAME_LABELS = ("GPE", "NORP", "ORG", "LOC")
#: the kind of a by-election, written "by-election(s)", which the tokenizer splits at the hyphen
_BY_ELECTION = "by-election"


def _by_prefix(token) -> bool:
    """"by-elections" tokenized as by / - / elections."""
    doc, i = token.doc, token.i
    return i >= 2 and doc[i - 1].text in ("-", "‑") and doc[i - 2].lower_ == "by" \
        and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_


def doc_country(doc: Doc) -> str | None:
    """The article's dominant country: the most frequent GPE/NORP (names and demonyms; a capital
    counts half)."""
    cached = doc.user_data.get("kgraph_country", False) if doc.user_data is not None else False
    if cached is not False:
        return cached
    counts: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in _NAME_LABELS:
            code = country_code(ent.text)
            if code:
                counts[code] += 1
            elif ent.label_ == "GPE" and (code := capital_country(ent.text)):
                counts[code] += 0.5  # "in Dhaka": the country, where the article does not name it
    for i in numpy.nonzero(doc.to_array(IS_TITLE))[0].tolist() if len(doc) else ():
        token = doc[i]
        # demonyms the NER does not tag ("Kazakh politics") and country words inside other
        # names ("Islami Andolon Bangladesh", "Bangladesh‘s" the tokenizer kept whole)
        if token.ent_type_ not in _NAME_LABELS and token.ent_type_ != "PERSON":
            code = country_code(token.text)
            if code:
                counts[code] += 1 if not token.ent_type_ else 0.5
            elif token.ent_type_ != "ORG" and (code := capital_country(token.text)):
                counts[code] += 0.5  # a capital the NER did not tag ("Ulaanbaatar, September 1")
    result = counts.most_common(1)[0][0] if counts else None
    doc.user_data["kgraph_country"] = result
    return result


def article_date(doc: Doc) -> dt.date | None:
    """The article date the pipeline was given (``doc._.kgraph_date``: an ISO string, possibly
    of reduced precision "YYYY-MM" / "YYYY", or a date)."""
    value = doc._.kgraph_date if Doc.has_extension("kgraph_date") else None
    if isinstance(value, str):
        parts = value[:10].split("-")
        try:
            year = int(parts[0])
            month = int(parts[1]) if len(parts) > 1 and parts[1] else 7  # a year alone: its middle
            day = int(parts[2]) if len(parts) > 2 and parts[2] else 15
            return dt.date(year, month, day)
        except (ValueError, IndexError):
            return None
    if isinstance(value, dt.datetime):
        return value.date()
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
    if kind == _BY_ELECTION:  # "2025 Pakistani by-election"
        return " ".join(w for w in (str(year) if year else None, _ADJECTIVES.get(country or ""), kind) if w)
    words = [str(year) if year else None, _ADJECTIVES.get(country or ""), kind, "election"]
    return " ".join(w for w in words if w)


def election_aliases(country: str | None, year: int | None, words: set[str]) -> list[str]:
    """Names the article's own kind words give an election: ``2024 Bangladeshi general
    election`` (the way reference works name elections)."""
    adjective = country_adjective(country)
    out = []
    if _BY_ELECTION in words and year and adjective:  # a day of by-elections is named in the plural
        out.append(f"{year} {adjective} {_BY_ELECTION}s")
        words = set(words) - {_BY_ELECTION}
    for word in sorted(words):
        parts = [str(year) if year else None, adjective, word, "election"]
        if year and adjective:
            out.append(" ".join(p for p in parts if p))
    return out


_ENTITY_LEX = load_lexicon("entities")
_NOT_AN_ELECTION = _ENTITY_LEX["not_an_election"]
_GENERIC_ELECTION = _ENTITY_LEX["generic_election"]
_TITLES = _ENTITY_LEX["lead_titles"] | _ENTITY_LEX["member_titles"]


def _is_election_noun(token) -> bool:
    low = token.lower_
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    lefts = [c.lower_ for c in token.lefts]
    if any(w in _NOT_AN_ELECTION or w in _GENERIC_ELECTION for w in lefts):
        return False  # "the party chairmanship election", "any election", "two elections"
    if any(c.dep_ == "prep" and c.lower_ == "as" and any(o.lower_ in _TITLES for o in c.children) for c in token.children):
        return False  # "standing for election as party leader": a post, not a public election
    if low in _RACE_NOUNS:
        # "the presidential race": an election when a kind word says so
        return token.dep_ != "compound" and any(
            c.lower_ in _KIND_WORDS and c.lower_ not in _WEAK_KIND_WORDS for c in token.children)
    if low in _ROUND_NOUNS:
        if token.dep_ == "compound":
            return False
        if low == "round":  # "the second round (of voting)", not "a round of talks"
            return any(c.lower_ in _ROUND_ORDINALS for c in token.lefts) and not any(
                c.dep_ == "prep" and any(o.lower_ in _ROUND_NOT for o in c.children)
                for c in token.rights)
        return True
    if low not in _ELECTION_NOUNS:
        return False
    if token.dep_ == "compound":  # "election officials", "election laws"
        return False
    if low in _WEAK_ELECTION_NOUNS:
        # a vote is an election only with a kind or a date: "the presidential vote", "the
        # January 7 ballot" (too ambiguous otherwise: "a vote on the budget")
        return any(c.lower_ in _KIND_WORDS or c.ent_type_ == "DATE" for c in token.children) and not any(
            c.dep_ == "prep" and c.lower_ in ("on", "for", "against") for c in token.children)
    if low in ("poll", "polls"):
        # "opinion polls" are not elections
        return not any(c.lower_ in _NOT_ELECTION for c in token.children)
    return True


def _is_vote_reference(token) -> bool:
    """"the vote"/"the ballot" after an election was mentioned: that election."""
    return (
        token.lower_ in _VOTE_REFERENCES
        and token.pos_ == "NOUN"
        and token.dep_ != "compound"
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)
        and not any(c.dep_ == "prep" and c.lower_ in ("for", "on", "against") for c in token.children)
    )


def _coordinated_years(token, span: Span, year) -> list:
    """The years coordinated with an election's own year after it ("elections in 2015 and
    2020": 2020), outside its span; each is an election of its own."""
    if not isinstance(year, int):
        return []
    out = []
    # its own "in 2015 and 2020", or its clause's ("boycotted elections in 2010, 2015 and 2020")
    preps = list(token.rights) + (list(token.head.children) if token.dep_ in ("dobj", "nsubj", "nsubjpass") else [])
    for prep in preps:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "of"):
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj" and obj.text == str(year):
                out.extend(c for c in obj.subtree if c.dep_ == "conj" and _YEAR.match(c.text) and c.i >= span.end
                           and c.text != obj.text)
    return out


_NOT_NAME_DETERMINERS = frozenset({"a", "an", "its", "their", "his", "her", "our", "your"})


class ElectionDetector:
    """Finds election mentions and gives each a (country, year, kind) key."""

    def __init__(self, nlp: Language, name: str, default_kind: str):
        self.name = name
        self.default_kind = default_kind
        if not Doc.has_extension("kgraph_date"):
            Doc.set_extension("kgraph_date", default=None)

    def __call__(self, doc: Doc) -> Doc:
        found = []  # (span, year, month, kind, tense, country, kind name)
        taken = {i for s in doc.spans.get(MENTIONS_KEY, []) for i in range(s.start, s.end)}
        for token in (doc[i] for i in word_positions(doc, _CANDIDATE_WORDS)):  # most tokens are none
            if token.i in taken:
                continue
            if not _is_election_noun(token) and not (found and _is_vote_reference(token)):
                continue
            span = self._span(token)
            year, month, kind, tense, country, kind_name = self._attributes(token, span)
            found.append((span, year, month, kind, tense, country, kind_name))
            # "parliamentary elections in 2015 and 2020": one election per year; the others are
            # named by their year
            for other in _coordinated_years(token, span, year):
                found.append((doc[other.i : other.i + 1], int(other.text), None, kind, "past" if tense == "past" else tense,
                              country, kind_name))
        if not found:
            return doc
        date = article_date(doc)
        # the article's country, else the one its election mentions name most
        own = Counter(f[5] for f in found if f[5])
        country = doc_country(doc) or (own.most_common(1)[0][0] if own else None)
        kinds = Counter(f[3] for f in found if f[3])
        dominant_kind = kinds.most_common(1)[0][0] if kinds else self.default_kind
        resolved = []
        for span, year, month, kind, tense, own_country, kind_name in found:
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
            resolved.append([span, year, kind, tense, own_country, kind_name])
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
                    item[4] = item[4] or source[4]
                    item[5] = item[5] or source[5]
                elif date is not None:
                    item[1] = date.year
            item[2] = item[2] or dominant_kind
        group = list(doc.spans.get(MENTIONS_KEY, []))
        for span, year, kind, _tense, own_country, kind_name in resolved:
            key = election_key(own_country or country, year, kind)
            group.append(Span(doc, span.start, span.end, label="Election", kb_id=key, span_id=kind_name or ""))
        doc.spans[MENTIONS_KEY] = sorted(group, key=lambda s: s.start)
        return doc

    @staticmethod
    def _span(token) -> Span:
        """The election noun with its determiner and modifiers: "the January 10 elections"."""
        start = token.i
        for child in token.lefts:
            if child.dep_ in ("det", "amod", "compound", "nmod", "nummod", "poss"):
                start = min(start, child.left_edge.i)
        doc = token.doc
        if _by_prefix(token):
            start = min(start, token.i - 2)
        # an indefinite article or a pronoun's possessive is not part of its name ("a December 1
        # election", "its legislative and local elections")
        while start < token.i and doc[start].lower_ in _NOT_NAME_DETERMINERS:
            start += 1
        # a country's possessive is not part of the election's name ("Tunisia's elections")
        while start < token.i and (doc[start].ent_type_ in ("GPE",) or doc[start].text in ("'s", "’s")) \
                and any(t.text in ("'s", "’s") for t in doc[start:token.i]):
            start += 1
        return doc[start : token.i + 1]

    @staticmethod
    def _attributes(token, span: Span):
        year = month = kind = kind_name = country = None
        tense = None
        relative = None
        # words of the mention, its prepositional attachments ("elections to the Mazhlis",
        # "elections in 2021", "elections later this year") and its governing verb's dates
        words = list(token.lefts) + list(span)
        for prep in token.rights:
            if prep.dep_ == "prep":
                words.extend(prep.subtree)
        # (a coordinated election's head is the first election, not the clause: "the 2018
        # election, as well as the 2008 poll" takes no date of the first)
        head = token.head if token.dep_ != "conj" else token
        seen = {t.i for t in words}
        borrowed = []  # the clause's dates fill in only what the mention's own words leave open
        for child in (head.children if head is not token else ()):
            if child.ent_type_ == "DATE" or (child.dep_ == "prep" and child.lower_ in ("in", "on")):
                if child.i not in seen and child.i != token.i:
                    borrowed.extend(child.subtree)
        seen = set()
        # in text order: "European Parliament election"
        for w in sorted(words, key=lambda t: t.i) + sorted(borrowed, key=lambda t: t.i):
            if w.i in seen:
                continue
            seen.add(w.i)
            low = w.lower_
            if _YEAR.match(w.text) and year is None:
                year = int(w.text)
            elif low in _MONTHS and (w.ent_type_ == "DATE" or w.is_title) and month is None:
                month = _MONTHS[low]
            elif low in _KIND_WORDS and kind is None and w.i != token.i and not (
                    low in _WEAK_KIND_WORDS and w.i > token.i):
                kind = _KIND_WORDS[low]
                if low in _KIND_NAMES:
                    kind_name = low
            elif country is None and (w.ent_type_ in _NAME_LABELS or w.is_title) and country_code(w.text):
                country = country_code(w.text)
            if low in _PAST_MARKERS:
                tense = "past"
            elif low in _FUTURE_MARKERS:
                tense = "future"
            if low == "year" and any(c.lower_ in _RELATIVE_YEARS for c in w.children):
                offset = next(_RELATIVE_YEARS[c.lower_] for c in w.children if c.lower_ in _RELATIVE_YEARS)
                relative = offset  # "next year", "last year's vote", "later this year"
                tense = "past" if offset < 0 else ("future" if offset > 0 else tense)
        if kind is None and token.lower_ in _KIND_WORDS:  # "the referendum", "the midterms"
            kind = _KIND_WORDS[token.lower_]
        if _by_prefix(token) or token.lower_.startswith("by-") or token.lower_.startswith("byelection"):
            kind = kind_name = _BY_ELECTION  # a by-election is an election of its own
        if tense is None:
            # "the last elections were held in March 2016": the clause's tense decides
            verb = token.head if token.dep_ in ("nsubj", "nsubjpass", "dobj") else None
            if verb is not None and verb.tag_ == "VBD" or any(
                c.tag_ == "VBD" for c in (verb.children if verb is not None else ())
            ):
                tense = "past"
        if year is None and relative is not None:
            year = ("relative", relative)
        return year, month, kind, tense, country, kind_name


@Language.factory(
    "kgraph_elections",
    requires=["token.dep", "token.ent_type", "doc.spans"],
    assigns=["doc.spans"],
    default_config={"default_kind": "legislative"},
)
def make_elections(nlp: Language, name: str, default_kind: str) -> ElectionDetector:
    """Election mentions with a (country, year, kind) key (add after ``kgraph_mentions``)."""
    return ElectionDetector(nlp, name, default_kind)
