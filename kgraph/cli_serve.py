"""The `kgraph serve` and `kgraph remove` commands: thin Typer wrappers over kgraph.serve and kgraph.rdf.sync."""
from __future__ import annotations

import contextlib
import sys
from typing import Iterator, List

import typer

from kgraph.errors import KGraphError

__all__ = ["register", "serve_command", "remove_command"]


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """A KGraphError becomes one line on stderr and its exit code, never a traceback."""
    try:
        yield
    except KGraphError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(code=exc.exit_code) from None


def serve_command(
    store: str = typer.Option(..., "--store", "-s", help="Store directory written by `kgraph build --store DIR`."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (loopback by default; 0.0.0.0 exposes it)."),
    port: int = typer.Option(7878, "--port", "-p", help="TCP port to listen on."),
    writable: bool = typer.Option(False, "--writable", help="Accept SPARQL UPDATE and Graph Store writes (read-only by default)."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds after which a query is cancelled and the client gets an error."),
) -> None:
    """Serve a store over the SPARQL 1.1 Protocol (Oxigraph server) until Ctrl-C.

    Queries: /query (default graph = union of all graphs); updates with --writable: /update;
    Graph Store Protocol: /store; a query page that works offline: http://HOST:PORT/

    Example: kgraph serve --store kg.db --port 7878
    """
    from kgraph.serve import serve

    def _ready(server) -> None:
        mode = "read-write" if server.writable else "read-only"
        typer.echo(
            f"Serving {server.store_dir} ({mode}) at {server.url}/ : SPARQL queries at {server.query_url}"
            + (f", updates at {server.update_url}" if server.writable else "")
            + f"; queries time out after {server.timeout_s:g} s. Ctrl-C to stop.",
            err=True,
        )
        sys.stderr.flush()

    with _user_errors():
        serve(store, host=host, port=port, writable=writable, timeout_s=timeout, on_ready=_ready)
    typer.echo("Server stopped.", err=True)


def remove_command(
    article_ids: List[str] = typer.Argument(..., help="Article id(s) to remove (bare id, or the article's or its graph's IRI)."),
    store: str = typer.Option(..., "--store", "-s", help="Store directory, or http(s):// URL of a SPARQL endpoint."),
) -> None:
    """Remove articles from a store: their graphs, the facts only they supported, the entities only they mentioned.

    Example: kgraph remove 004_e0b2edf338f6003b --store kg.db
    """
    from kgraph.rdf.store import open_store
    from kgraph.rdf.sync import plan_removal

    with _user_errors():
        with open_store(store) as opened:
            changes = plan_removal(opened, article_ids)
            opened.apply(changes)
    removed = len(changes.drop_graphs)
    typer.echo(
        f"Removed {removed} article graph(s) from {store}; default graph: "
        f"{len(changes.default_remove)} triple(s) removed, {len(changes.default_add)} added."
    )


def register(app: typer.Typer) -> None:
    """Add `serve` and `remove` to the kgraph Typer app."""
    app.command("serve")(serve_command)
    app.command("remove")(remove_command)


if __name__ == "__main__":  # `python -m kgraph.cli_serve serve --store DIR` without the full CLI
    _app = typer.Typer(add_completion=False)
    register(_app)
    _app()
