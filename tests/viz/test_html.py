"""The HTML page: self-contained, data escaped, legend/filters/search present, layout precomputed."""
from __future__ import annotations

import doctest
import json
import re

import networkx as nx
import pytest
from hostile import IMG, PAYLOADS, SCRIPT

from kgraph.viz import export, html as viz_html, layout
from kgraph.viz.html import render_html, to_html


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_html_contains_no_raw_markup_from_data(hostile_graph):
    page = to_html(hostile_graph, title=f"Title {IMG}")
    for payload in PAYLOADS:
        assert payload not in page, payload
    # exactly the page's own three script elements: data, vis-network, kgraph's
    # (vis-network's code holds the string "<script>" itself: leave it out of the count)
    own = page.replace(viz_html._vis_assets()[0], "")
    assert own.count("<script") == 3 and own.lower().count("</script") == 3
    assert "<title>Title &lt;img src=x onerror=window.__pwned=1&gt;</title>" in page


def test_html_data_round_trips_through_json(hostile_graph):
    data = page_data(to_html(hostile_graph))
    labels = {n["label"] for n in data["nodes"]}
    assert IMG in labels and SCRIPT in labels  # the text itself survives, as text
    tooltips = " ".join(e["title"] for e in data["edges"])
    assert "said \"they\" & 'we'." in tooltips and "\u2028" in tooltips
    assert "Headline " in tooltips and "2021-01-05" in tooltips


def test_html_loads_nothing_from_the_network(tiny_graph):
    page = to_html(tiny_graph)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"@import", page)
    assert "cdnjs" not in page and "jsdelivr" not in page and "bootstrap" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp and "connect-src &#x27;none&#x27;" in csp


def test_html_script_hashes_match_the_inline_scripts(tiny_graph):
    import base64
    import hashlib

    page = to_html(tiny_graph)
    csp = re.search(r'content="(default-src[^"]+)"', page).group(1).replace("&#x27;", "'")
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for script in scripts:
        assert base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() in allowed


def test_html_nodes_styled_by_type_and_sized_by_centrality(tiny_graph):
    data = page_data(to_html(tiny_graph))
    by_label = {n["label"]: n for n in data["nodes"]}
    assert by_label["Aq Zhol"]["shape"] == "diamond" and by_label["Azat Peruashev"]["shape"] == "dot"
    assert by_label["2021 legislative election"]["shape"] == "triangle"
    assert by_label["Aq Zhol"]["color"] != by_label["Azat Peruashev"]["color"]
    assert by_label["Aq Zhol"]["size"] > by_label["Azat Peruashev"]["size"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert "Wikidata Q1186246" in by_label["Aq Zhol"]["title"]


def test_html_edges_coloured_and_labelled_by_relation_with_evidence_tooltip(tiny_graph):
    data = page_data(to_html(tiny_graph))
    colours = {e["relation"]: e["color"] for e in data["edges"]}
    assert len(set(colours.values())) == 4
    leads = [e for e in data["edges"] if e["label"] == "leads" and "Peruashev" in e["title"]][0]
    assert "Aq Zhol leader Azat Peruashev spoke first." in leads["title"]
    assert "Parties line up before the vote, 2020-12-03" in leads["title"]
    assert "Opposition regroups, 2021-01-05" in leads["title"]  # both articles listed


def test_html_legend_lists_types_and_relations_with_counts(tiny_graph):
    legend = page_data(to_html(tiny_graph))["legend"]
    assert [(t["key"], t["count"]) for t in legend["types"]] == [
        ("Person", 5), ("PoliticalParty", 4), ("Election", 1)]
    assert {r["key"]: r["count"] for r in legend["relations"]} == {
        "leads": 3, "memberOf": 2, "expelledFrom": 1, "boycotted": 1}


def test_html_physics_settles_small_graphs_and_is_off_for_large():
    small = nx.MultiDiGraph([(i, i + 1, "memberOf") for i in range(10)])
    large = nx.MultiDiGraph([(i, i + 1, "memberOf") for i in range(viz_html.PHYSICS_NODE_LIMIT + 10)])
    assert page_data(to_html(small))["options"]["physics"]["enabled"] is True
    data = page_data(to_html(large))
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is True


def test_html_parallel_relations_bend_apart():
    G = nx.MultiDiGraph([("a", "p", "leads"), ("a", "p", "memberOf")])
    smooth = [e.get("smooth") for e in page_data(to_html(G))["edges"]]
    assert smooth[0] is None and smooth[1]["enabled"] is True


def test_html_render_writes_file_and_is_deterministic(tiny_graph, tmp_path):
    a = render_html(tiny_graph, tmp_path / "a.html")
    b = render_html(tiny_graph, tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()


def test_html_rejects_unknown_size_measure(tiny_graph):
    with pytest.raises(ValueError, match="closeness"):
        to_html(tiny_graph, size_by="closeness")


def test_html_empty_graph_renders():
    assert page_data(to_html(nx.MultiDiGraph()))["nodes"] == []


@pytest.mark.parametrize("module", [viz_html, export, layout])
def test_html_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0
