"""The JSON API through Flask's test client, on a real index of real Vietnamese articles."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from search_service.web import create_app
from search_service.web.openapi import openapi_document

from .conftest import ARTICLES, OTHER_NOTICE, PORTAL_PAGE, REPUBLISHED, build_engine, write_jsonl


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("api-index")
    build_engine(root, [ARTICLES, PORTAL_PAGE])
    return root


@pytest.fixture(scope="module")
def client(index_dir):
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def search(client, **params):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def found(client, **params) -> list[str]:
    return [hit["id"] for hit in search(client, per_page=100, **params)["hits"]]


# --- basic search -------------------------------------------------------------------------------------------


def test_basic_search_returns_every_documented_field(client):
    data = search(client, q="cải cách hành chính")
    assert data["hits"][0]["id"] == "cchc-2023"
    hit = data["hits"][0]
    assert set(hit) == {
        "id",
        "title",
        "url",
        "published",
        "category",
        "author",
        "views",
        "source",
        "score",
        "snippet",
        "title_html",
        "missing",
        "copies",
    }
    assert hit["published"] == "2023-03-15" and hit["views"] == 1520 and hit["author"] == "Minh Tuấn"
    assert data["total"] >= 1 and data["page"] == 1 and data["per_page"] == 10 and data["took_ms"] >= 0
    assert data["query"]["q"] == "cải cách hành chính"


def test_empty_query_lists_the_newest_articles(client):
    data = search(client, q="")
    dates = [hit["published"] for hit in data["hits"] if hit["published"]]
    assert data["total"] == 12
    assert dates == sorted(dates, reverse=True) and dates[0] == "2023-09-09"


@pytest.mark.parametrize("q", ["!!!", "😀", "…", "*", "-", '""', "“ ”"])
def test_text_with_no_word_to_search_by_finds_nothing_and_says_so(client, q):
    # Only a box left empty lists the articles: what was typed is not passed off as matching every one of them.
    data = search(client, q=q)
    assert (data["total"], data["hits"], data["query"]["no_words"], data["query"]["sort"]) == (0, [], True, "relevance")
    assert search(client, q=q, category="Văn hóa")["total"] == 0
    assert search(client, q="")["query"]["no_words"] is False and search(client, q="-cải")["total"] > 0


def test_an_author_with_no_letter_in_it_is_nobody_s_name(client):
    # Not a filter left out: the articles found are all by the author asked for, which here is none of them.
    assert search(client, q="", author="Minh Tuấn")["total"] >= 1
    for author in ("!!!", "😀", "-"):
        assert search(client, q="", author=author)["total"] == 0, author
        assert search(client, q="cải cách hành chính", author=author)["total"] == 0, author


@pytest.mark.parametrize(
    ("q", "expected", "absent"),
    [
        ('"thủ tục hành chính"', {"cchc-2023"}, set()),
        ("thủ tục -UBND", {"nghi-dinh"}, {"cchc-2023", "portal_page_example"}),
        ("hóa chất OR họa sĩ", {"hoa-chat", "hoa-si"}, {"hoa-binh"}),
        ("title:bóng đá", {"bong-da"}, set()),
        ('category:"van hoa"', {"hoa-binh", "hoa-si"}, {"hoa-chat"}),
        ("thủy lợi: (chống hạn)* ?", {"thuy-loi"}, set()),  # stray operators are literal text
        # AND and NOT in capitals, as other search engines read them: NOT excludes the words after it as a phrase
        ("thủ tục NOT UBND", {"nghi-dinh"}, {"cchc-2023", "portal_page_example"}),
        ("người dân NOT hành chính", {"thuy-loi", "xss"}, {"cchc-2023"}),
        ("lễ hội AND Mường", {"hoa-binh"}, set()),
    ],
)
def test_operators_people_type(client, q, expected, absent):
    ids = set(found(client, q=q))
    assert expected <= ids
    assert not ids & absent


@pytest.mark.parametrize(
    ("q", "expected", "read"),
    [
        # The words after `category:` that go on naming one of the index's categories are its name, not words looked
        # for (*ninh trật tự* is in no article): as if quoted, in any case and accenting.
        ("category:an ninh trật tự", ["xss"], 'category:"an ninh trật tự"'),
        ("category:AN NINH TRAT TU", ["xss"], 'category:"AN NINH TRAT TU"'),
        (
            "category:cải cách hành chính thủ tục đất đai",
            ["nghi-dinh"],
            'category:"cải cách hành chính" thủ tục đất đai',
        ),
        (
            "người dân -category:cải cách hành chính",
            ["portal_page_example", "thuy-loi", "xss"],
            'người dân -category:"cải cách hành chính"',
        ),
        # Part of a name names it, as a quoted part does; a word going on no name is looked for.
        ("category:hoạt động", ["hdnd-ky-hop"], 'category:"hoạt động"'),
        ("category:thể thao Việt Nam", ["bong-da"], 'category:"thể thao" Việt Nam'),
    ],
)
def test_a_category_of_several_words_is_named_without_quotes(client, q, expected, read):
    data = search(client, q=q, per_page=100)
    assert sorted(hit["id"] for hit in data["hits"]) == expected
    assert (data["query"]["read"], data["query"]["relaxed"]) == (read, False)


def test_quotes_in_a_pasted_headline_are_typography_in_a_short_query_a_phrase(client):
    # Headlines quote words for emphasis; the article need not repeat them ("không tưởng" is nowhere in it).
    headline = 'Đội tuyển giành chiến thắng ba bàn "không tưởng" trong trận đấu giao hữu, người hâm mộ ăn mừng'
    assert found(client, q=headline)[0] == "bong-da"
    clauses = search(client, q=headline)["query"]["clauses"]  # what the page says it understood
    assert len(clauses) == 1 and '"' not in clauses[0] and "không tưởng" in clauses[0]
    # A short query's quoted phrase is a requirement: no article holds these words in this order.
    assert found(client, q='bóng đá "không tưởng"') == []


# --- advanced search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"all": "kỳ họp đại biểu"}, ["hdnd-ky-hop"]),
        ({"phrase": "giải phóng mặt bằng"}, ["hdnd-ky-hop"]),
        ({"any": "bóng đá, triển lãm"}, ["bong-da", "hoa-si"]),
        ({"q": "kiểm tra", "none": "hóa chất"}, []),
        ({"all": "văn hóa", "in": "title"}, ["hoa-binh"]),
        ({"category": "Thể thao"}, ["bong-da"]),
        ({"category": ["Thể thao", "Kinh tế"]}, ["bong-da", "hoa-chat", "thuy-loi"]),
        ({"author": "thanh ha"}, ["hdnd-ky-hop"]),
        ({"from": "2023-07-01", "to": "31/08/2023"}, ["hdnd-ky-hop", "xss"]),
        ({"from": "01/09/2023"}, ["da-nang"]),
        ({"to": "2020-12-31"}, ["thuy-loi"]),
    ],
)
def test_each_advanced_field_alone(client, params, expected):
    assert sorted(found(client, **params)) == sorted(expected)


def test_advanced_fields_combined(client):
    params = {
        "all": "đẩy mạnh",
        "phrase": "cải cách hành chính",
        "none": "bóng đá",
        "category": "Cải cách hành chính",
        "from": "01/01/2023",
        "to": "2023-12-31",
        "sort": "views",
    }
    data = search(client, **params)
    assert [hit["id"] for hit in data["hits"]] == ["cchc-2023"]
    assert data["query"]["phrase"] == "cải cách hành chính" and data["query"]["from"] == "2023-01-01"


def test_title_only_excludes_body_matches(client):
    everywhere = set(found(client, q="đường link lạ"))
    title_only = set(found(client, q="đường link lạ", **{"in": "title"}))
    assert "xss" in everywhere and "xss" not in title_only


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [("newest", "published", True), ("oldest", "published", False), ("views", "views", True)],
)
def test_sorts(client, sort, key, reverse):
    # Articles without a date (or without a view count) come after every article that has one, in every order.
    hits = search(client, q="", sort=sort, per_page=100)["hits"]
    values = [hit[key] for hit in hits]
    known = [value for value in values if value is not None]
    assert len(known) >= 10 and known == sorted(known, reverse=reverse)
    assert values == known + [None] * (len(values) - len(known))
    assert all(hit["score"] is None for hit in hits)


def test_relevance_sort_orders_by_score(client):
    hits = search(client, q="hoa", sort="relevance")["hits"]
    scores = [hit["score"] for hit in hits]
    assert len(scores) >= 3 and scores == sorted(scores, reverse=True)


def test_paging_walks_every_hit_once(client):
    first = search(client, q="", per_page=5, page=1)
    second = search(client, q="", per_page=5, page=2)
    third = search(client, q="", per_page=5, page=3)
    assert first["pages"] == 3 and first["total"] == 12
    ids = [h["id"] for page in (first, second, third) for h in page["hits"]]
    assert len(ids) == 12 and len(set(ids)) == 12
    assert len(third["hits"]) == 2


# --- facets, highlighting, suggestions ----------------------------------------------------------------------


def test_facets_count_the_whole_result_set_not_the_page(client):
    data = search(client, q="", per_page=1)
    categories = {row["value"]: row["count"] for row in data["facets"]["category"]}
    years = {row["value"]: row["count"] for row in data["facets"]["year"]}
    assert categories["Chính quyền"] == 3 and categories["Văn hóa"] == 2 and categories["Hoạt động HĐND"] == 1
    assert years == {2023: 9, 2022: 1, 2021: 1, 2020: 1}
    narrowed = search(client, q="", category="Văn hóa")
    assert {row["value"]: row["count"] for row in narrowed["facets"]["year"]} == {2023: 1, 2022: 1}


def test_snippet_marks_whole_words_and_escapes_html(client):
    snippet = search(client, q="cai cach hanh chinh")["hits"][0]["snippet"]
    assert "<mark>cải cách hành chính</mark>" in snippet
    for match in re.finditer(r"<mark>(.*?)</mark>", snippet):
        before = snippet[match.start() - 1] if match.start() else " "
        after = snippet[match.end()] if match.end() < len(snippet) else " "
        assert not before.isalnum() and not after.isalnum(), snippet
    xss = search(client, q="bấm vào đường link lạ")  # the body, whose text holds ``<img src=x onerror=…>``
    hit = next(h for h in xss["hits"] if h["id"] == "xss")
    assert "<mark>đường link lạ</mark>" in hit["snippet"]
    stripped = hit["snippet"].replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    assert "&lt;" in hit["snippet"]


def test_unaccented_query_gets_the_accented_suggestion(client):
    # On this index `cai cach` surely reads *cải cách*: searched so, and the response says what was typed.
    data = search(client, q="cai cach")
    assert data["query"]["q"] == "cải cách" and data["query"]["corrected_from"] == "cai cach"
    assert data["suggestion"] is None
    # Searched as typed (typed=1), the letters in any accenting, and the accented spelling offered.
    assert search(client, q="cai cach", typed=1)["suggestion"] == "cải cách"
    assert search(client, q="cải cách")["suggestion"] is None


def test_misspelled_query_gets_a_correction_that_finds_more(client):
    # Nothing has both words as typed, and the correction finds something: its results, and the response says so.
    data = search(client, q="triểnn lãm")
    assert data["query"]["q"] == "triển lãm" and data["query"]["corrected_from"] == "triểnn lãm"
    assert data["total"] > 0 and data["suggestion"] is None and data["query"]["relaxed"] is False
    # Searched as typed (typed=1): the results with either word, said so, and the correction offered.
    data = search(client, q="triểnn lãm", typed=1)
    assert data["suggestion"] == "triển lãm" and data["query"]["relaxed"] is True


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("cải cách hành chính bóng đá", "cchc-2023"),
        ("cai cach hanh chinh bong da", "cchc-2023"),
        ("ủy ban nhân dân bóng đá", "uy-ban"),
    ],
)
def test_among_partial_matches_the_article_holding_more_of_the_words_typed_comes_first(client, q, first):
    # No article holds both; the page lists those holding a part. A name of four syllables (a synonym group: CCHC,
    # UBND) counted as one word of three, against two for *bóng đá*: the football articles came first.
    data = search(client, q=q)
    assert data["query"]["relaxed"] and data["hits"][0]["id"] == first
    assert "bong-da" in found(client, q=q)


def test_completions_with_diacritics_for_an_unaccented_prefix(client):
    suggestions = client.get("/api/suggest?q=cai").get_json()["suggestions"]
    assert "cải cách" in suggestions and len(suggestions) <= 10
    accented = client.get("/api/suggest", query_string={"q": "cải"}).get_json()["suggestions"]
    assert "cải cách" in accented and all(s.lower().startswith("cải") for s in accented)
    titles = client.get("/api/suggest", query_string={"q": "day manh"}).get_json()["suggestions"]
    assert any(t.startswith("Đẩy mạnh cải cách hành chính") for t in titles)
    assert client.get("/api/suggest?q=").get_json() == {"suggestions": []}


def test_after_category_the_index_s_categories_are_offered(client):
    # After `category:` the words of the box were completed (`category:thể th` offered *category:thể thấy*, of *có
    # thể thấy*): the index's categories are, each finding the articles of that category.
    def offered(q: str) -> list[str]:
        return client.get("/api/suggest", query_string={"q": q}).get_json()["suggestions"]

    every = offered("category:")
    names = [
        "An ninh trật tự",
        "Cải cách hành chính",
        "Chính quyền",
        "Hoạt động HĐND",
        "Kinh tế",
        "Thể thao",
        "Văn hóa",
    ]
    assert every == [f'category:"{name}"' for name in names]
    assert offered("bóng đá category:the") == ['bóng đá category:"Thể thao"']
    assert offered("category:ch") == ['category:"Chính quyền"', 'category:"Cải cách hành chính"']  # its name first
    assert offered('-category:"hoat') == ['-category:"Hoạt động HĐND"']
    assert offered("category:hđnd") == ['category:"Hoạt động HĐND"']  # a later word of the name
    for completion in every:
        name = completion.split('"')[1]
        ids = found(client, q=completion)
        assert ids and {hit["id"] for hit in search(client, q="", category=name, per_page=100)["hits"]} == set(ids)


# --- articles and health ------------------------------------------------------------------------------------


def test_one_article(client):
    article = client.get("/api/articles/portal_page_example").get_json()
    assert article["author"] == "Thanh Lài" and article["published"] == "2023-05-12" and article["views"] == 78
    assert "Thống kê truy cập" not in article["body"]
    missing = client.get("/api/articles/khong-co")
    assert missing.status_code == 404 and " / " in missing.get_json()["error"]["message"]


def test_health(client, tmp_path):
    assert client.get("/healthz").get_json() == {"status": "ok", "articles": 12}
    empty = create_app({"INDEX_DIR": str(tmp_path / "nothing")}).test_client()
    response = empty.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable" and "index build" in response.get_json()["reason"]
    assert empty.get("/api/search?q=x").status_code == 503


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query_string", "code"),
    [
        ("q=a&page=abc", "bad_page"),
        ("q=a&page=0", "bad_page"),
        ("q=a&page=1000000", "bad_page"),
        ("q=&page=9", "page_out_of_range"),
        ("q=a&per_page=0", "bad_per_page"),
        ("q=a&per_page=101", "bad_per_page"),
        ("q=a&sort=random", "bad_sort"),
        ("q=a&in=body", "bad_in"),
        ("from=32/13/2023", "bad_date"),
        ("to=yesterday", "bad_date"),
        ("from=2023-05-01&to=2023-04-01", "bad_date_range"),
        ("q=a&limit=5", "unknown_parameter"),
        ("q=a&q=b", "repeated_parameter"),
        ("q=" + "a" * 501, "query_too_long"),
        ("q=a%00b", "control_character"),
        ("q=a%1bb", "control_character"),
        ("q=%C3%28", "invalid_utf8"),
        ("q=%ff%fe", "invalid_utf8"),
    ],
)
def test_bad_input_is_a_400_with_a_bilingual_message(client, query_string, code):
    response = client.get("/api/search?" + query_string)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code
    vietnamese, english = error["message"].split(" / ", 1)
    assert vietnamese and english and vietnamese != english


@pytest.mark.parametrize(
    "q",
    ["*", "?", "*ach", "cai*", "((((((((a))))))))", "a OR " * 30 + "b", '"""', "title:", "-", "OR", "\u200b", "𝒱𝒾ệ𝓉"],
)
def test_odd_queries_answer_without_error(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code in (200, 400)
    assert "error" in response.get_json() or "hits" in response.get_json()


def test_suggest_answers_marks_with_no_word_in_them(client):
    # Marks typed alone (`!!`, an emoji, a hyphen about to exclude a word) are answered like any prefix, at every
    # keystroke: a completion's reading of the words typed found none and failed (HTTP 500).
    for q in ("!!", "😀", "-", ".", "a b !!", "-!!", "cải cách ."):
        response = client.get("/api/suggest", query_string={"q": q})
        assert response.status_code == 200 and isinstance(response.get_json()["suggestions"], list), q


def test_suggest_refuses_bad_input(client):
    assert client.get("/api/suggest?q=" + "a" * 101).status_code == 400
    assert client.get("/api/suggest?prefix=a").status_code == 400


# --- the OpenAPI document is true -------------------------------------------------------------------------


def _validator(schema_name: str) -> Draft202012Validator:
    document = openapi_document()
    resource = Resource(contents=document, specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", resource)
    return Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{schema_name}"}, registry=registry)


@pytest.mark.parametrize(
    ("path", "status", "schema"),
    [
        ("/api/search?q=cai+cach&category=C%E1%BA%A3i+c%C3%A1ch+h%C3%A0nh+ch%C3%ADnh", 200, "SearchResponse"),
        ("/api/search?q=&sort=views&per_page=3&page=2", 200, "SearchResponse"),
        ("/api/search?q=tri%E1%BB%83nn+l%C3%A3m", 200, "SearchResponse"),
        ("/api/search?page=x", 400, "Error"),
        ("/api/suggest?q=bong", 200, "Suggestions"),
        ("/api/articles/cchc-2023", 200, "Article"),
        ("/api/articles/none", 404, "Error"),
        ("/healthz", 200, "Health"),
    ],
)
def test_real_responses_match_the_openapi_document(client, path, status, schema):
    response = client.get(path)
    assert response.status_code == status
    errors = list(_validator(schema).iter_errors(response.get_json()))
    assert not errors, errors
    served = client.get("/api/openapi.json").get_json()
    assert served["components"]["schemas"][schema] == openapi_document()["components"]["schemas"][schema]
    documented = path.split("?")[0]
    documented = "/api/articles/{id}" if documented.startswith("/api/articles/") else documented
    assert str(status) in served["paths"][documented]["get"]["responses"]


def test_related_articles_of_an_article(client):
    data = client.get("/api/articles/cchc-2023/related").get_json()
    ids = [hit["id"] for hit in data["related"]]
    assert data["id"] == "cchc-2023" and "cchc-2023" not in ids and "portal_page_example" in ids
    assert set(data["related"][0]) >= {"id", "title", "url", "published", "category"}
    missing = client.get("/api/articles/khong-co/related")
    assert missing.status_code == 404 and missing.get_json() == client.get("/api/articles/khong-co").get_json()


def test_a_republished_article_is_one_hit_whose_copies_are_documented(tmp_path):
    build_engine(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", [*REPUBLISHED, OTHER_NOTICE])])
    client = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True}).test_client()
    data = search(client, q="lich tiep cong dan")
    assert not list(_validator("SearchResponse").iter_errors(data))
    assert data["total"] == 2 and [hit["id"] for hit in data["hits"]] == ["tb-7", "tb-b"]
    assert data["hits"][0]["copies"] == []
    assert data["hits"][1]["copies"] == [
        {
            "id": "tb-a",
            "url": None,
            "published": "2023-05-20",
            "category": ["Văn phòng"],
            "source": None,
            "exact": True,
        },
        {
            "id": "tb-c",
            "url": "https://tp.example.gov.vn/tb",
            "published": None,
            "category": ["Cổng thành phố"],
            "source": None,
            "exact": True,
        },
        {"id": "tb-d", "url": None, "published": None, "category": ["Phường 1"], "source": None, "exact": True},
    ]
