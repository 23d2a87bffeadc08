"""Spotting SPARQL federation (``SERVICE``), which kgraph refuses unless the user opts in.

A ``SERVICE <IRI>`` clause makes the query engine open an HTTP connection to any address the
query names: from a server, that reaches the network (or the server's own loopback services) on
behalf of whoever sent the query. kgraph's local stores and its server refuse such queries by
default; ``allow_service=True`` (``--allow-service``) lets them through.

The check reads the query as the SPARQL grammar does: ``\\u``/``\\U`` escapes are decoded first
(the grammar applies them to the whole text), then comments, strings and IRIs are set aside, and
``SERVICE`` must stand as a keyword (not ``?service``, ``ex:service`` or ``service:x``).
"""
from __future__ import annotations

import re

from kgraph.errors import QueryError

__all__ = ["uses_service", "refuse_service"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# what the keyword search must skip: long and short strings, IRIs, comments
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.S,
)
_SERVICE = re.compile(r"(?<![\w:?$.\-])SERVICE(?![\w:\-])", re.I)


def _unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(one, text)


def uses_service(sparql: str) -> bool:
    """Whether ``sparql`` (a query or an update) contains a ``SERVICE`` clause.

    >>> uses_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service WHERE { ?service a <urn:x:Service> . FILTER(?x = "SERVICE") }')
    False
    """
    code = _SKIP.sub(" ", _unescape(sparql))
    return _SERVICE.search(code) is not None


#: the message both the server and ``kgraph query`` give
REFUSAL = (
    "SPARQL federation (SERVICE) is refused: it would make this machine connect to the address the query "
    "names; remove the SERVICE clause, or opt in with --allow-service (Python: allow_service=True)"
)


def refuse_service(sparql: str) -> None:
    """Raise :class:`~kgraph.errors.QueryError` if ``sparql`` uses ``SERVICE``."""
    if uses_service(sparql):
        raise QueryError(REFUSAL)
