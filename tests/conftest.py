"""Shared fixtures: real articles, a real Whoosh index in a temporary folder, the real command line."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from search_service import indexer
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine

DATA = Path(__file__).parent / "data"
ARTICLES = DATA / "articles.jsonl"
PORTAL_PAGE = DATA / "portal_page_example.txt"


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def build_engine(root: Path, sources: list[Path]) -> SearchEngine:
    indexer.build(root, sources, jobs=1)
    return SearchEngine(root)


def ids(engine: SearchEngine, q: str = "", **fields) -> list[str]:
    """The ids found for a query, best first."""
    result = engine.search(SearchRequest(q=q, per_page=100, **fields))
    return [hit["id"] for hit in result["hits"]]


@pytest.fixture(scope="session")
def engine(tmp_path_factory) -> SearchEngine:
    """The test articles and the portal page, indexed once for the read-only tests."""
    root = tmp_path_factory.mktemp("index")
    return build_engine(root, [ARTICLES, PORTAL_PAGE])


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@contextlib.contextmanager
def running_server(index_dir: Path, workers: int = 2) -> Iterator[str]:
    """`search-service serve` in its own process on a free local port; yields its base URL, then stops it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = shutil.which("search-service") or str(Path(sys.executable).with_name("search-service"))
    process = subprocess.Popen(
        [command, "serve", "--index-dir", str(index_dir), "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("the server did not answer /healthz")
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
