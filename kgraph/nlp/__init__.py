"""kgraph's spaCy layer: the pipeline that turns an Article into an ArticleAnalysis."""
from __future__ import annotations

from kgraph.nlp.pipeline import analyze, analyze_articles, load_pipeline

__all__ = ["load_pipeline", "analyze", "analyze_articles"]
