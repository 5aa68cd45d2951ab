"""Relevance examples: queries whose right article must stay first, however the visitor types them.

The bundled sample (VNTC) plus the portal page and the test articles; each query is tried as written, lower-cased,
and lower-cased without diacritics. `bench/relevance.py` measures relevance at scale; these pin examples down.
"""

from __future__ import annotations

import pytest

from search_service import indexer
from search_service.analysis import fold_diacritics
from search_service.config import SAMPLE_DIR
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine

from .conftest import ARTICLES

EXAMPLES = [
    ("cải cách hành chính Ngũ Hành Sơn", "portal_page_example"),
    ("Chỉ thị 29-CT/TU", "portal_page_example"),
    ("kế hoạch CCHC năm 2023", "cchc-2023"),
    ("HĐND khai mạc kỳ họp", "hdnd-ky-hop"),
    ("Nghị định 12/2023/NĐ-CP", "nghi-dinh"),
    ("đội tuyển bóng đá thắng", "bong-da"),
    ("an toàn hóa chất", "hoa-chat"),
    ("giống voi không ngà", "vntc-test-KH-KH_TT_T_1837"),
    ("hai cô bé người Nga", "vntc-test-DS-DS_TN_T_581"),
    ("vàng Ngọc Hà", "vntc-test-PL-PL_TT_T_3286"),
    ("thất thoát tiền huy động TPCP", "vntc-test-KD-KD_VNE_T_520"),
    ("xuất khẩu lốp ôtô Ai Cập", "vntc-test-KD-KD_VNE_T_666"),
    ("Đại học Ohio", "vntc-test-SK-SK_TN_T_5899"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("relevance-index")
    indexer.build(root, [SAMPLE_DIR, ARTICLES], jobs=0)
    return SearchEngine(root)


@pytest.mark.parametrize("form", ["as written", "lowercase", "no diacritics"])
@pytest.mark.parametrize(("query", "expected"), EXAMPLES)
def test_the_right_article_stays_first(engine, query, expected, form):
    typed = {"as written": query, "lowercase": query.lower(), "no diacritics": fold_diacritics(query.lower())}[form]
    hits = engine.search(SearchRequest(q=typed, per_page=3))["hits"]
    assert hits and hits[0]["id"] == expected, [h["title"][:60] for h in hits]
