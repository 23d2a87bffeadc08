"""The knowledge base of canonical entities (Party Facts parties + curated actors) and its candidate search.

A :class:`KnowledgeBase` holds :class:`KBEntity` records and answers ``candidates(name)`` with
ranked :class:`Candidate` matches: exact normalised alias > folded alias (transliteration
variants) > alias without generic words ("Asar party" -> "Asar") > acronym > surname (persons) >
fuzzy (character trigrams, through an inverted index so a query never scans every alias).

Indexes are built lazily on first use, so loading the default KB stays cheap.
"""
from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from kgraph.errors import InputError
from kgraph.linking.normalize import (
    FOLDED_STOPWORDS,
    STOPWORDS,
    acronym,
    fold,
    fold_normalized,
    fold_tokens,
    normalize_label,
    transliterate,
)
from kgraph.model import ENTITY_TYPES

__all__ = [
    "KBEntity", "Candidate", "KnowledgeBase", "DATA_DIR", "COMMON_WORDS", "GENERIC_WORDS",
    "read_kb_file", "write_kb_file",
]

DATA_DIR = Path(__file__).parent / "data"
PARTYFACTS_CSV = DATA_DIR / "partyfacts" / "parties_wikidata.csv"
ACTORS_JSONL = DATA_DIR / "actors.jsonl"

#: words that say what kind of organisation a name is, not which one: "the Asar party" is Asar.
GENERIC_WORDS = frozenset(
    "party parties movement bloc faction coalition alliance front union organization organisation "
    "political public republican national democratic social people peoples".split()
)
# Only the first half of GENERIC_WORDS may be dropped from a name: "Democratic Party" must not
# reduce to nothing and "People's Party" must keep "people".
# leading words that look like a country's adjective but name a movement ("National ...")
_NOT_ADJECTIVES = frozenset(fold(w) for w in "national nationalist new united social".split())
_DROPPABLE = frozenset(fold(w) for w in "party parties movement bloc coalition".split())

#: single words too common in English prose to be matched as an exact alias by the entity ruler
#: ("Unity", "Forward", "Fatherland" are party names, but mostly they are just words).
COMMON_WORDS = frozenset(
    """
    accord action agrarian agrarians alliance alternative assembly bloc centre center change
    choice citizens civic coalition coexistence communist communists congress conservative
    conservatives council courage dawn democracy democrat democratic democrats development
    dignity enough equality faith family fatherland force forward freedom front future green
    greens growth heritage home homeland hope independence independent independents justice
    labor labour land law league left liberal liberals liberty life light modern motherland
    movement muslim nation national nationalists new order party path patriot patriots peace
    people popular power progress progressive radical radicals rally reform renaissance renewal
    republic republican republicans revival right socialist socialists solidarity spring
    together union unity voice way women workers yes youth senate parliament government
    president state first one our all free just new united us we
    """.split()
) | STOPWORDS


#: uppercase abbreviations of everyday English that happen to be some party's acronym too
COMMON_ABBREVIATIONS = frozenset(
    """
    AI AM AND ARE BBC CD CEO CFO CIA CNN CV DA DC DJ DNA DVD EU FAQ FBI GDP GMT HIV HQ HR ID IMF
    IP IQ IT MP NATO NGO NHS OK PC PDF PM PR PS TV UK UN UNESCO US USA VAT VIP WHO WTO
    """.split()
)


@dataclass(frozen=True)
class KBEntity:
    """One canonical entity of the knowledge base.

    ``id`` is ``pf:<partyfacts_id>`` for Party Facts parties, ``actor:<slug>`` for curated
    actors, anything unique for users' own KBs; ``country`` is an ISO 3166 alpha-3 code.
    """

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    country: str | None = None
    description: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by the aliases, without duplicates."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass
class Candidate:
    """A KB entity proposed for a name, with a score in [0, 1], how it matched, and the alias."""

    entity: KBEntity
    score: float
    method: str
    matched: str


# Base scores of the match methods; type and country adjust them afterwards.
SCORES = {
    "alias": 1.0,
    "folded": 0.95,
    "core": 0.88,
    "acronym": 0.82,
    "expansion": 0.78,  # a long name whose initials are an entity's acronym alias
    "local": 0.88,  # the name without "of <its country>", asked in an article of that country
    "local-elsewhere": 0.6,
    "common-word": 0.78,  # cap for a lone common word ("Democratic", "Solidarity"): context must help
    "initial": 0.85,
    "surname": 0.8,
    "surname-shared": 0.6,
    "fuzzy": 0.9,  # times the trigram Dice similarity
}
_COMPATIBLE_TYPES = {frozenset({"Organization", "PoliticalParty"})}
_ACRONYM_LIKE = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9&/.\-]{1,9}$")


def _common_word(word: str) -> bool:
    from kgraph.linking.evidence import COMMON_ZIPF, zipf

    return zipf(word) >= COMMON_ZIPF


def types_compatible(a: str | None, b: str | None) -> bool:
    """Whether two entity types may name the same entity (equal, or Organization<->PoliticalParty)."""
    return a is None or b is None or a == b or frozenset({a, b}) in _COMPATIBLE_TYPES


def is_acronym(text: str) -> bool:
    """``"OSDP"``, ``"RFE/RL"``, ``"KPRF"``: a short all-uppercase token."""
    return bool(_ACRONYM_LIKE.match(text.strip())) and sum(ch.isalpha() for ch in text) >= 2


def _acronym_key(text: str) -> str:
    return re.sub(r"[^\w]", "", text).upper()


def core_key(name: str) -> str:
    """The folded key of a name without droppable generic words ("Asar party" -> fold("Asar"))."""
    return _core(fold_tokens(name))


def _core(tokens: list[str]) -> str:
    return "".join(t for t in tokens if t not in _DROPPABLE and t not in FOLDED_STOPWORDS)


def _trigrams(key: str) -> frozenset[str]:
    padded = f"^{key}$"
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


@dataclass
class _Index:
    exact: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    folded: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    core: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    acronyms: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    surnames: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    local: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    adjectives: dict[str, set[str]] = field(default_factory=dict)  # country -> folded adjectives
    # fuzzy: alias keys, their trigram sets, and trigram -> alias key positions
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # (folded key, entity id, alias)
    grams: list[frozenset[str]] = field(default_factory=list)
    postings: dict[str, list[int]] | None = None
    country_words: dict[str, frozenset[str]] | None = None  # country -> folded name words


class KnowledgeBase:
    """A set of :class:`KBEntity` with lookup by id and ranked candidate search by name.

    Examples
    --------
    >>> kb = KnowledgeBase([KBEntity("p1", "PoliticalParty", "Aq Zhol", ("Ak Zhol",), "Q1186246", "KAZ")])
    >>> [c.entity.id for c in kb.candidates("Ақ жол")]
    ['p1']
    """

    def __init__(self, entities: Iterable[KBEntity] = ()):
        self._entities: dict[str, KBEntity] = {}
        self._index: _Index | None = None
        self._label_counts: Counter | None = None  # normalised name -> entities bearing it
        for entity in entities:
            self.add(entity)

    # --- loading -------------------------------------------------------------------------
    @classmethod
    def default(cls) -> KnowledgeBase:
        """The bundled KB (Party Facts parties enriched by ``actors.jsonl``), loaded once per process.

        The instance is shared: call :meth:`copy` before adding entities to it.
        """
        return _default_kb()

    @classmethod
    def from_jsonl(cls, path: str | Path) -> KnowledgeBase:
        """A KB from a JSONL file of ``{"id","type","name","aliases","wikidata","country","description"}``."""
        kb = cls()
        kb.extend_jsonl(path)
        return kb

    def extend_jsonl(self, path: str | Path) -> None:
        """Add the entities of a JSONL file; a record whose id exists enriches that entity."""
        for entity in read_jsonl(path):
            self.merge(entity)

    def extend_file(self, path: str | Path) -> int:
        """Add a user's entities from a JSONL or CSV file (see :func:`read_kb_file`); an entity
        with the id or the Wikidata id of one already here enriches it (its names become
        aliases, the canonical name stays). Returns the number of records read."""
        count = 0
        for entity in read_kb_file(path):
            self.merge_user(entity)
            count += 1
        return count

    def merge_user(self, entity: KBEntity) -> None:
        """Add a user's entity, or enrich the entity that has its id or its Wikidata id."""
        if entity.id in self._entities:
            self.merge(entity)
            return
        same = self._by_wikidata().get(entity.wikidata) if entity.wikidata else None
        if same is None:
            self.add(entity)
            return
        old = self._entities[same]
        aliases = tuple(a for a in dict.fromkeys((*old.aliases, entity.name, *entity.aliases)) if a != old.name)
        self.add(replace(old, aliases=aliases, country=old.country or entity.country,
                         description=old.description or entity.description))

    def _by_wikidata(self) -> dict[str, str]:
        by_qid: dict[str, str] = {}
        for entity in self._entities.values():
            if entity.wikidata:
                by_qid.setdefault(entity.wikidata, entity.id)
        return by_qid

    def copy(self) -> KnowledgeBase:
        return KnowledgeBase(self._entities.values())

    # --- content -------------------------------------------------------------------------
    def add(self, entity: KBEntity) -> None:
        """Add an entity, replacing any entity with the same id."""
        if entity.type not in ENTITY_TYPES:
            raise InputError(
                f"KB entity {entity.id!r} has type {entity.type!r}; use one of {', '.join(ENTITY_TYPES)}"
            )
        self._entities[entity.id] = entity
        self._index = None
        self._label_counts = None

    def merge(self, entity: KBEntity) -> None:
        """Add an entity, or enrich the one with the same id: its name, aliases, ids and
        description win where given; the former name becomes an alias."""
        old = self._entities.get(entity.id)
        if old is None:
            self.add(entity)
            return
        aliases = tuple(
            a for a in dict.fromkeys((*entity.aliases, old.name, *old.aliases)) if a != entity.name
        )
        self.add(
            replace(
                old,
                type=entity.type or old.type,
                name=entity.name or old.name,
                aliases=aliases,
                wikidata=entity.wikidata or old.wikidata,
                country=entity.country or old.country,
                description=entity.description or old.description,
            )
        )

    def get(self, entity_id: str) -> KBEntity | None:
        return self._entities.get(entity_id)

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[KBEntity]:
        return iter(self._entities.values())

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._entities

    def __getstate__(self) -> dict:
        # the index is cheap to rebuild and large to ship to worker processes
        return {"_entities": self._entities, "_index": None}

    # --- indexes -------------------------------------------------------------------------
    def _ensure_index(self) -> _Index:
        if self._index is not None:
            return self._index
        index = _Index()
        country_names, country_adjectives = self._country_words()
        index.adjectives = country_adjectives
        index.country_words = {
            code: frozenset(country_names.get(code, set()) | country_adjectives.get(code, set()))
            for code in set(country_names) | set(country_adjectives)
        }
        for entity in self._entities.values():
            seen_folded: set[str] = set()
            for alias in entity.names:
                entry = (entity.id, alias)
                norm = normalize_label(alias)
                if not norm:
                    continue
                index.exact[norm].append(entry)
                translit = transliterate(alias)
                tokens = fold_normalized(norm if translit == alias else normalize_label(translit))
                key = "".join(tokens)
                if key and key not in seen_folded:
                    seen_folded.add(key)
                    index.folded[key].append(entry)
                    index.keys.append((key, entity.id, alias))
                core = _core(tokens)
                if core and core != key:
                    index.core[core].append(entry)
                local = None
                home_names = country_names.get(entity.country, ())
                if len(tokens) >= 3 and tokens[-2] == "of" and tokens[-1] in home_names:
                    local = _core(tokens[:-2])  # "Civic Party of Kazakhstan": "the Civic Party" at home
                elif len(tokens) >= 2 and tokens[0] in country_adjectives.get(entity.country, ()):
                    local = _core(tokens[1:])  # "Australian Labor Party": "Labor" at home
                if local:
                    index.local[local].append(entry)
                if is_acronym(alias):
                    index.acronyms[_acronym_key(alias)].append(entry)
                elif len(alias.split()) >= 2:
                    initials = acronym(alias)
                    if len(initials) >= 3:  # "AZ" for "Aq Zhol" is nobody's usage
                        index.acronyms[initials].append(entry)
                if entity.type == "Person":
                    words = [t for t in tokens if t not in FOLDED_STOPWORDS]
                    if len(words) >= 2:
                        index.surnames[words[-1]].append(entry)
        for table in (index.acronyms, index.surnames):
            for k, entries in table.items():
                first: dict[str, tuple[str, str]] = {}
                for eid, alias in entries:
                    first.setdefault(eid, (eid, alias))  # one entry per entity, its earliest alias
                table[k] = list(first.values())
        self._index = index
        return index

    def _country_words(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Each country's name and adjective as its own parties spell them (folded), learned
        from the data instead of a gazetteer: the word after a final "of" in two or more names
        ("... of Kazakhstan"), and a leading word of two or more names that starts like that
        name ("Australian ..." for Australia, "Kazakh ..." for Kazakhstan)."""
        tails: dict[tuple[str, str], int] = defaultdict(int)
        heads: dict[tuple[str, str], int] = defaultdict(int)
        for entity in self._entities.values():
            if entity.country is None:
                continue
            for alias in entity.names:
                if not alias.isascii():
                    continue
                words = fold_normalized(normalize_label(alias))
                if len(words) >= 3 and words[-2] == "of":
                    tails[(entity.country, words[-1])] += 1
                if len(words) >= 2:
                    heads[(entity.country, words[0])] += 1
        names: dict[str, set[str]] = defaultdict(set)
        for (country, word), n in tails.items():
            if n >= 2:
                names[country].add(word)
        adjectives: dict[str, set[str]] = defaultdict(set)
        for (country, word), n in heads.items():
            if n >= 2 and word not in _NOT_ADJECTIVES and any(
                word[:4] == name[:4] for name in names.get(country, ())
            ):
                adjectives[country].add(word)
        return names, adjectives

    def _postings(self, index: _Index) -> dict[str, list[int]]:
        if index.postings is None:  # built on the first fuzzy query only
            index.grams = [_trigrams(k) for k, _, _ in index.keys]
            postings: dict[str, list[int]] = defaultdict(list)
            for i, grams in enumerate(index.grams):
                for gram in grams:
                    postings[gram].append(i)
            index.postings = dict(postings)
        return index.postings

    def country_words(self, country: str) -> frozenset[str]:
        """A country's name and adjective as its parties spell them (folded; see
        ``_country_words``): ``"bangladesh"`` for BGD, learned from "... of Bangladesh"."""
        return self._ensure_index().country_words.get(country, frozenset())

    def is_country_word(self, name: str) -> bool:
        """Whether a one-word name is a country's name or adjective as parties' names use it."""
        words = fold_tokens(name)
        if len(words) != 1:
            return False
        self.country_words("")  # builds the table
        return any(words[0] in ws for ws in self._index.country_words.values())

    def label_shared(self, label: str) -> bool:
        """Whether more than one entity (one per Wikidata id) bears ``label`` as its name: the
        "Democratic Party" of Mongolia and of Hong Kong (their IRIs then say the country)."""
        if self._label_counts is None:
            counts: Counter = Counter()
            seen: set = set()
            for eid, e in self._entities.items():
                key = (normalize_label(e.name), e.wikidata or eid)
                if key not in seen:
                    seen.add(key)
                    counts[key[0]] += 1
            self._label_counts = counts
        return self._label_counts.get(normalize_label(label), 0) > 1

    def owners(self, name: str) -> int:
        """How many distinct entities (one per Wikidata id) have ``name`` as an exact alias
        (or, for an acronym, as an acronym or initials): 1 means the name is unambiguous here."""
        index = self._ensure_index()
        entries = list(index.exact.get(normalize_label(name), ()))
        if is_acronym(name):
            entries += index.acronyms.get(_acronym_key(name), ())
        return len({self._entities[eid].wikidata or eid for eid, _ in entries}) or 1

    # --- the ruler's table ---------------------------------------------------------------
    def alias_table(self) -> Iterator[tuple[str, KBEntity]]:
        """Every surface alias safe for exact matching, with its entity, in a stable order.

        Dropped: single characters, pure numbers, single common English words ("Unity";
        "New Democracy" stays), acronyms that are everyday abbreviations ("PM", "US"),
        and single-word aliases shared by several entities unless they are uppercase acronyms
        (shared multi-word names such as "Green Party" stay: the span's type is still certain).
        """
        owners: dict[str, set[str]] = defaultdict(set)
        for entity in self._entities.values():
            for alias in entity.names:
                owners[normalize_label(alias)].add(entity.id)
        for entity in self._entities.values():
            for alias in entity.names:
                alias = alias.strip()
                norm = normalize_label(alias)
                words = norm.split()
                if len(norm.replace(" ", "")) < 2 or norm.replace(" ", "").isdigit():
                    continue
                if is_acronym(alias):
                    if _acronym_key(alias) in COMMON_ABBREVIATIONS or norm in COMMON_WORDS:
                        continue  # "AND", "PM", "US": an all-caps headline is not a party
                elif len(words) == 1 and (words[0] in COMMON_WORDS or _common_word(words[0])):
                    continue  # "Apple", "Chinese", "Bridge": English words before party names
                if len(words) == 1 and len(owners[norm]) > 1 and not is_acronym(alias):
                    continue
                yield alias, entity

    # --- search --------------------------------------------------------------------------
    def candidates(
        self, name: str, type: str | None = None, country: str | None = None, limit: int = 5
    ) -> list[Candidate]:
        """KB entities that ``name`` may refer to, best first (one candidate per entity).

        ``type`` lowers entities of an incompatible type (Organization and PoliticalParty are
        compatible); ``country`` (ISO3) raises entities of that country and lowers others.
        """
        index = self._ensure_index()
        norm = normalize_label(name)
        if not norm:
            return []
        best: dict[str, tuple[float, str, str]] = {}

        def offer(entries: Iterable[tuple[str, str]], score: float, method: str) -> None:
            for eid, alias in entries:
                if eid not in best or best[eid][0] < score:
                    best[eid] = (score, method, alias)

        offer(index.exact.get(norm, ()), SCORES["alias"], "alias")
        tokens = fold_tokens(name)
        key = "".join(tokens)
        offer(index.folded.get(key, ()), SCORES["folded"], "folded")
        core = _core(tokens)
        if core:
            offer(index.core.get(core, ()), SCORES["core"], "core")
            if core != key:
                offer(index.folded.get(core, ()), SCORES["core"], "core")
        if core:
            for entry in index.local.get(core, ()):
                here = country is not None and self._entities[entry[0]].country == country
                method = "local" if here else "local-elsewhere"
                offer([entry], SCORES[method], method)
        if country and len(tokens) >= 2 and tokens[0] in index.adjectives.get(country, ()):
            # "Irish Labour Party" in an Irish article: the party of that country named "Labour Party"
            rest = _core(tokens[1:])
            for table in (index.folded, index.core, index.local):
                entries = [e for e in table.get(rest, ()) if self._entities[e[0]].country == country]
                offer(entries, SCORES["local"], "local")
        if is_acronym(name):
            offer(index.acronyms.get(_acronym_key(name), ()), SCORES["acronym"], "acronym")
        elif len(name.split()) >= 2:
            initials = acronym(name)
            if len(initials) >= 3:  # two initials ("Asar party" -> AP) say too little
                entries = [e for e in index.acronyms.get(initials, ()) if is_acronym(e[1])]
                offer(entries, SCORES["expansion"], "expansion")
        if type in (None, "Person"):
            self._offer_surname(index, tokens, offer)
        if len(key) >= 4:
            for i, sim in self._fuzzy(index, key):
                _, eid, alias = index.keys[i]
                offer([(eid, alias)], round(SCORES["fuzzy"] * sim, 4), "fuzzy")

        if len(norm.split()) == 1 and norm in COMMON_WORDS and not is_acronym(name):
            # "Democratic" or "Solidarity" names a party only where the country says which
            cap = SCORES["common-word"]
            best = {eid: (min(score, cap), method, alias) for eid, (score, method, alias) in best.items()}
        ranked = []
        for eid, (score, method, alias) in best.items():
            entity = self._entities[eid]
            ranked.append(Candidate(entity, _adjust(score, entity, type, country), method, alias))
        ranked.sort(key=lambda c: (-c.score, c.entity.country != country, c.entity.name, c.entity.id))
        return ranked[:limit]

    def _offer_surname(self, index: _Index, tokens: list[str], offer) -> None:
        words = [t for t in tokens if t not in FOLDED_STOPWORDS]
        if not words:
            return
        entries = index.surnames.get(words[-1], ())
        if not entries:
            return
        if len(words) == 1:
            method = "surname" if len(entries) == 1 else "surname-shared"
            offer(entries, SCORES[method], method)
            return
        # "N. Nazarbaev": a leading initial (or a short form) that agrees with the first name
        for eid, alias in entries:
            first = [t for t in fold_tokens(alias) if t not in FOLDED_STOPWORDS][0]
            if len(words[0]) == 1 and first.startswith(words[0]):
                offer([(eid, alias)], SCORES["initial"], "initial")

    def _fuzzy(self, index: _Index, key: str, top: int = 10) -> list[tuple[int, float]]:
        postings = self._postings(index)
        grams = _trigrams(key)
        lists = sorted((postings[g] for g in grams if g in postings), key=len)
        if not lists:
            return []
        # Gather candidates from the rarest trigrams only: common ones ("par", "rty") would
        # touch most aliases; a true variant shares at least one rare trigram with the query.
        counts: dict[int, int] = defaultdict(int)
        budget = 0
        for n, plist in enumerate(lists):
            if n >= 3 and budget + len(plist) > 4000:
                break
            budget += len(plist)
            for i in plist:
                counts[i] += 1
        pool = sorted(counts, key=lambda i: -counts[i])[:200]
        scored = []
        for i in pool:
            other = index.grams[i]
            sim = 2 * len(grams & other) / (len(grams) + len(other))
            if sim >= 0.5:
                scored.append((i, sim))
        scored.sort(key=lambda x: (-x[1], x[0]))
        return scored[:top]


def _adjust(score: float, entity: KBEntity, type: str | None, country: str | None) -> float:
    if type is not None and entity.type != type:
        score *= 0.9 if types_compatible(type, entity.type) else 0.5
    if country is not None and entity.country is not None:
        score = min(1.0, score + 0.02) if entity.country == country else score - 0.1
    return round(max(0.0, score), 4)


# --- reading the data ----------------------------------------------------------------------
def read_jsonl(path: str | Path) -> Iterator[KBEntity]:
    """KB entities from a JSONL file; a bad line raises InputError naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read KB file {path}: {exc}; give a UTF-8 JSONL file") from exc
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            record = json.loads(line)
            entity = KBEntity(
                id=str(record["id"]),
                type=str(record["type"]),
                name=str(record["name"]),
                aliases=tuple(str(a) for a in record.get("aliases") or ()),
                wikidata=record.get("wikidata") or None,
                country=record.get("country") or None,
                description=record.get("description") or None,
            )
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(
                f"{path}:{lineno}: not a KB record ({exc!r}); each line must be a JSON object with "
                '"id", "type", "name" and optionally "aliases", "wikidata", "country", "description"'
            ) from exc
        if entity.type not in ENTITY_TYPES:
            raise InputError(
                f"{path}:{lineno}: type {entity.type!r} of {entity.id!r} is not one of "
                f"{', '.join(ENTITY_TYPES)}; fix the record's \"type\""
            )
        yield entity


_QID = re.compile(r"^Q[1-9][0-9]*$")
#: CSV/JSONL column names a user may write for each KB field
_FIELD_NAMES = {
    "id": ("id",),
    "name": ("name", "label"),
    "type": ("type", "class"),
    "aliases": ("aliases", "alias", "altlabels"),
    "wikidata": ("wikidata", "qid", "wikidata_id"),
    "country": ("country", "country_code"),
    "description": ("description",),
}
_TYPE_NAMES = {t.lower(): t for t in ENTITY_TYPES} | {
    "party": "PoliticalParty", "politicalparty": "PoliticalParty", "org": "Organization",
    "organisation": "Organization", "person": "Person", "election": "Election",
}


def _user_entity(record: dict, where: str) -> KBEntity:
    """A KB entity from a user's record (JSONL object or CSV row), validated field by field."""
    def get(field_name: str):
        for key in _FIELD_NAMES[field_name]:
            for k, v in record.items():
                if str(k).strip().lower() == key and v not in (None, ""):
                    return v
        return None

    name = str(get("name") or "").strip()
    if not name:
        raise InputError(f"{where}: no name; every record needs a \"name\" and a \"type\"")
    raw_type = str(get("type") or "").strip()
    entity_type = _TYPE_NAMES.get(raw_type.lower().replace(" ", ""))
    if entity_type is None:
        raise InputError(
            f"{where}: type {raw_type!r} of {name!r} is not one of {', '.join(ENTITY_TYPES)}; fix its \"type\""
        )
    aliases = get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [a for a in re.split(r"\s*[|;]\s*", aliases) if a]
    if not isinstance(aliases, (list, tuple)):
        raise InputError(f"{where}: aliases of {name!r} must be a list (JSONL) or 'a|b|c' (CSV)")
    qid = str(get("wikidata") or "").strip() or None
    if qid is not None:
        qid = qid.rsplit("/", 1)[-1].upper()  # a full entity URL is fine too
        if not _QID.match(qid):
            raise InputError(f"{where}: Wikidata id {qid!r} of {name!r} is not an item id like Q1186246")
    country = _country(get("country"), where, name)
    entity_id = str(get("id") or "").strip() or (
        f"wd:{qid}" if qid else f"user:{entity_type.lower()}:{normalize_label(name).replace(' ', '-')}"
    )
    description = get("description")
    return KBEntity(entity_id, entity_type, name, tuple(str(a).strip() for a in aliases if str(a).strip()),
                    qid, country, str(description) if description else None)


def _country(value, where: str, name: str) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if re.fullmatch(r"[A-Za-z]{3}", text):
        return text.upper()
    from kgraph.nlp.countries import country_code

    code = country_code(text)
    if code is None:
        raise InputError(
            f"{where}: country {text!r} of {name!r} is not an ISO 3166 alpha-3 code or a known country "
            "name; write e.g. KAZ or Kazakhstan"
        )
    return code


def read_kb_file(path: str | Path) -> Iterator[KBEntity]:
    """A user's knowledge-base entities from a JSONL file (one object a line) or a CSV file
    (a header row), with fields ``name``, ``type``, ``aliases`` (a JSON list, or ``a|b`` in CSV),
    ``wikidata`` (or ``qid``), ``country`` (ISO3 or a country name), and optionally ``id`` and
    ``description``. A bad record raises InputError naming the file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such knowledge-base file; give a .jsonl or .csv file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read KB file {path}: {exc}; give a UTF-8 JSONL or CSV file") from exc
    if path.suffix.lower() in (".csv", ".tsv"):
        dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
        reader = csv.DictReader(text.splitlines(), dialect=dialect)
        if not reader.fieldnames or not {f.strip().lower() for f in reader.fieldnames} & {"name", "label"}:
            raise InputError(f"{path}: the first row must name the columns (name, type, aliases, qid, country)")
        for lineno, row in enumerate(reader, 2):
            if any((v or "").strip() for v in row.values() if isinstance(v, str)):
                yield _user_entity(row, f"{path}:{lineno}")
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not JSON ({exc.msg}); each line must be one JSON object") from exc
        if not isinstance(record, dict):
            raise InputError(f"{path}:{lineno}: expected a JSON object with name, type, aliases, wikidata, country")
        yield _user_entity(record, f"{path}:{lineno}")


def write_kb_file(entities: Iterable[KBEntity], path: str | Path) -> int:
    """Write entities as JSONL (or CSV, by the extension) in the shape :func:`read_kb_file`
    reads; returns how many were written."""
    path = Path(path)
    entities = list(entities)
    if path.suffix.lower() == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "name", "type", "aliases", "qid", "country", "description"])
            for e in entities:
                writer.writerow([e.id, e.name, e.type, "|".join(e.aliases), e.wikidata or "", e.country or "",
                                 e.description or ""])
    else:
        write_jsonl(entities, path)
    return len(entities)


def write_jsonl(entities: Iterable[KBEntity], path: str | Path) -> None:
    """Write entities in the JSONL shape :func:`read_jsonl` reads."""
    with open(path, "w", encoding="utf-8") as fh:
        for entity in entities:
            record = asdict(entity)
            record["aliases"] = list(entity.aliases)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


_LANGUAGE_TAGS = frozenset("english bulgarian turkmen russian or".split())


def _split_short_name(short: str) -> list[str]:
    # Party Facts writes spaces in name_short as "/" ("NZ/First", "Die/PARTEI") and lists
    # alternatives with "/or/" ("CPI/M/or/CPIM/or/CPM"); some end in a language tag ("APR/English").
    names = []
    for group in re.split(r"/or/", short):
        parts = [p for p in group.split("/") if p and p.lower() not in _LANGUAGE_TAGS]
        if not parts:
            continue
        mixed_scripts = len({p.isascii() for p in parts}) > 1  # "Amal/أمل": two spellings
        if mixed_scripts or all(is_acronym(p) for p in parts):
            names.extend(parts)
        else:
            names.append(" ".join(parts))
    return names


def read_partyfacts(path: str | Path = PARTYFACTS_CSV) -> Iterator[KBEntity]:
    """The Party Facts parties as KB entities (id ``pf:<partyfacts_id>``, type PoliticalParty)."""
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = html.unescape(row["name"]).strip()
            aliases = [html.unescape(row["name_native"]).strip()]
            aliases += [a.strip() for a in html.unescape(row["name_english_core"]).split(" / ")]
            aliases += _split_short_name(html.unescape(row["name_short"]).strip())
            aliases = [a for a in dict.fromkeys(aliases) if a and a != name]
            yield KBEntity(
                id=f"pf:{row['partyfacts_id']}",
                type="PoliticalParty",
                name=name or aliases[0],
                aliases=tuple(aliases),
                wikidata=row["wikidata_id"].strip() or None,
                country=row["country"].strip() or None,
            )


@lru_cache(maxsize=1)
def _default_kb() -> KnowledgeBase:
    kb = KnowledgeBase(read_partyfacts())
    if ACTORS_JSONL.exists():
        kb.extend_jsonl(ACTORS_JSONL)
    return kb
