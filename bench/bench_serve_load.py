"""The load `kgraph serve` holds vs Oxigraph's own server, on the same store, in the same run.

Both servers run on loopback, each in its own process, over one generated store in the kgraph
layout: ``kgraph serve`` (proxy + pool of Oxigraph worker processes, deadlines, checks; default
settings) and the bare ``oxigraph serve-read-only`` binary it wraps. C concurrent clients each send N queries, a new connection
per query (as a browser or a script without keep-alive does), cycling through three small
queries: a label lookup, the leaders of parties (a join), and the provenance of one fact. The
two servers are measured in alternating rounds (kgraph, oxigraph, kgraph, oxigraph, ...), so
load from other processes hits both alike; the best round of each is reported.

Prints, per server: queries/s, p50 and p99 latency, errors (non-200 answers and connection
errors), and the ratios kgraph/oxigraph. Loopback only, bounded loops.

    python bench/bench_serve_load.py                       # 50 clients x 20 queries, 3 rounds
    python bench/bench_serve_load.py --clients 10 --queries 10 --rounds 1   # quick look
"""
from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import PROV, RDF, RDFS

from kgraph.rdf.namespace import ID, KG, article_graph_iri, article_iri
from kgraph.rdf.store import Changes

PREFIX = "PREFIX kg: <https://w3id.org/kgraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
         "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
QUERIES = [
    PREFIX + 'SELECT ?p WHERE { ?p rdfs:label "Person 17" }',
    PREFIX + "SELECT ?l ?n WHERE { ?l kg:leads ?p . ?l rdfs:label ?n } LIMIT 20",
    PREFIX + "SELECT ?a WHERE { ?f rdf:subject <https://w3id.org/kgraph/id/person/p3> ; prov:wasDerivedFrom ?a }",
]


def generate(location: str, articles: int) -> None:
    """A store of ``articles`` article graphs, each with a fact, over 500 people and 50 parties."""
    from kgraph.rdf.oxigraph_store import OxigraphStore

    store = OxigraphStore(location)
    graphs, default = {}, []
    for p in range(500):
        person = ID[f"person/p{p}"]
        default += [(person, RDF.type, KG.Person), (person, RDFS.label, Literal(f"Person {p}"))]
    for q in range(50):
        party = ID[f"party/q{q}"]
        default += [(party, RDF.type, KG.PoliticalParty), (party, RDFS.label, Literal(f"Party {q}")),
                    (ID[f"person/p{q}"], KG.leads, party)]
    for a in range(articles):
        art, fact = article_iri(f"a{a}"), ID[f"fact/a{a}/1"]
        person, party = ID[f"person/p{a % 500}"], ID[f"party/q{a % 50}"]
        graphs[str(article_graph_iri(f"a{a}"))] = [
            (art, RDF.type, KG.Article), (art, KG.articleId, Literal(f"a{a}")),
            (fact, RDF.type, KG.Fact), (fact, RDF.subject, person), (fact, RDF.predicate, KG.memberOf),
            (fact, RDF.object, party), (fact, PROV.wasDerivedFrom, art),
            (fact, KG.sentence, Literal(f"Person {a % 500} joined Party {a % 50}.")),
        ]
        default.append((person, KG.memberOf, party))
    store.apply(Changes(replace_graphs=graphs, default_add=default))
    store.close()


def load(port: int, clients: int, queries: int) -> dict:
    """``clients`` threads x ``queries`` requests, one connection each; latencies and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        barrier.wait()
        for i in range(queries):
            body = urllib.parse.urlencode({"query": QUERIES[(index + i) % len(QUERIES)]})
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.request("POST", "/query", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                            "Accept": "application/sparql-results+json"})
                response = connection.getresponse()
                response.read()
                outcome = None if response.status == 200 else f"HTTP {response.status}"
            except OSError as exc:
                outcome = type(exc).__name__
            finally:
                connection.close()
            elapsed = time.perf_counter() - started
            with lock:
                if outcome is None:
                    latencies.append(elapsed)
                else:
                    errors.append(outcome)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "qps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else float("nan"),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def start_kgraph(location: str) -> tuple[subprocess.Popen, int]:
    """`kgraph serve` as users run it: its own process (not sharing this one's GIL with the clients)."""
    from kgraph.serve import _free_loopback_port

    port = _free_loopback_port()
    process = subprocess.Popen([sys.executable, "-m", "kgraph.cli", "serve", "--store", location, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, _wait_ready(process, port)


def start_oxigraph(location: str) -> tuple[subprocess.Popen, int]:
    from kgraph.serve import _free_loopback_port, oxigraph_binary

    port = _free_loopback_port()
    process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", location, "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, _wait_ready(process, port)


def _wait_ready(process: subprocess.Popen, port: int) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/query?query=ASK%7B%7D")
            if connection.getresponse().status == 200:
                return port
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit(f"the server ({process.args[0]}) did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--queries", type=int, default=20, help="queries per client")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        location = str(Path(tmp) / "kg.db")
        generate(location, args.articles)
        kgraph_process, kg_port = start_kgraph(location)
        oxigraph, ox_port = start_oxigraph(location)
        results: dict[str, list[dict]] = {"kgraph serve": [], "oxigraph server": []}
        try:
            load(kg_port, 5, 4)  # warm both up
            load(ox_port, 5, 4)
            for _ in range(args.rounds):
                results["kgraph serve"].append(load(kg_port, args.clients, args.queries))
                results["oxigraph server"].append(load(ox_port, args.clients, args.queries))
        finally:
            for process in (kgraph_process, oxigraph):
                process.terminate()
                process.wait(timeout=20)

    best = {name: max(runs, key=lambda r: r["qps"]) for name, runs in results.items()}
    total = args.clients * args.queries
    print(f"{args.clients} clients x {args.queries} queries = {total} per round, a new connection each; "
          f"{args.rounds} alternating rounds, best shown; store of {args.articles} articles")
    print(f"{'server':<18}{'queries/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'errors':>9}   errors over all rounds")
    for name, run in best.items():
        all_errors = sum(r["errors"] for r in results[name])
        kinds = sorted({k for r in results[name] for k in r["error_kinds"]})
        print(f"{name:<18}{run['qps']:>12.0f}{run['p50']:>10.1f}{run['p99']:>10.1f}{run['errors']:>9}   "
              f"{all_errors} of {total * args.rounds} {kinds if kinds else ''}")
    k, o = best["kgraph serve"], best["oxigraph server"]
    print(f"ratio kgraph/oxigraph: throughput {k['qps'] / o['qps']:.2f}x, p50 {k['p50'] / o['p50']:.2f}x, "
          f"p99 {k['p99'] / o['p99']:.2f}x")


if __name__ == "__main__":
    main()
