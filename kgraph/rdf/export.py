"""Write a store (or quads) to an RDF file chosen by extension, and read RDF files back.

Serialization goes through pyoxigraph (fast, streaming); the file appears only once complete:
it is written to a temporary file beside the target and renamed over it.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from rdflib.term import Node

from kgraph.errors import ConfigError, InputError, StoreError
from kgraph.rdf.namespace import ID, PREFIXES

__all__ = ["FORMATS", "serialize", "load", "load_into", "format_for"]

#: format name -> (extensions, keeps named graphs?, pyoxigraph RdfFormat attribute)
FORMATS = {
    "turtle": ((".ttl",), False, "TURTLE"),
    "trig": ((".trig",), True, "TRIG"),
    "nquads": ((".nq",), True, "N_QUADS"),
    "ntriples": ((".nt",), False, "N_TRIPLES"),
    "json-ld": ((".jsonld",), True, "JSON_LD"),
    "xml": ((".rdf", ".owl", ".xml"), False, "RDF_XML"),
}
#: prefixes written into Turtle/TriG: one per resource kind ("party:aq-zhol") rather than
#: kgid:, whose local names would need escaped slashes ("kgid:party\\/aq-zhol")
EXPORT_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "kgid"} | {
    kind: str(ID[f"{kind}/"]) for kind in ("person", "party", "organization", "election", "article", "graph")
}
_ALIASES = {"ttl": "turtle", "nq": "nquads", "nt": "ntriples", "jsonld": "json-ld", "rdfxml": "xml",
            "rdf/xml": "xml", "rdf": "xml", "n-quads": "nquads", "n-triples": "ntriples"}


def format_for(path: str | os.PathLike, fmt: str | None = None) -> str:
    """The format name for ``path`` (by extension) or the explicit ``fmt``."""
    if fmt:
        name = _ALIASES.get(fmt.lower(), fmt.lower())
        if name in FORMATS:
            return name
        raise ConfigError(f"unknown RDF format {fmt!r}; known: {', '.join(FORMATS)}")
    suffix = Path(path).suffix.lower()
    for name, (extensions, _, _) in FORMATS.items():
        if suffix in extensions:
            return name
    known = ", ".join(f"{ext} ({name})" for name, (exts, _, _) in FORMATS.items() for ext in exts)
    raise ConfigError(f"cannot tell the RDF format of {os.fspath(path)!r} from its extension; use one of: {known}")


def _ox_quads(source) -> Iterator:
    """pyoxigraph quads of a Store, an rdflib Graph/Dataset, or an iterable of (s, p, o[, g])."""
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    from kgraph.rdf.oxigraph_store import OxigraphStore, to_oxigraph
    from kgraph.rdf.store import Store

    if isinstance(source, OxigraphStore):  # native quads: no conversion round trip
        yield from source._store.quads_for_pattern(None, None, None, None)
        return
    if isinstance(source, Store):
        items: Iterable = source.quads()
    elif isinstance(source, Dataset):
        items = ((s, p, o, None if _is_default(g) else g) for s, p, o, g in source.quads((None, None, None, None)))
    elif isinstance(source, Graph):
        items = ((s, p, o, None) for s, p, o in source)
    else:
        items = source
    for item in items:
        s, p, o = item[:3]
        g = item[3] if len(item) > 3 else None
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g))


def _is_default(graph) -> bool:
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    ident = getattr(graph, "identifier", graph)
    return ident is None or ident == DATASET_DEFAULT_GRAPH_ID


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def serialize(source, path: str | os.PathLike, format: str | None = None) -> Path:
    """Write ``source`` (a Store, rdflib Graph/Dataset, or quads) to ``path``.

    Quad formats (TriG, N-Quads, JSON-LD) keep one named graph per article plus the default
    graph; triple formats (Turtle, N-Triples, RDF/XML) write the union of all graphs.
    """
    import pyoxigraph as ox

    name = format_for(path, format)
    _, keeps_graphs, ox_name = FORMATS[name]
    target = Path(path)
    if target.is_dir():
        raise ConfigError(f"{os.fspath(target)!r} is a directory; give a file name such as kg.trig")
    target.parent.mkdir(parents=True, exist_ok=True)
    quads = _ox_quads(source)
    if keeps_graphs:
        data: Iterable = quads
    else:
        data = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}  # the union, without duplicates
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            ox.serialize(data, out, getattr(ox.RdfFormat, ox_name), prefixes=EXPORT_PREFIXES)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; the export is an ordinary file
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, (OSError, ValueError, TypeError)):
            raise StoreError(f"cannot write {os.fspath(target)!r}: {exc}") from exc
        raise
    return target


def load(path: str | os.PathLike, format: str | None = None) -> list[tuple[Node, Node, Node, Node | None]]:
    """Read an RDF file into quads of rdflib terms (graph ``None`` for the default graph)."""
    import pyoxigraph as ox

    from kgraph.rdf.oxigraph_store import from_oxigraph

    name = format_for(path, format)
    if not os.path.isfile(path):
        raise InputError(f"RDF file {os.fspath(path)!r} does not exist; give the path of a file written by `kgraph build --out` or `kgraph export`")
    try:
        parsed = ox.parse(path=os.fspath(path), format=getattr(ox.RdfFormat, FORMATS[name][2]))
        return [
            (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object), from_oxigraph(q.graph_name))
            for q in parsed
        ]
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"{os.fspath(path)}: not valid {name}: {str(exc).splitlines()[0]}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {os.fspath(path)!r}: {exc}") from exc


def load_into(store, path: str | os.PathLike, format: str | None = None) -> int:
    """Add the quads of an RDF file to ``store`` in one atomic change; returns how many.

    Named graphs stay named graphs (an article graph replaces a graph of the same name);
    triples of the default graph are added to the default graph.
    """
    from kgraph.rdf.store import Changes

    quads = load(path, format)
    changes = Changes()
    for s, p, o, g in quads:
        if g is None:
            changes.default_add.append((s, p, o))
        else:
            changes.replace_graphs.setdefault(str(g), []).append((s, p, o))
    store.apply(changes)
    return len(quads)
