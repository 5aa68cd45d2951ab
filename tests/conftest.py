"""Shared fixtures: real articles, a real Whoosh index in a temporary folder, the real command line."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema

from search_service import indexer, store, vocabulary
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine, copies_of
from search_service.whoosh_ext.codec import PostingCodec

DATA = Path(__file__).parent / "data"
ARTICLES = DATA / "articles.jsonl"
PORTAL_PAGE = DATA / "portal_page_example.txt"


def notice(month: int) -> dict:
    """A district's monthly notice of its citizens' reception days."""
    return {"title": "Thông báo lịch tiếp công dân", "body": f"UBND huyện thông báo lịch tiếp công dân tháng {month}."}


# One notice republished: by the district's office (two dates), a ward and the city's portal, each with its own id,
# address and category; as the portal network's export gives them, in no particular order.
REPUBLISHED = [
    {"id": "tb-d", **notice(6), "category": "Phường 1"},
    {"id": "tb-b", **notice(6), "published": "02/06/2023", "category": "Văn phòng"},
    {"id": "tb-c", **notice(6), "category": "Cổng thành phố", "url": "https://tp.example.gov.vn/tb"},
    {"id": "tb-a", **notice(6), "published": "20/05/2023", "category": "Văn phòng"},
]
OTHER_NOTICE = {"id": "tb-7", **notice(7), "published": "01/07/2023", "category": "Văn phòng"}


# Twelve reports whose bodies write *tham nhũng*, which `tham nhung` typed without diacritics surely reads on their
# index, and one visit whose title says *Thăm những*: no title holds *tham nhũng*.
CORRUPTION_REPORTS = [
    {
        "id": f"pc-{n}",
        "title": f"Hội nghị tổng kết công tác quý {n}",
        "body": f"Hội nghị bàn về phòng chống tham nhũng trong quý {n}. Công tác phòng chống tham nhũng được "
        "đẩy mạnh, các vụ tham nhũng được xử lý nghiêm.",
    }
    for n in range(1, 13)
] + [{"id": "tham-1", "title": "Thăm những gia đình khó khăn", "body": "Đoàn công tác đến thăm."}]


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def save_older_vocabulary(index_dir: Path) -> None:
    """Save the index's vocabulary again as an earlier version would have (``VOCABULARY_VERSION`` one less): what an
    upgrade whose vocabulary differs finds beside the index."""
    generation = store.current_generation(index_dir)
    state = store.open_index(index_dir).latest_generation()
    current = vocabulary.saved_vocabulary(generation, state)
    assert current is not None
    with mock.patch.object(vocabulary, "VOCABULARY_VERSION", vocabulary.VOCABULARY_VERSION - 1):
        vocabulary.write_vocabulary(generation, current, state)
    assert vocabulary.saved_vocabulary(generation, state) is None


def build_engine(root: Path, sources: list[Path]) -> SearchEngine:
    indexer.build(root, sources, jobs=1)
    return SearchEngine(root)


def ids(engine: SearchEngine, q: str = "", **fields) -> list[str]:
    """The ids found for a query, best first."""
    result = engine.search(SearchRequest(q=q, per_page=100, **fields))
    return [hit["id"] for hit in result["hits"]]


def shown_once(searcher, hits: Iterable[Any]) -> list[int]:
    """Of the articles of Whoosh's hits, those a results list shows, in order: one of each group of copies, exact or
    near, the best scoring (``searcher.Copies.collapse``)."""
    scores = {hit.docnum: hit.score for hit in hits}
    ascending = np.array(sorted(scores), dtype=np.int64)
    shown = ascending[copies_of(searcher).collapse(ascending, None, np.array([scores[d] for d in ascending.tolist()]))]
    kept = set(shown.tolist())
    return [docnum for docnum in scores if docnum in kept]


def with_copies(engine: SearchEngine, found: Iterable[str]) -> set[str]:
    """The articles found and the copies named under them (exact or near): what a visitor reaches from the list."""
    searcher = engine.searcher()
    copies = copies_of(searcher)
    reached = set(found)
    for key in list(reached):
        reached.update(searcher.stored_fields(other)["id"] for other in copies.of(searcher.document_number(id=key)))
    return reached


@pytest.fixture(scope="session")
def engine(tmp_path_factory) -> SearchEngine:
    """The test articles and the portal page, indexed once for the read-only tests."""
    root = tmp_path_factory.mktemp("index")
    return build_engine(root, [ARTICLES, PORTAL_PAGE])


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@contextlib.contextmanager
def running_server(index_dir: Path, workers: int = 2, output: list[str] | None = None) -> Iterator[str]:
    """`search-service serve` in its own process on a free local port; yields its base URL, then stops it (and adds
    what it wrote, its log and its access log, to ``output``)."""
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
        written, _ = process.communicate(timeout=30)
        if output is not None:
            output.append(written.decode("utf-8", "replace"))


WORDS = [f"w{i}" for i in range(30)]


@pytest.fixture(scope="module", params=[PostingCodec, W3Codec])
def corpus(tmp_path_factory, request):
    """A seeded corpus of made-up words, for comparisons with Whoosh: 1,500 documents of 1 to 40 words, and a query
    with an optional part (seed 15: one that Whoosh gets wrong); written in this project's posting format and in
    Whoosh's own."""
    rnd = random.Random(15)
    ix = whoosh_index.create_in(
        str(tmp_path_factory.mktemp("ranking")), Schema(id=ID(stored=True), title=TEXT, body=TEXT)
    )
    with ix.writer(codec=request.param()) as writer:
        for number in range(1500):
            vocabulary = WORDS[: rnd.randint(3, 30)]
            writer.add_document(
                id=str(number), body=" ".join(rnd.choice(vocabulary) for _ in range(rnd.randint(1, 40)))
            )
    with ix.writer(codec=request.param()) as writer:  # a few deleted articles, as a rebuild leaves them
        for number in range(0, 1500, 97):
            writer.delete_by_term("id", str(number))
    query = Q.AndMaybe(
        Q.Or([Q.Term("body", w) for w in rnd.sample(WORDS, 4)]), Q.Or([Q.Term("body", w) for w in rnd.sample(WORDS, 4)])
    )
    return ix, query


def rounded(top):
    return [(round(score, 9), docnum) for score, docnum in top]


SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
VNTC_SLICE = 4000  # real articles: enough for a cost that grows with the index to show


def vntc_records(count: int) -> list[dict]:
    """The first ``count`` VNTC training articles (../shared/data, as CI lays it beside the checkout)."""
    import gzip

    with gzip.open(SHARED_DATA / "vntc" / "vntc_train.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [json.loads(line) for _, line in zip(range(count), lines, strict=False)]


@pytest.fixture(scope="session")
def vntc_engine(tmp_path_factory) -> Iterator[SearchEngine]:
    """The first 4,000 VNTC training articles, indexed once per test session: the index on which a cost that grows
    with the index is measured."""
    source = tmp_path_factory.mktemp("vntc") / "vntc.jsonl"
    records = vntc_records(VNTC_SLICE)
    articles = [{"id": r["id"], "title": r["title"], "body": r["text"], "category": r["category"]} for r in records]
    write_jsonl(source, articles)
    root = tmp_path_factory.mktemp("vntc-index")
    indexer.build(root, [source])
    engine = SearchEngine(root)
    yield engine
    engine.close()
