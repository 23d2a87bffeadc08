"""The time and lineage commands of the `kgraph` CLI (asof, lineage): thin wrappers over
KnowledgeGraph.as_of / KnowledgeGraph.lineage. ``kgraph.cli`` calls :func:`register` on its app."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

__all__ = ["register"]

_STORE_HELP = "Store directory or http(s):// SPARQL endpoint."
_GRAPH_HELP = "A graph file (.trig .ttl .nq .jsonld) instead of a store."


def asof(
    date: str = typer.Argument(..., help="The date, YYYY-MM-DD (or YYYY, YYYY-MM: its first day)."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help=_GRAPH_HELP),
    predicate: Optional[str] = typer.Option(None, "--predicate", "-p", help="leads or memberOf (default: both)."),
    entity: Optional[str] = typer.Option(None, "--entity", "-e", help="Only relations of this actor (any spelling; a party's whole line)."),
    ended: bool = typer.Option(False, "--ended", help="Also list what had ended by the date (ended, succeeded, merged)."),
    evidence: bool = typer.Option(False, "--evidence", help="Show the evidence sentence and article title in the table."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """Who held what on a date: each leads / memberOf relation with its evidence, stated for the
    date or carried forward from an earlier observation (and how many days old it is).

    Example: kgraph asof 2020-12-31 --store kg.db --predicate leads
    """
    from kgraph.cli import render_rows
    from kgraph.graph import open_graph
    from kgraph.temporal import COLUMNS, parse_date

    day = parse_date(date)  # a bad date fails before the store is opened
    with open_graph(store=store, graph_file=graph) as kg:
        rows = kg.as_of(day, predicate=predicate, entity=entity, ended=ended, dataframe=False)
    if fmt == "table":
        columns = ["subject", "relation", "object", "object_then", "status", "since", "until", "observed", "age_days"]
        columns += ["sentence", "title"] if evidence else ["article"]
        render_rows(rows, columns, fmt, title=f"as of {day.isoformat()}: {len(rows)} relation(s)")
    else:
        render_rows(rows, COLUMNS, fmt)


def lineage(
    name: str = typer.Argument(..., help="A party or organization, any spelling (e.g. Amanat, 'Nur Otan', Otan)."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help=_GRAPH_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """The line of a party across its renames, mergers and splits, with dates and sources.

    Example: kgraph lineage Amanat --store kg.db
    """
    import json

    from kgraph.cli import render_rows
    from kgraph.graph import open_graph

    with open_graph(store=store, graph_file=graph) as kg:
        report = kg.lineage(name)
    if fmt == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    rows = [
        {
            "date": e["date"], "kind": e["kind"], "from": ", ".join(e["original"]),
            "to": ", ".join(e["resulting"]), "continues": e["continues"],
            "sources": " ".join(e["sources"]), "evidence": " | ".join(e["sentences"]),
        }
        for e in report["events"]
    ]
    if fmt == "table":
        typer.echo(report["line"])
        if not rows:
            typer.echo(f"(no renames, mergers or splits of {report['organization']} are recorded)")
            return
    render_rows(rows, ["date", "kind", "from", "to", "continues", "sources", "evidence"], fmt,
                title=f"lineage of {report['organization']}")


_COMMANDS = {"asof": asof, "lineage": lineage}


def register(app: typer.Typer) -> None:
    """Add the asof and lineage commands to ``app`` (kgraph.cli's app, or a test's own)."""
    from kgraph.cli import clean_errors

    for name, command in _COMMANDS.items():
        app.command(name)(clean_errors(command))
