"""Entity linking without spaCy: the knowledge base, name normalisation, evidence, cross-article resolution.

    from kgraph.linking import KnowledgeBase, Linker, link_analyses, resolve_name
    kb = KnowledgeBase.default()                 # Party Facts + curated actors
    kb.candidates("Ak Zhol")                     # ranked Candidate list
    resolve_name("Nazarbayev", kb)               # -> Entity, or EntityNotFoundError

Submodules load on first attribute access, so importing ``kgraph.linking.normalize`` alone
(as ``kgraph.rdf.namespace`` does) stays cheap.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_LAZY = {
    "transliterate": "kgraph.linking.normalize",
    "normalize_label": "kgraph.linking.normalize",
    "fold": "kgraph.linking.normalize",
    "acronym": "kgraph.linking.normalize",
    "KBEntity": "kgraph.linking.kb",
    "Candidate": "kgraph.linking.kb",
    "KnowledgeBase": "kgraph.linking.kb",
    "LinkContext": "kgraph.linking.resolver",
    "LinkDecision": "kgraph.linking.resolver",
    "Linker": "kgraph.linking.resolver",
    "link_analyses": "kgraph.linking.resolver",
    "resolve_name": "kgraph.linking.resolver",
    "explain": "kgraph.linking.resolver",
    "link_evidence": "kgraph.linking.resolver",
    "strip_titles": "kgraph.linking.resolver",
    "read_kb_file": "kgraph.linking.kb",
    "write_kb_file": "kgraph.linking.kb",
    "Evidence": "kgraph.linking.evidence",
    "assess": "kgraph.linking.evidence",
    "name_risk": "kgraph.linking.evidence",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kgraph.linking' has no attribute {name!r}")


def __dir__():
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from kgraph.linking.evidence import Evidence, assess, name_risk
    from kgraph.linking.kb import Candidate, KBEntity, KnowledgeBase, read_kb_file, write_kb_file
    from kgraph.linking.normalize import acronym, fold, normalize_label, transliterate
    from kgraph.linking.resolver import (
        LinkContext,
        LinkDecision,
        Linker,
        explain,
        link_analyses,
        link_evidence,
        resolve_name,
        strip_titles,
    )
