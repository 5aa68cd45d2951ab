"""Shared fixtures: real articles, a real Whoosh index in a temporary folder, the real command line."""

from __future__ import annotations

import json
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
