"""Country names and demonyms -> ISO 3166-1 alpha-3 codes (the codes Party Facts uses)."""
from __future__ import annotations

import re

__all__ = ["COUNTRIES", "country_code"]

# name or demonym -> ISO 3166-1 alpha-3 (the codes Party Facts uses)
_COUNTRY_ROWS = """
AFG Afghanistan|Afghan
ALB Albania|Albanian
DZA Algeria|Algerian
ARG Argentina|Argentine|Argentinian
ARM Armenia|Armenian
AUS Australia|Australian
AUT Austria|Austrian
AZE Azerbaijan|Azerbaijani|Azeri
BLR Belarus|Belarusian|Belarussian
BEL Belgium|Belgian
BIH Bosnia|Bosnian|Bosnia and Herzegovina
BRA Brazil|Brazilian
BGR Bulgaria|Bulgarian
CAN Canada|Canadian
CHL Chile|Chilean
CHN China|Chinese
COL Colombia|Colombian
HRV Croatia|Croatian
CUB Cuba|Cuban
CYP Cyprus|Cypriot
CZE Czech Republic|Czechia|Czech
DNK Denmark|Danish
EGY Egypt|Egyptian
EST Estonia|Estonian
FIN Finland|Finnish
FRA France|French
GEO Georgia|Georgian
DEU Germany|German
GRC Greece|Greek
HUN Hungary|Hungarian
ISL Iceland|Icelandic
IND India|Indian
IDN Indonesia|Indonesian
IRN Iran|Iranian
IRQ Iraq|Iraqi
IRL Ireland|Irish
ISR Israel|Israeli
ITA Italy|Italian
JPN Japan|Japanese
KAZ Kazakhstan|Kazakh|Kazakhstani
KEN Kenya|Kenyan
KOR South Korea|Korean|South Korean
KGZ Kyrgyzstan|Kyrgyz|Kyrgyzstani
LVA Latvia|Latvian
LBN Lebanon|Lebanese
LTU Lithuania|Lithuanian
MEX Mexico|Mexican
MDA Moldova|Moldovan
MNG Mongolia|Mongolian
MNE Montenegro|Montenegrin
NLD Netherlands|Dutch|Holland
NZL New Zealand|New Zealander
NGA Nigeria|Nigerian
MKD North Macedonia|Macedonia|Macedonian
NOR Norway|Norwegian
PAK Pakistan|Pakistani
PHL Philippines|Filipino|Philippine
POL Poland|Polish
PRT Portugal|Portuguese
ROU Romania|Romanian
RUS Russia|Russian|Russian Federation
SAU Saudi Arabia|Saudi
SRB Serbia|Serbian
SVK Slovakia|Slovak
SVN Slovenia|Slovenian|Slovene
ZAF South Africa|South African
ESP Spain|Spanish
SWE Sweden|Swedish
CHE Switzerland|Swiss
SYR Syria|Syrian
TJK Tajikistan|Tajik
THA Thailand|Thai
TUR Turkey|Turkish|Turkiye
TKM Turkmenistan|Turkmen
UKR Ukraine|Ukrainian
GBR United Kingdom|UK|Britain|Great Britain|British|England|English|Scotland|Scottish|Wales|Welsh
USA United States|US|U.S.|USA|America|American|United States of America
UZB Uzbekistan|Uzbek
VEN Venezuela|Venezuelan
VNM Vietnam|Vietnamese
"""
#: normalised country name or demonym -> ISO3 code
COUNTRIES: dict[str, str] = {}
for _row in _COUNTRY_ROWS.strip().splitlines():
    _code, _names = _row.split(" ", 1)
    for _name in _names.split("|"):
        COUNTRIES[_name.lower()] = _code
#: ISO3 -> adjective used in election names ("2021 Kazakh legislative election")
_ADJECTIVES: dict[str, str] = {}
for _row in _COUNTRY_ROWS.strip().splitlines():
    _code, _names = _row.split(" ", 1)
    _forms = _names.split("|")
    # the first form that is not the country's name is its adjective (Kazakhstan|Kazakh)
    _ADJECTIVES[_code] = next((f for f in _forms[1:] if not f.isupper()), _forms[0])


def country_code(text: str) -> str | None:
    """ISO3 code of a country name or demonym, or None.

    >>> country_code("Kazakh"), country_code("Kazakhstan's")
    ('KAZ', 'KAZ')
    """
    text = re.sub(r"['’]s?$", "", text.strip()).lower()
    return COUNTRIES.get(text)


