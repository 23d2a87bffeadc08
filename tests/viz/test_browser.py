"""The HTML page in a real headless Chromium: hostile text stays inert, nothing is fetched, the graph draws.

Needs Debian's chromium at /usr/bin/chromium (``.ci/run`` installs it); Playwright drives it
through ``executable_path``, so no browser download is involved.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile import IMG, SCRIPT

from kgraph.viz.html import render_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = [
    pytest.mark.browser,
    # in CI (.ci/run installs Chromium) a missing browser is a failure, not a skip
    pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                       reason=f"Debian's chromium is not installed at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)  # a fresh temporary profile
        yield browser
        browser.close()


class Visit:
    """One page load with every request, dialog, console error and page error recorded."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.kgraphReady === true", timeout=30_000)

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    visits = []

    def open_page(path):
        v = Visit(browser, path)
        visits.append(v)
        return v

    yield open_page
    for v in visits:
        v.close()


def painted_pixels(page) -> int:
    """Non-white pixels on the network canvas."""
    return page.evaluate("""() => {
        const canvas = document.querySelector('#kg-network canvas');
        const ctx = canvas.getContext('2d');
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) painted++;
        }
        return painted;
    }""")


def hover_node(page, label: str) -> str:
    """Move the mouse onto the node with this label; the tooltip's text."""
    point = page.evaluate("""(label) => {
        const k = window.kgraph;
        const node = k.nodes.get({ filter: n => n.label === label })[0];
        const xy = k.network.canvasToDOM(k.network.getPositions([node.id])[node.id]);
        const box = document.getElementById('kg-network').getBoundingClientRect();
        return { x: box.left + xy.x, y: box.top + xy.y };
    }""", label)
    page.mouse.move(point["x"] + 2, point["y"] + 2)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    return tooltip


def test_browser_hostile_text_never_runs_and_nothing_is_fetched(visit, hostile_graph, tmp_path):
    path = render_html(hostile_graph, tmp_path / "hostile.html", title=f"{IMG} {SCRIPT}")
    v = visit(path)
    page = v.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert v.dialogs == []
    assert v.requests == [path.resolve().as_uri()] and v.blocked == []
    assert v.errors == []  # includes Content-Security-Policy violations
    # the markup is text: no element was made from it
    assert page.evaluate("document.querySelectorAll('img, svg, b').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert page.title() == f"{IMG} {SCRIPT}"
    # the graph drew every node and edge
    assert page.evaluate("window.kgraph.nodeView.length") == hostile_graph.number_of_nodes()
    assert page.evaluate("window.kgraph.edgeView.length") == hostile_graph.number_of_edges()
    assert page.evaluate("Object.keys(window.kgraph.network.getPositions()).length") == hostile_graph.number_of_nodes()
    assert painted_pixels(page) > 2000

    # a tooltip shows the hostile label as plain text
    tooltip = hover_node(page, IMG)
    assert IMG in tooltip.text_content()
    # innerText turns newlines into <br>; nothing else may appear
    assert tooltip.evaluate("el => el.querySelectorAll(':not(br)').length") == 0

    # search by name finds it and shows its details, as text
    page.fill("#kg-search", SCRIPT)
    page.press("#kg-search", "Enter")
    assert page.evaluate("window.kgraph.network.getSelectedNodes().length") == 1
    assert SCRIPT in page.text_content("#kg-details")
    assert page.evaluate("typeof window.__pwned") == "undefined" and v.dialogs == []
    assert v.requests == [path.resolve().as_uri()]


def test_browser_filters_hide_types_and_relations(visit, tiny_graph, tmp_path):
    v = visit(render_html(tiny_graph, tmp_path / "tiny.html"))
    page = v.page
    legend = page.text_content("#kg-panel")
    assert "Person (5)" in legend and "Political party (4)" in legend and "leads (3)" in legend
    page.uncheck("#kg-types input[value='Person']")
    assert page.evaluate("window.kgraph.nodeView.length") == 5
    page.uncheck("#kg-relations input[value='leads']")
    assert page.evaluate("window.kgraph.edgeView.length") == 4
    assert "5 entities, 4 relations shown" in page.text_content("#kg-count")
    page.check("#kg-types input[value='Person']")
    assert page.evaluate("window.kgraph.nodeView.length") == 10
    assert v.errors == [] and v.blocked == []


def test_browser_entities_without_relations_can_be_hidden(visit, tiny_graph, tmp_path):
    G = tiny_graph.copy()
    G.add_node("https://w3id.org/kgraph/id/person/lone", label="Lone Wolf", type="Person")
    page = visit(render_html(G, tmp_path / "lone.html")).page
    assert page.evaluate("window.kgraph.nodeView.length") == 11
    page.uncheck("#kg-isolated")
    assert page.evaluate("window.kgraph.nodeView.length") == 10
    page.fill("#kg-search", "Lone Wolf")
    page.press("#kg-search", "Enter")
    assert page.text_content("#kg-search-status") == "match hidden by the filters"


def test_browser_layout_is_frozen_once_ready(visit, tiny_graph, tmp_path):
    page = visit(render_html(tiny_graph, tmp_path / "tiny.html")).page
    before = page.evaluate("JSON.stringify(window.kgraph.network.getPositions())")
    page.wait_for_timeout(700)
    assert page.evaluate("JSON.stringify(window.kgraph.network.getPositions())") == before
    assert page.evaluate("window.kgraph.network.physics.physicsEnabled") is False


def test_browser_large_graph_draws_without_physics(visit, tmp_path):
    import networkx as nx

    G = nx.MultiDiGraph()
    R = nx.gnm_random_graph(2500, 5000, seed=7)
    for n in R:
        G.add_node(f"n{n}", label=f"Entity {n}", type="Person" if n % 3 else "PoliticalParty")
    for u, v in R.edges():
        G.add_edge(f"n{u}", f"n{v}", key="memberOf", relation="memberOf", evidence=[])
    page = visit(render_html(G, tmp_path / "large.html")).page
    assert page.evaluate("window.kgraph.nodeView.length") == 2500
    assert page.evaluate("window.kgraph.network.physics.physicsEnabled") is False
    assert painted_pixels(page) > 2000


@pytest.mark.e2e
def test_browser_seed_corpus_viz_command(visit, seed_store, tmp_path):
    """`kgraph viz` on the seed corpus: one self-contained file with parties, people and relations drawn."""
    from typer.testing import CliRunner

    from kgraph.cli import app

    out = tmp_path / "seed.html"
    result = CliRunner().invoke(app, ["viz", "--store", str(seed_store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    v = visit(out)
    types = v.page.evaluate("window.kgraph.nodeView.get().map(n => n.kgType)")
    assert "PoliticalParty" in types and "Person" in types
    assert v.page.evaluate("window.kgraph.edgeView.length") > 0
    assert painted_pixels(v.page) > 2000
    assert v.requests == [out.resolve().as_uri()] and v.errors == []
