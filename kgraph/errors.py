"""One exception tree for kgraph; the CLI turns these into a one-line message and an exit code.

    KGraphError                      base: anything kgraph raises on purpose
    ├── InputError                   bad user input (exit code 2)
    │   ├── ArticleError             an article cannot be read or is empty
    │   │   └── DuplicateIdError     a second, different article with an id already read (kept, renamed)
    │   ├── ArgumentError            a bad argument to a kgraph function (also a ValueError)
    │   │   └── ArgumentTypeError    an argument of the wrong type (also a TypeError)
    │   ├── QueryError               a SPARQL query does not parse, fails, or uses SERVICE unasked
    │   │   └── QueryTimeoutError    a query ran past its deadline and was stopped
    │   └── EntityNotFoundError      a name links to no entity (carries the closest candidates)
    ├── ModelError                   the spaCy model cannot be loaded
    ├── StoreError                   a store cannot be opened, read or written
    └── ConfigError                  an unknown backend/engine/format name
"""
from __future__ import annotations


class KGraphError(Exception):
    """Base class of every error kgraph raises on purpose."""

    exit_code = 1


class InputError(KGraphError):
    """The user gave kgraph something it cannot use."""

    exit_code = 2


class ArticleError(InputError):
    """An article cannot be read: missing, binary, not UTF-8, malformed, or empty."""

    #: the article was left out of the build (a DuplicateIdError's article is kept)
    skipped = True

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class MissingTextError(ArticleError):
    """A gold document whose text is not there (``kgraph evaluate --skip-missing`` skips it)."""


class DuplicateIdError(ArticleError):
    """A note, not a failure: a different article already used this id; this one is kept renamed."""

    skipped = False


class ArgumentError(InputError, ValueError):
    """A kgraph function was called with a value it cannot use; the message says what to pass."""


class ArgumentTypeError(ArgumentError, TypeError):
    """A kgraph function was called with an argument of the wrong type."""


class QueryError(InputError):
    """A SPARQL query does not parse or cannot be evaluated."""


class QueryTimeoutError(QueryError):
    """A SPARQL query ran past its deadline and was stopped."""


class EntityNotFoundError(InputError):
    """A name matches no known entity, or several equally well."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        self.candidates = list(candidates or [])
        super().__init__(message)


class ModelError(KGraphError):
    """The spaCy model cannot be loaded."""


class StoreError(KGraphError):
    """A store cannot be opened, read or written."""


class ConfigError(KGraphError):
    """An unknown name was given for a backend, engine, format or query."""

    exit_code = 2
