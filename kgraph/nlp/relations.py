"""Relation extraction: leads / memberOf / expelledFrom / boycotted from a few general mechanisms.

The ``kgraph_relations`` factory reads the clusters of ``kgraph_coref`` and writes
``doc._.kgraph_relations``: dicts with subject/object cluster indices, predicate, token span of
the evidence, sentence, trigger token, rule name and confidence.

A relation is found in three steps, each written once and applied to every word of the lexicon
(``kgraph/nlp/lexicon/<lang>/relations.json``):

1. **Triggers.** A token is a trigger when its lemma is a role noun ("leader", "member"), an
   event verb ("lead", "join", "expel", "boycott", a participation verb under a refusal or a
   negation, a withdrawal verb) or an event noun ("expulsion", "boycott", "membership", "seat").
   The lexicon entry gives the predicate.
2. **Slots.** Each trigger family has two argument slots (holder and organization, or actor and
   election), and each slot is filled through a small set of syntactic configurations, the
   *mechanisms* of :data:`MECHANISMS`: compound ("OSDP leader X"), apposition ("X, the leader of
   Y"), possessive ("Y's leader"), of-phrase ("leader of Y"), copula ("X is/became leader"),
   as-phrase ("X served as leader"), naming object ("Y elected X leader"), subject and object of a
   verb (through control, coordination and relative clauses), passive agent ("Y, led by X"),
   prepositional object ("expelled from Y"). Every slot is extended to its conjuncts
   (coordination: "X and Z, leaders of Y", "Y and W boycotted E").
3. **Assertion.** The trigger's clause must state a fact (:func:`assertion_of`): not negated, not
   hypothetical, proposed, threatened or conditional; a future or modal statement counts only when
   it is an announced or reported decision ("the party said it will boycott the vote"). A
   statement under a denial verb is kept with ``negated=True`` (a recorded claim, not a fact).

The rule name in the provenance is ``<trigger family>:<slot mechanism>+<slot mechanism>``, so a
fact says which mechanisms fired. Both ends must be entities of fitting types: a person leads /
is a member of / is expelled from a party or organization; a party, organization or person
boycotts an election. No code path knows a particular name.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from dataclasses import dataclass
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Token

from kgraph.nlp.coref import REFERENCES_KEY
from kgraph.nlp.countries import country_code
from kgraph.nlp.lexicon import load_lexicon, word_positions
from kgraph.nlp.mentions import MENTIONS_KEY

__all__ = ["MECHANISMS", "FAMILIES", "RelationExtractor", "assertion_of", "is_asserted", "rule_confidence"]

_LEX = load_lexicon("relations")
#: words that describe a party without naming it ("the Ennahda Islamist party")
_DESCRIPTIVE = load_lexicon("entities")["descriptive_party_words"]
_ENTITY_PARTY_NOUNS = frozenset(load_lexicon("entities")["party_nouns"])  # "party", "movement", ...
_ASSERT = _LEX["assertion"]


def _predicates(table: dict) -> dict[str, str]:
    return {word: pred for word, pred in table.items() if isinstance(pred, str)}


_ROLE_NOUNS = _predicates(_LEX["role_nouns"])
_TWO_WORD_ROLES = _LEX["two_word_roles"]
_PARTY_ONLY_ROLES = _LEX["party_only_roles"]
_SUBORDINATE = _LEX["subordinate_modifiers"]
_HOLDER_VERBS = _predicates(_LEX["holder_verbs"])
_HOLDER_VERB_PREPS = _LEX["holder_verb_preps"]
_REMOVAL_VERBS = _predicates(_LEX["removal_verbs"])
_REMOVAL_PARTICLES = _LEX["removal_particles"]
_MEMBERSHIP_NOUNS = _LEX["membership_nouns"]
_BOYCOTT_VERBS = _LEX["boycott_verbs"]
_PARTICIPATION_VERBS = _LEX["participation_verbs"]
_REFUSAL_HEADS = _LEX["refusal_heads"]
_WITHDRAWAL_VERBS = _LEX["withdrawal_verbs"]
_EVENT_NOUNS = _predicates(_LEX["event_nouns"])
_SEAT_VERBS = _LEX["seat_verbs"]
_COPULAS = _LEX["copulas"]
_NAMING_VERBS = _LEX["naming_verbs"]
_AS_VERBS = _LEX["as_verbs"]
_ADMISSION_VERBS = _LEX["admission_verbs"]
_GROUP_HEADS = _LEX["group_head_nouns"]
_POSITION_NOUNS = _LEX["position_nouns"]
_HOLDING_VERBS = _LEX["holding_verbs"]
_TITLE_CHAIN = _LEX["title_chain_words"]
_REVOKING_VERBS = _LEX["revoking_verbs"]
_GROUP_NOUNS = _LEX["group_nouns"]
_COMPOSITION_VERBS = _LEX["composition_verbs"]
_LEADERSHIP_NOUNS = _LEX["leadership_nouns"]
_CANDIDACY_VERBS = _LEX["candidacy_verbs"]
_DECIDING_HEADS = _LEX["deciding_heads"]
_RECRUITING_VERBS = _LEX["recruiting_verbs"]
_SUCCESSION_VERBS = _LEX["succession_verbs"]
_TAKE_OVER_VERBS = _LEX["take_over_verbs"]
_PARTY_ONLY_VERBS = _LEX["party_only_verbs"]
_PARTY_BODY_NOUNS = _LEX["party_body_nouns"]
_BODY_HEADS = _LEX["body_head_nouns"]
_MEMBERSHIP_BODIES = _LEX["membership_body_heads"]
_PARTY_AS_VERBS = _LEX["party_as_verbs"]
_DECIDING_NOUNS = _LEX["deciding_nouns"]
_CONTEST_NOUNS = _LEX["contest_nouns"]
_DISTRIBUTIVE = _LEX["distributive_words"]
_WINNING_VERBS = _LEX["winning_verbs"]
_SUBUNIT = _LEX["subunit_modifiers"]
_SEAT_ROLES = frozenset(_LEX["seat_roles"])
_CONSTITUENCY_TITLES = _SEAT_ROLES | _LEX["constituency_titles"]
_HEAD_ROLES = frozenset(_LEX["legislature_head_roles"])
_BARE_PARTY_TITLES = frozenset(_LEX["bare_party_titles"])
_PORTFOLIO_TITLES = frozenset(_LEX["portfolio_titles"])
_LEGISLATURE_WORDS = load_lexicon("entities")["legislature_words"]
_PLACE_HEADS = load_lexicon("entities")["place_heads"]
_GENERIC_LEGISLATURE = load_lexicon("entities")["generic_legislature"]
_QUANTITY_HEADS = _LEX["quantity_heads"]
_BOYCOTT_CALLS = _LEX["boycott_call_heads"]
_BLOCKING = _ASSERT["blocking_heads"]
_BLOCKING_NOUNS = _ASSERT["blocking_nouns"]
_DENIAL = _ASSERT["denial_heads"]
_REPORTING = _ASSERT["reporting_heads"]
_MODAL = _ASSERT["modal_aux"]
_WEAK_MODAL = _ASSERT["weak_modal_aux"]
_CONDITION = _ASSERT["condition_marks"]
_UNREALISED = _ASSERT["unrealised_modifiers"]

#: every word a mechanism starts from (the candidate tokens of RelationExtractor._candidates)
_TRIGGER_WORDS = frozenset().union(
    _ROLE_NOUNS, _TWO_WORD_ROLES, _EVENT_NOUNS, _HOLDER_VERBS, _REMOVAL_VERBS, _BOYCOTT_VERBS, _PARTICIPATION_VERBS,
    _WITHDRAWAL_VERBS, _ADMISSION_VERBS, _RECRUITING_VERBS, _REVOKING_VERBS, _COMPOSITION_VERBS, _GROUP_NOUNS,
    _PARTY_AS_VERBS,
    {"under"},
    {w + "s" for w in _ROLE_NOUNS if w.isalpha() and len(w) <= 3},  # "MPs", "MEPs": acronym plurals the lemmatizer keeps
)
_RELATIVE = frozenset({"who", "that", "which", "whom", "whose"})
_PLURAL_PRONOUNS = frozenset({"they", "their", "them", "we"})
_LIST_PRONOUNS = frozenset({"they", "these", "those"})
# "Kalulushi Member of Parliament X": a place before a title is a constituency, not an organization
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LIST_VERBS = frozenset({"be", "include"})
# the clause arguments a list of names fills ("A, B and C are out", "expelled A, B and C")
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})
_LIST_MARKS = frozenset({",", "–", "—", "-", ":", ";"})
_HELD_TITLE = frozenset(_LEX["held_title_modifiers"])
_INCLUDING = frozenset({"including", "like", "such"})  # "parties, including / such as A and B"
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})

#: slot mechanisms and the confidence each gives a slot; a relation's confidence is the smaller
#: of its two slots' times its family's (see :data:`FAMILIES`)
MECHANISMS: dict[str, float] = {
    "compound": 0.9,        # "OSDP leader X", "Party Chairman X"
    "apposition": 0.9,      # "X, the leader of Y", "the leader of Y, X"
    "possessive": 0.9,      # "Y's leader", "its leader"
    "of-phrase": 0.9,       # "leader of Y", "expulsion of X", "boycott of E"
    "copula": 0.85,         # "X is / became leader", "The leader is X"
    "as-phrase": 0.85,      # "X served / was elected as leader"
    "naming-object": 0.85,  # "Y elected X leader", "Y named X as its head"
    "naming-subject": 0.8,  # the body that names: "Y elected X chairman"
    "subject": 0.9,         # "X heads Y", "Y expelled X", "X decided to boycott E"
    "relative": 0.9,        # a name a relative clause modifies: "X, who heads Y" (and the names before X, not after)
    "object": 0.9,          # "X heads Y", "Y expelled X", "X boycotted E"
    "passive-subject": 0.9, # "X was expelled", "Y is led by X"
    "passive-agent": 0.85,  # "by X"
    "participle": 0.8,      # "Y, led by X", "X, expelled from Y"
    "prep-object": 0.85,    # "expelled from Y", "joined as a member of Y", "a seat in Y"
    "governor-subject": 0.8,  # "Y announced the expulsion of X", "X won a seat in Y"
    "person-of": 0.75,      # "X of the Y party"
    "position": 0.8,        # "X holds the post of leader", "positions including head of Y"
    "title-chain": 0.85,    # "Y member and lawmaker X", "Y party Chairman X" (surface order)
    "article-legislature": 0.7,  # a seat title with the article's one legislature: "MP X"
    "reference": 0.8,       # factor for an end reached through a pronoun or "the party"
    "topic": 0.7,           # the party the article is about: "X was expelled." (no party named)
    "list": 0.7,            # a plural named in a later sentence: "They are A and B."
    "surface-object": 0.75, # names listed after a verb the parser left without an object
    "election-list": 0.8,   # elections listed after an election object: "boycotted E1, as well as E2 and E3"
}

#: trigger families and the confidence each gives a relation
FAMILIES: dict[str, float] = {
    "role": 1.0, "verb": 1.0, "removal": 1.0, "boycott": 1.0, "nonparticipation": 0.9,
    "withdrawal": 0.85, "noun": 0.95, "seat": 0.9, "admission": 0.85, "person-of": 0.9, "title": 1.0,
    "under": 0.85,
}


def rule_confidence(rule: str) -> float:
    """The confidence of a rule name ``family:mech+mech`` (the registry's figures)."""
    family, _, mechs = rule.partition(":")
    slots = [MECHANISMS.get(m, 0.7) for m in mechs.split("+") if m]
    return round(FAMILIES.get(family, 0.8) * (min(slots) if slots else 0.8), 3)


_PERSON = frozenset({"Person"})
_ORG = frozenset({"PoliticalParty", "Organization"})
_ACTOR = frozenset({"PoliticalParty", "Organization", "Person"})
_ELECTION = frozenset({"Election"})
_TYPES = {
    "leads": (_PERSON, _ORG),
    "memberOf": (_PERSON, _ORG),
    "expelledFrom": (_PERSON, _ORG),
    "boycotted": (_ACTOR, _ELECTION),
}


# ------------------------------------------------------------------------------------ assertion


def assertion_of(trigger: Token, *, negation_expected: bool = False, allowed: frozenset = frozenset(),
                 decision: bool = False) -> str:
    """How the clause of ``trigger`` states its content: ``"asserted"``, ``"denied"`` (under a
    denial verb: a recorded claim) or ``"unasserted"`` (negated, hypothetical, intended, proposed,
    threatened, conditional, a question, or modal/future without an announcing verb above it).

    ``negation_expected``: the trigger itself must be negated or under a refusal verb (the
    relation is the refusal: "decided not to take part", "refused to run"). ``allowed``: heads
    that do not block this relation (a call to boycott is the caller's boycott). ``decision``:
    the relation is a decision, so a plain future states it ("X will not take part in E")."""
    sent = trigger.sent
    if sent.text.rstrip().endswith("?"):
        return "unasserted"
    token, first = trigger, True
    pending_modal = False
    negated_found = False
    skip = False  # the head of a coordinated clause with its own subject: its words are not ours
    for _ in range(12):
        lemma = token.lemma_.lower()
        for child in () if skip else token.children:
            dep, low = child.dep_, child.lower_
            if dep == "neg" or (dep == "advmod" and low in ("never", "no")):
                if first and negation_expected:
                    negated_found = True
                elif not first and lemma in _REFUSAL_HEADS:
                    pass  # "did not refuse" is rare; do not flip twice
                else:
                    return "unasserted"
            elif dep in ("aux", "auxpass") and low in _MODAL:
                if low in _WEAK_MODAL:
                    pending_modal = True  # an announced decision if a reporting verb is above
                else:
                    return "unasserted"
            elif dep == "aux" and low == "going":
                pending_modal = True
            elif dep == "mark" and low in _CONDITION:
                return "unasserted"
            elif dep == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITION for m in child.children):
                return "unasserted"  # "will not take part if the authorities do not ..."
            elif dep == "amod" and low in _UNREALISED and first:
                return "unasserted"
        if not first and not skip:
            if lemma in _DENIAL:
                return "denied"
            if lemma in _REFUSAL_HEADS:
                if not negation_expected:
                    return "unasserted"  # "refused to expel X"
                negated_found = True
            elif lemma in allowed:
                if any(c.dep_ == "dobj" and c.pos_ == "PROPN" for c in token.children):
                    return "unasserted"  # "X called DPS to refuse to take part": a call on DPS
                pending_modal = False
            elif lemma in _BLOCKING:
                return "unasserted"
            elif lemma in _REPORTING:
                pending_modal = False
        first = False
        if token.dep_ == "acl" and token.head.lemma_.lower() in _BLOCKING_NOUNS:
            return "unasserted"  # "its earlier threat to boycott E", "a plan to expel X"
        # climb through complement and control links only: a relative clause or an apposition
        # ("X, who heads Y, refused to comment") has its own truth
        if token.dep_ in ("xcomp", "ccomp", "pobj", "prep", "dobj", "pcomp", "conj", "attr", "oprd", "acomp", "advcl",
                          "compound") and token.head.i != token.i:
            if token.dep_ == "advcl" and token.tag_ != "VBG":
                break
            # "X declined to run and it will boycott E": a conjunct clause with a subject of its
            # own is not under its sibling's refusal, negation or modal, only under what governs both
            skip = token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
            token = token.head
            continue
        break
    if pending_modal and not decision:
        return "unasserted"
    if negation_expected and not negated_found:
        return "unasserted"
    return "asserted"


def is_asserted(trigger: Token, *, negation_expected: bool = False) -> bool:
    """Whether the clause of ``trigger`` states a fact (see :func:`assertion_of`)."""
    return assertion_of(trigger, negation_expected=negation_expected) == "asserted"


# ------------------------------------------------------------------------------------ entities


class _Index:
    """Token -> (cluster index, is a reference) for one doc, and the clusters' types."""

    def __init__(self, doc: Doc):
        clusters = doc._.kgraph_entities or []
        self.doc = doc
        self.types: dict[int, str] = {e["index"]: e["type"] for e in clusters}
        self.parents: dict[int, int] = {e["index"]: e["parent"] for e in clusters if e.get("parent") is not None}
        # a party body ("the parliamentary group", "the Central Committee") is party-like: one
        # is a member of it as of a party
        self.legislatures = {e["index"] for e in clusters
                             if e["type"] == "Organization" and _head_word(e.get("name")) in _LEGISLATURE_WORDS}
        # the article's legislature for a seat with none named: its one named legislature ("the
        # National Assembly"), which "parliament" ("Parliament of X") also stands for, else the one there is
        named = {e["index"] for e in clusters if e["index"] in self.legislatures
                 and (e.get("name") or "").split(" ")[0].lower() not in _GENERIC_LEGISLATURE}
        self.seat_legislature = next(iter(named)) if len(named) == 1 else (
            next(iter(self.legislatures)) if len(self.legislatures) == 1 else None)
        # bodies by their name's head, also where an acronym stands for them ("the NAC")
        self.bodies = {e["index"] for e in clusters if e["type"] == "Organization" and _head_word(e.get("name")) in _BODY_HEADS}
        self.party_like = {e["index"] for e in clusters
                           if e["type"] == "PoliticalParty" or (e["type"] == "Organization" and e.get("parent") is not None)}
        self.at: dict[int, tuple[int, bool]] = {}
        self.bounds: dict[int, tuple[int, int]] = {}
        for span in doc.spans.get(MENTIONS_KEY, []):
            if span.id_ == "":
                continue
            value = (int(span.id_), False)
            for i in range(span.start, span.end):
                self.at[i] = value
                self.bounds[i] = (span.start, span.end)
        for span in doc.spans.get(REFERENCES_KEY, []):
            value = (int(span.id_), True)
            for i in range(span.start, span.end):
                self.at.setdefault(i, value)
                self.bounds.setdefault(i, (span.start, span.end))

    def topic_party(self, before: int) -> Token | None:
        """The party named most often (by name, not by reference) before token ``before``:
        what an unnamed "the party" of the article means; its mention nearest ``before``."""
        counts: Counter[int] = Counter()
        last: dict[int, int] = {}
        for i, (cluster, ref) in self.at.items():
            if i < before and not ref and self.types.get(cluster) == "PoliticalParty":
                if self.bounds[i][0] == i:
                    counts[cluster] += 1
                last[cluster] = max(last.get(cluster, -1), i)
        if not counts:
            return None
        top = max(counts, key=lambda c: (counts[c], last[c]))
        return self.doc[last[top]]

    def is_party_like(self, index: int) -> bool:
        return index in self.party_like

    def entity(self, token: Token | None) -> tuple[int, bool] | None:
        """The entity a noun phrase headed by ``token`` names: its own mention; an unnamed head
        with a named compound ("the Nur Otan party") or apposition ("the party, Y"); a group
        noun's possessor or compound ("the party's ranks", "Y membership")."""
        if token is None:
            return None
        found = self.at.get(token.i)
        if found is not None:
            return found
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        if token.lower_ in _BODY_HEADS:
            return None  # "the Asar faction" is a body of the party, not the party
        if role_of(token):  # "the State Duma speaker, X": the title names X, not the Duma
            people = [c for c in token.children if c.dep_ == "appos" and c.i in self.at
                      and self.types.get(self.at[c.i][0]) == "Person"]
            if people:  # "the vice president (South), X": the fuller name
                best = max(people, key=lambda c: (self.bounds[c.i][1] - self.bounds[c.i][0], c.i))
                return self.at[best.i]
        for child in token.children:
            if child.dep_ in ("compound", "nmod") and child.i < token.i and child.lower_ in _DESCRIPTIVE:
                # "the Ennahda Islamist party" is Ennahda, whichever word the parser hung it on
                child = next((c for c in child.children if c.dep_ in ("compound", "nmod") and c.i in self.at), child)
                if child.lower_ in _DESCRIPTIVE:
                    continue
            if child.dep_ in ("compound", "nmod") and child.i in self.at and child.i < token.i:
                return self.at[child.i]
            if child.dep_ == "appos" and child.i in self.at:
                return self.at[child.i]
        if any(c.dep_ == "det" and c.lower_ == "the" for c in token.children) and not role_of(token):
            # "led by the elder of Slovenian politics, X": the name apposed to the description's of-phrase
            for obj in _pobjs(token, ("of",)):
                for c in obj.children:
                    if c.dep_ == "appos" and c.i in self.at and self.types.get(self.at[c.i][0]) == "Person" \
                            and c.left_edge.i > 0 and token.doc[c.left_edge.i - 1].text == ",":
                        return self.at[c.i]
        if token.lower_ in _GROUP_NOUNS and token.i + 1 < len(token.doc) and token.i + 1 in self.at:
            return self.at[token.i + 1]  # "the rock group Vantara" parsed apart
        if token.lower_ in _GROUP_NOUNS:  # "the political party of the FARC"
            for obj in _pobjs(token, ("of",)):
                if obj.i in self.at and self.types.get(self.at[obj.i][0]) in _ORG:
                    return self.at[obj.i]
        if token.lemma_.lower() in _GROUP_HEADS or token.lower_ in _GROUP_HEADS:
            for child in token.children:
                if child.dep_ in ("poss", "compound") and child.i in self.at:
                    return self.at[child.i]
            for obj in _pobjs(token, ("of",)):
                if obj.i in self.at:
                    return self.at[obj.i]
        return None


# ------------------------------------------------------------------------------------ syntax


def _head_word(name: str | None) -> str:
    """The head word of a name: "Parliament of Georgia" -> parliament, "State Duma" -> duma."""
    words = (name or "").lower().replace("-", " ").split()
    if "of" in words[1:]:
        return words[words.index("of") - 1]
    return words[-1] if words else ""




def _pobjs(token: Token, preps: Iterable[str]) -> Iterator[Token]:
    """Objects of ``token``'s prepositions among ``preps`` ("of", "from", ...), through a
    particle ("out of")."""
    preps = tuple(preps)
    for first in token.children:
        if first.dep_ not in ("prep", "agent", "dative") or first.lower_ not in preps:
            continue
        # "chairman of Y and of Z": the second preposition is a conjunct of the first
        for prep in [first] + [c for c in first.children if c.dep_ == "conj" and c.lower_ in preps]:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    yield obj
                elif obj.dep_ == "prep":  # "out of Y"
                    yield from (o for o in obj.children if o.dep_ == "pobj")


def _conjuncts(token: Token) -> list[Token]:
    """A token and its conjuncts ("A, B and C": B is a conjunct of A, C of B), the items of
    an inclusion list ("parties, including A and B") and the names an unnamed plural noun lists
    ("members X, Y and Z")."""
    out = [token]
    if token.tag_ in ("NNS", "NNPS"):
        out.extend(c for c in token.children if c.dep_ == "appos")
    elif token.tag_ == "NNP":  # "A, B and C are members of Y" parsed with B as A's apposition
        for c in token.children:
            if c.dep_ == "npadvmod" and token.dep_ in _ARGUMENT_DEPS and c.tag_ == "NNP" and c.ent_type_ \
                    and c.ent_type_ == token.ent_type_ \
                    and c.left_edge.i > 0 and c.doc[c.left_edge.i - 1].text in _LIST_MARKS:
                out.append(c)  # "A, B, C and D are ...": B misparsed as a modifier of A
                continue
            if c.dep_ != "appos" or c.left_edge.i == 0 or c.doc[c.left_edge.i - 1].text not in _LIST_MARKS:
                continue  # "X (Y)" is an alias
            if c.tag_ == "NNP":
                out.append(c)
            else:  # "A, a former minister, B and C": the names coordinated with A's description;
                # "A, former commissioner B and C": the name the description introduces
                out.extend(n for n in c.children if n.tag_ == "NNP" and (n.dep_ == "conj" or (
                    n.dep_ == "appos" and n.i > c.i and n.ent_type_ == token.ent_type_ == "PERSON")))
    for item in out:
        if len(out) > 24:
            break
        for child in item.children:
            if child.dep_ == "conj" and child not in out:
                nxt = child.nbor(1) if child.i + 1 < len(child.doc) else None
                before = child.doc[child.left_edge.i - 1] if child.left_edge.i > 0 else None
                if nxt is not None and nxt.lemma_.lower() in _REPORTING and nxt.tag_.startswith("VB") \
                        and before is not None and before.text == ",":
                    continue  # "A, B and C, spokesman D told reporters": D reports, the list ends at C
                out.append(child)
            elif child.dep_ == "prep" and child.lower_ in _INCLUDING:
                out.extend(o for o in child.children if o.dep_ == "pobj")
            elif child.dep_ == "appos" and child.tag_ == "NNP" and item is not token and item.tag_ in ("NNS", "NNPS") \
                    and child not in out:
                out.append(child)  # "A and two other lawmakers, B and C": the plural's names
    return out


def _described_item(token: Token, first: Token) -> bool:
    """A list item with a description of its own, or after one ("NC president A and PDP
    president B", "member A, former commissioner B and C": B and C), which a title before the
    list's first name does not reach."""
    def own(item: Token) -> bool:
        # "PDP president B", "B, an advisor to the party's secretary": a title of B's own
        return any((c.dep_ in ("compound", "nmod", "amod") and role_of(c)) or (
            c.dep_ == "appos" and c.i > item.i and c.pos_ == "NOUN" and any(d.dep_ == "det" for d in c.children))
            for c in item.children)

    if own(token):
        return True
    while token.dep_ == "conj":
        token = token.head
    if token.dep_ != "appos":
        return False
    # (the names of an unnamed plural, "MPs A, B and C", are its items, not described ones)
    if token.head.tag_ in ("NN", "NNS") and token.head != first:
        return True  # "..., former commissioner B"
    # "..., former commissioner B and C" parsed with C coordinated with the description
    return token.tag_ in ("NN", "NNS") and any(c.dep_ == "appos" and c.tag_ == "NNP" for c in token.children)


def _election_list(first: Token, index: "_Index") -> list[Token]:
    """The elections listed after an election object, up to the clause's next verb: "boycotted
    the 2018 election, as well as the 2008 poll, and parliamentary elections in 2015 and 2020"
    (the parse of such lists is unreliable; their surface is not): the first token of each."""
    own = index.at.get(first.i)
    if own is None or index.types.get(own[0]) != "Election":
        return []
    out: list[Token] = []
    seen = {own[0]}
    for token in first.doc[first.i + 1 : first.sent.end]:
        if token.pos_ in ("VERB", "AUX", "PRON") or token.text in (";", ".", ":") or token.lower_ in _RELATIVE:
            break
        found = index.at.get(token.i)
        if found is None or found[1] or found[0] in seen:
            continue
        if index.types.get(found[0]) != "Election":
            break  # a list of elections holds nothing else
        seen.add(found[0])
        out.append(token)
    return out


def _relation_assertion(trigger: Token, predicate: str, negation_expected: bool) -> str:
    """:func:`assertion_of` as a relation asks it: a boycott is a decision, and a call to boycott
    is the caller's."""
    boycott = predicate == "boycotted"
    return assertion_of(trigger, negation_expected=negation_expected,
                        allowed=_BOYCOTT_CALLS if boycott else frozenset(), decision=boycott)


def _plural(token: Token) -> bool:
    """A plural noun, an acronym's plural the tagger takes for a singular ("MPs") included."""
    return token.tag_ in ("NNS", "NNPS") or (len(token) > 2 and token.text[-1] == "s" and token.text[:-1].isupper())


def _plural_key(token: Token) -> str:
    """A plural noun's singular, however the tagger read it ("MPs": "mp", "officials": "official")."""
    if token.text[-1:] == "s" and token.text[:-1].isupper():
        return token.lower_[:-1]
    return token.lemma_.lower()


def _quantified_plural(role: Token) -> bool:
    """A plural a quantifier leaves unnamed, whose names no later sentence gives: "some MPs",
    "many members"."""
    return any(c.dep_ == "det" and c.lower_ in ("some", "many", "any", "no", "most") for c in role.children)


def _naming_verb(sent, noun: str | None, index: "_Index", pronouns: bool = True, number: str | None = None) -> Token | None:
    """In the two sentences after ``sent``, the "be"/"include" whose subject stands for a plural
    of the sentence before ("These parties are ...", "They are ...", "The eight MPs are ...")."""
    doc = sent.doc
    for _ in range(2):
        if sent.end >= len(doc):
            return None
        sent = doc[sent.end].sent
        for verb in sent:
            if verb.lemma_ not in _LIST_VERBS:
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is not None and number is not None and subject.i - 2 >= sent.start and any(
                    c.dep_ == "nummod" and c.lower_ == number for c in subject.children):
                return verb  # "The five - A, B and C - are ...", parsed with the number on A
            if subject is None or index.entity(subject) is not None:
                continue
            if (number is not None and subject.lower_ == number and subject.tag_ == "CD") or (
                    pronouns and subject.lower_ in _LIST_PRONOUNS) or (_plural(subject) and (
                    _plural_key(subject) == noun or any(c.lower_ in _LIST_PRONOUNS for c in subject.children))):
                return verb
    return None


def _names_after(verb: Token, index: "_Index") -> list[Token]:
    """The persons listed right after a verb the parser left without an object, as when an
    unquoted report swallows the list into the speaker's subject ("agreed to oust A, former
    minister B and C, party spokesman D told reporters"): each name's last token, up to the
    speaker (a name followed by a reporting verb)."""
    doc, out = verb.doc, []
    i = verb.i + 1
    while i < verb.sent.end:
        tok = doc[i]
        ent = index.at.get(i)
        if ent is not None and not ent[1] and index.types.get(ent[0]) == "Person":
            end = index.bounds[i][1]
            if end < len(doc) and doc[end].lemma_.lower() in _REPORTING:
                break  # the speaker of an unquoted report
            out.append(doc[end - 1])
            i = end
            continue
        # between the names: commas, "and", title words and the modifiers of titles
        if not (tok.text in _LIST_MARKS or tok.lower_ in _TITLE_CHAIN
                or tok.pos_ in ("ADJ", "NOUN") and tok.dep_ in ("amod", "compound")):
            break
        i += 1
    return out


def _unnamed_plural(token: Token, index: "_Index") -> bool:
    """"eight parties", "they", "their": a plural the text names only later, if at all."""
    if index.entity(token) is not None:
        return False
    return token.lower_ in _PLURAL_PRONOUNS or (token.tag_ in ("NNS", "NNPS") and token.pos_ == "NOUN")


def _conj_root(token: Token) -> Token:
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def _subjects(verb: Token) -> list[tuple[Token, str]]:
    """The subjects of a verb with the mechanism that gives them, through control ("decided to
    boycott"), coordination ("met and decided"), relative clauses ("X, who heads Y") and
    possessed decisions ("Y's decision to boycott")."""
    token = _parallel_participle(verb) or verb
    for _ in range(6):
        # of two subjects the parser gave one verb ("DATELINE – X has been elected"), the nearer
        subjects = sorted((c for c in token.children if c.dep_ in _SUBJECTS), key=lambda c: abs(c.i - token.i))
        for child in subjects[:1]:
            if child.lower_ in _RELATIVE and token.dep_ == "relcl":
                ante = _antecedent(token.head)
                return [(ante, "relative" if ante == token.head else "subject")]
            return [(child, "passive-subject" if child.dep_ == "nsubjpass" else "subject")]
        head = token.head
        if head.i == token.i:
            return []
        if token.dep_ in ("xcomp", "conj"):
            token = head
            continue
        if token.dep_ == "relcl":
            ante = _antecedent(head)
            return [(ante, "relative" if ante == head else "subject")]
        if token.dep_ == "acl":
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None and head.pos_ == "NOUN":
                return [(owner, "subject")]  # "Y's decision to boycott E"
            if head.lemma_.lower() in _DECIDING_NOUNS and head.dep_ == "dobj" and head.head.i != head.i:
                token = head.head  # "Y took a decision not to contest E": Y decided
                continue
            return [(_antecedent(head), "participle")]
        if token.dep_ == "pcomp" and head.head.i != head.i:  # "before joining Y"
            token = head.head
            continue
        if token.dep_ == "advcl" and (token.tag_ == "VBG" or head.lemma_ in ("be", "get")):
            token = head  # "..., saying ...", "X were on Friday expelled" (parsed as two clauses)
            continue
        return []
    return []


def _antecedent(noun: Token) -> Token:
    """What a relative clause or participle is about: its noun, or, when that noun is only a
    description of someone ("X is a politician who ...", "X, a lawyer who ..."), the one it
    describes."""
    if noun.dep_ == "nsubj" and noun.head.lemma_ in _LIST_VERBS and (
            noun.tag_ in ("NNS", "NNPS") or noun.lower_ in _LIST_PRONOUNS):
        # "Other people who have been expelled are X and Y", "those expelled include X and Y":
        # the names the subject stands for
        attr = next((c for c in noun.head.children if c.dep_ in ("attr", "dobj") and c.pos_ == "PROPN"), None)
        if attr is not None:
            return attr
    if noun.pos_ != "NOUN":
        return noun
    if noun.dep_ == "attr" and noun.head.lemma_ in _COPULAS:
        subj = next((c for c in noun.head.children if c.dep_ in _SUBJECTS), None)
        if subj is not None:
            return subj
    if noun.dep_ == "appos" and noun.head.i != noun.i:
        return noun.head
    return noun


def _objects(verb: Token) -> list[Token]:
    """A verb's direct objects; a relative pronoun stands for the noun its clause modifies
    ("the election, which Y boycotted": the election)."""
    out = []
    for o in verb.children:
        if o.dep_ != "dobj":
            continue
        if o.lower_ in _RELATIVE and verb.dep_ == "relcl" and verb.head.i != verb.i:
            o = verb.head
        out.append(o)
    return out


def _listed_before(pronoun: Token, index: "_Index", types, *, previous_sentence: bool = True) -> list[Token]:
    """The coordinated names of a fitting type nearest before a plural pronoun, in its sentence
    (or the one before): "A, B and C voted against the bill. They were expelled.", "A, B and C's
    activism ... their expulsion". The first token of each, or none; with ``previous_sentence``,
    also none when a single name of the type stands between (then "they" is not the list's)."""
    doc = pronoun.doc
    start = pronoun.sent.start
    if previous_sentence and start > 0:
        start = doc[start - 1].sent.start
    for token in reversed(doc[start : pronoun.i]):
        if token.i not in index.at or index.at[token.i][1] or index.bounds[token.i][1] - 1 != token.i:
            continue  # (each name once, at its last word)
        if token.dep_ == "conj":
            continue  # (a list is taken from its first item)
        names = [t for t in _conjuncts(token) if index.entity(t) is not None
                 and index.types.get(index.entity(t)[0]) in types]
        if len(names) >= 2:
            return names
        if previous_sentence and index.types.get(index.at[token.i][0]) in types:
            return []
    return []


def _reporting_subjects(pronoun: Token, index: "_Index") -> list[Token]:
    """The named coordinated subject of the clause a plural pronoun's clause is reported by:
    "Both A and B said they would boycott E": A and B."""
    clause = pronoun.head
    for _ in range(3):
        if clause.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or clause.head.i == clause.i:
            return []
        clause = clause.head
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            names = [t for t in _conjuncts(subject) if index.entity(t) is not None]
            return names if len(names) >= 2 else []
    return []


def _reduced_relative_names(verb: Token) -> Token | None:
    """The names of "[plural] [participle ...] are A and B" when the parser read the participle
    as the main verb ("Others kicked out of the party are A and B": "kicked" with "Others" as
    its subject and "are A and B" as its complement): the first name, else None."""
    if any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.tag_ not in ("NNS",):
        return None
    be = next((c for c in verb.children if c.dep_ in ("ccomp", "conj") and c.lemma_ == "be" and c.i > verb.i), None)
    if be is None or any(c.dep_ in _SUBJECTS for c in be.children):
        return None
    return next((c for c in be.children if c.dep_ == "attr" and c.pos_ == "PROPN"), None)


def _decided(verb: Token) -> bool:
    """Whether a verb is under a decision, refusal or announcement ("decided not to run",
    "refused to stand", "said it would not contest"), or a future of its own ("will not run")."""
    token = verb
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ in _WEAK_MODAL for c in token.children):
            return True
        if token is not verb and token.lemma_.lower() in _DECIDING_HEADS:
            return True
        if token.dep_ == "acl" and token.head.lemma_.lower() in _DECIDING_NOUNS:
            return True  # "a decision not to contest E"
        if token.dep_ in ("xcomp", "ccomp", "conj") and token.head.i != token.i:
            token = token.head
            continue
        return False
    return False


def _parallel_participle(verb: Token) -> Token | None:
    """The participle a bare participle is coordinated with when the parser hung it on the
    main verb: "unite against the party, formerly led by A, and now headed by B" (B heads the
    party). None unless ``verb`` is a conjunct participle with no subject or auxiliary of its own,
    the nearest participle before it modifies a noun, and "and" stands between them."""
    if verb.tag_ != "VBN" or verb.dep_ != "conj" or verb.head.tag_ == "VBN" or any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        return None
    doc = verb.doc
    for i in range(verb.i - 1, verb.head.i, -1):
        t = doc[i]
        if t.tag_ == "VBN" and t.dep_ == "acl" and not any(c.dep_ in ("nsubj", "aux") for c in t.children):
            return t if any(w.lower_ == "and" for w in doc[t.i : verb.i]) else None
    return None


def _passive(verb: Token) -> bool:
    # "Y, expelled from X": a bare participle is passive; "the ruling MDP has expelled X" (a
    # clause the parser hung under a noun) has its own subject and is not; nor has one with a
    # direct object ("the PAIGC, elected X as its chairman": a main verb hung under its subject)
    # (an auxiliary inside a name is none: "the party We Are Family expelled X")
    return any(c.dep_ in ("nsubjpass", "auxpass") and not c.ent_type_ for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod", "relcl", "advcl")
        and not any(c.dep_ in ("nsubj", "aux", "dobj") for c in verb.children)
    ) or _parallel_participle(verb) is not None


def _agents(verb: Token) -> list[Token]:
    return list(_pobjs(verb, ("by",)))


def role_of(token: Token) -> str | None:
    """The predicate a role noun states, or None: its word or lemma in the lexicon, a
    hyphenated or two-word role ("Secretary-General", "secretary general", "co-leader")."""
    low = token.lower_
    doc, i = token.doc, token.i
    if i + 1 < len(doc) and low in _TWO_WORD_ROLES.get(doc[i + 1].lower_, ()):
        return None  # "Secretary" of "Secretary General": the second word is the role
    # "secretary-general": the title is the word the other hangs on, whatever the tagger calls it
    if i + 2 < len(doc) and doc[i + 1].text in ("-", "‑") and low in _TWO_WORD_ROLES.get(doc[i + 2].lower_, ()):
        return "leads" if doc[i + 2].head == token else None
    if low in _TWO_WORD_ROLES and i >= 2 and doc[i - 1].text in ("-", "‑") and doc[i - 2].lower_ in _TWO_WORD_ROLES[low]:
        return "leads"
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    if low in _TWO_WORD_ROLES and i >= 1 and doc[i - 1].lower_ in _TWO_WORD_ROLES[low]:
        return "leads"  # "General Secretary": not the "secretary" of a party
    found = _ROLE_NOUNS.get(low) or _ROLE_NOUNS.get(token.lemma_.lower())
    if found is None and len(low) > 2 and low[-1] == "s" and token.text[:-1].isupper():
        found = _ROLE_NOUNS.get(low[:-1])  # "MPs", "MEPs": an acronym's plural the lemmatizer keeps
    if found is not None:
        return found
    if i >= 2 and doc[i - 1].text in ("-", "‑"):
        joined = f"{doc[i - 2].lower_}-{low}"
        if joined in _ROLE_NOUNS:
            return _ROLE_NOUNS[joined]
    if low in _TWO_WORD_ROLES:
        before = doc[i - 2] if i >= 2 and doc[i - 1].text in ("-", "‑") else (doc[i - 1] if i >= 1 else None)
        if before is not None and before.lower_ in _TWO_WORD_ROLES[low]:
            return "leads"
    return None


def _role_key(token: Token) -> str:
    return token.lower_ if token.lower_ in _ROLE_NOUNS else token.lemma_.lower()


def _party_of_body(slot: "_Slot", index: _Index) -> "_Slot":
    """The party a deciding body belongs to ("the party's disciplinary committee expelled X":
    X is expelled from the party), else the slot itself."""
    token = slot.token
    candidates = [c for c in token.children if c.dep_ in ("poss", "compound", "nmod") and c.i < token.i]
    candidates += list(_pobjs(token, ("of",)))  # "the National Working Committee of the PDP"
    for child in candidates:
        ent = index.entity(child)
        if ent is not None and index.types.get(ent[0]) == "PoliticalParty" and index.entity(token) != ent:
            return _Slot(child, slot.mechanism)
    # "the KMT's Disciplinary Committee", a body whose party coreference found: its party's
    # mention nearest the body
    own = index.entity(token)
    parent = index.parents.get(own[0]) if own is not None else None
    if parent is not None and index.types.get(parent) == "PoliticalParty":
        starts = [i for i, (cluster, ref) in index.at.items() if cluster == parent and not ref]
        if starts:
            return _Slot(token.doc[min(starts, key=lambda i: abs(i - token.i))], slot.mechanism)
    return slot


# ------------------------------------------------------------------------------------ extractor


@dataclass(frozen=True)
class _Slot:
    token: Token
    mechanism: str


class RelationExtractor:
    """Finds the four relations of the ontology in a doc (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, min_confidence: float, leaders_are_members: bool = False):
        self.name = name
        self.min_confidence = min_confidence
        # off by default: a leader's membership is implied, not stated (an optional relation)
        self.leaders_are_members = leaders_are_members
        if not Doc.has_extension("kgraph_relations"):
            Doc.set_extension("kgraph_relations", default=None)
        if not Doc.has_extension("kgraph_entities"):
            Doc.set_extension("kgraph_entities", default=None)

    def __call__(self, doc: Doc) -> Doc:
        index = _Index(doc)
        # seat titles with no legislature named, settled once the whole doc is read (per doc)
        self._seats: list[tuple[list[_Slot], Token]] = []
        self._deferred: list[tuple] = []  # relations of an unnamed plural, named later
        self._heads: list[tuple[list[_Slot], Token]] = []  # "Speaker X": the head of the article's legislature
        found: dict[tuple, dict] = {}
        if len(index.types) >= 2 or (index.types and any(t == "Election" for t in index.types.values())):
            for span in doc.spans.get(MENTIONS_KEY, []):
                if span.id_ != "" and span.label_ == "Person":
                    self._title_chain(span, index, found)
            for token in self._candidates(doc, index):
                pos = token.pos_
                if token.lower_ == "under" and token.dep_ == "prep":
                    self._under(token, index, found)
                if pos in ("NOUN", "PROPN"):
                    self._noun(token, index, found)
                elif pos in ("VERB", "AUX") or token.tag_.startswith("VB"):
                    self._verb(token, index, found)
            self._named_lists(doc, index, found)
            self._article_seats(index, found)
            if self.leaders_are_members:
                for rel in list(found.values()):
                    if rel["predicate"] == "leads" and not rel.get("negated"):
                        key = (rel["subject"], "memberOf", rel["object"], rel["sent_start"])
                        found.setdefault(key, dict(rel, predicate="memberOf", rule=rel["rule"] + "+leader-member"))
        doc._.kgraph_relations = sorted(found.values(), key=lambda r: (r["start"], r["predicate"], r["subject"], r["object"]))
        return doc

    # -- triggers --------------------------------------------------------------------------
    @staticmethod
    def _candidates(doc: Doc, index: _Index) -> Iterator[Token]:
        """The tokens a mechanism may start from: a lexicon word (by its form or lemma) or a
        token of a person's name; most tokens are neither."""
        chosen = set(word_positions(doc, _TRIGGER_WORDS, lemmas=True))
        chosen.update(i for i, (cluster, _) in index.at.items() if index.types.get(cluster) == "Person")
        return (doc[i] for i in sorted(chosen))

    def _noun(self, token: Token, index: _Index, found) -> None:
        low, lemma = token.lower_, token.lemma_.lower()
        role = role_of(token)
        if role is not None:
            self._role(token, role, index, found)
        event = _EVENT_NOUNS.get(low) or _EVENT_NOUNS.get(lemma)
        if event is not None:
            self._event_noun(token, event, index, found)
        if token.i in index.at and index.types.get(index.at[token.i][0]) == "Person":
            self._person_of(token, index, found)
        elif lemma in _GROUP_NOUNS:
            # "his party, the Green Alliance", "X's party Y": the possessor belongs to the group
            for poss in token.children:
                if poss.dep_ == "poss":
                    self._add(found, index, _Slot(poss, "possessive"), "memberOf", _Slot(token, "apposition"), token,
                              "person-of", parties_only=True)

    def _verb(self, verb: Token, index: _Index, found) -> None:
        lemma = verb.lemma_.lower()
        if lemma in _HOLDER_VERBS:
            self._holder_verb(verb, _HOLDER_VERBS[lemma], index, found)
        if lemma in _REMOVAL_VERBS:
            self._removal_verb(verb, index, found)
        if lemma in _BOYCOTT_VERBS:
            self._boycott_verb(verb, index, found)
        if lemma in _PARTICIPATION_VERBS:
            self._nonparticipation(verb, index, found)
        if lemma in _WITHDRAWAL_VERBS:
            self._withdrawal(verb, index, found)
        if lemma in _ADMISSION_VERBS or lemma in _RECRUITING_VERBS:
            self._admission(verb, index, found)
        if lemma in _REVOKING_VERBS:
            self._revoked_membership(verb, index, found)
        if lemma in _COMPOSITION_VERBS:
            self._composition(verb, index, found)
        if lemma in _PARTY_AS_VERBS:
            self._as_party(verb, index, found)

    def _as_party(self, verb: Token, index: _Index, found) -> None:
        """"X was elected as a Whig", "X ran as a Democrat": the party one stands for."""
        parties = [_Slot(o, "as-phrase") for o in _pobjs(verb, ("as",))
                   if index.entity(o) is not None and index.types.get(index.entity(o)[0]) == "PoliticalParty"]
        if not parties:
            return
        for person in (_Slot(s, mech) for s, mech in _subjects(verb)):
            for party in parties:
                self._add(found, index, person, "memberOf", party, verb, "verb")

    def _article_seats(self, index: _Index, found) -> None:
        """A seat title with no legislature named ("MP X", "X, a lawmaker") is a seat in the one
        legislature the article names (EVAL.md: a seat in a legislature is membership of it)."""
        if index.seat_legislature is None or not (self._seats or self._heads):
            return
        legislature = index.seat_legislature
        seats = [(h, r, ("memberOf",)) for h, r in self._seats] + [(h, r, ("leads", "memberOf")) for h, r in self._heads]
        for holders, role, predicates in seats:
            for holder in holders:
                for s_tok in _conjuncts(holder.token):
                    s = index.entity(s_tok)
                    if s is None or index.types.get(s[0]) != "Person":
                        continue
                    if assertion_of(role) != "asserted":
                        return
                    rule = f"role:{holder.mechanism}+article-legislature"
                    confidence = rule_confidence(rule) * (MECHANISMS["reference"] if s[1] else 1.0)
                    for predicate in predicates:
                        self._record(found, index, s, predicate, (legislature, True), s_tok, role, role, rule,
                                     confidence, negated=False)

    # -- titles before a name (surface order: the parse of long title chains is unreliable) --
    def _title_chain(self, person, index: _Index, found) -> None:
        """"Aq Zhol member and lawmaker X", "Democratic Party Chairman X", "former OSDP leader X":
        the role nouns in the run of title words right before a person's name, each with the
        organization named before it in the run."""
        doc = person.doc
        i = person.start - 1
        roles: list[Token] = []
        org_for: dict[int, Token] = {}
        pending: list[Token] = []  # roles still waiting for their organization (to their left)
        right_org: Token | None = None  # "member of UNM X": an organization after "of"
        while i >= person.sent.start and person.start - i <= 14:
            tok = doc[i]
            low = tok.lower_
            ent = index.at.get(i)
            if ent is not None:
                end = index.bounds.get(i, (i, i + 1))[1]
                if index.types.get(ent[0]) in _ORG and roles and end < person.start and doc[end].lower_ in ("and", "&", ","):
                    break  # "the CNRP and Prime Minister X": an organization coordinated with the title
                if index.types.get(ent[0]) in _ORG:
                    for role in pending:
                        org_for[role.i] = tok
                    pending = []
                    if not roles:
                        right_org = tok
                    i = index.bounds.get(i, (i, i + 1))[0] - 1
                    continue
                break  # another person's name ends the run
            if role_of(tok):
                roles.append(tok)
                pending.append(tok)
                if right_org is not None and tok.nbor(1).lower_ == "of":
                    org_for[tok.i] = right_org
                    pending.remove(tok)
            elif not (low in _SUBORDINATE or low in _TITLE_CHAIN or low in _TWO_WORD_ROLES
                      or (roles and tok.dep_ in ("compound", "amod") and tok.head == roles[-1]
                          and _role_key(roles[-1]) in _PORTFOLIO_TITLES)):
                break  # "Prime" of "party leader and Prime Minister X" is part of the title
            i -= 1
        # (what ends the run is no body's name when it is another person, "President A and Secretary
        # General B", or the conjunction before one)
        before = doc[i] if i >= person.sent.start else None
        while before is not None and before.lower_ in ("and", ",") and before.i > person.sent.start:
            before = doc[before.i - 1]
        if before is not None and index.types.get(index.at.get(before.i, (None,))[0]) == "Person":
            before = None
        if roles and not org_for and not right_org and _role_key(roles[0]) in _BARE_PARTY_TITLES and not (
                before is not None and doc[i].pos_ in ("NOUN", "PROPN", "ADJ", "NUM")):
            # "Secretary General X said", "co-chairman X" with no organization named: the
            # party the article is about ("commission chairman X" names another body)
            topic = index.topic_party(roles[0].i)
            if topic is not None:
                predicate = "memberOf" if self._subordinate(roles[0]) else role_of(roles[0]) or "memberOf"
                self._add(found, index, _Slot(person.root, "title-chain"), predicate, _Slot(topic, "topic"),
                          roles[0], "title")
        if roles and _role_key(roles[0]) in _SEAT_ROLES and not (
                org_for.get(roles[0].i) is not None and index.at[org_for[roles[0].i].i][0] in index.legislatures):
            self._seats.append(([_Slot(person.root, "title-chain")], roles[0]))  # "ARF MP X", "parliament deputy X"
        if roles and _role_key(roles[0]) in _HEAD_ROLES and org_for.get(roles[0].i) is None \
                and not self._subordinate(roles[0]):
            self._heads.append(([_Slot(person.root, "title-chain")], roles[0]))  # "Speaker X"
        for role in roles:
            org = org_for.get(role.i)
            if org is None:
                continue
            low = _role_key(role)
            predicate = role_of(role) or "memberOf"
            if predicate == "leads" and self._subordinate(role):
                predicate = "memberOf"
            if low in _PARTY_ONLY_ROLES and index.types.get(index.at[org.i][0]) != "PoliticalParty" \
                    and not (predicate == "leads" and low in _TWO_WORD_ROLES):
                continue
            if low in _CONSTITUENCY_TITLES and not (index.is_party_like(index.at[org.i][0]) or org.is_upper
                                                    or index.at[org.i][0] in index.legislatures):
                continue  # "Finschhafen MP X": the seat's constituency, not an organization ("ARF MP X" is)
            self._add(found, index, _Slot(person.root, "title-chain"), predicate, _Slot(org, "title-chain"), role, "title")

    # -- role nouns ------------------------------------------------------------------------
    def _role(self, role: Token, predicate: str, index: _Index, found) -> None:
        if predicate == "leads" and self._subordinate(role):
            predicate = "memberOf"  # "deputy leader", "vice-chairman", "senior leaders"
        if any(c.dep_ == "amod" and c.lower_ in _UNREALISED for c in role.children):
            return
        holders = self._role_holders(role, index)
        if not holders:
            if _plural(role) and not _quantified_plural(role):
                # "Eight MPs of the coalition announced ... The eight MPs are A, B and C": the
                # names a later sentence gives the plural (see _named_lists)
                for org in self._role_orgs(role, index):
                    self._defer(index, _Slot(role, "list"), predicate, org, role, "role", False, False)
            return
        orgs = self._role_orgs(role, index)
        if not orgs and role.tag_ in ("NNS", "NNPS") and any(
                c.dep_ == "prep" and c.lower_ in _INCLUDING for c in _conj_root(role).children):
            # "senior leaders, including A and B" with no party named: the article's party
            topic = index.topic_party(role.i)
            orgs = [_Slot(topic, "topic")] if topic is not None else []
        bracketed = role.dep_ == "appos" and role.left_edge.i > 0 and role.doc[role.left_edge.i - 1].text == "("
        if not orgs and _role_key(role) in _BARE_PARTY_TITLES and (bracketed or (
                role.dep_ == "pobj" and role.head.lower_ == "as" and all(h.mechanism == "as-phrase" for h in holders))):
            # "The new leadership includes X as federal chairperson", "A (secretary general), B
            # (chairperson)": a party title with no organization named is the article's party's
            # (as "Secretary General X said" is)
            topic = index.topic_party(role.i)
            orgs = [_Slot(topic, "topic")] if topic is not None else []
            if any(c.dep_ == "compound" and c.tag_ == "NN" and c.lower_ not in _ENTITY_PARTY_NOUNS
                   and c.lower_ not in _TWO_WORD_ROLES.get(role.lower_, ()) for c in role.children):
                predicate = "memberOf"  # "as finance chairperson": a post of the party, not its head
        if not orgs:
            for sibling in _conjuncts(_conj_root(role)):  # "founder and leader of Y"
                if sibling is not role and role_of(sibling):
                    orgs = self._role_orgs(sibling, index)
                    if orgs:
                        break
        low = _role_key(role)
        if low in _SEAT_ROLES and role.dep_ in ("compound", "amod", "nmod") and role_of(role.head):
            return  # "deputy chair X": a modifier of another title, not a seat
        orgs = [o for o in orgs if not (o.mechanism == "compound" and o.token.ent_type_ in _PLACE_LABELS)]
        doc = role.doc
        if role.i + 2 < len(doc) and low == "member" and doc[role.i + 1].lower_ == "of" \
                and doc[role.i + 2].lower_ in _LEGISLATURE_WORDS:  # "Kalulushi Member of Parliament X"
            orgs = [o for o in orgs if not (o.mechanism == "compound" and index.entity(o.token) is not None
                                            and not index.is_party_like(index.entity(o.token)[0]) and not o.token.is_upper)]
        if low in _SEAT_ROLES and not any(index.entity(o.token) and index.entity(o.token)[0] in index.legislatures
                                          for o in orgs):
            self._seats.append((holders, role))  # "MP X", "X, a lawmaker": a seat in the article's legislature
        if low in _HEAD_ROLES and not orgs and predicate == "leads":
            self._heads.append((holders, role))  # "X was elected speaker", "his predecessor as speaker, X"
        for org in orgs:
            org_type = index.types.get(index.entity(org.token)[0]) if index.entity(org.token) else None
            org_ent = index.entity(org.token)
            if predicate == "leads" and org.token.i < role.i and any(
                    t.lower_ in _PARTY_BODY_NOUNS and index.at.get(t.i) != org_ent
                    for t in role.doc[org.token.i + 1 : role.i]):
                # "Y caucus leader X" leads the caucus, a body of Y, and is a member of Y
                self._add(found, index, holders[0], "memberOf", org, role, "role") if len(holders) == 1 else None
                continue
            if low in _PARTY_ONLY_ROLES and org_type != "PoliticalParty" and low not in _TWO_WORD_ROLES:
                continue  # (a "general secretary" heads any organization; a "secretary" is a party's)
            if low in _CONSTITUENCY_TITLES and org.mechanism == "compound" and org_ent is not None and not (
                    index.is_party_like(org_ent[0]) or org.token.is_upper or org_ent[0] in index.legislatures):
                continue  # "Finschhafen MP X": the seat's constituency, not an organization
            for holder in holders:
                self._add(found, index, holder, predicate, org, role, "role")

    def _subordinate(self, role: Token) -> bool:
        """"deputy leader", "vice-chairman", "senior leaders": a member, not the head; so is
        one of several "leaders" (a plural title, unless they are co-leaders, or "a leader of Y")."""
        if role.tag_ in ("NNS", "NNPS") and not (role.i >= 2 and role.doc[role.i - 2].lower_ == "co"):
            return True
        if any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in role.children):
            return True  # "a leader of Y": one of its leaders
        if any(c.lower_ in _SUBORDINATE or c.lower_ in _SUBUNIT
               for c in role.children if c.dep_ in ("amod", "compound", "nmod", "advmod")):
            return True  # "deputy leader"; "the party's provincial chair" heads a branch, not the party
        if any(c.dep_ == "prep" and c.lower_ == "in" and any(
                o.lemma_.lower() in _PLACE_HEADS or (o.ent_type_ in _PLACE_LABELS and not country_code(o.text))
                for o in c.children) for c in role.children):
            return True  # "its chief in the eastern state of Brandenburg", "leader in Thuringia": a branch's
        # the words of a title before its head: "Joint Secretary General", "Deputy Secretary-General"
        i = role.i - 1
        while i >= 0 and role.i - i <= 4:
            word = role.doc[i]
            if word.lower_ in _SUBORDINATE or word.lower_ in _SUBUNIT:
                return True
            if not (word.text in ("-", "‑") or role_of(word) or word.lower_ in _TWO_WORD_ROLES):
                break
            i -= 1
        doc = role.doc
        i = role.i
        # "vice-chairman" is three tokens: vice - chairman
        return i >= 2 and doc[i - 1].text in ("-", "‑") and doc[i - 2].lower_ in _SUBORDINATE or (
            i >= 1 and doc[i - 1].lower_ in _SUBORDINATE
        )

    def _role_holders(self, role: Token, index: _Index) -> list[_Slot]:
        """Who holds the role: the person the title stands before, in apposition with, or
        predicated of (copula, as-phrase, naming object, relative clause)."""
        out: list[_Slot] = []
        root = _conj_root(role)
        # "X is one of the founding members of Y": the quantity stands for the role
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in _QUANTITY_HEADS:
            root = root.head.head
        head, dep = root.head, root.dep_
        # the title is inside or before the person's name: "Chairman X", "OSDP leader X"
        if dep in ("compound", "nmod", "amod") and head.i != root.i:
            out.append(_Slot(head, "compound"))
        if role.i in index.at and index.types.get(index.at[role.i][0]) == "Person":
            out.append(_Slot(role, "compound"))  # the NER kept the title in the name
        # "X, the leader of Y" / "the leader of Y, X"
        if dep == "appos" and head.i != root.i:
            out.append(_Slot(head if index.entity(head) is not None else _antecedent(head), "apposition"))
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ in _INCLUDING:
                # "several of its leaders, including A, B and C"
                out.extend(_Slot(o, "apposition") for o in child.children if o.dep_ == "pobj" and self._is_person(o, index))
        for obj in _pobjs(root, ("of", "in")):
            # "the former president of the PRI, X", "the president of Y in Vanuatu, X": X apposed
            # to the organization or the place by the parser
            out.extend(_Slot(c, "apposition") for c in obj.children
                       if c.dep_ == "appos" and self._is_person(c, index) and c.doc[c.left_edge.i - 1].text == ",")
        for child in root.children:
            if child.dep_ == "appos" and not (child.left_edge.i > 0 and child.doc[child.left_edge.i - 1].text == "("):
                out.append(_Slot(child, "apposition"))  # not "the vice president (South), X"
            elif child.dep_ in ("compound", "nmod") and child.i < root.i and child.i in index.at \
                    and index.types.get(index.at[child.i][0]) == "Person":
                out.append(_Slot(child, "compound"))  # "elected Anna Ivanova chairwoman" (one NP)
        # "The leader of Y, X, said ...": a fronted title and the name both parsed as subjects
        after = root.right_edge.i + 1
        doc = role.doc
        if dep in ("nsubj", "nsubjpass", "dep", "ROOT", "pobj", "dobj") and after + 1 < len(doc) and doc[after].text == ",":
            person = index.at.get(after + 1)
            if person is not None and index.types.get(person[0]) == "Person":
                name = doc[index.bounds[after + 1][1] - 1]
                if (name.dep_ in ("nsubj", "nsubjpass", "dep", "appos") and name.head.i in (head.i, root.i)) or (
                        name.dep_ in ("npadvmod", "appos", "dep") and name.head in root.ancestors):
                    out.append(_Slot(name, "apposition"))
        # "X is / became (the) leader", "X was elected leader", "Y elected X leader"
        if dep in ("attr", "oprd", "acomp", "xcomp", "ccomp") and head.i != root.i:
            out.extend(self._predicated(head, "copula", index))
        # "X served as leader", "X was elected as chairman"
        if dep == "pobj" and head.lower_ == "as" and head.head.i != head.i:
            verb = head.head
            if verb.pos_ in ("VERB", "AUX"):
                out.extend(self._predicated(verb, "as-phrase", index))
            elif verb.pos_ in ("NOUN", "PROPN"):
                if index.entity(verb) is not None:  # "President X as the chairman of Y"
                    out.append(_Slot(verb, "as-phrase"))
                else:  # "X's role as leader of Y"
                    out.extend(_Slot(c, "possessive") for c in verb.children if c.dep_ == "poss")
        # "The leader of Y is X", "Y's candidates include A and B"
        if dep in ("nsubj", "nsubjpass") and (head.lemma_.lower() in _COPULAS or (
                head.lemma_.lower() in _LIST_VERBS and root.tag_ in ("NNS", "NNPS"))):
            out.extend(_Slot(c, "copula") for c in head.children if c.dep_ in ("attr", "oprd")
                       or (c.dep_ == "dobj" and head.lemma_.lower() not in _COPULAS))
        # "X holds the post of leader", "X kept key positions, including head of Y"
        if dep in ("pobj", "appos", "dobj") and head.i != root.i:
            noun = head.head if head.dep_ == "prep" and head.lower_ in ("of", "as", "including") else head
            if noun.lemma_.lower() in _POSITION_NOUNS and noun.dep_ in ("dobj", "nsubjpass") \
                    and noun.head.lemma_.lower() in _HOLDING_VERBS:
                out.extend(_Slot(s, "position") for s, _ in _subjects(noun.head))
        # "A and B, both former members of Y": a distributed plural title after a list describes
        # its names, wherever the parser hung it
        if not out and root.tag_ in ("NNS", "NNPS") and root.left_edge.i > 0 and doc[root.left_edge.i - 1].text == "," \
                and any(c.dep_ in ("det", "predet") and c.lower_ in _DISTRIBUTIVE for c in root.children):
            out.extend(_Slot(t, "apposition") for t in _listed_before(root, index, ("Person",), previous_sentence=False))
        return out

    @staticmethod
    def _is_person(token: Token, index: _Index) -> bool:
        ent = index.entity(token)
        return ent is not None and index.types.get(ent[0]) == "Person"

    def _predicated(self, verb: Token, mechanism: str, index: _Index) -> list[_Slot]:
        """The one a title is predicated of through ``verb``: the subject of a copula or of a
        passive naming verb; the object of an active naming verb ("Y elected X chairman"); both
        ends of a succession ("A succeeded B as leader")."""
        lemma = verb.lemma_.lower()
        if lemma in _SUCCESSION_VERBS and mechanism == "as-phrase":
            return [_Slot(s, mechanism) for s, _ in _subjects(verb)] + \
                [_Slot(o, "object") for o in _objects(verb)]
        if lemma in _NAMING_VERBS and not _passive(verb):
            objs = [c for c in verb.children if c.dep_ in ("dobj",)]
            if objs:
                return [_Slot(o, "naming-object") for o in objs]
        if mechanism == "copula" and lemma not in _COPULAS and lemma not in _NAMING_VERBS:
            return []
        if mechanism == "as-phrase" and lemma not in _AS_VERBS and lemma not in _COPULAS and lemma not in _NAMING_VERBS:
            # "X retained broad powers as the chairman of Y", "Z called on X as the chairman of Y":
            # the one acting in the role is a person object of the verb, else its subject
            people = [o for o in verb.children if o.dep_ == "dobj" and self._is_person(o, index)]
            people += [o for o in _pobjs(verb, ("on", "to", "with")) if self._is_person(o, index)]
            if people:
                return [_Slot(p, mechanism) for p in people]
        return [_Slot(subject, mechanism) for subject, _ in _subjects(verb)]

    def _role_orgs(self, role: Token, index: _Index) -> list[_Slot]:
        """The organization of a role: of-phrase, compound / modifier, possessive; for a title
        before a name, the organization named before the title ("OSDP leader X")."""
        out: list[_Slot] = []
        # a head "of" or "for" an organization leads it; a leader "in" parliament does not lead it
        preps = ("of", "for") if role_of(role) == "leads" else ("of", "in", "for", "at", "within", "from")
        for obj in _pobjs(role, preps):
            out.append(_Slot(obj, "of-phrase"))
            if obj.pos_ == "NOUN" and index.entity(obj) is None:
                # "leader of his party, Y": the name apposed to the described organization (the
                # parse may hang it on the title)
                named = [c for c in obj.children if c.dep_ == "appos"] + [
                    c for c in role.children if c.dep_ == "appos" and c.i > obj.i]
                out.extend(_Slot(c, "of-phrase") for c in named
                           if index.entity(c) is not None and not self._is_person(c, index))
        for child in role.children:
            if child.dep_ in ("compound", "nmod", "amod", "npadvmod") and child.i < role.i:
                out.append(_Slot(child, "compound"))
            elif child.dep_ == "poss" and child.lower_ == "whose":  # "Y, whose leader X ..."
                clause = next((a for a in role.ancestors if a.dep_ == "relcl"), None)
                if clause is not None:
                    out.append(_Slot(clause.head, "possessive"))
            elif child.dep_ == "poss":
                out.append(_Slot(child, "possessive"))
        # "The party has picked X as secretary general": the naming body is the organization
        if role.dep_ == "pobj" and role.head.lower_ == "as" and not any(index.entity(o.token) for o in out):
            verb = role.head.head
            if verb.pos_ in ("NOUN", "PROPN") and verb.dep_ == "dobj":  # "picked X as ..." with "as" on X
                verb = verb.head
            if verb.lemma_.lower() in _NAMING_VERBS and not _passive(verb):
                out.extend(_Slot(s, "naming-subject") for s, _ in _subjects(verb))
        # "Y elected X chairman", "Y chose deputy leader X": the naming body is the organization
        if role.dep_ in ("dobj", "oprd", "xcomp", "appos") or (role.dep_ == "compound" and role.head.dep_ == "dobj"):
            verb = role.head if role.dep_ != "compound" else role.head.head
            held = role.dep_ == "compound" and (
                any(t.lower_ in _HELD_TITLE for t in role.doc[role.left_edge.i : role.i])
                or any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children))
            # "Y nominated the incumbent President X as its candidate": a title X already holds
            if verb.lemma_.lower() in _NAMING_VERBS and not _passive(verb) and not held:
                out.extend(_Slot(s, "naming-subject") for s, _ in _subjects(verb))
        if role.dep_ in ("dobj", "nsubjpass") and role.head.lemma_.lower() in _REMOVAL_VERBS and not any(
                index.entity(o.token) for o in out) and not any(_pobjs(role, ("of",))):
            # "Y expelled its vice president, X, from the party": the post was the party's
            out.extend(_Slot(o, "prep-object") for o in _pobjs(role.head, ("from",)))
        for sibling in _conjuncts(role)[1:]:  # "head of the council and the party" (parsed as
            if (sibling.pos_ == "PROPN" or index.entity(sibling) is not None) and not self._is_person(sibling, index):
                out.append(_Slot(sibling, "of-phrase"))  # a conjunct of "head"; not "leaders, including X"
        if role.dep_ in ("compound", "nmod") and not out:
            # "OSDP leader X" parsed as two compounds of X: the organization before the title
            for child in role.head.children:
                if child.dep_ in ("compound", "nmod", "amod", "poss") and child.i < role.i:
                    out.append(_Slot(child, "possessive" if child.dep_ == "poss" else "compound"))
        return [s for s in out if index.entity(s.token) is not None]

    # -- verbs -----------------------------------------------------------------------------
    def _holder_verb(self, verb: Token, predicate: str, index: _Index, found) -> None:
        """"X heads Y", "Y is led by X", "Y, led by X", "X joined Y", "X left Y", "X-led Y"."""
        lemma = verb.lemma_.lower()
        preps = _HOLDER_VERB_PREPS.get(lemma, ())
        if _passive(verb):
            holders = [_Slot(a, "passive-agent") for a in _agents(verb)]
            for child in verb.children:  # "the X-led party": "X" hangs on "led"
                if child.dep_ in ("npadvmod", "compound", "nmod") and child.i < verb.i:
                    holders.append(_Slot(child, "compound"))
            orgs = [_Slot(s, mech) for s, mech in _subjects(verb)]
            if verb.dep_ in ("amod", "compound") and verb.head.i != verb.i:
                orgs.append(_Slot(verb.head, "participle"))
        else:
            holders = [_Slot(s, mech) for s, mech in _subjects(verb)]
            orgs = [_Slot(o, "object") for o in _objects(verb)]
            orgs += [_Slot(o, "prep-object") for o in _pobjs(verb, preps)]
        parties_only = lemma in _PARTY_ONLY_VERBS  # "X left the agency" may be staff leaving
        for org in orgs:
            for holder in holders:
                self._add(found, index, holder, predicate, org, verb, "verb", parties_only=parties_only)

    def _removal_verb(self, verb: Token, index: _Index, found) -> None:
        """"Y expelled X (from its ranks)", "X was expelled from Y", "X, expelled from Y",
        "Y voted to expel X", "X was kicked out of Y", "Y stripped X of membership"."""
        lemma = verb.lemma_.lower()
        if any(role_of(o) for o in _pobjs(verb, ("as",))):
            return  # "Y ousted X as its leader": X lost a post, not the membership
        # (the parser may hang "from the post" on the object)
        posts = [o for o in [*_pobjs(verb, ("from", "of")), *(o for d in verb.children if d.dep_ == "dobj"
                                                               for o in _pobjs(d, ("from",)))]
                 if o.lemma_.lower() in _POSITION_NOUNS or role_of(o)]
        if posts:
            # "removed X from the position of Secretary General", "stripped X of her seat": a post,
            # not the membership; the post was held
            self._removed_post(verb, posts, index, found)
            return
        needed = _REMOVAL_PARTICLES.get(lemma)
        if needed:
            words = {c.lower_ for c in verb.children if c.dep_ in ("prt", "prep", "advmod")}
            if not words & set(needed):
                return
        if _passive(verb):
            patients = [_Slot(s, mech) for s, mech in _subjects(verb)]
            agents = [_Slot(a, "passive-agent") for a in _agents(verb)]
        elif (listed := _reduced_relative_names(verb)) is not None:
            # "Others kicked out of the party are A and B": a participle read as the main verb
            patients, agents = [_Slot(listed, "passive-subject")], []
        else:
            patients = [_Slot(o, "object") for o in _objects(verb)]
            if not patients:
                patients = [_Slot(t, "surface-object") for t in _names_after(verb, index)]
            agents = [_Slot(s, mech) for s, mech in _subjects(verb)]
        sources = [_Slot(o, "prep-object") for o in _pobjs(verb, ("from", "of", "out"))]
        if not sources:  # "expelled three MPs - A, B and C - from its caucus": "from" hung on the object
            sources = [_Slot(o, "prep-object") for p in patients if p.mechanism == "object"
                       for o in _pobjs(p.token, ("from",))]
        sources = [s for s in sources if index.entity(s.token) is not None] or [
            self._expelling_party(a, index) for a in agents]
        sources = [s for s in sources if s is not None]
        if not sources and _passive(verb):
            # "For the same reason, the vice-president, X, was expelled.": from the party the
            # article is about
            topic = index.topic_party(verb.i)
            sources = [_Slot(topic, "topic")] if topic is not None else []
        for org in sources:
            for patient in patients:
                self._add(found, index, patient, "expelledFrom", org, verb, "removal")

    def _removed_post(self, verb: Token, posts: list[Token], index: _Index, found) -> None:
        """"Y removed X from the position of Secretary General": X held the post, of the
        organization the title names, else of the remover's party (a post one is removed from
        was held, so it is a fact of the past)."""
        if _passive(verb):
            holders = [_Slot(s, mech) for s, mech in _subjects(verb)]
            removers = [_Slot(a, "passive-agent") for a in _agents(verb)]
        else:
            holders = [_Slot(o, "object") for o in _objects(verb)]
            removers = [_Slot(s, mech) for s, mech in _subjects(verb)]
        for post in posts:
            title = post if role_of(post) else next((o for o in _pobjs(post, ("of",)) if role_of(o)), None)
            if title is None:
                continue
            orgs = self._role_orgs(title, index) or [p for p in (self._expelling_party(r, index) for r in removers) if p]
            for org in orgs:
                for holder in holders:
                    self._add(found, index, holder, role_of(title), org, verb, "role")

    @staticmethod
    def _expelling_party(agent: "_Slot", index: _Index) -> "_Slot | None":
        """What an expelling agent expels from: a party itself; a body ("the party's national
        committee") its party, or the article's party when the body's party is not named; a
        membership body ("the party's parliamentary group expelled X from its ranks") itself."""
        if agent.token.lower_ in _MEMBERSHIP_BODIES and index.entity(agent.token) is not None \
                and index.types.get(index.entity(agent.token)[0]) == "Organization":
            return agent
        slot = _party_of_body(agent, index)
        ent = index.entity(agent.token)
        if slot is not agent or (agent.token.lower_ not in _BODY_HEADS and (ent is None or ent[0] not in index.bodies)):
            return slot
        if ent is not None and index.parents.get(ent[0]) is None:
            topic = index.topic_party(agent.token.i)
            return _Slot(topic, "topic") if topic is not None else None
        return slot

    def _composition(self, verb: Token, index: _Index, found) -> None:
        """"Y consists of X and Z", "the band, consisting of X and Z": a group's members."""
        preps = _COMPOSITION_VERBS[verb.lemma_.lower()]
        members = [_Slot(o, "prep-object") for o in _pobjs(verb, preps)] if preps else \
            [_Slot(o, "object") for o in _objects(verb)]
        groups = [_Slot(s, mech) for s, mech in _subjects(verb)]
        for group in groups:
            for member in members:
                self._add(found, index, member, "memberOf", group, verb, "verb")

    def _under(self, prep: Token, index: _Index, found) -> None:
        """"deputy leader of Y under X", "Y won 20 seats under the leadership of X": the one
        under whom a group or its officer acts leads the group."""
        leaders = []
        named_leadership = False
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            if obj.lemma_.lower() in _LEADERSHIP_NOUNS:
                named_leadership = True
                leaders += [_Slot(o, "of-phrase") for o in _pobjs(obj, ("of",))]
                leaders += [_Slot(p, "possessive") for p in obj.children if p.dep_ == "poss"]
            else:
                leaders.append(_Slot(obj, "prep-object"))
        head = prep.head
        if role_of(head):
            groups = self._role_orgs(head, index)
        elif head.pos_ in ("VERB", "AUX"):
            groups = [_Slot(s, mech) for s, mech in _subjects(head)]
        else:
            return
        for group in groups:
            for leader in leaders:
                # "Under X, the council passed the law": a government body acts under its
                # country's leader; only a party is led by the one it acts under
                self._add(found, index, leader, "leads", group, prep, "under",
                          parties_only=not (named_leadership or role_of(head)))

    def _revoked_membership(self, verb: Token, index: _Index, found) -> None:
        """"Y revoked the membership of X", "X's membership was cancelled", "Y stripped X of
        his membership": a removal stated through the membership noun."""
        for noun in [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")] + list(_pobjs(verb, ("of",))):
            if noun.lemma_.lower() != "membership":
                continue
            members = [_Slot(o, "of-phrase") for o in _pobjs(noun, ("of",))]
            members += [_Slot(p, "possessive") for p in noun.children if p.dep_ == "poss"]
            members += [_Slot(o, "object") for o in verb.children if o.dep_ == "dobj" and o is not noun]
            orgs = [_Slot(o, "prep-object") for o in _pobjs(noun, ("in", "of", "with"))]
            orgs += [_Slot(c, "compound") for c in noun.children if c.dep_ in ("compound", "nmod") and c.i < noun.i]
            if not _passive(verb):
                orgs += [_Slot(s, mech) for s, mech in _subjects(verb)]
            else:
                orgs += [_Slot(a, "passive-agent") for a in _agents(verb)]
            for org in orgs:
                for member in members:
                    if member.token is not org.token:
                        self._add(found, index, member, "expelledFrom", _party_of_body(org, index), verb, "removal")

    def _boycott_verb(self, verb: Token, index: _Index, found) -> None:
        """"X boycotted E", "E was boycotted by X", "X decided / said it will boycott E"."""
        if _passive(verb):
            actors = [_Slot(a, "passive-agent") for a in _agents(verb)]
            elections = [_Slot(s, mech) for s, mech in _subjects(verb)]
        else:
            actors = [_Slot(s, mech) for s, mech in _subjects(verb)]
            elections = [_Slot(o, "object") for o in _objects(verb)]
            elections += [_Slot(t, "election-list") for e in elections for t in _election_list(e.token, index)]
        for election in elections:
            for actor in actors:
                self._add(found, index, actor, "boycotted", election, verb, "boycott")

    def _nonparticipation(self, verb: Token, index: _Index, found) -> None:
        """"X decided not to take part in E", "X refused to run in E", "X will not field
        candidates in E": a refusal to take part is a boycott."""
        elections = [_Slot(o, "object") for o in _objects(verb)]
        elections += [_Slot(o, "prep-object") for o in _pobjs(verb, ("in", "for", "at", "into"))]
        for obj in list(verb.children):  # "take part in E", "field candidates in E"
            if obj.dep_ == "dobj":
                elections += [_Slot(o, "prep-object") for o in _pobjs(obj, ("in", "for", "at"))]
        if not any(index.entity(e.token) is not None for e in elections):
            # "not to contest the December 6 snap general election", its object misparsed ("snap"
            # read as a verb or a noun): the election right after the verb
            after = next((t for t in verb.doc[verb.i + 1 : min(verb.i + 9, verb.sent.end)]
                          if t.i in index.at and index.types.get(index.at[t.i][0]) == "Election"), None)
            elections = [_Slot(after, "surface-object")] if after is not None else []
        if not any(index.entity(e.token) is not None for e in elections):
            return
        if verb.lemma_.lower() in _CANDIDACY_VERBS and not _decided(verb):
            return  # "X did not run in E" may be no refusal; "X decided not to run in E" is
        actors = [_Slot(s, mech) for s, mech in _subjects(verb) if mech != "passive-subject"]
        for election in elections:
            for actor in actors:
                self._add(found, index, actor, "boycotted", election, verb, "nonparticipation", negation_expected=True)

    def _withdrawal(self, verb: Token, index: _Index, found) -> None:
        """"X withdrew from E", "X pulled out of E", "X sat out E", "X stayed away from E"."""
        lemma = verb.lemma_.lower()
        words = {c.lower_ for c in verb.children if c.dep_ in ("prt", "prep", "advmod")}
        if not words & set(_WITHDRAWAL_VERBS[lemma]):
            return
        elections = [_Slot(o, "object") for o in _objects(verb)]
        for part in [verb] + [c for c in verb.children if c.dep_ in ("prt", "advmod")]:  # "stayed away from E"
            elections += [_Slot(o, "prep-object") for o in _pobjs(part, ("from", "of", "out"))]
        actors = [_Slot(s, mech) for s, mech in _subjects(verb)]
        for election in elections:
            for actor in actors:
                self._add(found, index, actor, "boycotted", election, verb, "withdrawal")

    def _admission(self, verb: Token, index: _Index, found) -> None:
        """"X was elected to Y", "Y admitted X", "X was appointed to the council": a seat or a
        place in a body is membership of it."""
        bodies = [_Slot(o, "prep-object") for o in _pobjs(verb, ("to", "into"))]
        if not bodies and verb.lemma_.lower() in _RECRUITING_VERBS:  # "Y admitted X", "X was recruited by Y"
            bodies = [_Slot(a, "passive-agent") for a in _agents(verb)] if _passive(verb) else \
                [_Slot(s, mech) for s, mech in _subjects(verb)]
        if not bodies:
            return
        if _passive(verb):
            members = [_Slot(s, mech) for s, mech in _subjects(verb)]
        else:
            members = [_Slot(o, "object") for o in _objects(verb)]
        for body in bodies:
            for member in members:
                self._add(found, index, member, "memberOf", body, verb, "admission")

    # -- event nouns -----------------------------------------------------------------------
    def _event_noun(self, noun: Token, predicate: str, index: _Index, found) -> None:
        """"the expulsion of X from Y", "Y's expulsion of X", "Y announced X's expulsion",
        "Y's boycott of E", "a boycott of E by Y", "X's membership in Y", "X won a seat in Y"."""
        if any(c.dep_ == "amod" and c.lower_ in _UNREALISED for c in noun.children):
            return
        poss = [c for c in noun.children if c.dep_ == "poss"]
        compounds = [c for c in noun.children if c.dep_ in ("compound", "nmod", "amod") and c.i < noun.i]
        contest = None
        if noun.lemma_.lower() in _LEADERSHIP_NOUNS and noun.dep_ in ("compound", "nmod") \
                and noun.head.lemma_.lower() in _CONTEST_NOUNS:
            # "X won the Y leadership race": the contest's winner takes the leadership
            contest = noun.head
            poss += [c for c in contest.children if c.dep_ == "poss"]
            compounds += [c for c in contest.children if c.dep_ in ("compound", "nmod") and c.i < noun.i]
        carrier = contest if contest is not None else noun
        governor = carrier.head if carrier.dep_ in ("dobj", "nsubjpass", "pobj") and carrier.head.i != carrier.i else None
        if contest is not None and (governor is None or governor.lemma_.lower() not in _WINNING_VERBS):
            return
        if governor is not None and governor.dep_ == "prep":
            governor = governor.head if governor.head.pos_ in ("VERB", "AUX") else None
        gov_subjects = [_Slot(s, "governor-subject") for s, mech in _subjects(governor)] if governor is not None \
            and governor.pos_ in ("VERB", "AUX") else []
        low = noun.lemma_.lower()
        if predicate == "expelledFrom":
            patients = [_Slot(o, "of-phrase") for o in _pobjs(noun, ("of",))]
            orgs = [_Slot(o, "prep-object") for o in _pobjs(noun, ("from",))]
            for p in poss:
                if index.entity(p) is None and p.lower_ in _PLURAL_PRONOUNS:
                    # "A, B and C's activism ... mothered their expulsion from Y": the persons listed before
                    patients += [_Slot(t, "reference") for t in _listed_before(p, index, ("Person",), previous_sentence=False)]
                    continue
                typ = index.types.get(index.entity(p)[0]) if index.entity(p) else None
                (patients if typ == "Person" else orgs).append(_Slot(p, "possessive"))
            orgs = orgs or [_party_of_body(g, index) for g in gov_subjects]
            pairs = [(p, o) for p in patients for o in orgs]
            family = "noun"
        elif predicate == "boycotted":
            elections = [_Slot(o, "of-phrase") for o in _pobjs(noun, ("of", "on", "against"))]
            elections += [_Slot(c, "compound") for c in compounds]
            actors = [_Slot(p, "possessive") for p in poss] + [_Slot(a, "passive-agent") for a in _pobjs(noun, ("by",))]
            actors = actors or gov_subjects
            pairs = [(a, e) for a in actors for e in elections]
            family = "noun"
        elif low in ("seat", "seats", "mandate"):
            holders = gov_subjects + [_Slot(p, "possessive") for p in poss]
            bodies = [_Slot(o, "prep-object") for o in _pobjs(noun, ("in", "on", "of", "at"))]
            pairs = [(h, b) for h in holders for b in bodies]
            family = "seat"
        else:  # membership / leadership: "X's membership in Y", "Y membership", "under X's leadership"
            holders = [_Slot(p, "possessive") for p in poss if index.entity(p) and index.types.get(index.entity(p)[0]) == "Person"]
            if governor is not None and (low not in _LEADERSHIP_NOUNS or governor.lemma_.lower() in _TAKE_OVER_VERBS):
                holders += gov_subjects  # "X took over the leadership of Y", "X won the Y nomination"
            holders += [_Slot(o, "of-phrase") for o in _pobjs(noun, ("of",))
                        if index.entity(o) and index.types.get(index.entity(o)[0]) == "Person"]
            orgs = [_Slot(o, "prep-object") for o in _pobjs(noun, ("in", "of", "with"))]
            orgs += [_Slot(c, "compound") for c in compounds]
            orgs += [_Slot(p, "possessive") for p in poss]
            # "under the leadership of X": the group acting under X is the clause's subject
            if noun.dep_ == "pobj" and noun.head.lower_ == "under" and noun.head.head.i != noun.head.i:
                orgs += [_Slot(s, "governor-subject") for s, _ in _subjects(noun.head.head)]
            pairs = [(h, o) for h in holders for o in orgs]
            family = "noun"
        for subj, obj in pairs:
            self._add(found, index, subj, predicate, obj, noun, family)

    def _person_of(self, token: Token, index: _Index, found) -> None:
        """"X of the Y party", "X (Y)": a person named with an organization."""
        if index.at.get(token.i) is None or index.bounds.get(token.i, (0, 0))[1] - 1 != token.i:
            return  # once per mention, at its last token
        for obj in _pobjs(token, ("of",)):
            # "X of the Y party", "X of the rock band Y": the organization is a party or named
            # as a group; "X of the World Bank" may be staff, not a member
            grouped = any(t.lower_ in _GROUP_NOUNS for t in obj.subtree if t.i < obj.i or t is obj)
            # "A and B of the Y party": the names coordinated before the last share its party
            subject = _conj_root(token) if index.types.get(index.at.get(_conj_root(token).i, (None,))[0]) == "Person" else token
            self._add(found, index, _Slot(subject, "person-of"), "memberOf", _Slot(obj, "person-of"), token, "person-of",
                      parties_only=not grouped)
        for child in token.children:
            # "X (Progress Party)", "X, a Democrat,", "Democrat X", "Labour's X": a person
            # named with a party, in apposition, as a modifier or as its possessor
            if child.dep_ in ("appos", "compound", "nmod", "amod", "poss") and child.i in index.at \
                    and index.at[child.i][0] != index.at[token.i][0]:
                mech = "possessive" if child.dep_ == "poss" else "apposition" if child.dep_ == "appos" else "compound"
                self._add(found, index, _Slot(token, mech), "memberOf", _Slot(child, mech), token,
                          "person-of", parties_only=True)
        if token.dep_ == "appos" and token.head.i in index.at:  # "A Republican, X ..."
            self._add(found, index, _Slot(token, "apposition"), "memberOf", _Slot(token.head, "apposition"), token,
                      "person-of", parties_only=True)

    # -- recording -------------------------------------------------------------------------
    def _add(self, found, index: _Index, subj: _Slot, predicate: str, obj: _Slot, trigger: Token, family: str,
             *, negation_expected: bool = False, parties_only: bool = False) -> None:
        """Record ``predicate(subject, object)`` for the slots and their conjuncts, when both are
        entities of fitting types and the trigger's clause asserts it."""
        subj_types, obj_types = _TYPES[predicate]
        assertion = None
        # names found by surface order are each a slot already (their parse is the broken one)
        subjects = [subj.token] if subj.mechanism == "surface-object" else _conjuncts(subj.token)
        if subj.mechanism == "relative":
            # "A and B, who head Y": the names up to the clause; "A, who chaired Y; B; C": not after it
            subjects = [t for t in subjects if t.i <= subj.token.i] + [
                t for t in _conjuncts(_conj_root(subj.token)) if t.i < subj.token.i and t not in subjects]
        if _unnamed_plural(subj.token, index):
            # "Other parties said they will boycott the elections, including A and B": the
            # inclusion list of an unnamed plural subject, wherever the parser hung it in the clause
            if not any(index.entity(t) is not None for t in subjects):
                subjects += [o for p in trigger.subtree if p.dep_ == "prep" and p.lower_ in _INCLUDING
                             for o in p.children if o.dep_ == "pobj" for o in _conjuncts(o)]
        via_pronoun = False  # names a plural pronoun stands for: a reference's confidence
        if subj.token.lower_ in _PLURAL_PRONOUNS and not any(
                index.entity(t) is not None and index.types.get(index.entity(t)[0]) in subj_types for t in subjects):
            # "Both A and B said they would boycott E": "they" of a reported clause is its reporter;
            # else the names listed just before ("A, B and C voted against. They were expelled.")
            named = _reporting_subjects(subj.token, index) or _listed_before(subj.token, index, subj_types)
            if named:
                subjects, via_pronoun = named, True
        if _unnamed_plural(subj.token, index) and not any(index.entity(t) is not None for t in subjects):
            self._defer(index, subj, predicate, obj, trigger, family, negation_expected, parties_only)
            return
        for n, s_tok in enumerate(subjects):
            if n and subj.mechanism == "as-phrase" and any(c.dep_ == "prep" and c.lower_ == "as" for c in s_tok.children):
                continue  # "A as chairperson; B, C and D as deputy chairpersons": B's own role
            if n and family in ("role", "title") and s_tok.pos_ == "NOUN" and role_of(s_tok):
                continue  # "its leader, A, and its spokesman, B": B's title is his own
            if n and subj.mechanism in ("compound", "title-chain") and _described_item(s_tok, subj.token):
                continue  # "NC president A and PDP president B", "member A, former commissioner B
                # and C": B (and what follows B) has a description of its own
            s = index.entity(s_tok)
            if s is None or index.types.get(s[0]) not in subj_types:
                continue
            for o_tok in _conjuncts(obj.token):
                o = index.entity(o_tok)
                if o is None or o[0] == s[0]:
                    continue
                o_type = index.types.get(o[0])
                if o_type not in obj_types or (parties_only and not index.is_party_like(o[0])):
                    continue
                if assertion is None:
                    assertion = _relation_assertion(trigger, predicate, negation_expected)
                if assertion == "unasserted":
                    return
                rule = f"{family}:{subj.mechanism}+{obj.mechanism}"
                confidence = rule_confidence(rule)
                if s[1] or o[1] or via_pronoun:
                    confidence *= MECHANISMS["reference"]
                if confidence < self.min_confidence:
                    continue
                self._record(found, index, s, predicate, o, s_tok, o_tok, trigger, rule, confidence,
                             negated=assertion == "denied")

    def _defer(self, index: _Index, subj: _Slot, predicate: str, obj: _Slot, trigger: Token, family: str,
               negation_expected: bool, parties_only: bool) -> None:
        """"Eight parties announced their boycott of E. These parties are: A, B and C." A relation
        of an unnamed plural ("eight parties", "they") waits for the next sentences to name them."""
        o = index.entity(obj.token)
        if o is None or index.types.get(o[0]) not in _TYPES[predicate][1] or (parties_only and not index.is_party_like(o[0])):
            return
        if _relation_assertion(trigger, predicate, negation_expected) != "asserted":
            return
        noun = _plural_key(subj.token) if _plural(subj.token) else None
        # "expelled five officials ... The five are": the plural's number names it too
        number = next((c.lower_ for c in subj.token.children if c.dep_ == "nummod"), None)
        self._deferred.append((trigger, predicate, obj, o, family, (noun, number)))

    def _named_lists(self, doc: Doc, index: _Index, found) -> None:
        """The names a later sentence gives a deferred plural: "These parties are: A, B and C",
        "They are A and B", "The eight MPs are A, B ...", "Those expelled include A and B"."""
        s_types = {predicate: _TYPES[predicate][0] for predicate in _TYPES}
        lists = [(trigger, predicate, obj.token, o, family, noun, number, obj.mechanism)
                 for trigger, predicate, obj, o, family, (noun, number) in self._deferred]
        # "those expelled include A and B. The others are C and D": a named list goes on
        named: dict[tuple, list] = defaultdict(list)
        for rel in found.values():
            if not rel.get("negated"):
                named[(rel["predicate"], rel["object"], rel["sent_start"], rel["rule"])].append(rel)
        for (predicate, o, sent_start, rule), rels in named.items():
            if len(rels) >= 2:
                family, mechanisms = rule.split(":", 1)
                trigger = doc[rels[0]["trigger"]]
                o_tok = doc[min((i for i, (c, _) in index.at.items() if c == o), default=trigger.i)]
                lists.append((trigger, predicate, o_tok, (o, False), family, "other", None, mechanisms.split("+")[-1]))
        for trigger, predicate, o_tok, o, family, noun, number, o_mechanism in lists:
            # (a role's plural is named by its own noun again, "The eight MPs are": a bare "They
            # are" after "MPs of Y" may be anyone)
            verb = _naming_verb(trigger.sent, noun, index, pronouns=family != "role" and noun != "other", number=number)
            if verb is None:
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            inside = {t.i for t in subject.subtree} if subject is not None else set()
            # the names the verb lists: its complement's, when it has one (not a reporting
            # speaker's, "..., X stated", nor a later clause's)
            complements = [c for c in verb.children if c.dep_ in ("attr", "dobj", "oprd")]
            listed = {t.i for c in complements for t in c.subtree}  # ("have been in dispute since X ...": none)
            rule = f"{family}:list+{o_mechanism}"
            # the names after the verb, or in the subject's apposition ("The five - A, B and C -
            # are ..."), each at its mention's last token
            for item in verb.sent:
                if (item.i <= verb.i and item.i not in inside) or (item.i > verb.i and item.i not in listed) \
                        or item.i not in index.at or index.at[item.i][1] or index.bounds[item.i][1] - 1 != item.i:
                    continue
                s = index.at[item.i]
                if index.types.get(s[0]) in s_types[predicate] and s[0] != o[0]:
                    self._record(found, index, s, predicate, o, item, o_tok, verb, rule, rule_confidence(rule),
                                 negated=False)

    def _record(self, found, index: _Index, s, predicate, o, s_tok, o_tok, trigger, rule, confidence, *, negated) -> None:
        sent = trigger.sent
        key = (s[0], predicate, o[0], sent.start)  # one relation per triple and sentence
        old = found.get(key)
        if old is not None and old["confidence"] >= confidence:
            return
        bounds = [(trigger.i, trigger.i + 1)] + [index.bounds.get(t.i, (t.i, t.i + 1)) for t in (s_tok, o_tok)]
        rel = {
            "subject": s[0], "predicate": predicate, "object": o[0],
            "sent_start": sent.start, "sent_end": sent.end,
            "start": max(sent.start, min(b[0] for b in bounds)), "end": min(sent.end, max(b[1] for b in bounds)),
            "rule": rule, "confidence": round(confidence, 3), "trigger": trigger.i,
        }
        if negated:
            rel["negated"] = True
        found[key] = rel


@Language.factory(
    "kgraph_relations",
    requires=["doc.spans", "doc._.kgraph_entities", "token.dep", "token.lemma"],
    assigns=["doc._.kgraph_relations"],
    default_config={"min_confidence": 0.5, "leaders_are_members": False},
)
def make_relations(nlp: Language, name: str, min_confidence: float, leaders_are_members: bool) -> RelationExtractor:
    """leads / memberOf / expelledFrom / boycotted with evidence (add after ``kgraph_coref``);
    ``leaders_are_members`` also states memberOf for each party leader."""
    return RelationExtractor(nlp, name, min_confidence, leaders_are_members)
