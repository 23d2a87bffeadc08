"""Whether a knowledge-base link has evidence beyond a matching string.

A surface form alone identifies a KB entity unless it is *risky*:

- ``common-word``: one word frequent in English ("Apple", "Chinese", "Unity"; word frequencies
  from the ``wordfreq`` package, Zipf scale, shipped with it: nothing is downloaded);
- ``acronym``: an acronym of three letters or fewer, or one that is an English word ("CNN",
  "UN"), or one that several KB entities share;
- ``short``: three characters or fewer;
- ``generic``: a name made only of common words that several KB entities share ("Democratic
  Party", "Green Party").

A local entity all of whose names are risky keeps its KB link only with supporting context:
the article spells out a safe name of the KB entity somewhere, or the KB entity's country is named in the article (other than by the entity's own names), or
another entity of the article is linked by a safe name to a KB entity of that country.
When another KB entity of that country fits the names about as well ("Communists" in a
Russian article), the country does not decide and the link is dropped too. Otherwise the entity is minted (no ``owl:sameAs``). :func:`assess` gives the decision and
its reasons, which ``kgraph link`` shows.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from kgraph.linking.normalize import STOPWORDS, normalize_label

if TYPE_CHECKING:
    from kgraph.linking.kb import KBEntity, KnowledgeBase

__all__ = ["COMMON_ZIPF", "zipf", "name_risk", "article_countries", "Evidence", "assess", "needed"]

#: a single word at least this frequent in English (Zipf scale: 4 = once per 100,000 words) is a
#: common word; an acronym this frequent is a word or an everyday abbreviation
COMMON_ZIPF = 4.0
#: an acronym at least this frequent is ambiguous even when longer than three letters
ACRONYM_ZIPF = 3.0

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """English frequency of a word on the Zipf scale (0 for words rarer than Zipf 3).

    >>> zipf("apple") > 4 > zipf("nazarbaev")
    True
    """
    from wordfreq import zipf_frequency

    # the "small" list holds every word down to Zipf 3, below every threshold here, in a tenth
    # of the memory of the large one
    return zipf_frequency(word.lower(), "en", wordlist="small")


@lru_cache(maxsize=100_000)
def _risk(form: str, owners: int) -> str | None:
    from kgraph.linking.kb import COMMON_WORDS, GENERIC_WORDS, is_acronym

    text = form.strip()
    norm = normalize_label(text)
    significant = [w for w in norm.split() if w not in STOPWORDS]
    compact = norm.replace(" ", "")
    if not significant or len(compact) <= 2:
        return "short"
    if is_acronym(text):
        letters = sum(ch.isalpha() for ch in text)
        if letters <= 3 or zipf(compact) >= ACRONYM_ZIPF or owners > 1:
            return "acronym"
        return None
    if len(compact) <= 3:
        return "short"
    if len(significant) == 1:
        word = significant[0]
        return "common-word" if word in COMMON_WORDS or zipf(word) >= COMMON_ZIPF else None
    if owners > 1 and all(w in GENERIC_WORDS or w in COMMON_WORDS or zipf(w) >= COMMON_ZIPF for w in significant):
        return "generic"
    return None


def name_risk(form: str, kb: KnowledgeBase | None = None) -> str | None:
    """Why ``form`` alone does not identify a KB entity (see the module docstring), or None.

    >>> name_risk("Apple"), name_risk("CNN"), name_risk("Nur Otan"), name_risk("Nazarbaev")
    ('common-word', 'acronym', None, None)
    """
    owners = kb.owners(form) if kb is not None else 1
    return _risk(form, owners)


def _country_words() -> dict[str, str]:
    from kgraph.nlp.countries import COUNTRIES

    return COUNTRIES


@lru_cache(maxsize=1)
def _country_grams() -> tuple[dict[tuple[str, ...], str], int, frozenset[str]]:
    from kgraph.nlp.countries import CAPITALS

    # a capital names its country too ("DHAKA -", "in Ulaanbaatar"), where no country is named
    grams = {tuple(_TOKEN.findall(name)): code for name, code in CAPITALS.items()}
    grams.update({tuple(name.split()): code for name, code in _country_words().items()})
    return grams, max(map(len, grams)), frozenset(g[0] for g in grams)


_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def article_countries(text: str, exclude: Iterable[str] = ()) -> Counter:
    """ISO3 codes of the countries an article names (names and demonyms), with counts,
    leaving out the text of ``exclude`` (an entity's own names: "Chinese" is no evidence for
    a party called "Chinese"). One pass over the words, longest name first.

    >>> article_countries("Kazakh voters in Kazakhstan and South Africa's Cape")["KAZ"]
    2
    """
    for form in exclude:
        if form and form.strip():
            text = re.sub(r"(?<!\w)" + re.escape(form.strip()) + r"(?!\w)", " ", text)
    grams, longest, firsts = _country_grams()
    tokens = _TOKEN.findall(text)
    counts: Counter = Counter()
    i, n = 0, len(tokens)
    while i < n:
        # country names and demonyms are capitalised, and start with a known first word
        if not tokens[i][0].isupper() or tokens[i].lower() not in firsts:
            i += 1
            continue
        for size in range(min(longest, n - i), 0, -1):
            code = grams.get(tuple(t.lower() for t in tokens[i : i + size]))
            if code is not None:
                counts[code] += 1
                i += size
                break
        else:
            i += 1
    return counts


@dataclass
class Evidence:
    """Whether a local entity's KB link is kept, and why."""

    kept: bool
    reasons: list[str] = field(default_factory=list)
    risks: dict[str, str | None] = field(default_factory=dict)  # form -> risk


@lru_cache(maxsize=8)
def _normalized(text: str) -> str:
    return f" {normalize_label(text)} "


def _spelled_out(entity: KBEntity, kb: KnowledgeBase, text: str) -> str | None:
    """A name of the entity that identifies it on its own and occurs in the article ("Economic
    Freedom Fighters" in an article that then says "EFF"), compared after normalisation."""
    if not text:
        return None
    for name in entity.names:
        if len(name) > 3 and " " in name.strip() and name_risk(name, kb) is None:
            if f" {normalize_label(name)} " in _normalized(text):
                return name
    return None


def _names_country(text: str, country: str, kb: KnowledgeBase) -> bool:
    """Whether the article names the country in a word its parties' names use for it
    ("Bangladesh", learned from "... of Bangladesh"): countries the gazetteer lacks."""
    from kgraph.linking.normalize import fold_normalized

    words = kb.country_words(country)
    return bool(words) and bool(words & set(fold_normalized(_normalized(text))))


def _rivals_at_home(names: list[str], entity: KBEntity, kb: KnowledgeBase) -> list[str]:
    """Other KB entities of the entity's country that the names fit about as well: "Communists"
    in a Russian article may be any of its communist parties, so the country does not decide."""
    return _rivals_cached(kb, tuple(names), entity)


@lru_cache(maxsize=20_000)  # the same names recur across a corpus's articles
def _rivals_cached(kb: KnowledgeBase, names: tuple[str, ...], entity: KBEntity) -> list[str]:
    rivals = []
    for name in names:
        for cand in kb.candidates(name, country=entity.country, limit=10):
            other = cand.entity
            if other.country != entity.country or other.id == entity.id:
                continue
            if other.wikidata and other.wikidata == entity.wikidata:
                continue
            if cand.score >= _RIVAL_SCORE:
                rivals.append(other.name)
    return sorted(set(rivals))


#: a KB entity of the same country matching a risky name at least this well is a rival
_RIVAL_SCORE = 0.7


def assess(
    forms: Iterable[str],
    entity: KBEntity,
    kb: KnowledgeBase,
    text: str = "",
    linked_countries: Iterable[str] = (),
    countries: Counter | None = None,
) -> Evidence:
    """Decide whether the names ``forms`` (one entity of an article) may carry ``entity``'s link.

    ``text`` is the article (its countries are evidence), ``linked_countries`` the countries of
    the KB entities other entities of the article are safely linked to; ``countries``, when
    given, the article's countries already counted (none of ``forms`` names a country).
    """
    names = [f for f in dict.fromkeys(f.strip() for f in forms if f and f.strip())]
    risks = {f: name_risk(f, kb) for f in names}
    safe = [f for f, r in risks.items() if r is None]
    if safe:
        return Evidence(True, [f"name {safe[0]!r} identifies it"], risks)
    reasons = [f"{f!r} is {r}" for f, r in risks.items()]
    spelled = _spelled_out(entity, kb, text)
    if spelled:
        return Evidence(True, reasons + [f"the article names it in full ({spelled!r})"], risks)
    if entity.country:
        rivals = _rivals_at_home(names, entity, kb)
        if rivals:
            return Evidence(False, reasons + [f"{rivals[0]} of {entity.country} bears that name too"], risks)
        linked = set(linked_countries)
        if entity.country in linked:
            return Evidence(True, reasons + [f"co-occurs with an entity of {entity.country}"], risks)
        named = countries if countries is not None else article_countries(text, exclude=names) if text else Counter()
        if named.get(entity.country) or (text and _names_country(text, entity.country, kb)):
            return Evidence(True, reasons + [f"the article names its country {entity.country}"], risks)
        return Evidence(False, reasons + [f"the article names no {entity.country} and no entity of it"], risks)
    return Evidence(False, reasons + ["no country to check it against"], risks)


def needed(name: str, entity: KBEntity, kb: KnowledgeBase) -> str:
    """What a link of ``name`` to ``entity`` needs besides the name, in words (for ``kgraph link``).

    >>> from kgraph.linking.kb import KBEntity, KnowledgeBase
    >>> kb = KnowledgeBase([KBEntity("p1", "PoliticalParty", "Party of Free Democrats", ("Apple",), "Q1", "UKR")])
    >>> needed("Apple", kb.get("p1"), kb)
    'common-word: links only where the article names UKR or an entity of UKR'
    """
    risk = name_risk(name, kb)
    if risk is None:
        return "the name identifies it"
    if entity.country:
        return f"{risk}: links only where the article names {entity.country} or an entity of {entity.country}"
    return f"{risk}: links only beside a name that identifies it"
