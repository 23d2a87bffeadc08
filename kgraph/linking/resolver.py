"""Entity resolution: link an article's entity clusters to the KB, merge entities across articles,
and resolve a user's spelling of a name to a known entity.

Three entry points, one per stage that needs identity:

- :class:`Linker` (NLP stage, once per within-article cluster): which KB entity do these surface
  forms name? All forms vote; below the threshold or on a tie the answer is "none";
- :func:`link_analyses` (after NLP, sequential): one canonical :class:`~kgraph.model.Entity` per
  real entity across articles and the store, with stable IRIs whatever the order of articles;
- :func:`resolve_name` / :func:`explain` (CLI, API): any spelling -> an entity, or the candidates.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kgraph.errors import EntityNotFoundError
from kgraph.linking.evidence import Evidence
from kgraph.linking.kb import (
    _DROPPABLE,
    Candidate,
    KBEntity,
    KnowledgeBase,
    _acronym_key,
    core_key,
    is_acronym,
    types_compatible,
)
from kgraph.linking.normalize import FOLDED_STOPWORDS, STOPWORDS, acronym, fold, fold_tokens, normalize_label
from kgraph.model import ArticleAnalysis, Entity
from kgraph.nlp.countries import country_code

__all__ = [
    "LinkContext", "LinkDecision", "Linker", "link_analyses", "link_evidence", "resolve_name", "explain", "strip_titles",
]

#: default minimum score for the Linker to accept a KB entity
DEFAULT_THRESHOLD = 0.8
#: minimum score for resolve_name to accept a candidate (a user typing a name wants leniency)
RESOLVE_THRESHOLD = 0.6
_TIE = 0.01  # scores closer than this are a tie: refuse to guess
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
#: a link score at least this high came from an exact or folded alias, not a loose match
_EXACT_LINK = 0.95


@dataclass
class LinkContext:
    """What the article tells about its entities: its main country (ISO3), year and text."""

    country: str | None = None
    year: int | None = None
    text: str | None = None


@dataclass
class LinkDecision:
    """The KB entity chosen for a cluster (``kb_id`` None: no entity is good enough or several tie)."""

    kb_id: str | None
    score: float
    candidates: list[Candidate] = field(default_factory=list)


def _name_like(form: str) -> bool:
    # "the party", "she": carry no identity; a name has a capital (or a non-Latin letter)
    return any(ch.isupper() or (ch.isalpha() and not ch.isascii()) for ch in form)


def _same_thing(a: KBEntity, b: KBEntity) -> bool:
    # Party Facts lists some parties twice (two ids, one Wikidata item): not a real ambiguity
    return a.id == b.id or (a.wikidata is not None and a.wikidata == b.wikidata)


class Linker:
    """Links a within-article cluster of surface forms to a KB entity.

    Examples
    --------
    >>> kb = KnowledgeBase([KBEntity("p1", "Person", "Nursultan Nazarbaev", ("Nazarbayev",), None, "KAZ")])
    >>> Linker(kb).link(["Nursultan Nazarbayev", "Nazarbaev"], "Person").kb_id
    'p1'
    """

    def __init__(self, kb: KnowledgeBase, threshold: float = DEFAULT_THRESHOLD):
        self.kb = kb
        self.threshold = threshold

    def link(self, forms: list[str], type: str, context: LinkContext | None = None) -> LinkDecision:
        """The KB entity that the forms name: every form votes; the type must agree
        (Organization and PoliticalParty count as agreeing); the context's country breaks ties."""
        country = context.country if context else None
        unique = list(dict.fromkeys(f.strip() for f in forms if f and f.strip()))
        names = [f for f in unique if _name_like(f)] or unique
        if not names:
            return LinkDecision(None, 0.0, [])
        per_form: list[dict[str, Candidate]] = []
        for form in names:
            found: dict[str, Candidate] = {}
            for cand in self.kb.candidates(form, type=type, country=country, limit=10):
                if types_compatible(type, cand.entity.type) and cand.entity.id not in found:
                    found[cand.entity.id] = cand
            named = _country_named(form)
            if named is not None:
                # "Mongolian Democratic Party": the country's "Democratic Party"
                code, rest = named
                for cand in self.kb.candidates(rest, type=type, country=code, limit=10):
                    if cand.entity.country == code and types_compatible(type, cand.entity.type) and (
                            cand.entity.id not in found or found[cand.entity.id].score < cand.score):
                        found[cand.entity.id] = cand
            per_form.append(found)
        # The longest form is the most specific: it breaks ties between entities that the
        # other forms support equally.
        longest = max(range(len(names)), key=lambda i: (len(names[i].split()), len(names[i])))
        totals: dict[str, Candidate] = {}
        for found in per_form:
            for eid, cand in found.items():
                if eid in totals:
                    continue
                scores = [f[eid].score if eid in f else 0.0 for f in per_form]
                best = max(scores)
                support = sum(scores) / len(scores)
                score = best if len(scores) == 1 else 0.7 * best + 0.3 * support
                top = max((f[eid] for f in per_form if eid in f), key=lambda c: c.score)
                totals[eid] = Candidate(cand.entity, round(score, 4), top.method, top.matched)
        ranked = sorted(
            totals.values(),
            key=lambda c: (
                -c.score,
                -(per_form[longest][c.entity.id].score if c.entity.id in per_form[longest] else 0.0),
                c.entity.country != country,
                c.entity.id,
            ),
        )
        if not ranked or ranked[0].score < self.threshold:
            return LinkDecision(None, ranked[0].score if ranked else 0.0, ranked)
        best = ranked[0]
        for other in ranked[1:]:
            if best.score - other.score >= _TIE:
                break
            if _same_thing(best.entity, other.entity):
                continue
            longest_scores = per_form[longest]
            b = longest_scores.get(best.entity.id)
            o = longest_scores.get(other.entity.id)
            if b is not None and (o is None or b.score - o.score >= _TIE):
                continue  # the most specific form prefers best
            if country and best.entity.country == country != other.entity.country:
                continue
            return LinkDecision(None, best.score, ranked)  # a real tie: do not guess
        return LinkDecision(best.entity.id, best.score, ranked)


def _country_named(form: str) -> tuple[str, str] | None:
    """A name that opens with its country's name or adjective, and the name without it:
    "Mongolian Democratic Party" -> ("MNG", "Democratic Party"); None when the rest is one word."""
    words = form.split()
    for size in (2, 1):
        if len(words) - size >= 2:
            code = country_code(" ".join(words[:size]))
            if code:
                return code, " ".join(words[size:])
    return None


# --- cross-article resolution ----------------------------------------------------------------
def _type_class(entity_type: str) -> str:
    # the NLP may call the same party an Organization in one article and a party in another
    return "Org" if entity_type in ("Organization", "PoliticalParty") else entity_type


# cached: the store's entities are re-read on every batch of a build
@lru_cache(maxsize=200_000)
def _words(name: str) -> tuple[str, ...]:
    return tuple(t for t in fold_tokens(name) if t not in FOLDED_STOPWORDS)


@lru_cache(maxsize=200_000)
def _name_keys(name: str) -> frozenset[str]:
    return frozenset(k for k in (fold(name), core_key(name)) if k)


def _lexicon():
    from kgraph.nlp.lexicon import load_lexicon

    return load_lexicon("linking")


def _titles() -> frozenset[str]:
    return _lexicon()["titles"]


@lru_cache(maxsize=200_000)
def strip_titles(name: str) -> str:
    """A person's name without the leading words that give an office or rank (lexicon
    ``linking.json``), keeping at least one word.

    >>> strip_titles("Pope Francis"), strip_titles("Prime Minister Narendra Modi"), strip_titles("Francis")
    ('Francis', 'Narendra Modi', 'Francis')
    """
    parts = name.split()
    titles = _titles()
    i = 0
    while i < len(parts) - 1 and parts[i].strip(".,").lower() in titles:
        i += 1
    return " ".join(parts[i:])


@lru_cache(maxsize=200_000)
def _core_words(name: str) -> tuple[str, ...]:
    # folded words without stopwords and words such as "party" ("Republican Party" -> republikan)
    return tuple(t for t in _words(name) if t not in _DROPPABLE)


def _stem(word: str) -> str:
    """Plural and adjectival forms of a party word collide: Republicans / Republican,
    Democrats / Democratic (folded: demokrat / demokratik)."""
    if len(word) > 4 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ik"):
        word = word[:-2]
    return word


#: a word of a generic name that is not a party or institution word is at least this frequent
#: in English ("the People's Supreme Court"); "Ford Motor Company" is not generic (ford: 4.5)
_GENERIC_ZIPF = 5.0


@lru_cache(maxsize=200_000)
def _generic(name: str) -> bool:
    """A name made only of common words ("Democratic Party", "Supreme Court"): many entities
    of many countries bear it, so it identifies one only within a country."""
    from kgraph.linking.evidence import zipf
    from kgraph.linking.kb import COMMON_WORDS, GENERIC_WORDS

    words = [w for w in normalize_label(name).split() if w not in STOPWORDS]
    if len(words) == 1:  # one frequent word may be a brand ("Reuters"): only the lists say generic
        return words[0] in GENERIC_WORDS or words[0] in COMMON_WORDS
    institutions = _lexicon()["institution_words"]
    return bool(words) and all(
        w in GENERIC_WORDS or w in COMMON_WORDS or w in institutions or (not w.isdigit() and zipf(w) >= _GENERIC_ZIPF)
        for w in words
    )


def _national_acronym(name: str) -> bool:
    """A bare acronym that is not an international body's ("AFP", "UN"): it names one thing only
    within a country."""
    return is_acronym(name) and name.lower() not in _lexicon()["international_acronyms"]


def _risky_form(name: str, kb: KnowledgeBase) -> bool:
    from kgraph.linking.evidence import name_risk

    return name_risk(name, kb) in ("short", "acronym", "common-word")


def _in_order(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether the words of ``short`` occur in ``long`` in the same order."""
    rest = iter(long)
    return all(word in rest for word in short)


def _best_label(names: Iterable[str]) -> str:
    # the longest full name (most words, then most characters), alphabetical among equals
    return min(names, key=lambda n: (-len(n.split()), -len(n), n))


@dataclass
class _Group:
    kind: str  # "kb" | "key" | "name"
    type_class: str
    ident: str  # kb id, election key, or folded name (+ "@country" for a generic name)
    names: list[str] = field(default_factory=list)
    types: Counter = field(default_factory=Counter)
    forms: set[str] = field(default_factory=set)
    members: list[tuple[str, int]] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    locals: list = field(default_factory=list)  # (LocalEntity, forms, article id)


def link_analyses(
    analyses: Iterable[ArticleAnalysis], kb: KnowledgeBase, known: Iterable[Entity] = ()
) -> dict[tuple[str, int], Entity]:
    """One canonical Entity per real entity across articles (and the store's ``known`` entities).

    Returns ``{(article.id, LocalEntity.index): Entity}``. The steps, after every article of
    the batch is analysed:

    1. a KB link stands only with evidence (:mod:`kgraph.linking.evidence`): a local entity
       known only by a common word, an ambiguous acronym or a short alias, in an article that
       names neither the KB entity's country nor an entity of it, is minted instead;
    2. linked local entities become their KB entity; an election with a key the entity of that key;
    3. other names (titles stripped from persons' names) that share a folded or core name are
       one entity (a multi-word name across types too: the types vote); a generic name
       ("Supreme Court") only within one country;
    4. each such entity joins the one KB, store or batch entity its names agree with, or by
       weaker evidence, only when exactly one candidate of a compatible country remains: a
       surname alone joins the person of that full name (sharing a co-occurring entity, across
       articles), an acronym its long form, a one-word organisation name the one longer name it
       begins, a plural or adjectival party word ("Republicans") the party name ("Republican
       Party").

    The result does not depend on the order of ``analyses``.
    """
    return _CrossArticleResolution(kb, known).run(analyses)


def link_evidence(analysis: ArticleAnalysis, kb: KnowledgeBase) -> dict[int, "Evidence"]:
    """For each KB-linked local entity of one article: whether its link stands, and why."""
    return _CrossArticleResolution(kb, ())._gate(analysis)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)  # the smallest index is the root: order-free


class _CrossArticleResolution:
    """The state of one link_analyses call: groups of local entities, the targets they may
    merge into, and the Entities made so far (one per IRI)."""

    def __init__(self, kb: KnowledgeBase, known: Iterable[Entity]):
        from kgraph.rdf.namespace import entity_iri  # rdflib only when linking for real

        self.iri_of = lambda entity_type, name: str(entity_iri(entity_type, name))
        self.kb = kb
        self.known = sorted(known, key=lambda e: e.iri)
        self.known_by_iri = {e.iri: e for e in self.known}
        self.known_by_kb: dict[str, Entity] = {}
        for e in self.known:
            if e.kb_id:
                self.known_by_kb.setdefault(e.kb_id, e)
        self.groups: dict[tuple[str, str, str], _Group] = {}
        # (type class or "*", key) -> targets ("kb:<id>", "iri:<iri>") a name may merge into
        self.hard: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.target_names: dict[str, list[str]] = defaultdict(list)
        self.target_class: dict[str, str] = {}
        self.target_countries: dict[str, set[str]] = defaultdict(set)
        self.target_articles: dict[str, set[str]] = defaultdict(set)
        self.entities: dict[str, Entity] = {}  # by IRI
        self.by_target: dict[str, Entity] = {}
        self.result: dict[tuple[str, int], Entity] = {}
        self.comp_names: dict[int, list[str]] = {}
        self.comp_types: dict[int, Counter] = defaultdict(Counter)
        self.comp_raw: dict[int, list[str]] = defaultdict(list)  # names with their titles
        self.comp_scope: dict[int, str] = {}  # a generic name's country
        self.primary: dict[str, str] = {}  # an article's most named country
        self.countries: dict[str, frozenset[str]] = {}  # article id -> its main countries
        self.article_counts: dict[str, Counter] = {}  # article id -> the countries it names
        self.cooccurring: dict[str, set[str]] = defaultdict(set)  # article id -> entity idents
        self.evidence: dict[tuple[str, int], Evidence] = {}
        self.affiliation: dict[tuple[str, int], frozenset[str]] = {}  # person -> party countries
        self._extra_country_words: dict[str, str] | None = None

    def run(self, analyses: Iterable[ArticleAnalysis]) -> dict[tuple[str, int], Entity]:
        self._group(sorted(analyses, key=lambda a: a.article.id))
        self._collect_targets()
        name_groups, root_of, comp_target = self._cluster_names()
        for group in sorted(self.groups.values(), key=lambda g: (g.kind, g.type_class, g.ident)):
            if group.kind == "kb":
                self._assign(self._kb_entity(group.ident), group)
            elif group.kind == "key":
                self._assign(self._election(group), group)
        for i, group in enumerate(name_groups):
            root = root_of[i]
            target = comp_target[root] or f"comp:{root}"
            self._assign(self._target_entity(target), group)
        return self.result

    # 0. the evidence for each KB link of an article
    def _gate(self, analysis: ArticleAnalysis) -> dict[int, Evidence]:
        from kgraph.linking.evidence import article_countries, assess, name_risk

        text = analysis.article.text
        decisions: dict[int, Evidence] = {}
        risky = []
        safe_countries: set[str] = set()
        for local in analysis.entities:
            kbe = self.kb.get(local.kb_id) if local.kb_id else None
            if kbe is None:
                continue
            forms = [f for f in dict.fromkeys((local.name, *local.surface_forms)) if f and _name_like(f)]
            if country_code(local.name) or self.kb.is_country_word(local.name):
                decisions[local.index] = Evidence(False, [f"{local.name!r} names a country, not {kbe.name!r}"])
            elif any(name_risk(f, self.kb) is None for f in forms):
                loose = self._loose_party_link(local, kbe, analysis)
                if loose:
                    decisions[local.index] = Evidence(False, [loose])
                    continue
                decisions[local.index] = Evidence(True, [f"a name of it identifies it ({forms[0]!r})"])
                if kbe.country:
                    safe_countries.add(kbe.country)
            else:
                risky.append((local, kbe, forms))
        if risky:
            counts = self.article_counts.get(analysis.article.id) or article_countries(text)
            stems: dict[str, set[str]] = defaultdict(set)  # stem -> names of other org entities
            for local in analysis.entities:
                if _type_class(local.type) == "Org":
                    for form in (local.name, *local.surface_forms):
                        core = _core_words(form)
                        if len(core) >= 1:
                            stems[_stem(core[0])].add(local.name)
            for local, kbe, forms in risky:
                rival = self._rival_in_article(local, kbe, forms, analysis, stems)
                if rival is not None:
                    decisions[local.index] = Evidence(
                        False, [f"{f!r} is {name_risk(f, self.kb)}" for f in forms]
                        + [f"the article's {rival!r} bears that word and is not {kbe.name!r}"])
                    continue
                own = {code for code in map(country_code, forms) if code}
                decisions[local.index] = assess(
                    forms, kbe, self.kb, text, safe_countries, countries=None if own else counts,
                )
        return decisions

    def _loose_party_link(self, local, kbe, analysis: ArticleAnalysis) -> str | None:
        """A party matched only loosely (not by an exact or folded alias) whose country the
        article never names while it names others: "Accion Democratica" in a Venezuelan article
        is not the Italian party a fuzzy match found."""
        from kgraph.linking.evidence import _names_country, article_countries

        if kbe.type != "PoliticalParty" or not kbe.country or local.kb_score >= _EXACT_LINK:
            return None
        text = analysis.article.text
        counts = self.article_counts.get(analysis.article.id)
        if counts is None:
            counts = article_countries(text)
        if not counts or counts.get(kbe.country) or _names_country(text, kbe.country, self.kb):
            return None
        named = ", ".join(sorted(counts))
        return f"{local.name!r} matches {kbe.name!r} ({kbe.country}) only loosely, in an article about {named}"

    def _kb_country_mentions(self, text: str) -> Counter:
        """Countries the gazetteer lacks, named by the words the KB's party names use for them
        ("Zambia" from "... of Zambia")."""
        if self._extra_country_words is None:
            from kgraph.linking.evidence import _country_words

            known = set(_country_words().values())
            self._extra_country_words = {}
            self.kb.country_words("")
            for code, words in sorted(self.kb._index.country_words.items()):
                if code not in known:
                    for word in words:
                        self._extra_country_words.setdefault(word, code)
        counts: Counter = Counter()
        if self._extra_country_words:
            for token in _CAPITALISED.findall(text):
                code = self._extra_country_words.get(fold(token))
                if code:
                    counts[code] += 1
        return counts

    def _rival_in_article(self, local, kbe, forms, analysis, stems) -> str | None:
        """Another organisation of the article named with the same party word ("Communist
        Party" beside "Communists") that is not linked to ``kbe``: the word means that one."""
        if _type_class(local.type) != "Org":
            return None
        own = set(kbe.names)
        for form in forms:
            core = _core_words(form)
            if len(core) != 1:
                continue
            for other in analysis.entities:
                if other.index == local.index or other.kb_id == kbe.id or _type_class(other.type) != "Org":
                    continue
                if other.parent == local.index or any(other.name.startswith(f + " ") for f in forms):
                    continue  # its own body: "Democratic Party parliamentary group"
                if other.name in own or len(_words(other.name)) < 2:
                    continue
                if other.name in stems.get(_stem(core[0]), ()):
                    return other.name
        return None

    def _article_context(self, analysis: ArticleAnalysis) -> None:
        from kgraph.linking.evidence import article_countries

        counts = article_countries(analysis.article.text)
        counts.update(self._kb_country_mentions(analysis.article.text))
        self.article_counts[analysis.article.id] = counts
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        self.countries[analysis.article.id] = frozenset(code for code, _ in top)
        if top:
            self.primary[analysis.article.id] = top[0][0]

    # 1. group the local entities: by KB id, by election key, or by folded name
    def _group(self, analyses: list[ArticleAnalysis]) -> None:
        for analysis in analyses:
            aid = analysis.article.id
            self._article_context(analysis)
            gate = self._gate(analysis)
            for local, ev in gate.items():
                self.evidence[(aid, local)] = ev
            idents = self.cooccurring[aid]
            affiliations = self._affiliations(analysis, gate)
            for local in sorted(analysis.entities, key=lambda e: e.index):
                kb_entity = self.kb.get(local.kb_id) if local.kb_id else None
                if kb_entity is not None and not gate[local.index].kept:
                    kb_entity = None
                forms = [f for f in (local.name, *local.surface_forms) if f]
                if kb_entity is not None:
                    gkey = ("kb", _type_class(kb_entity.type), kb_entity.id)
                    idents.add(f"kb:{kb_entity.id}")
                elif local.type == "Election" and local.key:
                    gkey = ("key", "Election", local.key)
                else:
                    name = strip_titles(local.name) if local.type == "Person" else local.name
                    name_key = fold(name) or normalize_label(name) or name
                    if local.type != "Person" and _generic(name):
                        # a generic name ("National Assembly") is one entity per country; an article
                        # whose country is unknown keeps its own
                        country = min(self.countries[aid], default="") or f"#{aid}"
                        name_key = f"{name_key}@{country}"
                    elif local.type != "Person" and _national_acronym(name) and self.primary.get(aid):
                        # a bare acronym names one thing only within a country: "AP" of a
                        # Venezuelan article is a party there (see _cluster_names)
                        name_key = f"{name_key}^{self.primary[aid]}"
                    elif local.type == "Person" and len(_words(name)) == 1:
                        # a lone surname is resolved in its own article's context
                        name_key = f"{name_key}#{aid}"
                    gkey = ("name", _type_class(local.type), name_key)
                    if len(_words(name)) >= 2:
                        idents.add(f"name:{fold(name)}")
                self._add_member(gkey, local, forms, aid)
                if gkey[0] == "name" and gkey[1] == "Person" and affiliations.get(local.index):
                    # the countries of its parties and of its article: namesakes differ in both
                    self.affiliation[(aid, local.index)] = frozenset(affiliations[local.index]) | self.countries[aid]
        self._split_namesakes()

    def _add_member(self, gkey: tuple[str, str, str], local, forms: list[str], aid: str) -> None:
        group = self.groups.get(gkey)
        if group is None:
            group = self.groups[gkey] = _Group(*gkey)
        group.names.append(local.name)
        group.types[local.type] += 1
        group.forms.update(forms)
        group.members.append((aid, local.index))
        group.articles.add(aid)
        group.locals.append((local, forms, aid))

    def _affiliations(self, analysis: ArticleAnalysis, gate: dict[int, Evidence]) -> dict[int, set[str]]:
        """Countries of the KB parties and organizations each person of the article is a member
        or leader of (its relations), the context that tells namesakes apart."""
        out: dict[int, set[str]] = defaultdict(set)
        by_index = {e.index: e for e in analysis.entities}
        for rel in analysis.relations:
            if rel.predicate not in ("memberOf", "leads"):
                continue
            obj = by_index.get(rel.object)
            if obj is None or not obj.kb_id or not gate.get(obj.index, Evidence(False)).kept:
                continue
            kbe = self.kb.get(obj.kb_id)
            if kbe is not None and kbe.country:
                out[rel.subject].add(kbe.country)
        return out

    def _split_namesakes(self) -> None:
        """One full name, two people: members of parties of different countries, named in
        articles about different countries, stay apart (a person without such a relation joins
        the largest of them)."""
        for gkey, group in sorted(self.groups.items()):
            if gkey[0] != "name" or gkey[1] != "Person" or "#" in gkey[2]:
                continue
            signatures = sorted({s for m in group.members if (s := self.affiliation.get(m))}, key=sorted)
            if len(signatures) < 2:
                continue
            clusters: list[set[str]] = []
            for sig in signatures:  # countries that meet in one person are one context
                joined = [c for c in clusters if c & sig]
                merged = set(sig).union(*joined)
                clusters = [c for c in clusters if not (c & sig)] + [merged]
            if len(clusters) < 2:
                continue
            members = {c_key: [] for c_key in range(len(clusters))}
            loose = []
            for info in group.locals:
                local, _, aid = info
                sig = self.affiliation.get((aid, local.index))
                if sig:
                    members[next(i for i, c in enumerate(clusters) if c & sig)].append(info)
                else:
                    loose.append(info)
            order = sorted(members, key=lambda i: (-len(members[i]), sorted(clusters[i])))
            members[order[0]].extend(loose)
            del self.groups[gkey]
            for rank, i in enumerate(order):
                key = gkey if rank == 0 else (gkey[0], gkey[1], f"{gkey[2]}%{'-'.join(sorted(clusters[i]))}")
                for local, forms, aid in members[i]:
                    self._add_member(key, local, forms, aid)

    # 2a. what a name may merge into: store entities and the KB entities linked in this batch
    def _collect_targets(self) -> None:
        for e in self.known:
            target = f"kb:{e.kb_id}" if e.kb_id and self.kb.get(e.kb_id) else f"iri:{e.iri}"
            self._add_target(target, _type_class(e.type), [e.label, *sorted(e.aliases)], e.type == "Person")
        for group in self.groups.values():
            if group.kind == "kb":
                kbe = self.kb.get(group.ident)
                target = f"kb:{kbe.id}"
                # its name and the forms articles used for it, not every KB alias: Party Facts
                # aliases such as "Democratic Party" are shared by parties of many countries
                names = [kbe.name, *sorted(group.forms)]
                self._add_target(target, group.type_class, names, kbe.type == "Person")
                if kbe.country:
                    self.target_countries[target].add(kbe.country)
                for aid in group.articles:
                    self.target_countries[target] |= self.countries.get(aid, frozenset())
                self.target_articles[target] |= group.articles

    def _add_target(self, target: str, type_class: str, names: Iterable[str], person: bool) -> None:
        self.target_class[target] = type_class
        names = list(names)
        names_head = names[0] if names else None
        for name in names:
            if person:
                name = strip_titles(name)
            self.target_names[target].append(name)
            if not person and _generic(name) and (target.startswith("iri:") or self.kb.owners(name) > 1):
                continue  # "Democratic Party", "Supreme Court" say which one only with a country
            if name != names_head and _risky_form(name, self.kb):
                continue  # "PF", "AP" as one article used them: elsewhere they may mean another
            for key in _name_keys(name):
                self.hard[(type_class, key)].add(target)
                if len(_words(name)) >= 2:
                    self.hard[("*", key)].add(target)

    # 2b. name groups sharing a folded (or core) name are one entity (union-find: the result
    # does not depend on the order); each component merges into the one target its names
    # agree with, or into one candidate by weaker evidence (surname, acronym, prefix, stem)
    def _cluster_names(self):
        name_groups = sorted(
            (g for g in self.groups.values() if g.kind == "name"), key=lambda g: (g.type_class, g.ident)
        )
        uf = _UnionFind(len(name_groups))
        sharing: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, group in enumerate(name_groups):
            if "@" in group.ident or "#" in group.ident or "%" in group.ident:
                continue  # a generic name within one country, a lone surname within its article,
                # a namesake of another country's party
            countries = sorted({c for aid in group.articles for c in self.countries.get(aid, ())})
            for name in self._group_names(group):
                multi = len(_words(name)) >= 2
                for key in _name_keys(name):
                    if _national_acronym(name) and countries:  # within its countries only
                        for country in countries:
                            sharing[(group.type_class, f"{key}@{country}")].append(i)
                        continue
                    sharing[(group.type_class, key)].append(i)
                    if multi:  # a full name is one entity whatever type an article gave it
                        sharing[("*", key)].append(i)
        for members in sharing.values():
            for j in members[1:]:
                uf.union(members[0], j)
        root_of = [uf.find(i) for i in range(len(name_groups))]

        comp_names: dict[int, list[str]] = defaultdict(list)
        comp_articles: dict[int, set[str]] = defaultdict(set)
        for i, group in enumerate(name_groups):
            comp_names[root_of[i]].extend(self._group_names(group))
            self.comp_raw[root_of[i]].extend(group.names)
            if "@" in group.ident or "%" in group.ident:
                self.comp_scope[root_of[i]] = re.split(r"[@%]", group.ident)[-1]
            self.comp_types[root_of[i]].update(group.types)
            comp_articles[root_of[i]] |= group.articles
        for i, group in enumerate(name_groups):
            root = root_of[i]
            if "^" in group.ident and root not in self.comp_scope and all(is_acronym(n) for n in comp_names[root]):
                self.comp_scope[root] = group.ident.rsplit("^", 1)[-1]  # "AP" of Venezuela: ap-ven
        self.comp_names = comp_names
        comp_class = {root: name_groups[root].type_class for root in comp_names}
        comp_generic = {root: "@" in name_groups[root].ident for root in comp_names}
        comp_target: dict[int, str | None] = {}
        for root, names in comp_names.items():
            if comp_generic[root]:
                comp_target[root] = None
                continue
            tclass = comp_class[root]
            targets = set()
            for n in names:
                scopes = (tclass, "*") if len(_words(n)) >= 2 else (tclass,)
                for k in _name_keys(n):
                    for scope in scopes:
                        targets |= self.hard.get((scope, k), set())
            comp_target[root] = min(targets) if len(targets) == 1 else None

        # candidates by weak key: (type class, key) -> ids ("comp:<root>" or a target)
        weak: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        articles_of: dict[str, set[str]] = {}
        countries_of: dict[str, set[str]] = {}

        long_names: dict[str, list[tuple[str, ...]]] = defaultdict(list)

        def final(root: int) -> str:
            return comp_target[root] or f"comp:{root}"

        def index_long(ident: str, tclass: str, names: Iterable[str], generic: bool = False) -> None:
            for name in names:
                words = _words(name)
                if len(words) < 2:
                    continue
                core = _core_words(name)
                if len(core) == 1 and tclass != "Person":  # "Republican Party" for "Republicans"
                    weak[("stem", tclass, _stem(core[0]))].add(ident)
                if generic:  # "National Conference": its acronym and prefix in its own article only
                    if not is_acronym(name):
                        weak[("acronym", "*", acronym(name))].add(ident)
                        weak[("prefix", "*", words[0])].add(ident)
                    continue
                if tclass == "Person":
                    weak[("surname", tclass, words[-1])].add(ident)
                    # in its own article, a one-word name of any type may be a part of it
                    # ("Zelaya" of "Jose Manuel Zelaya Rosales")
                    for word in words:
                        weak[("part", "*", word)].add(ident)
                        weak[("word", tclass, word)].add(ident)
                    long_names[ident].append(words)
                    continue
                if not is_acronym(name):
                    initials = acronym(name)
                    if len(initials) >= 3:
                        weak[("acronym", tclass, initials)].add(ident)
                    weak[("acronym", "*", initials)].add(ident)
                    weak[("prefix", tclass, words[0])].add(ident)
                    weak[("prefix", "*", words[0])].add(ident)
                    weak[("part", "*", words[-1])].add(ident)  # "Platense": Club Atletico Platense

        for root, names in comp_names.items():
            ident = final(root)
            articles_of.setdefault(ident, set()).update(comp_articles[root])
            countries_of.setdefault(ident, set()).update(
                c for aid in comp_articles[root] for c in self.countries.get(aid, ()))
            index_long(ident, comp_class[root], names, comp_generic[root])
            if comp_class[root] == "Person":  # "Pope Francis": a bare "Francis" may mean him
                for raw in self.comp_raw[root]:
                    bare = _words(strip_titles(raw))
                    if len(bare) == 1 and len(_words(raw)) >= 2:
                        weak[("surname", "Person", bare[0])].add(ident)
        for target, names in self.target_names.items():
            index_long(target, self.target_class[target], names)
            articles_of.setdefault(target, set()).update(self.target_articles.get(target, ()))
            countries_of.setdefault(target, set()).update(self.target_countries.get(target, ()))

        def resolved(ident: str) -> str:
            # a candidate already joined to another entity by an earlier weak rule is that entity
            seen = set()
            while ident.startswith("comp:") and ident not in seen:
                seen.add(ident)
                nxt = comp_target[int(ident[5:])]
                if nxt is None:
                    break
                ident = nxt
            return ident

        # full names first, then one-word names: a one-word name sees what they joined
        order = sorted(comp_names, key=lambda r: (any(len(_words(n)) < 2 for n in comp_names[r]), r))
        for root in order:
            names = comp_names[root]
            if comp_target[root] is not None:
                continue
            tclass = comp_class[root]
            keys = self._weak_keys(tclass, names)
            me = f"comp:{root}"
            mine = countries_of.get(me, set())
            if comp_generic[root]:  # "Republicans": only the stem, and only within a country
                keys = [k for k in keys if k[0] == "stem"] if mine else []
            here = articles_of.get(me, set())
            candidates = set()
            if tclass == "Person" and not keys:
                # "Alejandro Moreno" is the one "Alejandro Moreno Cardenas", in order
                candidates = self._longer_names(names, weak, long_names)
            elif not keys:
                continue
            for k in keys:
                found = weak.get(k, set())
                if k[1] == "*":  # a same-article rule
                    found = {c for c in found if articles_of.get(c, set()) & here}
                elif k[0] == "acronym":
                    # across articles an acronym joins a long name only where both articles' countries
                    # are known and shared ("MDP" of a Maldivian article is not a Mongolian party)
                    found = {c for c in found if articles_of.get(c, set()) & here
                             or (mine and mine & countries_of.get(c, set()))}
                candidates |= found
            candidates = {resolved(c) for c in candidates} - {me}
            if comp_generic[root]:
                candidates = {c for c in candidates if mine & countries_of.get(c, set())}
            else:
                candidates = {c for c in candidates if not mine or not countries_of.get(c) or mine & countries_of[c]}
            if tclass == "Person" and len(candidates) > 1:
                # namesakes: keep the candidates seen with this surname's article, or sharing
                # a co-occurring entity with it
                context = set().union(*(self.cooccurring.get(a, set()) for a in here)) if here else set()
                candidates = {
                    c for c in candidates
                    if articles_of.get(c, set()) & here
                    or context & set().union(*(self.cooccurring.get(a, set()) for a in articles_of.get(c, ())))
                }
            if len(candidates) == 1:
                comp_target[root] = next(iter(candidates))
        for root in sorted(comp_names):  # follow chains of joins to their end
            if comp_target[root] is not None:
                comp_target[root] = resolved(comp_target[root])
                if comp_target[root] == f"comp:{root}":
                    comp_target[root] = None
        # an attached name votes for the type of the entity it joined
        for root in sorted(comp_names):
            target = comp_target[root]
            if target is not None and target.startswith("comp:") and int(target[5:]) != root:
                self.comp_types[int(target[5:])].update(self.comp_types[root])
        return name_groups, root_of, comp_target

    @staticmethod
    def _longer_names(names: list[str], weak, long_names) -> set[str]:
        found: set[str] = set()
        for name in names:
            words = _words(name)
            if len(words) < 2:
                continue
            pools = [weak.get(("word", "Person", w), set()) for w in words]
            for ident in set.intersection(*pools) if pools else set():
                if any(len(longer) > len(words) and _in_order(words, longer) for longer in long_names[ident]):
                    found.add(ident)
        return found

    def _group_names(self, group: _Group) -> list[str]:
        if group.type_class == "Person":
            return [strip_titles(n) for n in group.names]
        return list(group.names)

    @staticmethod
    def _weak_keys(tclass: str, names: list[str]) -> list[tuple[str, str, str]]:
        """The weak keys of a component whose names are all one word (or acronyms)."""
        words = {_words(n) for n in names}
        if any(len(w) != 1 for w in words):
            return []
        keys = []
        for name in names:
            (word,) = _words(name)
            if country_code(name):
                continue  # "Tunisia" is the country, not "Heart of Tunisia"
            if is_acronym(name):
                key = _acronym_key(name)
                keys.append(("acronym", "*", key))
                if len(key) >= 3:
                    keys.append(("acronym", tclass, key))
                continue
            if tclass == "Person":
                keys.append(("surname", tclass, word))
            else:
                keys.append(("stem", tclass, _stem(word)))
                if not _generic(name):
                    keys.append(("prefix", tclass, word))
            if not _generic(name):
                keys += [("part", "*", word), ("prefix", "*", word)]
        return list(dict.fromkeys(keys))

    # 3. one Entity per target, one per IRI
    def _register(self, target: str, entity: Entity) -> Entity:
        existing = self.entities.get(entity.iri)
        if existing is not None:  # two routes to one IRI are one entity
            existing.aliases |= entity.aliases
            existing.wikidata = existing.wikidata or entity.wikidata
            existing.kb_id = existing.kb_id or entity.kb_id
            entity = existing
        self.entities[entity.iri] = entity
        self.by_target[target] = entity
        return entity

    def _kb_entity(self, kb_id: str) -> Entity:
        target = f"kb:{kb_id}"
        if target in self.by_target:
            return self.by_target[target]
        kbe = self.kb.get(kb_id)
        # label, type and IRI come from the KB, so every run and every store agree on them;
        # what the store already knows about the entity (aliases, a Wikidata id) is kept
        # a name several KB entities bear ("Democratic Party" of Mongolia, of Hong Kong): the IRI
        # says the country, so namesakes never share one
        shared = kbe.country and self.kb.label_shared(kbe.name)
        iri = self.iri_of(kbe.type, f"{kbe.name} {kbe.country.lower()}" if shared else kbe.name)
        entity = Entity(iri, kbe.type, kbe.name, set(), kbe.wikidata, kb_id)
        for held in (self.known_by_iri.get(iri), self.known_by_kb.get(kb_id)):
            if held is not None:
                entity.aliases |= held.aliases | ({held.label} - {kbe.name})
                entity.wikidata = entity.wikidata or held.wikidata
        return self._register(target, entity)

    def _election(self, group: _Group) -> Entity:
        target = f"key:{group.ident}"
        if target not in self.by_target:
            iri = self.iri_of("Election", group.ident)
            if iri in self.known_by_iri:
                entity = _copy(self.known_by_iri[iri])
            else:
                counts = Counter(group.names)  # the most frequent name, then the longest
                entity = Entity(iri, "Election", min(counts, key=lambda n: (-counts[n], -len(n), n)))
            self._register(target, entity)
        return self.by_target[target]

    def _target_entity(self, target: str) -> Entity:
        if target.startswith("kb:"):
            return self._kb_entity(target[3:])
        if target in self.by_target:
            return self.by_target[target]
        if target.startswith("iri:"):
            return self._register(target, _copy(self.known_by_iri[target[4:]]))
        root = int(target[5:])  # "comp:<root>": an entity minted by this batch
        label = _best_label(self.comp_names[root])
        if len(label.split()) == 1:  # "Pope Francis" says more than "Francis"
            label = _best_label(self.comp_raw[root])
        entity_type = _majority_type(self.comp_types[root])
        scope = self.comp_scope.get(root)
        # a generic name ("Supreme Court") is one entity per country: the IRI says which
        iri = self.iri_of(entity_type, f"{label} {scope}" if scope else label)
        held = self.known_by_iri.get(iri)
        entity = _copy(held) if held is not None else Entity(iri, entity_type, label)
        return self._register(target, entity)

    def _assign(self, entity: Entity, group: _Group) -> None:
        entity.aliases |= {f for f in group.forms if f != entity.label}
        for member in group.members:
            self.result[member] = entity


def _copy(e: Entity) -> Entity:
    return Entity(e.iri, e.type, e.label, set(e.aliases), e.wikidata, e.kb_id)


def _majority_type(counts: Counter) -> str:
    order = {"PoliticalParty": 0, "Organization": 1, "Person": 2, "Election": 3}
    return min(counts, key=lambda t: (-counts[t], order.get(t, 9)))


# --- names typed by users --------------------------------------------------------------------
def _known_kb(known: Iterable[Entity]) -> KnowledgeBase:
    return KnowledgeBase(
        KBEntity(e.iri, e.type, e.label, tuple(sorted(a for a in e.aliases if a != e.label)), e.wikidata)
        for e in sorted(known, key=lambda e: e.iri)
    )


def explain(
    name: str, kb: KnowledgeBase, known: Iterable[Entity] = (), limit: int = 10, type: str | None = None
) -> list[Candidate]:
    """The candidates for a name, best first, from the KB and from the store's entities.

    A store entity appears as a KBEntity whose ``id`` is its IRI; a KB entity that the store
    already holds (same ``kb_id``) is listed once, as the store entity.
    """
    known = list(known)
    by_kb = {e.kb_id: e for e in known if e.kb_id}
    merged: dict[str, Candidate] = {}
    for cand in _known_kb(known).candidates(name, type=type, limit=limit):
        merged[cand.entity.id] = cand
    for cand in kb.candidates(name, type=type, limit=limit):
        held = by_kb.get(cand.entity.id)
        if held is not None:
            prev = merged.get(held.iri)
            if prev is None or prev.score < cand.score:
                store_view = KBEntity(
                    held.iri, held.type, held.label, tuple(sorted(held.aliases)), held.wikidata
                )
                merged[held.iri] = Candidate(store_view, cand.score, cand.method, cand.matched)
        else:
            merged[cand.entity.id] = cand
    ranked = sorted(merged.values(), key=lambda c: (-c.score, c.entity.name, c.entity.id))
    return ranked[:limit]


def resolve_name(
    name: str, kb: KnowledgeBase, known: Iterable[Entity] = (), type: str | None = None
) -> Entity:
    """The entity a user means by ``name``, in any spelling (KB or store entity).

    Raises EntityNotFoundError (``.candidates`` = closest names) when nothing matches well
    enough or several entities match equally well.
    """
    from kgraph.rdf.namespace import entity_iri

    known = list(known)
    ranked = explain(name, kb, known, limit=10, type=type)
    closest = [c.entity.name for c in ranked[:5]]
    if not ranked or ranked[0].score < RESOLVE_THRESHOLD:
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        raise EntityNotFoundError(
            f"no entity matches {name!r}{hint}. Check the spelling, or run `kgraph link {name!r}` "
            "to see the candidates and their scores",
            closest,
        )
    best = ranked[0]
    tied = [
        c for c in ranked[1:] if best.score - c.score < _TIE and not _same_thing(best.entity, c.entity)
    ]
    if tied:
        names = [best.entity.name] + [c.entity.name for c in tied]
        described = [
            f"{c.entity.name} ({c.entity.type}{', ' + c.entity.country if c.entity.country else ''})"
            for c in [best, *tied]
        ]
        raise EntityNotFoundError(
            f"{name!r} is ambiguous: {'; '.join(described)}. Give the full name"
            + (" or a type" if type is None else ""),
            names,
        )
    by_iri = {e.iri: e for e in known}
    if best.entity.id in by_iri:
        e = by_iri[best.entity.id]
        return Entity(e.iri, e.type, e.label, set(e.aliases), e.wikidata, e.kb_id)
    kbe = best.entity
    return Entity(
        str(entity_iri(kbe.type, kbe.name)), kbe.type, kbe.name, set(kbe.aliases), kbe.wikidata, kbe.id
    )
