"""One self-contained, offline, injection-safe interactive HTML page of a knowledge graph (vis-network).

The drawing library is the vis-network build that pyvis ships (``pyvis/templates/lib``),
inlined. The page itself is kgraph's own template rather than pyvis's, because pyvis's
template loads Bootstrap from a CDN whatever ``cdn_resources`` says and puts the heading and
(with links) tooltips into HTML unescaped.

How text from articles stays text:

* every node and edge, with its label and tooltip, travels in one JSON document inside
  ``<script type="application/json">``, with ``<``, ``>``, ``&`` and U+2028/9 written as
  ``\\uXXXX`` escapes, so no ``</script>`` or ``<!--`` in the data can end or bend that
  element; the page reads it with ``JSON.parse``;
* the page's script only ever puts that text into the DOM through ``textContent``,
  ``option.value`` and vis-network's plain-text tooltips (a string title is set with
  ``innerText``), never ``innerHTML``; labels are drawn on a canvas;
* the title is the one string placed into HTML markup, through ``html.escape``;
* a Content-Security-Policy allows only the page's own two scripts (by SHA-256), inline
  styles and ``data:`` images, and no connection at all: even markup that slipped through
  could neither run an inline handler nor load anything.

The layout is computed in Python (:mod:`kgraph.viz.layout`) and passed as ``x``/``y``; small
graphs then settle for a few physics iterations, after which physics is switched off, large ones
are drawn as laid out, so thousands of nodes stay responsive. When the layout is stable the
page sets ``window.kgraphReady = true`` and fires a ``kgraph:ready`` event.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from functools import lru_cache
from pathlib import Path

import networkx as nx

__all__ = ["TYPE_STYLES", "RELATION_STYLES", "to_html", "render_html", "inline_frame"]

#: entity type -> colour and vis-network shape (None: an entity of unknown type)
TYPE_STYLES = {
    "Person": {"color": "#4C78A8", "shape": "dot", "symbol": "\u25cf"},
    "PoliticalParty": {"color": "#F58518", "shape": "diamond", "symbol": "\u25c6"},
    "Organization": {"color": "#54A24B", "shape": "square", "symbol": "\u25a0"},
    "Election": {"color": "#B279A2", "shape": "triangle", "symbol": "\u25b2"},
    None: {"color": "#9D9D9D", "shape": "dot", "symbol": "\u25cf"},
}
#: relation -> edge colour and dash pattern
RELATION_STYLES = {
    "leads": {"color": "#D62728", "dashes": False},
    "memberOf": {"color": "#1F77B4", "dashes": False},
    "expelledFrom": {"color": "#7F7F7F", "dashes": True},
    "boycotted": {"color": "#9467BD", "dashes": True},
}
_OTHER_RELATION = {"color": "#BBBBBB", "dashes": False}

#: above this many nodes physics never runs: the precomputed layout is drawn as is
PHYSICS_NODE_LIMIT = 300
#: above this many edges relation labels start hidden (a checkbox shows them)
EDGE_LABEL_LIMIT = 1000
#: evidence items listed in an edge tooltip (the rest are counted)
TOOLTIP_EVIDENCE = 5

_CSP = (
    "default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; font-size: 14px; color: #222; }
body { display: flex; flex-direction: column; }
header { display: flex; align-items: baseline; gap: 1em; padding: 6px 12px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 18px; margin: 0; }
#kg-count { color: #666; }
#kg-main { flex: 1; display: flex; min-height: 0; }
#kg-panel { width: 260px; overflow-y: auto; padding: 8px 12px; border-right: 1px solid #ddd; }
#kg-network { flex: 1; min-width: 0; min-height: 400px; }
fieldset { border: 1px solid #ddd; margin: 8px 0; padding: 4px 8px; }
fieldset label { display: block; white-space: nowrap; }
.kg-swatch { display: inline-block; width: 1.4em; text-align: center; }
.kg-line { display: inline-block; width: 1.4em; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: .3em; }
#kg-search { width: 100%; box-sizing: border-box; }
#kg-search-status { color: #666; font-size: 12px; min-height: 1.2em; }
#kg-panel > label { display: block; }
#kg-details { white-space: pre-wrap; font-size: 12px; border-top: 1px solid #ddd; margin-top: 8px; padding-top: 8px; }
div.vis-tooltip { white-space: pre-wrap; max-width: 420px; font-family: system-ui, sans-serif; font-size: 12px; }
"""

_PAGE_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var shownTypes = new Set(data.legend.types.map(function (t) { return t.key; }));
  var shownRelations = new Set(data.legend.relations.map(function (r) { return r.key; }));
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var isolated = document.getElementById("kg-isolated");
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return shownTypes.has(n.kgType) && (isolated.checked || n.degree > 0); }
  });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return shownRelations.has(e.relation); } });
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var details = document.getElementById("kg-details");
  var count = document.getElementById("kg-count");

  function updateCount() {
    count.textContent = nodeView.length + " entities, " + edgeView.length + " relations shown";
  }

  function legendEntry(fieldset, entry, shown, view) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = entry.key;
    box.addEventListener("change", function () {
      if (box.checked) { shown.add(entry.key); } else { shown.delete(entry.key); }
      view.refresh();
      updateCount();
    });
    var swatch = document.createElement("span");
    if (entry.symbol) {
      swatch.className = "kg-swatch";
      swatch.textContent = entry.symbol;
      swatch.style.color = entry.color;
    } else {
      swatch.className = "kg-line";
      swatch.style.borderTopColor = entry.color;
      if (entry.dashes) { swatch.style.borderTopStyle = "dashed"; }
    }
    var text = document.createElement("span");
    text.textContent = entry.name + " (" + entry.count + ")";
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(text);
    fieldset.appendChild(label);
  }
  var typeBox = document.getElementById("kg-types");
  var relationBox = document.getElementById("kg-relations");
  data.legend.types.forEach(function (t) { legendEntry(typeBox, t, shownTypes, nodeView); });
  data.legend.relations.forEach(function (r) { legendEntry(relationBox, r, shownRelations, edgeView); });

  isolated.addEventListener("change", function () { nodeView.refresh(); updateCount(); });

  var labels = document.getElementById("kg-edge-labels");
  labels.checked = data.edgeLabels;
  labels.addEventListener("change", function () {
    network.setOptions({ edges: { font: { size: labels.checked ? 11 : 0 } } });
  });

  var names = document.getElementById("kg-names");
  var byName = {};
  data.nodes.forEach(function (n) {
    var key = n.label.toLowerCase();
    if (!(key in byName)) {
      byName[key] = n.id;
      var option = document.createElement("option");
      option.value = n.label;
      names.appendChild(option);
    }
  });
  var search = document.getElementById("kg-search");
  var status = document.getElementById("kg-search-status");
  function find() {
    var query = search.value.trim().toLowerCase();
    if (!query) { status.textContent = ""; return; }
    var id = byName[query];
    var matches = 0;
    if (id === undefined) {
      data.nodes.forEach(function (n) {
        if (n.label.toLowerCase().indexOf(query) !== -1) { matches += 1; if (id === undefined) { id = n.id; } }
      });
    } else { matches = 1; }
    if (id === undefined) { status.textContent = "no entity matches"; return; }
    if (!nodeView.get(id)) { status.textContent = "match hidden by the filters"; return; }
    status.textContent = matches > 1 ? matches + " matches, showing the first" : "";
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showDetails(nodes.get(id));
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", function (event) { if (event.key === "Enter") { find(); } });

  function showDetails(item) { details.textContent = item ? item.title : ""; }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { showDetails(edges.get(params.edges[0])); }
    else { showDetails(null); }
  });

  function ready() {
    if (window.kgraphReady) { return; }
    window.kgraphReady = true;
    document.documentElement.setAttribute("data-kgraph-ready", "true");
    window.dispatchEvent(new Event("kgraph:ready"));
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      ready();
    });
  } else {
    network.fit({ animation: false });
    network.once("afterDrawing", ready);
    network.redraw();
  }
  updateCount();
  window.kgraph = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView };
})();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kgraph">
<title>{title}</title>
<style>{vis_css}</style>
<style>{page_css}</style>
</head>
<body>
<header><h1>{title}</h1><span id="kg-count"></span></header>
<div id="kg-main">
<aside id="kg-panel">
<label for="kg-search">Search by name</label>
<input id="kg-search" type="search" list="kg-names" autocomplete="off" placeholder="e.g. a party or a person">
<datalist id="kg-names"></datalist>
<div id="kg-search-status" aria-live="polite"></div>
<fieldset id="kg-types"><legend>Entity types</legend></fieldset>
<fieldset id="kg-relations"><legend>Relations</legend></fieldset>
<label><input type="checkbox" id="kg-isolated" checked> entities without relations</label>
<label><input type="checkbox" id="kg-edge-labels"> relation labels</label>
<div id="kg-details" aria-live="polite"></div>
</aside>
<div id="kg-network"></div>
</div>
<script type="application/json" id="kg-data">{data}</script>
<script>{vis_js}</script>
<script>{page_js}</script>
</body>
</html>
"""


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside the pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # they are placed inside <script>/<style>; a closing tag in them would end the element early
    assert "</script" not in js.lower() and "</style" not in css.lower()
    return js, css


def _script_json(value) -> str:
    """JSON that is inert inside an HTML <script> element, whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _clean(value) -> str:
    """A string for the page: None -> "", control characters (other than newline/tab) dropped."""
    if value is None:
        return ""
    return "".join(ch for ch in str(value) if ch in "\n\t" or ch >= " ")


def _sizes(G: nx.MultiDiGraph, size_by) -> dict:
    """Node size from a centrality: 10 px for the least central, up to 40 px."""
    if isinstance(size_by, dict):
        scores = size_by
    elif size_by is None:
        scores = {}
    else:
        from kgraph.analysis import centrality

        functions = {
            "pagerank": centrality.pagerank,
            "degree": centrality.degree,
            # exact betweenness is O(nodes x edges): sample 500 sources on large graphs, enough for sizes
            "betweenness": lambda H: centrality.betweenness(H, k=500 if len(H) > 1000 else None),
        }
        if size_by not in functions:
            raise ValueError(
                f"size_by={size_by!r} is not a centrality; use one of {', '.join(functions)}, a dict of scores, or None"
            )
        scores = functions[size_by](G)
    top = max(scores.values(), default=0.0) or 1.0
    return {n: round(10 + 30 * math.sqrt(max(scores.get(n, 0.0), 0.0) / top), 1) for n in G}


def _node_tooltip(data: dict, n_relations: int) -> str:
    lines = [_clean(data.get("label")), _clean(data.get("type") or "entity")]
    if data.get("wikidata"):
        lines[-1] += " \u00b7 Wikidata " + _clean(data["wikidata"])
    lines.append(f"{n_relations} relation{'s' if n_relations != 1 else ''}")
    lines.append(_clean(data.get("iri")))
    return "\n".join(line for line in lines if line)


def _edge_tooltip(subject: str, relation: str, obj: str, evidence: list[dict]) -> str:
    lines = [f"{subject} \u2014{relation}\u2192 {obj}"]
    for item in evidence[:TOOLTIP_EVIDENCE]:
        lines.append("")
        if item.get("sentence"):
            lines.append("\u201c" + _clean(item["sentence"]) + "\u201d")
        source = ", ".join(_clean(v) for v in (item.get("title"), item.get("date")) if v)
        if source:
            lines.append("\u2014 " + source)
    if len(evidence) > TOOLTIP_EVIDENCE:
        lines.append("")
        lines.append(f"\u2026 and {len(evidence) - TOOLTIP_EVIDENCE} more article(s)")
    return "\n".join(lines)


def _payload(G: nx.MultiDiGraph, *, size_by, positions, seed: int, physics: bool | None) -> dict:
    from kgraph.viz.layout import layout_positions

    nodes_list = list(G)
    ids = {node: i for i, node in enumerate(nodes_list)}
    if positions is None:
        positions = layout_positions(G, seed=seed)
    sizes = _sizes(G, size_by)
    large = len(G) > PHYSICS_NODE_LIMIT
    physics = (not large) if physics is None else physics
    edge_labels = G.number_of_edges() <= EDGE_LABEL_LIMIT

    type_counts: dict = {}
    nodes = []
    for node in nodes_list:
        data = G.nodes[node]
        type_ = data.get("type") if data.get("type") in TYPE_STYLES else None
        type_counts[type_] = type_counts.get(type_, 0) + 1
        style = TYPE_STYLES[type_]
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append({
            "id": ids[node],
            "label": _clean(data.get("label", node)) or _clean(node),
            "title": _node_tooltip({"iri": node, **data}, G.degree(node)),
            "kgType": type_ or "",
            "degree": G.degree(node),
            "shape": style["shape"],
            "color": style["color"],
            "size": sizes[node],
            "x": x,
            "y": y,
        })

    relation_counts: dict = {}
    edges = []
    parallel: dict = {}
    for i, (u, v, key, data) in enumerate(G.edges(keys=True, data=True)):
        relation = _clean(data.get("relation", key))
        relation_counts[relation] = relation_counts.get(relation, 0) + 1
        style = RELATION_STYLES.get(relation, _OTHER_RELATION)
        pair = (min(ids[u], ids[v]), max(ids[u], ids[v]))
        rank = parallel.get(pair, 0)
        parallel[pair] = rank + 1
        edge = {
            "id": i,
            "from": ids[u],
            "to": ids[v],
            "relation": relation,
            "label": relation,
            "title": _edge_tooltip(_clean(G.nodes[u].get("label", u)), relation,
                                   _clean(G.nodes[v].get("label", v)), data.get("evidence") or []),
            "color": style["color"],  # a string colours the edge in every state
            "width": 1 + min(len(data.get("evidence") or []), 4) * 0.5,
        }
        if style["dashes"]:
            edge["dashes"] = True
        if rank:  # parallel relations between one pair bend apart instead of overlapping
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * rank}
        edges.append(edge)

    def type_name(t):
        return {"PoliticalParty": "Political party"}.get(t, t) if t else "Other"

    legend = {
        "types": [
            {"key": t or "", "name": type_name(t), "count": type_counts[t],
             "color": TYPE_STYLES[t]["color"], "symbol": TYPE_STYLES[t]["symbol"]}
            for t in TYPE_STYLES if t in type_counts
        ],
        "relations": [
            {"key": r, "name": r, "count": c, **RELATION_STYLES.get(r, _OTHER_RELATION)}
            for r, c in sorted(relation_counts.items(), key=lambda rc: (rc[0] not in RELATION_STYLES, rc[0]))
        ],
    }
    options = {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                                             "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"size": 11 if edge_labels else 0, "align": "middle", "strokeWidth": 3},
                  "smooth": {"enabled": False}, "selectionWidth": 2},
        "interaction": {"hover": not large, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "multiselect": True, "navigationButtons": False},
        "physics": (
            {"enabled": True, "solver": "barnesHut", "barnesHut": {"gravitationalConstant": -3000, "springLength": 140,
                                                                      "avoidOverlap": 0.2},
             "stabilization": {"enabled": True, "iterations": 150, "updateInterval": 50, "fit": True}}
            if physics else {"enabled": False}
        ),
    }
    return {"nodes": nodes, "edges": edges, "legend": legend, "options": options, "edgeLabels": edge_labels}


def to_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "kgraph",
    size_by: str | dict | None = "pagerank",
    positions: dict | None = None,
    seed: int = 42,
    physics: bool | None = None,
) -> str:
    """The HTML page of a graph, as a string (see :func:`render_html`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", label="<b>Party</b>", type="PoliticalParty")
    >>> G.add_node("a", label="Ann", type="Person")
    >>> _ = G.add_edge("a", "p", key="leads", relation="leads",
    ...                evidence=[{"sentence": "Ann leads the </script> party.", "title": "T", "date": "2021-01-01"}])
    >>> page = to_html(G, title="Ann & <Party>")
    >>> "<b>Party" in page or "</script> party" in page, "<title>Ann &amp; &lt;Party&gt;</title>" in page
    (False, True)
    >>> "http://" in page.split("<script>")[0] or 'src="http' in page
    False
    """
    payload = _payload(G, size_by=size_by, positions=positions, seed=seed, physics=physics)
    vis_js, vis_css = _vis_assets()
    csp = _CSP.format(hashes=" ".join(_sha256(s) for s in (vis_js, _PAGE_JS)))
    return _TEMPLATE.format(
        csp=html.escape(csp, quote=True),
        title=html.escape(_clean(title), quote=True),
        vis_css=vis_css,
        page_css=_PAGE_CSS,
        data=_script_json(payload),
        vis_js=vis_js,
        page_js=_PAGE_JS,
    )


def render_html(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str = "kgraph",
    size_by: str | dict | None = "pagerank",
    positions: dict | None = None,
    seed: int = 42,
    physics: bool | None = None,
) -> Path:
    """Write an interactive, self-contained HTML page of ``G`` (works with no network at all).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph of :func:`kgraph.analysis.projection.to_networkx` or a subgraph of it
        (:mod:`kgraph.analysis.subgraph`).
    path : str or Path
        The file to write (UTF-8).
    title : str
        Page title and heading (escaped).
    size_by : {"pagerank", "degree", "betweenness"}, dict or None
        Node size by this centrality, or by a dict node -> score; None: all the same size.
    positions : dict, optional
        Node -> (x, y) in pixels; default: :func:`kgraph.viz.layout.layout_positions`.
    seed : int
        Seed of the layout.
    physics : bool, optional
        Let the layout settle in the browser before freezing it (default: only for graphs of
        at most 300 nodes; larger ones are drawn as laid out in Python).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.MultiDiGraph([("a", "p", "memberOf")])
    >>> out = render_html(G, pathlib.Path(tempfile.mkdtemp()) / "graph.html", title="Demo")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    path = Path(path)
    path.write_text(to_html(G, title=title, size_by=size_by, positions=positions, seed=seed, physics=physics),
                    encoding="utf-8")
    return path


def inline_frame(page: str, *, height: int = 650) -> str:
    """An ``<iframe srcdoc>`` holding ``page``, for showing it inside a notebook
    (``IPython.display.HTML(inline_frame(page))``). The frame is sandboxed: scripts run,
    but without access to the notebook.

    Examples
    --------
    >>> inline_frame("<p>x</p>", height=100)
    '<div><iframe srcdoc="&lt;p&gt;x&lt;/p&gt;" sandbox="allow-scripts" style="width:100%;height:100px;border:0"></iframe></div>'
    """
    # wrapped in a <div>: IPython warns about HTML output that starts with <iframe
    return (f'<div><iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{int(height)}px;border:0"></iframe></div>')
