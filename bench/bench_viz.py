"""Time until a large graph's layout is stable in headless Chromium: kgraph's page vs pyvis's defaults.

Generates a knowledge-graph-shaped MultiDiGraph (default 5,000 entities, 10,000 relations, each
with one evidence sentence; degree-skewed like news graphs: a few parties with many members),
then writes two pages of it:

  (a) kgraph: ``kgraph.viz.render_html`` (layout precomputed in Python, physics off above 300 nodes);
  (b) pyvis 0.3.2 with its defaults (``Network(directed=True, cdn_resources="in_line")``,
      physics on: barnesHut with 1,000 stabilisation iterations, then it keeps simulating).

Each page is opened in Debian's headless Chromium (network blocked: pyvis's Bootstrap CDN
links simply fail) and the clock runs from navigation start until node positions stop changing
(the largest move between two samples 250 ms apart stays under 0.5 px for 1 s), capped at
``--cap`` seconds; vis-network's own ``stabilizationIterationsDone``/``stabilized`` events are
reported beside it when they fire. It prints both times, their ratio, the Python render times
and the HTML sizes.

    python bench/bench_viz.py                      # 5,000 nodes / 10,000 edges, ~1-3 minutes
    python bench/bench_viz.py --nodes 1000 --edges 2000 --cap 60
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
RELATIONS = ("memberOf", "leads", "expelledFrom", "boycotted")

# evaluated in the page every sample: the largest move since the previous sample
_SAMPLE_JS = """(expr) => {
    let net = null;
    try { net = eval(expr); } catch (e) { return null; }  // not created yet
    if (!net || !net.getPositions) return null;
    if (!window.__benchEvents) {  // vis-network's own notion of "stable", for comparison
        window.__benchEvents = {};
        ["stabilizationIterationsDone", "stabilized"].forEach((name) => net.on(name, () => {
            if (!(name in window.__benchEvents)) window.__benchEvents[name] = performance.now() / 1000;
        }));
    }
    const now = net.getPositions();
    const before = window.__benchPrev;
    window.__benchPrev = now;
    let moved = Infinity;
    if (before) {
        moved = 0;
        for (const id in now) {
            const b = before[id];
            if (!b) { moved = Infinity; break; }
            moved = Math.max(moved, Math.abs(now[id].x - b.x), Math.abs(now[id].y - b.y));
        }
    }
    return { t: performance.now(), moved: moved, n: Object.keys(now).length, events: window.__benchEvents };
}"""


def generate(n_nodes: int, n_edges: int, seed: int = 1) -> nx.MultiDiGraph:
    """A graph shaped like a kgraph graph: people pointing at parties, organizations, elections."""
    rng = random.Random(seed)
    m = max(1, round(n_edges / n_nodes))
    skeleton = nx.barabasi_albert_graph(n_nodes, m, seed=seed)
    by_degree = sorted(skeleton, key=lambda n: -skeleton.degree(n))
    types = {}
    for rank, node in enumerate(by_degree):  # hubs are parties, then organizations, elections
        share = rank / n_nodes
        types[node] = ("PoliticalParty" if share < 0.05 else "Organization" if share < 0.08
                       else "Election" if share < 0.10 else "Person")
    G = nx.MultiDiGraph()
    for node in skeleton:
        G.add_node(f"https://w3id.org/kgraph/id/x/{node}", label=f"Entity {node}", type=types[node],
                   iri=f"https://w3id.org/kgraph/id/x/{node}", wikidata=None)
    edges = list(skeleton.edges())
    while len(edges) < n_edges:  # top up to the exact count with random extra relations
        u, v = rng.sample(range(n_nodes), 2)
        edges.append((u, v))
    for i, (u, v) in enumerate(edges[:n_edges]):
        if skeleton.degree(u) > skeleton.degree(v):
            u, v = v, u  # point from the smaller actor at the bigger one
        relation = RELATIONS[i % len(RELATIONS)]
        G.add_edge(f"https://w3id.org/kgraph/id/x/{u}", f"https://w3id.org/kgraph/id/x/{v}", key=f"{relation}{i}",
                   relation=relation,
                   evidence=[{"sentence": f"Entity {u} and Entity {v} were reported together in story {i}.",
                              "title": f"Story {i}", "date": f"2021-01-{1 + i % 28:02d}", "article": None,
                              "confidence": 0.9, "fact": f"f{i}"}])
    return G


def render_kgraph(G, path: Path) -> float:
    from kgraph.viz.html import render_html

    start = time.perf_counter()
    render_html(G, path, title="bench")
    return time.perf_counter() - start


def render_pyvis_defaults(G, path: Path) -> float:
    from pyvis.network import Network

    from kgraph.viz.html import TYPE_STYLES

    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    for node, data in G.nodes(data=True):
        net.add_node(node, label=data["label"], title=data["label"], color=TYPE_STYLES[data["type"]]["color"])
    for u, v, data in G.edges(data=True):
        # pyvis's add_edge scans every node id per call (minutes at this size): same dicts, appended directly
        net.edges.append({"from": u, "to": v, "title": data["evidence"][0]["sentence"], "label": data["relation"],
                          "arrows": "to"})
    net.write_html(str(path))
    return time.perf_counter() - start


def time_to_stable(browser, path: Path, network_expr: str, cap: float, quiet: float = 1.0,
                   threshold: float = 0.5, interval: float = 0.25) -> dict:
    """Seconds from navigation start until positions stop moving (or ``cap``)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    requests = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else (requests.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load", timeout=int(cap * 1000))
    still_since = None
    result = {"seconds": None, "capped": False, "blocked_requests": requests, "nodes": None, "events": {}}
    while True:
        sample = page.evaluate(_SAMPLE_JS, network_expr)
        if sample is None and page.evaluate("performance.now()") / 1000 > cap:
            raise RuntimeError(f"{path.name}: no vis network found by {network_expr!r} after {cap} s")
        if sample is not None:
            t = sample["t"] / 1000
            result["nodes"] = sample["n"]
            result["events"] = sample["events"]
            result["last_move"] = sample["moved"]
            if sample["moved"] < threshold:
                still_since = still_since if still_since is not None else t
                if t - still_since >= quiet:
                    result["seconds"] = still_since
                    break
            else:
                still_since = None
            if t > cap:
                result["seconds"], result["capped"] = t, True
                break
        time.sleep(interval)
    context.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=10000)
    parser.add_argument("--cap", type=float, default=180.0, help="give up waiting after this many seconds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    G = generate(args.nodes, args.edges, seed=args.seed)
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    out = Path(tempfile.mkdtemp(prefix="bench_viz_"))
    ours, theirs = out / "kgraph.html", out / "pyvis_defaults.html"
    ours_render = render_kgraph(G, ours)
    theirs_render = render_pyvis_defaults(G, theirs)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            ours_stable = time_to_stable(browser, ours, "window.kgraph && window.kgraph.network", args.cap)
            theirs_stable = time_to_stable(browser, theirs, "typeof network !== 'undefined' && network", args.cap)
        finally:
            browser.close()

    def show(name, render, stable, path):
        capped = (f" (cap reached: still moving up to {stable['last_move']:.1f} px per 250 ms)"
                  if stable["capped"] else "")
        print(f"{name:16} render in Python {render:6.2f} s | stable in Chromium after {stable['seconds']:7.2f} s{capped}"
              f" | {stable['nodes']} nodes drawn | HTML {path.stat().st_size / 1e6:5.2f} MB"
              f" | blocked requests: {len(stable['blocked_requests'])}")
        events = ", ".join(f"{k} at {v:.2f} s" for k, v in sorted(stable["events"].items(), key=lambda kv: kv[1]))
        if events:
            print(f"{'':16} vis-network events: {events}")

    show("kgraph", ours_render, ours_stable, ours)
    show("pyvis defaults", theirs_render, theirs_stable, theirs)
    ratio = theirs_stable["seconds"] / ours_stable["seconds"]
    total_ratio = (theirs_render + theirs_stable["seconds"]) / (ours_render + ours_stable["seconds"])
    bound = ">= " if theirs_stable["capped"] else ""
    print(f"time to stable layout, pyvis defaults / kgraph: {bound}{ratio:.1f}x in the browser, "
          f"{bound}{total_ratio:.1f}x including the Python render")
    print(f"HTML size: kgraph {ours.stat().st_size / 1e6:.2f} MB, pyvis defaults {theirs.stat().st_size / 1e6:.2f} MB "
          f"(files in {out})")


if __name__ == "__main__":
    main()
