"""The `kgraph review` commands: a thin Typer group over kgraph.review (list, decide, log, export gold)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

__all__ = ["register", "make_review_app"]


_STORE_HELP = "Store directory (or http(s):// endpoint, with --decisions)."
_DECISIONS_HELP = "Decisions file (JSONL) to keep in step; default: <store>.decisions.jsonl next to the store."
_AGENT_HELP = "Who decides (default: the OS user)."
_NOTE_HELP = "Why (kept with the decision)."


def _graph(ctx: typer.Context, store: Optional[str], decisions: Optional[Path], agent: Optional[str] = None, write: bool = False):
    from kgraph.cli import fail
    from kgraph.graph import open_graph
    from kgraph.review import Review

    parent = ctx.obj or {}
    store = store or parent.get("store")
    decisions = decisions or parent.get("decisions")
    if store is None:
        fail("give the store to review: --store DIR")
    return Review(open_graph(store=store, read_only=not write), decisions=decisions, agent=agent)


def _done(decision) -> None:
    what = decision.labels
    if decision.relation:
        line = f"{decision.action}: {what.get('subject')} {decision.relation[1]} {what.get('object')} (relation {decision.relation_id})"
    else:
        line = f"{decision.action}: {what.get('entity')}" + (f" + {what.get('other')}" if decision.other else "") + (
            f" in article {decision.article} -> {what.get('new_entity')}" if decision.article else "")
    typer.echo(f"{line}; decision {decision.id} by {decision.agent} at {decision.time}")


def review_list(
    ctx: typer.Context,
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    predicate: Optional[str] = typer.Option(None, "--predicate", "-p", help="Only this relation: leads, memberOf, expelledFrom, boycotted."),
    entity: Optional[str] = typer.Option(None, "--entity", "-e", help="Only relations of this entity (any spelling)."),
    article: Optional[str] = typer.Option(None, "--article", "-a", help="Only relations with evidence in this article id."),
    status: str = typer.Option("unreviewed", "--status", help="unreviewed, accepted, rejected, corrected or all."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most this many relations."),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help=_DECISIONS_HELP),
) -> None:
    """List relations to check, lowest confidence first, each with its id and evidence sentences;
    the subcommands record decisions on them.

    Example: kgraph review --store kg.db --predicate leads --format table
    """
    from kgraph.cli import render_rows

    ctx.obj = {"store": store, "decisions": decisions}
    if ctx.invoked_subcommand is not None:
        return
    with _graph(ctx, store, decisions) as review:
        rows = review.relations(predicate=predicate, entity=entity, article=article, status=status, limit=limit)
    if fmt == "json":
        render_rows(rows, list(rows[0]) if rows else [], fmt)
        return
    if fmt == "table":
        _table(rows, f"{len(rows)} relations ({status}), lowest confidence first")
        return
    flat = [{**r, "articles": " ".join(r["articles"]), "sentences": " | ".join(r["sentences"]),
             "asserted": " | ".join(r["asserted"])} for r in rows]
    columns = ["id", "confidence", "subject", "predicate", "object", "status", "evidence", "articles", "sentences", "asserted"]
    render_rows(flat, columns, fmt)


def _table(rows: list[dict], title: str) -> None:
    """A readable table: ids whole (to copy), the evidence sentences below each relation."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, show_lines=True)
    table.add_column("id", no_wrap=True)
    table.add_column("conf", no_wrap=True)
    table.add_column("relation")
    table.add_column("status", no_wrap=True)
    table.add_column("evidence: articles, then each sentence with who says so")
    for r in rows:
        evidence = "\n".join(f"- [italic]({escape(how)})[/italic] {escape(s)}" for s, how in zip(r["sentences"], r["asserted"]))
        articles = ", ".join(r["articles"])
        table.add_row(r["id"], f"{r['confidence']:.2f}", escape(f"{r['subject']} {r['predicate']} {r['object']}"),
                      r["status"], f"[dim]{articles}[/dim]\n{evidence}")
    Console(width=max(120, Console().width)).print(table)


def accept(
    ctx: typer.Context,
    relation: str = typer.Argument(..., help="The relation's id, as `kgraph review` lists it."),
    note: Optional[str] = typer.Option(None, "--note", help=_NOTE_HELP),
    agent: Optional[str] = typer.Option(None, "--agent", help=_AGENT_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help=_DECISIONS_HELP),
) -> None:
    """Accept a relation with all its evidence (it becomes gold for `kgraph review export-gold`).

    Example: kgraph review accept 1f3d4b542107 --store kg.db --note "checked the article"
    """
    with _graph(ctx, store, decisions, agent, write=True) as review:
        _done(review.accept(relation, note=note))


def reject(
    ctx: typer.Context,
    relation: str = typer.Argument(..., help="The relation's id, as `kgraph review` lists it."),
    note: Optional[str] = typer.Option(None, "--note", help=_NOTE_HELP),
    agent: Optional[str] = typer.Option(None, "--agent", help=_AGENT_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help=_DECISIONS_HELP),
) -> None:
    """Reject a relation with all its evidence: its direct triple goes, now and after every rebuild
    (the evidence stays, as rejected kg:Claims).

    Example: kgraph review reject 959cd681bf4f --store kg.db --note "he heads the council, not the party"
    """
    with _graph(ctx, store, decisions, agent, write=True) as review:
        _done(review.reject(relation, note=note))


def correct(
    ctx: typer.Context,
    relation: str = typer.Argument(..., help="The relation's id, as `kgraph review` lists it."),
    subject: Optional[str] = typer.Option(None, "--subject", help="The right subject (any spelling)."),
    obj: Optional[str] = typer.Option(None, "--object", help="The right object (any spelling)."),
    note: Optional[str] = typer.Option(None, "--note", help=_NOTE_HELP),
    agent: Optional[str] = typer.Option(None, "--agent", help=_AGENT_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help=_DECISIONS_HELP),
) -> None:
    """Correct a relation's subject and/or object: its evidence states it about another entity.

    Example: kgraph review correct RELATION_ID --subject "Azat Peruashev" --store kg.db
    """
    with _graph(ctx, store, decisions, agent, write=True) as review:
        _done(review.correct(relation, subject=subject, object=obj, note=note))


def merge(
    ctx: typer.Context,
    keep: str = typer.Argument(..., help="The entity that remains (any spelling)."),
    other: str = typer.Argument(..., help="The entity that is the same as it."),
    note: Optional[str] = typer.Option(None, "--note", help=_NOTE_HELP),
    agent: Optional[str] = typer.Option(None, "--agent", help=_AGENT_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help=_DECISIONS_HELP),
) -> None:
    """Merge two entities into one (in every article, and in articles built later).

    Example: kgraph review merge "Maria Volkova" "M. Volkova" --store kg.db --note "same person"
    """
    with _graph(ctx, store, decisions, agent, write=True) as review:
        _done(review.merge(keep, other, note=note))


def split(
    ctx: typer.Context,
    entity: str = typer.Argument(..., help="The entity (any spelling)."),
    article: str = typer.Option(..., "--article", "-a", help="The article whose mentions are another entity."),
    note: Optional[str] = typer.Option(None, "--note", help=_NOTE_HELP),
    agent: Optional[str] = typer.Option(None, "--agent", help=_AGENT_HELP),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help=_DECISIONS_HELP),
) -> None:
    """Split an entity: in one article, its mentions are a different entity (named as that article names it).

    Example: kgraph review split "Nazarbaev" --article cdc03eaf5d9fce0b --store kg.db
    """
    with _graph(ctx, store, decisions, agent, write=True) as review:
        _done(review.split(entity, article, note=note))


def log(
    ctx: typer.Context,
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help=_DECISIONS_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """List every decision with who, when, why and its status: applied, orphaned (what it acted on
    is no longer in the store) or pending (in the file, not yet in the store).

    Example: kgraph review log --store kg.db
    """
    from kgraph.cli import render_rows

    with _graph(ctx, store, decisions) as review:
        rows = review.log()
    if fmt != "json":
        rows = [{**r, "articles": " ".join(r["articles"])} for r in rows]
    render_rows(rows, ["id", "time", "agent", "action", "what", "status", "note", "relation", "articles"], fmt,
                title="Review decisions")


def export_gold(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="Gold annotations file to write (JSONL, the schema of EVAL.md)."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help=_STORE_HELP),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help=_DECISIONS_HELP),
) -> None:
    """Write the reviewed relations as gold annotations (accepted and corrected relations are gold,
    unreviewed ones optional, rejected ones wrong), to score with `kgraph evaluate`.

    Example: kgraph review export-gold reviewed.jsonl --store kg.db && kgraph evaluate reviewed.jsonl --texts corpus/
    """
    with _graph(ctx, store, decisions) as review:
        count = review.export_gold(out)
    typer.echo(f"wrote {out} ({count} reviewed articles)")


def make_review_app() -> typer.Typer:
    """The `review` command group: listing, and one subcommand per decision."""
    from kgraph.cli import clean_errors

    review_app = typer.Typer(name="review", invoke_without_command=True, add_completion=False, pretty_exceptions_enable=False)
    review_app.callback(invoke_without_command=True)(clean_errors(review_list))
    for name, command in (("accept", accept), ("reject", reject), ("correct", correct), ("merge", merge),
                          ("split", split), ("log", log), ("export-gold", export_gold)):
        review_app.command(name)(clean_errors(command))
    return review_app


def register(app: typer.Typer) -> None:
    """Add `kgraph review` and its subcommands to ``app``."""
    app.add_typer(make_review_app(), name="review")
