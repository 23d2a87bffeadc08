"""The explore commands of the `kgraph` CLI (path, neighbors, centrality, communities, viz): thin
wrappers that open the graph, call one function of kgraph.analysis / kgraph.viz and render.

``kgraph.cli`` calls :func:`register` on its app; the shared helpers (one-line errors,
table/CSV/JSON rendering) are kgraph.cli's own.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import List, Optional

import typer

__all__ = ["register"]

_STORE_HELP = "Store directory or http(s):// SPARQL endpoint."
_GRAPH_HELP = "A graph file (.trig .ttl .nq .jsonld) instead of a store."
_FORMAT_HELP = "table, csv or json."


def _open_networkx(store: Optional[str], graph: Optional[Path], *, comentions: bool = False):
    """The KnowledgeGraph and its NetworkX view (with co-mention edges if asked)."""
    from kgraph.graph import open_graph

    kg = open_graph(store=store, graph_file=graph)
    return kg, kg.to_networkx(comentions=comentions)


def _resolve(kg, G, name: str) -> str:
    """The IRI of the entity a user means by ``name`` (any known spelling), checked to be in the graph."""
    from kgraph.errors import EntityNotFoundError

    entity = kg.resolve(name)
    if entity.iri not in G:
        raise EntityNotFoundError(
            f"{name!r} is {entity.label} ({entity.type}), which has no relation in this graph; "
            "`kgraph centrality` lists the entities that do"
        )
    return entity.iri


_VIEWS = ("graph", "people", "parties")
_VIEW_HELP = ("graph: every entity and relation; people: persons tied by shared parties; "
              "parties: parties tied by shared people.")


def _view(G, view: str):
    """The graph, or one of its projections, by name."""
    from kgraph.analysis.projection import party_projection, person_projection
    from kgraph.errors import ConfigError

    if view not in _VIEWS:
        raise ConfigError(f"unknown --view {view!r}; choose from: {', '.join(_VIEWS)}")
    return {"graph": lambda: G, "people": lambda: person_projection(G), "parties": lambda: party_projection(G)}[view]()


def _parse_date(value: Optional[str], option: str):
    from kgraph.errors import InputError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD, e.g. {option} 2021-01-10") from None


def path(
    source: str = typer.Argument(..., help="First actor (any known spelling)."),
    target: str = typer.Argument(..., help="Second actor (any known spelling)."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help=_GRAPH_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help=_FORMAT_HELP),
) -> None:
    """How two actors are connected: every hop with the sentence behind it.

    Stated relations are preferred; where none connect the two, hops through entities named
    in the same sentence (relation "mentionedWith") are shown, with that sentence.

    Example: kgraph path --store kg.db Ablyazov "Nur Otan"
    """
    from kgraph.analysis.paths import connection, format_connection
    from kgraph.cli import fail, render_rows

    kg, G = _open_networkx(store, graph, comentions=True)
    with kg:
        source_iri, target_iri = _resolve(kg, G, source), _resolve(kg, G, target)
    hops = connection(G, source_iri, target_iri)
    if not hops:
        if source_iri == target_iri:
            fail(f"{source!r} and {target!r} are the same entity ({G.nodes[source_iri]['label']})", 1)
        fail(f"no connection between {G.nodes[source_iri]['label']} and {G.nodes[target_iri]['label']} in this graph", 1)
    rows = [{k: v for k, v in hop.items() if k != "evidence"} for hop in hops]
    columns = ["source_label", "relation", "direction", "target_label", "sentence", "title", "date"]
    if fmt == "table":
        render_rows(rows, columns, fmt, title=format_connection(hops))
    else:
        render_rows(rows, columns + ["source", "target", "subject_label", "object_label", "article", "confidence"], fmt)


def neighbors(
    name: str = typer.Argument(..., help="The actor at the centre (any known spelling)."),
    depth: int = typer.Option(1, "--depth", "-d", min=1, help="How many hops out."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help=_GRAPH_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help=_FORMAT_HELP),
) -> None:
    """The ego network of an actor: everyone within N hops, with the relation that reaches them.

    Example: kgraph neighbors --store kg.db "Aq Zhol" --depth 2
    """
    from kgraph.analysis.paths import neighbors_table
    from kgraph.cli import render_rows

    kg, G = _open_networkx(store, graph)
    with kg:
        center = _resolve(kg, G, name)
    rows = neighbors_table(G, center, depth)
    columns = ["label", "type", "distance", "via_label", "relation", "direction", "sentence"]
    render_rows(rows, columns + (["iri", "via"] if fmt != "table" else []), fmt,
                title=f"{G.nodes[center]['label']}: {len(rows)} within {depth} hop(s)")


def centrality(
    measure: List[str] = typer.Option(["degree", "betweenness", "pagerank"], "--measure", "-m",
                                      help="degree, betweenness or pagerank (repeatable)."),
    top: int = typer.Option(20, "--top", "-n", min=0, help="Show the first N (0: all)."),
    entity_type: Optional[List[str]] = typer.Option(None, "--type", "-t",
                                                    help="Only this entity type, e.g. Person (repeatable)."),
    view: str = typer.Option("graph", "--view", help=_VIEW_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help=_GRAPH_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help=_FORMAT_HELP),
) -> None:
    """The most central actors: degree, betweenness and PageRank, ranked by the first measure.

    Example: kgraph centrality --store kg.db --type Person --top 10
    """
    from kgraph.analysis.centrality import MEASURES, centrality_table
    from kgraph.cli import fail, render_rows
    from kgraph.model import ENTITY_TYPES

    unknown = [m for m in measure if m not in MEASURES]
    if unknown:
        fail(f"unknown measure {unknown[0]!r}; choose from: {', '.join(MEASURES)}")
    bad_types = [t for t in entity_type or [] if t not in ENTITY_TYPES]
    if bad_types:
        fail(f"unknown entity type {bad_types[0]!r}; choose from: {', '.join(ENTITY_TYPES)}")
    kg, G = _open_networkx(store, graph)
    kg.close()
    G = _view(G, view)
    rows = centrality_table(G, measures=list(dict.fromkeys(measure)), top=top or None,
                            types=tuple(entity_type) if entity_type else None)
    columns = ["rank", "label", "type", *dict.fromkeys(measure)]
    if fmt == "table":
        rows = [{k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()} for r in rows]
    render_rows(rows, columns + (["iri"] if fmt != "table" else []), fmt, title="Centrality")


def communities(
    seed: int = typer.Option(42, "--seed", help="Seed of the Louvain heuristic (same seed, same result)."),
    resolution: float = typer.Option(1.0, "--resolution", help="Above 1: smaller communities; below 1: larger."),
    cohesion: bool = typer.Option(False, "--cohesion", help="Show each party's cohesion instead."),
    view: str = typer.Option("graph", "--view", help=_VIEW_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help=_GRAPH_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help=_FORMAT_HELP),
) -> None:
    """Communities of actors (Louvain), or with --cohesion how closely each party's people cluster.

    Example: kgraph communities --store kg.db --cohesion
    """
    from kgraph.analysis.communities import communities_table, party_cohesion
    from kgraph.cli import render_rows

    kg, G = _open_networkx(store, graph)
    kg.close()
    if cohesion:
        rows = party_cohesion(G, seed=seed)
        if fmt == "table":
            rows = [{**r, "cohesion": round(r["cohesion"], 3)} for r in rows]
        columns = ["label", "people", "leaders", "expelled", "community", "cohesion"]
        render_rows(rows, columns + (["iri"] if fmt != "table" else []), fmt, title="Party cohesion")
        return
    rows = communities_table(_view(G, view), seed=seed, resolution=resolution)
    columns = ["community", "size", "people", "parties", "members"]
    render_rows(rows, columns + (["iris"] if fmt == "json" else []), fmt, title="Communities (Louvain)")


def viz(
    out: Path = typer.Option(Path("graph.html"), "--out", "-o",
                             help="Output file: .html (interactive page), .graphml or .gexf."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help=_GRAPH_HELP),
    center: Optional[str] = typer.Option(None, "--center", "-c", help="Only this actor's neighbourhood."),
    depth: int = typer.Option(2, "--depth", "-d", min=0, help="Hops around --center."),
    relation: Optional[List[str]] = typer.Option(
        None, "--relation", "-r", help="Only this relation: leads, memberOf, expelledFrom, boycotted (repeatable)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only articles dated on or after YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, "--until", help="Only articles dated on or before YYYY-MM-DD."),
    title: str = typer.Option("kgraph", "--title", help="Page title."),
    size_by: str = typer.Option("pagerank", "--size-by", help="Node size by pagerank, degree or betweenness."),
) -> None:
    """Draw the graph as one self-contained interactive HTML page (works offline), or export GraphML/GEXF.

    Example: kgraph viz --store kg.db --out graph.html --center "Aq Zhol" --depth 2
    """
    from kgraph.analysis.subgraph import select
    from kgraph.cli import fail
    from kgraph.model import PREDICATES
    from kgraph.viz.export import EXPORT_FORMATS, write_graph
    from kgraph.viz.html import render_html

    suffix = out.suffix.lower()
    if suffix not in {".html", ".htm", *EXPORT_FORMATS}:
        fail(f"cannot tell what to write from the suffix of {str(out)!r}; use .html, {', '.join(EXPORT_FORMATS)}")
    bad = [r for r in relation or [] if r not in PREDICATES]
    if bad:
        fail(f"unknown relation {bad[0]!r}; choose from: {', '.join(PREDICATES)}")
    if size_by not in ("pagerank", "degree", "betweenness"):
        fail(f"unknown --size-by {size_by!r}; choose from: pagerank, degree, betweenness")
    since_date, until_date = _parse_date(since, "--since"), _parse_date(until, "--until")
    kg, G = _open_networkx(store, graph)
    with kg:
        center_iri = _resolve(kg, G, center) if center else None
    H = select(G, center=center_iri, depth=depth, relations=relation or None, since=since_date, until=until_date)
    if H.number_of_nodes() == 0:
        fail("nothing left to draw after the filters; loosen --relation/--since/--until", 1)
    if suffix in EXPORT_FORMATS:
        write_graph(H, out)
    else:
        render_html(H, out, title=title, size_by=size_by)
    typer.echo(f"wrote {out} ({H.number_of_nodes()} entities, {H.number_of_edges()} relations)")


_COMMANDS = {"path": path, "neighbors": neighbors, "centrality": centrality, "communities": communities, "viz": viz}


def register(app: typer.Typer) -> None:
    """Add the explore commands to ``app`` (kgraph.cli's app, or a test's own)."""
    from kgraph.cli import clean_errors

    for name, command in _COMMANDS.items():
        app.command(name)(clean_errors(command))
