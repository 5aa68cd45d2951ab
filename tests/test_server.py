"""The real server: `search-service serve` in its own process (gunicorn), queried over HTTP on localhost."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from search_service import indexer

from .conftest import ARTICLES, PORTAL_PAGE, running_server


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def server(tmp_path):
    index_dir = tmp_path / "index"
    indexer.build(index_dir, [ARTICLES, PORTAL_PAGE], jobs=1)
    with running_server(index_dir) as base:
        yield base, index_dir


@pytest.mark.slow
def test_served_search_over_http(server):
    base, _ = server
    status, health = get(base + "/healthz")
    assert (status, health) == (200, {"status": "ok", "articles": 12})
    status, data = get(base + "/api/search?" + urllib.parse.urlencode({"q": "cai cach hanh chinh", "per_page": 3}))
    assert status == 200
    assert data["hits"][0]["id"] == "cchc-2023" and "<mark>" in data["hits"][0]["snippet"]
    assert data["suggestion"] == "cải cách hành chính"
    status, error = get(base + "/api/search?per_page=500")
    assert status == 400 and error["error"]["code"] == "bad_per_page"
    status, suggestions = get(base + "/api/suggest?q=bong")
    assert status == 200 and "bóng đá" in suggestions["suggestions"]


@pytest.mark.slow
def test_served_index_switches_to_a_rebuilt_one_without_restart(server, tmp_path):
    base, index_dir = server
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"id": "moi", "title": "Khánh thành cầu Rồng mới"}\n', encoding="utf-8")
    indexer.build(index_dir, [ARTICLES, extra], jobs=1)
    for _ in range(4):  # each of the two workers sees the new generation on its next request
        status, data = get(base + "/api/search?" + urllib.parse.urlencode({"q": "cầu Rồng"}))
        assert status == 200 and [hit["id"] for hit in data["hits"]] == ["moi"]
    assert get(base + "/healthz")[1]["articles"] == 12


@pytest.mark.slow
def test_slow_clients_do_not_keep_other_visitors_waiting(server):
    # Slowloris: connections that send their request one header line at a time. A sync worker reads one request
    # at a time, so a few such clients held both workers and every other visitor waited (58 s for /healthz).
    base, _ = server
    port = int(base.rsplit(":", 1)[1])
    stop = threading.Event()
    slow = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(6)]

    def trickle() -> None:
        for sock in slow:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while not stop.wait(1.0):
            for sock in slow:
                with contextlib.suppress(OSError):
                    sock.sendall(b"X-Slow: 1\r\n")

    thread = threading.Thread(target=trickle)
    thread.start()
    try:
        time.sleep(1.5)  # every slow connection accepted and reading its headers
        for _ in range(3):
            started = time.monotonic()
            status, health = get(base + "/healthz")
            assert status == 200 and health["status"] == "ok"
            assert time.monotonic() - started < 2.0  # milliseconds; tens of seconds behind slow clients before
            time.sleep(0.5)
    finally:
        stop.set()
        thread.join()
        for sock in slow:
            sock.close()


@pytest.mark.slow
def test_a_url_too_long_and_options_answer_like_the_rest_of_the_api(server):
    base, _ = server
    status, error = get(base + "/api/search?" + urllib.parse.urlencode({"q": "cải cách " * 200}))  # 4,400 bytes
    assert status == 414 and error["error"]["code"] == "request_uri_too_long"
    assert "URL" in error["error"]["message"] and "/" in error["error"]["message"]  # Vietnamese / English
    request = urllib.request.Request(base + "/api/search", method="OPTIONS")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204 and response.read() == b""
        assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "OPTIONS"}
