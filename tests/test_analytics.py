"""What visitors search: recorded by the real app and the real server, read back by `search-service stats`."""

from __future__ import annotations

import json
import multiprocessing
import re
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from search_service import indexer
from search_service.analytics import ANALYTICS_FILE, PRUNE_EVERY, SearchLog
from search_service.web import create_app

from .conftest import ARTICLES, running_server
from .test_operations import COMMAND


@pytest.fixture
def index_dir(tmp_path):
    root = tmp_path / "index"
    indexer.build(root, [ARTICLES], jobs=1)
    return root


def rows(folder, app=None) -> list[tuple]:
    if app is not None:
        assert app.extensions["search_log"].flush()  # the writer thread has written what was queued
    with sqlite3.connect(folder / ANALYTICS_FILE) as connection:
        return connection.execute("SELECT query, typed, filters, total, page FROM searches").fetchall()


def test_each_search_is_recorded_without_anything_about_the_visitor(index_dir):
    app = create_app({"INDEX_DIR": str(index_dir)})
    client = app.test_client()
    client.get("/search?q=Cải+cách&category=Cải+cách+hành+chính", headers={"User-Agent": "Zalo", "Cookie": "a=b"})
    client.get("/api/search?q=bong+da&page=1&sort=newest", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    recorded = rows(index_dir, app)
    assert [(query, total) for query, _, _, total, _ in recorded] == [("cai cach", 1), ("bong da", 1)]
    assert json.loads(recorded[0][2]) == {"category": ["Cải cách hành chính"]}
    assert json.loads(recorded[1][2]) == {"sort": "newest"}
    raw = (index_dir / ANALYTICS_FILE).read_bytes()
    assert b"203.0.113.9" not in raw and b"Zalo" not in raw and b"a=b" not in raw


def test_stats_groups_equivalent_queries_and_lists_what_an_editor_needs(index_dir):
    app = create_app({"INDEX_DIR": str(index_dir)})
    client = app.test_client()
    for number, q in enumerate(["Cải  cách", "cai cach", "CẢI CÁCH", "cải cách", "khongcoketqua", "khongcoketqua"]):
        client.get("/search", query_string={"q": q}, environ_base={"REMOTE_ADDR": f"203.0.113.{number}"})
    client.get("/search", query_string={"q": "bóng đá"})
    client.get("/search?q=quận&page=2&per_page=1")
    assert app.extensions["search_log"].flush()
    result = subprocess.run([COMMAND, "stats", "--index-dir", str(index_dir), "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["searches"] == 8
    assert figures["top"][0] == {"query": "cải cách", "searches": 4, "found": 1}
    assert figures["nothing_found"] == [{"query": "khongcoketqua", "searches": 2}]
    assert figures["past_page_one"] == [{"query": "quận", "searches": 1, "deepest": 2}]
    assert figures["per_day"] == [{"day": datetime.now(UTC).date().isoformat(), "searches": 8}]
    text = subprocess.run([COMMAND, "stats", "--index-dir", str(index_dir)], capture_output=True, text=True).stdout
    assert "Queries that found nothing:" in text and "khongcoketqua" in text
    # Searched by enough visitors, a query that found something is shown on the home page.
    assert "Tìm kiếm phổ biến" in client.get("/").get_data(as_text=True)


def test_one_visitor_repeating_a_query_does_not_put_it_on_the_home_page(index_dir):
    # Searching "Đả đảo" ten times from one address put it on the portal's home page, as "Tìm kiếm phổ biến".
    app = create_app({"INDEX_DIR": str(index_dir)})
    client = app.test_client()
    for _ in range(10):
        client.get("/search?q=bóng+đá+quảng+cáo", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert app.extensions["search_log"].flush()
    assert "quảng cáo" not in client.get("/").get_data(as_text=True)
    for visitor in ("198.51.100.8", "198.51.100.9"):
        client.get("/search?q=bóng+đá+quảng+cáo", environ_base={"REMOTE_ADDR": visitor})
    assert app.extensions["search_log"].flush()
    assert "bóng đá quảng cáo" in client.get("/").get_data(as_text=True)
    # Only a hash of each address is kept, under a key of the day that the file holds for the day and the next.
    raw = (index_dir / ANALYTICS_FILE).read_bytes()
    assert b"198.51.100" not in raw
    with sqlite3.connect(index_dir / ANALYTICS_FILE) as connection:
        visitors = {row[0] for row in connection.execute("SELECT visitor FROM searches")}
        days = [row[0] for row in connection.execute("SELECT day FROM visitor_keys")]
    assert len(visitors) == 3 and all(len(v) == 16 for v in visitors)
    assert days == [datetime.now(UTC).date().isoformat()]


def test_behind_a_proxy_visitors_are_told_apart_by_the_address_it_names(index_dir):
    # Behind nginx every request comes from the proxy: counted so, no query would ever be popular. Without a proxy,
    # a client's own X-Forwarded-For is not believed (it could name any address, and a visitor would be many).
    for proxies, expected in ((1, 3), (0, 1)):
        folder = index_dir.parent / f"log-{proxies}"
        app = create_app({"INDEX_DIR": str(index_dir), "PROXIES": proxies, "ANALYTICS_DIR": str(folder)})
        client = app.test_client()
        for visitor in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            client.get("/api/search?q=bóng+đá", headers={"X-Forwarded-For": visitor})
        assert app.extensions["search_log"].flush()
        with sqlite3.connect(folder / ANALYTICS_FILE) as connection:
            assert connection.execute("SELECT COUNT(DISTINCT visitor) FROM searches").fetchone()[0] == expected


def test_an_editor_hides_words_from_the_popular_queries_whoever_searched_them(index_dir):
    # Three visitors were enough to put any words on a government portal's home page, and nothing took them off.
    app = create_app({"INDEX_DIR": str(index_dir)})
    client = app.test_client()
    for number in range(3):
        for q in ("bóng đá", "Cải cách!!"):
            client.get("/search", query_string={"q": q}, environ_base={"REMOTE_ADDR": f"203.0.113.{number}"})
    assert app.extensions["search_log"].flush()

    def popular(*arguments: str) -> subprocess.CompletedProcess:
        command = [COMMAND, "popular", "--index-dir", str(index_dir), *arguments]
        return subprocess.run(command, capture_output=True, text=True)

    def shown() -> list[str]:
        return re.findall(r'<li><a href="[^"]*">([^<]*)</a></li>', client.get("/").get_data(as_text=True))

    assert shown() == ["bóng đá", "cải cách!!"]
    # Hidden in any case or accenting, as whole words whatever stands between them; at once, by a command.
    assert json.loads(popular("--hide", "BONG", "--hide", "cai  CÁCH", "--json").stdout) == {
        "shown": [],
        "hidden": ["bong", "cai cach"],
    }
    assert shown() == [] and "Tìm kiếm phổ biến" not in client.get("/").get_data(as_text=True)
    text = popular("--show", "Bóng").stdout
    assert "bóng đá" in text.split("Hidden words:")[0] and "cai cach" in text.split("Hidden words:")[1]
    assert shown() == ["bóng đá"]
    # Words that are part of another word hide nothing; words with no letter are refused, and nothing changes.
    assert json.loads(popular("--hide", "bon", "--json").stdout)["shown"] == ["bóng đá"]
    refused = popular("--hide", "!!!")
    assert refused.returncode == 2 and "no letter or digit" in refused.stderr
    assert json.loads(popular("--show", "bon", "--json").stdout)["hidden"] == ["cai cach"]


def test_the_queries_visitors_search_most_are_completed_first(index_dir):
    # A district's visitors look for the same few things (a session of the council, a reception's schedule); the box
    # completed what they typed by the words the articles write most. The queries several visitors searched that
    # start as typed now come first, in any accenting, none an editor hid, none one visitor repeated.
    app = create_app({"INDEX_DIR": str(index_dir), "POPULAR_REFRESH": 0})
    client = app.test_client()

    def offered(q: str) -> list[str]:
        return client.get("/api/suggest", query_string={"q": q}).get_json()["suggestions"]

    before = {typed: offered(typed) for typed in ("ky h", "kỳ họp t", "kỳ", "ky hop b")}
    assert not [o for o in before["ky h"] if o.startswith("kỳ họp thứ 12 khóa")], before
    for number in range(3):
        visitor = {"REMOTE_ADDR": f"203.0.113.{number}"}
        client.get("/search", query_string={"q": "kỳ họp thứ 12 khóa XII"}, environ_base=visitor)
        client.get("/search", query_string={"q": "qxzvkw kỳ họp"}, environ_base=visitor)  # found nothing
    for _ in range(5):
        client.get("/search", query_string={"q": "kỳ họp bất thường"}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert app.extensions["search_log"].flush()
    for typed in ("ky h", "kỳ họp t", "kỳ", "KY HOP "):
        found = offered(typed)
        assert found[0] == "kỳ họp thứ 12 khóa xii", (typed, found)
        if typed in before:  # the others as before, after it
            assert found[1:] == [o for o in before[typed] if o != found[0]][: len(found) - 1]
        assert not [o for o in found if "bất thường" in o or "qxzvkw" in o], found
    assert offered("ky hop b") == before["ky hop b"]  # one visitor's query, however often, is none of them
    assert "kỳ họp thứ 12 khóa xii" not in offered("kỷ h")  # a word typed with other marks: another word
    assert "kỳ họp thứ 12 khóa xii" not in offered("-kỳ h")  # a word being excluded: not a query to search
    app.extensions["search_log"].hide("khóa xii")
    assert "kỳ họp thứ 12 khóa xii" not in offered("ky h")
    # Typed without diacritics by most of its visitors, a query is offered, and shown on the home page, as it surely
    # reads: it was shown as typed, *cai cach hanh chinh*.
    # An abbreviation in capitals, as the completions write it (the search log keeps queries in lower case).
    for number in range(3):
        visitor = {"REMOTE_ADDR": f"192.0.2.{number}"}
        client.get("/search", query_string={"q": "cai cach hanh chinh"}, environ_base=visitor)
        client.get("/search", query_string={"q": "UBND quận"}, environ_base=visitor)
    assert app.extensions["search_log"].flush()
    assert offered("cai")[0] == "cải cách hành chính" and offered("ubnd q")[0] == "UBND quận"
    home = client.get("/").get_data(as_text=True)
    shown = re.findall(r'<li><a href="[^"]*">([^<]*)</a></li>', home.split('id="popular-title"')[1])
    assert "cải cách hành chính" in shown and "UBND quận" in shown
    assert "cai cach hanh chinh" not in shown and "ubnd quận" not in shown


def test_a_file_recorded_before_visitors_were_counted_is_read_and_written_on(index_dir):
    with sqlite3.connect(index_dir / ANALYTICS_FILE) as connection:
        connection.execute(
            "CREATE TABLE searches (at TEXT NOT NULL, query TEXT NOT NULL, typed TEXT NOT NULL, filters TEXT NOT NULL, "
            "total INTEGER NOT NULL, page INTEGER NOT NULL, took_ms REAL NOT NULL)"
        )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        connection.executemany("INSERT INTO searches VALUES (?, 'bong da', 'bóng đá', '{}', 1, 1, 1.0)", [(now,)] * 5)
    log = SearchLog(index_dir)
    assert log.popular() == []  # five searches by one unknown visitor
    for visitor in ("192.0.2.1", "192.0.2.2"):
        log.record("bóng đá", {}, 1, 1, 1.0, visitor)
    assert log.flush()
    assert log.popular() == ["bóng đá"] and log.stats()["searches"] == 7


def test_retention_removes_old_searches(index_dir):
    log = SearchLog(index_dir, retention_days=90)
    log.record("cũ", {}, 1, 1, 1.0)
    assert log.flush()
    with sqlite3.connect(index_dir / ANALYTICS_FILE) as connection:
        old = (datetime.now(UTC) - timedelta(days=91)).isoformat(timespec="seconds")
        connection.execute("UPDATE searches SET at = ?", (old,))
    for _ in range(PRUNE_EVERY):  # removal runs as new searches come in
        log.record("mới", {}, 1, 1, 1.0)
    assert log.flush()
    assert {query for query, *_ in rows(index_dir)} == {"moi"}


def test_the_off_switch_records_nothing_and_a_failure_to_record_fails_no_search(index_dir, tmp_path):
    client = create_app({"INDEX_DIR": str(index_dir), "ANALYTICS": False}).test_client()
    assert client.get("/search?q=bóng+đá").status_code == 200
    assert not (index_dir / ANALYTICS_FILE).exists()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    client = create_app({"INDEX_DIR": str(index_dir), "ANALYTICS_DIR": str(blocked)}).test_client()
    assert client.get("/search?q=bóng+đá").status_code == 200
    assert client.get("/api/search?q=bóng+đá").get_json()["total"] == 1


def _recording(folder: str, first: int, ready) -> None:
    """A worker's searches, from the moment its process starts (``test_two_workers_writing_…``)."""
    log = SearchLog(folder)
    ready.wait()
    for n in range(first, first + 60):
        log.record(f"q {n}", {}, 1, 1, 1.0, visitor=f"10.0.0.{n % 7}")
        if n % 10 == 0:
            time.sleep(0.001)  # a few batches each
    assert log.flush()


def test_two_workers_writing_their_first_searches_at_once_lose_none(tmp_path):
    # A worker opening the file while the other wrote it was refused at once ("database is locked": the switch to
    # WAL waits for no lock), and its batch given up: a few searches of every forty pairs of fresh workers were lost.
    for trial in range(40):
        folder = tmp_path / str(trial)
        ready = multiprocessing.Barrier(2)
        workers = [multiprocessing.Process(target=_recording, args=(str(folder), n, ready)) for n in (0, 1000)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
            assert worker.exitcode == 0
        with sqlite3.connect(folder / ANALYTICS_FILE) as connection:
            assert connection.execute("SELECT count(*) FROM searches").fetchone()[0] == 120, trial


@pytest.mark.slow
def test_several_real_workers_recording_at_once_lose_no_search(index_dir):
    queries = [f"tìm kiếm {n}" for n in range(240)]
    with running_server(index_dir, workers=2) as base:

        def search(q: str) -> int:
            url = base + "/api/search?" + urllib.parse.urlencode({"q": q})
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(search, queries)) == {200}
    # The server stopped at once: each worker wrote what it had queued as it stopped (gunicorn's worker_exit).
    recorded = sorted(typed for _, typed, *_ in rows(index_dir))
    assert recorded == sorted(queries)
