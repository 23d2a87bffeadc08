"""Tests for kgraph.corpus: formats, datelines, stable ids, errors, folder walks, the bundled corpus."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kgraph.corpus import article_id, find_dateline, parse_date, read_articles
from kgraph.errors import ArticleError, InputError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

TITLE = "Green Alliance Elects New Chair"
BODY = (
    "VILNIUS, 4 March 2019 (BNS) -- The Green Alliance elected Ona Petraite as its chair on Sunday.\n\n"
    "Petraite, a former mayor, said the party would contest every seat."
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read_one(path: Path):
    articles = list(read_articles(path))
    assert len(articles) == 1
    return articles[0]


# --------------------------------------------------------------------------- formats


def test_corpus_txt_first_line_is_title(tmp_path):
    article = read_one(write(tmp_path / "a.txt", f"\n\n{TITLE}\n\n{BODY}\n"))
    assert article.title == TITLE
    assert article.text == BODY
    assert article.date == dt.date(2019, 3, 4)
    assert article.language == "en"
    assert article.path == str(tmp_path / "a.txt")


def test_corpus_md_front_matter(tmp_path):
    text = (
        "---\ntitle: \"Green Alliance: a new chair\"\ndate: 2019-03-05\nsource: BNS\n"
        "url: https://example.org/a\nlanguage: lt\nextra: ignored\n---\n\n" + BODY + "\n"
    )
    article = read_one(write(tmp_path / "a.md", text))
    assert article.title == "Green Alliance: a new chair"
    assert article.date == dt.date(2019, 3, 5)  # metadata wins over the dateline
    assert (article.source, article.url, article.language) == ("BNS", "https://example.org/a", "lt")
    assert article.text == BODY


def test_corpus_md_front_matter_id_is_kept(tmp_path):
    article = read_one(write(tmp_path / "a.md", f"---\nid: gl-001\ntitle: {TITLE}\n---\n{BODY}"))
    assert article.id == "gl-001"


def test_corpus_md_heading_is_title_without_front_matter(tmp_path):
    article = read_one(write(tmp_path / "a.md", f"# {TITLE}\n\n{BODY}\n"))
    assert article.title == TITLE
    assert article.text == BODY
    assert article.date == dt.date(2019, 3, 4)


def test_corpus_md_front_matter_without_title_uses_heading(tmp_path):
    article = read_one(write(tmp_path / "a.md", f"---\nsource: BNS\n---\n# {TITLE}\n\n{BODY}"))
    assert (article.title, article.source, article.text) == (TITLE, "BNS", BODY)


def test_corpus_json_object_and_list(tmp_path):
    one = {"title": TITLE, "text": BODY, "url": "https://example.org/a", "date": "2019-03-06"}
    article = read_one(write(tmp_path / "one.json", json.dumps(one)))
    assert (article.title, article.url, article.date) == (TITLE, "https://example.org/a", dt.date(2019, 3, 6))
    many = [{"id": "x1", "title": "First", "text": "One sentence."}, {"title": "Second", "text": "Another one."}]
    articles = list(read_articles(write(tmp_path / "many.json", json.dumps(many))))
    assert [a.title for a in articles] == ["First", "Second"]
    assert articles[0].id == "x1"
    assert articles[1].id == article_id("Second", "Another one.")


def test_corpus_jsonl_reads_every_line(tmp_path):
    lines = [
        {"id": "a", "title": "A", "text": "Alpha text.", "source": "Wire", "language": "en"},
        {"id": "b", "title": "B", "text": "Beta text.", "date": "2021-07-01T09:30:00Z"},
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    articles = list(read_articles(path))
    assert [(a.id, a.title, a.text) for a in articles] == [("a", "A", "Alpha text."), ("b", "B", "Beta text.")]
    assert articles[0].source == "Wire"
    assert articles[1].date == dt.date(2021, 7, 1)


HTML = f"""<!doctype html><html lang="en-GB"><head>
<title>{TITLE}</title>
<meta property="article:published_time" content="2019-03-04T08:00:00+02:00">
<link rel="canonical" href="https://example.org/green">
<style>body {{ color: red }}</style><script>var x = "not text";</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<header>Site header</header>
<article><h1>{TITLE}</h1>
<p>VILNIUS, 4 March 2019 (BNS) -- The Green Alliance elected
   Ona Petraite as its chair on Sunday.</p>
<script>track();</script>
<p>Petraite, a former mayor, said the party would contest every seat.</p>
</article>
<aside>Most read</aside><footer>Copyright</footer>
</body></html>"""


def test_corpus_html_title_and_main_text(tmp_path):
    article = read_one(write(tmp_path / "page.html", HTML))
    assert article.title == TITLE
    assert article.text == BODY
    assert article.date == dt.date(2019, 3, 4)
    assert article.url == "https://example.org/green"
    assert article.language == "en"
    for chrome in ("Home", "Site header", "Most read", "Copyright", "not text", "track"):
        assert chrome not in article.text


def test_corpus_htm_without_article_uses_main_then_body(tmp_path):
    page = "<html><head><title>T</title></head><body><div>Menu</div><main><p>Main text here.</p></main></body></html>"
    assert read_one(write(tmp_path / "p.htm", page)).text == "Main text here."
    page = "<html><body><h1>Only a heading</h1><p>Body text, &amp; more.</p></body></html>"
    article = read_one(write(tmp_path / "q.htm", page))
    assert (article.title, article.text) == ("Only a heading", "Body text, & more.")


def test_corpus_html_article_header_and_time_tag(tmp_path):
    page = (
        "<html><head><title>Budget Vote | Example News</title></head><body><main>"
        "<article><header><h1>Budget Vote</h1><time datetime=\"2021-05-02\">2 May</time></header>"
        "<p>Deputies passed the budget.</p><div class=\"share\"><nav>Share</nav></div>"
        "<p>The opposition&nbsp;abstained.</p></article><aside>Related</aside></main></body></html>"
    )
    article = read_one(write(tmp_path / "p.html", page))
    assert article.title == "Budget Vote | Example News"
    assert article.text == "Deputies passed the budget.\n\nThe opposition abstained."
    assert article.date == dt.date(2021, 5, 2)


# --------------------------------------------------------------------------- datelines and dates


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Prague, 29 January 2004 (RFE/RL) -- The party said.", dt.date(2004, 1, 29)),
        ("MOSCOW, Dec. 3, 2020 (Reuters) - The party said.", dt.date(2020, 12, 3)),
        ("WARSAW, March 4, 2019 (PAP) \u2014 The party said.", dt.date(2019, 3, 4)),
        ("2020-12-03\nThe party said.", dt.date(2020, 12, 3)),
        ("December 3, 2020\n\nThe party said.", dt.date(2020, 12, 3)),
        ("By Jane Roe | 1st Sept 2021 | The party said.", dt.date(2021, 9, 1)),
        ("A standfirst of one line.\n\nBERLIN, 12 Oct 2022: The party said.", dt.date(2022, 10, 12)),
    ],
)
def test_corpus_dateline_styles(text, expected):
    assert find_dateline(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "On 27 January, the party said it would grow.",  # no year
        "Jan Kowalski (4 March 1950 - 2 May 2010) was a politician.",  # a life span, not a dateline
        "The congress, he said on 3 May 2020, would be held later.",  # inside a sentence
        "Vienna, 31 February 2020 (APA) -- no such day.",
        ("x" * 600) + "\nPrague, 29 January 2004 (RFE/RL) -- too far down.",
    ],
)
def test_corpus_dateline_rejects_non_datelines(text):
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
        (dt.datetime(2020, 1, 2, 10, 30), dt.date(2020, 1, 2)),
        ("2020-01-02", dt.date(2020, 1, 2)),
        ("2020-01-02T10:00:00Z", dt.date(2020, 1, 2)),
        ("2 January 2020", dt.date(2020, 1, 2)),
        ("Jan. 2, 2020", dt.date(2020, 1, 2)),
        ("yesterday", None),
        (20200102, None),
    ],
)
def test_corpus_parse_date(value, expected):
    assert parse_date(value) == expected


def test_corpus_bad_metadata_date_is_an_error(tmp_path):
    path = write(tmp_path / "a.md", f"---\ntitle: T\ndate: someday\n---\n{BODY}")
    with pytest.raises(ArticleError, match="'someday' is not a date"):
        list(read_articles(path))


# --------------------------------------------------------------------------- ids


def test_corpus_same_content_same_id_across_formats(tmp_path):
    txt = read_one(write(tmp_path / "a.txt", f"{TITLE}\n\n{BODY}"))
    md = read_one(write(tmp_path / "a.md", f"---\ntitle: {TITLE}\n---\n\n{BODY}\n"))
    heading = read_one(write(tmp_path / "b.md", f"# {TITLE}\n{BODY}"))
    js = read_one(write(tmp_path / "a.json", json.dumps({"title": TITLE, "text": BODY})))
    html = read_one(write(tmp_path / "a.html", HTML))
    assert len({txt.id, md.id, heading.id, js.id, html.id}) == 1
    assert txt.id == article_id(TITLE, BODY)
    assert len(txt.id) == 16 and int(txt.id, 16) >= 0


def test_corpus_id_ignores_whitespace_but_not_content():
    assert article_id(TITLE, BODY) == article_id(f"  {TITLE} ", BODY.replace(" ", "  \n "))
    assert article_id(TITLE, BODY) != article_id(TITLE, BODY + " More.")
    assert article_id(TITLE, BODY) != article_id("Another title", BODY)


def test_corpus_rerun_gives_same_ids(tmp_path):
    write(tmp_path / "a.txt", f"{TITLE}\n{BODY}")
    write(tmp_path / "b.json", json.dumps({"title": "B", "text": "Beta."}))
    assert [a.id for a in read_articles(tmp_path)] == [a.id for a in read_articles(tmp_path)]


# --------------------------------------------------------------------------- errors


def test_corpus_missing_path(tmp_path):
    with pytest.raises(ArticleError, match="no such file or folder") as raised:
        list(read_articles(tmp_path / "nope.txt"))
    assert raised.value.path == str(tmp_path / "nope.txt")
    assert isinstance(raised.value, InputError)


def test_corpus_non_utf8_file(tmp_path):
    path = write(tmp_path / "latin1.txt", "Title\nCaf\u00e9 society".encode("latin-1"))
    with pytest.raises(ArticleError, match=r"not UTF-8 text \(byte 0xe9 at offset 9\)"):
        list(read_articles(path))


def test_corpus_binary_file(tmp_path):
    png = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ArticleError, match=r"not UTF-8 text \(byte 0x89 at offset 0\)"):
        list(read_articles(png))
    nul = write(tmp_path / "nul.txt", b"Title\nabc\x00def")
    with pytest.raises(ArticleError, match=r"binary file \(NUL byte at offset 9\)"):
        list(read_articles(nul))


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.txt", ""),
        ("title-only.txt", "Just a title\n\n   \n"),
        ("empty.md", "---\ntitle: T\n---\n\n"),
        ("empty.json", '{"title": "T", "text": "  "}'),
        ("empty.html", "<html><head><title>T</title></head><body><nav>menu</nav></body></html>"),
    ],
)
def test_corpus_empty_article(tmp_path, name, content):
    with pytest.raises(ArticleError, match="empty article"):
        list(read_articles(write(tmp_path / name, content)))


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("bad.json", '{"title": "T", "text": ', "malformed JSON"),
        ("notext.json", '{"title": "T"}', "no 'text' key"),
        ("scalar.json", "42", "expected a JSON object or a list"),
        ("bad.md", "---\ntitle: [unclosed\n---\nText.", "malformed YAML front matter"),
        ("unclosed.md", "---\ntitle: T\nText without a closing line.", "no closing '---'"),
        ("list.md", "---\n- a\n- b\n---\nText.", "must be a mapping"),
        ("empty.jsonl", "\n\n", "no JSON lines"),
    ],
)
def test_corpus_malformed_files(tmp_path, name, content, reason):
    with pytest.raises(ArticleError, match=reason):
        list(read_articles(write(tmp_path / name, content)))


def test_corpus_unsupported_extension_named_explicitly(tmp_path):
    with pytest.raises(ArticleError, match=r"unsupported file type '\.pdf'; use one of \.txt"):
        list(read_articles(write(tmp_path / "a.pdf", "%PDF")))


def test_corpus_bad_jsonl_line_is_reported_and_the_rest_read(tmp_path):
    lines = ['{"id": "a", "text": "Alpha."}', '{"id": "b", "text": ', '{"id": "c"}', '{"id": "d", "text": "Delta."}']
    path = write(tmp_path / "batch.jsonl", "\n".join(lines))
    errors: list[ArticleError] = []
    articles = list(read_articles(path, on_error=errors.append))
    assert [a.id for a in articles] == ["a", "d"]
    assert [e.path for e in errors] == [f"{path}:2", f"{path}:3"]
    assert "malformed JSON" in errors[0].reason and "no 'text' key" in errors[1].reason
    with pytest.raises(ArticleError, match="malformed JSON"):
        list(read_articles(path))


def test_corpus_bad_json_list_item_is_reported(tmp_path):
    path = write(tmp_path / "list.json", json.dumps([{"text": "Fine."}, {"text": ""}, "nope"]))
    errors: list[ArticleError] = []
    assert [a.text for a in read_articles(path, on_error=errors.append)] == ["Fine."]
    assert [e.path for e in errors] == [f"{path}[1]", f"{path}[2]"]


def test_corpus_folder_bad_article_reported_rest_read(tmp_path):
    write(tmp_path / "a.txt", "A\nAlpha text.")
    write(tmp_path / "b.txt", b"\xff\xfe broken")
    write(tmp_path / "c.json", "{oops")
    write(tmp_path / "d.txt", "D\nDelta text.")
    errors: list[ArticleError] = []
    articles = list(read_articles(tmp_path, on_error=errors.append))
    assert [a.title for a in articles] == ["A", "D"]
    assert [Path(e.path).name for e in errors] == ["b.txt", "c.json"]
    with pytest.raises(ArticleError):
        list(read_articles(tmp_path))


def test_corpus_missing_path_among_several_is_reported(tmp_path):
    good = write(tmp_path / "a.txt", "A\nAlpha text.")
    errors: list[ArticleError] = []
    articles = list(read_articles([tmp_path / "missing", str(good)], on_error=errors.append))
    assert [a.title for a in articles] == ["A"]
    assert len(errors) == 1 and "no such file" in errors[0].reason


# --------------------------------------------------------------------------- folder walks


def test_corpus_folder_walk_is_recursive_sorted_and_skips_non_articles(tmp_path):
    write(tmp_path / "b.txt", "B\nBeta.")
    write(tmp_path / "a" / "z.md", "# AZ\nIn a sub-folder.")
    write(tmp_path / "a" / "b" / "c.json", '{"title": "ABC", "text": "Deeper."}')
    write(tmp_path / "C.txt", "C\nUpper-case name.")
    write(tmp_path / "README.md", "# Readme\nNot an article.")
    write(tmp_path / "sub" / "LICENSE.txt", "Licence\nNot an article.")
    write(tmp_path / "gold.jsonl", '{"id": "g", "text": "Gold, not an article."}')
    write(tmp_path / "notes.pdf", b"%PDF-1.4 \x00\x01")  # unknown extension: ignored silently
    write(tmp_path / ".hidden" / "x.txt", "Hidden\nNot read.")
    write(tmp_path / ".draft.txt", "Draft\nNot read.")
    assert [a.title for a in read_articles(tmp_path)] == ["C", "ABC", "AZ", "B"]
    assert [a.title for a in read_articles(str(tmp_path))] == ["C", "ABC", "AZ", "B"]


def test_corpus_explicit_readme_file_is_read(tmp_path):
    path = write(tmp_path / "README.md", "# A readme\nNamed explicitly, so read.")
    assert read_one(path).title == "A readme"


# --------------------------------------------------------------------------- the bundled corpus


def _seed_body(seed: Path) -> tuple[str, str]:
    lines = [line for line in seed.read_text(encoding="utf-8").split("\n")]
    chrome = {"Accessibility links", "Breaking News"}
    start = next(i for i, line in enumerate(lines) if line.strip() and line.strip() not in chrome)
    return lines[start].strip(), "\n".join(lines[start + 1:]).strip()


def test_corpus_bundled_articles_metadata():
    articles = list(read_articles(ROOT / "corpus"))
    assert [(a.date, a.source, a.language) for a in articles] == [
        (dt.date(2004, 1, 29), "RFE/RL", "en"),
        (dt.date(2020, 12, 3), "RFE/RL", "en"),
    ]
    assert articles[0].title == "Kazakhstan: Nazarbaeva's 'All Together' Party Moving Forward Quickly"
    assert articles[1].title.startswith("Kazakh Political Party Stops Accepting New Members")
    for article in articles:
        assert "Accessibility links" not in article.text and "Breaking News" not in article.text
        assert article.id == article_id(article.title, article.text)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the project")
def test_corpus_bundled_text_is_the_seed_text():
    articles = {Path(a.path).name[:3]: a for a in read_articles(ROOT / "corpus")}
    for seed in sorted(SEEDS.glob("*.txt")):
        title, body = _seed_body(seed)
        article = articles[seed.name[:3]]
        assert (article.title, article.text) == (title, body)
    assert "mutal help" in articles["000"].text  # typos of the source are kept
