"""Serialization by extension and reading back (kgraph.rdf.export)."""
from __future__ import annotations

import pytest

from kgraph.errors import ConfigError, InputError
from kgraph.rdf.export import FORMATS, load, serialize


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".jsonld"])
def test_export_quad_formats_round_trip(built, tmp_path, suffix):
    path = serialize(built, tmp_path / f"kg{suffix}")
    assert set(load(path)) == set(built.quads())


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".rdf"])
def test_export_triple_formats_write_the_union(built, tmp_path, suffix):
    path = serialize(built, tmp_path / f"kg{suffix}")
    quads = load(path)
    assert all(g is None for *_, g in quads)
    assert {q[:3] for q in quads} == {q[:3] for q in built.quads()}


def test_export_trig_has_a_graph_per_article(built, tmp_path):
    path = serialize(built, tmp_path / "kg.trig")
    graphs = {str(g) for *_, g in load(path) if g is not None}
    assert graphs == built.graph_names()
    assert "@prefix kg:" in path.read_text()


def test_export_unknown_extension_lists_formats(built, tmp_path):
    with pytest.raises(ConfigError, match=r"\.trig"):
        serialize(built, tmp_path / "kg.xyz")
    assert not (tmp_path / "kg.xyz").exists()


def test_export_explicit_format(built, tmp_path):
    path = serialize(built, tmp_path / "graph.data", format="nq")
    assert set(load(path, format="nquads")) == set(built.quads())


def test_export_failure_leaves_previous_file(tmp_path):
    from rdflib import Literal, URIRef

    target = tmp_path / "kg.nq"
    target.write_text("previous\n")
    bad = [(Literal("x"), URIRef("http://example.org/p"), Literal(1), None)]
    with pytest.raises(Exception):
        serialize(bad, target)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.nq"]  # no temporary file left behind


def test_export_load_errors(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load(tmp_path / "missing.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://a> <http://b> .\n")
    with pytest.raises(InputError, match="broken.ttl"):
        load(broken)


def test_export_formats_cover_the_contract():
    extensions = {ext for exts, _, _ in FORMATS.values() for ext in exts}
    assert {".ttl", ".trig", ".nq", ".nt", ".jsonld", ".rdf"} <= extensions


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_export_load_into_store(built, tmp_path, suffix):
    from kgraph.rdf.oxigraph_store import OxigraphStore
    from kgraph.rdf.sync import plan_build

    from .conftest import article_one

    path = serialize(built, tmp_path / f"kg{suffix}")
    fresh = OxigraphStore()
    from kgraph.rdf.export import load_into

    assert load_into(fresh, path) == len(set(built.quads()))
    assert set(fresh.quads()) == set(built.quads())
    assert plan_build(fresh, [article_one()]).is_empty()  # a loaded store keeps its fingerprints


def test_export_file_has_ordinary_permissions(tmp_path):
    import os

    from kgraph.rdf.export import serialize

    path = serialize([], tmp_path / "empty.nq")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
