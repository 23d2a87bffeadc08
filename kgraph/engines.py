"""Where the NLP stage runs: in this process, in N local processes, or on a Dask cluster.

Every engine turns a stream of :class:`~kgraph.model.Article` into a stream of
:class:`~kgraph.model.ArticleAnalysis` in the input order, with the same results whatever the
engine (the analysis of one article depends on that article only). Parallel engines send
articles out in batches and keep only a few batches in flight, so memory stays flat however
long the stream is; each worker process loads the spaCy pipeline once and reuses it.

Workers receive the *paths* of extra knowledge-base files, never KB objects: each rebuilds the
same KB (the bundled one plus those files) where it runs, which is cheap and avoids pickling
large objects through the cluster.

Examples
--------
>>> engine = get_engine("local", workers=2)                          # doctest: +SKIP
>>> analyses = list(engine.analyze(articles, model=None))            # doctest: +SKIP
"""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import deque
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Sequence

from kgraph.errors import ConfigError, KGraphError
from kgraph.model import Article, ArticleAnalysis

__all__ = ["ENGINES", "Engine", "LocalEngine", "DaskEngine", "get_engine", "analyze_batch", "batched"]

DEFAULT_BATCH_SIZE = 16
#: batches in flight per worker: enough to keep every worker busy, few enough for flat memory
_IN_FLIGHT_PER_WORKER = 2
_PIPELINE_LOCK = threading.Lock()  # spaCy pipelines are not documented as thread-safe


# -- the work a worker does -------------------------------------------------------------------
@lru_cache(maxsize=4)
def _pipeline(model: str | None, kb_paths: tuple[str, ...]):
    """The pipeline for (model, KB files), loaded once per process."""
    from kgraph.builder import load_kb
    from kgraph.nlp.pipeline import load_pipeline

    return load_pipeline(model, kb=load_kb(kb_paths))


def analyze_batch(
    articles: Sequence[Article], model: str | None = None, kb_paths: Sequence[str] = (), batch_size: int = DEFAULT_BATCH_SIZE
) -> list[ArticleAnalysis]:
    """Analyse one batch with this process's cached pipeline (what each worker runs)."""
    from kgraph.nlp.pipeline import analyze_articles

    nlp = _pipeline(model, tuple(str(p) for p in kb_paths))
    with _PIPELINE_LOCK:
        return list(analyze_articles(articles, nlp, batch_size=batch_size))


def _analyze_batch_safely(articles, model, kb_paths, batch_size):
    """``analyze_batch`` whose kgraph errors cross process boundaries as plain data
    (some KGraphError subclasses take several constructor arguments and do not unpickle)."""
    try:
        return ("ok", analyze_batch(articles, model, kb_paths, batch_size))
    except KGraphError as exc:
        return ("error", type(exc).__name__, str(exc))


def _unwrap(outcome) -> list[ArticleAnalysis]:
    if outcome[0] == "ok":
        return outcome[1]
    import kgraph.errors as errors

    cls = getattr(errors, outcome[1], KGraphError)
    try:
        exc = cls(outcome[2])
    except TypeError:
        exc = KGraphError(outcome[2])
    raise exc


def batched(items: Iterable, size: int | None) -> Iterator[list]:
    """Lists of ``size`` consecutive items (the last may be shorter); all in one list if ``size``
    is None or 0. Streams: only one batch is held at a time."""
    if not size:
        yield list(items)
        return
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _ordered_window(batches: Iterator[list[Article]], submit: Callable, result: Callable, window: int) -> Iterator[ArticleAnalysis]:
    """Keep ``window`` batches in flight, yield their analyses in submission order."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield from _unwrap(result(pending.popleft()))
    while pending:
        yield from _unwrap(result(pending.popleft()))


# -- engines ------------------------------------------------------------------------------------
class Engine(ABC):
    """Runs the NLP stage over a stream of articles."""

    name = "abstract"

    def __init__(self, workers: int = 1, *, batch_size: int = DEFAULT_BATCH_SIZE):
        if workers < 1:
            raise ConfigError(f"workers must be at least 1, got {workers}; use --workers 1 for one process")
        self.workers = workers
        self.batch_size = batch_size

    @abstractmethod
    def analyze(
        self, articles: Iterable[Article], model: str | None = None, kb_paths: Sequence[str] = ()
    ) -> Iterator[ArticleAnalysis]:
        """Analyses of ``articles``, in the input order, streamed."""


class LocalEngine(Engine):
    """This machine: in-process for one worker, else a pool of ``workers`` processes."""

    name = "local"

    def analyze(self, articles, model=None, kb_paths=()):
        kb_paths = tuple(str(p) for p in kb_paths)
        if self.workers == 1:
            from kgraph.nlp.pipeline import analyze_articles

            yield from analyze_articles(articles, _pipeline(model, kb_paths), batch_size=self.batch_size)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        # spawn: a fresh interpreter per worker, safe whatever threads the parent runs (fork is not)
        context = multiprocessing.get_context("spawn")
        try:
            with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
                yield from _ordered_window(
                    batched(articles, self.batch_size),
                    lambda batch: pool.submit(_analyze_batch_safely, batch, model, kb_paths, self.batch_size),
                    lambda future: future.result(),
                    self.workers * _IN_FLIGHT_PER_WORKER,
                )
        except BrokenProcessPool:
            raise KGraphError(
                f"a worker process of the {self.workers}-process NLP stage died (out of memory, killed, or it "
                "could not start); in a Python script, put the build under `if __name__ == \"__main__\":` "
                "(worker processes re-import the main module), or use workers=1"
            ) from None


class DaskEngine(Engine):
    """A dask.distributed cluster: ``scheduler`` (``tcp://host:8786``), or a LocalCluster of
    ``workers`` single-threaded processes when it is None.

    Every worker needs kgraph and the spaCy model installed (the same versions as here).
    """

    name = "dask"

    def __init__(self, workers: int = 1, *, scheduler: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE):
        super().__init__(workers, batch_size=batch_size)
        self.scheduler = scheduler

    def _client(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError(
                "the dask engine needs dask.distributed; install it with `pip install 'kgraph[dask]'`"
            ) from None
        if self.scheduler:
            try:
                return Client(self.scheduler, timeout="20s"), None
            except (OSError, TimeoutError) as exc:
                raise ConfigError(
                    f"cannot connect to the Dask scheduler {self.scheduler!r}: {exc}; "
                    "check the address (tcp://HOST:8786) and that `dask scheduler` is running"
                ) from None
        cluster = LocalCluster(
            n_workers=self.workers, processes=True, threads_per_worker=1, dashboard_address=None
        )
        return Client(cluster), cluster

    def analyze(self, articles, model=None, kb_paths=()):
        kb_paths = tuple(str(p) for p in kb_paths)
        client, cluster = self._client()
        try:
            workers = max(1, len(client.scheduler_info().get("workers", {})) or self.workers)
            yield from _ordered_window(
                batched(articles, self.batch_size),
                lambda batch: client.submit(
                    _analyze_batch_safely, batch, model, kb_paths, self.batch_size, pure=False
                ),
                lambda future: future.result(),
                workers * _IN_FLIGHT_PER_WORKER,
            )
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


#: engine name -> class
ENGINES: dict[str, type[Engine]] = {"local": LocalEngine, "dask": DaskEngine}


def get_engine(
    name: str = "local", workers: int = 1, scheduler: str | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> Engine:
    """The engine called ``name`` ("local" or "dask"), with ``workers`` processes
    (for "dask", the size of the LocalCluster started when no ``scheduler`` is given)."""
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; known engines: {', '.join(sorted(ENGINES))}")
    if name == "dask":
        return DaskEngine(workers, scheduler=scheduler, batch_size=batch_size)
    if scheduler:
        raise ConfigError(f"a scheduler ({scheduler!r}) is only used by the dask engine; add --engine dask")
    return LocalEngine(workers, batch_size=batch_size)
