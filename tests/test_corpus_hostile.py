"""kgraph.corpus against hostile input: each bad article is one clear error, the rest are read."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kgraph.corpus import read_articles
from kgraph.errors import ArticleError

BODY = "The Green Alliance elected Ona Petraite as its chair on Sunday."


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def read_all(path: Path):
    errors: list[ArticleError] = []
    articles = list(read_articles(path, on_error=errors.append))
    return articles, errors


def test_corpus_json_nested_100000_deep_is_one_error(tmp_path):
    write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    write(tmp_path / "deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n" + json.dumps({"text": BODY}) + "\n")
    articles, errors = read_all(tmp_path)
    assert [a.text for a in articles] == [BODY]
    assert len(errors) == 2
    for error in errors:
        assert "nested too deeply" in str(error) and "\n" not in str(error)


def test_corpus_yaml_nested_deep_is_one_error(tmp_path):
    write(tmp_path / "deep.md", "---\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n---\n" + BODY)
    articles, errors = read_all(tmp_path)
    assert articles == [] and len(errors) == 1 and "\n" not in str(errors[0])


@pytest.mark.parametrize("raw", ["2020-13-45", "2020-02-30", "'2020-13-45'"])
def test_corpus_invalid_front_matter_date_is_one_error(tmp_path, raw):
    write(tmp_path / "a.md", f"---\ntitle: T\ndate: {raw}\n---\n{BODY}\n")
    write(tmp_path / "b.md", f"---\ntitle: T\ndate: 2020-01-02\n---\n{BODY}\n")
    articles, errors = read_all(tmp_path)
    assert [a.date for a in articles] == [dt.date(2020, 1, 2)]
    assert len(errors) == 1 and "is not a date" in str(errors[0]) and "YYYY-MM-DD" in str(errors[0])


@pytest.mark.parametrize(
    "raw, date, precision",
    [
        ("2023-01", dt.date(2023, 1, 1), "month"),
        ("'2023-01'", dt.date(2023, 1, 1), "month"),
        ("2023", dt.date(2023, 1, 1), "year"),
        ("'2023'", dt.date(2023, 1, 1), "year"),
        ("2023-01-15", dt.date(2023, 1, 15), "day"),
    ],
)
def test_corpus_reduced_precision_dates_keep_their_precision(tmp_path, raw, date, precision):
    article, = read_articles(write(tmp_path / "a.md", f"---\ntitle: T\ndate: {raw}\n---\n{BODY}\n"))
    assert (article.date, article.date_precision) == (date, precision)
    assert article.date_iso == {"day": "2023-01-15", "month": "2023-01", "year": "2023"}[precision]


def test_corpus_reduced_precision_dates_in_json(tmp_path):
    items = [{"text": BODY + " one", "date": "2023-01"}, {"text": BODY + " two", "date": 2023}]
    write(tmp_path / "a.json", json.dumps(items))
    articles, errors = read_all(tmp_path)
    assert errors == []
    assert [(a.date_iso, a.date_precision) for a in articles] == [("2023-01", "month"), ("2023", "year")]


@pytest.mark.parametrize(
    "bad_id",
    [["a", "b"], {"x": 1}, "two words", "a>b", "tab\there", "new\nline", True, 1.5, "a<b", 'q"uote', "a{b}"],
)
def test_corpus_unusable_id_is_one_error_and_skipped(tmp_path, bad_id):
    lines = [json.dumps({"id": bad_id, "text": BODY}), json.dumps({"id": "good-1", "text": BODY + " Again."})]
    write(tmp_path / "a.jsonl", "\n".join(lines) + "\n")
    articles, errors = read_all(tmp_path)
    assert [a.id for a in articles] == ["good-1"]
    assert len(errors) == 1
    message = str(errors[0])
    assert "\n" not in message and "'id'" in message and "letters, digits" in message


@pytest.mark.parametrize("good_id", ["abc", "2021/05/x", "a.b_c-d:e", 42, "Ünïcode-ok"])
def test_corpus_usable_ids_are_kept(tmp_path, good_id):
    write(tmp_path / "a.jsonl", json.dumps({"id": good_id, "text": BODY}) + "\n")
    article, = read_articles(tmp_path / "a.jsonl")
    assert article.id == str(good_id)


def test_corpus_duplicate_id_in_one_batch_keeps_both_and_reports(tmp_path):
    lines = [
        json.dumps({"id": "same", "text": BODY}),
        json.dumps({"id": "same", "text": "A different article about the Blue Party."}),
        json.dumps({"id": "same", "text": BODY}),  # the very same article again: read once
    ]
    write(tmp_path / "a.jsonl", "\n".join(lines) + "\n")
    articles, errors = read_all(tmp_path)
    ids = [a.id for a in articles]
    assert len(ids) == 2 and ids[0] == "same" and ids[1].startswith("same-") and len(set(ids)) == 2
    assert len(errors) == 2
    renamed, repeated = (str(e) for e in errors)
    assert "a.jsonl:2" in renamed and "also the id of" in renamed and ids[1] in renamed
    assert "a.jsonl:3" in repeated and "same article" in repeated
    assert not errors[0].skipped and errors[1].skipped


def test_corpus_duplicate_ids_are_stable_across_runs(tmp_path):
    lines = [json.dumps({"id": "same", "text": BODY}), json.dumps({"id": "same", "text": "Another text."})]
    write(tmp_path / "a.jsonl", "\n".join(lines) + "\n")
    first = [a.id for a in read_articles(tmp_path, on_error=lambda e: None)]
    second = [a.id for a in read_articles(tmp_path, on_error=lambda e: None)]
    assert first == second


def test_corpus_long_line_without_spaces_is_read_whole(tmp_path):
    text = "x" * 2_000_000
    article, = read_articles(write(tmp_path / "a.txt", "Title\n" + text))
    assert article.text == text
