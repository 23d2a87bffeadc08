"""`kgraph kb`: list, search and grow the knowledge base with your own entities and Wikidata ids."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

__all__ = ["kb_app", "register"]

kb_app = typer.Typer(
    name="kb",
    help=(
        "The knowledge base: the packaged one (Party Facts parties, curated actors) plus your own "
        "JSONL or CSV files (name, aliases, type, qid, country), given to `kgraph build --kb FILE`.\n\n"
        "Example: kgraph kb search Nazarbayev --kb my_politicians.csv"
    ),
    no_args_is_help=True,
)

_KB_OPTION = typer.Option([], "--kb", help="Your own KB file, JSONL or CSV (repeatable).")


def _load(kb_files: list[Path]):
    from kgraph.builder import load_kb

    return load_kb(kb_files)


def _row(entity) -> dict:
    return {
        "id": entity.id, "name": entity.name, "type": entity.type, "qid": entity.wikidata,
        "country": entity.country, "aliases": " | ".join(entity.aliases[:6]),
    }


def kb_list(
    kb: List[Path] = _KB_OPTION,
    entity_type: Optional[str] = typer.Option(None, "--type", "-t", help="Person, PoliticalParty or Organization."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="ISO3 country code, e.g. KAZ."),
    user: bool = typer.Option(False, "--user", help="Only the entries of the --kb files."),
    limit: int = typer.Option(50, "--limit", "-n", help="How many entries to show (0: all)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """List knowledge-base entries, filtered by type, country, or to your own files.

    Example: kgraph kb list --kb my_politicians.csv --user --country KAZ
    """
    from kgraph.cli import render_rows
    from kgraph.linking.kb import read_kb_file

    knowledge = _load(kb)
    if user:
        ids = {e.id for path in kb for e in read_kb_file(path)}
        by_qid = {e.wikidata: e.id for e in knowledge if e.wikidata}
        ids |= {by_qid[e.wikidata] for path in kb for e in read_kb_file(path) if e.wikidata in by_qid}
        entities = [e for e in knowledge if e.id in ids]
    else:
        entities = list(knowledge)
    if entity_type:
        entities = [e for e in entities if e.type.lower() == entity_type.lower()]
    if country:
        entities = [e for e in entities if (e.country or "").upper() == country.upper()]
    entities.sort(key=lambda e: (e.type, e.name, e.id))
    rows = [_row(e) for e in (entities[:limit] if limit else entities)]
    render_rows(rows, ["id", "name", "type", "qid", "country", "aliases"], fmt,
                title=f"{len(rows)} of {len(entities)} entries")


def kb_search(
    name: str = typer.Argument(..., help="A name in any spelling."),
    kb: List[Path] = _KB_OPTION,
    entity_type: Optional[str] = typer.Option(None, "--type", "-t", help="Person, PoliticalParty or Organization."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="ISO3 code of the article's country."),
    limit: int = typer.Option(10, "--limit", "-n", help="How many candidates to show."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """Search the knowledge base: candidates for a name, their scores, and the evidence a link needs.

    Example: kgraph kb search "Ak Zhol" --country KAZ
    """
    from kgraph.cli import fail, render_rows
    from kgraph.linking.evidence import needed

    knowledge = _load(kb)
    found = knowledge.candidates(name, type=entity_type, country=country, limit=limit)
    if not found:
        fail(f"no knowledge-base entry matches {name!r}; add one with `kgraph kb add FILE --name ...`", 1)
    rows = [
        {**_row(c.entity), "score": round(c.score, 3), "method": c.method, "evidence": needed(name, c.entity, knowledge)}
        for c in found
    ]
    render_rows(rows, ["name", "type", "qid", "country", "score", "method", "evidence", "id"], fmt,
                title=f"knowledge base entries for {name!r}")


def kb_add(
    file: Path = typer.Argument(..., help="Your KB file (.jsonl or .csv); created if missing."),
    name: str = typer.Option(..., "--name", help="Canonical name."),
    entity_type: str = typer.Option(..., "--type", "-t", help="Person, PoliticalParty or Organization."),
    alias: List[str] = typer.Option([], "--alias", "-a", help="Another name or spelling (repeatable)."),
    qid: Optional[str] = typer.Option(None, "--qid", help="Wikidata item id, e.g. Q1186246."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="ISO3 code or country name."),
    description: Optional[str] = typer.Option(None, "--description", help="A short description."),
) -> None:
    """Add an entry (checked like every entry) to your KB file; use it with `kgraph build --kb FILE`.

    Example: kgraph kb add my_politicians.csv --name "Nurlan Nigmatulin" --type Person --qid Q123456 --country KAZ
    """
    from kgraph.linking.kb import _user_entity, read_kb_file, write_kb_file

    record = {"name": name, "type": entity_type, "aliases": list(alias), "wikidata": qid, "country": country,
              "description": description}
    entity = _user_entity(record, "--name/--type/--qid/--country")
    existing = list(read_kb_file(file)) if file.exists() else []
    clash = next((e for e in existing if e.id == entity.id), None)
    if clash is not None:
        from kgraph.cli import fail

        fail(f"{file} already has {clash.name!r} ({clash.id}); edit that line instead", 2)
    if file.suffix.lower() == ".csv":
        write_kb_file([*existing, entity], file)
    else:
        with open(file, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(_record(entity), ensure_ascii=False) + "\n")
    typer.echo(f"added {entity.name} ({entity.type}{', ' + entity.wikidata if entity.wikidata else ''}) to {file}")


def _record(entity) -> dict:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "wikidata": entity.wikidata, "country": entity.country, "description": entity.description}


def kb_export(
    out: Path = typer.Argument(..., help="File to write, .jsonl or .csv."),
    store: str = typer.Option(..., "--store", "-s", help="Store directory or http(s):// endpoint."),
    entity_type: Optional[str] = typer.Option(None, "--type", "-t", help="Only this type."),
    everything: bool = typer.Option(False, "--all", help="Also the entities already linked to the KB."),
) -> None:
    """Export the entities a corpus minted (no KB entry, no Wikidata id) as an editable KB file:
    fill in qid and country, then build again with --kb OUT.

    Example: kgraph kb export minted.csv --store kg.db --type Person
    """
    from kgraph.graph import open_graph
    from kgraph.linking.kb import KBEntity, write_kb_file
    from kgraph.linking.normalize import normalize_label
    from kgraph.rdf.sync import load_entities

    with open_graph(store=store) as kg:
        entities = list(load_entities(kg.store))
    chosen = []
    for e in sorted(entities, key=lambda e: (e.type, e.label, e.iri)):
        if e.type == "Election" or (entity_type and e.type.lower() != entity_type.lower()):
            continue
        if not everything and (e.kb_id or e.wikidata):
            continue
        entity_id = e.kb_id or f"user:{e.type.lower()}:{normalize_label(e.label).replace(' ', '-')}"
        chosen.append(KBEntity(entity_id, e.type, e.label, tuple(sorted(a for a in e.aliases if a != e.label)),
                               e.wikidata, None, None))
    count = write_kb_file(chosen, out)
    typer.echo(f"wrote {count} entities to {out}; add their qid and country, then: kgraph build ... --kb {out}")


_COMMANDS = {"list": kb_list, "search": kb_search, "add": kb_add, "export": kb_export}


def register(app: typer.Typer) -> None:
    """Add the `kgraph kb` command group to ``app``."""
    from kgraph.cli import clean_errors

    for name, command in _COMMANDS.items():
        kb_app.command(name)(clean_errors(command))
    app.add_typer(kb_app, name="kb")
