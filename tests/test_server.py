"""The real server: `search-service serve` in its own process (gunicorn), queried over HTTP on localhost."""

from __future__ import annotations

import json
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
