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
the KB entity's country is named in the article (other than by the entity's own names), or
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
    """English frequency of a word on the Zipf scale (0 for unknown words).

    >>> zipf("apple") > 4 > zipf("nazarbaev")
    True
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en")


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
def _country_pattern() -> re.Pattern:
    names = sorted(_country_words(), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?:['’]s)?(?!\w)", re.IGNORECASE)


def article_countries(text: str, exclude: Iterable[str] = ()) -> Counter:
    """ISO3 codes of the countries an article names (names and demonyms), with counts,
    leaving out the text of ``exclude`` (an entity's own names: "Chinese" is no evidence for
    a party called "Chinese").

    >>> article_countries("Kazakh voters in Kazakhstan and Russia")["KAZ"]
    2
    """
    for form in exclude:
        if form and form.strip():
            text = re.sub(r"(?<!\w)" + re.escape(form.strip()) + r"(?!\w)", " ", text)
    words = _country_words()
    return Counter(words[m.group(1).lower()] for m in _country_pattern().finditer(text))


@dataclass
class Evidence:
    """Whether a local entity's KB link is kept, and why."""

    kept: bool
    reasons: list[str] = field(default_factory=list)
    risks: dict[str, str | None] = field(default_factory=dict)  # form -> risk


def _rivals_at_home(names: list[str], entity: KBEntity, kb: KnowledgeBase) -> list[str]:
    """Other KB entities of the entity's country that the names fit about as well: "Communists"
    in a Russian article may be any of its communist parties, so the country does not decide."""
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
    if entity.country:
        rivals = _rivals_at_home(names, entity, kb)
        if rivals:
            return Evidence(False, reasons + [f"{rivals[0]} of {entity.country} bears that name too"], risks)
        linked = set(linked_countries)
        if entity.country in linked:
            return Evidence(True, reasons + [f"co-occurs with an entity of {entity.country}"], risks)
        named = countries if countries is not None else article_countries(text, exclude=names) if text else Counter()
        if named.get(entity.country):
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
