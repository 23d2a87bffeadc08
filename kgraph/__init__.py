"""kgraph: news articles in, a linked, provenance-rich knowledge graph of political actors out.

The public API a notebook imports::

    import kgraph
    kg = kgraph.build("corpus/", store="kg.db")   # or kgraph.open_graph(store="kg.db")
    kg.query("SELECT ?leader ?party WHERE { ?leader kg:leads ?party }")
    kg.relations(); kg.entities(); kg.to_networkx(); kg.serialize("kg.trig")

Heavy parts (spaCy, pyoxigraph, pyvis) load on first use, so ``import kgraph`` is fast.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_LAZY = {
    "build": "kgraph.builder",
    "BuildReport": "kgraph.builder",
    "KnowledgeGraph": "kgraph.graph",
    "open_graph": "kgraph.graph",
    "read_articles": "kgraph.corpus",
    "load_pipeline": "kgraph.nlp.pipeline",
    "KnowledgeBase": "kgraph.linking.kb",
    "Article": "kgraph.model",
    "ArticleAnalysis": "kgraph.model",
    "Entity": "kgraph.model",
    "KGraphError": "kgraph.errors",
    "InputError": "kgraph.errors",
    "ArticleError": "kgraph.errors",
    "QueryError": "kgraph.errors",
    "EntityNotFoundError": "kgraph.errors",
    "StoreError": "kgraph.errors",
    "ModelError": "kgraph.errors",
}

#: submodules importable as attributes (``kgraph.evaluate.evaluate(gold)``)
_SUBMODULES = ("evaluate",)

__all__ = sorted(_LAZY) + list(_SUBMODULES) + ["__version__"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"kgraph.{name}")
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")


def __dir__():
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from kgraph.builder import BuildReport, build
    from kgraph.corpus import read_articles
    from kgraph.errors import (ArticleError, EntityNotFoundError, InputError, KGraphError, ModelError, QueryError,
                               StoreError)
    from kgraph import evaluate
    from kgraph.graph import KnowledgeGraph, open_graph
    from kgraph.linking.kb import KnowledgeBase
    from kgraph.model import Article, ArticleAnalysis, Entity
    from kgraph.nlp.pipeline import load_pipeline
