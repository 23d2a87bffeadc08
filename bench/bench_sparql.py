"""SPARQL latency on a generated kgraph-layout graph: kgraph's store vs rdflib memory vs pyoxigraph.

Generates ~N triples (default 1M) shaped like a real kgraph store (one named graph per article
with its metadata, mentions and reified facts; the default graph with entity descriptions and
the direct relation triples), loads them into

  (a) kgraph's default store, ``OxigraphStore`` on disk, queried through ``Store.query``
      (kgraph's prefixes, union default graph, results converted to rdflib terms);
  (b) rdflib's in-memory ``Dataset(default_union=True)`` (what ``MemoryStore`` wraps);
  (c) pyoxigraph used directly: its own on-disk store filled by its bulk loader, raw results
      (and, to isolate the cost of kgraph's wrapper, pyoxigraph on kgraph's own store);

and times three queries (median of several interleaved runs): a 2-hop join, a GROUP BY count, and a
provenance lookup. It prints latencies and the ratios measured in this run.

    python bench/bench_sparql.py                 # 1M triples, ~5-8 minutes (rdflib loading dominates)
    python bench/bench_sparql.py --triples 100000 --repeat 3     # a quick look
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kgraph.rdf.namespace import ID, KG, PREFIXES, article_graph_iri, article_iri, mention_iri
from kgraph.rdf.store import Changes

TRIPLES_PER_ARTICLE = 54  # measured from generate() below; used to size the corpus

QUERIES = {
    "2-hop join": """
        SELECT (COUNT(*) AS ?n) WHERE {
          ?member kg:memberOf ?party .
          ?leader kg:leads ?party .
          ?leader a kg:Person .
        }""",
    "GROUP BY count": """
        SELECT ?party (COUNT(DISTINCT ?member) AS ?members) WHERE {
          ?member kg:memberOf ?party .
        } GROUP BY ?party ORDER BY DESC(?members) ?party LIMIT 10""",
    "provenance lookup": """
        SELECT ?article ?date ?sentence WHERE {
          ?fact rdf:subject <{S}> ; rdf:predicate kg:leads ; rdf:object <{O}> ;
                prov:wasDerivedFrom ?article ; kg:sentence ?sentence .
          ?article dcterms:date ?date .
        } ORDER BY ?date""",
}


def generate(n_triples: int, seed: int = 7):
    """(article graphs {graph IRI: triples}, default-graph triples, a (S, O) pair with provenance)."""
    rng = random.Random(seed)
    n_articles = max(1, n_triples // TRIPLES_PER_ARTICLE)
    n_people, n_parties = max(10, n_articles // 4), max(5, n_articles // 40)
    people = [ID[f"person/person-{i}"] for i in range(n_people)]
    parties = [ID[f"party/party-{i}"] for i in range(n_parties)]
    default = []
    for i, p in enumerate(people):
        default += [(p, RDF.type, KG.Person), (p, RDFS.label, Literal(f"Person {i}"))]
    for i, p in enumerate(parties):
        default += [(p, RDF.type, KG.PoliticalParty), (p, RDFS.label, Literal(f"Party {i}"))]
    relations = set()
    graphs = {}
    probe = None
    for a in range(n_articles):
        art_id = f"gen{a:07d}"
        art = article_iri(art_id)
        date = f"20{10 + a % 15}-{1 + a % 12:02d}-{1 + a % 28:02d}"
        triples = [
            (art, RDF.type, KG.Article), (art, KG.articleId, Literal(art_id)),
            (art, DCTERMS.title, Literal(f"Generated story {a}")),
            (art, DCTERMS.date, Literal(date, datatype=XSD.date)),
            (art, DCTERMS.source, Literal("Bench Wire")), (art, DCTERMS.language, Literal("en")),
        ]
        actors = [rng.choice(people), rng.choice(people), rng.choice(parties)]
        for k, entity in enumerate(actors):
            m = mention_iri(art_id, 10 * k, 10 * k + 8)
            triples += [
                (art, KG.mentions, entity), (m, RDF.type, KG.Mention), (m, KG.inArticle, art),
                (m, KG.refersTo, entity), (m, KG.anchorText, Literal(f"name {k}")),
                (m, KG.beginIndex, Literal(10 * k)), (m, KG.endIndex, Literal(10 * k + 8)),
                (m, KG.mentionKind, Literal("name")),
            ]
        for k, (subject, predicate) in enumerate(((actors[0], KG.leads), (actors[1], KG.memberOf))):
            party = actors[2]
            f = ID[f"fact/{art_id}/{k}"]
            triples += [
                (f, RDF.type, KG.Fact), (f, RDF.type, RDF.Statement), (f, RDF.subject, subject),
                (f, RDF.predicate, predicate), (f, RDF.object, party), (f, PROV.wasDerivedFrom, art),
                (f, KG.sentence, Literal(f"Sentence {k} of generated story {a}.")),
                (f, KG.beginIndex, Literal(100 * k)), (f, KG.endIndex, Literal(100 * k + 40)),
                (f, KG.confidence, Literal("0.9", datatype=XSD.decimal)), (f, KG.rule, Literal("bench")),
            ]
            relations.add((subject, predicate, party))
            if probe is None and predicate == KG.leads:
                probe = (subject, party)
        graphs[str(article_graph_iri(art_id))] = triples
    default += sorted(relations)
    return graphs, default, probe


def timed(fns: dict, repeat: int) -> dict[str, float]:
    """Median wall time (ms) of each function over ``repeat`` rounds, after one warm-up call each.

    The functions run interleaved, round by round, so that load from other processes on the
    machine hits all of them alike and the ratios stay meaningful on a busy machine."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: 1000 * statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per query and store (median)")
    parser.add_argument("--rdflib-repeat", type=int, default=3, help="timed runs for rdflib (slow)")
    args = parser.parse_args()

    import pyoxigraph as ox

    from kgraph.rdf.oxigraph_store import OxigraphStore, to_oxigraph

    t = time.perf_counter()
    graphs, default, (s, o) = generate(args.triples)
    total = sum(len(v) for v in graphs.values()) + len(default)
    print(f"generated {total:,} triples in {len(graphs):,} article graphs + default graph ({time.perf_counter() - t:.1f} s)")
    queries = {name: q.replace("{S}", str(s)).replace("{O}", str(o)) for name, q in QUERIES.items()}

    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        # (a) kgraph: OxigraphStore on disk, loaded through Store.apply
        t = time.perf_counter()
        kgraph_store = OxigraphStore(Path(tmp) / "kgraph.db")
        kgraph_store.apply(Changes(replace_graphs=graphs, default_add=default))
        kgraph_store.flush()
        load_kgraph = time.perf_counter() - t

        # (c) pyoxigraph directly, its own on-disk store
        t = time.perf_counter()
        raw = ox.Store(str(Path(tmp) / "raw.db"))
        quads = [ox.Quad(to_oxigraph(a), to_oxigraph(b), to_oxigraph(c), ox.NamedNode(g))
                 for g, triples in graphs.items() for a, b, c in triples]
        quads += [ox.Quad(to_oxigraph(a), to_oxigraph(b), to_oxigraph(c), ox.DefaultGraph()) for a, b, c in default]
        raw.bulk_extend(quads)
        raw.flush()
        del quads
        load_raw = time.perf_counter() - t

        # (b) rdflib memory Dataset, default graph = union (as MemoryStore)
        t = time.perf_counter()
        dataset = Dataset(default_union=True)
        for g, triples in graphs.items():
            ctx = dataset.graph(URIRef(g))
            dataset.addN((a, b, c, ctx) for a, b, c in triples)
        dataset.default_graph.addN((a, b, c, dataset.default_graph) for a, b, c in default)
        load_rdflib = time.perf_counter() - t
        del graphs, default
        gc.collect()
        print(f"load: kgraph {load_kgraph:.1f} s, pyoxigraph {load_raw:.1f} s, rdflib {load_rdflib:.1f} s")

        def run_kgraph(q):
            return len(kgraph_store.query(q).rows)

        def run_raw(q, store=raw):
            return len(list(store.query(q, prefixes=PREFIXES, use_default_graph_as_union=True)))

        def run_same(q):  # pyoxigraph on kgraph's own store: what the wrapper alone costs
            return run_raw(q, kgraph_store._store)

        def run_rdflib(q):
            return len(list(dataset.query(q, initNs=PREFIXES)))

        print()
        header = (f"{'query':<20}{'kgraph ms':>11}{'pyox same-store ms':>20}{'pyoxigraph ms':>15}{'rdflib ms':>11}"
                  f"{'rdflib/kgraph':>15}{'kgraph/pyox':>13}{'kgraph/same':>13}  rows")
        print(header)
        print("-" * len(header))
        for name, q in queries.items():
            rows = (run_kgraph(q), run_raw(q), run_rdflib(q))
            assert rows[0] == rows[1] == rows[2], f"{name}: stores disagree on row counts {rows}"
            ms = timed({"kgraph": lambda: run_kgraph(q), "same": lambda: run_same(q), "raw": lambda: run_raw(q)},
                       args.repeat)
            ms.update(timed({"rdflib": lambda: run_rdflib(q)}, args.rdflib_repeat))
            print(f"{name:<20}{ms['kgraph']:>11.2f}{ms['same']:>20.2f}{ms['raw']:>15.2f}{ms['rdflib']:>11.1f}"
                  f"{ms['rdflib'] / ms['kgraph']:>14.1f}x{ms['kgraph'] / ms['raw']:>12.2f}x"
                  f"{ms['kgraph'] / ms['same']:>12.2f}x  {rows[0]}", flush=True)
        print()
        print("aims: rdflib/kgraph >= 10x (kgraph faster); kgraph/pyoxigraph <= 1.2x (thin wrapper)")
        kgraph_store.close()
        del raw
        gc.collect()


if __name__ == "__main__":
    main()
