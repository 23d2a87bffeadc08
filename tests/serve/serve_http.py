"""Plain HTTP helpers shared by the server tests (errors are returned, not raised)."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None, timeout: float = 30):
    """(status, body) of one plain HTTP request; an error status is returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def post_query(server, query: str, accept: str, timeout: float = 30):
    """POST a SPARQL query form to ``server``'s query URL."""
    return http(server.query_url, urllib.parse.urlencode({"query": query}).encode(),
                {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}, timeout=timeout)
