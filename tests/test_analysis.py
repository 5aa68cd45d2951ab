"""The Vietnamese analysis, shown through what a visitor finds in a real index."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import unicodedata

import pytest

from search_service.analysis import (
    CLAUSE_TERM,
    AnalyzedText,
    analyze,
    fold_diacritics,
    normalize_text,
    split_syllables,
    term_positions,
    terms,
)
from search_service.query import SearchRequest, load_synonyms
from search_service.schema import build_schema

from .conftest import VNTC_SLICE, build_engine, ids, vntc_records, with_copies, write_jsonl


def test_nfd_query_finds_nfc_text_and_nfd_text_is_found_by_nfc_query(tmp_path):
    nfc = "Lễ hội văn hóa tại tỉnh Hoà Bình"
    nfd_article = {"id": "nfd", "title": unicodedata.normalize("NFD", "Hội nghị ở Thuận Hoà")}
    engine = build_engine(tmp_path, [write_jsonl(tmp_path / "a.jsonl", [{"id": "nfc", "title": nfc}, nfd_article])])
    assert ids(engine, unicodedata.normalize("NFD", "Hoà Bình")) == ["nfc"]
    assert ids(engine, "Thuận Hoà") == ["nfd"]
    # The stored title comes back exactly as it was given.
    assert engine.search(SearchRequest(q="Thuận"))["hits"][0]["title"] == nfd_article["title"]


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("uỷ", "ủy"), ("khoẻ", "khỏe"), ("qúy", "quý"), ("Thành Uỷ", "Thành ủy")],
)
def test_old_and_new_tone_placement_are_the_same_word(old, new):
    assert normalize_text(old) == normalize_text(new)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("thủy lợi", "thuy-loi"), ("khỏe khoắn", "thuy-loi"), ("Ủy ban", "uy-ban"), ("qúy I", "uy-ban")],
)
def test_a_query_in_one_tone_placement_finds_text_in_the_other(engine, query, expected):
    assert ids(engine, query)[:1] == [expected]


def test_lowercase_query_finds_and_ranks_cased_text_like_the_cased_query(tmp_path):
    articles = [
        {"id": "nhs", "title": "Quận Ngũ Hành Sơn ra mắt mô hình dân vận khéo"},
        {"id": "other", "title": "Du lịch Sơn Trà và những ngũ cốc đặc sản"},
    ]
    engine = build_engine(tmp_path, [write_jsonl(tmp_path / "a.jsonl", articles)])
    cased = engine.search(SearchRequest(q="Ngũ Hành Sơn"))["hits"]
    lowered = engine.search(SearchRequest(q="ngũ hành sơn"))["hits"]
    assert [h["id"] for h in cased] == [h["id"] for h in lowered] == ["nhs"]
    assert cased[0]["score"] == lowered[0]["score"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cai cach hanh chinh", "cchc-2023"),
        ("CAI CACH HANH CHINH", "cchc-2023"),
        ("da nang", "da-nang"),
        ("bong da viet nam", "bong-da"),
    ],
)
def test_queries_without_diacritics_find_accented_text(engine, query, expected):
    assert ids(engine, query)[:1] == [expected]


def test_d_and_dj_fold_together():
    assert fold_diacritics("Đà Nẵng đô thị") == "Da Nang do thi"


def test_a_syllable_typed_with_diacritics_means_those_diacritics(engine):
    # "hòa" is Hoà Bình's word in the other tone placement; hóa (chemistry) and họa (painting) are other words.
    assert ids(engine, "hòa") == ["hoa-binh"]
    assert "hoa-binh" not in ids(engine, "họa") and ids(engine, "họa sĩ") == ["hoa-si"]
    # Another accenting only when nothing holds the syllable as typed, and then the search says so.
    result = engine.search(SearchRequest(q="hỏa"))
    assert result["query"]["other_diacritics"] and {"hoa-binh", "hoa-chat", "hoa-si"} <= {
        hit["id"] for hit in result["hits"]
    }
    assert not engine.search(SearchRequest(q="hòa"))["query"]["other_diacritics"]
    assert "hoa-chat" in ids(engine, "hoa")  # typed without diacritics, every accenting matches


def test_i_and_y_spellings_of_one_syllable_find_and_mark_each_other(tmp_path):
    """kĩ/kỹ, quí/quý, qui/quy, tỉ/tỷ, sĩ/sỹ are one syllable spelt two ways: either finds both, with or without
    diacritics, and each article shows and marks its own spelling. tai (ear) and tay (hand) stay two words."""
    articles = [
        {"id": "ky", "title": "Hội thảo nông nghiệp", "body": "Chuyển giao kỹ thuật. Quy định về quỹ đất, 5 tỷ đồng."},
        {"id": "ki", "title": "Tập huấn cho nông dân", "body": "Chuyển giao kĩ thuật. Qui định về quĩ đất, 5 tỉ đồng."},
        {"id": "si", "title": "Bác sĩ trẻ về xã", "body": "Vệ sinh tay đúng cách."},
        {"id": "sy", "title": "Bác sỹ trẻ về huyện", "body": "Khám tai mũi họng miễn phí."},
    ]
    engine = build_engine(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", articles)])
    for query in ("kĩ thuật", "kỹ thuật", "ki thuat", "ky thuat", "qui định", "quy dinh", "5 tỉ đồng", "ty dong"):
        assert sorted(ids(engine, query)) == ["ki", "ky"], query
    assert sorted(ids(engine, '"kĩ thuật"')) == ["ki", "ky"]  # a phrase too
    assert sorted(ids(engine, "bác sỹ")) == sorted(ids(engine, "bac si")) == ["si", "sy"]
    assert ids(engine, "tai") == ["sy"] and ids(engine, "tay") == ["si"]
    result = engine.search(SearchRequest(q="kĩ thuật"))
    assert not result["query"]["other_diacritics"] and not result["query"].get("suggestion")
    marked = {hit["id"]: re.findall(r"<mark>(.*?)</mark>", hit["snippet"]) for hit in result["hits"]}
    assert marked == {"ky": ["kỹ thuật"], "ki": ["kĩ thuật"]}


def test_full_width_letters_and_digits_read_as_the_letters_they_show(tmp_path):
    """An East Asian input method's full-width mode types ``Ｈà Ｎội`` and ``１２／２０２３``; some pasted text holds
    them too. Either way they find, and are found by, the ordinary letters, and the marks fall on the text as shown."""
    articles = [
        {"id": "plain", "title": "Hà Nội triển khai Nghị định 12/2023/NĐ-CP", "body": "Cải cách hành chính."},
        {
            "id": "wide",
            "title": "ＵＢＮＤ quận Ｈải Châu họp",
            "body": "Quận Ｈải Châu thực hiện Chỉ thị ２９-ＣＴ／ＴＵ. Đối tác FIS™ tham dự.",
        },
    ]
    engine = build_engine(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", articles)])
    for query in ("Ｈà Ｎội", "ｈａ ｎｏｉ", "１２／２０２３／ＮĐ-ＣＰ", "ｃａｉ ｃａｃｈ"):
        assert ids(engine, query) == ["plain"], query
    # A symbol that reads as letters (™ as TM) stays apart from the word it follows: FIS™ is found as FIS.
    for query in ("UBND Hải Châu", "ubnd hai chau", "ủy ban nhân dân quận hải châu", "29-CT/TU", "FIS"):
        assert ids(engine, query) == ["wide"], query
    hit = engine.search(SearchRequest(q="hải châu 29-CT/TU"))["hits"][0]
    assert re.findall(r"<mark>(.*?)</mark>", hit["snippet"]) == ["Ｈải Châu", "２９", "ＣＴ", "ＴＵ"]


def _words(text: str) -> set[str]:
    analyzed = analyze(text)
    return {" ".join(s.text for s in analyzed.syllables[a : b + 1]) for a, b in analyzed.words}


def test_a_wrong_word_boundary_does_not_lose_the_article(tmp_path):
    text = "Ủy ban nhân dân quận tổ chức hội nghị"
    # underthesea reads the article as "ủy ban nhân dân | quận" but the query as "nhân dân | quận" ...
    assert "ủy ban nhân dân" in _words(text) and "nhân dân" not in _words(text)
    assert "nhân dân" in _words("nhân dân quận")
    engine = build_engine(tmp_path, [write_jsonl(tmp_path / "a.jsonl", [{"id": "ubnd", "title": text}])])
    # ... and the article is still found, by its syllables in order.
    assert ids(engine, "nhân dân quận") == ["ubnd"]
    assert ids(engine, "ủy ban nhân dân") == ["ubnd"]
    assert ids(engine, '"ủy ban nhân dân quận"') == ["ubnd"]


def test_words_are_indexed_beside_syllables_not_instead():
    produced = [t[0] for t in terms(analyze("cải cách hành chính"))]
    assert {"cải", "cách", "hành", "chính"} <= set(produced)
    assert any("_" in term for term in produced)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("29-CT/TU", "portal_page_example"), ("CT/TU", "portal_page_example"), ("12/2023/NĐ-CP", "nghi-dinh")],
)
def test_document_numbers_are_found_whole_and_in_parts(engine, query, expected):
    assert ids(engine, query)[:1] == [expected]


def test_document_number_matches_spaced_and_unspaced_writing(tmp_path):
    articles = [
        {"id": "spaced", "title": "Triển khai Chỉ thị số 29 - CT/TU của Thành ủy"},
        {"id": "joined", "title": "Sơ kết Chỉ thị 29-CT/TU"},
        {"id": "other", "title": "Chỉ thị 30-CT/TU về phòng chống thiên tai"},
    ]
    engine = build_engine(tmp_path, [write_jsonl(tmp_path / "a.jsonl", articles)])
    assert sorted(ids(engine, "29-CT/TU")) == ["joined", "spaced"]


def test_a_document_number_no_article_holds_finds_only_documents_of_its_kind(tmp_path):
    """The second try (any of the words may match) still asks for a document number's kind, its syllables other than
    numbers: ``29-CT/TU`` finds the Thành ủy's other directives, not every article holding a 29, a CT or a TU."""
    titles = {
        "30-ct-tu": "Chỉ thị 30-CT/TU về phòng chống thiên tai",
        "chup-ct": "Chụp CT làm tăng nguy cơ ung thư",
        "so-29": "Đội bóng thắng 29 trận liên tiếp",
        "tu-bo": "Tu bổ di tích đình làng, từ nay đến cuối năm",
        "nghi-dinh": "Nghị định 15/2022/NĐ-CP về miễn thuế",
        "chinh-phu": "Chính phủ ban hành nghị định về giá xăng năm 2023",
    }
    engine = engine_of_titles(tmp_path, titles)
    found = engine.search(SearchRequest(q="29-CT/TU"))
    assert found["query"]["relaxed"] and found["complete"] == 0
    assert [hit["id"] for hit in found["hits"]] == ["30-ct-tu"]
    assert ids(engine, "chi thi 29-CT/TU") == ids(engine, "chỉ thị 29-CT/TU") == ["30-ct-tu"]
    assert ids(engine, "12/2023/NĐ-CP") == ["nghi-dinh"]
    assert ids(engine, "12/05/2023") == []  # numbers alone: the whole number, no article with a 12 or a 2023
    assert sorted(ids(engine, "CT")) == ["30-ct-tu", "chup-ct"]  # a word alone is no document number
    # A number is one word of the query: with two words beside it, it is still a short query, every word of which
    # an article must hold, and then the number's kind; not any article about a decree.
    assert ids(engine, "nghị định 12/2023/NĐ-CP") == ["nghi-dinh"]


def test_a_date_written_with_hyphens_or_dots_is_one_date_as_with_slashes(tmp_path):
    """Vietnamese papers write dates with hyphens too (`ngày 12-5-2009`). A date no article holds found nothing with
    slashes, and with hyphens or dots every article holding a 13, a 5 or a 2009."""
    titles = {
        "le-hoi": "Lễ hội khai mạc ngày 12-5-2009",
        "bong-da": "Đội bóng thắng 13 trận năm 2009",
        "rau": "Giá 5 loại rau tăng",
    }
    engine = engine_of_titles(tmp_path, titles)
    assert ids(engine, "12-5-2009") == ids(engine, "12.5.2009") == ids(engine, "12/5/2009") == ["le-hoi"]
    assert ids(engine, "13-5-2009") == ids(engine, "13.5.2009") == ids(engine, "13/5/2009") == []
    assert sorted(ids(engine, "13 5 2009")) == ["bong-da", "le-hoi", "rau"]  # the numbers apart: any of them


def test_a_document_number_the_portal_lacks_is_not_answered_with_articles_that_only_share_a_part(vntc_engine):
    """On 4,000 news articles, every article the second try offers for a decree's number holds the decree's kind
    (``NĐ-CP``), however many hold a ``12`` or a ``2023``."""
    result = vntc_engine.search(SearchRequest(q="12/2023/NĐ-CP", per_page=50))
    assert result["query"]["relaxed"] and result["complete"] == 0 and 0 < result["total"] <= 50
    for hit in result["hits"]:
        article = vntc_engine.article(hit["id"])
        text = " ".join(s.text for s in split_syllables(" ".join([article["title"], article["body"]])))
        assert " nđ cp " in f" {text} ", hit["id"]


def test_syllables_of_codes():
    assert [s.text for s in split_syllables("12/2023/NĐ-CP")] == ["12", "2023", "nđ", "cp"]


def test_stop_words_do_not_block_a_match_and_stop_word_queries_still_answer(engine):
    # "của" is a stop word: an article without it is still found by the other words.
    assert "hoa-chat" in ids(engine, "của hóa chất")
    assert ids(engine, "của và")  # only stop words: still results


def test_stop_words_do_not_drown_ranking(tmp_path):
    articles = [
        {"id": "noise", "title": "Chuyện của những người của phố", "body": "của " * 30 + "và chuyện kiểm tra"},
        {"id": "signal", "title": "Kết quả kiểm tra an toàn thực phẩm"},
    ]
    engine = build_engine(tmp_path, [write_jsonl(tmp_path / "a.jsonl", articles)])
    assert ids(engine, "kết quả của kiểm tra")[0] == "signal"


@pytest.mark.parametrize(
    ("query", "article"),
    [
        ("UBND", "uy-ban"),  # the article writes "Uỷ ban nhân dân"
        ("Ủy ban nhân dân", "cchc-2023"),  # the article writes "UBND quận"
        ("uy ban nhan dan", "cchc-2023"),
        ("Hội đồng nhân dân", "portal_page_example"),  # the page writes "HĐND quận"
        ("CCHC", "cchc-2023"),
        ("BTV", "da-nang"),
        ("TP", "da-nang"),
    ],
)
def test_abbreviations_and_expansions_find_each_other(engine, query, article):
    assert article in ids(engine, query)


def test_a_name_typed_with_diacritics_is_not_taken_for_an_abbreviation_that_folds_like_it(tmp_path):
    """``TƯ = Trung ương`` is in the shipped list; a visitor typing the name ``Tú`` means the name."""
    articles = [
        {"id": "ten", "title": "Anh Tú nhận bằng khen của quận"},
        {"id": "tw", "title": "Hội nghị Trung ương bàn về cải cách tiền lương"},
    ]
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", articles)])
    assert ids(engine, "Tú") == ["ten"]
    assert ids(engine, "TƯ")[0] == "tw"  # (another accenting of one word still matches, below: "Tú")
    assert ids(engine, "tu") == ["ten"]  # typed in lower case, the word, not the abbreviation


def engine_of_titles(tmp_path, titles: dict[str, str]):
    """An engine over articles of a title each, by id."""
    articles = [{"id": key, "title": title} for key, title in titles.items()]
    return build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", articles)])


def test_an_abbreviation_that_is_also_a_word_stands_for_its_group_only_in_capitals(tmp_path):
    """``TƯ`` (*Trung ương*) is also the *tư* of *đầu tư*, *tư pháp*, *thứ tư*: a visitor looking for the Department
    of Justice or investors must not get the Party's Central Committee, nor the other way round."""
    titles = {
        "tu-phap": "Sở Tư pháp hướng dẫn thủ tục chứng thực",
        "dau-tu": "Thu hút nhà đầu tư vào khu công nghiệp",
        "trung-uong": "Hội nghị Trung ương bàn về cải cách tiền lương",
        "tw": "Nghị quyết TW 4 về xây dựng Đảng",
    }
    engine = engine_of_titles(tmp_path, titles)
    for typed in ("sở tư pháp", "so tu phap", "SỞ TƯ PHÁP"):  # a headline typed in capitals is not an abbreviation
        assert ids(engine, typed) == ["tu-phap"]
    assert ids(engine, "nhà đầu tư") == ids(engine, "nha dau tu") == ["dau-tu"]
    assert sorted(ids(engine, "trung ương")) == sorted(ids(engine, "trung uong")) == ["trung-uong", "tw"]
    assert sorted(ids(engine, "TW")) == ["trung-uong", "tw"]
    assert ids(engine, "Nghị quyết TƯ 4")[0] == "tw"  # in capitals among words that are not: the abbreviation


def test_an_abbreviation_of_several_things_finds_each_and_a_company_s_cp_is_not_the_government(tmp_path):
    """``BTC`` is the Ban Tổ chức of an event and the Bộ Tài chính of a circular's number; ``CP`` is Chính phủ in a
    decree's number (``NĐ-CP``) but cổ phần in a company's name (``Công ty CP``)."""
    titles = {
        "ban-to-chuc": "Ban Tổ chức giải chạy công bố lộ trình",
        "bo-tai-chinh": "Bộ Tài chính hướng dẫn quyết toán thuế",
        "co-phan": "Công ty cổ phần Cấp nước Đà Nẵng báo lãi",
        "chinh-phu": "Công ty được Chính phủ giao nhiệm vụ cấp nước",
        "tnhh": "Công ty trách nhiệm hữu hạn Thành Phát bị phạt",
    }
    engine = engine_of_titles(tmp_path, titles)
    assert sorted(ids(engine, "BTC")) == ["ban-to-chuc", "bo-tai-chinh"]
    assert ids(engine, "Bộ Tài chính") == ["bo-tai-chinh"]  # an expansion finds its own abbreviation, not the other
    assert ids(engine, "ban to chuc") == ["ban-to-chuc"]
    assert ids(engine, "công ty CP cấp nước") == ids(engine, "cong ty cp cap nuoc") == ["co-phan"]
    assert ids(engine, "Chính phủ") == ["chinh-phu"]
    assert ids(engine, "công ty TNHH") == ["tnhh"]


def test_an_abbreviation_written_like_a_document_number_finds_its_expansion(tmp_path):
    """``GD-ĐT`` looks like a document number (``29-CT/TU``, which must stand whole), but the synonym list knows it:
    ``Sở GD-ĐT`` also finds the department written out."""
    titles = {
        "viet-tat": "Sở GD-ĐT Hà Nội công bố lịch thi lớp 10",
        "viet-du": "Sở Giáo dục và Đào tạo Đà Nẵng công bố lịch thi lớp 10",
        "chi-thi": "Quán triệt Chỉ thị 29-CT/TU của Thành ủy",
        "khac": "Chỉ thị 29 về công tác thi đua",
    }
    engine = engine_of_titles(tmp_path, titles)
    assert sorted(ids(engine, "Sở GD-ĐT")) == sorted(ids(engine, "so gd-dt")) == ["viet-du", "viet-tat"]
    assert ids(engine, "chỉ thị 29-CT/TU") == ["chi-thi"]  # a document number still stands whole


def test_a_district_or_ward_written_with_its_number_finds_it_written_out_and_no_other_number(tmp_path):
    """A portal of Ho Chi Minh City writes a district ``Q.5`` as often as *quận 5*, a ward ``P.12`` as *phường 12*:
    each finds the other, and only where the number follows (*Q.3 … 5 tên* is not district 5)."""
    titles = {
        "q5": "Công an Q.5 bắt nhóm trộm xe máy",
        "q5-joined": "Học sinh Q5 đoạt giải nhất",
        "quan5": "Quận 5 khánh thành trường học mới",
        "q3": "Công an Q.3 bắt 5 tên cướp giật",
        "tan-binh": "Quận Tân Bình có 5 phường đạt chuẩn văn minh",
        "p12": "Cháy nhà dân ở P.12, Q.10",
        "phuong12": "Phường 12 ra mắt tổ dân phố kiểu mẫu",
        "phuong2": "Phường 2 có 12 tổ dân phố",
        "binh-quan": "Thu nhập bình quân 5 năm qua tăng gấp đôi",
    }
    engine = engine_of_titles(tmp_path, titles)
    for typed in ("quận 5", "Quận 5", "Q.5", "Q 5", "q.5", "Q5", "q5"):
        assert sorted(ids(engine, typed)) == ["q5", "q5-joined", "quan5"], typed
    # Typed without its marks, quận is any of its spellings, an average's quân among them.
    assert sorted(ids(engine, "quan 5")) == ["binh-quan", "q5", "q5-joined", "quan5"]
    for typed in ("phường 12", "P.12", "phuong 12"):
        assert sorted(ids(engine, typed)) == ["p12", "phuong12"], typed
    assert ids(engine, "quận 10") == ["p12"]
    assert ids(engine, "quận Tân Bình") == ["tan-binh"]  # before a name, quận is a word like any other
    assert ids(engine, "quân 5") == ["binh-quan"]  # typed with other diacritics: not a district


def test_an_abbreviation_with_its_period_before_a_name_finds_the_name_spelled_out(tmp_path):
    """``TP.Đà Nẵng`` is ``TP. Đà Nẵng`` typed without its space: it finds *thành phố Đà Nẵng* as that does, and
    ``TX.Thủ Dầu Một`` *thị xã Thủ Dầu Một*. A code joined by a hyphen is still a name that must stand whole
    (``NĐ-CP``, not a *nghị định* and a *Chính phủ* apart)."""
    titles = {
        "tp-dot": "UBND TP.Đà Nẵng ban hành quy định mới",
        "tp-space": "Du lịch TP. Đà Nẵng tăng trưởng",
        "thanh-pho": "Thành phố Đà Nẵng cấm xe đạp đôi",
        "thi-xa": "Thị xã Thủ Dầu Một mở rộng đường",
        "nd-cp": "Hướng dẫn Nghị định 43/NĐ-CP",
        "nd-apart": "Nghị định về thuế của Chính phủ có hiệu lực",
    }
    engine = engine_of_titles(tmp_path, titles)
    for typed in ("TP.Đà Nẵng", "TP. Đà Nẵng", "thành phố Đà Nẵng", "TP.Da Nang"):
        assert sorted(ids(engine, typed)) == ["thanh-pho", "tp-dot", "tp-space"], typed
    assert ids(engine, "TX.Thủ Dầu Một") == ["thi-xa"]
    assert ids(engine, "NĐ-CP") == ["nd-cp"]


def test_on_news_articles_a_district_typed_either_way_finds_it_written_either_way_and_nothing_else(vntc_engine):
    """On 4,000 VNTC articles (Tuổi Trẻ, Người Lao Động and Thanh Niên write ``Q.5``, sometimes ``Q5``, VnExpress
    *quận 5*), ``quận 5``, ``Q.5`` and ``Q5`` find the same articles, every one naming district 5 one way or another,
    among them those that write it only another way; an article with a ``quận`` and a ``5`` apart is not one of
    them."""

    def district(text: str, number: str) -> bool:
        syllables = [s.text for s in split_syllables(text)]
        pairs = itertools.pairwise(syllables)
        return f"q{number}" in syllables or any(a in ("q", "quận") and b == number for a, b in pairs)

    found = {}
    for typed in ("quận 5", "Q.5", "Q5"):
        answer = vntc_engine.search(SearchRequest(q=typed, per_page=50))
        assert 20 < answer["total"] <= 50, typed  # all on one page
        found[typed] = {hit["id"] for hit in answer["hits"]}
    assert found["quận 5"] == found["Q.5"] == found["Q5"]
    texts = {key: " ".join([(a := vntc_engine.article(key))["title"], a["body"]]) for key in found["Q.5"]}
    assert all(district(text, "5") for text in texts.values())
    written = {key: {s.text for s in split_syllables(text)} for key, text in texts.items()}
    assert any("quận" not in syllables for syllables in written.values())  # Q.5 only
    assert any("q" not in syllables for syllables in written.values())  # quận 5 only
    loose = vntc_engine.search(SearchRequest(q="quận", all="5", per_page=50))["total"]
    assert loose > 2 * len(found["Q.5"])  # a quận and a 5 anywhere: most are some other district's


def _times(text: str, form: str) -> int:
    """How often a text writes a form, whatever its case and diacritics (*Ủy ban* and *UỶ BAN* alike)."""
    syllables = [fold_diacritics(s.text).lower() for s in split_syllables(text)]
    wanted = [fold_diacritics(s.text).lower() for s in split_syllables(form)]
    return sum(syllables[at : at + len(wanted)] == wanted for at in range(len(syllables)))


@pytest.mark.parametrize(("typed", "other"), [("UBND", "ủy ban nhân dân"), ("bệnh viện", "BV"), ("Trung Quốc", "TQ")])
def test_on_news_articles_another_form_of_the_words_typed_counts_no_more_than_the_form_typed(vntc_engine, typed, other):
    """On 4,000 VNTC articles, the first answers to an abbreviation or its expansion write what was typed, more
    than its other form: a form is not weighed by its own rarity, so an article naming *Ủy ban nhân dân* once does not
    outrank those writing ``UBND`` five times, nor one writing ``BV`` twelve times those writing *bệnh viện*, nor
    one writing ``TQ`` six times those writing *Trung Quốc*."""
    answer = vntc_engine.search(SearchRequest(q=typed, per_page=3))
    assert answer["total"] > 100
    for hit in answer["hits"]:
        article = vntc_engine.article(hit["id"])
        text = " ".join([article["title"], article["body"]])
        assert _times(text, typed) > _times(text, other), (typed, article["title"])


def test_on_news_articles_a_district_named_after_its_letter_is_found_written_either_way(vntc_engine):
    """Ho Chi Minh City's papers write *quận Bình Thạnh* ``Q.Bình Thạnh`` about as often as in full, *huyện Hóc Môn*
    ``H.Hóc Môn``. The index learns the names that follow both writings (``Vocabulary.places``); typed either way,
    with or without diacritics, such a place finds every article of the 4,000 that names it either way, and typed
    with its letter, only those."""
    records = [record for record in vntc_records(VNTC_SLICE) if record["title"].strip()]  # indexed: with a title
    for word, letter, name in (("quận", "q", ("bình", "thạnh")), ("huyện", "h", ("hóc", "môn"))):
        named, by_word, by_letter = set(), set(), set()
        for record in records:
            syllables = [s.text for s in split_syllables(f"{record['title']} {record['text']}")]
            for first, *rest in zip(syllables, syllables[1:], syllables[2:], strict=False):
                if tuple(rest) == name and first in (word, letter):
                    named.add(record["id"])
                    (by_word if first == word else by_letter).add(record["id"])
        assert by_word - by_letter and by_letter - by_word  # each writing alone, in some articles
        written = " ".join(name).title()
        for typed in (f"{word} {written}", f"{letter.upper()}.{written}", f"{letter}. {fold_diacritics(written)}"):
            found = set(vntc_engine.ranked_ids(SearchRequest(q=typed), 1000))
            assert named <= with_copies(vntc_engine, found), typed  # found, or named under a hit as its copy
        by_code = set(vntc_engine.ranked_ids(SearchRequest(q=f"{letter.upper()}.{written}"), 1000))
        assert by_code <= named <= with_copies(vntc_engine, by_code)
    # Typed without diacritics, the page offers the place spelled out, its letter's code too (not *Q.Go Vấp*).
    assert vntc_engine.search(SearchRequest(q="Q.Go Vap"))["suggestion"] == "Q.Gò Vấp"
    # A person's initial is no place: *H. cho biết* (H. said) is in the sample, and so is *huyện … cho biết*, but
    # *cho biết* follows neither often.
    places = vntc_engine.vocabulary().places
    assert ("q", "quận", "gò", "vấp") in places and ("h", "huyện", "cho", "biết") not in places


def test_the_abbreviations_news_writes_most_find_what_they_stand_for(tmp_path):
    """The abbreviations VNTC's articles write most often, after those of administration: a court, a budget, a
    coach. ``ĐH`` is a university and a congress (``ĐH Đảng``), as ``BTC`` is two things."""
    titles = {
        "toa-an": "Tòa án nhân dân tỉnh xét xử vụ lừa đảo",
        "ngan-sach": "Thu ngân sách nhà nước vượt dự toán",
        "hlv": "Huấn luyện viên đội tuyển công bố danh sách",
        "dai-hoc": "Đại học Đà Nẵng tuyển sinh năm 2023",
        "dai-hoi": "Đại hội Đảng bộ quận lần thứ XXII",
        "khac": "Đà Nẵng tổ chức lễ hội pháo hoa",
    }
    engine = engine_of_titles(tmp_path, titles)
    assert ids(engine, "TAND") == ids(engine, "tand") == ["toa-an"]
    assert ids(engine, "thu NSNN") == ["ngan-sach"]
    assert ids(engine, "HLV đội tuyển") == ["hlv"]
    assert sorted(ids(engine, "ĐH")) == sorted(ids(engine, "dh")) == ["dai-hoc", "dai-hoi"]


@pytest.mark.parametrize(
    "typed", ["TP Hồ Chí Minh", "TP. Hồ Chí Minh", "tp ho chi minh", "TP.HCM", "TPHCM", "thành phố Hồ Chí Minh"]
)
def test_every_writing_of_ho_chi_minh_city_finds_every_other_and_not_its_words_apart(tmp_path, typed):
    """Articles write the city five ways; a visitor typing any of them finds all five, and not the articles holding
    a *TP* and a *Hồ Chí Minh* apart (the Youth Union named after him, in another city)."""
    titles = {
        "joined": "TPHCM khởi công tuyến metro số 2",
        "dotted": "HĐND TP.HCM họp kỳ thứ năm",
        "spaced": "Người dân TP HCM đón Tết",
        "named": "TP. Hồ Chí Minh tiêm vắc xin cho trẻ",
        "spelled": "Thành phố Hồ Chí Minh đón khách quốc tế",
        "apart": "Đoàn TNCS Hồ Chí Minh ra quân ở TP Đà Nẵng",
    }
    engine = engine_of_titles(tmp_path, titles)
    assert sorted(ids(engine, typed)) == ["dotted", "joined", "named", "spaced", "spelled"]


@pytest.mark.parametrize("typed", ["Đắk Lắk", "Đăk Lăk", "Đắc Lắc", "dak lak", "Daklak", "ĐẮK LẮK"])
def test_a_province_written_in_its_older_spellings_is_found_in_each(tmp_path, typed):
    """Articles write the province *Đắk Lắk* as its older spellings have it too (*Đăk Lăk*, *Đắc Lắc*, *Daklak*);
    a visitor typing any of them finds all of them."""
    titles = {
        "official": "Tỉnh Đắk Lắk trồng mới cà phê",
        "older": "Đăk Lăk: mưa lớn gây ngập",
        "oldest": "Nông dân Đắc Lắc bán cà phê",
        "joined": "Daklak đón khách du lịch",
        "other": "Đắk Nông khởi công thủy điện",
    }
    engine = engine_of_titles(tmp_path, titles)
    assert sorted(ids(engine, typed)) == ["joined", "official", "older", "oldest"]


NEWS_ABBREVIATIONS = [
    ("BR-VT", "Bà Rịa - Vũng Tàu"),
    ("TT-Huế", "Thừa Thiên - Huế"),
    ("ĐHQG", "Đại học Quốc gia"),
    ("NHNN", "Ngân hàng Nhà nước"),
    ("TNGT", "tai nạn giao thông"),
    ("BV", "bệnh viện"),
    ("PGS", "phó giáo sư"),
    ("GTCC", "giao thông công chính"),
    ("CSĐT", "cảnh sát điều tra"),
    ("XNK", "xuất nhập khẩu"),
    ("TQ", "Trung Quốc"),
]


@pytest.fixture(scope="module")
def news_abbreviations(tmp_path_factory):
    """An index of a title for each abbreviation and one for its expansion, by ``(form, index in the list)``."""
    root = tmp_path_factory.mktemp("news-abbreviations")
    articles = [
        {"id": f"{kind}-{number}", "title": f"Tin mới về {form} trong tuần"}
        for number, pair in enumerate(NEWS_ABBREVIATIONS)
        for kind, form in zip(("short", "long"), pair, strict=True)
    ]
    apart = "Ngân hàng cho vay, nhà nước hỗ trợ; tai nạn trên đường giao thông nông thôn"
    articles.append({"id": "apart", "title": apart})
    return build_engine(root / "index", [write_jsonl(root / "a.jsonl", articles)])


@pytest.mark.parametrize(("number", "typed"), [(n, form) for n, pair in enumerate(NEWS_ABBREVIATIONS) for form in pair])
def test_the_abbreviations_of_places_courts_schools_and_hospitals_find_what_they_stand_for(
    news_abbreviations, number, typed
):
    """A visitor typing `BR-VT`, `NHNN`, `BV` or what they stand for finds the articles writing either, and the
    words of an expansion apart are not it (*ngân hàng* in one clause, *nhà nước* in the next)."""
    assert sorted(ids(news_abbreviations, typed)) == [f"long-{number}", f"short-{number}"]


def test_cbccvc_finds_the_comma_separated_expansion(engine):
    assert "cchc-2023" in ids(engine, "CBCCVC")


def test_the_shipped_synonym_list_is_long_and_admins_can_extend_it(tmp_path):
    assert len(load_synonyms().groups) >= 40
    extra = tmp_path / "more.txt"
    extra.write_text("# local\nGPXD = giấy phép xây dựng\n", encoding="utf-8")
    assert len(load_synonyms([extra]).groups) == len(load_synonyms().groups) + 1
    engine_root = tmp_path / "ix"
    engine = build_engine(
        engine_root, [write_jsonl(tmp_path / "a.jsonl", [{"id": "gp", "title": "Cấp giấy phép xây dựng nhà ở"}])]
    )
    assert ids(engine, "GPXD") == []
    engine.synonyms = load_synonyms([extra])
    assert ids(engine, "GPXD") == ["gp"]


def test_tone_placement_agrees_with_underthesea_s_own_table():
    """underthesea's normaliser is a table of common tokens; ours is a rule. They must agree on that table."""
    from underthesea.pipeline.text_normalize.text_normalizer import token_map

    from search_service.analysis import LATIN_SYLLABLE_RE, TONE_MARKS, normalize_tone

    def letters(word):
        return unicodedata.normalize(
            "NFC", "".join(c for c in unicodedata.normalize("NFD", word) if c not in TONE_MARKS)
        )

    def tones(word):
        return [c for c in unicodedata.normalize("NFD", word) if c in TONE_MARKS]

    compared, disagreements = 0, []
    for typed, normal in token_map.items():
        typed, normal = (unicodedata.normalize("NFC", w.lower()) for w in (typed, normal))
        # Only the entries that move a tone mark (the table also fixes misspelt letters, which is another job).
        if LATIN_SYLLABLE_RE.fullmatch(typed) and letters(typed) == letters(normal) and len(tones(normal)) == 1:
            compared += 1
            if normalize_tone(typed) != normal:
                disagreements.append((typed, normal))
    assert compared > 2000
    # The table itself writes "loà" and "noà" against its own "hòa", "tòa": those are its only disagreements.
    assert {normal for _, normal in disagreements} <= {"loà", "noà"}, disagreements


def _sample_texts() -> list[str]:
    import json

    from search_service.config import SAMPLE_DIR

    texts = []
    for path in sorted(SAMPLE_DIR.glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                texts.extend(str(record.get(name) or "") for name in ("title", "sapo", "body"))
    return [t for t in texts if t]


def test_the_indexer_s_segmenter_finds_underthesea_s_words_in_the_bundled_articles():
    """The indexer tags syllables from the CRF's weights (segmenter.py); the words must be underthesea's own."""
    from search_service.analysis import segment

    texts = _sample_texts()
    syllables = [split_syllables(text) for text in texts]
    assert sum(map(len, syllables)) > 20000
    fast = [segment(s, text, fast=True) for s, text in zip(syllables, texts, strict=True)]
    underthesea = [segment(s, text) for s, text in zip(syllables, texts, strict=True)]
    assert sum(map(len, underthesea)) > 5000  # words of several syllables
    assert fast == underthesea


def test_the_segmenter_tags_cased_and_odd_syllables_as_underthesea_does():
    from search_service.segmenter import load_model, tagger

    model = load_model()
    tables = tagger(model)
    for clause in (
        ["Hà", "Nội", "ra", "quân", "2²", "½"],
        ["ủy", "ban", "nhân", "dân", "thành", "phố"],
        ["cải", "cách"],
        ["29"],
        ["x", "29", "nđ", "cp", "h5n1", "covid", "19"],
    ):
        expected = [tag == "I-W" for tag in model.estimator.tag(model.featurizer.process([[[s] for s in clause]])[0])]
        assert tables.tag(clause) == expected, clause
    assert tables.tag(["cải", "cách", "hành", "chính"]) == [False, True, False, True]  # cải_cách hành_chính


def test_the_model_read_from_underthesea_s_files_tags_as_underthesea_s_own(monkeypatch):
    """The service loads underthesea's word-segmentation model from its files (segmenter.load_model); the words of
    the whole bundled sample must be those of the model ``underthesea.word_tokenize`` loads itself."""
    import underthesea.pipeline.word_tokenize as underthesea_words

    from search_service import analysis, segmenter
    from search_service.segmenter import Model

    texts = _sample_texts()
    syllables = [split_syllables(text) for text in texts]
    ours = segmenter.load_model()
    assert isinstance(ours, Model)  # read from the files, not underthesea's own object
    words = [analysis.segment(s, text) for s, text in zip(syllables, texts, strict=True)]
    underthesea_words.word_tokenize("khởi động")
    monkeypatch.setattr(segmenter, "load_model", lambda: underthesea_words.word_tokenize_model)
    theirs = [analysis.segment(s, text) for s, text in zip(syllables, texts, strict=True)]
    assert sum(map(len, theirs)) > 5000
    assert words == theirs


def test_searching_never_imports_underthesea_s_package(engine):
    """A serving process segments queries and filters stop words without ``import underthesea``, whose package
    loads its POS, NER and chunking pipelines: 64 MB more in every worker."""
    script = (
        "import json, sys\n"
        "from search_service.query import SearchRequest, is_stop_word\n"
        "from search_service.searcher import SearchEngine\n"
        f"result = SearchEngine({str(engine.root)!r}).search(SearchRequest(q='cải cách hành chính'))\n"
        "loaded = sorted(m for m in sys.modules if m == 'underthesea' or m.startswith('underthesea.'))\n"
        "print(json.dumps([result['total'], is_stop_word('của'), loaded]))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    total, stop_word, loaded = json.loads(completed.stdout.splitlines()[-1])
    assert total > 0 and stop_word
    assert loaded == []


def test_a_fields_terms_hold_every_position_in_order_whatever_order_the_words_come_in():
    # What a field's postings hold: each syllable and each word with its positions, in order, exact and folded;
    # here a recurring word whose spans come out of order, as a cached segmentation could hand them.
    text = "Ủy ban nhân dân quận họp; ủy ban nhân dân phường, Ủy ban kiểm tra"
    syllables = split_syllables(text)
    spans = [(13, 14), (6, 7), (0, 1), (8, 9), (2, 3), (11, 12)]
    analyzed = AnalyzedText(text, syllables, spans)
    for folded in (False, True):
        expected: dict[str, list[int]] = {}
        for term, position, _, _ in terms(analyzed, folded=folded):
            expected.setdefault(term, []).append(position)
        found = term_positions(analyzed, folded=folded)
        assert found == {term: sorted(positions) for term, positions in expected.items()}
    assert term_positions(analyzed)["ủy_ban"] == [0, 6, 11]
    assert term_positions(analyzed, folded=True)["uy"] == [0, 6, 11]


def test_an_articles_positions_step_over_the_end_of_a_clause_and_not_over_a_number_a_code_or_an_abbreviation():
    # What the index holds of an article's text: a phrase matches syllables at neighbouring positions, so a clause's
    # end between (``CLAUSE_TERM``) keeps *Gia Lâm, Đông Anh* from holding `lâm đông`; a phrase typed with its
    # comma has the term there too.
    schema = build_schema()
    text = (
        "Gia Lâm, Đông Anh: mưa 1,5 ngày lúc 12:30. TP. Hồ Chí Minh thu 2.500.000 tiền (Q.7)\n"
        "Số 29-CT/TU! Bà Rịa - Vũng Tàu… xong"
    )
    for name in ("body", "body_f", "title", "summary_f"):
        positions = schema[name].analyzer.term_positions(text)
        ends = positions.pop(CLAUSE_TERM)
        at = {fold_diacritics(term): places[0] for term, places in positions.items()}
        assert len(at) == len(positions)
        # Apart: after a comma, a colon, a full stop ending a sentence, a line break, an exclamation, an ellipsis,
        # and a decimal comma's two sides (*1,5* is not the *1 5* of a date, ``ngày 1/5``).
        for before, after in [
            ("lam", "dong"),
            ("anh", "mua"),
            ("#1", "#5"),
            ("30", "tp"),
            ("7", "so"),
            ("tu", "ba"),
            ("tau", "xong"),
        ]:
            assert at[after] == at[before] + 2 and at[before] + 1 in ends, (name, before, after)
        # Side by side: a time, an abbreviation's full stop, a grouped number, a code, a dash.
        for before, after in [("12", "30"), ("tp", "ho"), ("#2", "#500"), ("29", "ct"), ("ria", "vung")]:
            assert at[after] == at[before] + 1, (name, before, after)
        # The parts of a larger number are terms of their own: the text holds no number 500, 2 or 5.
        assert not {"500", "2", "5"} & set(at) and at["#000"] == at["#500"] + 1
    # A word of several syllables stands at its first syllable's position, after the steps before it.
    words = {term: at for term, at in schema["body"].analyzer.term_positions(text).items() if "_" in term}
    assert words == {"gia_lâm": [0], "chí_minh": [17], "2_500_000": [20]}
    assert schema["body"].analyzer.term_positions(text)[CLAUSE_TERM] == [2, 5, 8, 14, 26, 31, 36]
    # A list of names (the categories, the authors) keeps its positions side by side: it is matched by its parts.
    assert schema["author"].analyzer.term_positions("Trần Lâm, Đông Hà")["dong"] == [2]
