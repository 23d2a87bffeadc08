"""String normalisation for entity names: transliteration, label normalisation, variant folding, acronyms.

Four functions with four different jobs:

- :func:`transliterate` turns Cyrillic (Russian and Kazakh) into Latin the way the English-language
  press writes it (``"Назарбаев" -> "Nazarbaev"``), so slugs and display names are ASCII-friendly;
- :func:`normalize_label` is the evaluation normalisation of ``EVAL.md`` (case, accents,
  punctuation, a leading "the", a possessive 's): two labels that a reader takes as equal compare equal;
- :func:`fold` is a deliberately lossy *matching key* that makes transliteration variants collide
  (``Nazarbayev``/``Nazarbaev``/``Назарбаев``, ``Kassym-Jomart``/``Qasym-Zhomart``); never display it;
- :func:`acronym` gives the initials of the significant words, for acronym <-> long-name matching.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "transliterate",
    "normalize_label",
    "fold",
    "fold_tokens",
    "fold_normalized",
    "acronym",
    "STOPWORDS",
    "FOLDED_STOPWORDS",
]

# Russian + Kazakh Cyrillic -> Latin, English-press style (BGN/PCGN-like without diacritics;
# Kazakh letters as Kazakh-language press writes them: қ -> q, ғ -> gh, ң -> ng, ұ/ү -> u).
# "е" and "ий" depend on position and are handled in _transliterate_word.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Ukrainian / Belarusian letters met in the same press
    "є": "ye", "ї": "yi", "ґ": "g", "ў": "u",
}
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04FF]+")

# Latin letters that NFKD does not decompose into a base letter + accent.
_LATIN_SPECIAL = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i", "ʼ": "'", "‘": "'", "’": "'",
    "ʻ": "'", "`": "'", "´": "'", "ə": "a", "Ə": "A",  # Azerbaijani: Əliyev / Aliyev
})

#: words that carry no identity: skipped by :func:`acronym` and by surname/token matching.
STOPWORDS = frozenset(
    "a an and the of for in on at to by with de du des la le les el los las del da do dos "
    "y e et und fur für van von der den".split()
)


def _transliterate_word(word: str) -> str:
    lower = word.lower()
    out: list[str] = []
    for i, ch in enumerate(lower):
        prev = lower[i - 1] if i else ""
        if ch == "е" and (i == 0 or prev in "ъь"):
            # Ельцин -> Yeltsin; after a vowel the press writes both "ae" and "aye": keep the
            # shorter (Назарбаев -> Nazarbaev), fold() makes the two collide anyway
            latin = "ye"
        elif ch in "йи" and i and prev in "иы" and i == len(lower) - 1:
            out[-1] = "y"  # -ий/-ый -> -y: Зеленский -> Zelensky
            continue
        else:
            latin = _CYRILLIC.get(ch, ch)
        out.append(latin)
    text = "".join(out)
    if not text:
        return text
    if len(word) > 1 and word.isupper():
        return text.upper()  # an acronym stays one: КПРФ -> KPRF
    if word[0].isupper():
        return text[0].upper() + text[1:]
    return text


def transliterate(text: str) -> str:
    """Cyrillic (Russian and Kazakh letters) to Latin in common English-press style.

    Latin text passes through unchanged; capitalisation follows the source.

    Examples
    --------
    >>> transliterate("Назарбаев")
    'Nazarbaev'
    >>> transliterate("Ақ жол")
    'Aq zhol'
    >>> transliterate("Ельцин")
    'Yeltsin'
    """
    if not _CYRILLIC_WORD.search(text):
        return text
    return _CYRILLIC_WORD.sub(lambda m: _transliterate_word(m.group()), text)


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_LATIN_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_POSSESSIVE = re.compile(r"(?<=\w)['’]s?\b", re.UNICODE)  # "party's", "parties'"
_DELETED_PUNCT = re.compile(r"['’.]")  # "U.S." -> "us", "O'Neil" -> "oneil"
_NON_WORD = re.compile(r"[^\w]+|_", re.UNICODE)
_LEADING_THE = re.compile(r"^the\s+")


def normalize_label(text: str) -> str:
    """The label normalisation of EVAL.md: case, accents, punctuation, a leading "the",
    a possessive 's (both ' and ’) removed, whitespace collapsed.

    Examples
    --------
    >>> normalize_label("The  Nur Otan party's")
    'nur otan party'
    >>> normalize_label("Nazarbaev’s")
    'nazarbaev'
    >>> normalize_label("RFE/RL")
    'rfe rl'
    """
    text = _strip_accents(text).lower()
    text = _POSSESSIVE.sub("", text)
    text = _DELETED_PUNCT.sub("", text)
    text = _NON_WORD.sub(" ", text).strip()
    return _LEADING_THE.sub("", text)


# --- folding -------------------------------------------------------------------------------
# Placeholders (uppercase, never produced otherwise since folding lowercases first) keep
# digraphs atomic so later single-letter rules (c -> k, h handling) do not split them.
_DIGRAPHS = [
    (re.compile(r"shtsch|shch"), "S"),  # щ: Khrushchev / Chruschtschow
    (re.compile(r"tsch|tch"), "C"),  # German/English ч: Schewtschenko / Shevchenko
    (re.compile(r"sch"), "S"),  # German ш: Lukaschenko / Lukashenko
    (re.compile(r"dzh|dj|zh|j"), "J"),  # ж/дж: Zhomart / Jomart, Dzhambul / Jambul
    (re.compile(r"ch"), "C"),  # ч
    (re.compile(r"sh"), "S"),  # ш
    (re.compile(r"kh"), "h"),  # х: Rakhim / Rahim
    (re.compile(r"gh"), "g"),  # ғ: Darigha / Dariga
    (re.compile(r"ph"), "f"),
    (re.compile(r"tz"), "ts"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"x"), "ks"),  # Aleksei / Alexei
    (re.compile(r"q"), "k"),  # қ: Toqaev / Tokaev
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"w"), "v"),  # Polish/German v: Chodorkowski
    (re.compile(r"([oe])ff$"), r"\1v"),  # Smirnoff / Smirnov
    (re.compile(r"^i(?=[aou])"), "y"),  # ICAO-style ю/я: Iulia / Yulia, Iurii / Yurii
    (re.compile(r"^ye"), "e"),  # е at the start: Yeltsin / Eltsin, Yerlan / Erlan
    (re.compile(r"(?<=[^aeiouy])yo"), "e"),  # ё after a consonant: Gorbachyov / Gorbachev
]
_PLACEHOLDERS = str.maketrans({"S": "sh", "C": "ch", "J": "j"})
_VOWELS = frozenset("aeiou")
_DOUBLE = re.compile(r"(.)\1+")
_TOKEN = re.compile(r"[a-zA-Z0-9]+|[^\W\d_]+", re.UNICODE)


def _fold_y(word: str) -> str:
    # y between vowels is a glide some spellings write and others drop (Nazarbayev/Nazarbaev,
    # Aliyev/Aliev); a word-initial y before a vowel is a consonant (Yuri); any other y is the
    # vowel i written another way (Tymoshenko/Timoshenko, Zelensky/Zelenskiy, Serikbay/Serikbai).
    out = []
    for i, ch in enumerate(word):
        if ch != "y":
            out.append(ch)
            continue
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if prev in _VOWELS and nxt in _VOWELS:
            continue
        out.append("y" if i == 0 and nxt in _VOWELS else "i")
    return "".join(out)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    for pattern, repl in _DIGRAPHS:
        word = pattern.sub(repl, word)
    word = _fold_y(word)
    word = _DOUBLE.sub(r"\1", word)  # Kassym / Qasym, Zelenskyy / Zelensky, Dmitrii / Dmitri
    return word.translate(_PLACEHOLDERS)


def fold_tokens(text: str) -> list[str]:
    """The folded words of a name (see :func:`fold`), in order, for word-level matching."""
    return fold_normalized(normalize_label(transliterate(text)))


def fold_normalized(label: str) -> list[str]:
    """:func:`fold_tokens` of a label already transliterated and normalised (saves the work twice)."""
    return [_fold_word(tok) for tok in _TOKEN.findall(label)]


#: :data:`STOPWORDS` as :func:`fold_tokens` spells them, to filter folded words
FOLDED_STOPWORDS = frozenset(_fold_word(w) for w in STOPWORDS)


def fold(text: str) -> str:
    """A matching key under which transliteration variants of a name collide.

    Rules are general (no name lists): Cyrillic is transliterated, accents, case, punctuation,
    a leading "the" and a possessive 's dropped; then q/k, gh/g, zh/j/dzh, kh/h, ch/tch, c/k,
    w/v, x/ks, word-initial ye/e, y between vowels dropped (-ayev/-aev, -iyev/-iev), other y -> i,
    doubled letters collapsed, and words joined without hyphens or spaces.

    Examples
    --------
    >>> fold("Nazarbayev") == fold("Nazarbaev") == fold("Назарбаев")
    True
    >>> fold("Qasym-Zhomart Toqaev") == fold("Kassym-Jomart Tokayev")
    True
    >>> fold("Aq Zhol") == fold("Ak Zhol") == fold("Ақ жол")
    True
    """
    return "".join(fold_tokens(text))


_ACRONYM_SPLIT = re.compile(r"[\s\-‐–—/]+")


def acronym(name: str) -> str:
    """Initials of the significant words of a name, uppercased (stopwords skipped).

    Examples
    --------
    >>> acronym("All-National Social Democratic Party")
    'ANSDP'
    >>> acronym("Democratic Choice of Kazakhstan")
    'DCK'
    """
    letters = []
    for word in _ACRONYM_SPLIT.split(name.strip()):
        word = word.strip("\"'“”‘’()[],.;:!?")
        if not word or word.lower() in STOPWORDS:
            continue
        first = word[0]
        if first.isalpha():
            letters.append(first.upper())
    return "".join(letters)
