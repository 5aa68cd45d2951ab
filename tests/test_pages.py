"""The portal's pages: through Flask's test client, and in real headless Chromium against a real server process."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from search_service import indexer
from search_service.config import SAMPLE_DIR
from search_service.web import create_app

from .conftest import ARTICLES, CORRUPTION_REPORTS, OTHER_NOTICE, REPUBLISHED, notice, running_server, write_jsonl

CHROMIUM = os.environ.get("SEARCH_SERVICE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    """The bundled sample plus the test articles (which have dates, authors and categories)."""
    root = tmp_path_factory.mktemp("pages-index")
    indexer.build(root, [SAMPLE_DIR, ARTICLES], jobs=0)
    return root


@pytest.fixture(scope="module")
def client(index_dir):
    return create_app({"INDEX_DIR": str(index_dir)}).test_client()


# --- the pages as HTML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/search?q=cai+cach", "/advanced", "/search?q=qxzvkw", "/articles/cchc-2023"])
def test_pages_are_vietnamese_and_self_contained(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert 'name="viewport"' in page
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not url.startswith(("http:", "https:", "//")) or url.startswith("https://example.gov.vn"), url


def test_results_page_shows_vietnamese_counts_dates_and_keeps_the_query(client):
    page = client.get("/search?q=cai+cach+hanh+chinh").get_data(as_text=True)
    assert re.search(r"Tìm thấy \d+ kết quả \((&lt; )?\d+,\d\d giây\)", page)
    assert 'value="cai cach hanh chinh"' in page
    # Every syllable surely reads one way: searched so spelled, and said so.
    assert "15/03/2023" in page and "Đã hiển thị kết quả cho “<strong>cải cách hành chính</strong>”" in page
    assert "Có phải bạn muốn tìm" in client.get("/search?q=cai+cach+hanh+chinh&typed=1").get_data(as_text=True)


def test_the_order_marked_active_is_the_order_the_list_is_in(client):
    # An empty box lists the newest articles first: that is the order the page must mark, not "Liên quan nhất".
    page = client.get("/search?q=").get_data(as_text=True)
    assert re.findall(r'<strong aria-current="true">([^<]+)</strong>', page) == ["Mới nhất"]
    page = client.get("/search?q=cai+cach").get_data(as_text=True)
    assert re.findall(r'<strong aria-current="true">([^<]+)</strong>', page) == ["Liên quan nhất"]


def test_thousands_use_a_dot(client):
    from search_service.web.pages import vietnamese_number

    assert vietnamese_number(1359) == "1.359" and vietnamese_number(0.04, 2) == "0,04"


def test_nothing_found_gives_tips(client):
    page = client.get("/search?q=qxzvkw").get_data(as_text=True)
    assert "Không tìm thấy kết quả nào" in page and "Gợi ý" in page


def test_the_tip_to_drop_filters_is_given_only_where_a_filter_is_in_force(client):
    # A page that found nothing told every visitor to drop their category, author or date filters, though most had
    # chosen none. The tip is given under the filters' chips only.
    bare = client.get("/search?q=qxzvkw").get_data(as_text=True)
    filtered = client.get("/search?q=qxzvkw&author=Minh").get_data(as_text=True)
    assert "Bỏ bớt bộ lọc" not in bare and "Gợi ý" in bare
    assert "Bỏ bớt bộ lọc" in filtered and "Tác giả: Minh" in filtered


def test_the_tip_to_use_fewer_words_is_given_to_a_query_of_several(client):
    # One word typed was told to use fewer words: it is told to use a more general one.
    one = client.get("/search?q=qxzvkw").get_data(as_text=True)
    several = client.get("/search?q=qxzvkw+bvnmq").get_data(as_text=True)
    assert "Dùng ít từ hơn" not in one and "Dùng từ khóa chung hơn" in one
    assert "Dùng ít từ hơn" in several


def test_a_page_its_filters_empty_offers_the_results_without_them(client):
    # A year or a category with no article on the words gave the tips alone, though the words find articles: the
    # page now says how many, and links to them with the words kept.
    page = client.get("/search?q=cai+cach&from=01/01/1990&to=31/12/1990&in=title").get_data(as_text=True)
    offer = re.search(r'<a href="([^"]+)">Bỏ bộ lọc để xem ([\d.]+) kết quả</a>', page)
    assert "Không tìm thấy kết quả nào" in page and offer, page
    url, count = offer.group(1).replace("&amp;", "&"), offer.group(2)
    assert "cai+cach" in url and "1990" not in url and "in=" not in url
    assert f"Tìm thấy {count} kết quả" in client.get(url).get_data(as_text=True)
    # Nothing is offered where the words find nothing either, nor where no filter narrows them.
    assert "Bỏ bộ lọc để xem" not in client.get("/search?q=qxzvkw&from=01/01/1990").get_data(as_text=True)
    assert "Bỏ bộ lọc để xem" not in client.get("/search?q=qxzvkw").get_data(as_text=True)


def test_a_number_no_article_holds_is_said_so_and_the_other_words_offered(client):
    # A decree's number the portal never published found nothing, and the tips said to check the spelling: the page
    # now says which number no article holds, and links to the other words' results.
    page = client.get("/search?q=cai+cach+15/2099").get_data(as_text=True)
    offer = re.search(
        r'Không có bài nào chứa “15/2099”\. <a href="([^"]+)">Tìm “cai cach” để xem ([\d.]+) kết quả</a>', page
    )
    assert "Không tìm thấy kết quả nào" in page and offer, page
    url, count = offer.group(1).replace("&amp;", "&"), offer.group(2)
    assert "q=cai+cach" in url and "2099" not in url
    assert f"Tìm thấy {count} kết quả" in client.get(url).get_data(as_text=True)
    # Nothing is offered where the other words find nothing either, where there are none to look for, or in a
    # quotation.
    unoffered = (
        "qxzvkw+15/2099",
        "15/2099",
        '"cai+cach+15/2099"',
        "15/2099+NOT+cai",
        "15/2099+-cai",
        "qxzvkw+NOT+15/2099",
    )
    for q in unoffered:
        page = client.get(f"/search?q={q}").get_data(as_text=True)
        assert "Không tìm thấy kết quả nào" in page and "Không có bài nào chứa" not in page, q


def test_a_category_the_index_lacks_is_said_so_and_its_categories_offered(client):
    # `category:giao duc` named a category *giao* the portal lacks and looked for *duc*: nothing was found, under
    # tips to check the spelling. The page now says which category it lacks, links to the other words in every
    # category, and lists the portal's categories, each a link to the other words within it.
    page = client.get("/search?q=cải+cách+category:giao+duc").get_data(as_text=True)
    offer = re.search(
        r'Không có chuyên mục “giao duc”\. <a href="([^"]+)">Tìm “cải cách” trong mọi chuyên mục để xem ([\d.]+)',
        page,
    )
    assert "Không tìm thấy kết quả nào" in page and offer, page
    url, count = offer.group(1).replace("&amp;", "&"), offer.group(2)
    assert f"Tìm thấy {count} kết quả" in client.get(url).get_data(as_text=True)
    listed = re.search(r'<p class="categories">Các chuyên mục: (.*?)</p>', page).group(1)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', listed)
    form = client.get("/advanced").get_data(as_text=True)  # the index's 15 categories, in alphabetical order
    assert [name for _, name in links] == re.findall(r'<input type="checkbox" name="category" value="([^"]+)"', form)
    assert len(links) == 15
    within = {name: url.replace("&amp;", "&") for url, name in links}["Cải cách hành chính"]
    found = client.get(within.replace("/search", "/api/search")).get_json()
    assert found["total"] and (found["query"]["category"], found["query"]["q"]) == (["Cải cách hành chính"], "cải cách")
    # A category the portal has finds, or finds nothing under the usual tips; one excluded excludes nothing.
    for q in ("category:the+thao+qxzvkw", "qxzvkw+-category:giao", "category:thể+thao+category:văn+hóa"):
        page = client.get(f"/search?q={q}").get_data(as_text=True)
        assert "Không có chuyên mục" not in page, q


def test_the_advanced_form_s_words_typed_with_a_slip_are_offered_their_likelier_spelling(client):
    # "Có phải bạn muốn tìm" was offered for the box only: a citizen's slip in the advanced form's words found what
    # the slip found. Each field is named, and the link keeps the other fields and filters.
    page = client.get("/search?all=c%E1%BA%A3i+c%C3%A1ch+h%C3%A3nh+ch%C3%ADnh&in=title").get_data(as_text=True)
    offer = re.search(r'Có phải bạn muốn tìm: <a href="([^"]+)">Tất cả các từ: “cải cách hành chính”</a>', page)
    assert offer, page
    url = offer.group(1).replace("&amp;", "&")
    assert "in=title" in url and "h%C3%A0nh" in url  # hành
    followed = client.get(url).get_data(as_text=True)
    assert "Có phải bạn muốn tìm" not in followed and "Tìm thấy 0 kết quả" not in followed
    # A field spelled right, or typed without diacritics (read by the search itself), is offered nothing.
    for right in ("all=c%E1%BA%A3i+c%C3%A1ch+h%C3%A0nh+ch%C3%ADnh", "phrase=cai+cach+hanh+chinh"):
        assert "Có phải bạn muốn tìm" not in client.get(f"/search?{right}").get_data(as_text=True), right


def test_article_text_is_escaped_on_every_page(client):
    results = client.get("/search?q=lua+dao").get_data(as_text=True)
    article = client.get("/articles/xss").get_data(as_text=True)
    for page in (results, article):
        assert "<script>alert" not in page and "<b onmouseover" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_bad_date_and_long_query_are_shown_next_to_the_field_with_400(client):
    response = client.get("/search?from=32/13/2023&phrase=hội nghị")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="error-from"' in page and "không phải là ngày hợp lệ" in page
    assert 'value="hội nghị"' in page  # the form keeps what was typed
    long_query = client.get("/search?q=" + "a" * 600)
    assert long_query.status_code == 400 and "dài quá 500 ký tự" in long_query.get_data(as_text=True)


def test_a_link_shared_on_facebook_or_zalo_opens_its_results(client):
    shared = "/search?q=c%E1%BA%A3i+c%C3%A1ch&fbclid=IwAR0abc&utm_source=zalo&utm_medium=social&zarsrc=30&gclid=x"
    response = client.get(shared)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "cchc-2023" in page or "Đẩy mạnh cải cách hành chính năm 2023" in page
    assert "fbclid" not in page and "utm_" not in page and "zarsrc" not in page  # the page's links drop them
    assert client.get("/api/search?q=a&fbclid=x").status_code == 400  # the API stays strict


def test_a_page_past_the_last_shows_the_last_and_a_bad_sort_falls_back_to_relevance(client):
    response = client.get("/search?q=viet+nam&page=99")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Không có trang 99; đây là trang cuối cùng." in page
    last = re.findall(r'<strong aria-current="page">(\d+)</strong>', page)
    assert last and int(last[0]) > 1 and f'page={int(last[0]) + 1}"' not in page
    assert 'rel="next"' not in page and "Từ khóa:" not in page
    response = client.get("/search?q=viet+nam&sort=random")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Không có cách sắp xếp «random»" in page
    assert re.findall(r'<strong aria-current="true">([^<]+)</strong>', page) == ["Liên quan nhất"]


def test_the_advanced_form_from_a_results_page_keeps_the_keyword_and_every_filter(client):
    page = client.get("/search?q=cải+cách&category=Chính+quyền&from=01/01/2023&in=title").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Sửa tìm kiếm nâng cao</a>', page).group(1).replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    assert re.search(r'<input id="q" name="q" type="search" value="cải cách"', form)
    assert re.search(r'value="Chính quyền" checked', form)
    assert 'value="01/01/2023"' in form and re.search(r'value="title" checked', form)


def test_the_advanced_form_lists_the_categories_in_vietnamese_alphabetical_order(client):
    # By code point *Chính quyền* came before *Cải cách hành chính* (h before ả), *Đời sống* after *Văn hóa* and *Vi
    # tính* before it: Vietnamese orders *ả* as an *a*, *đ* after *d*, *ă* before *i*.
    form = client.get("/advanced").get_data(as_text=True)
    offered = re.findall(r'<input type="checkbox" name="category" value="([^"]+)"', form)
    assert offered == [
        *("An ninh trật tự", "Cải cách hành chính", "Chính quyền", "Chính trị Xã hội", "Đời sống", "Hoạt động HĐND"),
        *("Khoa học", "Kinh doanh", "Kinh tế", "Pháp luật", "Sức khỏe", "Thế giới", "Thể thao", "Văn hóa", "Vi tính"),
    ]


def test_partial_matches_are_not_passed_off_as_results(client):
    page = client.get("/search?q=cải+cách+hành+chính+bóng+đá").get_data(as_text=True)
    assert "Không có bài viết nào chứa đủ các từ “cải cách hành chính bóng đá”" in page
    assert re.search(r"Tìm thấy \d+ bài chứa một phần các từ", page) and not re.search(r"Tìm thấy \d+ kết quả", page)
    assert "Thiếu: <s>bóng đá</s>" in page and "Thiếu: <s>cải cách hành chính</s>" in page
    page = client.get("/search?q=cải+cách+hành+chính").get_data(as_text=True)
    assert "Thiếu:" not in page and "chứa đủ" not in page and re.search(r"Tìm thấy \d+ kết quả", page)


def test_text_with_no_word_to_search_by_is_not_shown_as_every_article(client):
    page = client.get("/search?q=%F0%9F%98%80+!!!").get_data(as_text=True)
    assert "Không tìm thấy kết quả nào cho “😀 !!!”" in page and '<li class="hit">' not in page
    assert "Từ khóa không có chữ hay số nào để tìm." in page
    newest = re.search(r'<a href="([^"]+)">Xem các bài mới nhất</a>', page).group(1).replace("&amp;", "&")
    listed = client.get(newest).get_data(as_text=True)
    assert "Tất cả bài viết" in listed and listed.count('<li class="hit">') == 10


def test_a_republished_article_is_listed_once_with_links_to_its_copies(tmp_path):
    indexer.build(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", [*REPUBLISHED, OTHER_NOTICE])], jobs=1)
    page = (
        create_app({"INDEX_DIR": str(tmp_path / "ix")}).test_client().get("/search?q=lịch+tiếp").get_data(as_text=True)
    )
    assert re.search(r"Tìm thấy 2 kết quả", page) and page.count('<li class="hit">') == 2
    copies = re.findall(r'<p class="copies">(.*?)</p>', page)
    assert len(copies) == 1
    links = re.findall(r'<a href="([^"?]+)(?:\?q=[^"]+)?">([^<]+)</a>', copies[0])
    assert links == [
        ("/articles/tb-a", "Văn phòng · 20/05/2023"),
        ("https://tp.example.gov.vn/tb", "Cổng thành phố"),
        ("/articles/tb-d", "Phường 1"),
    ]
    assert copies[0].startswith("Cùng nội dung: ")


def test_a_network_s_search_names_each_hit_s_portal_and_narrows_to_the_portals_chosen(tmp_path):
    # A network's index holds the district's portal and its wards': a hit says whose it is, as its copies do, and a
    # visitor (or a ward's own search box) keeps to some of them; a notice republished by a ward is found there.
    articles = [
        {"id": "q-1", "title": "Lịch tiếp công dân tháng 6", "body": "Lịch tiếp công dân.", "source": "Quận Hải Châu"},
        {"id": "p-1", "title": "Lịch tiếp công dân của phường", "body": "Lịch tiếp dân.", "source": "Phường Mỹ An"},
        {"id": "p-2", "title": "Lịch tiếp công dân tháng 7", "body": "Lịch tiếp dân.", "source": "Phường Mỹ An"},
        {"id": "x-1", "title": "Lịch tiếp công dân năm 2023", "body": "Lịch tiếp công dân cả năm."},
        {"id": "tb-q", **notice(8), "published": "01/08/2023", "source": "Quận Hải Châu"},
        {"id": "tb-p", **notice(8), "published": "02/08/2023", "source": "Phường Hòa Cường"},
    ]
    indexer.build(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", articles)], jobs=1)
    client = create_app({"INDEX_DIR": str(tmp_path / "ix")}).test_client()
    found = client.get("/api/search?q=lịch+tiếp+công+dân").get_json()
    assert {hit["id"]: hit["source"] for hit in found["hits"]} == {
        "q-1": "Quận Hải Châu",
        "p-1": "Phường Mỹ An",
        "p-2": "Phường Mỹ An",
        "x-1": None,
        "tb-p": "Phường Hòa Cường",  # the newest copy, the district's named under it
    }
    sources = {row["value"]: row["count"] for row in found["facets"]["source"]}
    assert sources == {"Phường Mỹ An": 2, "Quận Hải Châu": 2, "Phường Hòa Cường": 1}  # the notice once for each
    ward = client.get("/api/search?q=lịch+tiếp+công+dân&source=Phường Mỹ An").get_json()
    assert sorted(hit["id"] for hit in ward["hits"]) == ["p-1", "p-2"] and ward["query"]["source"] == ["Phường Mỹ An"]
    assert {row["value"]: row["count"] for row in ward["facets"]["source"]} == sources  # what choosing each would add
    district = client.get("/api/search?q=lịch+tiếp+công+dân&source=Quận Hải Châu").get_json()
    assert sorted(hit["id"] for hit in district["hits"]) == ["q-1", "tb-q"]  # its own copy of the notice
    page = client.get("/search?q=lịch+tiếp+công+dân&source=Phường Mỹ An").get_data(as_text=True)
    assert sorted(re.findall(r'<span class="source">([^<]+)</span>', page)) == ["Phường Mỹ An", "Phường Mỹ An"]
    facet = re.search(r'<nav aria-label="Nguồn">(.*?)</nav>', page, re.S).group(1)
    assert re.search(r'class="check on"[^>]*aria-checked="true">Phường Mỹ An</a> <span class="n">\(2\)', facet)
    assert 'aria-label="Bỏ Nguồn: Phường Mỹ An"' in page
    form = client.get("/advanced?source=Phường Mỹ An").get_data(as_text=True)
    offered = re.findall(r'<input type="checkbox" name="source" value="([^"]+)"( checked)?>', form)
    assert offered == [("Phường Hòa Cường", ""), ("Phường Mỹ An", " checked"), ("Quận Hải Châu", "")]
    for bad, message in (
        ("a%01b", "'source' chứa ký tự điều khiển"),
        ("&source=".join(["x"] * 21), "tối đa 20 nguồn"),
        ("x" * 201, "'source' dài quá 200 ký tự"),  # one source, not twenty
    ):
        response = client.get(f"/api/search?q=x&source={bad}")
        assert response.status_code == 400 and message in response.get_json()["error"]["message"]


def test_a_category_or_portal_given_as_a_slug_or_in_another_case_is_the_one_the_index_names(tmp_path):
    # A portal's own pages link to its search with their slugs (`?category=cai-cach-hanh-chinh`), and visitors type
    # addresses in lower case without marks: each filter's value is read as the category or portal it stands for,
    # where it matched no article (a term is exact) and the page showed an empty "Cai cach hanh chinh (0)".
    articles = [
        {
            "id": "c-1",
            "title": "Kế hoạch cải cách hành chính",
            "category": "Cải cách hành chính",
            "source": "Phường Mỹ An",
        },
        {
            "id": "c-2",
            "title": "Cải cách thủ tục đất đai",
            "category": "Cải cách hành chính",
            "source": "Quận Hải Châu",
        },
        {"id": "k-1", "title": "Cải cách doanh nghiệp", "category": "Kinh tế", "source": "Phường Mỹ An"},
    ]
    indexer.build(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", articles)], jobs=1)
    client = create_app({"INDEX_DIR": str(tmp_path / "ix")}).test_client()
    for category in ("cai-cach-hanh-chinh", "CẢI CÁCH HÀNH CHÍNH", "cai cach hanh chinh", "Cải cách hành chính"):
        found = client.get("/api/search", query_string={"q": "cải cách", "category": category}).get_json()
        assert sorted(hit["id"] for hit in found["hits"]) == ["c-1", "c-2"], category
        assert found["query"]["category"] == ["Cải cách hành chính"]
    ward = client.get("/api/search?q=cải+cách&source=phuong-my-an&category=kinh_te").get_json()
    assert [hit["id"] for hit in ward["hits"]] == ["k-1"] and ward["query"]["source"] == ["Phường Mỹ An"]
    page = client.get("/search?q=cải+cách&category=cai-cach-hanh-chinh").get_data(as_text=True)
    assert 'aria-label="Bỏ Chuyên mục: Cải cách hành chính"' in page and "Chuyên mục: Cải cách hành chính." in page
    facet = re.search(r'<nav aria-label="Chuyên mục">(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r'aria-checked="true">([^<]+)</a>', facet) == ["Cải cách hành chính"]
    unknown = client.get("/api/search?q=cải+cách&category=giao-duc").get_json()  # no such category: as given
    assert unknown["total"] == 0 and unknown["query"]["category"] == ["giao-duc"]


def test_a_word_typed_without_its_marks_among_marked_ones_is_searched_with_them_and_the_page_says_so(client):
    # As typed, `Noi` beside `Hà` finds the two articles that write "Ha Noi" in an e-mail, and says nothing.
    page = client.get("/search?q=Hà+Noi").get_data(as_text=True)
    assert "Đã hiển thị kết quả cho “<strong>Hà Nội</strong>”" in page
    found = int(re.search(r"Tìm thấy (\d+) kết quả", page).group(1))
    link = re.search(r'<a href="([^"]+)">Tìm chính xác “Hà Noi”</a>', page).group(1).replace("&amp;", "&")
    as_typed = client.get(link).get_data(as_text=True)
    assert "Đã hiển thị kết quả cho" not in as_typed
    assert found > int(re.search(r"Tìm thấy (\d+) kết quả", as_typed).group(1))


def test_typed_diacritics_are_matched_and_highlighted_as_typed(client):
    from search_service.analysis import normalize_text, split_syllables

    page = client.get("/search?q=ủy+ban+nhân+dân").get_data(as_text=True)
    marked = re.findall(r"<mark>(.*?)</mark>", page)
    assert marked
    for text in marked:  # never bản, nhận, Nhãn
        assert {s.text for s in split_syllables(normalize_text(text))} <= {"ủy", "ban", "nhân", "dân", "ubnd"}, text
    assert "khác dấu" not in page
    page = client.get("/search?q=Tú").get_data(as_text=True)  # no article holds Tú: other accentings, said so
    assert "Không có bài viết nào chứa đúng “Tú” như đã gõ; dưới đây là các bài có từ viết khác dấu." in page
    assert re.search(r"Tìm thấy \d+ bài có từ viết khác dấu", page)


def test_a_query_typed_in_telex_or_vni_is_searched_in_vietnamese_and_said_so(client):
    page = client.get("/search?q=cari+cachs+hanhf+chinhs").get_data(as_text=True)
    assert "Đã tìm “<strong>cải cách hành chính</strong>” (gõ theo kiểu Telex)." in page
    assert 'value="cari cachs hanhf chinhs"' in page  # the box keeps what was typed
    link = re.search(r'<a href="([^"]+)">Tìm chính xác “cari cachs hanhf chinhs”</a>', page).group(1)
    assert "gõ theo kiểu" not in client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    page = client.get("/search?q=cai3+cach1").get_data(as_text=True)
    assert "Đã tìm “<strong>cải cách</strong>” (gõ theo kiểu VNI)." in page
    assert "gõ theo kiểu" not in client.get("/search?q=UBND+29-CT/TU").get_data(as_text=True)


def test_a_query_that_finds_nothing_shows_its_likelier_spelling_s_results(client):
    page = client.get("/search?q=cải+cáhc").get_data(as_text=True)
    assert "Đã hiển thị kết quả cho “<strong>cải cách</strong>”." in page
    link = re.search(r'<a href="([^"]+)">Tìm chính xác “cải cáhc”</a>', page).group(1).replace("&amp;", "&")
    page = client.get(link).get_data(as_text=True)
    assert "Đã hiển thị" not in page and "Có phải bạn muốn tìm" in page and "cải cách</a>" in page


def test_a_query_typed_without_diacritics_with_a_letter_slipped_shows_what_typing_it_right_finds(client):
    page = client.get("/search?q=cai+cahc+hanh+chinh").get_data(as_text=True)
    # The mended letters surely read one way on this index: searched so spelled.
    assert "Đã hiển thị kết quả cho “<strong>cải cách hành chính</strong>”." in page
    assert "Tìm chính xác “cai cahc hanh chinh”" in page and "Có phải bạn muốn tìm" not in page
    slipped = client.get("/api/search?q=cai+cahc+hanh+chinh").get_json()
    right = client.get("/api/search?q=cai+cach+hanh+chinh").get_json()
    assert slipped["total"] == right["total"] > 0
    assert [hit["id"] for hit in slipped["hits"]] == [hit["id"] for hit in right["hits"]]


def test_the_chosen_year_and_every_filter_show_as_chosen_and_removable(client):
    page = client.get("/search?q=&from=01/01/2023&to=31/12/2023&author=Minh+Tuấn").get_data(as_text=True)
    assert "<strong>Năm 2023</strong>" in page and 'aria-label="Bỏ lọc năm 2023"' in page
    chips = re.findall(r'<a class="chip" href="([^"]+)" aria-label="Bỏ ([^"]+)">', page)
    assert [label for _, label in chips] == ["Năm 2023", "Tác giả: Minh Tuấn"]
    without_year = chips[0][0].replace("&amp;", "&")
    assert "from=" not in without_year and "to=" not in without_year and "author=" in without_year
    clear = re.search(r'<a class="clear" href="([^"]+)">Xóa bộ lọc</a>', page).group(1)
    assert "author" not in clear and "from" not in clear and "q=" in clear
    for label in ("7 ngày qua", "30 ngày qua", "Năm nay"):
        assert re.search(rf'<a href="[^"]*from=[^"]*">{label}</a>', page), label


def test_a_chosen_category_leaves_the_others_listed_with_what_they_would_add(client):
    whole = {row["value"]: row["count"] for row in client.get("/api/search?q=").get_json()["facets"]["category"]}
    chosen = client.get("/api/search?q=&category=Thể thao").get_json()
    assert {row["value"]: row["count"] for row in chosen["facets"]["category"]} == whole
    both = client.get("/api/search?q=&category=Thể thao&category=Pháp luật").get_json()
    assert both["total"] == whole["Thể thao"] + whole["Pháp luật"]


def test_an_article_opened_from_results_marks_the_words_links_back_and_lists_related_articles(client):
    results = client.get("/search?q=bóng+đá&category=Thể+thao").get_data(as_text=True)
    link = re.search(r'<h3><a href="(/articles/bong-da[^"]+)">', results).group(1).replace("&amp;", "&")
    page = client.get(link).get_data(as_text=True)
    back = re.search(r'<p class="back"><a href="([^"]+)">← Quay lại kết quả</a></p>', page).group(1)
    assert back.replace("&amp;", "&") == "/search?q=b%C3%B3ng+%C4%91%C3%A1&category=Th%E1%BB%83+thao"
    assert "<mark>" in page and re.search(r"<mark>[Bb]óng đá</mark>", page)
    related = re.search(r'<h2 id="related-title">Tin liên quan</h2>(.*?)</ul>', page, re.S).group(1)
    assert related.count("<li>") >= 1 and "/articles/bong-da?" not in related
    plain = client.get("/articles/bong-da").get_data(as_text=True)  # opened on its own: no marks, no way back
    assert "<mark>" not in plain and "Quay lại kết quả" not in plain
    escaped = client.get("/articles/xss?q=lừa+đảo").get_data(as_text=True)
    assert "<script>alert" not in escaped and "&lt;script&gt;" in escaped and "<mark>" in escaped


@pytest.mark.parametrize(
    ("typed", "marked"),
    [
        ("bongs ddas", "bóng đá"),  # typed in Telex
        ("NOT đội tuyển bóng đá", "bóng đá"),  # a NOT before every word: *bóng đá* looked for, *đội tuyển* not
        ("cải cáhc", "cải cách"),  # nothing as typed: the likelier spelling's results, marked by it
    ],
)
def test_an_article_opened_from_results_marks_the_words_as_the_search_read_them(client, typed, marked):
    # The article page read the box by itself, as typed, never as a next try: it marked nothing of what the search
    # had found it by.
    results = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    link = re.search(r'<h3><a href="(/articles/[^"]+)">', results).group(1).replace("&amp;", "&")
    page = client.get(link).get_data(as_text=True)
    assert re.search(rf"<mark>{marked}</mark>", page, re.IGNORECASE), link


def test_an_article_found_by_the_letters_typed_is_marked_by_them(tmp_path):
    # The bodies write *tham nhũng*, which `tham nhung` surely reads; no title holds it, one says *Thăm những*.
    indexer.build(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", CORRUPTION_REPORTS)], jobs=1)
    client = create_app({"INDEX_DIR": str(tmp_path / "ix")}).test_client()
    # In titles the spelling finds nothing: the letters as typed are searched, and the article found so is marked so.
    results = client.get("/search?q=tham+nhung&in=title").get_data(as_text=True)
    link = re.search(r'<h3><a href="(/articles/tham-1[^"]*)">', results).group(1).replace("&amp;", "&")
    assert "<mark>Thăm những</mark>" in client.get(link).get_data(as_text=True)
    # Found by the spelling, an article is marked by it, not by every accenting of its letters.
    page = client.get("/articles/pc-1?q=tham+nhung").get_data(as_text=True)
    assert "<mark>tham nhũng</mark>" in page


def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
    assert client.get("/api/khong-co").get_json()["error"]["code"] == "not_found"


def test_pages_without_an_index_say_the_search_is_unavailable(tmp_path):
    response = create_app({"INDEX_DIR": str(tmp_path / "none")}).test_client().get("/search?q=a")
    assert response.status_code == 503
    assert "tạm thời gián đoạn" in response.get_data(as_text=True)


# --- in a real browser ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(index_dir):
    with running_server(index_dir) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    opened = context.new_page()
    yield opened
    context.close()


@pytest.mark.slow
def test_type_without_diacritics_and_press_enter(page, base_url):
    page.goto(base_url + "/")
    page.get_by_label("Từ khóa tìm kiếm").fill("cai cach hanh chinh")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=cai"))
    first = page.locator(".hit").first
    expect(first.locator("h3")).to_contain_text("cải cách hành chính")
    expect(
        first.locator("mark").filter(has_text=re.compile("^cải cách hành chính$", re.IGNORECASE)).first
    ).to_be_visible()
    expect(page.locator("input[name=q]")).to_have_value("cai cach hanh chinh")
    expect(page.locator(".count")).to_contain_text("Tìm thấy")


def wait_for_the_list_of(page, typed: str) -> None:
    """Until the completions shown are those of the whole prefix, not a list answered for a shorter one on the way
    (each of them starts with what was typed, diacritics aside)."""
    page.wait_for_function(
        """typed => [...document.querySelectorAll('[role=option]')].every(o =>
             o.textContent.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').toLowerCase()
              .startsWith(typed))""",
        arg=typed,
    )


@pytest.mark.slow
def test_use_a_completion_with_the_keyboard(page, base_url):
    page.goto(base_url + "/")
    box = page.get_by_label("Từ khóa tìm kiếm")
    box.press_sequentially("bong d", delay=30)
    option = page.get_by_role("option", name="bóng đá", exact=True)
    expect(option).to_be_visible()
    wait_for_the_list_of(page, "bong d")
    options = page.get_by_role("option").all_text_contents()
    for _ in range(options.index("bóng đá") + 1):
        box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile("suggestions"))
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=b%C3%B3ng"))
    expect(page.locator("input[name=q]")).to_have_value("bóng đá")
    expect(page.locator(".hit mark").first).to_have_text(re.compile("bóng đá", re.IGNORECASE))


@pytest.mark.slow
def test_a_box_longer_than_a_completion_reads_is_offered_none(page, base_url):
    # The page asked for the completions of the box's first 100 characters (as many as the API reads), and one chosen
    # took the whole box's place: the words typed after them were lost.
    page.goto(base_url + "/")
    box = page.get_by_label("Từ khóa tìm kiếm")
    box.fill(" " * 94)
    box.press_sequentially("bong d", delay=30)
    expect(page.get_by_role("option", name="bóng đá", exact=True)).to_be_visible()  # 100 characters: completed
    box.press_sequentially("a ha noi", delay=30)
    page.wait_for_timeout(600)  # longer than the page waits after a keystroke before it asks
    expect(page.get_by_role("option")).to_have_count(0)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    expect(page.locator("input[name=q]")).to_have_value(re.compile(r"^\s*bong da ha noi$"))


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two CSS colours given as rgb(…)/rgba(…)."""

    def luminance(color: str) -> float:
        red, green, blue = (int(n) / 255 for n in re.findall(r"[\d.]+", color)[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


BACKGROUND = """element => {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color !== "rgba(0, 0, 0, 0)") return color;
  }
  return "rgb(255, 255, 255)";
}"""


@pytest.mark.slow
def test_completions_show_the_typed_part_reopen_and_stay_readable_and_clear_of_the_button(browser, base_url):
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        page.goto(base_url + "/")
        box = page.get_by_label("Từ khóa tìm kiếm")
        box.press_sequentially("bong d", delay=30)
        option = page.get_by_role("option", name="bóng đá", exact=True)
        expect(option).to_be_visible()
        wait_for_the_list_of(page, "bong d")
        assert option.locator("b").inner_text() == "bóng đ" and option.locator("span").inner_text() == "á"
        box.press("Escape")
        expect(option).to_be_hidden()
        box.press("ArrowDown")  # reopens
        expect(option).to_be_visible()
        box.press("ArrowDown")
        chosen = page.locator("[role=option][aria-selected=true]")
        styles = chosen.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert contrast(*styles) >= 4.5, styles
        listed = page.locator(".suggestions").bounding_box()
        button = page.locator("main button[type=submit]").bounding_box()
        overlaps = listed["x"] < button["x"] + button["width"] and button["x"] < listed["x"] + listed["width"]
        assert not (overlaps and listed["y"] < button["y"] + button["height"] < listed["y"] + listed["height"] + 1)
        context.close()


@pytest.mark.slow
def test_fields_and_focus_rings_stand_out_from_their_background(page, base_url):
    page.goto(base_url + "/advanced")
    for field in page.locator("input[type=text], input[type=search], select").all():
        border = field.evaluate("e => getComputedStyle(e).borderTopColor")
        assert contrast(border, field.evaluate(BACKGROUND)) >= 3.0, border
    page.goto(base_url + "/search?q=bong+da")
    for target in ("#q-header", ".hit h3 a"):
        element = page.locator(target).first
        element.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focused from the keyboard, so :focus-visible applies
        ring = element.evaluate("e => getComputedStyle(e).outlineColor")
        assert contrast(ring, element.evaluate(BACKGROUND)) >= 3.0, (target, ring)


AXE = Path(os.environ.get("SEARCH_SERVICE_AXE", Path(__file__).resolve().parent.parent / ".ci" / "node"))
AXE_SCRIPT = AXE / "node_modules" / "axe-core" / "axe.min.js"
AXE_PAGES = [
    "/",
    "/search?q=bong+da",
    "/search?q=b%C3%B3ng+%C4%91%C3%A1&category=Th%E1%BB%83+thao",
    "/search?q=c%E1%BA%A3i+c%C3%A1ch+h%C3%A0nh+ch%C3%ADnh+b%C3%B3ng+%C4%91%C3%A1",
    "/search?q=cari+cachs",
    "/search?q=qxzvkw",
    "/search?q=a&from=32/13/2023",
    "/advanced",
    "/articles/bong-da?q=b%C3%B3ng+%C4%91%C3%A1",
    "/khong-co-trang-nay",
]


@pytest.mark.slow
def test_the_skip_link_lands_on_the_results_and_tabbing_follows_the_screen(browser, base_url):
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        page.goto(base_url + "/search?q=bong+da")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Bỏ qua, đến kết quả tìm kiếm")).to_be_focused()
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")  # the first link after the landing point: the first result's title
        first = page.locator(".hit h3 a").first
        expect(first).to_be_focused()
        # Tabbing on from the header, focus goes down the screen: each focused control is no higher than the one
        # before it in its column (the filters sit above the results on a phone, beside them on a wide screen).
        page.goto(base_url + "/search?q=bong+da")
        tops = []
        for _ in range(12):
            page.keyboard.press("Tab")
            tops.append(
                page.evaluate(
                    "() => [document.activeElement.getBoundingClientRect().x, scrollY + "
                    "document.activeElement.getBoundingClientRect().y]"
                )
            )
        columns: dict[bool, list[float]] = {}
        for x, y in tops:
            columns.setdefault(width > 720 and x > 360, []).append(y)
        assert all(column == sorted(column) for column in columns.values()), (width, tops)
        context.close()


@pytest.mark.slow
def test_every_page_passes_axe_without_a_serious_or_critical_violation(browser, base_url):
    # axe-core from npm (.ci/run installs it); the page's CSP would refuse the injected script, so it is bypassed here.
    script = AXE_SCRIPT.read_text(encoding="utf-8")
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 844}, bypass_csp=True)
        page = context.new_page()
        for path in AXE_PAGES:
            page.goto(base_url + path)
            assert page.locator("h1").count() == 1, path
            page.evaluate(script)
            violations = page.evaluate(
                "async () => (await axe.run()).violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target)])"
            )
            assert not [v for v in violations if v[1] in ("serious", "critical")], (width, path, violations)
        context.close()


@pytest.mark.slow
def test_advanced_form_with_category_dates_and_phrase(page, base_url):
    page.goto(base_url + "/advanced")
    page.get_by_label("Cụm từ chính xác").fill("cải cách hành chính")
    page.get_by_label("Cải cách hành chính", exact=True).check()
    page.get_by_label("Từ ngày", exact=True).fill("01/01/2023")
    page.get_by_label("Đến ngày", exact=True).fill("31/12/2023")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"/search\?"))
    titles = page.locator(".hit h3").all_text_contents()
    assert titles == ["Đẩy mạnh cải cách hành chính năm 2023"]
    description = page.locator(".description")
    expect(description).to_contain_text("Cụm từ chính xác: “cải cách hành chính”")
    expect(description).to_contain_text("Chuyên mục: Cải cách hành chính")
    expect(description).to_contain_text("Từ ngày 01/01/2023")
    # The form opens again with its values kept.
    page.get_by_role("link", name="Sửa tìm kiếm nâng cao").click()
    expect(page.get_by_label("Cụm từ chính xác")).to_have_value("cải cách hành chính")
    expect(page.get_by_label("Cải cách hành chính", exact=True)).to_be_checked()
    expect(page.get_by_label("Đến ngày", exact=True)).to_have_value("31/12/2023")


@pytest.mark.slow
def test_page_forward_and_narrow_by_a_facet(page, base_url):
    page.goto(base_url + "/search?q=")
    first_page = page.locator(".hit h3").all_text_contents()
    page.get_by_role("link", name="Trang sau").click()
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("2")
    second_page = page.locator(".hit h3").all_text_contents()
    assert len(second_page) == 10 and not set(first_page) & set(second_page)
    facet = page.get_by_role("navigation", name="Chuyên mục")
    facet.get_by_role("checkbox", name="Thể thao").click()
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("1")
    categories = page.locator(".hit .category").all_text_contents()
    assert categories and all("Thể thao" in c for c in categories)
    expect(page.locator(".count")).to_contain_text("Tìm thấy 31 kết quả")
    # The other categories stay listed, with what each would add; ticking a second one adds its articles.
    expect(facet.get_by_role("checkbox", name="Thể thao")).to_have_attribute("aria-checked", "true")
    added = int(facet.locator("li").filter(has_text="Pháp luật").locator(".n").inner_text().strip("()"))
    facet.get_by_role("checkbox", name="Pháp luật").click()
    expect(page.locator(".count")).to_contain_text(f"Tìm thấy {31 + added} kết quả")
    expect(page.get_by_role("link", name="Bỏ Chuyên mục: Pháp luật")).to_be_visible()
    page.get_by_role("link", name="Xóa bộ lọc").click()
    expect(page.locator(".chips")).to_have_count(0)
    assert "category" not in page.url and "q=" in page.url


@pytest.mark.slow
def test_a_date_preset_fills_both_date_fields(page, base_url):
    from datetime import date, timedelta

    page.goto(base_url + "/advanced")
    page.get_by_role("button", name="30 ngày qua").click()
    today = date.today()
    expect(page.locator("#from")).to_have_value((today - timedelta(days=29)).strftime("%d/%m/%Y"))
    expect(page.locator("#to")).to_have_value(today.strftime("%d/%m/%Y"))


@pytest.mark.slow
def test_a_bad_date_is_shown_next_to_the_field(page, base_url):
    page.goto(base_url + "/advanced")
    page.get_by_label("Từ ngày", exact=True).fill("32/13/2023")
    with page.expect_response(re.compile(r"/search\?")) as response:
        page.get_by_role("button", name="Tìm kiếm").click()
    assert response.value.status == 400
    field = page.get_by_label("Từ ngày", exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-from")).to_contain_text("không phải là ngày hợp lệ")
    expect(field).to_have_value("32/13/2023")


@pytest.mark.slow
def test_phone_width_has_no_horizontal_scroll(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    for path in ("/", "/search?q=bong+da", "/advanced"):
        phone.goto(base_url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()


@pytest.mark.slow
def test_a_long_unbroken_run_typed_wraps_rather_than_widening_the_page(browser, base_url):
    # A pasted address or a key held down is one word of hundreds of letters: the box's words were echoed unbroken,
    # and the results' column, then the whole page, grew to its width (6,845 px for 480 letters).
    run = "https://example.gov.vn/" + "a" * 300
    paths = [
        f"/search?q={run}",  # nothing found: the message echoes it
        f"/search?q=bong+da+{run}",  # the articles holding a part of it, each naming what it lacks
        f'/search?q="{run}"',
        f"/search?q=bong+da&author={run}",  # a filter's chip
        f"/search?all={run}",
        f"/search?q=bong+da&category={run[:201]}",  # refused, the advanced form shown with the value
    ]
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        for path in paths:
            page.goto(base_url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
        context.close()


@pytest.mark.slow
def test_on_a_phone_the_filters_wait_above_the_results_behind_one_button(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(base_url + "/search?q=bong+da")
    button = phone.get_by_text("Bộ lọc và sắp xếp")
    first_hit = phone.locator(".hit").first
    assert button.bounding_box()["y"] < first_hit.bounding_box()["y"] < 844  # above the results, on the first screen
    sort = phone.get_by_role("navigation", name="Sắp xếp")
    expect(sort).to_be_hidden()
    button.click()
    expect(sort).to_be_visible()
    sort.get_by_role("link", name="Mới nhất").click()
    expect(phone.locator("[aria-current=true]")).to_have_text("Mới nhất")
    context.close()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        " JaVaScRiPt:alert(document.domain)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_an_article_url_that_would_run_script_never_becomes_a_link(tmp_path, url):
    articles = [{"id": "lua-dao", "title": "Cảnh báo lừa đảo qua mạng", "body": "Cảnh báo lừa đảo.", "url": url}]
    indexer.build(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", articles)], jobs=1)
    client = create_app({"INDEX_DIR": str(tmp_path / "ix")}).test_client()
    page = client.get("/search?q=lừa+đảo").get_data(as_text=True)
    links = re.findall(r'<a href="([^"]*)"', page)
    assert any(link.startswith("/articles/lua-dao?") for link in links)  # the service's own page
    assert not [link for link in links if re.match(r"\s*[a-z\t]+:", link, re.I) and not link.startswith("http")]
    assert client.get("/api/search?q=lừa+đảo").get_json()["hits"][0]["url"] is None
    assert client.get("/api/articles/lua-dao").get_json()["url"] is None


def test_an_article_url_on_the_web_or_the_portal_stays_its_link(tmp_path):
    articles = [
        {"id": "a", "title": "Cảnh báo lừa đảo qua mạng", "url": "https://quan.gov.vn/tin/1"},
        {"id": "b", "title": "Cảnh báo lừa đảo qua điện thoại", "url": "/tin-tuc/2"},
    ]
    indexer.build(tmp_path / "ix", [write_jsonl(tmp_path / "a.jsonl", articles)], jobs=1)
    client = create_app({"INDEX_DIR": str(tmp_path / "ix")}).test_client()
    links = re.findall(r'<a href="([^"]*)"', client.get("/search?q=cảnh+báo").get_data(as_text=True))
    assert "https://quan.gov.vn/tin/1" in links and "/tin-tuc/2" in links


@pytest.mark.parametrize("path", ["/", "/search?q=cai+cach", "/api/search?q=cai", "/healthz", "/khong-co"])
def test_every_answer_allows_only_the_services_own_scripts_and_names_who_may_frame_it(client, index_dir, path):
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert policy.endswith("frame-ancestors 'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    embedded = create_app({"INDEX_DIR": str(index_dir), "FRAME_ANCESTORS": "'self' https://portal.gov.vn"})
    assert (
        embedded.test_client()
        .get(path)
        .headers["Content-Security-Policy"]
        .endswith("frame-ancestors 'self' https://portal.gov.vn")
    )


def test_the_portal_s_name_logo_and_home_and_a_sub_path_behind_a_proxy(index_dir):
    settings = {
        "INDEX_DIR": str(index_dir),
        "SITE_NAME": "Cổng TTĐT quận Ngũ Hành Sơn",
        "PORTAL_URL": "https://nguhanhson.danang.gov.vn/",
        "LOGO_URL": "https://nguhanhson.danang.gov.vn/logo.png",
        "BASE_PATH": "/tim-kiem",
    }
    client = create_app(settings).test_client()
    for path in ("/tim-kiem/search?q=bóng+đá", "/search?q=bóng+đá"):  # the proxy passes the path whole, or not
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert "<title>bóng đá – Cổng TTĐT quận Ngũ Hành Sơn</title>" in page
        assert '<a class="portal" href="https://nguhanhson.danang.gov.vn/">' in page
        assert '<img class="logo" src="https://nguhanhson.danang.gov.vn/logo.png"' in page
        assert "img-src 'self' data: https://nguhanhson.danang.gov.vn;" in response.headers["Content-Security-Policy"]
        local = [u for u in re.findall(r'(?:href|src|action|data-suggest-url)="([^"]+)"', page) if u.startswith("/")]
        assert local and all(u.startswith("/tim-kiem/") for u in local), local
        assert 'data-suggest-url="/tim-kiem/api/suggest"' in page
    assert client.get("/tim-kiem/static/style.css").status_code == 200
    assert client.get("/tim-kiem/favicon.ico").headers["Content-Type"].startswith("image/svg+xml")
    assert client.get("/tim-kiem/api/suggest?q=bong").get_json()["suggestions"]


def test_the_default_pages_have_a_favicon_and_say_which_page_of_results(client):
    assert client.get("/favicon.ico").status_code == 200
    page = client.get("/search?q=&page=2").get_data(as_text=True)
    assert "<title>Kết quả tìm kiếm – Trang 2 – Tìm kiếm tin bài</title>" in page and "· Trang 2</p>" in page
