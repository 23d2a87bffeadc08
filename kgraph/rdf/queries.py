"""The packaged named SPARQL queries (``kgraph/rdf/queries/*.rq``): listing, loading, binding.

Each file starts with a ``#`` comment line describing it; a query with a parameter declares
``VALUES ?param { UNDEF }`` (valid SPARQL on its own: the parameter is then unbound) and a
``# parameter: ?param ...`` line; ``named_query(name, param=value)`` binds it.
"""
from __future__ import annotations

import re
from importlib import resources

from rdflib import Literal

from kgraph.errors import ConfigError

__all__ = ["list_queries", "named_query", "query_parameters", "resolve_query"]

_PARAM_RE = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}")


def _files() -> dict[str, str]:
    folder = resources.files("kgraph.rdf") / "queries"
    return {
        entry.name[: -len(".rq")]: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    }


def list_queries() -> dict[str, str]:
    """Query name -> one-line description (its first comment line), sorted by name."""
    out = {}
    for name, text in sorted(_files().items()):
        first = next((line for line in text.splitlines() if line.startswith("#")), "# ")
        out[name] = first.lstrip("#").strip()
    return out


def query_parameters(name: str) -> list[str]:
    """The names of the variables a named query lets the caller bind (e.g. ``["name"]``)."""
    return _PARAM_RE.findall(named_query(name))


def named_query(name: str, /, **bindings: str) -> str:
    """The SPARQL text of a packaged query, with ``bindings`` (parameter -> string) filled in.

    >>> "kg:Fact" in named_query("relations")
    True
    """
    files = _files()
    if name not in files:
        raise ConfigError(
            f"unknown named query {name!r}; known: {', '.join(sorted(files))} "
            "(or give SPARQL text or a .rq file)"
        )
    text = files[name]
    params = _PARAM_RE.findall(text)
    for key, value in bindings.items():
        if key not in params:
            raise ConfigError(
                f"query {name!r} has no parameter {key!r}; "
                f"its parameters: {', '.join(params) if params else 'none'}"
            )
        text = re.sub(rf"VALUES\s+\?{key}\s*\{{\s*UNDEF\s*\}}", lambda _m: f"VALUES ?{key} {{ {Literal(str(value)).n3()} }}", text)
    return text


def resolve_query(text: str) -> str:
    """SPARQL text for what a user typed: a packaged query name, a ``.rq`` file, or SPARQL itself.

    >>> resolve_query("SELECT * WHERE { ?s ?p ?o }")
    'SELECT * WHERE { ?s ?p ?o }'
    """
    from pathlib import Path

    from kgraph.errors import InputError

    candidate = text.strip()
    if candidate in _files():
        return named_query(candidate)
    if candidate.endswith(".rq") and "\n" not in candidate:
        path = Path(candidate)
        if not path.is_file():
            raise InputError(f"query file {candidate!r} does not exist; give SPARQL text, a .rq file or one of: "
                             f"{', '.join(sorted(_files()))}")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read query file {candidate!r}: {exc}") from exc
    return text
