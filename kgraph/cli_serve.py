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
    allow_service: bool = typer.Option(False, "--allow-service", help="Let queries use SPARQL federation (SERVICE <url>), which makes this machine connect to the URLs they name. Refused by default."),
    allow_host: List[str] = typer.Option([], "--allow-host", help="Also answer requests naming this host (repeatable; loopback names always work; '*' turns the DNS-rebinding guard off)."),
    memory_limit: int = typer.Option(2048, "--memory-limit", help="Memory cap of each query worker, MB: a query needing more is stopped with an error."),
    workers: int = typer.Option(8, "--workers", help="Query worker processes at most (each runs one query at a time)."),
) -> None:
    """Serve a store over the SPARQL 1.1 Protocol (Oxigraph server) until Ctrl-C.

    Queries: /query (default graph = union of all graphs); updates with --writable: /update;
    Graph Store Protocol: /store; a query page that works offline: http://HOST:PORT/

    A query past --timeout is stopped (its worker process killed, memory given back) and the
    client gets 503; SERVICE federation is refused unless --allow-service; only requests naming
    this machine (or an --allow-host name) are answered.

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
        serve(store, host=host, port=port, writable=writable, timeout_s=timeout, on_ready=_ready,
              allow_service=allow_service, allowed_hosts=allow_host, memory_limit_mb=memory_limit, max_workers=workers)
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
