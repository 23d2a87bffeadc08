"""kgraph.engines: engine registry, ordered streaming, and the same analyses from every engine."""
from __future__ import annotations

import itertools

import pytest

from kgraph.engines import _ordered_window, batched, _unwrap, get_engine
from kgraph.errors import ConfigError, KGraphError, ModelError


def test_engines_unknown_name_lists_known_ones():
    with pytest.raises(ConfigError, match="'spark'.*dask, local"):
        get_engine("spark")


@pytest.mark.parametrize("name", ["local", "dask"])
def test_engines_zero_workers_is_refused(name):
    with pytest.raises(ConfigError, match="at least 1"):
        get_engine(name, workers=0)


def test_engines_scheduler_needs_dask():
    with pytest.raises(ConfigError, match="--engine dask"):
        get_engine("local", scheduler="tcp://127.0.0.1:8786")


def test_engines_batches_stream_lazily():
    consumed = []

    def source():
        for i in itertools.count():
            consumed.append(i)
            yield i

    first = next(batched(source(), 3))
    assert first == [0, 1, 2] and len(consumed) == 3


def test_engines_ordered_window_keeps_order_and_bounds_in_flight():
    in_flight, peak = [0], [0]

    def submit(batch):
        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        return batch

    def result(batch):
        in_flight[0] -= 1
        return ("ok", [x * 10 for x in batch])

    out = list(_ordered_window(batched(range(20), 3), submit, result, window=2))
    assert out == [x * 10 for x in range(20)]
    assert peak[0] == 2


def test_engines_worker_errors_come_back_as_kgraph_errors():
    with pytest.raises(ModelError, match="no model"):
        _unwrap(("error", "ModelError", "no model"))
    with pytest.raises(KGraphError, match="a.txt: empty"):
        _unwrap(("error", "ArticleError", "a.txt: empty"))  # two-argument constructor: base class


@pytest.fixture(scope="module")
def seed_articles(corpus_dir):
    from kgraph.corpus import read_articles

    articles = list(read_articles(corpus_dir))
    assert len(articles) >= 2
    return articles


@pytest.fixture(scope="module")
def one_process(seed_articles):
    return list(get_engine("local", workers=1).analyze(seed_articles, None, ()))


@pytest.mark.e2e
def test_engines_one_process_finds_relations(seed_articles, one_process):
    assert [a.article.id for a in one_process] == [a.id for a in seed_articles]
    assert sum(len(a.relations) for a in one_process) > 0


@pytest.mark.e2e
def test_engines_two_processes_same_as_one(seed_articles, one_process):
    engine = get_engine("local", workers=2, batch_size=1)  # one article per batch: both workers busy
    assert list(engine.analyze(seed_articles, None, ())) == one_process


@pytest.mark.e2e
def test_engines_dask_local_cluster_same_as_one(seed_articles, one_process):
    pytest.importorskip("distributed")
    engine = get_engine("dask", workers=2, batch_size=1)
    assert list(engine.analyze(seed_articles, None, ())) == one_process


def test_engines_unguarded_script_gets_a_clear_error(tmp_path):
    """Spawned workers re-import the main module: a script without the __main__ guard must get a
    message saying so, not a bare BrokenProcessPool."""
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(
        "from kgraph.model import Article\n"
        "from kgraph.engines import get_engine\n"
        "list(get_engine('local', workers=2).analyze([Article('x', 't', 'Some text.')], None, ()))\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert 'if __name__ == "__main__":' in done.stderr.splitlines()[-1]


@pytest.mark.e2e
def test_engines_dask_external_scheduler_same_as_one(seed_articles, one_process):
    """--scheduler tcp://...: the engine connects to a running cluster instead of starting one."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        engine = get_engine("dask", scheduler=cluster.scheduler_address, batch_size=1)
        assert list(engine.analyze(seed_articles, None, ())) == one_process


def test_engines_batched_whole_stream_when_no_size():
    assert list(batched(iter(range(5)), None)) == [[0, 1, 2, 3, 4]]
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
