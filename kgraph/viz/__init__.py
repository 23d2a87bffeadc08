"""Drawing and exporting the graph: interactive HTML (vis-network, offline, escaped), GraphML and GEXF.

:func:`render_html` writes the page, :func:`to_html` returns it as a string and
:func:`inline_frame` wraps it for a notebook; :func:`write_graph` writes GraphML or GEXF by suffix.
"""
from __future__ import annotations

from kgraph.viz.export import write_gexf, write_graph, write_graphml
from kgraph.viz.html import inline_frame, render_html, to_html
from kgraph.viz.layout import layout_positions

__all__ = ["render_html", "to_html", "inline_frame", "layout_positions", "write_graph", "write_graphml", "write_gexf"]
