"""Renames, mergers, splits and successions of organizations stated in text (``kgraph_lineage``).

Phrasings (words in ``kgraph/nlp/lexicon/en/lineage.json``): "X merged into Y", "X was absorbed
by Y", "Y absorbed X", "X merged with Y to form Z", "X was renamed Y", "X changed its name to Y",
"Y, formerly X", "Y (formerly known as X)", "Y, the successor of X", "Y, a splinter of X",
"Y split from X". Both sides must be organizations (parties or others) the article mentions.

Writes ``doc._.kgraph_changes``: one dict per change with ``kind`` (rename | merger | split |
succession), ``original`` / ``resulting`` (cluster indices), ``continues`` (the original the
result carries on, or None), ``date`` (ISO at its precision, from "in 2006", or None),
``sent_start`` / ``sent_end`` / ``start`` / ``end`` / ``trigger`` (token indices) and ``rule``.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from kgraph.nlp.lexicon import doc_text, load_lexicon, word_positions
from kgraph.nlp.qualifiers import _article_date, parse_date_tokens
from kgraph.nlp.relations import _Index, is_asserted

__all__ = ["LineageExtractor", "CHANGES_EXTENSION"]

CHANGES_EXTENSION = "kgraph_changes"
_ORG_TYPES = frozenset({"PoliticalParty", "Organization"})
_PUNCT_SKIP = frozenset({",", "(", ")", "--", "—", "–", "-"})


class LineageExtractor:
    """Finds organization changes in one doc (see module docstring)."""

    def __init__(self, nlp: Language, name: str, language: str = "en"):
        self.name = name
        self.lex = load_lexicon("lineage", language)
        self.time_lex = load_lexicon("time", language)
        words = set()
        for key in ("merge_verbs", "rename_verbs", "formerly", "successor_nouns", "splinter_nouns", "split_verbs", "name_nouns"):
            words |= self.lex[key]
        # stems to look for in the lower-cased text before walking any token ("merged" contains "merge")
        self._stems = tuple(sorted({w[:5] for w in words}))
        self._verbs = frozenset().union(*(self.lex[k] for k in ("merge_verbs", "rename_verbs", "split_verbs",
                                                               "name_change_verbs")))
        # every word a pattern starts from: the tokens __call__ looks at
        self._words = self._verbs | self.lex["formerly"] | self.lex["successor_nouns"] | self.lex["splinter_nouns"]
        for ext in (CHANGES_EXTENSION, "kgraph_date"):
            if not Doc.has_extension(ext):
                Doc.set_extension(ext, default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(CHANGES_EXTENSION, [])
        low = doc_text(doc).lower()
        if not any(stem in low for stem in self._stems):
            return doc  # most articles: no trigger word at all, no token walk
        index = _Index(doc)
        if sum(1 for t in index.types.values() if t in _ORG_TYPES) < 2:
            return doc
        article = _article_date(doc._.kgraph_date)
        found: dict[tuple, dict] = {}
        lex = self.lex
        for token in (doc[i] for i in word_positions(doc, self._words, lemmas=True)):
            lower, lemma = token.lower_, token.lemma_.lower()
            if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                if lemma not in self._verbs or not is_asserted(token):  # "will merge", "plans to merge"
                    continue
                if lemma in lex["merge_verbs"]:
                    self._merge(token, index, found, article)
                elif lemma in lex["rename_verbs"]:
                    self._rename(token, index, found, article)
                elif lemma in lex["split_verbs"]:
                    self._split_verb(token, index, found, article)
                elif lemma in lex["name_change_verbs"]:
                    self._name_change(token, index, found, article)
            elif lower in lex["formerly"]:
                self._formerly(token, index, found, article)
            elif lower in lex["successor_nouns"] or lemma in lex["successor_nouns"]:
                self._noun_of(token, index, found, article, "succession", lex["successor_preps"])
            elif lower in lex["splinter_nouns"] or lemma in lex["splinter_nouns"]:
                self._noun_of(token, index, found, article, "split", lex["splinter_preps"])
        doc._.set(CHANGES_EXTENSION, list(found.values()))
        return doc

    # -- helpers ------------------------------------------------------------------------------
    def _org(self, index: _Index, token: Token | None) -> int | None:
        if token is None:
            return None
        hit = index.entity(token)
        if hit is None:
            return None
        cluster = hit[0]
        return cluster if index.types.get(cluster) in _ORG_TYPES else None

    @staticmethod
    def _objects(token: Token, preps) -> list[Token]:
        return [obj for prep in token.children if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in preps
                for obj in prep.children if obj.dep_ in ("pobj", "pcomp")]

    @staticmethod
    def _subject(token: Token) -> Token | None:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.tag_ in ("WDT", "WP") and token.dep_ == "relcl":
                    return token.head  # "the Otan party, which was renamed Nur Otan"
                return child
        if token.dep_ in ("relcl", "acl") and token.head is not token:
            return token.head  # "Otan, which was renamed Nur Otan"
        return None

    def _date(self, token: Token, article) -> str | None:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in self.time_lex["event_preps"]:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        date = parse_date_tokens(obj.subtree, article, self.time_lex)
                        if date is not None:
                            return date
        return None

    def _add(self, found, token: Token, kind: str, original: list[int], resulting: list[int],
             continues: int | None, rule: str, article, tokens: list[Token]) -> None:
        original = list(dict.fromkeys(original))
        resulting = list(dict.fromkeys(resulting))
        if not original or not resulting or set(original) == set(resulting):
            return
        if kind != "split" and set(original) & set(resulting) - ({continues} if continues is not None else set()):
            return
        sent = token.sent
        start = min(t.i for t in tokens + [token])
        end = max(t.i for t in tokens + [token]) + 1
        key = (kind, tuple(original), tuple(resulting))
        if key in found:
            return
        found[key] = {
            "kind": kind, "original": original, "resulting": resulting, "continues": continues,
            "date": self._date(token, article) or (self._date(token.head, article) if token.dep_ in ("xcomp", "advcl") else None),
            "sent_start": sent.start, "sent_end": sent.end, "start": start, "end": end,
            "trigger": token.i, "rule": rule,
        }

    # -- patterns ----------------------------------------------------------------------------
    def _merge(self, verb: Token, index, found, article) -> None:
        lex = self.lex
        subj = self._subject(verb)
        x = self._org(index, subj)
        if verb.lemma_.lower() in lex["absorbing_verbs"] and not any(c.dep_ == "nsubjpass" for c in verb.children):
            # "Y absorbed X"
            objs = [c for c in verb.children if c.dep_ == "dobj"]
            y = x
            for obj in objs:
                for conj in [obj, *[c for c in obj.children if c.dep_ == "conj"]]:
                    absorbed = self._org(index, conj)
                    if y is not None and absorbed is not None:
                        self._add(found, verb, "merger", [y, absorbed], [y], y, "lineage-absorb", article, [subj, conj])
            return
        if x is None:
            return
        into = self._objects(verb, {"into", "by"})
        for obj in into:
            y = self._org(index, obj)
            if y is not None:  # "X merged into Y", "X was absorbed by Y"
                self._add(found, verb, "merger", [x, y], [y], y, "lineage-merge-into", article, [subj, obj])
        withs = self._objects(verb, {"with"})
        formed = [c for c in verb.children if c.dep_ in ("xcomp", "advcl") and c.lemma_.lower() in lex["form_verbs"]]
        for obj in withs:
            y = self._org(index, obj)
            if y is None:
                continue
            for form in formed:
                for new in (c for c in form.children if c.dep_ in ("dobj", "attr", "oprd")):
                    z = self._org(index, new)
                    if z is not None:  # "X merged with Y to form Z"
                        self._add(found, verb, "merger", [x, y], [z], None, "lineage-merge-form", article, [subj, obj, new])

    def _rename(self, verb: Token, index, found, article) -> None:
        subj = self._subject(verb)
        x = self._org(index, subj)
        candidates = [c for c in verb.children if c.dep_ in ("oprd", "attr", "dobj", "xcomp", "npadvmod", "appos")]
        candidates += self._objects(verb, {"as", "to", "into"})
        if x is None:
            # "renamed X as Y" / "renamed X (to) Y": the object is X
            dobj = [c for c in verb.children if c.dep_ == "dobj"]
            if dobj:
                x = self._org(index, dobj[0])
                candidates = [c for c in candidates if c is not dobj[0]]
                subj = dobj[0]
        if x is None:
            return
        for cand in candidates:
            if cand.lower_ in ("itself", "themselves"):
                continue
            y = self._org(index, cand)
            if y is not None and y != x:
                self._add(found, verb, "rename", [x], [y], x, "lineage-renamed", article, [subj, cand])

    def _name_change(self, verb: Token, index, found, article) -> None:
        # "X changed its name to Y"
        names = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in self.lex["name_nouns"]]
        if not names:
            return
        subj = self._subject(verb)
        x = self._org(index, subj)
        if x is None:
            return
        for obj in self._objects(verb, {"to", "into"}) + self._objects(names[0], {"to", "into"}):
            y = self._org(index, obj)
            if y is not None:
                self._add(found, verb, "rename", [x], [y], x, "lineage-name-change", article, [subj, obj])

    def _formerly(self, token: Token, index, found, article) -> None:
        # "Y, formerly X" / "Y (formerly known as X)": Y just before, X just after
        doc = token.doc
        i = token.i - 1
        while i >= token.sent.start and doc[i].text in _PUNCT_SKIP:
            i -= 1
        j = token.i + 1
        while j < token.sent.end and (doc[j].lower_ in self.lex["formerly_fillers"] or doc[j].text in _PUNCT_SKIP):
            j += 1
        if i < token.sent.start or j >= token.sent.end:
            return
        y, x = self._org(index, doc[i]), self._org(index, doc[j])
        if x is not None and y is not None and x != y:
            self._add(found, token, "rename", [x], [y], x, "lineage-formerly", article, [doc[i], doc[j]])

    def _noun_of(self, noun: Token, index, found, article, kind: str, preps) -> None:
        """"Y, the successor of X" / "Y is the successor to X" / "Y, a splinter (group) of X"."""
        objs = self._objects(noun, preps)
        if not objs and noun.dep_ == "compound":  # "a splinter group of X"
            objs = self._objects(noun.head, preps)
            noun = noun.head
        if not objs:
            return
        if noun.dep_ == "appos":
            new_tok = noun.head
        elif noun.dep_ in ("attr", "oprd") or noun.head.lemma_ == "be":
            new_tok = self._subject(noun.head)
        else:
            new_tok = next((c for c in noun.children if c.dep_ == "appos"), None)
        y = self._org(index, new_tok)
        for obj in objs:
            x = self._org(index, obj)
            if x is None or y is None or x == y:
                continue
            if kind == "split":  # the party split from goes on
                self._add(found, noun, "split", [x], [x, y], None, "lineage-splinter", article, [new_tok, obj])
            else:
                self._add(found, noun, "succession", [x], [y], x, "lineage-successor", article, [new_tok, obj])

    def _split_verb(self, verb: Token, index, found, article) -> None:
        # "Y split from X", "Y broke away from X"
        subj = self._subject(verb)
        y = self._org(index, subj)
        if y is None:
            return
        targets = self._objects(verb, {"from"})
        for prt in verb.children:
            if prt.dep_ in ("prt", "advmod") and prt.lower_ == "away":
                targets += self._objects(prt, {"from"})
        for obj in targets:
            x = self._org(index, obj)
            if x is not None and x != y:
                self._add(found, verb, "split", [x], [x, y], None, "lineage-split-from", article, [subj, obj])


@Language.factory(
    "kgraph_lineage",
    requires=["doc.spans", "doc._.kgraph_entities", "token.dep", "token.lemma"],
    assigns=["doc._.kgraph_changes"],
    default_config={"language": "en"},
)
def make_lineage(nlp: Language, name: str, language: str) -> LineageExtractor:
    """Renames, mergers, splits and successions of organizations (add after ``kgraph_coref``)."""
    return LineageExtractor(nlp, name, language)
