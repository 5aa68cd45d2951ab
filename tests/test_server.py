"""The real server: `search-service serve` in its own process (gunicorn), queried over HTTP on localhost."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from search_service import indexer, store, vocabulary
from search_service.analytics import ANALYTICS_FILE, SearchLog

from .conftest import ARTICLES, PORTAL_PAGE, running_server, save_older_vocabulary

ROOT = Path(__file__).resolve().parent.parent


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
    assert data["query"]["q"] == "cải cách hành chính" and data["query"]["corrected_from"] == "cai cach hanh chinh"
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
    with slow_clients(int(base.rsplit(":", 1)[1]), 6):
        for _ in range(3):
            started = time.monotonic()
            status, health = get(base + "/healthz")
            assert status == 200 and health["status"] == "ok"
            assert time.monotonic() - started < 2.0  # milliseconds; tens of seconds behind slow clients before
            time.sleep(0.5)


@pytest.mark.slow
def test_clients_that_keep_their_socket_after_the_answer_keep_no_other_visitor_waiting(tmp_path):
    # gunicorn closes a connection that asked to be closed by waiting up to 2 s for the client to close its side,
    # on the thread that accepts every connection of the worker: a script that read its answer and kept the socket
    # made the worker's next visitors wait those 2 s, each time. More such clients than the worker has threads, in
    # less than those 2 s, hold none of them either.
    index_dir = tmp_path / "index"
    indexer.build(index_dir, [ARTICLES, PORTAL_PAGE], jobs=1)
    with running_server(index_dir, workers=1) as base:
        port = int(base.rsplit(":", 1)[1])
        kept = []
        try:
            for _ in range(12):  # the worker has 8 threads
                started = time.monotonic()
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                kept.append(sock)
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                answer = b""
                while b'"status"' not in answer:
                    answer += sock.recv(65536)
                assert answer.startswith(b"HTTP/1.1 200") and time.monotonic() - started < 1.0
                started = time.monotonic()
                status, health = get(base + "/healthz")
                assert status == 200 and health["status"] == "ok"
                assert time.monotonic() - started < 1.0  # milliseconds; 2 s behind each kept socket before
            # Each had 2 s to close its side; then the server has closed its own (none is left open, a descriptor
            # held): what a client sends now is refused.
            time.sleep(2.5)
            for sock in kept:
                with pytest.raises((ConnectionResetError, BrokenPipeError)):
                    for _ in range(2):  # the first is refused with a reset, which the second meets
                        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
                        time.sleep(0.05)
        finally:
            for sock in kept:
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


@contextlib.contextmanager
def slow_clients(port: int, count: int) -> Iterator[None]:
    """``count`` connections that send a request one header line a second and never finish it (slowloris)."""
    stop = threading.Event()
    slow = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]

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
        yield
    finally:
        stop.set()
        thread.join()
        for sock in slow:
            sock.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def nginx_in_front(base: str, folder: Path) -> Iterator[str]:
    """deploy/nginx.conf, as docker-compose.yml runs it, in front of a running server; yields its base URL."""
    port = free_port()
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "server web:8000;" in config and "listen 8000;" in config
    config = config.replace("server web:8000;", f"server {base.removeprefix('http://')};")
    config = config.replace("listen 8000;", f"listen 127.0.0.1:{port};")
    (folder / "nginx.conf").write_text(config, encoding="utf-8")
    process = subprocess.Popen(
        [
            shutil.which("nginx") or "/usr/sbin/nginx",
            "-c",
            str(folder / "nginx.conf"),
            "-p",
            str(folder),
            "-g",
            f"daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;",
        ],
        start_new_session=True,
    )
    proxied = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not _answers(proxied):
            assert time.monotonic() < deadline and process.poll() is None, "nginx did not start"
            time.sleep(0.2)
        yield proxied
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/healthz", timeout=2)
        return True
    except (urllib.error.URLError, ConnectionError):
        return False


def waits(url: str, seconds: float) -> bool:
    """Whether a request to ``url`` is still unanswered after ``seconds``."""
    try:
        urllib.request.urlopen(url, timeout=seconds)
    except TimeoutError:
        return True
    except urllib.error.URLError as error:
        return isinstance(error.reason, TimeoutError)
    return False


@pytest.mark.slow
def test_behind_the_compose_proxy_more_slow_clients_than_threads_keep_no_visitor_waiting(tmp_path):
    index_dir = tmp_path / "index"
    indexer.build(index_dir, [ARTICLES, PORTAL_PAGE], jobs=1)
    with running_server(index_dir, workers=1) as base, nginx_in_front(base, tmp_path) as proxied:
        with slow_clients(int(base.rsplit(":", 1)[1]), 20):  # straight to gunicorn, they hold all 8 threads
            assert waits(base + "/healthz", 3.0)
        with slow_clients(int(proxied.rsplit(":", 1)[1]), 100):  # through nginx, they wait in nginx
            for _ in range(3):
                started = time.monotonic()
                status, health = get(proxied + "/healthz")
                assert status == 200 and health["articles"] == 12
                assert time.monotonic() - started < 2.0
            status, data = get(proxied + "/api/search?q=cai+cach+hanh+chinh")
            assert status == 200 and data["hits"][0]["id"] == "cchc-2023"


def _get_from(address: str, url: str, headers: dict | None = None) -> str:
    """GET ``url`` from a connection bound to the local ``address`` (any of 127.0.0.0/8 is this machine's)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10, source_address=(address, 0))
    try:
        connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers or {})
        response = connection.getresponse()
        assert response.status == 200
        return response.read().decode()
    finally:
        connection.close()


@pytest.mark.slow
def test_the_access_log_names_no_visitor(tmp_path):
    # README: "Queries appear in the access log as part of the URL; nothing else a visitor sends". gunicorn's own
    # line began with the client's address and ended with its user agent.
    index_dir = tmp_path / "index"
    indexer.build(index_dir, [ARTICLES], jobs=1)
    written: list[str] = []
    with running_server(index_dir, workers=1, output=written) as base:
        request = urllib.request.Request(
            base + "/api/search?q=b%C3%B3ng+%C4%91%C3%A1",
            headers={"User-Agent": "Zalo/23.1", "Referer": "https://portal.example.vn/trang-chu"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    output = written[0]
    line = next(line for line in output.splitlines() if "/api/search?q=" in line)
    assert '"GET /api/search?q=b%C3%B3ng+%C4%91%C3%A1 HTTP/1.1" 200' in line
    assert "127.0.0.1" not in line and "Zalo" not in line and "portal.example.vn" not in line


@pytest.mark.slow
def test_the_served_app_takes_its_settings_from_the_environment(tmp_path, monkeypatch):
    # As docker-compose.yml gives them: `serve` passed its flags alone to the app, whose pages named no portal and
    # whose searches were written to the read-only index volume, that is, not at all.
    monkeypatch.setenv("SEARCH_SERVICE_SITE_NAME", "Cổng thông tin quận Hải Châu")
    monkeypatch.setenv("SEARCH_SERVICE_ANALYTICS_DIR", str(tmp_path / "analytics"))
    index_dir = tmp_path / "index"
    indexer.build(index_dir, [ARTICLES], jobs=1)
    with running_server(index_dir, workers=1) as base:
        with urllib.request.urlopen(base + "/search?q=b%C3%B3ng+%C4%91%C3%A1", timeout=10) as response:
            assert "<title>bóng đá – Cổng thông tin quận Hải Châu</title>" in response.read().decode()
    assert SearchLog(tmp_path / "analytics").stats()["searches"] >= 1  # the worker wrote its searches as it stopped
    assert not (index_dir / ANALYTICS_FILE).exists()


@pytest.mark.slow
def test_behind_the_compose_proxy_a_query_is_popular_once_several_visitors_searched_it(tmp_path, monkeypatch):
    # docker-compose.yml's settings: nginx in front, SEARCH_SERVICE_PROXIES=1. A visitor is the address nginx saw,
    # whatever X-Forwarded-For the visitor sent; three searches from one address are one visitor's.
    monkeypatch.setenv("SEARCH_SERVICE_PROXIES", "1")
    index_dir = tmp_path / "index"
    indexer.build(index_dir, [ARTICLES], jobs=1)
    search = "/search?q=b%C3%B3ng+%C4%91%C3%A1"
    with running_server(index_dir, workers=2) as base, nginx_in_front(base, tmp_path) as proxied:
        for claimed in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            _get_from("127.0.0.2", proxied + search, {"X-Forwarded-For": claimed})
        deadline = time.monotonic() + 10
        while SearchLog(index_dir).stats()["searches"] < 3:  # written by the workers' writer threads
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert "Tìm kiếm phổ biến" not in _get_from("127.0.0.2", proxied + "/")
        for address in ("127.0.0.3", "127.0.0.4"):
            _get_from(address, proxied + search)
        while "Tìm kiếm phổ biến" not in _get_from("127.0.0.5", proxied + "/"):
            assert time.monotonic() < deadline + 10
            time.sleep(0.1)


@pytest.mark.slow
def test_a_url_over_any_limit_answers_the_service_error_shape_with_or_without_the_proxy(server, tmp_path):
    base, _ = server
    path = "/api/search?" + urllib.parse.urlencode({"q": "cải cách " * 400})  # 8,800 bytes: over gunicorn's 8,190
    with nginx_in_front(base, tmp_path) as proxied:
        for url in (base + path, proxied + path):
            status, error = get(url)
            assert status == 414 and error["error"]["code"] == "request_uri_too_long", url
            assert "URL" in error["error"]["message"] and " / " in error["error"]["message"]


ARENA_PROBE = """
import ctypes, sys, threading
from search_service.web.server import limit_malloc_arenas
print(limit_malloc_arenas() if sys.argv[1] == "limited" else None, flush=True)
together = threading.Barrier(8)
def serve_requests():  # a worker's threads, each allocating what a request does while the others are alive
    kept = [bytes(70_000) for _ in range(10)]
    together.wait()
ts = [threading.Thread(target=serve_requests) for _ in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
ctypes.CDLL(None).malloc_stats()
"""


def _arenas(how: str, **env: str) -> tuple[str, int]:
    """What limit_malloc_arenas answered in a process of 8 threads, and how many malloc arenas the process had."""
    done = subprocess.run(
        [sys.executable, "-c", ARENA_PROBE, how], capture_output=True, text=True, env={**os.environ, **env}, check=True
    )
    return done.stdout.strip(), sum(line.startswith("Arena ") for line in done.stderr.splitlines())


def test_a_worker_s_threads_share_two_malloc_arenas_unless_the_admin_chose():
    # glibc gives each thread an arena of its own (up to 8 per core), each keeping the peak of the requests it
    # served: a worker's 8 threads held 100-150 MB more on all of VNTC. `serve` sets the limit before it forks.
    answered, arenas = _arenas("unlimited")
    assert arenas > 4, arenas  # what a worker's threads would hold without the limit
    answered, arenas = _arenas("limited")
    assert (answered, arenas) == ("True", 2)
    answered, arenas = _arenas("limited", MALLOC_ARENA_MAX="3")  # the administrator's own choice stands
    assert answered == "False" and arenas == 3


def _served_output(index_dir: Path, workers: int = 2) -> str:
    """What ``search-service serve`` writes from its start (each worker loads the vocabulary as it starts) until it
    has answered searches typed without diacritics and is stopped."""
    output: list[str] = []
    with running_server(index_dir, workers, output) as base:
        for _ in range(4):
            status, data = get(base + "/api/search?q=cai+cach+hanh+chinh&per_page=1")
            assert status == 200 and data["hits"][0]["id"] == "cchc-2023", data
    return output[0]


@pytest.mark.slow
def test_after_an_upgrade_the_vocabulary_is_saved_once_before_the_workers_start(tmp_path):
    # An upgrade whose model or completions differ finds a vocabulary of an older version beside the index. Each
    # worker would read the index's lexicons and text itself, at every start until the index next changes (on 82,000
    # VNTC articles half a minute and 1.3 GB at its peak, a worker); `serve` saves it once before they start.
    index_dir = tmp_path / "index"
    indexer.build(index_dir, [ARTICLES], jobs=1)
    save_older_vocabulary(index_dir)
    generation = store.current_generation(index_dir)
    state = store.open_index(index_dir).latest_generation()
    # An indexer holding the index saves the vocabulary after its commit: the server starts without waiting for it,
    # its workers reading the vocabulary themselves.
    with store.write_lock(index_dir):
        output = _served_output(index_dir)
    assert "the vocabulary was not saved" in output and "reading the vocabulary of" in output, output
    assert vocabulary.saved_vocabulary(generation, state) is None
    output = _served_output(index_dir)
    assert output.count("saving the vocabulary of") == 1 and "reading the vocabulary of" not in output, output
    assert vocabulary.saved_vocabulary(generation, state) is not None
    # Saved, the next start reads nothing from the index.
    output = _served_output(index_dir)
    assert "saving the vocabulary of" not in output and "reading the vocabulary of" not in output, output
