"""The public API: everything in kgraph.__all__ resolves, and importing kgraph stays light."""
from __future__ import annotations

import subprocess
import sys

import kgraph


def test_init_every_public_name_resolves():
    for name in kgraph.__all__:
        assert getattr(kgraph, name) is not None, name


def test_init_build_stays_a_function_after_submodule_imports():
    import kgraph.builder  # noqa: F401
    import kgraph.evaluate  # noqa: F401

    assert callable(kgraph.build) and kgraph.build.__module__ == "kgraph.builder"
    assert callable(kgraph.evaluate.evaluate)


def test_init_import_does_not_load_heavy_dependencies():
    code = "import sys, kgraph; print(sorted(m for m in ('spacy', 'pyoxigraph', 'pyvis', 'rdflib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
