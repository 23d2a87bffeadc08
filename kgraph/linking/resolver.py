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

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kgraph.errors import EntityNotFoundError
from kgraph.linking.kb import Candidate, KBEntity, KnowledgeBase, core_key, types_compatible
from kgraph.linking.normalize import FOLDED_STOPWORDS, fold, fold_tokens, normalize_label
from kgraph.model import ArticleAnalysis, Entity

__all__ = ["LinkContext", "LinkDecision", "Linker", "link_analyses", "resolve_name", "explain"]

#: default minimum score for the Linker to accept a KB entity
DEFAULT_THRESHOLD = 0.8
#: minimum score for resolve_name to accept a candidate (a user typing a name wants leniency)
RESOLVE_THRESHOLD = 0.6
_TIE = 0.01  # scores closer than this are a tie: refuse to guess


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


def _best_label(names: Iterable[str]) -> str:
    # the longest full name (most words, then most characters), alphabetical among equals
    return min(names, key=lambda n: (-len(n.split()), -len(n), n))


@dataclass
class _Group:
    kind: str  # "kb" | "key" | "name"
    type_class: str
    ident: str  # kb id, election key, or folded name
    names: list[str] = field(default_factory=list)
    types: Counter = field(default_factory=Counter)
    forms: set[str] = field(default_factory=set)
    members: list[tuple[str, int]] = field(default_factory=list)


def link_analyses(
    analyses: Iterable[ArticleAnalysis], kb: KnowledgeBase, known: Iterable[Entity] = ()
) -> dict[tuple[str, int], Entity]:
    """One canonical Entity per real entity across articles (and the store's ``known`` entities).

    Returns ``{(article.id, LocalEntity.index): Entity}``. A local entity linked to the KB
    becomes that KB entity; an election with a key becomes the entity of that key; any other
    name merges with a known or co-occurring entity of the same type whose folded name agrees,
    a one-word person name with the unique person of that surname; else a new entity is minted.
    The result does not depend on the order of ``analyses``.
    """
    return _CrossArticleResolution(kb, known).run(analyses)


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
        # (type class, folded name) -> targets ("kb:<id>", "iri:<iri>") a name may merge into
        self.hard: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.hard_surnames: dict[str, set[str]] = defaultdict(set)
        self.entities: dict[str, Entity] = {}  # by IRI
        self.by_target: dict[str, Entity] = {}
        self.result: dict[tuple[str, int], Entity] = {}
        # components of name groups (by root index): their names and type votes
        self.comp_names: dict[int, list[str]] = {}
        self.comp_types: dict[int, Counter] = defaultdict(Counter)

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

    # 1. group the local entities: by KB id, by election key, or by folded name
    def _group(self, analyses: list[ArticleAnalysis]) -> None:
        for analysis in analyses:
            for local in sorted(analysis.entities, key=lambda e: e.index):
                kb_entity = self.kb.get(local.kb_id) if local.kb_id else None
                if kb_entity is not None:
                    gkey = ("kb", _type_class(kb_entity.type), kb_entity.id)
                elif local.type == "Election" and local.key:
                    gkey = ("key", "Election", local.key)
                else:
                    name_key = fold(local.name) or normalize_label(local.name) or local.name
                    gkey = ("name", _type_class(local.type), name_key)
                group = self.groups.get(gkey)
                if group is None:
                    group = self.groups[gkey] = _Group(*gkey)
                group.names.append(local.name)
                group.types[local.type] += 1
                group.forms.update(f for f in (local.name, *local.surface_forms) if f)
                group.members.append((analysis.article.id, local.index))

    # 2a. what a name may merge into: store entities and the KB entities linked in this batch
    def _collect_targets(self) -> None:
        for e in self.known:
            target = f"kb:{e.kb_id}" if e.kb_id and self.kb.get(e.kb_id) else f"iri:{e.iri}"
            self._add_target(target, _type_class(e.type), [e.label, *sorted(e.aliases)], e.type == "Person")
        for group in self.groups.values():
            if group.kind == "kb":
                kbe = self.kb.get(group.ident)
                # its name and the forms articles used for it, not every KB alias: Party Facts
                # aliases such as "Democratic Party" are shared by parties of many countries
                names = [kbe.name, *sorted(group.forms)]
                self._add_target(f"kb:{kbe.id}", group.type_class, names, kbe.type == "Person")

    def _add_target(self, target: str, type_class: str, names: Iterable[str], person: bool) -> None:
        for name in names:
            for key in _name_keys(name):
                self.hard[(type_class, key)].add(target)
            words = _words(name)
            if person and len(words) >= 2:
                self.hard_surnames[words[-1]].add(target)

    # 2b. name groups sharing a folded (or core) name are one entity (union-find: the result
    # does not depend on the order); each component merges into the one target its names
    # agree with, or, for a lone surname, into the unique person of that surname
    def _cluster_names(self):
        name_groups = sorted(
            (g for g in self.groups.values() if g.kind == "name"), key=lambda g: (g.type_class, g.ident)
        )
        parent = list(range(len(name_groups)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        sharing: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, group in enumerate(name_groups):
            for name in group.names:
                for key in _name_keys(name):
                    sharing[(group.type_class, key)].append(i)
        for members in sharing.values():
            for j in members[1:]:
                a, b = find(members[0]), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        root_of = [find(i) for i in range(len(name_groups))]

        comp_names: dict[int, list[str]] = defaultdict(list)
        for i, group in enumerate(name_groups):
            comp_names[root_of[i]].extend(group.names)
            self.comp_types[root_of[i]].update(group.types)
        self.comp_names = comp_names
        comp_target: dict[int, str | None] = {}
        for root, names in comp_names.items():
            tclass = name_groups[root].type_class
            targets = {t for n in names for k in _name_keys(n) for t in self.hard.get((tclass, k), ())}
            comp_target[root] = next(iter(targets)) if len(targets) == 1 else None

        # lone surnames ("Altaev") -> the unique person with that surname, known or in this batch
        surnames: dict[str, set[str]] = defaultdict(set)
        for surname, targets in self.hard_surnames.items():
            surnames[surname] |= targets
        for root, names in comp_names.items():
            if name_groups[root].type_class == "Person":
                for words in map(_words, names):
                    if len(words) >= 2:
                        surnames[words[-1]].add(comp_target[root] or f"comp:{root}")
        for root, names in comp_names.items():
            if name_groups[root].type_class != "Person" or comp_target[root] is not None:
                continue
            words = {_words(n) for n in names}
            if len(words) == 1 and len(next(iter(words))) == 1:
                (surname,) = next(iter(words))
                targets = surnames.get(surname, set()) - {f"comp:{root}"}
                if len(targets) == 1:
                    comp_target[root] = next(iter(targets))
        return name_groups, root_of, comp_target

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
        iri = self.iri_of(kbe.type, kbe.name)
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
        entity_type = _majority_type(self.comp_types[root])
        iri = self.iri_of(entity_type, label)
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
