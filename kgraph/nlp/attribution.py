"""Who says so: how an article asserts each relation (stated, reported, alleged, denied) and by whom.

The ``kgraph_attribution`` factory runs after ``kgraph_relations`` and adds to every relation dict
of ``doc._.kgraph_relations`` the key ``"assertion"``::

    {"mode": "stated" | "reported" | "alleged" | "denied", "source": <cluster index or None>, "cue": <word or None>}

- stated: the article says it in its own voice ("Y expelled X", "OSDP leader X");
- reported: someone's word ("Y said that it had expelled X", "according to Y, ...", "X told
  RFE/RL that ...", "Y announced a boycott"); ``source`` is the cluster of the speaker when the
  speaker is an entity of the doc;
- alleged: an allegation or a claim ("Z alleged that ...", "Z claimed ...", "the alleged ...");
- denied: the statement is denied ("Y denied that X was expelled"); every relation that
  ``kgraph_relations`` marks ``rel["negated"] = True`` is a denial, with the denial verb's subject
  as source when there is one.

A cue counts when the relation's trigger is in the cue verb's complement, reached from the trigger
through clausal, object and prepositional links only: the words describing a speaker ("OSDP leader
X said ...") are the article's own, and a relative clause or an apposition has its own voice. The
nearest cue wins. The cue words live in ``kgraph/nlp/lexicon/<lang>/attribution.json``.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from kgraph.nlp.coref import REFERENCES_KEY
from kgraph.nlp.lexicon import load_lexicon
from kgraph.nlp.mentions import MENTIONS_KEY

__all__ = ["MODES", "Attribution", "attribute"]

#: the assertion modes, from the article's own voice to a denial
MODES = ("stated", "reported", "alleged", "denied")
# links from a word to its head that keep it inside what the head says
_PASS_DEPS = frozenset(
    {"ccomp", "xcomp", "conj", "advcl", "dobj", "pobj", "prep", "pcomp", "attr", "oprd", "acomp", "parataxis", "dep", "auxpass", "aux"}
)
_SUBJECT_DEPS = ("nsubj", "nsubjpass")


class Attribution:
    """Adds ``rel["assertion"]`` to each relation of ``doc._.kgraph_relations``."""

    def __init__(self, nlp: Language, name: str, language: str = "en"):
        self.name = name
        words = load_lexicon("attribution", language)
        self.cues: dict[str, str] = {}
        for mode, key in (("reported", "reporting_verbs"), ("alleged", "allegation_verbs"), ("denied", "denial_verbs")):
            for lemma in words[key]:
                self.cues[lemma] = mode
        self.modifiers: dict[str, str] = {w: "reported" for w in words["reporting_modifiers"]}
        self.modifiers.update({w: "alleged" for w in words["allegation_modifiers"]})
        self.according: dict[str, str] = dict(words["according"])
        self.negations = words["negations"]
        if not Doc.has_extension("kgraph_relations"):
            Doc.set_extension("kgraph_relations", default=None)

    def __call__(self, doc: Doc) -> Doc:
        relations = doc._.kgraph_relations
        if not relations:
            return doc
        entity_at = _entity_tokens(doc)
        for rel in relations:
            rel["assertion"] = self.attribute(doc, rel, entity_at)
        return doc

    # -- one relation -------------------------------------------------------------------------
    def attribute(self, doc: Doc, rel: dict, entity_at: dict[int, int]) -> dict:
        trigger = doc[_trigger_index(doc, rel)]
        found = self._nearest_cue(trigger, entity_at)
        if rel.get("negated"):
            if found is not None and found["mode"] == "denied":
                return found
            return {"mode": "denied", "source": None, "cue": self._negation_word(trigger)}
        return found or {"mode": "stated", "source": None, "cue": None}

    def _nearest_cue(self, trigger: Token, entity_at: dict[int, int]) -> dict | None:
        token = trigger
        via = None  # the link by which the walk reached ``token``
        while True:
            hit = self._cue_on(token, entity_at, trigger, via)
            if hit is not None:
                return hit
            if via == "conj" and self.cues.get(token.lemma_.lower()):
                return None  # coordinated with a speech verb, not said by it
            if token.dep_ not in _PASS_DEPS or token.head.i == token.i:
                break
            via = token.dep_
            token = token.head
        # "X leads Y, he said": the speech verb hangs off the clause as a parataxis
        for child in token.children:
            if child.dep_ == "parataxis" and self.cues.get(child.lemma_.lower()):
                return self._verb_cue(child, entity_at)
        return None

    def _cue_on(self, token: Token, entity_at: dict[int, int], trigger: Token, via: str | None) -> dict | None:
        """A cue carried by ``token`` itself (a speech verb above the trigger) or by its
        modifiers ("allegedly", "according to X"), unless the trigger is inside the cue's own
        phrase ("according to the party leader": the leader is the source, not what is said)."""
        mode = self.cues.get(token.lemma_.lower()) if token is not trigger and token.pos_ in ("VERB", "AUX") else None
        # "announced a boycott" is the party's word; "accused the leader of ..." accuses the object
        # of something else: only a reporting verb speaks through its direct object. A verb
        # coordinated with the cue ("said ... and expelled him") is the article's own statement.
        if mode is not None and via != "conj" and (via != "dobj" or mode == "reported"):
            return self._verb_cue(token, entity_at)
        for child in token.children:
            low = child.lower_
            if child.left_edge.i <= trigger.i <= child.right_edge.i:
                continue
            if child.dep_ in ("advmod", "amod") and low in self.modifiers:
                return {"mode": self.modifiers[low], "source": None, "cue": low}
            if child.dep_ == "prep" and low in self.according:
                for prep in child.children:
                    if prep.lower_ == self.according[low]:
                        speaker = next((t for t in prep.children if t.dep_ == "pobj"), None)
                        return {"mode": "reported", "source": _entity_of(speaker, entity_at), "cue": f"{low} {prep.lower_}"}
        return None

    def _verb_cue(self, verb: Token, entity_at: dict[int, int]) -> dict:
        # the first subject that names an entity ("ALMATY -- X said": a dateline parsed as a second subject)
        sources = (_entity_of(c, entity_at) for c in verb.children if c.dep_ in _SUBJECT_DEPS)
        source = next((s for s in sources if s is not None), None)
        return {"mode": self.cues[verb.lemma_.lower()], "source": source, "cue": verb.lower_}

    def _negation_word(self, trigger: Token) -> str | None:
        for token in [trigger, *trigger.ancestors]:
            for child in token.children:
                if child.dep_ == "neg" or child.lower_ in self.negations:
                    return child.lower_
        return None


def _trigger_index(doc: Doc, rel: dict) -> int:
    """The trigger token, else the root of the evidence span."""
    if rel.get("trigger") is not None:
        return int(rel["trigger"])
    return doc[rel["start"] : max(rel["end"], rel["start"] + 1)].root.i


def _entity_tokens(doc: Doc) -> dict[int, int]:
    """Token index -> cluster index, for every token of a named mention or a reference."""
    at: dict[int, int] = {}
    for key in (REFERENCES_KEY, MENTIONS_KEY):  # a name wins over a reference on the same token
        for span in doc.spans.get(key, []):
            if span.id_ == "":
                continue
            for i in range(span.start, span.end):
                at[i] = int(span.id_)
    return at


def _entity_of(token: Token | None, entity_at: dict[int, int]) -> int | None:
    """The entity a speaker phrase names: the token's own mention, or a name or reference
    modifying it ("the Nur Otan party", "that group's leadership")."""
    if token is None:
        return None
    if token.i in entity_at:
        return entity_at[token.i]
    for child in token.children:
        if child.dep_ in ("compound", "poss", "nmod", "amod", "appos") and child.i in entity_at:
            return entity_at[child.i]
    return None


def attribute(doc: Doc, language: str = "en") -> Doc:
    """Run the attribution on a doc that went through ``kgraph_relations`` (for tests and notebooks)."""
    return Attribution(None, "kgraph_attribution", language)(doc)


@Language.factory(
    "kgraph_attribution",
    requires=["doc._.kgraph_relations", "token.dep", "token.lemma"],
    assigns=["doc._.kgraph_relations"],
    default_config={"language": "en"},
)
def make_attribution(nlp: Language, name: str, language: str) -> Attribution:
    """Add how each relation is asserted, and by whom (add after ``kgraph_relations``)."""
    return Attribution(nlp, name, language)
