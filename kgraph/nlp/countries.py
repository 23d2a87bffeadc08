"""Country names and demonyms -> ISO 3166-1 alpha-3 codes (the codes Party Facts uses).

The countries, their names, adjectives and demonyms are data: ``lexicon/<lang>/countries.json``.
"""
from __future__ import annotations

import re

from kgraph.nlp.lexicon import load_lexicon

__all__ = ["COUNTRIES", "COUNTRY_NAMES", "CAPITALS", "country_code", "capital_country", "country_adjective", "country_name"]

_ROWS = load_lexicon("countries")["countries"]
#: normalised country name or demonym -> ISO3 code
COUNTRIES: dict[str, str] = {}
#: ISO3 -> the country's English name ("Kazakhstan")
COUNTRY_NAMES: dict[str, str] = {}
#: ISO3 -> adjective used in election names ("2021 Kazakh legislative election")
_ADJECTIVES: dict[str, str] = {}
for _code, _row in _ROWS.items():
    _code = _code.upper()
    COUNTRY_NAMES[_code] = _row["name"]
    _ADJECTIVES[_code] = _row["adjective"]
    for _form in _row["forms"]:
        COUNTRIES.setdefault(_form, _code)
#: lower-cased capital (or unambiguous largest city) -> ISO3: "dhaka" -> "BGD"
CAPITALS: dict[str, str] = {k: v.upper() for k, v in load_lexicon("countries")["capitals"].items()}
#: the longest country form, in words (a multi-word name is looked up as a whole)
MAX_FORM_WORDS = max(len(form.split()) for form in COUNTRIES)
_POSSESSIVE_END = re.compile(r"['’‘]s?$")


def country_code(text: str) -> str | None:
    """ISO3 code of a country name or demonym, or None.

    >>> country_code("Kazakh"), country_code("Kazakhstan's"), country_code("Côte d'Ivoire")
    ('KAZ', 'KAZ', 'CIV')
    """
    text = _POSSESSIVE_END.sub("", text.strip()).lower()
    if text.startswith("the "):
        text = text[4:]
    return COUNTRIES.get(text)


def capital_country(text: str) -> str | None:
    """ISO3 code of the country whose capital (or unambiguous largest city) ``text`` names: an
    article's country where no country is named ("DHAKA, Jan 25 -"). Not a country name itself.

    >>> capital_country("Dhaka"), capital_country("Ulaanbaatar"), capital_country("Kazakhstan")
    ('BGD', 'MNG', None)
    """
    return CAPITALS.get(_POSSESSIVE_END.sub("", text.strip()).lower())


def country_adjective(code: str | None) -> str | None:
    """The adjective of a country ("KAZ" -> "Kazakh"), or None."""
    return _ADJECTIVES.get(code or "")


def country_name(code: str | None) -> str | None:
    """The English name of a country ("KAZ" -> "Kazakhstan"), or None."""
    return COUNTRY_NAMES.get(code or "")
