"""Within-article coreference: clusters of named mentions, and pronouns/nominals resolved to them.

The ``kgraph_coref`` factory is rule-based and cheap:

- named mentions of one type join a cluster when they share a KB id, a normalised name, a
  surname ("Nazarbaeva" -> "Darigha Nazarbaeva"), the name without its head word ("Asar party"
  -> "Asar"), or are an acronym and its long name ("All-National Social Democratic Party (OSDP)");
- he/she/his/her -> the nearest person (the sentence subject preferred, gender kept consistent);
  it/its -> the nearest party or organization; "the party", "his party", "that group",
  "the movement" -> the nearest party (or organization for "group"/"organization", and only an
  organization for a bare "the band" / "the club" / "the team").

Writes ``span.id_`` (the cluster index) on every span of ``doc.spans["kgraph_mentions"]``,
the resolved pronouns/nominals to ``doc.spans["kgraph_references"]`` (label = type, id_ =
cluster index, ``kb_id_`` = "pronoun" or "nominal": spaCy has no slot for the mention kind) and
the clusters as plain dicts to ``doc._.kgraph_entities`` (spaCy has no slot for them).
"""
from __future__ import annotations

from functools import lru_cache

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from kgraph.linking.normalize import acronym, fold_tokens, normalize_label
from kgraph.nlp.countries import country_code, country_name
from kgraph.nlp.lexicon import load_lexicon
from kgraph.nlp.lexicon import doc_text, word_positions
from kgraph.nlp.mentions import MENTIONS_KEY, PARTY_HEADS, get_kb

__all__ = ["REFERENCES_KEY", "Cluster", "Coreference"]

#: span group of the pronoun and nominal mentions resolved to an entity
REFERENCES_KEY = "kgraph_references"

_LEX = load_lexicon("entities")
# "social", "democratic", "people": words that make another party (folded as names are)
_POLITICAL_WORDS = frozenset(w for word in _LEX["political_words"] for w in fold_tokens(word))
# the same names recur in every article of a corpus: normalise each string once
_norm = lru_cache(maxsize=65536)(normalize_label)
_MALE = _LEX["male_pronouns"]
_FEMALE = _LEX["female_pronouns"]
_IT = _LEX["it_pronouns"]
_NOMINAL_PARTY = _LEX["nominal_party"]
_NOMINAL_ORG = _LEX["nominal_org"]
# "the band", "the club", "the team": only an organization (never a party)
_NOMINAL_GROUP = _LEX["nominal_group"]
_DEFINITE = _LEX["definite"]
# "the alliance", "the movement", "the opposition group": a party or another organization
_NOMINAL_EITHER = _LEX["nominal_org_extra"] | (_NOMINAL_PARTY - {"party"})
# "the council", "the committee": a party body or another organization
_NOMINAL_BODY = _LEX["nominal_body"]
#: every word a reference may be (the tokens _resolve_references looks at)
_REFERENCE_WORDS = frozenset().union(_MALE, _FEMALE, _IT, _NOMINAL_PARTY, _NOMINAL_ORG, _NOMINAL_GROUP,
                                     _NOMINAL_EITHER, _NOMINAL_BODY)
_BODY_HEADS = _LEX["party_body_heads"]
_BODY_MODIFIERS = _LEX["party_body_modifiers"]
_GENERIC_LEGISLATURE = _LEX["generic_legislature"]
_WHOLE_LEGISLATURE = _LEX["whole_legislature_words"]
_SUB_LEGISLATURE = _LEX["sub_legislature_words"]
_FEMALE_ENDINGS = tuple(sorted(_LEX["female_surname_endings"]))
_MALE_ENDINGS = tuple(sorted(_LEX["male_surname_endings"]))
_NAME_HEADS = PARTY_HEADS | {"the"}
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_RELATION_LEX = load_lexicon("relations")
# "party spokesman X", "the party Secretary General X": a title word after a bare "party"
_TITLE_WORDS = frozenset(
    {w for w in _RELATION_LEX["role_nouns"] if not w.startswith("_")}
    | {w for k, v in _RELATION_LEX["two_word_roles"].items() if not k.startswith("_") for w in v}
)
_TITLE_MODIFIERS = frozenset(_RELATION_LEX["subordinate_modifiers"]) | {"-", "‑", "national", "general"}


def _before_title(token) -> bool:
    """Whether ``token`` is a modifier right before a title: "party [deputy] chairman X"."""
    doc, j = token.doc, token.i + 1
    while j < len(doc) and j - token.i <= 3 and doc[j].lower_ in _TITLE_MODIFIERS:
        j += 1
    return j < len(doc) and (doc[j].lower_ in _TITLE_WORDS or doc[j].lemma_.lower() in _TITLE_WORDS)
_LINK_CACHE_SIZE = 50_000
#: how many sentences back a pronoun / nominal may look for its antecedent
_WINDOW = 3


@dataclass
class Cluster:
    """One entity of the article: its type, mentions (token spans) and identity."""

    index: int
    type: str
    spans: list[Span] = field(default_factory=list)
    kb_id: str | None = None
    kb_score: float = 0.0
    key: str | None = None
    gender: str | None = None
    name: str = ""
    #: further names of the entity the article implies ("2024 Bangladeshi general election")
    aliases: list[str] = field(default_factory=list)
    #: the cluster this one is a body of (a party's council, faction, youth wing), if any
    parent: int | None = None
    #: kind words an election's mentions use ("general", "parliamentary")
    kind_names: set[str] = field(default_factory=set)

    def to_dict(self) -> dict:
        return {"index": self.index, "type": self.type, "name": self.name, "kb_id": self.kb_id,
                "kb_score": self.kb_score, "key": self.key, "aliases": list(self.aliases), "parent": self.parent}

    @property
    def forms(self) -> list[str]:
        seen: dict[str, None] = {}
        for span in self.spans:
            seen.setdefault(span.text, None)
        return list(seen)


def _name_tokens(span: Span) -> tuple[str, ...]:
    return _folded(span.text)


def _core_tokens(span: Span) -> tuple[str, ...]:
    """Folded words without head words like "party" and a leading "the"."""
    return _core_folded(span.text)


# the same names recur in every article of a corpus, and each is compared with many: fold once
@lru_cache(maxsize=65536)
def _folded(text: str) -> tuple[str, ...]:
    return tuple(fold_tokens(text))


@lru_cache(maxsize=65536)
def _core_folded(text: str) -> tuple[str, ...]:
    words = [w for w in _norm(text).split() if w not in _NAME_HEADS]
    return tuple(fold_tokens(" ".join(words))) if words else _folded(text)


def _qualified_name(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether a longer party name is the shorter one with an ideology word before it ("Social
    Democratic Party of X" and "Democratic Party of X", "People's Democratic Party" and
    "Democratic Party"): another party, not a long form."""
    if not short or short[0] not in long:
        return False
    k = long.index(short[0])
    return k > 0 and long[k - 1] in _POLITICAL_WORDS


def _same_person_name(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """A shorter form of a full name: the same first and last name, the middle names left out or
    written as initials ("Choguel Maiga", "Choguel K. Maiga" of "Choguel Kokalla Maiga")."""
    if len(short) < 2 or len(long) < 3 or len(short) > len(long) or short == long:
        return False
    if short[0] != long[0] or short[-1] != long[-1]:
        return False
    middle = list(long[1:-1])
    for word in short[1:-1]:
        found = next((m for m in middle if m == word or (len(word) <= 2 and m.startswith(word.rstrip(".")))), None)
        if found is None:
            return False
        middle.remove(found)
    return True


def _name_gender(span: Span) -> str | None:
    """Gender a surname suggests in the Slavic/Turkic naming common in this press (-ova, -eva,
    -ina, -aya female; -ov, -ev, -in, -sky male); None otherwise."""
    last = span[-1].lower_
    if last.endswith(_FEMALE_ENDINGS):
        return "female"
    if last.endswith(_MALE_ENDINGS):
        return "male"
    return None


def _best_name(spans: list[Span]) -> str:
    """The longest proper name of a cluster (not an acronym, not ending in a lowercase head word
    like "party"); ties go to the most frequent, then the first."""
    names = [s for s in spans if not (len(s) == 1 and s.text.isupper())] or spans
    proper = [s for s in names if not (s[-1].is_lower and len(s) > 1)] or names
    counts = Counter(s.text for s in proper)
    first = {}
    for s in proper:
        first.setdefault(s.text, s.start)
    return max(counts, key=lambda t: (len(t.split()), counts[t], -first[t]))


class Coreference:
    """Clusters mentions and resolves pronouns and nominals to them."""

    def __init__(self, nlp: Language, name: str, kb_name: str, link: bool):
        self.name = name
        self.kb_name = kb_name
        self.link = link
        self._linker: Any = None
        self._link_cache: dict[tuple, Any] = {}
        if not Doc.has_extension("kgraph_entities"):
            Doc.set_extension("kgraph_entities", default=None)
        if not Doc.has_extension("kgraph_date"):
            Doc.set_extension("kgraph_date", default=None)

    # -- named mentions --------------------------------------------------------------------
    def _cluster_names(self, doc: Doc) -> tuple[list[Cluster], dict[int, int]]:
        spans = list(doc.spans.get(MENTIONS_KEY, []))
        clusters: list[Cluster] = []
        of_span: dict[int, int] = {}  # index in spans -> cluster index
        # longest names first, so that a surname finds its full name wherever it is
        order = sorted(range(len(spans)), key=lambda i: (-len(_name_tokens(spans[i])), spans[i].start))
        by_kb: dict[str, int] = {}
        by_name: dict[tuple[str, tuple[str, ...]], int] = {}
        for i in order:
            span = spans[i]
            kind = span.label_
            target = None
            if kind == "Election":
                target = by_kb.get(span.kb_id_)
            else:
                core = _core_tokens(span)
                target = by_kb.get(span.kb_id_) if span.kb_id_ else None
                if target is None:
                    target = by_name.get((kind, core))
                if target is None:
                    target = self._partial_match(span, kind, core, clusters)
            if target is None:
                target = len(clusters)
                clusters.append(Cluster(target, kind))
            cluster = clusters[target]
            cluster.spans.append(span)
            if kind == "Election" and span.id_:
                cluster.kind_names.add(span.id_)
            of_span[i] = target
            if span.kb_id_:
                by_kb.setdefault(span.kb_id_, target)
            if kind != "Election":
                by_name.setdefault((kind, _core_tokens(span)), target)
        self._merge_acronyms(doc, spans, of_span, clusters)
        self._merge_generic_legislature(spans, of_span, clusters)
        return clusters, of_span

    @staticmethod
    def _merge_generic_legislature(spans: list[Span], of_span: dict[int, int], clusters: list[Cluster]) -> None:
        """"the parliament" of an article that names its country's one whole legislature ("the
        National Assembly", "the Jogorku Kenesh") is that legislature, not a second entity; a
        chamber ("the Mazhilis", "the Senate") or a region's assembly is not the whole."""
        generic = {of_span[i] for i, s in enumerate(spans)
                   if s.label_ == "Organization" and len(s) == 1 and s[0].lower_ in _GENERIC_LEGISLATURE}
        if not generic:
            return
        named = set()
        for i, s in enumerate(spans):
            words = [t.lower_ for t in s if t.is_alpha]
            if of_span[i] in generic or s.label_ != "Organization" or len(words) < 2:
                continue
            head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
            if head in _WHOLE_LEGISLATURE:
                if not any(w in _SUB_LEGISLATURE for w in words):
                    named.add(of_span[i])
        if len(named) != 1:
            return
        (target,) = named
        for g in generic:
            if g == target or not clusters[g].spans:
                continue
            clusters[target].spans.extend(clusters[g].spans)
            clusters[g].spans = []
            for k, v in list(of_span.items()):
                if v == g:
                    of_span[k] = target

    @staticmethod
    def _partial_match(span: Span, kind: str, core: tuple[str, ...], clusters: list[Cluster]) -> int | None:
        """A surname or a shorter party name: the nearest cluster whose longer name ends with
        (person) or contains (party/organization) these words."""
        best, best_dist = None, None
        inner: set[int] = set()  # clusters matched only by an inner word ("Bwalya" of "Kelvin Bwalya Fube")
        for cluster in clusters:
            if cluster.type != kind:
                continue
            for other in cluster.spans:
                words = _core_tokens(other)
                if kind == "Person" and _same_person_name(core, words):
                    ok = True  # "Choguel Maiga", "Choguel K. Maiga" of "Choguel Kokalla Maiga"
                elif len(words) <= len(core):
                    continue
                elif kind == "Person":
                    ok = words[-len(core):] == core
                    if not ok and len(core) == 1 and core[0] in words:
                        inner.add(cluster.index)
                        continue
                else:
                    ok = len(core) >= 1 and all(w in words for w in core) and len(core) * 2 >= len(words) \
                        and not _qualified_name(core, words)
                    if not ok:  # "Popular Front" of "Popular Front of Azerbaijan Party"
                        short, full = _name_tokens(span), _name_tokens(other)
                        ok = 2 <= len(short) < len(full) and full[:len(short)] == short and full[len(short)] in ("of", "for")
                if ok:
                    dist = abs(other.start - span.start) + (0 if other.start < span.start else 10_000)
                    if best_dist is None or dist < best_dist:
                        best, best_dist = cluster.index, dist
        if best is None and len(inner) == 1:
            return next(iter(inner))  # an inner word of one person's name only
        return best

    @staticmethod
    def _merge_acronyms(doc: Doc, spans: list[Span], of_span: dict[int, int], clusters: list[Cluster]) -> None:
        """"Long Name (LN)" and a known acronym of a long name are one entity."""
        def merge(a: int, b: int) -> None:
            if a == b or not clusters[b].spans:
                return
            clusters[a].spans.extend(clusters[b].spans)
            clusters[b].spans = []
            for k, v in of_span.items():
                if v == b:
                    of_span[k] = a

        for i, span in enumerate(spans):
            if span.label_ == "Election" or span.end + 1 >= len(doc):
                continue
            # "Long Name (LN)", "the Chinese Nationalist Party's (KMT)"
            bracket = span.end + 1 if doc[span.end].text in ("'s", "’s") and span.end + 2 < len(doc) else span.end
            if doc[bracket].text == "(":
                for j, other in enumerate(spans):
                    if other.start == bracket + 1 and doc[other.end].text == ")" and other.label_ in ("PoliticalParty", "Organization") and span.label_ in ("PoliticalParty", "Organization"):
                        merge(of_span[i], of_span[j])
        long_names = {}
        for i, span in enumerate(spans):
            # "Avanzada Progresista" ... "AP": two words are enough within one article
            if span.label_ in ("PoliticalParty", "Organization") and len(span) >= 2:
                long_names.setdefault(acronym(span.text), of_span[i])
        for i, span in enumerate(spans):
            text = span.text
            if len(span) == 1 and text.isupper() and len(text) >= 2 and text in long_names:
                merge(long_names[text], of_span[i])

    # -- pronouns and nominals ---------------------------------------------------------------
    def _resolve_references(self, doc: Doc, clusters: list[Cluster]) -> list[Span]:
        named: list[tuple[Span, int]] = [(s, c.index) for c in clusters for s in c.spans]
        named.sort(key=lambda x: x[0].start)
        named_tokens = {i for s, _ in named for i in range(s.start, s.end)}
        sent_starts = [s.start for s in doc.sents]
        out: list[Span] = []

        def sent_index(i: int) -> int:
            return bisect.bisect_right(sent_starts, i) - 1

        # the person named in a text's first sentence is what it is about (a biography, a
        # profile): the default antecedent of "he"/"she" when nothing nearer fits
        retyped: set[int] = set()
        first = next(((span, target) for span, target in named if clusters[target].type == "Person"), None)
        main = first[1] if first is not None and sent_index(first[0].start) == 0 else None

        for token in (doc[i] for i in word_positions(doc, _REFERENCE_WORDS)):
            if token.i in named_tokens:
                continue
            low = token.lower_
            wanted: tuple[str, ...] | None = None
            gender = None
            title, dets = False, []
            kind = "pronoun"
            if low in _MALE or low in _FEMALE:
                if token.tag_ not in ("PRP", "PRP$"):
                    continue
                wanted = ("Person",)
                gender = "male" if low in _MALE else "female"
            elif low in _IT and token.tag_ in ("PRP", "PRP$"):
                if low == "it" and token.dep_ not in _SUBJECT_DEPS:
                    continue  # object "it" is rarely an actor ("make it easier")
                if low == "it" and any(c.dep_ in ("expl",) for c in token.head.children if c.i == token.i):
                    continue
                wanted = ("PoliticalParty", "Organization")
            elif (low in _NOMINAL_PARTY or low in _NOMINAL_ORG or low in _NOMINAL_GROUP or low in _NOMINAL_EITHER
                  or low in _NOMINAL_BODY) and token.pos_ in ("NOUN", "PROPN") and token.tag_ not in ("NNS", "NNPS"):
                dets = [c for c in token.lefts if c.dep_ in ("det", "poss")]
                # "Party Chairman X", "party spokesman X", "the party Secretary General X"
                title = token.dep_ in ("compound", "nmod", "amod", "nsubj") and _before_title(token) and (
                    low in _NOMINAL_PARTY or token.text[0].isupper())
                if not title and not any(d.lower_ in _DEFINITE for d in dets):
                    continue
                if not title and (any(c.dep_ in ("compound", "appos") and c.i in named_tokens for c in token.children) or any(
                        t.i in named_tokens for c in token.lefts if c.dep_ in ("compound", "amod", "nmod") for t in c.subtree) or (
                        token.dep_ in ("compound", "appos") and token.head.i in named_tokens) or token.i + 1 in named_tokens):
                    continue  # "the pop group RBD": the group is named right here
                if any(c.dep_ == "prep" for c in token.rights):
                    continue  # "the party of X", "the group of lawyers": not a back-reference
                if low in _NOMINAL_GROUP and any(c.dep_ in ("amod", "nmod") for c in token.lefts):
                    continue  # "the national team", "the Czech gymnastics team": a new description
                if low in _NOMINAL_BODY and any(c.dep_ in ("amod", "compound", "nmod") for c in token.lefts):
                    continue  # "the political council": a body of its own (kgraph_mentions)
                wanted = ("PoliticalParty",) if low in ("party", "faction") else ("Organization",) if (
                    low in _NOMINAL_GROUP or low in _NOMINAL_BODY) else ("PoliticalParty", "Organization")
                kind = "nominal"
            if wanted is None:
                continue
            target = None
            if kind == "nominal" and title and not dets:
                # "party spokesman X", "party secretary general X": the party the article is
                # about, not whichever party was named last
                target = self._topic(token, wanted, named, clusters)
            if target is None and kind == "nominal" and low in _NOMINAL_EITHER and low not in _BODY_HEADS:
                # "the movement", "the coalition": a name with that head word, when one came before
                # ("the Civil Democratic Movement ... X of the Y Party ... a member of the movement")
                headed = [(s, t) for s, t in named if s.start < token.i and clusters[t].type in wanted
                          and low in _norm(clusters[t].name or s.text).split()]
                if headed:
                    target = self._antecedent(token, wanted, gender, headed, clusters, sent_index)
                    if target is None:
                        target = self._topic(token, wanted, headed, clusters)
            if target is None:
                target = self._antecedent(token, wanted, gender, named, clusters, sent_index)
            if target is None and kind == "nominal" and wanted == ("PoliticalParty",):
                # "MDC-T ... the party's position": an acronym of no known type that "the party"
                # refers to is a party's
                target = self._antecedent(token, ("Organization",), None,
                                          [(s, t) for s, t in named if _unknown_acronym(clusters[t])],
                                          clusters, sent_index)
                if target is not None:
                    clusters[target].type = "PoliticalParty"
                    retyped.add(target)
            if gender and main is not None and self._prefer_main(token, target, main, gender, named, clusters, sent_index):
                target = main
            if target is None and kind == "nominal" and low not in _NOMINAL_GROUP:
                # "the movement's treasurer X" with the movement named sentences back: the
                # organization the article is about so far
                target = self._topic(token, wanted, named, clusters)
            if target is None:
                continue
            cluster = clusters[target]
            if gender and cluster.gender is None:
                cluster.gender = gender
            out.append(Span(doc, token.i, token.i + 1, label=cluster.type, span_id=str(target), kb_id=kind))
            named.append((doc[token.i : token.i + 1], target))  # a resolved reference is an antecedent too
            named.sort(key=lambda x: x[0].start)
        if retyped:
            doc.spans[MENTIONS_KEY] = [Span(doc, s.start, s.end, label=clusters[int(s.id_)].type, kb_id=s.kb_id_,
                                            span_id=s.id_) if int(s.id_) in retyped else s
                                       for s in doc.spans[MENTIONS_KEY]]
            for t in retyped:
                clusters[t].spans = [Span(doc, s.start, s.end, label=clusters[t].type, kb_id=s.kb_id_, span_id=s.id_)
                                     for s in clusters[t].spans]
        return out

    @staticmethod
    def _topic(token, wanted, named, clusters) -> int | None:
        """The most often named cluster of ``wanted`` types before ``token`` (ties: the first
        named), the topic a definite description falls back to beyond the window."""
        counts: Counter[int] = Counter()
        first: dict[int, int] = {}
        for span, target in named:
            if span.start >= token.i:
                break
            if clusters[target].type in wanted and not _is_body(clusters[target]):
                counts[target] += 1
                first.setdefault(target, span.start)
        if not counts:
            return None
        return max(counts, key=lambda t: (counts[t], -first[t]))

    @staticmethod
    def _prefer_main(token, target, main, gender, named, clusters, sent_index) -> bool:
        """Whether a he/she goes to the text's main person rather than to ``target``: when
        nothing else fits, or when ``target`` is only a non-subject of an earlier sentence and
        the pronoun opens a clause ("X was born in Y to Z. He joined ...")."""
        if target == main:
            return False
        cluster = clusters[main]
        if cluster.gender and cluster.gender != gender:
            return False
        guess = next((g for g in (_name_gender(s) for s in cluster.spans) if g), None)
        if guess and guess != gender:
            return False
        if target is None:
            return True
        if token.dep_ not in _SUBJECT_DEPS:
            return False
        here = sent_index(token.i)
        last = [span for span, t in named if t == target and span.start < token.i]
        if not last or sent_index(last[-1].start) == here:
            return False
        span = last[-1]
        return span.root.dep_ not in _SUBJECT_DEPS and not (
            span.root.dep_ in ("compound", "appos") and span.root.head.dep_ in _SUBJECT_DEPS)

    @staticmethod
    def _antecedent(token, wanted, gender, named, clusters, sent_index) -> int | None:
        here = sent_index(token.i)
        best, best_score = None, None
        for span, target in named:
            if span.start >= token.i:
                break
            cluster = clusters[target]
            if cluster.type not in wanted:
                continue
            dist = here - sent_index(span.start)
            if dist > _WINDOW:
                continue
            if gender and cluster.gender and cluster.gender != gender:
                continue
            if gender and cluster.gender is None:
                guess = next((g for g in (_name_gender(s) for s in cluster.spans) if g), None)
                if guess and guess != gender:
                    continue
            # a possessive in a person's own clause refers to them ("X said his party"), so
            # recency and subjecthood decide; a name inside the pronoun's own phrase cannot
            if span.root.head.i == token.i or token.head.i == span.root.i:
                continue
            subject = span.root.dep_ in _SUBJECT_DEPS or (
                span.root.dep_ in ("compound", "appos") and span.root.head.dep_ in _SUBJECT_DEPS
            )
            score = (dist, 0 if subject and dist > 0 else 1, -span.start) if dist > 0 else (0, 0 if subject else 1, -span.start)
            if best_score is None or score < best_score:
                best, best_score = target, score
        return best

    # -- names and linking ------------------------------------------------------------------
    def _identify(self, doc: Doc, clusters: list[Cluster]) -> None:
        from kgraph.nlp.elections import article_date, doc_country, election_aliases, election_name

        country = None
        for cluster in clusters:
            if not cluster.spans:
                continue
            if cluster.type == "Election":
                cluster.key = cluster.spans[0].kb_id_
                _, code, year, kind = cluster.key.split(":")
                code = None if code == "XXX" else code
                year_number = int(year) if year.isdigit() else None
                cluster.name = election_name(code, year_number, kind)
                cluster.aliases = [a for a in election_aliases(code, year_number, cluster.kind_names) if a != cluster.name]
                continue
            cluster.name = _best_name(cluster.spans)
            if cluster.type == "Organization" and all(len(s) == 1 and s[0].lower_ in _GENERIC_LEGISLATURE for s in cluster.spans):
                # "the parliament" of the article's country: one entity per article, named after it
                code = _span_country(cluster.spans) or doc_country(doc)
                if code and country_name(code):
                    # "the Senate" of a Paraguayan article is the Senate of Paraguay
                    word = "Senate" if all(s[0].lower_ == "senate" for s in cluster.spans) else "Parliament"
                    cluster.name = f"{word} of {country_name(code)}"
            cluster.key = _norm(cluster.name)
            kb_ids = Counter(s.kb_id_ for s in cluster.spans if s.kb_id_)
            if kb_ids:
                cluster.kb_id, _ = kb_ids.most_common(1)[0]
                cluster.kb_score = 0.9
        linker = self._get_linker()
        if linker is None:
            return
        if country is None:
            country = doc_country(doc)
        date = article_date(doc)
        try:
            from kgraph.linking.resolver import LinkContext
        except ImportError:
            return
        context = LinkContext(country=country, year=date.year if date else None, text=doc_text(doc))
        for cluster in clusters:
            if not cluster.spans or cluster.type == "Election":
                continue
            ids = {s.kb_id_ for s in cluster.spans}
            if len(ids) == 1 and "" not in ids and self._at_home(next(iter(ids)), country, linker):
                # every name of the cluster is an unambiguous exact KB alias of one entity of
                # the article's country: the linker could only agree (an exact alias scores 1.0);
                # another country's party ("Jamaat-e-Islami" in a Bangladeshi article) is weighed
                # against this country's ("Bangladesh Jamaat-e-Islami")
                cluster.kb_id, cluster.kb_score = next(iter(ids)), 1.0
                continue
            # Linker.link is a pure function of (forms, type, country) for a given KB, and the
            # same actors recur across a corpus's articles: remember its decisions
            key = (tuple(cluster.forms), cluster.type, country)
            decision = self._link_cache.get(key)
            if decision is None:
                try:
                    decision = linker.link(cluster.forms, cluster.type, context)
                except Exception:  # noqa: BLE001 -- a linker failure must not lose the article's mentions
                    continue
                if len(self._link_cache) >= _LINK_CACHE_SIZE:
                    self._link_cache.clear()
                self._link_cache[key] = decision
            if decision is not None and decision.kb_id:
                cluster.kb_id, cluster.kb_score = decision.kb_id, float(decision.score)
            elif decision is not None:
                cluster.kb_id, cluster.kb_score = None, 0.0

    def prepare(self) -> None:
        """Build the knowledge base's search index now (load time), not inside the first
        article that names an entity the alias patterns did not settle."""
        linker = self._get_linker()
        kb = get_kb(self.kb_name) if linker is not None else None
        if kb is not None and hasattr(kb, "candidates"):
            kb.candidates("kgraph")

    @staticmethod
    def _at_home(kb_id: str, country: str | None, linker) -> bool:
        entity = linker.kb.get(kb_id)
        return entity is None or country is None or entity.country in (None, country)

    def _get_linker(self):
        if not self.link:
            return None
        if self._linker is None:
            kb = get_kb(self.kb_name)
            if kb is None:
                self.link = False
                return None
            try:
                from kgraph.linking.resolver import Linker
            except ImportError:
                self.link = False
                return None
            self._linker = Linker(kb)
        return self._linker

    def __call__(self, doc: Doc) -> Doc:
        clusters, of_span = self._cluster_names(doc)
        # renumber without the clusters emptied by merges
        live = [c for c in clusters if c.spans]
        for new, cluster in enumerate(live):
            cluster.index = new
            # one entity, one type: the mentions vote, the longest name breaks a tie
            votes = Counter(s.label_ for s in cluster.spans)
            longest = max(cluster.spans, key=lambda s: (len(s), -s.start)).label_
            cluster.type = max(votes, key=lambda t: (votes[t], t == longest))
        spans = []
        for cluster in live:
            for s in cluster.spans:
                spans.append(Span(doc, s.start, s.end, label=cluster.type, kb_id=s.kb_id_, span_id=str(cluster.index)))
            cluster.spans = []
        spans.sort(key=lambda s: s.start)
        for s in spans:
            live[int(s.id_)].spans.append(s)
        doc.spans[MENTIONS_KEY] = spans
        doc.spans[REFERENCES_KEY] = self._resolve_references(doc, live)
        self._identify(doc, live)
        _attach_bodies(doc, live, doc.spans[REFERENCES_KEY])
        # plain data, so that the doc survives nlp.pipe(n_process>1) serialisation
        doc._.kgraph_entities = [cluster.to_dict() for cluster in live]
        return doc


def _span_country(spans: list[Span]) -> str | None:
    """A country named with a generic legislature: "Tajikistan's parliament", "the Kazakh parliament"."""
    for span in spans:
        for child in span.root.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child.text[:1].isupper():
                code = country_code(child.text)
                if code:
                    return code
    return None


def _unknown_acronym(cluster: Cluster) -> bool:
    """An organization named only by an acronym the knowledge base does not know ("MDC-T")."""
    return cluster.type == "Organization" and bool(cluster.spans) and not any(s.kb_id_ for s in cluster.spans) and all(
        s.text.isupper() and len(s.text) <= 8 and not any(c.isspace() for c in s.text) for s in cluster.spans)


def _is_body(cluster: Cluster) -> bool:
    """A cluster named like a body of a party ("SDPT Political Council", "the SDPK faction")."""
    if cluster.type != "Organization" or not cluster.name:
        return False
    words = _norm(cluster.name).split()
    if not words:
        return False
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
    return head in _BODY_HEADS


def _attach_bodies(doc: Doc, clusters: list[Cluster], references) -> None:
    """The party each body belongs to (``Cluster.parent``): the party named inside the body's
    name ("SDPT Political Council", "political council of the SDPK"), its possessor ("the
    party's central committee"), else the party the article is about."""
    owners = [c for c in clusters if c.type in ("PoliticalParty", "Organization") and c.spans and not _is_body(c)]
    if not owners:
        return
    at: dict[int, int] = {}
    for c in clusters:
        for s in c.spans:
            for i in range(s.start, s.end):
                at[i] = c.index
    for ref in references:
        at[ref.start] = int(ref.id_)
    forms: dict[str, int] = {}
    for c in owners:
        for s in c.spans:
            forms.setdefault(_norm(s.text), c.index)
            if len(s) > 2:
                forms.setdefault(acronym(s.text).lower(), c.index)
    counts = Counter(c.index for c in owners if c.type == "PoliticalParty" for _ in c.spans)
    topic = counts.most_common(1)[0][0] if counts else None
    for cluster in clusters:
        if not _is_body(cluster):
            continue
        parent = None
        for span in cluster.spans:
            words = [w for w in _norm(span.text).split()
                     if w not in _BODY_HEADS and w not in _BODY_MODIFIERS and w not in ("of", "the", "and")]
            if words:
                parent = forms.get(" ".join(words))
            if parent is None and span.start > 0 and span.start - 1 in at and at[span.start - 1] != cluster.index \
                    and clusters[at[span.start - 1]].type in ("PoliticalParty", "Organization"):
                parent = at[span.start - 1]  # "the Patriotic Front central committee"
            if parent is None:
                # "the party's council" / "council of the party": the reference next to it
                left = span.start - 2 if span.start >= 2 and doc[span.start - 1].text in ("'s", "’s") else None
                right = span.end + 1 if span.end + 1 < len(doc) and doc[span.end].lower_ == "of" else None
                if right is not None and doc[right].lower_ == "the" and right + 1 < len(doc):
                    right += 1
                for i in (left, right):
                    if i is not None and i in at and at[i] != cluster.index:
                        parent = at[i]
                        break
            if parent is not None:
                break
        if parent is None and topic is not None and all(s.text.islower() or s[0].lower_ == "the" for s in cluster.spans):
            parent = topic  # "the political council" in an article about one party
        if parent is not None and parent != cluster.index and clusters[parent].type in ("PoliticalParty", "Organization"):
            cluster.parent = parent
            if cluster.name.islower():
                cluster.name = f"{clusters[parent].name} {cluster.name}"
                cluster.key = _norm(cluster.name)


@Language.factory(
    "kgraph_coref",
    requires=["doc.spans", "token.dep", "doc.sents"],
    assigns=["doc.spans", "doc.spans", "doc._.kgraph_entities"],
    default_config={"kb_name": "default", "link": True},
)
def make_coref(nlp: Language, name: str, kb_name: str, link: bool) -> Coreference:
    """Within-article clusters, pronoun/nominal resolution and KB linking per cluster."""
    return Coreference(nlp, name, kb_name, link)
