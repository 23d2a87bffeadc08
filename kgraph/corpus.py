"""Reading news articles and their metadata from files and folders; no NLP here.

Formats, chosen by file extension:

* ``.txt``: the first non-empty line is the title, the rest is the text;
* ``.md``: optional YAML front matter (``title``, ``date``, ``source``, ``url``, ``language``,
  ``id``); without a ``title`` there, the first ``# `` heading is the title (else the first line);
* ``.json``: one object or a list of objects; ``.jsonl``: one object per line. Keys: ``text``
  (required), ``id``, ``title``, ``date``, ``url``, ``source``, ``language``;
* ``.html`` / ``.htm``: the ``<title>`` and the main text (``<article>``, else ``<main>``, else
  ``<body>``, without script/style/nav/header/footer/aside), date/url/language from meta tags.

The date comes from the metadata, else from a dateline near the top of the text
(``"Prague, 29 January 2004 (RFE/RL) --"``, ``"MOSCOW, Dec. 3, 2020 (Reuters) -"``).

Each article's ``id`` is the one the input gives, else a short hash of its title and text with
whitespace normalised: the same content gets the same id in every run and every format. A given
id must be a string or an integer of letters, digits and ``- _ . ~ : / @ +`` (it becomes part of
an IRI); any other id (a list, a dict, one with spaces, tabs, newlines, ``<``, ``>``, quotes...)
is reported and its article skipped. Two *different* articles with the same id in one read are
both kept: the later one gets ``ID-<hash of its content>`` and a note is reported; the very same
article given twice is read once (also reported).

Dates may be given at a reduced precision (``"2023-01"``, ``2023``): the article then has
``date_precision`` ``"month"`` or ``"year"`` and its date is the first day of that period.
Impossible dates (``"2020-13-45"``) are reported and the article skipped.

Hostile input never escapes as a traceback: JSON or YAML nested too deeply for the parser is
reported like any other malformed file.

Folder walks are recursive and sorted. They skip, silently, hidden files and folders, files of
other extensions, and files that are not articles by convention: ``README*``, ``LICENSE*``,
``gold*.jsonl`` (evaluation sets). A file named explicitly is always read.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from kgraph.errors import ArticleError, DuplicateIdError
from kgraph.model import Article

__all__ = [
    "SUPPORTED_EXTENSIONS", "read_articles", "read_text", "article_id", "find_dateline", "parse_date", "parse_date_precision",
]

#: extensions read_articles understands, in the order its error messages list them
SUPPORTED_EXTENSIONS = (".txt", ".md", ".json", ".jsonl", ".html", ".htm")
#: a dateline must start within this many characters of the text (a standfirst may precede it)
DATELINE_WINDOW = 500

OnError = Callable[[ArticleError], None]


# --------------------------------------------------------------------------- public API


def read_articles(
    paths: str | Path | Iterable[str | Path], *, on_error: OnError | None = None
) -> Iterator[Article]:
    """Yield the articles in ``paths`` (files and folders, folders walked recursively, sorted).

    A bad article (missing path, binary or non-UTF-8 file, malformed JSON/YAML, empty text,
    unsupported extension of a file named explicitly) raises :class:`ArticleError`, or, when
    ``on_error`` is given, is passed to it and skipped while the rest are read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("A title\\n\\nLONDON, 3 May 2021 -- Some text.")
    >>> [(a.title, a.date.isoformat()) for a in read_articles(folder)]
    [('A title', '2021-05-03')]
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    seen: dict[str, tuple[str, str]] = {}  # id -> (content hash, where it was read)
    for given in paths:
        path = Path(given)
        try:
            if not path.exists():
                raise ArticleError(str(path), "no such file or folder; check the path")
            if path.is_dir():
                files = _walk(path)
            elif path.suffix.lower() in SUPPORTED_EXTENSIONS:
                files = [path]
            else:
                raise ArticleError(
                    str(path),
                    f"unsupported file type {path.suffix or '(no extension)'!r}; "
                    f"use one of {', '.join(SUPPORTED_EXTENSIONS)}",
                )
        except ArticleError as error:
            _report(error, on_error)
            continue
        for file in files:
            for where, article in _read_file(file, on_error):
                try:
                    article = _unique(article, where, seen)
                except DuplicateIdError as note:
                    _report(note, on_error)
                    article = note.article
                except ArticleError as error:
                    _report(error, on_error)
                    continue
                if article is not None:
                    yield article


def article_id(title: str, text: str) -> str:
    """The stable content id of an article: 16 hex digits of SHA-1 over its title and text,
    NFC-normalised with every run of whitespace collapsed (so formatting does not matter)."""
    content = _squash(title) + "\n" + _squash(text)
    return hashlib.sha1(content.encode("utf-8")).hexdigest()[:16]


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),  # 2020-12-03
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I),
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I),
]
# What may follow the date in a dateline: an agency in brackets, a dash, a colon, a bar, or the
# end of the line. "(11 September 1911 – 5 February 1971) was ..." is ruled out by the prefix.
_DATELINE_END = re.compile(r"\s*(?:\(|--|[-\u2013\u2014:|]|$)")


#: a date at a reduced precision, the whole value: "2023-01" (month) or "2023" (year)
_REDUCED_DATE = re.compile(r"\s*(?P<year>\d{4})(?:-(?P<month>\d{1,2}))?\s*")


def parse_date_precision(value: Any) -> tuple[dt.date, str] | None:
    """Like :func:`parse_date`, also accepting a month (``"2023-01"``) or a year (``"2023"``,
    ``2023``): ``(first day of the period, "day" | "month" | "year")``, ``None`` when no date.

    >>> parse_date_precision("2023-01")
    (datetime.date(2023, 1, 1), 'month')
    >>> parse_date_precision(2023)
    (datetime.date(2023, 1, 1), 'year')
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        reduced = _REDUCED_DATE.fullmatch(value)
        if reduced:
            year, month = int(reduced["year"]), reduced["month"]
            if month is None:
                return (dt.date(year, 1, 1), "year") if year >= 1 else None
            return (dt.date(year, int(month), 1), "month") if 1 <= int(month) <= 12 and year >= 1 else None
    day = parse_date(value)
    return (day, "day") if day is not None else None


def parse_date(value: Any) -> dt.date | None:
    """A date from metadata: a ``date``/``datetime``, ``"2020-12-03"``, ``"2020-12-03T10:00Z"``,
    ``"3 December 2020"``, ``"Dec. 3, 2020"``; ``None`` when ``value`` holds no such date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.search(value)
        if match:
            date = _date_of(match)
            if date:
                return date
    return None


def find_dateline(text: str, window: int = DATELINE_WINDOW) -> dt.date | None:
    """The date of a dateline starting within the first ``window`` characters of ``text``.

    A dateline is a line that starts with an optional short place or byline (no brackets, no
    sentence end) then a full date (day, month, year), followed by a bracket, a dash, a colon
    or the end of the line: ``"Prague, 29 January 2004 (RFE/RL) --"``,
    ``"MOSCOW, Dec. 3, 2020 (Reuters) -"``, ``"December 3, 2020"``, ``"2020-12-03"``.

    >>> find_dateline("WARSAW, March 4, 2019 (PAP) - The ruling party said...")
    datetime.date(2019, 3, 4)
    >>> find_dateline("Jan Kowalski (4 March 1950 - 2 May 2010) was a politician.") is None
    True
    """
    offset = 0
    for line in text[: window + 200].split("\n"):
        if offset > window:
            break
        head = line[:120]
        for pattern in _DATE_PATTERNS:
            for match in pattern.finditer(head):
                prefix = head[: match.start()]
                if len(prefix) > 60 or re.search(r"[()\[\]]|[.!?]\s", prefix):
                    continue
                if not _DATELINE_END.match(head, match.end()):
                    continue
                date = _date_of(match)
                if date:
                    return date
        offset += len(line) + 1
    return None


# --------------------------------------------------------------------------- walking and files


def _walk(folder: Path) -> list[Path]:
    """Article files under ``folder``, recursive, sorted by relative path."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUPPORTED_EXTENSIONS and not _is_ancillary(path):
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _is_ancillary(path: Path) -> bool:
    """Files that sit beside articles but are not articles: READMEs, licences, gold sets."""
    name = path.name.lower()
    if name.startswith(("readme", "license", "licence")):
        return True
    return name.startswith("gold") and name.endswith(".jsonl")


def _unique(article: Article, where: str, seen: dict[str, tuple[str, str]]) -> Article | None:
    """``article``, renamed if a different article already took its id in this read; ``None``
    (reported) if it is the very same article again. A renamed article is reported through
    ``on_error`` with a :class:`DuplicateIdError` but kept."""
    content = article_id(article.title, article.text)
    first = seen.get(article.id)
    if first is None:
        seen[article.id] = (content, where)
        return article
    if first[0] == content:
        raise ArticleError(where, f"same article as {first[1]} (same id {article.id!r} and text); read once")
    new_id = f"{article.id}-{content[:8]}"
    seen[new_id] = (content, where)
    note = DuplicateIdError(
        where,
        f"'id' {article.id!r} is also the id of {first[1]}, a different article; both are kept, "
        f"this one as {new_id!r} (give each article its own id)",
    )
    note.article = dataclasses.replace(article, id=new_id)
    raise note


def _report(error: ArticleError, on_error: OnError | None) -> None:
    if on_error is None:
        raise error
    on_error(error)


def _read_file(path: Path, on_error: OnError | None) -> Iterator[tuple[str, Article]]:
    try:
        text = read_text(path)
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from _read_jsonl(path, text, on_error)
            return
        if suffix == ".json":
            yield from _read_json(path, text, on_error)
            return
        reader = {".txt": _parse_txt, ".md": _parse_md, ".html": _parse_html, ".htm": _parse_html}[suffix]
        article = _make_article(path, reader(path, text))
    except ArticleError as error:
        _report(error, on_error)
        return
    yield str(path), article


def read_text(path: Path) -> str:
    """The content of a UTF-8 text file; :class:`ArticleError` if unreadable, binary or not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArticleError(str(path), f"cannot read the file ({error.strerror or error})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(
            str(path),
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise ArticleError(str(path), f"binary file (NUL byte at offset {nul}); expected UTF-8 text")
    return text


# Each parser returns the article's fields as a dict; _make_article checks and completes them.


def _parse_txt(path: Path, text: str) -> dict[str, Any]:
    title, body = _split_first_line(text)
    return {"title": title, "text": body}


def _split_first_line(text: str) -> tuple[str, str]:
    stripped = text.lstrip()
    title, _, body = stripped.partition("\n")
    return title.strip(), body


def _parse_md(path: Path, text: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    match = re.match(r"---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*$\r?\n?", text, re.S | re.M)
    if text.startswith("---") and not match:
        raise ArticleError(str(path), "malformed YAML front matter: no closing '---' line")
    if match:
        import yaml

        try:
            meta = yaml.load(match.group(1), Loader=_FrontMatterLoader())
        except RecursionError:
            raise ArticleError(str(path), "malformed YAML front matter: " + _TOO_DEEP.split(": ", 1)[1]) from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            raise ArticleError(str(path), f"malformed YAML front matter: {problem}{where}") from None
        if meta is not None and not isinstance(meta, dict):
            raise ArticleError(
                str(path), f"YAML front matter must be a mapping (key: value), got {type(meta).__name__}"
            )
        fields.update(meta or {})
        text = text[match.end():]
    if not fields.get("title"):
        heading = re.search(r"^#[ \t]+(.+?)[ \t#]*$", text, re.M)
        if heading and not text[: heading.start()].strip():
            fields["title"] = heading.group(1).strip()
            text = text[heading.end():]
        elif "title" not in fields:
            fields["title"], text = _split_first_line(text)
    fields["text"] = text
    return fields


@functools.lru_cache(maxsize=1)
def _FrontMatterLoader():
    """YAML's safe loader that leaves dates as text: ``parse_date_precision`` checks them, so an
    impossible date (``2020-13-45``) is a clear error, not a crash inside the YAML library, and a
    month (``2023-01``) keeps its precision."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _read_json(path: Path, text: str, on_error: OnError | None) -> Iterator[tuple[str, Article]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArticleError(
            str(path), f"malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ArticleError(str(path), _TOO_DEEP) from None
    if isinstance(data, dict):
        yield str(path), _make_article(path, _json_fields(str(path), data))
        return
    if not isinstance(data, list):
        raise ArticleError(str(path), f"expected a JSON object or a list of objects, got {type(data).__name__}")
    for index, item in enumerate(data):
        where = f"{path}[{index}]"
        try:
            yield where, _make_article(path, _json_fields(where, item), where=where)
        except ArticleError as error:
            _report(error, on_error)


#: what a JSON or YAML document nested deeper than Python's parsers recurse is reported as
_TOO_DEEP = "malformed: nested too deeply (arrays or objects inside each other thousands of levels deep)"


def _read_jsonl(path: Path, text: str, on_error: OnError | None) -> Iterator[tuple[str, Article]]:
    seen_any = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen_any = True
        where = f"{path}:{number}"
        try:
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ArticleError(where, f"malformed JSON: {error.msg} (column {error.colno})") from None
            except RecursionError:
                raise ArticleError(where, _TOO_DEEP) from None
            yield where, _make_article(path, _json_fields(where, item), where=where)
        except ArticleError as error:
            _report(error, on_error)
    if not seen_any:
        raise ArticleError(str(path), "empty file: no JSON lines")


def _json_fields(where: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ArticleError(where, f"expected a JSON object with a 'text' key, got {type(item).__name__}")
    if "text" not in item:
        raise ArticleError(where, f"no 'text' key (keys: {', '.join(sorted(item)) or 'none'}); add the article text")
    return dict(item)


class _HTMLText(HTMLParser):
    """Collects the ``<title>``, meta tags and the text of the main content of an HTML page."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "form"}
    BLOCK = {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section",
        "article", "main", "blockquote", "tr", "table", "figure", "figcaption", "pre", "hr", "dd", "dt",
    }
    VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.meta: dict[str, str] = {}
        self.lang: str | None = None
        self.h1: list[str] = []
        # text chunks per container: "body", "main", "article"; the first of each is kept
        self.parts: dict[str, list[str]] = {"body": [], "main": [], "article": []}
        self._stack: list[str] = []
        self._skip = 0
        self._in_title = False
        self._in_h1 = False
        self._open = {"main": 0, "article": 0}
        self._done = {"main": False, "article": False}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and attr.get("lang"):
            self.lang = attr["lang"]
        if tag == "meta":
            key = (attr.get("property") or attr.get("name") or attr.get("itemprop") or "").lower()
            if key and "content" in attr:
                self.meta.setdefault(key, attr["content"])
            return
        if tag == "link" and "canonical" in attr.get("rel", "").lower().split():
            self.meta.setdefault("canonical", attr.get("href", ""))
            return
        if tag == "time" and attr.get("datetime"):
            self.meta.setdefault("time", attr["datetime"])
        if tag in self.VOID:
            if tag in self.BLOCK:
                self._add("\n")
            return
        self._stack.append(tag)
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        if tag in self._open and not self._done[tag]:
            self._open[tag] += 1
        if tag in self.BLOCK:
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._stack:
            return
        while self._stack:  # close unclosed inner tags too
            top = self._stack.pop()
            if top in self.SKIP:
                self._skip -= 1
            elif top == "title":
                self._in_title = False
            elif top == "h1":
                self._in_h1 = False
            if top in self._open and self._open[top]:
                self._open[top] -= 1
                if not self._open[top]:
                    self._done[top] = True
            if top in self.BLOCK:
                self._add("\n")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
            return
        if self._skip:
            return
        if self._in_h1:
            self.h1.append(data)
        self._add(re.sub(r"\s+", " ", data))  # a newline in the source is a space; blocks make paragraphs

    def _add(self, chunk: str) -> None:
        self.parts["body"].append(chunk)
        for tag in ("main", "article"):
            if self._open[tag]:
                self.parts[tag].append(chunk)

    def main_text(self) -> str:
        for tag in ("article", "main", "body"):
            text = _paragraphs("".join(self.parts[tag]))
            if text:
                return text
        return ""


def _paragraphs(raw: str) -> str:
    """Whitespace inside a block collapsed; blocks separated by one blank line."""
    blocks = [" ".join(block.split()) for block in raw.split("\n")]
    return "\n\n".join(block for block in blocks if block)


def _parse_html(path: Path, text: str) -> dict[str, Any]:
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
    except Exception as error:  # html.parser is lenient; this is a last resort
        raise ArticleError(str(path), f"malformed HTML: {error}") from None
    meta = parser.meta
    title = " ".join("".join(parser.title).split()) or " ".join("".join(parser.h1).split())
    body = parser.main_text()
    first, _, rest = body.partition("\n\n")
    if title and first == title:  # the headline repeated as the page's <h1>
        body = rest
    fields: dict[str, Any] = {"title": title, "text": body}
    for key in ("article:published_time", "date", "dc.date", "dcterms.date", "pubdate", "datepublished", "time"):
        if meta.get(key):
            fields["date"] = meta[key]
            break
    url = meta.get("canonical") or meta.get("og:url")
    if url:
        fields["url"] = url
    if parser.lang:
        fields["language"] = parser.lang.split("-")[0].lower()
    return fields


# --------------------------------------------------------------------------- building an Article


def _make_article(path: Path, fields: dict[str, Any], *, where: str | None = None) -> Article:
    where = where or str(path)
    text = fields.get("text")
    if not isinstance(text, str):
        raise ArticleError(where, f"'text' must be a string, got {type(text).__name__}")
    text = text.strip()
    if not text:
        raise ArticleError(where, "empty article: no text after the title; add the article text")
    title = _as_text(fields.get("title"), "title", where) or ""
    title = " ".join(title.split())
    raw_date = fields.get("date")
    precision = "day"
    if raw_date in (None, ""):
        date = find_dateline(text)
    else:
        parsed = parse_date_precision(raw_date)
        if parsed is None:
            raise ArticleError(
                where, f"date {raw_date!r} is not a date; write it as YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)"
            )
        date, precision = parsed
    given_id = _given_id(fields.get("id"), where)
    return Article(
        id=given_id if given_id is not None else article_id(title, text),
        date_precision=precision,
        title=title,
        text=text,
        date=date,
        source=_as_text(fields.get("source"), "source", where),
        url=_as_text(fields.get("url"), "url", where),
        language=_as_text(fields.get("language"), "language", where) or "en",
        path=str(path),
    )


#: a usable article id: it becomes part of IRIs and SPARQL text, so no space, control, quote or bracket
_ID = re.compile(r"[\w.~:/@+-]{1,200}")


def _given_id(value: Any, where: str) -> str | None:
    """The id the input gives (``None`` when it gives none); :class:`ArticleError` if unusable."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and _ID.fullmatch(value.strip()):
        return value.strip()
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    raise ArticleError(
        where,
        f"'id' must be text of letters, digits and - _ . ~ : / @ + (at most 200, no spaces, tabs, newlines, "
        f"quotes or brackets), got {type(value).__name__} {shown}; fix it or drop 'id' to use a content hash",
    )


def _as_text(value: Any, key: str, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    raise ArticleError(where, f"{key!r} must be text, got {type(value).__name__} {value!r}")


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _date_of(match: re.Match) -> dt.date | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None
