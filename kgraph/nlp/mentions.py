"""Named mentions: knowledge-base patterns before the NER, then repair and typing of the spans.

Two spaCy factories:

- ``kgraph_entity_ruler`` (before ``ner``): every alias of the knowledge base, matched with a
  ``PhraseMatcher`` built once per knowledge base, is preset in ``doc.ents`` (label ``PERSON``,
  ``PARTY`` or ``ORG``, ``kb_id_`` when the alias is unambiguous), so the statistical NER keeps
  "Asar" or "Aq Zhol" as parties instead of calling them persons;
- ``kgraph_mentions`` (after ``ner``): repairs what the NER gets wrong with general rules
  (possessives, unbalanced parentheses, leading titles, "the"), types every span as one of
  Person / PoliticalParty / Organization from the knowledge base, the head word ("X Party",
  "Council") and the label the same string gets elsewhere in the document, and writes the result
  to ``doc.spans["kgraph_mentions"]`` (label = kgraph type, ``kb_id_`` = KB id when known).
  The sentence around a name can retype it: "the rock band X", "X was formed in 1976", "X is a
  German band" (a group), "a X politician" (a party), "X was born / grew up" (a person),
  "grew up in X" (a place), "X (Progress Party)" (a person), "X, who ..." (a person), "X are"
  (a group), "played for X" (a team), "X and its leader" (a group), "Altinordu S.K." (a club);
  names the NER missed are recovered after party words ("fellow Democrat X", "elected as a
  Whig"), as the subject of "born", as the subject of "is a band", after a group noun ("the
  band Riff") and as a plural proper noun ("the Supremes"); names the NER cut short are
  extended ("Rage Against the Machine", "RAO UES").
"""
from __future__ import annotations

from functools import lru_cache

import re
import threading
from collections import Counter, defaultdict
from typing import Any, Iterable

import numpy
from spacy.attrs import IS_ALPHA, IS_UPPER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kgraph.linking.normalize import acronym, normalize_label
from kgraph.nlp.countries import country_code
from kgraph.nlp.lexicon import doc_text, load_lexicon, tag_positions, token_range, word_positions
from kgraph.nlp.words import glued_initial

__all__ = [
    "MENTIONS_KEY",
    "LEAD_TITLES",
    "MEMBER_TITLES",
    "PARTY_MEMBER_TITLES",
    "KB_LABELS",
    "PARTY_HEADS",
    "ORG_HEADS",
    "GROUP_NOUNS",
    "TITLE_WORDS",
    "KnowledgeBaseRuler",
    "MentionTyper",
    "register_kb",
    "get_kb",
]

#: span group holding the typed named mentions (and, from kgraph_elections, the elections)
MENTIONS_KEY = "kgraph_mentions"
#: NER label preset by the ruler for each KB type
KB_LABELS = {"Person": "PERSON", "PoliticalParty": "PARTY", "Organization": "ORG"}
_LABEL_TYPES = {"PERSON": "Person", "PARTY": "PoliticalParty", "ORG": "Organization"}

_LEX = load_lexicon("entities")
# the same names recur in every article of a corpus: normalise each string once
_norm = lru_cache(maxsize=65536)(normalize_label)
#: head words that make a name a political party ("Aul Party", "Green Movement", "Left Bloc")
PARTY_HEADS = _LEX["party_heads"]
# "union" and "league" are parties only with a political word before them ("Democratic Union",
# not "European Union" or "Football League"); checked in _head_type.
_WEAK_PARTY_HEADS = _LEX["weak_party_heads"]
_POLITICAL_WORDS = _LEX["political_words"]
# party families named by an adjective or a member noun ("Conservative leader X", "a Whig",
# "fellow Democrat X"): a NORP made only of these is a party
_PARTY_FAMILY = _POLITICAL_WORDS | _LEX["party_family_members"]
#: head words that make a name an organization
ORG_HEADS = _LEX["org_heads"]
#: nouns that make their person the head of an organization
LEAD_TITLES = _LEX["lead_titles"]
#: nouns that make their person a member of an organization
MEMBER_TITLES = _LEX["member_titles"]
#: nouns that make their person a member only of a party ("a senior Labour official", "party
#: spokesman X"; a ministry's spokesman or a UN official is staff, not a member)
PARTY_MEMBER_TITLES = _LEX["party_member_titles"]
#: words that stand before a person's name as a title and are not part of it
TITLE_WORDS = _LEX["title_words"] | _LEX["honorifics"]
_DROP_LEADING = _LEX["drop_leading"]
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_NAME_LABELS = frozenset({"PERSON", "PARTY", "ORG", "NORP", "GPE", "FAC", "LOC", "WORK_OF_ART"})

# Knowledge bases are not JSON-serialisable, so the components find theirs by name here;
# load_pipeline registers the one it was given.
_KB_REGISTRY: dict[str, Any] = {}
_KB_LOCK = threading.Lock()


def register_kb(kb: Any) -> str:
    """Register a knowledge base for the components and return the name they find it under."""
    name = f"kb-{id(kb)}"
    with _KB_LOCK:
        _KB_REGISTRY[name] = kb
    return name


def get_kb(name: str | None) -> Any | None:
    """The knowledge base registered under ``name``; ``"default"`` loads the bundled one;
    ``"none"``/``None`` means no knowledge base."""
    if not name or name == "none":
        return None
    with _KB_LOCK:
        if name in _KB_REGISTRY:
            return _KB_REGISTRY[name]
    # A worker process started with "spawn" has an empty registry: fall back to the bundled KB.
    try:
        from kgraph.linking.kb import KnowledgeBase
    except ImportError:  # the linking package is optional for the NLP layer's unit tests
        return None
    kb = KnowledgeBase.default()
    with _KB_LOCK:
        _KB_REGISTRY[name] = kb
    return kb


# --------------------------------------------------------------------------------------------
# kgraph_entity_ruler


class _AliasPatterns:
    """Phrase patterns of a knowledge base's aliases, built once and shared by every pipeline."""

    def __init__(self, tokenizer, kb: Any):
        vocab = tokenizer.vocab
        self.case_matcher = PhraseMatcher(vocab, attr="ORTH")
        self.lower_matcher = PhraseMatcher(vocab, attr="LOWER")
        # match key -> (kgraph type, kb id or None when the alias is ambiguous)
        self.targets: dict[str, tuple[str, str | None]] = {}
        by_key: dict[tuple[str, bool], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for alias, entity in kb.alias_table():
            alias = alias.strip()
            if len(alias) < 2 or entity.type not in KB_LABELS:
                continue
            # Acronyms and single capitalised words match case-sensitively ("AP" is not "ap",
            # "Civic" is not "civic"); multi-word names match in any case.
            exact = " " not in alias
            key = alias if exact else alias.lower()
            by_key[(key, exact)][entity.type].add(entity.id)
        # the initials of every name: an acronym alias ("PF" of one party) is ambiguous when
        # it is also another entity's initials ("Patriotic Front")
        initials: dict[str, set[str]] = defaultdict(set)
        for entity in kb:
            if entity.type in KB_LABELS and len(entity.name.split()) >= 2:
                initials[acronym(entity.name)].add(entity.id)
        case_texts, lower_texts = [], []
        for (key, exact), types in by_key.items():
            # a type shared by the most entities wins; ties go to the party reading
            order = {"PoliticalParty": 0, "Organization": 1, "Person": 2}
            kb_type = min(types, key=lambda t: (-len(types[t]), order[t]))
            ids = types[kb_type]
            if exact and key.isupper() and initials.get(key, set()) - ids:
                ids = ids | initials[key]
            match_key = ("=" if exact else "~") + key
            self.targets[match_key] = (kb_type, next(iter(ids)) if len(ids) == 1 else None)
            (case_texts if exact else lower_texts).append((match_key, key))
        self._add(tokenizer, self.case_matcher, case_texts)
        self._add(tokenizer, self.lower_matcher, lower_texts)

    @staticmethod
    def _add(tokenizer, matcher: PhraseMatcher, items: list[tuple[str, str]]) -> None:
        docs = tokenizer.pipe(text for _, text in items)
        for (match_key, _), doc in zip(items, docs):
            matcher.add(match_key, [doc])


_PATTERN_CACHE: dict[tuple[int, str], _AliasPatterns] = {}


def _patterns_for(tokenizer, kb: Any) -> _AliasPatterns:
    key = (id(tokenizer.vocab), f"{id(kb)}")
    with _KB_LOCK:
        cached = _PATTERN_CACHE.get(key)
    if cached is None:
        cached = _AliasPatterns(tokenizer, kb)
        with _KB_LOCK:
            _PATTERN_CACHE[key] = cached
    return cached


class KnowledgeBaseRuler:
    """Presets ``doc.ents`` with the knowledge base's aliases before the statistical NER."""

    def __init__(self, nlp: Language, name: str, kb_name: str):
        self.name = name
        self.kb_name = kb_name
        self._tokenizer = nlp.tokenizer
        self._patterns: _AliasPatterns | None = None

    @property
    def patterns(self) -> _AliasPatterns | None:
        if self._patterns is None:
            kb = get_kb(self.kb_name)
            if kb is None:
                return None
            self._patterns = _patterns_for(self._tokenizer, kb)
        return self._patterns

    def __call__(self, doc: Doc) -> Doc:
        patterns = self.patterns
        if patterns is None:
            return doc
        spans = []
        for matcher in (patterns.case_matcher, patterns.lower_matcher):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                if not _plausible_name(span):
                    continue
                kb_type, kb_id = patterns.targets[doc.vocab.strings[match_id]]
                spans.append(Span(doc, start, end, label=KB_LABELS[kb_type], kb_id=kb_id or ""))
        if spans:
            doc.set_ents(filter_spans(list(doc.ents) + spans), default="unmodified")
        return doc


def _plausible_name(span: Span) -> bool:
    """A KB alias found in text is a name only when written as one (capitalised, a proper noun
    when it is a single word), so "civic duty" or a sentence-initial "Green" do not match."""
    first = next((t for t in span if t.lower_ not in _DROP_LEADING), None)
    if first is None or not (first.text[:1].isupper() or first.text[:1].isdigit()):
        return False
    if len(span) == 1:
        token = span[0]
        # the KB's alias table already leaves out common English words, so a capitalised
        # single word is a name even where the tagger calls it a common noun
        return (token.is_upper and len(token) > 1) or token.is_title or token.tag_ in ("NNP", "NNPS")
    return True


@Language.factory(
    "kgraph_entity_ruler",
    requires=["token.tag"],
    assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
    default_config={"kb_name": "default"},
)
def make_entity_ruler(nlp: Language, name: str, kb_name: str) -> KnowledgeBaseRuler:
    """Knowledge-base aliases as preset entities (add before ``ner``)."""
    return KnowledgeBaseRuler(nlp, name, kb_name)


# --------------------------------------------------------------------------------------------
# kgraph_mentions


def _head_type(span: Span) -> str | None:
    """The type a name's own words give it: "Aul Party" -> PoliticalParty, "Security Council"
    -> Organization; None when the words say nothing."""
    words = [t.lower_ for t in span if not t.is_punct]
    if not words:
        return None
    last = words[-1]
    has_head_of = "of" in words[:-1]
    # "Democratic Choice Movement of Kazakhstan": the head is before "of"
    head = words[words.index("of") - 1] if has_head_of and words.index("of") > 0 else last
    # a party's body ("SDPK faction", "ANC Youth League"... ) and a legislature ("State Duma",
    # "Verkhovna Rada") are organizations, whatever party word is in them
    if (head in _BODY_HEADS and head not in _FORM_PARTY_HEADS and len(words) > 1) or _is_legislature_name(words):
        return "Organization"
    if head in _FORM_PARTY_HEADS and any(w in _POLITICAL_ANY and w not in _GENERIC_POLITICAL for w in words if w != head):
        return "PoliticalParty"  # "Oromo Federalist Congress", not "National Football League"
    for word in (head, last):
        if word in PARTY_HEADS:
            if word in _WEAK_PARTY_HEADS and not any(w in _POLITICAL_WORDS for w in words):
                return "Organization"
            return "PoliticalParty"
    if head in ORG_HEADS or last in ORG_HEADS:
        return "Organization"
    # "Altinordu S.K.", "FC Brno", "Acme Ltd.": a club's or a company's legal abbreviation
    if len(words) > 1 and (last in _ORG_SUFFIXES or words[0] in _CLUB_PREFIXES):
        return "Organization"
    return None


_ORG_SUFFIXES = _LEX["org_suffixes"]
_CLUB_PREFIXES = _LEX["club_prefixes"]


def _clean(span: Span) -> list[Span]:
    """Repair one NER span: cut at line breaks and unbalanced brackets, drop a leading
    determiner/possessive/title and trailing punctuation; split "X's Y" and "X (Y)"; a list
    of names the NER took as one ("Droa, Girchi - More Freedom") is cut at its commas."""
    doc = span.doc
    start, end = span.start, span.end
    if span.label_ != "PERSON" and any(t.text == "," and t.i + 1 < end and doc[t.i + 1].lower_ not in _ORG_SUFFIXES
                                       for t in doc[start + 1 : end - 1]):
        out, left = [], start
        for t in doc[start:end]:
            if t.text == ",":
                if t.i > left:
                    out.extend(_clean(Span(doc, left, t.i, label="ORG")))
                left = t.i + 1
        if left < end:
            out.extend(_clean(Span(doc, left, end, label="ORG")))
        return out
    # "Rage Against the Machine" (NER: "Machine"): a capitalised preposition before "the"
    # makes the title-case words before it part of one name
    if start >= 2 and doc[start - 1].lower_ == "the" and doc[start - 1].is_lower and doc[start - 2].tag_ == "IN" \
            and doc[start - 2].is_title and not doc[start - 2].is_sent_start:
        left = start - 2
        while left > 0 and doc[left - 1].is_title and doc[left - 1].is_alpha and not doc[left - 1].ent_type_ \
                and doc[left - 1].lower_ not in _DROP_LEADING:
            left -= 1
        if left < start - 2:
            start = left
    # "RAO UES" (NER: "RAO"): the name goes on to the proper noun its last word modifies
    # (a place goes on only to a name's last word: "[Milan] Knežević" is a name, "Amsterdam Kristina
    # Türkmen" a place and a name)
    while (span.label_ not in ("GPE", "LOC", "NORP") or (end - start < 2 and end < len(doc) and doc[end].dep_ != "compound")) \
            and end < len(doc) and doc[end - 1].dep_ == "compound" and doc[end - 1].head.i == end \
            and doc[end].tag_ in ("NNP", "NNPS") and not doc[end].ent_type_ and (doc[end].is_title or doc[end].is_upper) \
            and doc[end].lower_ not in TITLE_WORDS and doc[end].lower_ not in _PERSON_TITLES and not _glued_initial(doc[end]):
        end += 1
    # "Federation of Independent Trade Unions of [Tajikistan]": a name never ends with a
    # connector; the NER left the next proper noun out (often a country it tagged apart)
    if end < len(doc) and doc[end - 1].lower_ in ("of", "for", "and", "&") and _is_name_word(doc[end]) \
            and "\n" not in doc[end - 1].whitespace_:
        end += 1
        while end < len(doc) and _is_name_word(doc[end]) and doc[end].ent_type_ == doc[end - 1].ent_type_:
            end += 1
    # cut at the first line break: an entity never spans paragraphs
    for t in doc[start:end]:
        if "\n" in t.text:
            if t.i == start:
                start += 1
                continue
            end = t.i
            break
    parts: list[tuple[int, int]] = []
    # "Democratic Choice of Kazakhstan (DVK)": the bracketed part is a name of its own
    opens = [t.i for t in doc[start:end] if t.text == "("]
    closes = [t.i for t in doc[start:end] if t.text == ")"]
    if opens and closes and closes[-1] > opens[0]:
        parts.append((opens[0] + 1, closes[-1]))
        end = opens[0]
    elif opens:  # unbalanced: "El Tiregi (People's Pillar"
        end = opens[0]
    elif closes:
        end = closes[0]
    # "Nazarbaev's Nur Otan": possessor and possessed are two names
    # ("Communist People's Party" is one name: a possessor made of political words, or a
    # possessed part that is only a head word, does not split)
    for t in doc[start:end]:
        if t.text in _POSSESSIVE and start < t.i < end - 1:
            left = [w.lower_ for w in doc[start : t.i] if w.is_alpha]
            right = [w for w in doc[t.i + 1 : end] if w.is_alpha]
            if all(w in _POLITICAL_WORDS for w in left):
                break
            if not any(w.lower_ not in PARTY_HEADS | ORG_HEADS and w.text[:1].isupper() for w in right):
                break
            parts.append((start, t.i))
            start = t.i + 1
            break
    if span.label_ != "PERSON":
        start, end = _described_name(doc, start, end)
    parts.insert(0, (start, end))
    out = []
    for s, e in parts:
        while s < e and (doc[s].lower_ in _DROP_LEADING or doc[s].is_punct or doc[s].is_space):
            s += 1
        while s < e and (doc[e - 1].is_punct or doc[e - 1].is_space or doc[e - 1].text in _POSSESSIVE):
            e -= 1
        # "[UNP General] Secretary X": a title that goes on after the name is not the name's
        while span.label_ != "PERSON" and s < e - 1 and e == span.end and e < len(doc) \
                and doc[e - 1].lower_ in TITLE_WORDS and doc[e].lower_ in TITLE_WORDS | _PERSON_TITLES:
            e -= 1
        if s < e:
            out.append(doc[s:e])
    return out


def _strip_title(span: Span) -> Span:
    """"Party Chairman Azat Peruashev" -> "Azat Peruashev": leading title words are not the name."""
    doc = span.doc
    s = span.start
    while s < span.end - 1 and doc[s].lower_ in TITLE_WORDS:
        s += 1
    return doc[s : span.end]


def _opener_before_name(doc: Doc, i: int) -> bool:
    """A capitalised sentence opener or a title right before a name the NER or the knowledge base
    found ("[Split] Democratic Party factions", "[Prominent] Free Patriotic Movement members",
    "[Former] Democratic Party vice-chairwoman"): not part of that name, unless a political word."""
    if i < 0 or i + 1 >= len(doc):
        return False
    word, nxt = doc[i], doc[i + 1]
    return nxt.ent_iob_ == "B" and bool(nxt.ent_type_) and not word.ent_type_ \
        and (word.is_sent_start or word.lower_ in TITLE_WORDS) and word.lower_ not in _POLITICAL_ANY


def _party_compounds(doc: Doc) -> Iterable[Span]:
    """Proper-noun compounds of the word "party"/"movement": "the ruling Nur Otan party",
    "her Asar party", "the Aul Party" -> party names even when the NER missed them."""
    for token in (doc[i] for i in word_positions(doc, _PARTY_NOUNS)):
        if token.tag_ in ("NNS", "NNPS"):
            continue
        comps = [c for c in token.lefts if c.dep_ in ("compound", "nmod") and c.tag_ in ("NNP", "NNPS")]
        if not comps:
            # "the largest political party Ennahdha", "the opposition party Droa": the name
            # after a lowercase "party" whose head it is
            j = token.i + 1
            while j < len(doc) and j - token.i <= 4 and doc[j].is_title and doc[j].is_alpha \
                    and doc[j].ent_type_ not in ("PERSON", "GPE", "DATE") and doc[j].lower_ not in _OFFICE_WORDS \
                    and doc[j].lower_ not in TITLE_WORDS:
                j += 1
            if token.is_lower and token.dep_ == "compound" and token.i < token.head.i < j and j > token.i + 1 \
                    and not country_code(doc[token.i + 1 : j].text):
                yield doc[token.i + 1 : j]
            continue
        left = min(c.left_edge.i for c in comps)
        while left < token.i and (doc[left].tag_ not in ("NNP", "NNPS") or doc[left].lower_ in _DROP_LEADING
                                  or _opener_before_name(doc, left)):
            left += 1
        if left >= token.i:
            continue
        # keep a capitalised "Party" as part of the name ("Aul Party"), drop a lowercase one
        # and the words that describe the party ("the Ennahda Islamist party")
        end = token.i + 1 if token.text[0].isupper() else token.i
        if not token.text[0].isupper():
            named = _described_name(doc, left, token.i + 1)
            if named[1] <= token.i:
                left, end = named
        # everything between must be proper nouns or hyphens ("Nur Otan", "Aq Zhol")
        if all(t.tag_ in ("NNP", "NNPS", "HYPH") or t.text == "-" for t in doc[left:token.i]):
            yield doc[left:end]


_PERSON_TITLES = LEAD_TITLES | MEMBER_TITLES | _LEX["person_nouns"]
_NOT_ACRONYMS = _LEX["not_acronyms"]
_GENERIC_BODY_HEADS = _LEX["generic_body_heads"]
_NAMING_BODY_MODIFIERS = _LEX["naming_body_modifiers"]
_PERSON_PREFIXES = (_PERSON_TITLES - _LEX["person_prefixes_not"]) | _LEX["person_prefixes_extra"]


_TITLED_NAME_LINKS = frozenset({"of", "the", "for", "in", "from", "-", "–", "'s", "’s"})


def _after_titled_name(span: Span) -> bool:
    """A 2-3 word name right after an organization or place that a person's title governs:
    "the head of Servant of the People Dmytro Razumkov", "FvD councilor in Amsterdam Kristina
    Türkmen", "the deputies from the Democratic Front Andrija Mandic" (news translated from
    languages that put the name last)."""
    doc = span.doc
    if not 2 <= len(span) <= 3 or not all(t.is_title and t.is_alpha for t in span) \
            or span[-1].lower_ in _PLACE_HEADS or span[-1].lower_ in PARTY_HEADS | ORG_HEADS \
            or any(country_code(t.text) for t in span):
        return False
    i, named = span.start - 1, 0
    while i >= 0 and span.start - i <= 8 and not doc[i].is_sent_start and (
            doc[i].is_title or doc[i].is_upper or doc[i].lower_ in _TITLED_NAME_LINKS):
        named += doc[i].is_title or doc[i].is_upper
        i -= 1
    return named > 0 and i >= 0 and doc[i].is_lower and doc[i].lemma_.lower() in _PERSON_TITLES and doc[i].pos_ == "NOUN"


def _described_as_person(span: Span) -> bool:
    """The sentence describes the name with a person's title: "X, a member of Y",
    "X is the leader of Y"."""
    root = span.root
    first = span[0]
    if first.i > 0 and first.doc[first.i - 1].lower_ in _PERSON_PREFIXES:
        return True  # "Party spokesman Andriy Parubiy", "President X"
    if _after_titled_name(span):
        return True  # "the head of Servant of the People Dmytro Razumkov read out ..."
    # (a capital first letter, not is_title: "Ng'ona" is not title-case to Python)
    if first.i > 1 and len(span) <= 4 and all(t.text[:1].isupper() for t in span) and _head_type(span) is None:
        before = first.doc[first.i - 1].lower_
        # "party secretary general Davies Mwila", "national treasurer X" (NER: ORG)
        if before in _OFFICE_WORDS or (before == "general" and first.doc[first.i - 2].lower_ in _OFFICE_WORDS):
            return True
    if any(c.dep_ == "appos" and c.lemma_.lower() in _PERSON_TITLES for c in root.children):
        return True
    if root.dep_ == "appos" and root.head.lemma_.lower() in _PERSON_TITLES:
        return True
    # "Pappo, who created the band Riff": "who" stands for a person (a group takes "which")
    if any(c.dep_ == "relcl" and any(w.lower_ in ("who", "whom") and w.dep_ in ("nsubj", "nsubjpass", "dobj") for w in c.children)
           for c in root.children):
        return True
    # "Uma Bharti of the Bharatiya Janata Party": a name followed by "of" a party is its member's
    for prep in root.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            if any(o.dep_ == "pobj" and o.lower_ == "party" and o.text[0].isupper() for o in prep.children):
                return True
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        return any(c.dep_ == "attr" and c.lemma_.lower() in _PERSON_TITLES for c in root.head.children)
    return False


#: common nouns that name a kind of group: "the rock band X", "the club X", "X is a band"
GROUP_NOUNS = _LEX["group_nouns"]
_PARTY_GROUP_NOUNS = _LEX["party_group_nouns"]
_POLITICAL_TITLES = _LEX["political_titles"]
_BAND_TITLES = _LEX["band_titles"]
# "the power monopoly X", "the broadcaster X": kinds of organization named before a name
_ORG_KIND_NOUNS = _LEX["org_kind_nouns"]
# a name that is formed, founded or established is a group, not a person (people are born)
_FOUNDING_VERBS = _LEX["founding_verbs"]
_DISBANDING_VERBS = _LEX["disbanding_verbs"]


# what only people do: "X was born", "X died", "X grew up", "X married Y"
_PERSON_VERBS = _LEX["person_verbs"]


def _described_by_verb(span: Span) -> str | None:
    """"X was born in Y", "X died", "X grew up in Y" -> Person; "grew up in X", "born in X"
    -> a place (``"place"``), whatever the NER said."""
    root = span.root
    head = root.head
    lemma = head.lemma_.lower()
    if root.dep_ == "nsubjpass" and lemma in ("bear", "elect", "appoint", "reelect", "re-elect"):
        return "Person"
    # "under the leadership of X", "X's chairmanship"
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in ("leadership", "chairmanship", "presidency"):
        return "Person"
    if root.dep_ == "nsubj" and lemma in _PERSON_VERBS and head.pos_ == "VERB":
        return "Person"
    if root.dep_ == "pobj" and head.lower_ in ("in", "near") and head.head.lemma_.lower() in ("bear", "grow", "live", "die", "raise"):
        return "place"
    # "in Harare", "in the Free State" (NER: ORG): a place, unless its words say organization
    words = [t.lower_ for t in span if t.is_alpha]
    if words and len(words) > 1 and words[-1] in _PLACE_HEADS:
        return "place"
    if root.dep_ == "pobj" and head.lower_ in _LOCATIVE and len(span) <= 2 and not span.text.isupper() \
            and span.start > 0 and span.doc[span.start - 1].lower_ not in _DROP_LEADING and _head_type(span) is None \
            and not span.doc[span.start - 1].text[:1].isupper():  # (not "in Amsterdam [Kristina Türkmen]")
        return "place"
    return None


_NAME_PARTICLES = _LEX["name_particles"]


def _glued_initial(token) -> bool:
    """"M.Enkhbold", "Kh.Altankhuyag", "O.Vilkul": a name written with its initial glued on (as
    Mongolian and Ukrainian outlets write names) is one token, and a person's."""
    return glued_initial(token.text) and not country_code(token.text.rsplit(".", 1)[1])


def _untagged_names(doc: Doc, taken: set[int]) -> Iterable[Span]:
    """Runs of capitalised proper nouns the NER left untagged (or called a product): typed
    later only if their context says what they are ("formed by", "was born", "leadership of")."""
    n = len(doc)
    after = 0  # the end of the last run
    for i in tag_positions(doc, _PROPER_TAGS):  # a run starts at a proper noun: most tokens are not one
        t = doc[i]
        if i < after or t.i in taken or not (t.is_title or (t.is_upper and len(t) > 1)) \
                or t.ent_type_ not in ("", "PRODUCT"):
            continue
        j = i + 1
        while j < n and j not in taken and doc[j].ent_type_ in ("", "PRODUCT") and (
            (doc[j].tag_ in ("NNP", "NNPS") and (doc[j].is_title or (doc[j].is_upper and len(doc[j]) > 1)))
            or (doc[j].lower_ in _NAME_PARTICLES and j + 1 < n and doc[j + 1].is_title)
        ):
            j += 1
        after = j
        # "Premier Matteo Renzi": a title before the name is not part of it (and types it a person)
        run = _strip_title(doc[i:j]) if j - i > 2 else doc[i:j]
        if 2 <= len(run) <= 5:
            yield run


def _untagged_acronyms(doc: Doc, taken: set[int]) -> Iterable[Span]:
    """"The DA re-elected ...", "the DA leader", "the MUD's candidates": an all-capitals word the
    NER left untagged that stands as the head of a definite noun phrase, a possessor or the
    organization before a title is an organization's acronym (a country's is not)."""
    n = len(doc)
    if not n:
        return
    flags = doc.to_array([IS_UPPER, IS_ALPHA])
    for i in numpy.nonzero(flags[:, 0] & flags[:, 1])[0].tolist():  # most tokens are not all capitals
        t = doc[i]
        if t.i in taken or t.ent_type_ or not 2 <= len(t) <= 6 \
                or t.tag_ not in ("NNP", "NNPS", "NN") or t.lower_ in _NOT_ACRONYMS or country_code(t.text):
            continue
        before = doc[t.i - 1] if t.i > 0 else None
        after = doc[t.i + 1] if t.i + 1 < n else None
        definite = before is not None and before.lower_ == "the" and not (after is not None and after.is_upper)
        possessor = after is not None and after.lower_ in ("'s", "’s")
        titled = after is not None and (after.lower_ in _PERSON_TITLES or after.lower_ in PARTY_HEADS)
        if definite or possessor or titled:
            yield doc[t.i : t.i + 1]


def _unnamed_groups(doc: Doc, taken: set[int]) -> Iterable[Span]:
    """"The Hub is an American ensemble", "Swingles were a vocal group": the proper-noun
    subject of "is a band / group / club" is a group's name even when the NER missed it
    (often a single word, which :func:`_untagged_names` does not take)."""
    proper = [doc[i] for i in tag_positions(doc, _PROPER_TAGS)]
    for token in proper:
        if token.dep_ != "nsubj" or token.i in taken or not token.is_title:
            continue
        verb = token.head
        if verb.lemma_ != "be" or not any(
                c.dep_ == "attr" and c.pos_ == "NOUN" and c.lemma_.lower() in GROUP_NOUNS - {"party"} for c in verb.children):
            continue
        start = token.i
        while start > 0 and start - 1 not in taken and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == token.i \
                and doc[start - 1].tag_ in ("NNP", "NNPS") and doc[start - 1].is_title:
            start -= 1
        yield doc[start : token.i + 1]
    # "created the band Riff" (NER: a product, or nothing): a name right after a group noun
    for token in proper:
        if token.i == 0 or token.i in taken or not token.is_title \
                or token.ent_type_ not in ("", "PRODUCT", "WORK_OF_ART"):
            continue
        before = doc[token.i - 1]
        if before.is_lower and before.pos_ == "NOUN" and before.lower_ in GROUP_NOUNS - {"party"}:
            end = token.i + 1
            while end < len(doc) and end not in taken and doc[end].tag_ in ("NNP", "NNPS") and doc[end].is_title and end - token.i < 4:
                end += 1
            yield doc[token.i : end]
    # "Mary Wilson of the Supremes", "played against the Royals": a plural proper noun after
    # "the" that the NER left untagged names a band, a team or a club
    for token in proper:
        if token.tag_ != "NNPS" or not token.is_title or token.i in taken or token.ent_type_ or token.i == 0 \
                or token.lower_ in _PARTY_FAMILY:
            continue
        start = token.i
        while start > 0 and doc[start - 1].tag_ in ("NNP", "NNPS") and doc[start - 1].is_title and start - 1 not in taken \
                and not doc[start - 1].ent_type_:
            start -= 1
        if start > 0 and doc[start - 1].lower_ == "the" and (token.i + 1 == len(doc) or doc[token.i + 1].tag_ not in ("NNP", "NNPS")):
            yield doc[start : token.i + 1]


def _unnamed_born(doc: Doc, taken: set[int]) -> Iterable[Span]:
    """"Jan de Vries was born in 1950": the subject of "born" is a person even when the NER
    missed the name (a run of capitalised words and name particles)."""
    for token in (doc[i] for i in word_positions(doc, _BORN_WORDS)):
        if token.lemma_ != "bear" or token.tag_ != "VBN":
            continue
        subj = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
        if subj is None or subj.tag_ != "NNP" or subj.i in taken:
            continue
        start = subj.i
        while start > 0 and start - 1 not in taken and (doc[start - 1].tag_ == "NNP" or (
                doc[start - 1].is_lower and doc[start - 1].lower_ in _NAME_PARTICLES)):
            start -= 1
        if doc[start].is_title and subj.i - start <= 4:
            yield doc[start : subj.i + 1]


def _party_members(doc: Doc, taken: set[int]) -> Iterable[Span]:
    """"was elected as a Whig", "a Christian Democrat", "fellow Republican": a capitalised party
    member noun after "a"/"an"/"fellow"/"as" is a party mention even when the NER missed it."""
    for token in (doc[i] for i in word_positions(doc, _PARTY_FAMILY)):
        if not token.is_title or token.i == 0:
            continue
        start = token.i
        # "a Christian Democrat", "a Social Democrat": a political word before the member noun
        while start > 0 and doc[start - 1].is_title and doc[start - 1].lower_ in _POLITICAL_WORDS:
            start -= 1
        if start == 0 or doc[start - 1].lower_ not in _PARTY_MEMBER_MARKERS:
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in PARTY_HEADS | ORG_HEADS:
            continue  # part of a longer name ("a Democratic Party official" is handled elsewhere)
        yield doc[start : token.i + 1]


def _described_as_group(span: Span) -> str | None:
    """The sentence describes the name as a group: "the rock band X", "an organization, X",
    "X is a German band", "X was formed in 1976", "X disbanded"; the group's type or None."""
    doc = span.doc
    root = span.root
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in GROUP_NOUNS | _ORG_KIND_NOUNS and before.pos_ == "NOUN" and before.is_lower:
        return "PoliticalParty" if before.lower_ in _PARTY_GROUP_NOUNS else "Organization"
    # "a Fidesz politician", "Likud lawmakers", "Blur guitarist": a name modifying a member's
    # title is the group they belong to (the NER often calls it a person)
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and root.dep_ in ("compound", "nmod", "amod") and root.head.i == after.i and after.pos_ == "NOUN" \
            and root.tag_ in ("NNP", "NNPS") and root.ent_type_ != "NORP" and span[0].text[:1].isupper():
        # (a nationality is not a party: "a Zambian politician"; nor a stance: "pro-X candidate")
        title = after.lemma_.lower()
        if title in _POLITICAL_TITLES:
            return "PoliticalParty"
        if title in _BAND_TITLES:
            return "Organization"
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.lemma_.lower() in GROUP_NOUNS \
            and not _person_after_named_group(root):
        return "PoliticalParty" if root.head.lemma_.lower() in _PARTY_GROUP_NOUNS else "Organization"
    # "the CEO of X", "a member of X" (NER: PERSON): what a person heads or belongs to
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.ent_type_ in ("PERSON", ""):
        title = root.head.head
        if title.pos_ in ("NOUN", "PROPN") and title.lower_ in LEAD_TITLES | MEMBER_TITLES | {"founder", "members"} and (
            title.i + 1 == root.head.i
        ):
            return "Organization"
    # "Sendero Luminoso and its leader X": a name coordinated with "its" members or leader
    # is a group's (a person's would be "his" / "her")
    for conj in root.children:
        if conj.dep_ == "conj" and conj.pos_ == "NOUN" and conj.lemma_.lower() in _PERSON_TITLES | {"members", "leadership"} \
                and any(c.dep_ == "poss" and c.lower_ == "its" for c in conj.children) \
                and not (root.dep_ == "appos" and root.head.lemma_.lower() in _PERSON_TITLES):
            # (not a name that is itself a title's apposition: "its deputy leader, A, and its
            # spokesman, B")
            return "Organization"
    verb = root.head
    if root.dep_ == "nsubj" and verb.lemma_ == "be":
        for attr in verb.children:
            if attr.dep_ == "attr" and attr.pos_ == "NOUN" and attr.lemma_.lower() in GROUP_NOUNS:
                return "PoliticalParty" if attr.lemma_.lower() in _PARTY_GROUP_NOUNS else "Organization"
    lemma = verb.lemma_.lower()
    # "X are / were a band", "X are all about ...": one person's name does not take a plural
    # verb (a coordination "X and Y were" is two names, and "if X were" a subjunctive)
    if root.dep_ == "nsubj" and verb.tag_ in ("VBP", "VBD") and verb.lower_ in ("are", "were") and root.tag_ == "NNP" \
            and not any(c.dep_ in ("conj", "cc") for c in root.children) \
            and not any(t.ent_type_ == "PERSON" for t in root.subtree if not span.start <= t.i < span.end) and not any(
                c.dep_ == "mark" and c.lower_ in ("if", "as", "though") for c in verb.children):
        return "Organization"
    # "played / signed for X", "began his career with X", "on loan at X": a club or a team
    if root.dep_ == "pobj" and (
        (verb.lower_ == "for" and verb.head.lemma_.lower() in ("play", "sign", "appear", "score") and verb.head.pos_ == "VERB")
        or (verb.lower_ == "with" and verb.head.lower_ == "career")
        or (verb.lower_ in ("at", "to", "from") and verb.head.lower_ == "loan")
    ):
        return "Organization"
    if root.dep_ == "nsubjpass" and lemma in _FOUNDING_VERBS and not any(c.dep_ == "attr" for c in verb.children):
        return "Organization"
    if root.dep_ == "nsubj" and lemma in _DISBANDING_VERBS and not any(c.dep_ == "dobj" for c in verb.children):
        return "Organization"
    return None


def _person_before_party(span: Span, inner: Span | None, inner_type: str | None) -> bool:
    """"Terje Halleland (Progress Party)": a name followed by a party in brackets is a person
    (unless the bracket is its own acronym: "Democratic Choice (DC)")."""
    if inner is None or inner_type != "PoliticalParty" or len(span) < 2 or len(span) > 4:
        return False
    if not all(t.is_title for t in span) or _head_type(span) is not None:
        return False
    return acronym(span.text) != inner.text.replace(".", "")


def _names_before_titles(doc: Doc, taken: set[int]) -> Iterable[Span]:
    """"Fall Out Boy bassist X", "Nur Otan lawmaker X": capitalised words right before a
    person's title that stands before a person's name name the organization, even when the
    NER missed them."""
    for title in (doc[i] for i in word_positions(doc, _PERSON_TITLES)):
        if title.i in taken or title.i == 0:
            continue
        nxt = title.i + 1
        if nxt >= len(doc) or doc[nxt].ent_type_ != "PERSON":
            continue
        end = title.i
        start = end
        while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].i not in taken and (
            doc[start - 1].tag_ in ("NNP", "NNPS") or doc[start - 1].is_title
        ):
            start -= 1
        # a leading article or sentence-initial adjective is not part of the name ("The Liberal MP
        # X", "Outspoken Liberal MP X")
        while start < end - 1 and (doc[start].lower_ in _DROP_LEADING or doc[start].tag_ in ("DT", "JJ", "RB")) \
                and doc[start].ent_type_ not in ("NORP", "GPE", "ORG") and doc[start].lower_ not in _PARTY_FAMILY:
            start += 1
        family_word = start < end and all(t.lower_ in _PARTY_FAMILY for t in doc[start:end])
        if start < end and (doc[start].i != doc[start].sent.start or end - start >= 2 or family_word):
            span = doc[start:end]
            # "Opposition leader X", "Senate Majority Leader X": a title's own words, not a name
            if span[-1].lower_ in TITLE_WORDS | {"majority", "minority"} or span[0].lower_ in TITLE_WORDS:
                continue
            if not country_code(span.text):
                yield span


def _person_after_named_group(root) -> bool:
    """A person's full name apposed to a group noun that has a name of its own, or described as a
    person: "the leader of the X party, A B, said", "the party, Y, elected lawyer A B" (the parse
    hangs A B on "party"; A B is not the party's name)."""
    if root.dep_ != "appos" or root.ent_type_ != "PERSON" or not any(
            c.dep_ == "compound" and c.ent_type_ == "PERSON" for c in root.children):
        return False
    group = root.head
    return any(c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" for c in group.children) or any(
        c.dep_ == "appos" and c.pos_ == "PROPN" and c.i < root.i for c in group.children) or any(
        c.dep_ == "compound" and c.lemma_.lower() in _PERSON_TITLES for c in root.children)


def _under_party_noun(span: Span) -> bool:
    """A name that modifies "party"/"parties", directly or as a conjunct of one that does."""
    token = span.root
    if _person_after_named_group(token):
        return False
    for _ in range(4):
        if token.dep_ not in ("compound", "conj", "nmod", "amod", "appos") or token.head.i == token.i:
            return False
        token = token.head
        if token.lower_ in _PARTY_NOUNS and token.i not in range(span.start, span.end):
            return True
        if token.pos_ == "NOUN" and token.lemma_.lower() in _PERSON_TITLES:
            return False  # "the Green Party and its leader Tom Lund": the leader's name is a person's
    return False



# --------------------------------------------------------------------------------------------
# names by form, party bodies, legislatures, page furniture

_FORM_PARTY_HEADS = _LEX["form_party_heads"]
_STRONG_PARTY_HEADS = _LEX["strong_party_heads"]
_PARTY_COMPOUND_HEADS = _LEX["party_compound_heads"]
_POLITICAL_ANY = _POLITICAL_WORDS | _LEX["political_words_extra"]
_BODY_HEADS = _LEX["party_body_heads"]
_GENERIC_POLITICAL = _LEX["generic_political_words"]
_PARTY_NOUNS = _LEX["party_nouns"]
_DESCRIPTIVE = _LEX["descriptive_party_words"]


def _described_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The name inside a described party, "the Ennahda Islamist party" -> "Ennahda", "the Asar
    party" -> "Asar": a lowercase party noun at the end and the describing words around the name
    fall away, when a proper name that is not a country's remains ("the Bangladesh Nationalist
    party" stays whole)."""
    if end - start < 2 or doc[end - 1].lower_ not in _PARTY_NOUNS or not doc[end - 1].is_lower:
        return start, end
    j = end - 1
    while j > start and doc[j - 1].lower_ in _DESCRIPTIVE:
        j -= 1
    k = start
    while k < j and (doc[k].lower_ in _DESCRIPTIVE or doc[k].lower_ in _DROP_LEADING):
        k += 1
    if k >= j or country_code(doc[k:j].text) or country_code(doc[k].text):
        return start, end
    if not all(t.tag_ in _PROPER_TAGS or t.text in ("-", "‑") for t in doc[k:j]):
        return start, end
    return k, j
_PLACE_HEADS = _LEX["place_heads"]
_LOCATIVE = _LEX["locative_prepositions"]
_PARTY_MEMBER_MARKERS = _LEX["party_member_markers"]
_BARE_BODY_HEADS = _LEX["bare_body_heads"]
_BODY_MODIFIERS = _LEX["party_body_modifiers"]
_LEGISLATURE_WORDS = _LEX["legislature_words"]
_LEGISLATURE_WEAK = _LEX["legislature_weak"]
_LEGISLATURE_PHRASES = _LEX["legislature_phrases"]
_GENERIC_LEGISLATURE = _LEX["generic_legislature"]
_SECTION_LABELS = _LEX["section_labels"]
_OPPOSITION_WORDS = _LEX["opposition_words"]
_HONORIFICS = _LEX["honorifics"]
#: words that end the name of an office, not of an organization or a person ("Secretary General",
#: "National Publicity Secretary", "Leader of Opposition")
_OFFICE_WORDS = (LEAD_TITLES | MEMBER_TITLES | PARTY_MEMBER_TITLES | _LEX["office_words"]) - _LEX["not_office_words"]
# connectors inside a name ("Party of Regions", "Forum for Democratic Change", "Bosnia and
# Herzegovina"); a name never ends with one
_NAME_CONNECTORS = frozenset({"of", "for", "and", "the", "&", "-", "–", "de", "del", "la", "du", "des", "al", "el"})
_PROPER_TAGS = frozenset({"NNP", "NNPS"})
_BORN_WORDS = frozenset({"born"})
_SCAN_WORDS = _FORM_PARTY_HEADS | ORG_HEADS | _LEGISLATURE_WORDS | _GENERIC_LEGISLATURE | _BODY_HEADS
_DATELINE = re.compile(
    r"[ \t]*(?:[A-Z][A-Za-z.'’\- ]{1,40}?)"             # the city ("ALMATY", "Prague")
    r"(?:,[ \t]*[A-Z][A-Za-z.'’\- ]{1,30}?)?"            # its country ("Kazakhstan")
    r"(?:,?[ \t]*(?:\d{1,2}[ \t]+[A-Z][a-z]+\.?|[A-Z][a-z]+\.?[ \t]+\d{1,2})(?:,?[ \t]+\d{4})?)?"  # its date
    r"[ \t]*(\([^()\n]{1,40}\))?"                        # the agency ("(AP)", "(RFE/RL)")
    r"[ \t]*(?:—|–|--|-|:)[ \t]"
)
_BYLINE = re.compile(r"[ \t]*(?:By|BY|Written by|Reporting by)[ \t]+[A-Z][^\n]{0,60}$")
_MARKUP = re.compile(r"[<>{}=|\\]|https?:|www\.|&[a-z]+;|\.(?:html?|php|aspx?)\b")


def _furniture_tokens(doc: Doc) -> set[int]:
    """Tokens of datelines ("ALMATY, Kazakhstan (AP) —", "Prague, 29 January 2004 (RFE/RL) --"),
    bylines ("By John Smith") and lines that are page furniture ("Breaking News", "Read more"):
    never names of the article's actors. Looks only at the start of each line."""
    text = doc_text(doc)
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if line.strip():
            m = _DATELINE.match(line)
            # a dateline's city is in capitals, or an agency or a date follows it
            head = line[: m.end()] if m else ""
            # a city in capitals before a dash ("ALMATY —", "KYIV, Ukraine -"), or an agency or a
            # date; "BNP: we will boycott" (capitals, colon) is a quote, not a dateline
            capitals = head.split(",")[0].strip().replace(" ", "").isupper() and not head.rstrip().endswith(":")
            if m and (m.group(1) or capitals or any(ch.isdigit() for ch in head)) and m.end() < 90:
                spans.append((start, start + m.end()))
            elif _BYLINE.match(line) or (len(line) < 60 and _norm(line) in _SECTION_LABELS):
                spans.append((start, end))
        start = end + 1
    if not spans:
        return set()
    out: set[int] = set()
    for s, e in spans:
        out.update(range(*token_range(doc, s, e)))
    return out


def _headline_tokens(doc: Doc) -> set[int]:
    """Tokens of lines written in title case ("Main Opposition Alliance Decides To Boycott
    Polls"): a headline, where capitals say nothing about names."""
    out: set[int] = set()
    text = doc_text(doc)
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        words = [w for w in text[start:end].split() if w[:1].isalpha()]
        if len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            out.update(range(*token_range(doc, start, end)))
        start = end + 1
    return out


def _not_a_name(span: Span) -> bool:
    """Section labels, markup fragments and offices are not names ("Read more", "<div class=",
    "Secretary General", "National Publicity Secretary", "Leader of Opposition")."""
    text = span.text
    if _MARKUP.search(text):
        return True
    key = _norm(text)
    if key in _SECTION_LABELS:
        return True
    words = [t.lower_ for t in span if t.is_alpha] or [t.lower_ for t in span if any(ch.isalpha() for ch in t.text)]
    if not words:
        return True
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
    if head in _OFFICE_WORDS or (head == "general" and len(words) > 1 and words[-2] in _OFFICE_WORDS):
        return True
    return all(w in TITLE_WORDS or w in _OPPOSITION_WORDS or w in _NAME_CONNECTORS for w in words)


def _split_holder(span: Span, person_words: frozenset[str] = frozenset(),
                  org_words: frozenset[str] = frozenset()) -> tuple[Span | None, Span | None]:
    """"Party Chairman John Smith", "Opposition leader Jane Roe", "UNM Nika Melia": a name that
    swallowed an office and its holder -> (the organization's part or None, the person's part);
    (None, None) when the span is one name."""
    doc = span.doc
    for k in range(span.start, span.end - 1):
        low = doc[k].lower_
        if low in _OFFICE_WORDS or low in _HONORIFICS:
            rest = doc[k + 1 : span.end]
            if len(rest) >= 1 and all(t.is_title or t.text in ("-", ".") for t in rest) \
                    and _head_type(rest) is None and rest[-1].lower_ not in _OFFICE_WORDS \
                    and not all(t.lower_ in TITLE_WORDS or t.lower_ in _OFFICE_WORDS for t in rest):
                left = doc[span.start:k]
                while len(left) and (left[-1].lower_ in TITLE_WORDS or left[-1].lower_ in _OPPOSITION_WORDS
                                     or left[-1].lower_ in _OFFICE_WORDS):
                    left = doc[left.start : left.end - 1]
                while len(left) and left[0].lower_ in _DROP_LEADING | _OPPOSITION_WORDS:
                    left = doc[left.start + 1 : left.end]
                return (left if len(left) else None), rest
    # "Armenia Hovik Abrahamyan": a country glued to a personal name
    first = doc[span.start]
    if len(span) in (3, 4) and country_code(first.text) and span[-1].text in person_words \
            and all(t.is_title and t.is_alpha for t in span[1:]) \
            and _head_type(span[1:]) is None and not any(t.lower_ in _POLITICAL_ANY for t in span[1:]):
        return None, span[1:]
    # "UNM Nika Melia": an acronym glued to a two- or three-word personal name (a person's name
    # elsewhere in the article, or after an acronym the knowledge base knows)
    if first.is_upper and len(first) >= 2 and first.is_alpha and 3 <= len(span) <= 4 and (
            span[-1].text in person_words or first.text in org_words):
        rest = doc[span.start + 1 : span.end]
        if all(t.is_title and t.is_alpha for t in rest) and _head_type(rest) is None \
                and not any(t.lower_ in _POLITICAL_ANY or t.lower_ in _NAME_CONNECTORS for t in rest):
            return doc[span.start : span.start + 1], rest
    # "the Vice-President of the Parliament Moosa Manik": a legislature glued to a personal name
    start = span.start + 1 if first.lower_ == "the" else span.start
    if start + 3 <= span.end <= start + 4 and doc[start].lower_ in _LEGISLATURE_WORDS and doc[start].is_title:
        rest = doc[start + 1 : span.end]
        if all(t.is_title and t.is_alpha for t in rest) and _head_type(rest) is None \
                and not any(t.lower_ in _POLITICAL_ANY or t.lower_ in _NAME_CONNECTORS
                            or t.lower_ in _LEGISLATURE_WORDS for t in rest):
            return doc[start : start + 1], rest
    return None, None


def _is_name_word(token) -> bool:
    return (token.is_title or (token.is_upper and len(token) > 1 and token.is_alpha)) and not token.is_punct


def _named_by_form(doc: Doc, furniture: set[int], hits: list | None = None) -> Iterable[tuple[Span, str]]:
    """Names that say what they are: "X Party", "Party of X", "the X Bloc", "Forum for
    Democratic Change", "X Front", "Central Commission for Elections and Referenda", with a
    bracketed acronym after them ("(SDPT)") as a name of the same type -- whatever the NER
    made of them."""
    n = len(doc)
    headlines = _headline_tokens(doc)
    for token in (doc if hits is None else hits):
        low = token.lower_
        if not token.is_title or token.i in furniture or not (low in _FORM_PARTY_HEADS or low in ORG_HEADS) \
                or token.i in headlines:
            continue
        if token.i == token.sent.start and token.i + 1 < n and not doc[token.i + 1].is_title:
            continue
        # leftwards over the capitalised words of the name
        start = token.i
        while start > 0:
            prev = doc[start - 1]
            if prev.is_sent_start and prev.tag_ not in ("NNP", "NNPS") and not prev.ent_type_:
                break  # "Prominent Free Patriotic Movement members": a capitalised sentence opener
            if _opener_before_name(doc, start - 1):
                break
            if _is_name_word(prev) and prev.lower_ not in _OFFICE_WORDS and prev.lower_ not in _HONORIFICS \
                    and not (prev.ent_type_ == "PERSON" and prev.lower_ not in _POLITICAL_ANY) and "\n" not in prev.text:
                start -= 1
            elif prev.text in ("-", "–") and start - 2 >= 0 and _is_name_word(doc[start - 2]) and not prev.whitespace_:
                start -= 1
            elif prev.text in ("'s", "’s") and start - 2 >= 0 and doc[start - 2].lower_ in _POLITICAL_ANY:
                start -= 1  # "People's Democratic Party"
            else:
                break
        while start < token.i and (doc[start].lower_ in _DROP_LEADING or doc[start].text in ("-", "–")):
            start += 1
        # rightwards: "Party of Regions", "Movement for Democratic Change"
        end = token.i + 1
        if end + 1 < n and doc[end].lower_ in ("of", "for") and doc[end].is_lower and low not in _BODY_HEADS:
            j = end + 1
            if j < n and doc[j].lower_ == "the":
                j += 1
            k = j
            while k < n and (_is_name_word(doc[k]) or (doc[k].lower_ in ("and", "&") and k + 1 < n and _is_name_word(doc[k + 1]))) \
                    and doc[k].ent_type_ not in ("DATE", "PERSON") and "\n" not in doc[k].text:
                k += 1
            if k > j:
                end = k
        if end - start < 2:
            continue
        span = doc[start:end]
        if any(t.i in furniture for t in span) or len(span) > 8 or any(
                t.pos_ in ("VERB", "AUX") or t.lower_ == "to" for t in span):
            continue  # a headline in title case ("Alliance Decides To Boycott Polls") is no name
        words = [t.lower_ for t in span if t.is_alpha]
        head = words[words.index("of") - 1] if "of" in words[1:] else (
            words[words.index("for") - 1] if "for" in words[1:] else words[-1])
        if head in _BODY_HEADS or (head in ORG_HEADS and head not in _FORM_PARTY_HEADS):
            kind = "Organization"
        elif head in _STRONG_PARTY_HEADS or any(w in _POLITICAL_ANY for w in words if w != head):
            kind = "PoliticalParty" if head in _FORM_PARTY_HEADS else "Organization"
        else:
            kind = "Organization"
        if _is_legislature_name(words):
            kind = "Organization"
        yield span, kind
        # "The Bangladesh Nationalist Party (BNP)": the acronym is a name of the same entity
        if end + 2 < n and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].is_upper \
                and len(doc[end + 1]) >= 2:
            yield doc[end + 1 : end + 2], kind


def _led_coalitions(doc: Doc, hits: list) -> Iterable[Span]:
    """"the BNP-led alliance", "a Sandinista-led opposition coalition": a coalition named by the
    party that leads it, an Organization of its own."""
    for token in hits:
        if token.lower_ not in _PARTY_COMPOUND_HEADS or not token.is_lower or token.i < 3:
            continue
        j = token.i - 1
        while j > 0 and token.i - j <= 2 and doc[j].is_lower and doc[j].lower_ != "led" and doc[j].pos_ in ("ADJ", "NOUN"):
            j -= 1  # "opposition", "ruling"
        if doc[j].lower_ != "led" or j < 2 or doc[j - 1].text not in ("-", "–") or not _is_name_word(doc[j - 2]):
            continue
        start = j - 2
        while start > 0 and _is_name_word(doc[start - 1]) and not doc[start - 1].is_sent_start:
            start -= 1
        yield doc[start : token.i + 1]


def _is_legislature_name(words: list[str]) -> bool:
    """"National Assembly", "Verkhovna Rada", "State Duma", "Knesset", "House of Representatives"."""
    if not words:
        return False
    # "Armenian National Assembly", "Ukraine's Verkhovna Rada": a country before the name
    for k in (3, 2, 1):
        if len(words) > k and country_code(" ".join(words[:k])):
            words = words[k:]
            break
    text = " ".join(words)
    if text in _LEGISLATURE_PHRASES:
        return True
    at = text.find(" of ")
    while at != -1:  # "National Assembly of X": a phrase, then "of"
        if text[:at] in _LEGISLATURE_PHRASES:
            return True
        at = text.find(" of ", at + 1)
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
    return head in _LEGISLATURE_WORDS and head not in _LEGISLATURE_WEAK


def _legislature_names(doc: Doc, taken: set[int], hits: list | None = None) -> Iterable[Span]:
    """Capitalised legislature names the NER missed or mistyped ("the Knesset", "Verkhovna
    Rada", "Mazhilis"): by the lexicon's legislature words, whatever the country."""
    n = len(doc)
    for token in (doc if hits is None else hits):
        if not token.is_title or token.lower_ not in _LEGISLATURE_WORDS or token.lower_ in _LEGISLATURE_WEAK \
                or token.lower_ in _GENERIC_LEGISLATURE:
            continue
        # (the NER's pieces may be taken: "State" ORG + "Duma" PERSON; the longer span wins)
        start = token.i
        while start > 0 and doc[start - 1].is_title and not doc[start - 1].is_sent_start \
                and doc[start - 1].lower_ not in _DROP_LEADING and doc[start - 1].ent_type_ not in ("PERSON", "GPE") \
                and token.i - start < 2:
            start -= 1
        end = token.i + 1
        while end < n and doc[end].is_title and doc[end].lower_ in _LEGISLATURE_WORDS:
            end += 1
        if start == token.i and end == token.i + 1 and token.i in taken:
            continue
        yield doc[start:end]


def _generic_legislatures(doc: Doc, taken: set[int], hits: list | None = None) -> Iterable[Span]:
    """"the parliament", "Tajikistan's parliament", "the Kazakh legislature": the article's
    country's legislature named by its common noun (coreference names it "Parliament of X");
    in an article that names no country, only "Parliament" written as a name (a lower-case
    "parliament" of nowhere is no entity)."""
    from kgraph.nlp.elections import doc_country  # (elections imports this module)

    if not any(t.lower_ in _GENERIC_LEGISLATURE for t in (doc if hits is None else hits)):
        return
    # in an article that names no country, only "Parliament" written as a name is one (the
    # linker keeps it to its article)
    countryless = doc_country(doc) is None
    for token in (doc if hits is None else hits):
        if token.lower_ not in _GENERIC_LEGISLATURE or token.i in taken or token.pos_ not in ("NOUN", "PROPN"):
            continue
        if countryless and not (token.is_title and token.i > 0 and not token.is_sent_start):
            continue
        if token.dep_ == "compound" and token.head.lower_ not in _GENERIC_LEGISLATURE \
                and not (token.i > 0 and doc[token.i - 1].lower_ == "of") and token.head.lower_ not in TITLE_WORDS:
            continue  # "parliament building": a modifier, not the body
            # (but "Speaker of Parliament X", parsed as a modifier of X, and "parliament speaker X"
            # name the body)
        prev = doc[token.i - 1] if token.i > 0 else None
        if prev is not None and prev.is_title and prev.i in taken and not country_code(prev.text):
            continue  # "European Parliament": part of a name
        if token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of" and token.i + 2 < len(doc) \
                and doc[token.i + 2].is_title and not country_code(doc[token.i + 2].text):
            continue  # "Parliament of Georgia" is a name the NER handles; "Parliament of Europe" too
        yield doc[token.i : token.i + 1]


_REGION_LABELS = frozenset({"GPE", "NORP", "LOC", "ORG"})  # the NER's labels for "Balearic", "Punjab"


def _regional_legislatures(doc: Doc, hits: list | None = None) -> Iterable[Span]:
    """A legislature's common noun after a place's name or adjective that is not a country's:
    "the Balearic parliament", "the Punjab assembly", "the Gagauzia parliament" (a region's
    legislature, named by both words; a country's is ``_generic_legislatures``')."""
    for token in (doc if hits is None else hits):
        if token.lower_ not in _GENERIC_LEGISLATURE or not token.is_lower or token.pos_ not in ("NOUN", "PROPN"):
            continue
        if token.dep_ == "compound" and token.head.lower_ not in _GENERIC_LEGISLATURE:
            continue  # "parliament building", "parliament speaker"
        start = token.i
        while start > 0 and doc[start - 1].is_title and doc[start - 1].ent_type_ in _REGION_LABELS \
                and token.i - start < 3:
            start -= 1
        if start == token.i or country_code(doc[start : token.i].text) or any(country_code(t.text) for t in doc[start : token.i]):
            continue
        yield doc[start : token.i + 1]


def _party_bodies(doc: Doc, names: list[Span], hits: list | None = None) -> Iterable[Span]:
    """Bodies of a party written in lower case around the party's name or a reference to it:
    "the SDPK political council", "the political council of the party", "the party's central
    committee", "the SDPK faction" -> one Organization span (coreference finds the party)."""
    by_end = {s.end: s for s in names}
    by_start = {s.start: s for s in names}
    for token in (doc if hits is None else hits):
        if token.lower_ not in _BODY_HEADS or not token.is_lower or token.pos_ not in ("NOUN", "PROPN") or token.tag_ in ("NNS",):
            continue
        mods = [c for c in token.lefts if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in _BODY_MODIFIERS]
        k = token.i  # the modifiers right before the head, however the parser attached them
        while k > 0 and doc[k - 1].lower_ in _BODY_MODIFIERS and doc[k - 1].is_lower:
            k -= 1
            mods.append(doc[k])
        start = min((c.i for c in mods), default=token.i)
        # "the party council" (not "the party leadership": its leaders, a post one is removed from)
        party_noun = start > 0 and doc[start - 1].lower_ in _PARTY_NOUNS and doc[start - 1].dep_ in ("compound", "nmod") \
            and token.lower_ not in _GENERIC_BODY_HEADS
        if token.lower_ not in _BARE_BODY_HEADS and not mods and not party_noun:
            continue
        # the party before: "SDPK political council", "the party's central committee"
        before = by_end.get(start)
        if before is None and start > 0 and doc[start - 1].text in ("'s", "’s"):
            owner = doc[start - 2] if start >= 2 else None
            if owner is not None and (owner.i + 1 in by_end or owner.lower_ in _PARTY_NOUNS):
                yield doc[start : token.i + 1]
                continue
        if before is None and start >= 4 and doc[start - 1].text == ")" and doc[start - 3].text == "(":
            before = by_end.get(start - 3)  # "the Republican Party of Armenia (RPA) council"
        if before is not None and before.label_ != "Person":
            # "the Patriotic Front central committee": the party keeps its own mention (it may
            # be what "the party" refers to next); coreference links the body to it
            yield doc[start : token.i + 1]
            continue
        if party_noun:
            yield doc[start : token.i + 1]  # "the party caucus", "the party council", "party political council"
            continue
        if mods and (token.lower_ not in _GENERIC_BODY_HEADS or any(m.lower_ in _NAMING_BODY_MODIFIERS for m in mods)) and any(
                (n.label_ == "PoliticalParty" or n.text.isupper() and len(n) == 1) and n.end <= start for n in names) \
                and not (token.i + 1 < len(doc) and (doc[token.i + 1].lower_ == "of" or doc[token.i + 1].is_title)):
            # "federal council chairperson X", "the political council expelled X" in an article
            # that has named its party: coreference takes the body to that party
            yield doc[start : token.i + 1]
            continue
        # the party after: "the political council of the party", "Political council of SDPK"
        if token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "of":
            j = token.i + 2
            if doc[j].lower_ == "the":
                j += 1
            after = by_start.get(j)
            if (after is not None and after.label_ != "Person") or (j < len(doc) and doc[j].lower_ in _PARTY_NOUNS):
                yield doc[start : token.i + 1]  # the party after "of" is found by coreference


class MentionTyper:
    """Repairs and types the named mentions; writes ``doc.spans[MENTIONS_KEY]``."""

    def __init__(self, nlp: Language, name: str, kb_name: str):
        self.name = name
        self.kb_name = kb_name
        self._alias_types: dict[str, tuple[str, str | None]] | None = None

    def _kb_lookup(self) -> dict[str, tuple[str, str | None]]:
        """_norm(alias) -> (type, unambiguous kb id), from the KB's alias table, to type
        the spans the NER found with slightly different spelling or punctuation than the ruler."""
        if self._alias_types is None:
            table: dict[str, tuple[str, str | None]] = {}
            kb = get_kb(self.kb_name)
            if kb is not None:
                seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
                for alias, entity in kb.alias_table():
                    if entity.type in KB_LABELS:
                        seen[_norm(alias)][entity.type].add(entity.id)
                for key, types in seen.items():
                    kb_type = max(types, key=lambda t: (len(types[t]), t == "PoliticalParty"))
                    ids = types[kb_type]
                    table[key] = (kb_type, next(iter(ids)) if len(ids) == 1 else None)
            self._alias_types = table
        return self._alias_types

    def __call__(self, doc: Doc) -> Doc:
        kb_types = self._kb_lookup()
        candidates: list[tuple[Span, str | None, str]] = []  # (span, type or None, ner label)
        described: dict[tuple[int, int], str] = {}  # span -> type the context gives it
        furniture = _furniture_tokens(doc)
        # words of the names the NER calls persons: "UNM Nika Melia" is a person glued to a
        # party only when "Melia" is a person's name elsewhere too
        glued = [i for i in tag_positions(doc, _PROPER_TAGS) if _glued_initial(doc[i])]  # "M.Enkhbold"
        person_words = frozenset(t.text for e in doc.ents if e.label_ == "PERSON" for t in e) | frozenset(
            doc[i].text for i in glued)
        # all-capital words the knowledge base knows as a party or organization, or the NER
        # found alone as one ("UNM")
        org_words = frozenset(t.text for e in doc.ents if e.label_ != "PERSON" for t in e
                              if t.is_upper and len(t) >= 2 and t.is_alpha and (len(e) == 1 or _norm(t.text) in kb_types))
        # one pass over the tokens for the head words the form rules below look for
        hits = [doc[i] for i in word_positions(doc, _SCAN_WORDS)]
        for ent in doc.ents:
            if ent.label_ not in _NAME_LABELS:
                continue
            if ent.start in furniture and ent.end - 1 in furniture:
                continue  # "ALMATY, Kazakhstan (AP) —": a dateline names no actor
            for span in _clean(ent):
                label = ent.label_
                if label != "PERSON" and len(span) > 1 and not span[0].ent_type_ == "" and not ent.kb_id_:
                    org_part, holder = _split_holder(span, person_words, org_words)
                    if holder is not None:
                        # "Party Chairman John Smith", "UNM Nika Melia": the office's holder
                        candidates.append((holder, "Person", "PERSON"))
                        if org_part is None:
                            continue
                        span = org_part
                if label == "PERSON" and span.end + 1 < len(doc) and doc[span.end].lower_ in _PERSON_TITLES \
                        and doc[span.end + 1].ent_type_ == "PERSON" and len(span) <= 2:
                    continue  # "Goilala MP Casmiro Aia": a constituency before a title, not a second person
                if label == "PERSON":
                    span = _strip_title(span)
                    if all(t.lower_ in TITLE_WORDS | _PERSON_TITLES for t in span):
                        continue  # "Deputy Leader" alone is a title, not a name
                    # "Anatoly [Borisovich Chubais]": a first name the NER left out
                    first = span.start
                    while first > 0 and span.start - first < 2 and doc[first - 1].tag_ == "NNP" and doc[first - 1].is_title \
                            and not doc[first - 1].ent_type_ and doc[first - 1].lower_ not in TITLE_WORDS | _PARTY_FAMILY \
                            and doc[first - 1].lower_ not in PARTY_HEADS | ORG_HEADS:
                        first -= 1
                    if first < span.start and (first == 0 or doc[first].is_sent_start or not doc[first - 1].text[:1].isupper()):
                        span = doc[first:span.end]
                    # "[Morgan] Ng’ona": a one-word name goes on to the untagged proper noun after it
                    nxt = doc[span.end] if span.end < len(doc) else None
                    if len(span) == 1 and nxt is not None and nxt.tag_ == "NNP" and not nxt.ent_type_ \
                            and nxt.text[:1].isupper() and span[-1].whitespace_ and nxt.lower_ not in TITLE_WORDS \
                            and nxt.lower_ not in PARTY_HEADS | ORG_HEADS and not country_code(nxt.text):
                        span = doc[span.start : span.end + 1]
                    # "fellow Democrat Sidney Yates", "Conservative Jane Doe": the party word
                    # before a person's name is a party mention, not part of the name
                    lead = span.start
                    while lead < span.end - 2 and doc[lead].lower_ in _PARTY_FAMILY and doc[lead].is_title:
                        lead += 1
                    if lead > span.start:
                        candidates.append((doc[span.start:lead], "PoliticalParty", "NORP"))
                        span = doc[lead:span.end]
                kb = kb_types.get(_norm(span.text))
                kb_id = ent.kb_id_ if span.start == ent.start and span.end == ent.end else ""
                kind = kb[0] if kb else ("Person" if len(span) == 1 and _glued_initial(span[0]) else _head_type(span))
                if kind is None and label in ("NORP", "ORG") and all(
                    t.lower_ in _PARTY_FAMILY for t in span if t.is_alpha
                ):
                    kind = "PoliticalParty"  # "Conservative leader X", "Labor", "a Whig"
                if kind is None and _under_party_noun(span):
                    kind = "PoliticalParty"  # "the Fatherland, Civic, and Agrarian parties"
                if kb and not kb_id and kb[1]:
                    kb_id = kb[1]
                candidates.append((Span(doc, span.start, span.end, kb_id=kb_id or ""), kind, label))
        for span in _party_compounds(doc):
            candidates.append((span, "PoliticalParty", "PARTY"))
        for span, kind in _named_by_form(doc, furniture, hits):
            kb = kb_types.get(_norm(span.text))
            candidates.append((Span(doc, span.start, span.end, kb_id=(kb[1] or "") if kb else ""), kb[0] if kb else kind, "ORG"))
        for span in _led_coalitions(doc, hits):
            candidates.append((span, "Organization", "ORG"))
        taken_now = {i for span, _kind, _label in candidates for i in range(span.start, span.end)}
        for span in _legislature_names(doc, taken_now, hits):
            candidates.append((span, "Organization", "ORG"))
        taken_now = {i for span, _kind, _label in candidates for i in range(span.start, span.end)}
        for i in glued:
            if i not in taken_now:
                candidates.append((doc[i : i + 1], "Person", "PERSON"))
                taken_now.add(i)
        for span in _unnamed_born(doc, taken_now):
            candidates.append((span, "Person", "PERSON"))
            taken_now.update(range(span.start, span.end))
        for span in _untagged_names(doc, taken_now):
            candidates.append((span, None, ""))
            taken_now.update(range(span.start, span.end))
        for span in _untagged_acronyms(doc, taken_now):
            kb = kb_types.get(_norm(span.text))
            candidates.append((span, kb[0] if kb else "Organization", "ORG"))
            taken_now.add(span.start)
        for span in _unnamed_groups(doc, taken_now):
            candidates.append((span, "Organization", "ORG"))
        for span in _party_members(doc, taken_now):
            candidates.append((span, "PoliticalParty", "NORP"))
            # "fellow Democrat Sidney Yates": proper nouns the NER missed after a party word
            end = span.end
            while end < len(doc) and end - span.end < 3 and doc[end].tag_ == "NNP" and doc[end].is_title and end not in taken_now:
                end += 1
            if end - span.end >= 2:
                candidates.append((doc[span.end:end], "Person", "PERSON"))
        # (a place name before a title is not taken: "Green Wave bassist X" is a band the NER
        # called a GPE)
        taken = {
            i for span, kind, label in candidates if kind or label in _LABEL_TYPES for i in range(span.start, span.end)
        }
        for span in _names_before_titles(doc, taken):
            # "Conservative leader X": a party family's word before a title is a party
            # (a place's adjective before the party word: "Victorian Liberal")
            words = [t for t in span if t.is_alpha]
            while len(words) > 1 and (words[0].ent_type_ in ("NORP", "GPE") or country_code(words[0].text)) \
                    and words[0].lower_ not in _PARTY_FAMILY:
                words = words[1:]
            family = bool(words) and all(t.lower_ in _PARTY_FAMILY for t in words)
            candidates.append((span, _head_type(span) or ("PoliticalParty" if family else "Organization"), "ORG"))

        candidates = _initials_joined(candidates)
        # "X (Y)" where Y is a party: X is a person ("Terje Halleland (Progress Party)")
        by_start = {span.start: kind for span, kind, _label in candidates}
        for span, kind, _label in candidates:
            if kind is None and span.end + 1 < len(doc) and doc[span.end].text == "(":
                inner = next((s for s, k, _l in candidates if s.start == span.end + 1), None)
                if _person_before_party(span, inner, by_start.get(span.end + 1)):
                    described[(span.start, span.end)] = "Person"
        # one string, one type in a document: the strongest evidence wins (KB/head word over
        # the NER's vote), so "Ablyazov" tagged GPE once and PERSON five times is a Person
        votes: dict[str, Counter] = defaultdict(Counter)
        for span, kind, label in candidates:
            key = _norm(span.text)
            context = described.get((span.start, span.end)) or (None if kind else _described_as_group(span) or _described_by_verb(span))
            if context == "place":
                continue  # "grew up in Kiel" (NER: PERSON): a place is none of our types
            if kind:
                votes[key][kind] += 10
            elif context:
                votes[key][context] += 6  # "the rock band X" (NER: PERSON), "X (Labour)"
            elif (label not in ("GPE", "LOC") or (len(span) > 1 and not country_code(span.text))) and _described_as_person(span):
                votes[key]["Person"] += 5  # "Alexandra Colen, a former member of ..." (NER: ORG)
            elif label in _LABEL_TYPES:
                votes[key][_LABEL_TYPES[label]] += 1
        self._list_votes(candidates, votes)
        # the surname of a person named in full is that person ("Shulyak" after "Olena Shulyak"),
        # whatever the NER called it there
        surnames = {
            _norm(span[-1].text)
            for span, _kind, _label in candidates
            if len(span) > 1 and votes.get(_norm(span.text))
            and votes[_norm(span.text)].most_common(1)[0][0] == "Person"
        }
        given = {
            _norm(span[0].text)
            for span, _kind, _label in candidates
            if len(span) > 1 and votes.get(_norm(span.text))
            and votes[_norm(span.text)].most_common(1)[0][0] == "Person"
        }
        for span, kind, _label in candidates:
            key = _norm(span.text)
            if len(span) == 1 and not kind and (key in surnames or key in given):
                votes[key]["Person"] += 3  # "Abiy's" (NER: ORG) after "Abiy Ahmed"
            elif len(span) == 1 and kind == "PoliticalParty" and key in surnames and key not in kb_types:
                votes[key]["Person"] += 12  # "Ng'ona said the party ...": a surname, not a party the parse guessed
        person_tokens = self._person_tokens(candidates, votes)
        mentions = []
        self._acronym_votes(doc, candidates, votes)
        for span, kind, label in candidates:
            key = _norm(span.text)
            if not key or (len(span) == 1 and span[0].lower_ in PARTY_HEADS | ORG_HEADS):
                continue  # "Party" alone is a nominal, resolved by coreference
            if any(i in furniture for i in range(span.start, span.end)) or _not_a_name(span):
                continue  # datelines, section labels, markup, offices ("Secretary General")
            if country_code(span.text) and not span.kb_id_:
                continue  # a country or demonym the NER called an organization ("Kazakh")
            vote = votes.get(key)
            final = vote.most_common(1)[0][0] if vote else None
            if final is None and key in person_tokens:
                final = "Person"  # "Nazarbaeva" (GPE) is the surname of "Darigha Nazarbaeva"
            if final is None:
                continue
            if final == "Person" and len(span) == 1 and span[0].is_upper and 2 <= len(span[0]) <= 4 and span[0].is_alpha:
                continue  # "an MEC", "the MDC": an acronym is no person's name
            if any(ch.isdigit() for ch in span.text) and final != "Organization" and not (
                    span.kb_id_ or kb_types.get(key)):
                continue  # a number is no name, but "M5S" is a party the knowledge base knows
            start, end = _hyphen_joined(doc, span.start, span.end) if final != "Person" else (span.start, span.end)
            kb_id = span.kb_id_ if (start, end) == (span.start, span.end) else ""
            mentions.append(Span(doc, start, end, label=final, kb_id=kb_id))
        mentions.extend(_propagate_names(doc, mentions))
        group = _resolve_overlaps(mentions)
        bodies = [Span(doc, s.start, s.end, label="Organization") for s in _party_bodies(doc, group, hits)]
        taken = {i for s in group for i in range(s.start, s.end)}
        group += [Span(doc, s.start, s.end, label="Organization") for s in _generic_legislatures(doc, taken, hits)]
        regional = [Span(doc, s.start, s.end, label="Organization") for s in _regional_legislatures(doc, hits)]
        if regional:  # "the Balearic parliament" wins over "Balearic" alone
            group = _resolve_overlaps(regional + group)
        if bodies:
            # a body's span takes in the party's name ("SDPK political council"): it wins
            group = _resolve_overlaps(bodies + group)
        doc.spans[MENTIONS_KEY] = sorted(group, key=lambda s: s.start)
        return doc

    @staticmethod
    def _acronym_votes(doc: Doc, candidates, votes) -> None:
        """An acronym has the type of its long form: "the Bangladesh Nationalist Party (BNP)" makes
        "BNP" (and "the BNP" later) a party even where the NER called it an organization."""
        long_types: dict[str, str] = {}
        for span, _kind, _label in candidates:
            vote = votes.get(_norm(span.text))
            if len(span) < 2 or not vote:
                continue
            final = vote.most_common(1)[0][0]
            if final not in ("PoliticalParty", "Organization"):
                continue
            long_types.setdefault(acronym(span.text), final)
            if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
                long_types[doc[span.end + 1].text] = final
        for span, _kind, _label in candidates:
            if len(span) == 1 and span.text.isupper() and span.text in long_types:
                votes[_norm(span.text)][long_types[span.text]] += 20

    @staticmethod
    def _list_votes(candidates, votes) -> None:
        """"A, B and C" with A and C persons: a two- or three-word name coordinated with a person
        is a person's, though the NER called it a place or missed it ("Tshepo Kwenanyane")."""
        def top(span):
            vote = votes.get(_norm(span.text))
            return vote.most_common(1)[0][0] if vote else None

        by_root = {span.root.i: span for span, _kind, _label in candidates}
        for span, kind, _label in candidates:
            if kind or top(span) == "Person" or not 2 <= len(span) <= 3 \
                    or not all(t.is_title and t.is_alpha for t in span) or country_code(span.text) \
                    or any(t.lower_ in _POLITICAL_ANY or t.lower_ in ORG_HEADS or t.lower_ in PARTY_HEADS
                           or country_code(t.text) for t in span):
                continue
            root = span.root
            near = [c for c in root.children if c.dep_ in ("conj", "appos")]
            if root.dep_ in ("conj", "appos"):
                near.append(root.head)
            if any(n.i in by_root and by_root[n.i] is not span and top(by_root[n.i]) == "Person" for n in near):
                votes[_norm(span.text)]["Person"] += 8

    @staticmethod
    def _person_tokens(candidates, votes) -> set[str]:
        tokens = set()
        for span, _kind, _label in candidates:
            vote = votes.get(_norm(span.text))
            if vote and vote.most_common(1)[0][0] == "Person" and len(span) > 1:
                tokens.update(_norm(t.text) for t in span if t.is_alpha)
        return tokens


def _initials_joined(candidates: list) -> list:
    """"JP Smith", "FW de Klerk": two capitals right before a person's name are the person's
    initials, not an acronym (even one the knowledge base knows): one Person span."""
    persons = {span.start for span, _kind, label in candidates if label == "PERSON"}
    initials = {}  # the person's first token -> the initials' token
    for span, _kind, _label in candidates:
        token = span[0]
        if len(span) == 1 and len(token) == 2 and token.is_upper and token.is_alpha and token.whitespace_ \
                and span.end in persons and span.doc[span.end].is_title:
            initials[span.end] = span.start
    if not initials:
        return candidates
    out = []
    for span, kind, label in candidates:
        if len(span) == 1 and span.start in initials.values():
            continue
        if label == "PERSON" and span.start in initials:
            span = Span(span.doc, initials[span.start], span.end, label=span.label_)
        out.append((span, kind, label))
    return out


def _propagate_names(doc: Doc, mentions: list[Span]) -> list[Span]:
    """Occurrences the NER missed of names it found elsewhere in the document: a person's
    surname ("Vashadze" after "Giorgi Vashadze") and single-word party/organization names."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    known: dict[str, tuple[str, str]] = {}  # token text -> (type, kb id)
    for m in mentions:
        if m.label_ == "Person" and len(m) >= 2 and m[-1].is_title and len(m[-1]) > 2:
            known.setdefault(m[-1].text, ("Person", ""))
        elif len(m) == 1 and (m[0].is_title or m[0].is_upper) and len(m[0]) > 2:
            known.setdefault(m[0].text, (m.label_, m.kb_id_))
    if not known:
        return []
    out = []
    for token in (doc[i] for i in word_positions(doc, frozenset(known), exact=True, cache=False)):
        if token.i in taken or token.text not in known:
            continue
        kind, kb_id = known[token.text]
        # a surname inside another capitalised name is not a mention of the person
        if kind == "Person" and ((token.i > 0 and doc[token.i - 1].is_title and doc[token.i - 1].i not in taken
                                  and token.i - 1 != token.sent.start)
                                 or (token.i + 1 < len(doc) and doc[token.i + 1].is_title)):
            continue
        out.append(Span(doc, token.i, token.i + 1, label=kind, kb_id=kb_id))
    return out


def _hyphen_joined(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """"MDC-T", "ZANU-PF", "RJP-N": capitalised parts joined by a hyphen without spaces are one
    name, whichever part the NER took."""
    def joined(a, hyphen, b) -> bool:
        return hyphen.text in ("-", "–", "‑") and not a.whitespace_ and not hyphen.whitespace_ \
            and (a.is_upper or a.is_title) and (b.is_upper or b.is_title) and a.is_alpha and b.is_alpha \
            and (a.is_upper or b.is_upper)
    while start >= 2 and joined(doc[start - 2], doc[start - 1], doc[start]):
        start -= 2
    while end + 1 < len(doc) and joined(doc[end - 1], doc[end], doc[end + 1]):
        end += 2
    return start, end


def _resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Longest span wins where spans overlap; a KB-typed span beats an untyped one of equal length."""
    spans = sorted(spans, key=lambda s: (-(s.end - s.start), not s.kb_id_, s.start))
    taken: set[int] = set()
    out = []
    for span in spans:
        if any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        out.append(span)
    return sorted(out, key=lambda s: s.start)


@Language.factory(
    "kgraph_mentions",
    requires=["doc.ents", "token.dep", "token.tag"],
    assigns=["doc.spans"],
    default_config={"kb_name": "default"},
)
def make_mentions(nlp: Language, name: str, kb_name: str) -> MentionTyper:
    """Repaired, typed named mentions in ``doc.spans["kgraph_mentions"]`` (add after ``ner``)."""
    return MentionTyper(nlp, name, kb_name)
