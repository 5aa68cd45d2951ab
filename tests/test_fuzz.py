"""Arbitrary input: property-based tests of the analysis and the query builder, a fuzz run of the HTTP API from its
OpenAPI document, and the abuse a public search box gets. Nothing escapes as an exception or a 5xx, in bounded time."""

from __future__ import annotations

import csv
import gzip
import io
import json
import time
import urllib.parse
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search_service import indexer
from search_service.analysis import analyze, fold_diacritics, normalize_text, split_syllables, terms
from search_service.errors import BadQuery
from search_service.query import SearchRequest, build_plan, load_synonyms
from search_service.sources import read_sources
from search_service.web import create_app

from .conftest import ARTICLES, PORTAL_PAGE, build_engine

SYNONYMS = load_synonyms()
# Combining marks, zero-width and bidi controls, emoji with modifiers, lone surrogates, NUL, letters that change
# length when lower-cased.
NASTY = ["\u0301", "\u0323", "\u200b", "\u200d", "\ufeff", "\u202e", "\u0600", "🇻🇳", "👍🏽", "\ud800", "\udfff", "\x00"]
# The box's operators, which a visitor strings together any way (`a NOT -"b" OR`, `AND NOT title:`).
OPERATORS = [" NOT ", " AND ", " OR ", ' "', " -", " title:", " category:"]
TEXT = st.lists(
    st.one_of(st.characters(), st.sampled_from([*NASTY, *OPERATORS, "ﷺ", "İ", "ß", "hoà", "Ủy"])), max_size=120
).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_analysis_never_fails_and_offsets_stay_inside_the_text(text):
    syllables = split_syllables(text)
    for syllable in syllables:
        assert 0 <= syllable.start < syllable.end <= len(text)
    for term, _, start, end in terms(analyze(text, words=False)):
        assert term and 0 <= start < end <= len(text)
    fold_diacritics(normalize_text(text))


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=TEXT, all_words=TEXT, phrase=TEXT, none_words=st.text(max_size=60))
def test_query_builder_either_builds_or_refuses_with_bad_query(q, all_words, phrase, none_words):
    request = SearchRequest(q=q, all=all_words, phrase=phrase, none=none_words)
    try:
        build_plan(request, SYNONYMS)
    except BadQuery as error:
        assert error.status == 400 and error.message_vi


def test_a_100_kb_string_is_analysed_in_bounded_time():
    text = ("Ủy ban nhân dân quận Ngũ Hành Sơn 29-CT/TU \u200b👍🏽 " * 2500)[:100_000]
    started = time.perf_counter()
    analyzed = analyze(text)
    assert len(analyzed.syllables) > 10_000
    assert time.perf_counter() - started < 60  # linear work: a few seconds on a slow machine, never unbounded


def test_a_100_kb_run_of_numbers_is_indexed_and_shown_in_bounded_time():
    # Each comma between digits is a decimal comma unless its number is grouped by commas: read whole at each of
    # 50,000 commas, a run `1,1,1,…` took minutes (quadratic) to index, and a snippet of it as long.
    from search_service.analysis import CLAUSE_TERM
    from search_service.results import snippet

    text = ("Giá 05/04/2006 tăng 1,5 lần: " + "1," * 50_000 + "5 đồng")[:100_000]
    started = time.perf_counter()
    parted = sum(term == CLAUSE_TERM for term, *_ in terms(analyze(text, words=False), clauses=True, decimals=True))
    shown = snippet(text, {"1 , 5"}, set())[0]
    assert parted > 49_000 and "<mark>1,5</mark>" in shown
    assert time.perf_counter() - started < 60  # linear work: a second or two on a slow machine, never unbounded


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz-index")
    build_engine(root, [ARTICLES, PORTAL_PAGE])
    return create_app({"INDEX_DIR": str(root)})


@pytest.mark.slow
def test_api_fuzzed_from_its_openapi_document_never_answers_5xx(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} >= {"/api/search", "/api/suggest", "/api/articles/{id}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def fuzz(case):
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.status_code, response.text[:300])

        fuzz()


ABUSE = [
    {"q": "a" * 10_000},
    {"q": " OR ".join(f"từ{i}" for i in range(3000))[:499]},
    {"q": " OR ".join("ab" for _ in range(100))},
    {"q": "*"},
    {"q": "?ach *nh c?i"},
    {"q": "(" * 200 + "cải cách" + ")" * 200},
    {"q": '"' * 300},
    {"q": "-" * 400},
    {"q": "title:" * 80},
    {"q": " NOT ".join(f"từ{i}" for i in range(300))[:499]},
    {"q": "NOT " * 120},
    {"q": "cải cách " + "AND NOT " * 60},
    {"q": "cải cách", "page": "99999999999999999999"},
    {"q": "cải cách", "page": "1000"},
    {"q": "cải cách", "per_page": "-1"},
    {"q": "x", "any": " ".join(["ab"] * 240)},
    {"q": "x", "none": " ".join(["ab"] * 240)},
    {"q": "x", "category": ["a"] * 500},
]


@pytest.mark.parametrize("params", ABUSE, ids=range(len(ABUSE)))
def test_abuse_is_answered_quickly_or_refused(app, params):
    client = app.test_client()
    client.get("/api/search?q=warm")  # the first request loads the model and the vocabulary
    started = time.perf_counter()
    response = client.get("/api/search", query_string=params)
    elapsed = time.perf_counter() - started
    # Answered, or refused with the error shape: 400 for a parameter, 414 for a URL longer than any form makes.
    assert response.status_code in (200, 400, 414), response.get_json()
    assert response.status_code == 200 or set(response.get_json()["error"]) == {"code", "message"}
    assert elapsed < 1.0, f"{elapsed:.2f} s"


WORDS_AND_OPERATORS = st.lists(
    st.sampled_from(
        ["NOT", "AND", "OR", "-", '"', "title:", "cai", "cách", "ha", "nội", "hanoi", "UBND", "29-CT/TU", "?"]
    ),
    max_size=14,
).map(" ".join)


@pytest.mark.slow
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(q=WORDS_AND_OPERATORS)
def test_any_string_of_words_and_operators_is_answered_by_the_api_and_the_page(app, q):
    client = app.test_client()
    for path in ("/api/search", "/search"):
        response = client.get(path, query_string={"q": q})
        assert response.status_code in (200, 400), (path, q, response.status_code)


def test_repeated_parameters_and_script_in_queries_are_harmless(app):
    client = app.test_client()
    assert client.get("/api/search?q=a&q=b").status_code == 400
    page = client.get("/search", query_string={"q": '<script>alert(1)</script>"><img src=x>'})
    html = page.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x>" not in html
    api = client.get("/api/search", query_string={"q": "<script>alert(1)</script>"}).get_json()
    assert api["query"]["q"] == "<script>alert(1)</script>"  # JSON carries it as data; pages escape it


# --- sources and the indexer: random bytes and random JSON values in every field --------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.sampled_from(NASTY),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELDS = ("id", "title", "summary", "body", "category", "tags", "author", "published", "url", "views", "source")
# One line of a JSONL file: a good article, random bytes, any JSON value, or an object with a random value in every
# field (a few of them good by chance).
LINES = st.one_of(
    st.tuples(st.just("good"), st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=40)),
    st.tuples(st.just("bytes"), st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" "))),
    st.tuples(st.just("json"), JSON_VALUES),
    st.tuples(st.just("fields"), st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, JSON_VALUES))),
)


def jsonl_bytes(lines: list[tuple[str, object]]) -> tuple[bytes, dict[int, str]]:
    """The file, and the good articles' ids by line. The first line is a good article, so that random bytes never
    start the file (a UTF-16 byte-order mark there makes the whole file UTF-16, which is another test)."""
    out, good = [], {}
    for number, (kind, value) in enumerate([("good", "Cải cách hành chính"), *lines], start=1):
        if kind == "good":
            good[number] = f"good-{number}"
            line = json.dumps({"id": f"good-{number}", "title": f"Tin {number} {value}", "body": value})
            out.append(line.encode())
        elif kind == "bytes":
            out.append(value)
        else:
            out.append(json.dumps(value).encode())  # ASCII escapes: lone surrogates travel as \ud800
    return b"\n".join(out) + b"\n", good


def check_every_line_is_an_article_or_reported(records: list, path: Path, data: bytes, good: dict[int, str]) -> None:
    by_line: dict[int, list] = {}
    for record in records:
        assert record.path == str(path)
        by_line.setdefault(record.line, []).append(record)
    for number, line in enumerate(data.split(b"\n")[:-1], start=1):
        found = by_line.pop(number, [])
        if not line.decode("utf-8", "replace").strip():
            assert not found  # a blank line (blank as text: \x1c is white space to str.strip) is no record
            continue
        assert len(found) == 1, (number, line, found)
        record = found[0]
        assert (record.article is None) == bool(record.error), record  # an article, or a reason
        if number in good:
            assert record.article is not None and record.article.id == good[number], record
    assert not by_line, by_line  # no record at a line that is not there


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(LINES, max_size=12))
def test_the_jsonl_reader_gives_each_line_an_article_or_a_reason(tmp_path_factory, suffix, lines):
    path = tmp_path_factory.mktemp("fuzz-source") / f"articles{suffix}"
    data, good = jsonl_bytes(lines)
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    records = list(read_sources([path]))
    check_every_line_is_an_article_or_reported(records, path, data, good)


CELLS = st.one_of(st.text(max_size=30), st.sampled_from(["", " ", "12/05/2023", "1.024", "-5", "javascript:x"]))


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.tuples(st.booleans(), st.lists(CELLS, min_size=len(FIELDS), max_size=len(FIELDS) + 2))))
def test_the_csv_reader_gives_each_record_an_article_or_a_reason_at_its_first_line(tmp_path_factory, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    starts, good = [], {}
    for number, (is_good, cells) in enumerate(rows):
        starts.append(buffer.getvalue().count("\n") + 1)
        if is_good:
            cells = [f"good-{number}", f"Tin {number}", *cells[2 : len(FIELDS)]]
            cells[FIELDS.index("published")] = ""
            cells[FIELDS.index("views")] = ""
            good[starts[-1]] = f"good-{number}"
        writer.writerow([c.replace("\x00", "") for c in cells])
    path = tmp_path_factory.mktemp("fuzz-csv") / "articles.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass", newline="")
    records = list(read_sources([path]))
    assert [record.line for record in records] == starts, (buffer.getvalue(), records)
    for record in records:
        assert (record.article is None) == bool(record.error), record
        if record.line in good:
            assert record.article is not None and record.article.id == good[record.line], record


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(LINES, min_size=1, max_size=10))
@example(  # found by hand before: a lone surrogate in a URL broke every page listing it
    lines=[
        ("fields", {"id": "s1", "title": "Tin", "url": "\ud800", "author": ["\udfff"]}),
        ("fields", {"id": True, "title": "Tin", "views": 1.5, "published": {"k": 1}}),
        ("fields", {"id": "s3", "title": "Tin", "views": 10**30, "category": [None, 1, [2]]}),
        ("bytes", b"\xc3\x28 not UTF-8"),
    ]
)
def test_the_indexer_indexes_every_good_record_reports_every_bad_one_and_every_page_renders(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("fuzz-build")
    path = folder / "articles.jsonl"
    data, good = jsonl_bytes(lines)
    path.write_bytes(data)
    records = list(read_sources([path]))
    report = indexer.build(folder / "ix", [path], jobs=1)  # raises nothing: there is a good article
    skipped = {int(s.where.rsplit(":", 1)[1]) for s in report.skipped}
    articles = {r.line: r.article.id for r in records if r.article is not None}
    assert set(good) <= set(articles) and not skipped & set(good)
    assert report.indexed + len(report.skipped) == len(records)
    for s in report.skipped:
        assert s.where.startswith(f"{path}:") and s.reason

    client = create_app({"INDEX_DIR": str(folder / "ix")}).test_client()
    indexed = {i for line, i in articles.items() if line not in skipped}
    for identifier in indexed:
        response = client.get(f"/api/articles/{urllib.parse.quote(identifier, safe='')}")
        assert response.status_code == 200, (identifier, response.get_data(as_text=True)[:300])
    for page in ("/search?q=", "/search?q=tin", "/search?q=&sort=newest", "/search?q=&sort=views", "/api/search?q="):
        response = client.get(page + "&per_page=50")
        assert response.status_code == 200, (page, response.get_data(as_text=True)[:300])
    assert client.get("/api/search?q=&per_page=50").get_json()["total"] == len(indexed)
