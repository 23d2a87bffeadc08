"""Relation extraction: leads / memberOf / expelledFrom / boycotted from the dependency parse and
token patterns, with negation, modality and future filtering, each with its evidence.

The ``kgraph_relations`` factory reads the clusters of ``kgraph_coref`` and writes
``doc._.kgraph_relations``: dicts with subject/object cluster indices, predicate, token span of
the evidence, sentence, rule name and confidence. Rules are general, grouped by how English
states the relation:

- title nouns ("leader", "chairman", "member", "lawmaker"...) tie a person to an organization
  through the noun phrase ("OSDP leader X", "Party Chairman X", "X, the leader of Y",
  "the leader of Y, X", "Y's leader X") or a copula ("X is/was/became a member of Y",
  "X was elected chairman of Y", "X served as head of Y");
- verbs: "X heads/leads/chairs Y", "Y is led by X", "Y, led by X", "X, who heads Y", "X joined Y",
  "Y expelled X (from its ranks)", "X was expelled from Y", "X boycotted Y",
  "X announced a boycott of Y", "X decided not to participate in Y";
- membership stated around a name or a role: "X ran / stood / sat as the Y candidate",
  "X sought / won / lost the Y nomination", "elected on the Y ticket", "X, a Democrat,",
  "A Republican, X ...", "fellow Democrat X", "X of the rock band Y", "his party, Y",
  "X founded / formed Y" (a party's founder also leads it), "Y was formed by X and Z",
  "X was elected / admitted to Y" (a body, not a legislature), "X left / quit Y" (a party or
  a band), "X was part of Y", "Y consists of X and Z", "Y recruited X", "X played 40 games for
  Y", "X was traded / loaned to Y", "X was signed by Y";
- leadership: "deputy leader of Y under X", "Y, under the leadership of X, won ...",
  "X succeeded Z as leader of Y" (both led Y); "Y leader X" also states X's membership (the
  party's label names X the way a member is named); "Y caucus spokesman / leader X" is a
  membership of Y only (X heads a body of Y, not Y); "Y chose deputy leader X" (the naming
  body is the title's organization).

A membership of a legislature ("a member of the Riksdag") is a seat, not a membership: not
recorded.

A verbal statement is not a fact when the trigger or the verbs it depends on are negated,
modal or future ("will", "may"), embedded under intention/proposal verbs ("plans to",
"threatened to", "called for", "refused to") or a condition ("if"), or the sentence is a question.
"""
from __future__ import annotations

from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Token

from kgraph.nlp.coref import REFERENCES_KEY
from kgraph.nlp.mentions import LEAD_TITLES, MEMBER_TITLES, MENTIONS_KEY, PARTY_HEADS, PARTY_MEMBER_TITLES

__all__ = ["LEAD_TITLES", "MEMBER_TITLES", "RelationExtractor", "is_asserted"]

# "deputy leader", "vice chairman": a member, not the head
_SUBORDINATE = frozenset("deputy vice assistant acting honorary first-deputy".split())
_LEAD_VERBS = frozenset({"lead", "head", "chair", "helm", "run"})
_JOIN_VERBS = frozenset({"join", "rejoin"})
_EXPEL_VERBS = frozenset({"expel", "oust", "exclude", "dismiss", "kick", "purge", "remove", "throw", "strip"})
_PARTICIPATE_VERBS = frozenset({"participate", "take", "run", "compete", "contest", "stand", "field", "register"})
_HOLDING_VERBS = frozenset({"hold", "maintain", "keep", "retain", "occupy", "assume", "take", "remain", "serve"})
_NAMING_VERBS = frozenset({"elect", "appoint", "name", "reelect", "re-elect", "choose", "install", "make", "nominate"})
_COPULAS = frozenset({"be", "become", "remain", "serve", "elect", "appoint", "name", "reelect", "re-elect", "choose", "make", "install", "act", "nominate",
                      # past headship: "X stepped down / resigned as leader of Y"
                      "resign", "step", "retire", "quit", "succeed", "replace", "return"})
# "X ran / stood / sat / won as the Y candidate": the "as" phrase gives the role
_AS_VERBS = frozenset({"run", "stand", "sit", "win", "contest", "campaign", "compete", "enter", "join", "lose",
                       "represent", "vote", "caucus", "know"})
# "X sought / won / lost the Y nomination": only a party's member runs for its nomination
_NOMINATION_NOUNS = frozenset({"nomination", "ticket", "candidacy", "primary", "slate", "list"})
_NOMINATION_VERBS = frozenset({"seek", "win", "lose", "receive", "secure", "get", "gain", "accept", "earn",
                               "clinch", "capture", "obtain", "contest", "head", "top", "lead"})
# "formed / founded / established Y": a founder is a member of what they founded
_FOUNDING_VERBS = frozenset({"found", "co-found", "cofound", "form", "establish", "create"})
# "Y revoked X's membership", "X's membership was cancelled"
_REVOKING_VERBS = frozenset({"revoke", "cancel", "terminate", "annul", "rescind"})
# "Y announced the expulsion of X"
_ANNOUNCING_VERBS = frozenset({"announce", "confirm", "approve", "decide", "declare", "order", "vote", "finalize", "finalise"})
_FOUNDER_VERBS = frozenset({"found", "co-found", "cofound", "establish", "create"})
# "elected / admitted to Y": membership of a body, not of a legislature (a seat, not a membership)
_ADMISSION_VERBS = frozenset({"elect", "appoint", "admit", "name", "co-opt", "induct", "accept", "recruit", "draft"})
_NOT_MEMBERSHIP_BODIES = frozenset(
    "parliament assembly house senate congress chamber legislature duma rada riksdag majlis "
    "mazhilis court government ministry cabinet office hall fame".split()
)
# "the band recruited X": a group taking a person in (not "hired": staff are not members)
_RECRUITING_VERBS = frozenset({"recruit", "draft", "induct", "admit", "enlist", "co-opt"})
# "X left / quit Y": who leaves a group was in it (a past membership is still a fact)
_LEAVING_VERBS = frozenset({"leave", "quit"})
# "under the leadership of X", "under X's chairmanship"
_LEADERSHIP_NOUNS = frozenset({"leadership", "chairmanship", "presidency", "direction", "stewardship", "helm", "command"})
#: verbs under which a statement is intended, proposed, requested, doubted or refused: not a fact
_BLOCKING_HEADS = frozenset(
    "plan intend want threaten propose consider hope expect seek try promise vow aim call urge "
    "ask demand suggest refuse deny reject question doubt mull weigh prepare wish offer agree "
    "pledge may might could would should will shall must can likely able need prefer".split()
)
_MODAL_AUX = frozenset({"will", "would", "may", "might", "could", "should", "shall", "must", "can", "'ll", "wo", "ca"})
_CONDITION_MARKS = frozenset({"if", "unless", "whether"})
_UNREALISED = frozenset({"planned", "threatened", "proposed", "possible", "potential", "mooted", "called", "urged"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_GROUP_NOUNS = frozenset({"band", "group", "team", "club", "party", "ensemble", "orchestra", "trio", "duo", "quartet"})
_GROUPISH = _GROUP_NOUNS | frozenset(
    "organization organisation movement faction members member guitarist bassist drummer vocalist "
    "singer keyboardist player players".split()
)
# bodies inside a party ("the ANC caucus", "Labour's youth wing")
_PARTY_BODY_WORDS = frozenset("parliamentary caucus youth wing faction group executive committee branch".split())
_GROUP_HEADS = frozenset({"leadership", "leaders", "members", "membership", "congress", "council", "board", "executive"})

_PERSON = ("Person",)
_ORG = ("PoliticalParty", "Organization")
_ACTOR = ("PoliticalParty", "Organization", "Person")
_ELECTION = ("Election",)
_TYPES = {
    "leads": (_PERSON, _ORG),
    "memberOf": (_PERSON, _ORG),
    "expelledFrom": (_PERSON, _ORG),
    "boycotted": (_ACTOR, _ELECTION),
}
_CONFIDENCE = {
    "title-compound": 0.9, "title-possessive": 0.9, "title-of": 0.85, "title-appos": 0.85,
    "title-copula": 0.85, "title-party-body": 0.75, "title-sequence": 0.85, "verb-active": 0.85, "verb-passive": 0.85,
    "verb-participle": 0.8, "join": 0.8, "expel-active": 0.85, "expel-passive": 0.85,
    "person-of-party": 0.75, "person-parenthesis": 0.75, "person-party-modifier": 0.8,
    "person-as-party": 0.75, "party-apposition": 0.75, "nomination": 0.75, "founded": 0.75,
    "admitted": 0.75, "under-leader": 0.75, "leader-member": 0.75, "own-group": 0.75, "part-of": 0.75, "founder": 0.7, "boycott-abstention": 0.7, "left": 0.7, "boycott-verb": 0.85, "boycott-noun": 0.8, "boycott-nonparticipation": 0.75, "boycott-withdrawal": 0.7,
}
#: factor on the confidence when an end comes from a pronoun or nominal ("the party", "his")
REFERENCE_PENALTY = 0.8


def is_asserted(trigger: Token, *, negation_expected: bool = False) -> bool:
    """Whether the clause of ``trigger`` states a fact: not negated (unless the rule expects it,
    as in "decided not to participate"), not modal/future, not under an intention, proposal,
    request or refusal verb, not conditional, not a question."""
    sent = trigger.sent
    if sent.text.rstrip().endswith("?"):
        return False
    token = trigger
    first = True
    while True:
        for child in token.children:
            if child.dep_ == "neg" and not (first and negation_expected):
                return False
            if child.dep_ in ("aux", "auxpass") and child.lower_ in _MODAL_AUX:
                return False
            if child.dep_ == "aux" and child.lower_ == "going":
                return False
            if child.dep_ == "mark" and child.lower_ in _CONDITION_MARKS:
                return False
        if first and negation_expected and not any(c.dep_ == "neg" for c in token.children):
            return False
        if not first and token.lemma_.lower() in _BLOCKING_HEADS:
            return False
        if token.lower_ == "going" and not first:
            return False
        first = False
        # walk up through control/complement/prepositional links only: a relative clause or an
        # apposition ("X, who heads Y, refused to comment") has its own truth
        if token.dep_ in ("xcomp", "ccomp", "pobj", "prep", "dobj", "pcomp", "conj", "attr", "oprd", "acomp") and token.head.i != token.i:
            token = token.head
            continue
        return True


class _Index:
    """Token -> (cluster index, is a reference) for one doc, and cluster types."""

    def __init__(self, doc: Doc):
        self.types: dict[int, str] = {e["index"]: e["type"] for e in (doc._.kgraph_entities or [])}
        self.names: dict[int, str] = {e["index"]: e.get("name") or "" for e in (doc._.kgraph_entities or [])}
        self.at: dict[int, tuple[int, bool]] = {}
        self.root: dict[int, tuple[int, bool]] = {}
        self.bounds: dict[int, tuple[int, int]] = {}  # token -> its mention's token span
        for span in doc.spans.get(MENTIONS_KEY, []):
            if span.id_ == "":
                continue
            value = (int(span.id_), False)
            for i in range(span.start, span.end):
                self.at[i] = value
                self.bounds[i] = (span.start, span.end)
            self.root[span.root.i] = value
            self.root[span[-1].i] = value
        for span in doc.spans.get(REFERENCES_KEY, []):
            value = (int(span.id_), True)
            self.at[span.start] = value
            self.root[span.start] = value

    def entity(self, token: Token | None) -> tuple[int, bool] | None:
        """The entity a noun phrase headed by ``token`` names: the token's own mention, or a
        proper-noun compound of a head word ("the Nur Otan party"), or a group noun's possessor
        is not taken here (see :meth:`group`)."""
        if token is None:
            return None
        if token.i in self.at:
            return self.at[token.i]
        # (a "faction" of a party is not the party: its head does not head the party)
        if token.lower_ in PARTY_HEADS - {"faction"} or token.lower_ in ("group", "organization", "band", "club", "team"):
            for child in token.lefts:
                if child.dep_ in ("compound", "nmod", "amod") and child.i in self.at:
                    return self.at[child.i]
        # "the All-National Social Democratic Party (OSDP)" / "another party -- the X":
        # an apposition names the entity of an unnamed head
        if token.pos_ in ("NOUN",):
            for child in token.rights:
                if child.dep_ == "appos" and child.i in self.at:
                    return self.at[child.i]
        return None

    def group(self, token: Token) -> tuple[int, bool] | None:
        """"that group's leadership", "the party's members" -> the group."""
        found = self.entity(token)
        if found is not None:
            return found
        if token.lower_ in _GROUP_HEADS:
            for child in token.children:
                if child.dep_ in ("poss", "compound") and self.entity(child) is not None:
                    return self.entity(child)
        return None


_LEGISLATURE_WORDS = frozenset(
    "parliament assembly senate riksdag duma rada sejm bundestag knesset storting folketing majlis "
    "mazhilis legislature".split()
)
_LEGISLATURE_PHRASES = ("house of representatives", "house of commons", "house of lords", "house of delegates",
                        "legislative council", "county council", "city council", "municipal council")


def _is_legislature(name: str) -> bool:
    """Whether an organization's name is that of a legislature ("Riksdag", "National Assembly",
    "U.S. House of Representatives"): one holds a seat there, one is not a member as of a party."""
    low = name.lower().strip()
    words = low.replace("-", " ").split()
    return bool(words) and (words[-1] in _LEGISLATURE_WORDS or any(p in low for p in _LEGISLATURE_PHRASES))


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, through control ("decided to boycott"), coordination and
    relative clauses ("X, who heads Y")."""
    token = verb
    for _ in range(6):
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass") :
                if child.lower_ in _RELATIVE and token.dep_ == "relcl":
                    return _relative_antecedent(token.head)
                return child
        if token.dep_ in ("xcomp", "conj") and token.head.i != token.i:
            token = token.head
            continue
        if token.dep_ in ("relcl", "acl") and token.head.i != token.i:
            # "Y's decision to boycott", "Y's move to join Z": the possessor decided
            owner = next((c for c in token.head.children if c.dep_ == "poss"), None)
            if token.dep_ == "acl" and owner is not None and token.head.pos_ == "NOUN":
                return owner
            # "X was a singer, best known as ...": a participle on a description of X is about X
            return _relative_antecedent(token.head) if token.dep_ == "relcl" or token.head.pos_ == "NOUN" else token.head
        # "before joining Y", "..., playing for Y": a subjectless gerund shares its clause's subject
        if token.dep_ == "pcomp" and token.head.head.i != token.head.i:
            token = token.head.head
            continue
        if token.dep_ == "advcl" and token.tag_ == "VBG" and token.head.i != token.i:
            token = token.head
            continue
        return None
    return None


def _relative_antecedent(noun: Token) -> Token:
    """The entity a relative clause is about: its noun, or, when that noun is only a
    description of someone ("X is a British politician who was ...", "X, a singer who
    joined ..."), the one it describes."""
    if noun.pos_ != "NOUN":
        return noun
    if noun.dep_ == "attr" and noun.head.lemma_ in ("be", "become", "remain"):
        subj = next((c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return subj
    if noun.dep_ == "appos" and noun.head.i != noun.i:
        return noun.head
    return noun


def _co_subjects(subject: Token) -> list[Token]:
    """The other subjects of a subject's verb: its conjuncts ("X and Y") and the members it
    lists ("opposition parties, including X and Y")."""
    out = [c for c in subject.children if c.dep_ == "conj"]
    for prep in subject.children:
        if prep.dep_ == "prep" and prep.lower_ in ("including", "like"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    out.append(obj)
                    out.extend(c for c in obj.children if c.dep_ == "conj")
    return out


def _children(token: Token, *deps: str) -> Iterator[Token]:
    return (c for c in token.children if c.dep_ in deps)


def _pobj(token: Token, *preps: str) -> Iterator[Token]:
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in preps:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    yield from _conjuncts(obj)


def _conjuncts(token: Token) -> list[Token]:
    """A token and its conjuncts, following the chain the parser makes of a list ("A, B and
    C": B is a conjunct of A, C of B)."""
    out = [token]
    for item in out:
        if len(out) > 20:
            break
        out.extend(c for c in item.children if c.dep_ == "conj")
    return out


class RelationExtractor:
    """Extracts the four relations of the ontology from one doc."""

    def __init__(self, nlp: Language, name: str, min_confidence: float, leaders_are_members: bool = False):
        self.name = name
        self.min_confidence = min_confidence
        # off by default: a leader's membership is implied, not stated, and one fact per
        # statement keeps the evidence readable (a reasoning step can derive it)
        self.leaders_are_members = leaders_are_members
        if not Doc.has_extension("kgraph_relations"):
            Doc.set_extension("kgraph_relations", default=None)
        if not Doc.has_extension("kgraph_entities"):
            Doc.set_extension("kgraph_entities", default=None)

    def __call__(self, doc: Doc) -> Doc:
        index = _Index(doc)
        found: dict[tuple, dict] = {}
        if index.types:
            for token in doc:
                low = token.lower_
                lemma = token.lemma_.lower()
                if token.pos_ in ("NOUN", "PROPN") and (low in LEAD_TITLES or low in MEMBER_TITLES or lemma in MEMBER_TITLES or lemma in LEAD_TITLES):
                    self._title(token, index, found)
                elif low == "general" and token.i > 0 and doc[token.i - 1].lower_ == "secretary" and token.pos_ in ("NOUN", "PROPN"):
                    self._title(token, index, found)  # "secretary general of Y"
                elif low in PARTY_MEMBER_TITLES and token.pos_ in ("NOUN", "PROPN"):
                    self._title(token, index, found, parties_only=True)
                if token.pos_ == "VERB" or token.tag_.startswith("VB"):
                    if lemma in _LEAD_VERBS:
                        self._lead_verb(token, index, found)
                    elif lemma == "take" and any(c.dep_ == "prt" and c.lower_ == "over" for c in token.children):
                        self._take_over(token, index, found)
                    elif lemma in _JOIN_VERBS:
                        self._join(token, index, found)
                    elif lemma in ("defect", "switch", "belong"):
                        self._defect(token, index, found)
                    elif lemma == "represent":
                        self._represents(token, index, found)
                    elif lemma in ("sit", "stay"):
                        self._sit_out(token, index, found)
                    elif lemma in ("withdraw", "pull"):
                        self._withdraw(token, index, found)
                    elif lemma in ("play", "sign", "trade", "loan"):
                        self._plays_for(token, index, found)
                    elif lemma == "consist":
                        self._consists(token, index, found)
                    elif lemma in _EXPEL_VERBS:
                        self._expel(token, index, found)
                    elif lemma in _REVOKING_VERBS:
                        self._membership_revoked(token, index, found)
                    elif lemma == "boycott":
                        self._boycott_verb(token, index, found)
                    elif lemma in _PARTICIPATE_VERBS:
                        self._nonparticipation(token, index, found)
                    if lemma in _FOUNDING_VERBS:
                        self._founded(token, index, found)
                    elif lemma in _ADMISSION_VERBS:
                        self._admitted(token, index, found)
                    elif lemma in _LEAVING_VERBS:
                        self._left(token, index, found)
                if token.i in index.root and index.types.get(index.root[token.i][0]) == "Person":
                    self._person_of(token, index, found)
                if token.i in index.root and index.types.get(index.root[token.i][0]) == "PoliticalParty":
                    self._party_apposition(token, index, found)
                if low == "part" and token.pos_ == "NOUN" and token.dep_ in ("attr", "dobj"):
                    self._part_of(token, index, found)
                if low in _NOMINATION_NOUNS and token.pos_ == "NOUN":
                    self._nomination(token, index, found)
                if low == "under" and token.dep_ == "prep":
                    self._under(token, index, found)
                if low in ("expulsion", "ouster") and token.pos_ == "NOUN":
                    self._expulsion_noun(token, index, found)
                if low in ("boycott", "boycotts") and token.pos_ == "NOUN":
                    self._boycott_noun(token, index, found)
                if low in _GROUP_NOUNS and token.pos_ == "NOUN":
                    self._own_group(token, index, found)
            if self.leaders_are_members:
                self._leaders_are_members(index, found)
            else:
                self._leaders_are_members(index, found, rules=("title-compound",))
        doc._.kgraph_relations = sorted(found.values(), key=lambda r: (r["start"], r["predicate"]))
        return doc

    # -- adding ------------------------------------------------------------------------------
    def _add_tokens(self, found, index: _Index, subj_tok, predicate: str, obj_tok, trigger: Token, rule: str,
                    *, subj=None, obj=None, expand: bool = True) -> None:
        """Record ``predicate(subject, object)`` if both ends are entities of fitting types; the
        evidence spans the two mentions and the trigger. ``subj``/``obj`` override the entity
        found at the token (for "that group's leadership", "band X"). A coordinated subject
        shares the statement ("X and Y boycotted Z", "parties, including X, boycotted Z")."""
        if expand and subj_tok is not None and subj_tok.dep_ in ("nsubj", "nsubjpass"):
            for other in _co_subjects(subj_tok):
                self._add_tokens(found, index, other, predicate, obj_tok, trigger, rule,
                                 subj=index.group(other), obj=obj, expand=False)
        subj = subj if subj is not None else index.entity(subj_tok)
        obj = obj if obj is not None else index.entity(obj_tok)
        if subj is None or obj is None or subj[0] == obj[0]:
            return
        subj_types, obj_types = _TYPES[predicate]
        if index.types.get(subj[0]) not in subj_types or index.types.get(obj[0]) not in obj_types:
            return
        if predicate == "memberOf" and index.types.get(obj[0]) == "Organization" and _is_legislature(index.names.get(obj[0], "")):
            return  # "a member of the Riksdag / the House of Representatives": a seat, not a membership
        # an end reached through a pronoun or "the party" is less certain than a name
        confidence = _CONFIDENCE[rule] * (REFERENCE_PENALTY if subj[1] or obj[1] else 1.0)
        if confidence < self.min_confidence:
            return
        sent = trigger.sent
        key = (subj[0], predicate, obj[0], sent.start)  # one relation per triple and sentence
        old = found.get(key)
        if old is not None and old["confidence"] >= confidence:
            return
        bounds = [(trigger.i, trigger.i + 1)] + [
            index.bounds.get(t.i, (t.i, t.i + 1)) for t in (subj_tok, obj_tok) if t is not None
        ]
        found[key] = {
            "subject": subj[0], "predicate": predicate, "object": obj[0],
            "sent_start": sent.start, "sent_end": sent.end,
            "start": max(sent.start, min(b[0] for b in bounds)), "end": min(sent.end, max(b[1] for b in bounds)),
            "rule": rule, "confidence": round(confidence, 3), "trigger": trigger.i,
        }

    # -- title nouns -------------------------------------------------------------------------
    def _title(self, title: Token, index: _Index, found, parties_only: bool = False) -> None:
        low = title.lower_
        predicate = "leads" if (low in LEAD_TITLES or title.lemma_.lower() in LEAD_TITLES or low == "general") else "memberOf"
        if predicate == "leads" and any(c.lower_ in _SUBORDINATE for c in title.lefts):
            predicate = "memberOf"
        if predicate == "leads" and title.i > 0 and title.doc[title.i - 1].lower_ in _SUBORDINATE | {"-"}:
            predicate = "memberOf"
        persons = self._title_persons(title, index)
        one = title.head.head if title.dep_ == "pobj" and title.head.lower_ == "of" else None
        if not persons and one is not None and one.lower_ in ("one", "two", "three", "some", "among"):
            # "X was one of the founding members of Y", "X is one of the leaders of Y": the
            # person is tied to "one"; one of several leaders is a member, not the leader
            persons = self._title_persons(one, index)
            predicate = "memberOf"
        orgs = self._title_orgs(title, index)
        if parties_only:
            orgs = [o for o in orgs if index.types.get(o[1][0]) == "PoliticalParty"]
        if not orgs and not parties_only:
            # "The party elected X chairwoman": the naming body is the organization
            for (person, verb), rule in persons:
                # "The party chose deputy leader X to ...": a titled name as the naming verb's object
                if rule == "title-compound" and person.dep_ == "dobj" and is_asserted(person.head):
                    verb, rule = person.head, "title-copula"
                if rule == "title-copula" and verb.lemma_.lower() in _NAMING_VERBS:
                    subj = _subject(verb)
                    ent = index.entity(subj) if subj is not None else None
                    if ent is not None and index.types.get(ent[0]) in _ORG:
                        orgs.append((subj, ent, "title-copula"))
        for person_tok, rule_p in persons:
            for org_tok, org, rule_o in orgs:
                rule = rule_p if rule_p in ("title-copula",) else rule_o
                if rule_o == "title-party-body":  # "ANC caucus leader X" leads the caucus, not the ANC
                    self._add_tokens(found, index, person_tok[0], "memberOf", org_tok, title, rule_o, obj=org)
                    continue
                if rule_p == "title-copula" and not is_asserted(person_tok[1]):
                    continue
                self._add_tokens(found, index, person_tok[0], predicate, org_tok, title, rule, obj=org)
                if low == "founder" and index.types.get(org[0]) == "PoliticalParty":
                    self._add_tokens(found, index, person_tok[0], "leads", org_tok, title, "founder", obj=org)

    def _title_persons(self, title: Token, index: _Index) -> list[tuple[tuple[Token, Token], str]]:
        """Tokens of the person a title noun is about, with the link kind."""
        out = []
        head = title.head
        # "OSDP leader Askhat Rakhimzhanov", "Party Chairman Azat Peruashev"
        if title.dep_ in ("compound", "nmod", "amod") and head.i > title.i and index.entity(head):
            out.append(((head, title), "title-compound"))
        # parser slip "named [Anna Ivanova] leader": a person compound before the title
        for child in title.lefts:
            if child.dep_ == "compound" and child.i in index.at and index.types.get(index.at[child.i][0]) == "Person":
                if title.dep_ in ("oprd", "attr", "dobj"):
                    out.append(((child, title.head), "title-copula"))
        # "X, the leader of Y" / "the leader of Y, X"
        if title.dep_ == "appos" and index.entity(head):
            out.append(((head, title), "title-appos"))
        elif title.dep_ in ("appos", "conj") and head.pos_ == "NOUN" and index.entity(_relative_antecedent(head)):
            # "X was an American sociologist, the first president of Y": a description of a
            # description of X is about X
            owner = _relative_antecedent(head)
            if owner.i != head.i and is_asserted(owner.head):
                out.append(((owner, owner.head), "title-appos"))
        for child in _children(title, "appos"):
            if index.entity(child):
                out.append(((child, title), "title-appos"))
        # "X is/was/became a member of Y", "X was elected chairman of Y", "X served as head of Y"
        verb = None
        if title.dep_ in ("attr", "oprd", "acomp") and head.lemma_.lower() in _COPULAS:
            verb = head
        elif title.dep_ == "pobj" and head.lower_ == "as" and head.head.lemma_.lower() in _COPULAS | _AS_VERBS:
            verb = head.head
        elif title.dep_ == "conj":
            # "a lawmaker and member of Y" shares the copula of its first conjunct
            first = title.head
            if first.dep_ in ("attr", "oprd") and first.head.lemma_.lower() in _COPULAS:
                verb = first.head
            elif first.pos_ in ("VERB", "AUX") and first.lemma_.lower() in _COPULAS and any(
                    c.dep_ in ("attr", "oprd") for c in first.children):
                # "X was elected in 1966 a corresponding member and in 1990 a full member of
                # Y": the parser makes the gapped second title a conjunct of the verb
                verb = first
        if title.dep_ == "nsubj" and head.lemma_.lower() == "be":
            for attr in _children(head, "attr"):
                if index.entity(attr) and index.types.get(index.entity(attr)[0]) == "Person" and is_asserted(head):
                    out.append(((attr, head), "title-appos"))
        if verb is not None:
            # "Y elected X (as) chairwoman": in the active voice of a naming verb the person is
            # the object, not the subject
            objects = [c for c in verb.children if c.dep_ == "dobj"] if verb.lemma_.lower() in _NAMING_VERBS else []
            person = objects[0] if objects else _subject(verb)
            if person is not None and index.entity(person):
                out.append(((person, verb), "title-copula"))
            if verb.lemma_.lower() in ("succeed", "replace") and title.dep_ == "pobj":
                # "X succeeded Z as leader of Y": Z held the post before X
                for before in _children(verb, "dobj"):
                    if index.entity(before):
                        out.append(((before, verb), "title-copula"))
        # "X maintains key positions, including head of Y", "X took over as chairman of Y":
        # a title in the object of a holding verb belongs to that verb's subject
        if not out:
            token = title
            for _ in range(5):
                if token.dep_ not in ("pobj", "prep", "dobj", "appos", "conj", "attr", "oprd") or token.head.i == token.i:
                    break
                token = token.head
                if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in _HOLDING_VERBS:
                    subj = _subject(token)
                    if subj is not None and index.entity(subj) and is_asserted(token):
                        out.append(((subj, token), "title-copula"))
                    break
        # "Aq Zhol member and lawmaker Berik Duisenbinov": a run of titles before a name
        if not out:
            doc = title.doc
            j = title.i + 1
            while j < len(doc) and (doc[j].lower_ in LEAD_TITLES | MEMBER_TITLES | {"and", ","}) and doc[j].i not in index.at:
                j += 1
            if j < len(doc) and j > title.i and j - title.i <= 4 and index.entity(doc[j]) and index.types.get(index.entity(doc[j])[0]) == "Person":
                out.append(((doc[j], title), "title-sequence"))
            elif title.i + 1 < len(doc) and index.entity(doc[title.i + 1]) and index.types.get(index.entity(doc[title.i + 1])[0]) == "Person":
                out.append(((doc[title.i + 1], title), "title-sequence"))
        return out

    def _title_orgs(self, title: Token, index: _Index) -> list[tuple[Token, tuple[int, bool], str]]:
        """The organization a title noun is of, with the link kind."""
        out = []
        for child in title.lefts:
            if child.dep_ == "poss" and child.lower_ == "whose":
                # "Y, whose leader X was arrested": "whose" is the relative clause's antecedent
                clause = title.head
                while clause.dep_ not in ("relcl", "ROOT") and clause.head.i != clause.i:
                    clause = clause.head
                if clause.dep_ == "relcl" and index.entity(clause.head):
                    out.append((clause.head, index.entity(clause.head), "title-possessive"))
                continue
            if child.dep_ in ("compound", "nmod", "amod") and child.i in index.at:
                if index.types.get(index.at[child.i][0]) in _ORG:
                    # "Y caucus leader X": a body of Y between the name and the title
                    between = {t.lower_ for t in title.doc[child.i + 1:title.i]}
                    body = index.types.get(index.at[child.i][0]) == "PoliticalParty" and between & (_PARTY_BODY_WORDS - {"parliamentary"})
                    out.append((child, index.at[child.i], "title-party-body" if body else "title-compound"))
            elif child.dep_ == "poss" and index.entity(child):
                out.append((child, index.entity(child), "title-possessive"))
        objs = list(_pobj(title, "of", "in", "for", "from"))
        # "a member of the A (since 2008) and of the B": the second "of" is a conjunct of the
        # first, or the parser hangs it on the copula
        for prep in [p for p in title.children if p.dep_ == "prep" and p.lower_ == "of"] + (
                [title.head] if title.dep_ in ("attr", "oprd") else []):
            for other in _children(prep, "conj"):
                if other.lower_ == "of":
                    objs.extend(o for o in _children(other, "pobj"))
        for obj in objs:
            if obj.head.lower_ != "of" and title.lemma_.lower() not in MEMBER_TITLES | PARTY_MEMBER_TITLES:
                continue  # "head of Y" only; "the leader in Y" is not headship
            ent = index.entity(obj)
            if ent is not None and obj.head.lower_ in ("from", "in") and index.types.get(ent[0]) != "PoliticalParty":
                continue  # "a politician from Pecs", "a deputy in the Rada": a place or a seat
            if ent is not None:
                out.append((obj, ent, "title-of"))
                # "a member of the A, the B and the C": the parser makes B an apposition
                for appos in _children(obj, "appos"):
                    for item in _conjuncts(appos):
                        other = index.entity(item)
                        if other is not None and other != ent:
                            out.append((item, other, "title-of"))
        # "Y's founder and chairman X": a title coordinated with another shares its organization
        # (the parser may also make the second title a compound of the name: "[chairman X]" conj)
        first = title.head if title.dep_ == "conj" else (
            title.head.head if title.dep_ == "compound" and title.head.dep_ == "conj" else None)
        if not out and first is not None and first.pos_ in ("NOUN", "PROPN") and (
                first.lower_ in LEAD_TITLES | MEMBER_TITLES or first.lemma_.lower() in MEMBER_TITLES):
            out.extend((tok, ent, rule) for tok, ent, rule in self._title_orgs(first, index) if rule != "title-of")
        # "the lead vocalist and composer of Y": the "of" of a coordinated role noun is the
        # title's too (the parser attaches it to the last conjunct); not so when the conjunct
        # has its own determiner ("the singer and a fan of Y")
        if not out:
            for conj in _children(title, "conj"):
                if conj.pos_ == "NOUN" and not index.entity(conj) and not any(c.dep_ in ("det", "poss") for c in conj.children):
                    for obj in _pobj(conj, "of"):
                        ent = index.entity(obj)
                        if ent is not None and index.types.get(ent[0]) in _ORG:
                            out.append((obj, ent, "title-of"))
        # "head of X and the Y party": a conjunct of the title that names an organization is a
        # second object of the same "of" (the parser attaches it to the title)
        if any(rule == "title-of" for _, _, rule in out):
            for conj in _children(title, "conj"):
                ent = index.entity(conj)
                if ent is not None:
                    out.append((conj, ent, "title-of"))
        doc = title.doc
        # "Aq Zhol member and lawmaker X": the organization before the first title of a run
        if not out:
            j = title.i - 1
            while j >= 0 and doc[j].lower_ in LEAD_TITLES | MEMBER_TITLES | {"and", ","} and j not in index.at:
                j -= 1
            # "ANC parliamentary caucus spokesman X": a body of the party between it and the
            # title (X serves in the party's caucus: a member, whatever the title)
            body = j
            while body >= 0 and doc[body].lower_ in _PARTY_BODY_WORDS and body not in index.at and body > j - 3:
                body -= 1
            if body < j and body >= 0 and body in index.at and index.types.get(index.at[body][0]) == "PoliticalParty" \
                    and doc[j].lower_ in _PARTY_BODY_WORDS - {"parliamentary"} and doc[body].dep_ in ("compound", "nmod", "amod"):
                out.append((doc[body], index.at[body], "title-party-body"))
                return out
            if j >= 0 and j < title.i - 0 and j in index.at and doc[j].dep_ in ("compound", "nmod", "nsubj", "amod"):
                ent = index.at[j]
                if index.types.get(ent[0]) in _ORG and (j == title.i - 1 or doc[j + 1].lower_ in LEAD_TITLES | MEMBER_TITLES):
                    out.append((doc[j], ent, "title-sequence"))
        return out

    def _person_of(self, person: Token, index: _Index, found) -> None:
        """Membership stated around a person's name:

        - "Serikbai Alibaev, of the Aul Party, says" / "X of the band Y": an "of"-phrase after
          a name gives the person's party or group (not any organization: "X of RFE/RL" is an
          employee);
        - "Janne Johnsen (Conservative Party)": a party in brackets after a name;
        - "fellow Democrat Sidney Yates", "Labour MP" handled by titles: a party word before a name.
        """
        doc = person.doc
        # "Paul Smith and Rob Jones of the band Y": the "of" of the last conjunct is everyone's
        last = person
        while True:
            nxt = next((c for c in last.children if c.dep_ == "conj" and c.i in index.root), None)
            if nxt is None or nxt.i > last.i + 6:
                break
            last = nxt
        # (not from a pronoun: "him and X of the band Y" says nothing of "him", whichever
        # of the two the parser hangs the "of" on)
        for obj in _pobj(last, "of", "from") if person.pos_ != "PRON" else ():
            ent = index.entity(obj)
            if ent is None and obj.lower_ in _GROUP_NOUNS:
                ent = next((index.at[c.i] for c in obj.children if c.dep_ in ("appos", "compound") and c.i in index.at), None)
                if ent is None and obj.i + 1 < len(doc) and obj.i + 1 in index.at:
                    ent = index.at[obj.i + 1]  # "the rock group Y" with Y left unattached by the parser
            # "of the rock band Y": a group noun before the name says it is a group
            grouped = obj.lower_ in _GROUP_NOUNS or any(
                c.dep_ in ("compound", "amod", "nmod") and c.lower_ in _GROUP_NOUNS and c.pos_ == "NOUN" for c in obj.lefts
            ) or (obj.tag_ == "NNPS" and (not obj.ent_type_ or (  # "of the Supremes": a band or a team
                obj.ent_type_ == "ORG" and index.bounds.get(obj.i) == (obj.i, obj.i + 1))))  # (not "of the United Nations")
            if ent is not None and (index.types.get(ent[0]) == "PoliticalParty" or grouped):
                self._add_tokens(found, index, person, "memberOf", obj, obj.head, "person-of-party", obj=ent)
        if person.i + 2 < len(doc) and doc[person.i + 1].text == "(":
            inner = doc[person.i + 2]
            ent = index.at.get(inner.i)
            if ent is not None and index.types.get(ent[0]) == "PoliticalParty":
                self._add_tokens(found, index, person, "memberOf", inner, doc[person.i + 1], "person-parenthesis")
        for child in person.lefts:
            # "Labour's Keir Starmer": a party as the possessor of a person
            if child.dep_ == "poss" and child.i in index.at:
                ent = index.at[child.i]
                if index.types.get(ent[0]) == "PoliticalParty" and ent != index.at.get(person.i):
                    self._add_tokens(found, index, person, "memberOf", child, child, "person-party-modifier")
                continue
            if child.dep_ in ("compound", "amod", "nmod") and child.i in index.at:
                ent = index.at[child.i]
                if index.types.get(ent[0]) == "PoliticalParty" and ent != index.at.get(person.i):
                    self._add_tokens(found, index, person, "memberOf", child, child, "person-party-modifier")
        # "elected as a Whig", "ran as a Democrat"
        if person.dep_ in ("nsubj", "nsubjpass"):
            for obj in _pobj(person.head, "as"):
                ent = index.at.get(obj.i)
                if ent is not None and index.types.get(ent[0]) == "PoliticalParty" and is_asserted(person.head):
                    self._add_tokens(found, index, person, "memberOf", obj, obj.head, "person-as-party")

    def _leaders_are_members(self, index: _Index, found, rules: tuple[str, ...] | None = None) -> None:
        """The leader of a party is one of its members (not so for an organization: the head
        of a council or a company need not be "a member" of it). ``rules`` limits this to
        leaderships stated by those rules: "Labour leader X" names X by the party's own label,
        the way a member is named, so that membership is stated, not only implied."""
        for key, rel in list(found.items()):
            if rel["predicate"] != "leads" or index.types.get(rel["object"]) != "PoliticalParty":
                continue
            if rules is not None and rel["rule"] not in rules:
                continue
            member_key = (rel["subject"], "memberOf", rel["object"], key[3])
            if member_key in found:
                continue
            confidence = round(min(rel["confidence"], _CONFIDENCE["leader-member"]), 3)
            if confidence >= self.min_confidence:
                found[member_key] = {**rel, "predicate": "memberOf", "rule": "leader-member", "confidence": confidence}

    def _part_of(self, part: Token, index: _Index, found) -> None:
        """"X was (a) part of Y", "X became part of the band Y": a person part of a group."""
        verb = part.head
        if verb.lemma_.lower() not in ("be", "become", "remain") or not is_asserted(verb):
            return
        subj = _subject(verb)
        for obj in _pobj(part, "of"):
            ent = index.entity(obj)
            if ent is None and obj.lower_ in _GROUP_NOUNS:
                ent = next((index.at[c.i] for c in obj.children if c.dep_ in ("appos", "compound") and c.i in index.at), None)
            if ent is not None:
                self._add_tokens(found, index, subj, "memberOf", obj, part, "part-of", obj=ent)

    def _own_group(self, noun: Token, index: _Index, found) -> None:
        """"his party, Nur Otan", "her band, the Miami Sound Machine", "X's party": the group a
        person calls theirs is one they belong to."""
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None or owner.lower_ in ("its", "their", "our", "my", "your"):
            return
        if noun.sent.text.rstrip().endswith("?") or any(c.lower_ in ("former", "ex", "new", "future") for c in noun.lefts):
            return  # "his new party" may not exist yet; "his former party" is fine but ambiguous
        ent = index.entity(noun)
        if ent is None:
            ent = next((index.at[c.i] for c in noun.children if c.dep_ == "appos" and c.i in index.at), None)
        if ent is None or index.types.get(ent[0]) not in _ORG:
            return
        self._add_tokens(found, index, owner, "memberOf", noun, noun, "own-group", obj=ent)

    def _left(self, verb: Token, index: _Index, found) -> None:
        """"X left / quit Y" (a party, a band): X was a member of Y."""
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        # a party, or a group the sentence calls one ("left the band"): one leaves a post or
        # an employer too, and that is not a membership
        grouped = any(t.lower_ in _GROUP_NOUNS - {"party"} for t in verb.sent)
        for obj in _children(verb, "dobj"):
            ent = index.entity(obj)
            if ent is not None and (index.types.get(ent[0]) == "PoliticalParty" or (
                    grouped and index.types.get(ent[0]) == "Organization")):
                self._add_tokens(found, index, subj, "memberOf", obj, verb, "left")

    def _party_apposition(self, party: Token, index: _Index, found) -> None:
        """"Smith, a Democrat, said" / "A Republican, he has served since 2014": a party's
        member noun in apposition to a person, or before the clause whose subject is one."""
        if not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in party.children):
            return
        if party.sent.text.rstrip().endswith("?"):
            return
        head = party.head
        if party.dep_ == "appos" and head.i in index.root:
            self._add_tokens(found, index, head, "memberOf", party, party, "party-apposition")
        elif party.dep_ in ("npadvmod", "dep", "advcl", "advmod", "nsubj") and head.pos_ in ("VERB", "AUX"):
            # (the parser may make the fronted "A Republican," a second subject)
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > party.i), None)
            if subj is not None and subj.i > party.i and is_asserted(head):
                self._add_tokens(found, index, subj, "memberOf", party, party, "party-apposition")

    def _nomination(self, noun: Token, index: _Index, found) -> None:
        """"X sought / won / lost the Y nomination", "X ran on the Y ticket"."""
        parties = [c for c in noun.lefts if c.dep_ in ("compound", "amod", "nmod", "poss") and c.i in index.at
                   and index.types.get(index.at[c.i][0]) == "PoliticalParty"]
        parties += [o for o in _pobj(noun, "of") if o.i in index.at and index.types.get(index.at[o.i][0]) == "PoliticalParty"]
        if not parties:
            return
        verb = None
        if noun.dep_ in ("dobj", "nsubjpass") and noun.head.lemma_.lower() in _NOMINATION_VERBS:
            verb = noun.head
        elif noun.dep_ == "pobj" and noun.head.lower_ in ("on", "for", "in") and noun.head.head.pos_ in ("VERB", "AUX"):
            verb = noun.head.head  # "elected on the Y ticket", "ran in the Y primary"
            if noun.head.lower_ in ("for", "in") and verb.lemma_.lower() not in ("run", "stand", "campaign", "compete"):
                return
        if verb is None or not is_asserted(verb):
            return
        subj = _subject(verb)
        if subj is None:
            return
        for party in parties:
            self._add_tokens(found, index, subj, "memberOf", party, noun, "nomination")

    def _founded(self, verb: Token, index: _Index, found) -> None:
        """"X founded / formed Y (with Z)", "Y was formed by X and Z": founders are members."""
        if not is_asserted(verb):
            return
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN")  # "a band formed in 1962 by X"
        if passive:
            groups = [c for c in verb.children if c.dep_ == "nsubjpass"] or (
                [verb.head] if verb.dep_ in ("acl", "relcl") else [])
            persons = list(_pobj(verb, "by"))
            persons += [w for p in persons for w in _pobj(p, "with")]  # "formed by X with Y and Z"
        else:
            subj = _subject(verb)
            groups = [o for obj in _children(verb, "dobj") for o in _conjuncts(obj)]
            persons = ([subj] if subj is not None else []) + list(_pobj(verb, "with"))
        # a party, or a group the sentence calls one (a band, a club): who founds an agency,
        # a company or a council is not thereby its member
        grouped = any(t.lower_ in _GROUPISH for t in verb.sent)
        for group in groups:
            ent = index.entity(group)
            if ent is None and group.lower_ in _GROUP_NOUNS:  # "formed the band Y"
                ent = next((index.at[c.i] for c in group.children if c.dep_ == "appos" and c.i in index.at), None)
            if ent is None and group.lower_ in _GROUP_NOUNS:  # "Y is a band formed by X"
                ent = index.entity(_relative_antecedent(group))
            if ent is None or not (index.types.get(ent[0]) == "PoliticalParty" or grouped):
                continue
            # the founder of a party is taken to lead it (founders of parties usually do; the
            # gold treats it as implied), at a lower confidence
            founder_leads = index.types.get(ent[0]) == "PoliticalParty" and verb.lemma_.lower() in _FOUNDER_VERBS
            for person in persons:
                self._add_tokens(found, index, person, "memberOf", group, verb, "founded", obj=ent)
                helper = not passive and person.dep_ == "pobj"  # "X founded Y with Z": X leads
                if founder_leads and not helper:
                    self._add_tokens(found, index, person, "leads", group, verb, "founder", obj=ent)

    def _consists(self, verb: Token, index: _Index, found) -> None:
        """"Y consists of X, Z and W", "an ensemble (Y) consisting of X and Z": the people a
        group is made of are its members."""
        if not is_asserted(verb):
            return
        group = verb.head if verb.dep_ in ("acl", "relcl") else _subject(verb)
        if group is None:
            return
        ent = index.entity(group)
        if ent is None and group.lower_ in _GROUP_NOUNS | {"ensemble", "lineup", "line-up"}:
            ent = index.entity(_relative_antecedent(group))
        if ent is None:
            return
        people = list(_pobj(verb, "of"))
        # "consisting of A, B, C and D": the parser may make B an apposition of A and C, D its
        # conjuncts (a list, not a description: only names are taken)
        for person in list(people):
            for appos in _children(person, "appos"):
                people.extend(item for item in _conjuncts(appos) if item.pos_ == "PROPN")
        for person in people:
            self._add_tokens(found, index, person, "memberOf", group, verb, "part-of", obj=ent)

    def _admitted(self, verb: Token, index: _Index, found) -> None:
        """"X was elected / admitted to the Y (committee, academy, club)": membership of a body
        (a legislature's seat is not: "elected to parliament")."""
        if not is_asserted(verb):
            return
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if not passive and verb.lemma_.lower() in _RECRUITING_VERBS and not list(_pobj(verb, "to")):
            # "the band recruited singer X", "Y was formed by A, later recruiting B": a group
            # that takes someone in makes them a member
            group = _subject(verb)
            ent = index.group(group) if group is not None else None
            if ent is not None and index.types.get(ent[0]) in _ORG:
                for obj in _children(verb, "dobj"):
                    for person in _conjuncts(obj):
                        self._add_tokens(found, index, person, "memberOf", group, verb, "admitted", obj=ent)
            return
        persons = [c for c in verb.children if c.dep_ == "nsubjpass"] if passive else list(_children(verb, "dobj"))
        if not persons and passive and verb.dep_ in ("acl", "relcl"):
            persons = [verb.head]
        if not persons and passive:
            subj = _subject(verb)
            persons = [subj] if subj is not None else []
        for obj in _pobj(verb, "to"):
            ent = index.entity(obj)
            if ent is None:
                continue
            start, end = index.bounds.get(obj.i, (obj.i, obj.i + 1))
            words = {t.lower_ for t in obj.doc[start:end]}
            if words & _NOT_MEMBERSHIP_BODIES:
                continue
            for person in persons:
                for p in _conjuncts(person):
                    self._add_tokens(found, index, p, "memberOf", obj, verb, "admitted")

    def _under(self, prep: Token, index: _Index, found) -> None:
        """"deputy leader of Y under X", "the party under X", "Y, under the leadership of X,
        won": the one under whom a group acts leads it."""
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if not objs:
            return
        obj = objs[0]
        if obj.lower_ in _LEADERSHIP_NOUNS:
            people = [c for c in obj.children if c.dep_ == "poss"] + list(_pobj(obj, "of"))
        else:
            people = [obj]
        people = [p for p in people if p.i in index.at and index.types.get(index.at[p.i][0]) == "Person"]
        if not people:
            return
        head = prep.head
        clause = next((t for t in head.ancestors if t.pos_ in ("VERB", "AUX")), None)
        if head.pos_ in ("NOUN", "PROPN") and clause is not None and not is_asserted(clause):
            return  # "she could become deputy leader under X"
        orgs: list[tuple[Token, tuple[int, bool]]] = []
        if head.pos_ in ("NOUN", "PROPN") and (head.lower_ in LEAD_TITLES | MEMBER_TITLES or head.lemma_.lower() in MEMBER_TITLES):
            orgs = [(tok, ent) for tok, ent, _rule in self._title_orgs(head, index)]
        elif head.pos_ in ("NOUN", "PROPN"):
            ent = index.entity(head)
            if ent is not None:
                orgs = [(head, ent)]
        elif head.pos_ in ("VERB", "AUX") and is_asserted(head):
            # "Under X, the party won": a party acts under its leader (a parliament or a
            # ministry acting "under" a president is not led by them in the party sense)
            subj = _subject(head)
            ent = index.entity(subj) if subj is not None else None
            if ent is not None and index.types.get(ent[0]) == "PoliticalParty":
                orgs = [(subj, ent)]
        for person in people:
            for tok, ent in orgs:
                self._add_tokens(found, index, person, "leads", tok, prep, "under-leader", obj=ent)

    # -- verbs -------------------------------------------------------------------------------
    def _take_over(self, verb: Token, index: _Index, found) -> None:
        """"X took over (the leadership of) Y": X leads Y (a party or an organization; "took
        over the ministry" too, as its head)."""
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        for obj in _children(verb, "dobj"):
            targets = list(_pobj(obj, "of")) if obj.lower_ in _LEADERSHIP_NOUNS else [obj]
            for target in targets:
                ent = index.entity(target)
                if ent is not None and index.types.get(ent[0]) == "PoliticalParty":
                    self._add_tokens(found, index, subj, "leads", target, verb, "verb-active")

    def _lead_verb(self, verb: Token, index: _Index, found) -> None:
        if verb.lemma_.lower() == "run" and not any(c.dep_ == "dobj" for c in verb.children):
            return
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or verb.dep_ == "acl"
        if not is_asserted(verb):
            return
        if passive:
            agents = list(_pobj(verb, "by"))
            if verb.dep_ in ("acl", "relcl") or (verb.dep_ == "amod"):
                targets = [verb.head]
                rule = "verb-participle"
            else:
                targets = [c for c in verb.children if c.dep_ == "nsubjpass"]
                rule = "verb-passive"
            for agent in agents:
                for target in targets:
                    for t in _conjuncts(target):
                        self._add_tokens(found, index, agent, "leads", t, verb, rule)
            return
        subj = _subject(verb)
        for obj in _children(verb, "dobj"):
            for o in _conjuncts(obj):
                self._add_tokens(found, index, subj, "leads", o, verb, "verb-active")

    def _join(self, verb: Token, index: _Index, found) -> None:
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        for obj in _children(verb, "dobj"):
            for o in _conjuncts(obj):
                self._add_tokens(found, index, subj, "memberOf", o, verb, "join")

    def _defect(self, verb: Token, index: _Index, found) -> None:
        # "X defected to Y", "X switched to Y", "X belongs to Y"
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        for obj in _pobj(verb, "to"):
            self._add_tokens(found, index, subj, "memberOf", obj, verb, "join")

    def _represents(self, verb: Token, index: _Index, found) -> None:
        # "X represents the Liberal Party in parliament": a party's representative is its member
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        for obj in _children(verb, "dobj"):
            ent = index.entity(obj)
            if ent is not None and index.types.get(ent[0]) == "PoliticalParty":
                self._add_tokens(found, index, subj, "memberOf", obj, verb, "join")

    def _plays_for(self, verb: Token, index: _Index, found) -> None:
        # "X played for Y", "X signed for/with Y": a member of a team or a label
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        lemma = verb.lemma_.lower()
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if lemma in ("trade", "loan"):
            # "X was traded / loaned to Y": a player moved to a team
            for obj in _pobj(verb, "to") if passive else ():
                self._add_tokens(found, index, subj, "memberOf", obj, verb, "join")
            return
        objs = list(_pobj(verb, "for", "with") if lemma == "sign" else _pobj(verb, "for"))
        if lemma == "sign" and passive:
            objs += list(_pobj(verb, "by"))  # "X was signed by Y"
        if verb.lemma_.lower() == "play":
            # "played 40 games / two seasons for Y": the "for" phrase often hangs on the object
            # (or on its role: "plays as a defender for Y")
            for dobj in list(_children(verb, "dobj")) + list(_pobj(verb, "as")):
                objs.extend(_pobj(dobj, "for"))
        for obj in objs:
            self._add_tokens(found, index, subj, "memberOf", obj, verb, "join")

    def _expel(self, verb: Token, index: _Index, found) -> None:
        if not is_asserted(verb):
            return
        lemma = verb.lemma_.lower()
        if lemma in ("kick", "remove", "dismiss", "throw") and not list(_pobj(verb, "from", "of", "out")) and not any(c.lower_ == "out" for c in verb.children):
            return  # "removed from the party" yes; "dismissed the claim" no
        if any(prep.lower_ == "as" for prep in verb.children if prep.dep_ == "prep"):
            return  # "ousted / removed X as leader": out of a post, not out of the party
        if lemma == "strip":
            # "Y stripped X of (his party) membership": only membership, not a mandate or a title
            memberships = [o for o in _pobj(verb, "of") if o.lower_ == "membership"]
            if not memberships:
                return
            subj = _subject(verb)
            for person in [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]:
                org = subj if person.dep_ == "dobj" else next(iter(_pobj(verb, "by")), None)
                if org is None:  # "X was stripped of her Y membership"
                    org = next((c for c in memberships[0].lefts if c.dep_ in ("compound", "nmod") and c.i in index.at), None)
                self._add_tokens(found, index, person, "expelledFrom", org, verb, "expel-active")
            return
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN")
        sources = list(_pobj(verb, "from", "of"))
        for particle in verb.children:  # "kicked out of Y"
            if particle.lower_ == "out":
                sources.extend(_pobj(particle, "of"))
        if passive:
            persons = [c for c in verb.children if c.dep_ == "nsubjpass"]
            # "X, who was expelled from Y": the relative pronoun stands for X
            persons = [verb.head if p.lower_ in _RELATIVE and verb.dep_ == "relcl" else p for p in persons]
            if not persons and verb.dep_ in ("acl", "relcl"):
                persons = [verb.head]  # "X, expelled from Y in 2019, ..."
            orgs = sources + list(_pobj(verb, "by"))
            for p in persons:
                for o in orgs:
                    self._add_tokens(found, index, p, "expelledFrom", o, verb, "expel-passive",
                                     obj=index.group(o))
            return
        subj = _subject(verb)
        persons = [o for obj in _children(verb, "dobj") for o in _conjuncts(obj)]
        orgs = [s for s in sources if s.lower_ not in ("ranks", "ranks")]
        if any(s.lower_ == "ranks" for s in sources) or not orgs:
            orgs = orgs + ([subj] if subj is not None else [])
        for p in persons:
            for o in orgs:
                # "the party's board voted to expel X": the board acts for its party
                self._add_tokens(found, index, p, "expelledFrom", o, verb, "expel-active", obj=index.group(o))

    def _membership_revoked(self, verb: Token, index: _Index, found) -> None:
        """"Y revoked X's membership", "Y cancelled the membership of X", "X's membership in Y
        was revoked": an expulsion ("suspended" is not: a suspension can be lifted)."""
        if not is_asserted(verb):
            return
        memberships = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and c.lower_ == "membership"]
        for membership in memberships:
            persons = [c for c in membership.children if c.dep_ == "poss"] + list(_pobj(membership, "of"))
            orgs = [c for c in membership.lefts if c.dep_ in ("compound", "nmod") and c.i in index.at]
            orgs += list(_pobj(membership, "in"))
            if membership.dep_ == "dobj" or not orgs:
                subj = _subject(verb) if membership.dep_ == "dobj" else next(iter(_pobj(verb, "by")), None)
                if subj is not None:
                    orgs.append(subj)
            for person in persons:
                for org in orgs:
                    self._add_tokens(found, index, person, "expelledFrom", org, verb, "expel-active", obj=index.group(org))

    def _expulsion_noun(self, noun: Token, index: _Index, found) -> None:
        # "X's expulsion from Y", "the expulsion of X from Y" (announced, confirmed: facts;
        # "a possible expulsion", "called for the expulsion": not)
        if any(c.lower_ in _UNREALISED for c in noun.children) or not is_asserted(noun):
            return
        persons = [c for c in noun.children if c.dep_ == "poss"] + list(_pobj(noun, "of"))
        orgs = list(_pobj(noun, "from"))
        if not orgs and noun.dep_ == "dobj" and noun.head.lemma_.lower() in _ANNOUNCING_VERBS and is_asserted(noun.head):
            # "Y announced / confirmed the expulsion of X": Y expelled X
            subj = _subject(noun.head)
            orgs = [subj] if subj is not None else []
        for person in persons:
            for org in orgs:
                self._add_tokens(found, index, person, "expelledFrom", org, noun, "expel-active", obj=index.group(org))

    def _boycott_verb(self, verb: Token, index: _Index, found) -> None:
        if not is_asserted(verb):
            return
        agents = list(_pobj(verb, "by"))
        if agents:  # "the election was boycotted by Y", "the election, boycotted by Y"
            targets = [c for c in verb.children if c.dep_ == "nsubjpass"] or (
                [verb.head] if verb.dep_ in ("acl", "relcl", "amod") else []
            )
            for agent in agents:
                for target in targets:
                    self._add_tokens(found, index, agent, "boycotted", target, verb, "boycott-verb",
                                     subj=index.group(agent))
            return
        subj = _subject(verb)
        subj_ent = index.group(subj) if subj is not None else None
        for obj in _children(verb, "dobj"):
            for o in _conjuncts(obj):
                self._add_tokens(found, index, subj, "boycotted", o, verb, "boycott-verb", subj=subj_ent)

    def _boycott_noun(self, noun: Token, index: _Index, found) -> None:
        if any(c.lower_ in _UNREALISED for c in noun.children):
            return  # "a planned boycott", "the threatened boycott"
        # "Y's boycott of the 2019 election" states that Y boycotted it
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is not None and owner.lower_ not in ("its", "their", "his", "her") or (
            owner is not None and owner.i in index.at
        ):
            if is_asserted(noun):
                for obj in _pobj(noun, "of"):
                    self._add_tokens(found, index, owner, "boycotted", obj, noun, "boycott-noun",
                                     subj=index.group(owner))
            return
        # "announced/declared a boycott of the poll": the announcing verb is the assertion
        verb = noun.head
        agents = list(_pobj(noun, "by"))
        if agents and is_asserted(noun):  # "the boycott of the election by Y"
            for obj in _pobj(noun, "of"):
                for agent in agents:
                    self._add_tokens(found, index, agent, "boycotted", obj, noun, "boycott-noun", subj=index.group(agent))
            return
        # "called a boycott" declares one; "called for a boycott" only asks for one
        if noun.dep_ not in ("dobj", "nsubjpass") or verb.lemma_.lower() not in ("announce", "declare", "launch", "stage", "begin", "start", "hold", "mount", "organize", "organise", "confirm", "call", "join", "lead"):
            return
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        subj_ent = index.group(subj) if subj is not None else None
        for obj in _pobj(noun, "of", "on"):
            self._add_tokens(found, index, subj, "boycotted", obj, noun, "boycott-noun", subj=subj_ent)

    def _sit_out(self, verb: Token, index: _Index, found) -> None:
        # "Y sat out the election", "Y stayed out of the elections"
        away = any(c.lower_ == "away" for c in verb.children)  # "Y stayed away from the election"
        if not away and not any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children) and not any(
            c.lower_ == "out" for c in verb.children
        ):
            return
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        objs = list(_children(verb, "dobj")) + [o for c in verb.children if c.lower_ in ("out", "away") for o in _pobj(c, "of", "from")]
        objs += list(_pobj(verb, "of", "from"))
        for obj in objs:
            self._add_tokens(found, index, subj, "boycotted", obj, verb, "boycott-nonparticipation", subj=index.group(subj) if subj is not None else None)

    def _withdraw(self, verb: Token, index: _Index, found) -> None:
        # "Y withdrew from the elections", "Y pulled out of the vote": leaving a race is a
        # boycott as far as the race is concerned (a lower confidence than "boycott" itself)
        if verb.lemma_.lower() == "pull" and not any(c.lower_ == "out" for c in verb.children):
            return
        if not is_asserted(verb):
            return
        subj = _subject(verb)
        objs = list(_pobj(verb, "from")) + [o for c in verb.children if c.lower_ == "out" for o in _pobj(c, "of")]
        objs += list(_pobj(verb, "of"))
        for obj in objs:
            self._add_tokens(found, index, subj, "boycotted", obj, verb, "boycott-withdrawal", subj=index.group(subj) if subj is not None else None)

    def _did_not_participate(self, verb: Token, index: _Index, found) -> None:
        """"Y did not take part in / field candidates in the election": a stated (past)
        non-participation; "will not take part" is a future and stays silent."""
        if not any(c.dep_ == "neg" for c in verb.children):
            return
        if not any(c.dep_ == "aux" and c.lemma_.lower() in ("do", "have") for c in verb.children):
            return
        if not is_asserted(verb, negation_expected=True):
            return
        lemma = verb.lemma_.lower()
        if lemma == "take" and not any(c.lower_ == "part" for c in verb.children):
            return
        if lemma == "field" and not any(c.dep_ == "dobj" and c.lemma_.lower() in ("candidate", "list", "slate") for c in verb.children):
            return
        objs = list(_pobj(verb, "in")) + [o for c in verb.children if c.lower_ in ("part", "candidates") for o in _pobj(c, "in")]
        if lemma == "contest":
            objs += list(_children(verb, "dobj"))
        subj = _subject(verb)
        subj_ent = index.group(subj) if subj is not None else None
        # a party staying out is a boycott; a person not running is only not a candidate
        if subj_ent is None or index.types.get(subj_ent[0]) not in _ORG:
            return
        for obj in objs:
            self._add_tokens(found, index, subj, "boycotted", obj, verb, "boycott-abstention", subj=subj_ent)

    def _nonparticipation(self, verb: Token, index: _Index, found) -> None:
        # "decided/chose/opted not to participate in the elections"
        if verb.dep_ != "xcomp" or verb.head.lemma_.lower() not in ("decide", "choose", "opt", "vote", "resolve", "refuse", "decline"):
            self._did_not_participate(verb, index, found)
            return
        refused = verb.head.lemma_.lower() in ("refuse", "decline")
        if not refused and not any(c.dep_ == "neg" for c in verb.children):
            return
        if refused and any(c.dep_ == "neg" for c in verb.children):
            return
        if refused:
            if not is_asserted(verb.head):  # "refused to take part" counts when the refusal does
                return
        elif not is_asserted(verb, negation_expected=True):
            return
        lemma = verb.lemma_.lower()
        preps = ("in", "for") if lemma == "register" else ("in",) if lemma != "contest" else ()
        objs = list(_pobj(verb, *preps)) if preps else list(_children(verb, "dobj"))
        if lemma == "take":  # "take part in"
            if not any(c.lower_ == "part" for c in verb.children):
                return
            objs = list(_pobj(verb, "in")) + [o for c in verb.children if c.lower_ == "part" for o in _pobj(c, "in")]
        subj = _subject(verb)
        subj_ent = index.group(subj) if subj is not None else None
        for obj in objs:
            self._add_tokens(found, index, subj, "boycotted", obj, verb, "boycott-nonparticipation", subj=subj_ent)


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
