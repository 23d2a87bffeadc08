"""Time scopes of relations: when each stated relation held, from its sentence and the article's date.

``kgraph_time`` runs after ``kgraph_relations`` and adds ``rel["time"]`` to every relation dict:

    {"observed": "2020-12-03",        # the article's date: when the relation was seen to hold
     "start": "2019" | None,          # ISO date at the precision the text gives (YYYY, YYYY-MM, YYYY-MM-DD)
     "end": "2007" | None,
     "ended": True,                   # present when it ended by the article's date, end unknown ("former")
     "cues": ["since"]}               # the words that set start/end

Phrasings (words in ``kgraph/nlp/lexicon/en/time.json``): "former leader" (ended before the
article), "since 2019", "from 2004 to 2007", "until 2007", "newly elected chairman" (started about
the article's month), "ousted as leader in March" / "expelled on December 2" (ended then). A
month or day without a year takes the article's year, or the year before when that would put it
after the article. Only words attached to the relation's trigger (its modifiers, its verb and the
verb's prepositions) or inside its evidence count, so a date elsewhere in the sentence is not taken.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kgraph.nlp.lexicon import load_lexicon

__all__ = ["TimeScoper", "parse_date_tokens", "resolve_date"]

#: relations that state an event which ends another relation (the expulsion ends a membership)
ENDING_EVENTS = frozenset({"expelledFrom"})


def _month_end(year: int, month: int) -> int:
    return ((dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)).day


def resolve_date(year: int | None, month: int | None, day: int | None, article: dt.date | None,
                 relative: int = 0) -> str | None:
    """ISO text at the given precision; a missing year comes from the article's date (the last
    such month/day on or before it, or after it when ``relative`` > 0).

    >>> resolve_date(None, 12, 2, dt.date(2020, 12, 3))
    '2020-12-02'
    >>> resolve_date(None, 9, None, dt.date(2004, 1, 29))
    '2003-09'
    >>> resolve_date(2019, None, None, None)
    '2019'
    """
    if month is not None and not 1 <= month <= 12:
        return None
    if year is None:
        if article is None or month is None:
            return None
        year = article.year
        if relative > 0:
            if (month, day or 1) <= (article.month, article.day):
                year += 1
        elif (month, day or 1) > (article.month, article.day):
            year -= 1
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= _month_end(year, month):
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _year_of(token: Token) -> int | None:
    text = token.text  # "2019"; a decade ("2000s") is not a date
    if len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2200:
        return int(text)
    return None


def parse_date_tokens(tokens: Iterable[Token], article: dt.date | None, lexicon=None) -> str | None:
    """The date a short run of tokens names ("2019", "March", "December 2", "27 January 2004",
    "last September", "last year"), as ISO text at its precision, or None.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> parse_date_tokens(nlp("December 2"), dt.date(2020, 12, 3))
    '2020-12-02'
    """
    lex = lexicon or load_lexicon("time")
    months = lex["months"]
    year = month = day = None
    relative = 0
    toks = list(tokens)
    lowered = " ".join(t.lower_ for t in toks)
    for phrase, offset in lex["relative_years"].items():
        if phrase in lowered and article is not None:
            return f"{article.year + int(offset):04d}"
    for i, tok in enumerate(toks):
        low = tok.lower_.rstrip(".")
        if low in months and (tok.is_title or tok.is_upper or len(low) > 3) and month is None:
            month = int(months[low])
            if i > 0 and toks[i - 1].lower_ in lex["relative_past"]:
                relative = -1
            elif i > 0 and toks[i - 1].lower_ in lex["relative_next"]:
                relative = 1
        elif (y := _year_of(tok)) is not None and year is None:
            year = y
        elif tok.like_num and tok.text.isdigit() and 1 <= int(tok.text) <= 31 and day is None:
            day = int(tok.text)
        elif low[:-2].isdigit() and low[-2:] in ("st", "nd", "rd", "th") and day is None:
            day = int(low[:-2])
    if month is None:
        day = None
    if year is None and month is None:
        return None
    return resolve_date(year, month, day, article, relative)


class TimeScoper:
    """Adds ``"time"`` to every relation dict of ``doc._.kgraph_relations`` (see module docstring)."""

    def __init__(self, nlp: Language, name: str, language: str = "en"):
        self.name = name
        self.lex = load_lexicon("time", language)
        if not Doc.has_extension("kgraph_relations"):
            Doc.set_extension("kgraph_relations", default=None)
        if not Doc.has_extension("kgraph_date"):
            Doc.set_extension("kgraph_date", default=None)

    def __call__(self, doc: Doc) -> Doc:
        relations = doc._.kgraph_relations
        if not relations:
            return doc
        article = _article_date(doc._.kgraph_date)
        for rel in relations:
            rel["time"] = self.scope(doc, rel, article)
        return doc

    # -- one relation -----------------------------------------------------------------------
    def scope(self, doc: Doc, rel: dict, article: dt.date | None) -> dict:
        lex = self.lex
        time: dict = {"observed": _observed(doc._.kgraph_date, article), "start": None, "end": None}
        cues: list[str] = []
        sent = doc[rel["sent_start"]: rel["sent_end"]]
        trigger = doc[rel["trigger"]] if rel.get("trigger") is not None and 0 <= rel["trigger"] < len(doc) else None
        anchors = self._anchors(trigger, doc, rel)
        near = self._near_tokens(sent, anchors, rel)

        # "former leader", "ex-chairman", "newly elected chairman"
        for tok in near:
            low = tok.lower_
            attached = tok.head.i in anchors or (
                tok.head.dep_ in ("amod", "compound") and tok.head.head.i in anchors)  # "newly elected chairman"
            if tok.i in anchors or not attached:
                continue
            if low in lex["ended_before"] and tok.dep_ in ("amod", "advmod", "compound", "nmod", "npadvmod") \
                    or (low.startswith("ex-") and low[3:] and tok.i in anchors):
                time["ended"] = True
                cues.append(tok.text)
            elif low in lex["started_about"] and tok.dep_ in ("amod", "advmod") and article is not None:
                time["start"] = article.isoformat()[:7]
                cues.append(tok.text)

        # "since 2019", "from 2004 to 2007", "until 2007", "in March", "on December 2"
        verb = self._governing_verb(trigger, anchors, doc)
        verb_lemma = verb.lemma_.lower() if verb is not None else ""
        # the verb's event is about the relation only when the trigger is not its subject:
        # "ousted as leader" ends a leadership, "the leader X withdrew from the race" does not
        about = verb is not None and not _through_subject(trigger, verb)
        ends = rel["predicate"] in ENDING_EVENTS or (about and verb_lemma in lex["end_verbs"])
        starts = about and verb_lemma in lex["start_verbs"]
        for prep in near:
            low = prep.lower_
            if prep.dep_ not in ("prep", "mark") or prep.head.i not in anchors:
                continue
            objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp", "npadvmod")]
            if not objects:
                continue
            date = parse_date_tokens(objects[0].subtree, article, lex)
            if date is None:
                continue
            if low in lex["start_preps"]:
                time["start"] = date
                cues.append(prep.text)
            elif low in lex["range_from"]:
                time["start"] = date
                cues.append(prep.text)
                end = self._range_end(objects[0], prep, article)
                if end is not None:
                    time["end"] = end
            elif low in lex["end_preps"]:
                time["end"] = date
                cues.append(prep.text)
            elif low in lex["event_preps"] and (ends or starts):
                time["end" if ends else "start"] = date
                cues.append(prep.text)
        if ends and rel["predicate"] in ENDING_EVENTS and time["end"] is None:
            time["end"] = time["observed"]  # expelled by the article's date at the latest
        elif ends and time["end"] is None and verb is not None and verb.i in anchors and verb_lemma != "defect":
            time["ended"] = True  # "ousted as leader": over by the time of the article
            cues.append(verb.text)
        if time["end"] is not None:
            time.pop("ended", None)
        if cues:
            time["cues"] = cues
        return time

    def _anchors(self, trigger: Token | None, doc: Doc, rel: dict) -> set[int]:
        """Token indices a time word may attach to: the trigger, its head and the verb above it."""
        anchors: set[int] = set()
        if trigger is not None:
            anchors.add(trigger.i)
            head = trigger.head
            for _ in range(3):  # trigger -> "as" -> verb, trigger -> verb -> ccomp verb
                anchors.add(head.i)
                if head.pos_ in ("VERB", "AUX") or head.head is head:
                    break
                head = head.head
        else:
            anchors.update(range(rel["start"], rel["end"]))
        return anchors

    @staticmethod
    def _near_tokens(sent: Span, anchors: set[int], rel: dict) -> list[Token]:
        return [t for t in sent if t.head.i in anchors or t.i in anchors or rel["start"] <= t.i < rel["end"]
                or (t.head.dep_ in ("amod", "compound") and t.head.head.i in anchors)]

    @staticmethod
    def _governing_verb(trigger: Token | None, anchors: set[int], doc: Doc) -> Token | None:
        if trigger is None:
            return None
        if trigger.pos_ == "VERB":
            return trigger
        verbs = [doc[i] for i in sorted(anchors) if doc[i].pos_ == "VERB"]
        return verbs[0] if verbs else None

    def _range_end(self, first: Token, prep: Token, article: dt.date | None) -> str | None:
        """The second date of "from X to Y": a "to" attached to X, to the preposition or to its head."""
        for cand in list(first.children) + list(prep.children) + list(prep.head.children):
            if cand.lower_ in self.lex["range_to"] and cand.i > first.i:
                objects = [c for c in cand.children if c.dep_ in ("pobj", "pcomp", "npadvmod")]
                if objects:
                    return parse_date_tokens(objects[0].subtree, article, self.lex)
        # "from 2004-2007" or a flat "2004 to 2007" inside one object
        tokens = list(first.subtree)
        years = [t for t in tokens if _year_of(t) is not None]
        if len(years) >= 2:
            return parse_date_tokens([years[-1]], article, self.lex)
        nxt = first.i + 1
        doc = first.doc
        if nxt + 1 < len(doc) and doc[nxt].lower_ in self.lex["range_to"] and _year_of(doc[nxt + 1]) is not None:
            return parse_date_tokens([doc[nxt + 1]], article, self.lex)
        return None


def _through_subject(trigger: Token | None, verb: Token) -> bool:
    """Whether the path from the trigger up to ``verb`` passes through the verb's subject."""
    token = trigger
    for _ in range(6):
        if token is None or token.i == verb.i:
            return False
        if token.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return True
        if token.head is token:
            return False
        token = token.head
    return False


def _article_date(value) -> dt.date | None:
    """The article's date; a reduced-precision one ("2023-01", "2023") as its first day."""
    if not value:
        return None
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    text = str(value).strip()[:10]
    text += {4: "-01-01", 7: "-01"}.get(len(text), "")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _observed(value, article: dt.date | None) -> str | None:
    """The article's date as ISO text at the precision it was given (a year, a month, a day)."""
    if article is None:
        return None
    if isinstance(value, str) and len(value.strip()) in (4, 7):
        return value.strip()
    return article.isoformat()


@Language.factory(
    "kgraph_time",
    requires=["doc._.kgraph_relations", "token.dep", "token.lemma"],
    assigns=["doc._.kgraph_relations"],
    default_config={"language": "en"},
)
def make_time_scoper(nlp: Language, name: str, language: str) -> TimeScoper:
    """A time scope for every relation (add after ``kgraph_relations``)."""
    return TimeScoper(nlp, name, language)
