"""Reading articles: every source form, the portal page, and bad records reported by file and line."""

from __future__ import annotations

import gzip
import json
import time
from datetime import datetime

import pytest

from search_service.errors import SourceError
from search_service.query import SearchRequest
from search_service.sources import parse_date, parse_mapping, read_sources

from .conftest import PORTAL_PAGE


def articles(*sources, mapping=None):
    return [r.article for r in read_sources(sources, mapping) if r.article]


def errors(*sources):
    return [(r.where, r.error) for r in read_sources(sources) if r.error]


def test_portal_page_becomes_one_article_without_the_page_furniture():
    [article] = articles(PORTAL_PAGE)
    assert article.id == "portal_page_example"
    assert article.title.startswith("Quận Ngũ Hành Sơn triển khai Chỉ thị số 29-CT/TU")
    assert article.published == datetime(2023, 5, 12)
    assert article.views == 78
    assert article.author == "Thanh Lài"
    assert article.body.startswith("Sáng ngày 11/5")
    assert article.body.endswith("trước ngày 15 hằng tháng.")
    for furniture in (
        "Chuyên mục, tin tức liên quan",
        "Tìm kiếm",
        "Thống kê truy cập",
        "Tổng lượt truy cập",
        "Thanh Lài",
    ):
        assert furniture not in article.body


def test_jsonl_gz_and_csv_read_the_same_article_form(tmp_path):
    record = {
        "id": "a1",
        "title": "Tin tức",
        "category": "Thời sự; Xã hội",
        "tags": ["x"],
        "published": "12/05/2023 08:30",
        "views": "1.024",
    }
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (tmp_path / "b.csv").write_text(
        'id,title,category,published,views,author\nb1,"Họp báo, thông tin",Thời sự,2023-05-12,7,Lan Anh\n',
        encoding="utf-8",
    )
    first, second = articles(tmp_path / "a.jsonl.gz", tmp_path / "b.csv")
    assert (first.id, first.category, first.published, first.views) == (
        "a1",
        ["Thời sự", "Xã hội"],
        datetime(2023, 5, 12, 8, 30),
        1024,
    )
    assert (second.title, second.author, second.published) == ("Họp báo, thông tin", "Lan Anh", datetime(2023, 5, 12))


def test_a_folder_reads_every_supported_file_below_it(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.txt").write_text(PORTAL_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "a.jsonl").write_text('{"id": "x", "title": "Một"}\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    assert sorted(a.id for a in articles(tmp_path)) == ["page", "x"]


def test_bad_records_are_reported_by_file_and_line_and_good_ones_kept(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok1", "title": "Tốt"}\n'
        "{not json\n"
        '{"title": "Không có id"}\n'
        '{"id": "no-title"}\n'
        '{"id": "bad-date", "title": "Ngày sai", "published": "32/13/2023"}\n'
        '{"id": "ok2", "title": "Cũng tốt"}\n',
        encoding="utf-8",
    )
    assert [a.id for a in articles(path)] == ["ok1", "ok2"]
    found = errors(path)
    assert [where for where, _ in found] == [f"{path}:2", f"{path}:3", f"{path}:4", f"{path}:5"]
    assert "not valid JSON" in found[0][1]
    assert "missing 'id'" in found[1][1]
    assert "no 'title'" in found[2][1]
    assert "unreadable date" in found[3][1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/05/2023", datetime(2023, 5, 12)),
        ("12/05/2023 14:05", datetime(2023, 5, 12, 14, 5)),
        ("2023-05-12", datetime(2023, 5, 12)),
        ("2023-05-12T14:05:00+07:00", datetime(2023, 5, 12, 14, 5)),
    ],
)
def test_dates_in_iso_and_vietnamese_form(text, expected):
    assert parse_date(text) == expected


def test_field_mapping_renames_a_portal_export(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text('{"ma": "7", "tieu_de": "Tin mới", "text": "Nội dung"}\n', encoding="utf-8")
    [article] = articles(path, mapping=parse_mapping(["ma=id", "tieu_de=title", "text=body"]))
    assert (article.id, article.title, article.body) == ("7", "Tin mới", "Nội dung")


def test_bad_mapping_and_missing_source_are_clear_errors(tmp_path):
    with pytest.raises(SourceError, match="not one of"):
        parse_mapping(["text=noidung"])
    with pytest.raises(SourceError, match="no such file"):
        list(read_sources([tmp_path / "missing.jsonl"]))
    with pytest.raises(SourceError, match="no article files"):
        list(read_sources([tmp_path]))


BAD_LINES = [
    ('{"id": "s1", "title": "Tin \\ud800 lỗi"}', "'title' holds a lone surrogate"),
    ('{"id": "s2", "title": "Tin", "url": "https://x.vn/\\udfff"}', "'url' holds a lone surrogate"),
    ("[" * 100_000, "not valid JSON (nested too deeply)"),
    ('{"id": "n1", "title": "Tin", "views": ' + "9" * 5000 + "}", "not valid JSON"),
    ('{"id": "v1", "title": "Tin", "views": 9223372036854775808}', "'views' must be between 0 and"),
    ('{"id": "v2", "title": "Tin", "views": -5}', "'views' must be between 0 and"),
    ('{"id": "v3", "title": "Tin", "views": 1.5}', "'views' is not a whole number"),
    ('{"id": "v4", "title": "Tin", "views": "1.5"}', "'views' is not a whole number"),
    ('{"id": true, "title": "Tin"}', "'id' must be a string or a whole number"),
    ('{"id": ["l1", "l2"], "title": "Tin"}', "'id' must be a string or a whole number"),
    ('{"id": {"k": 1}, "title": "Tin"}', "'id' must be a string or a whole number"),
]


def test_every_odd_record_is_one_report_by_line_and_every_good_one_is_indexed(runner, tmp_path):
    from search_service.cli import main
    from search_service.searcher import SearchEngine

    good = [
        '{"id": "tot-1", "title": "Thông báo tuyển dụng", "views": "1.024"}',
        '{"id": "tot-2", "title": "Thông báo nghỉ lễ", "views": 1e3}',
    ]
    lines = [good[0], *(line for line, _ in BAD_LINES), good[1]]
    source = tmp_path / "odd.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    root = tmp_path / "ix"
    result = runner.invoke(main, ["index", "build", str(source), "--index-dir", str(root)])
    assert result.exit_code == 1, result.output
    for number, (_, reason) in enumerate(BAD_LINES, start=2):
        assert f"{source}:{number}: " in result.stderr and reason in result.stderr.split(f"{source}:{number}: ")[1]
    assert "2 indexed" in result.output and f"{len(BAD_LINES)} skipped" in result.output
    engine = SearchEngine(root)
    try:
        assert engine.article("tot-1")["views"] == 1024 and engine.article("tot-2")["views"] == 1000
        assert engine.search(SearchRequest(q="thông báo"))["total"] == 2  # and the pages answer
    finally:
        engine.close()


def test_a_truncated_or_mislabelled_gzip_file_keeps_what_could_be_read(runner, tmp_path):
    from search_service.cli import main

    whole = gzip.compress(
        "".join(json.dumps({"id": f"a{n}", "title": f"Tin số {n}"}) + "\n" for n in range(200)).encode("utf-8")
    )
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(whole[: len(whole) * 2 // 3])
    mislabelled = tmp_path / "plain.jsonl.gz"
    mislabelled.write_text('{"id": "b", "title": "Tin"}\n', encoding="utf-8")
    with_bom = tmp_path / "bom.jsonl.gz"
    with_bom.write_bytes(gzip.compress('\ufeff{"id": "c", "title": "Tin có BOM"}\n'.encode("utf-8")))
    root = tmp_path / "ix"
    result = runner.invoke(
        main, ["index", "build", str(truncated), str(mislabelled), str(with_bom), "--index-dir", str(root)]
    )
    assert result.exit_code == 1, result.output
    assert f"{truncated}:" in result.stderr and "cannot read the file further" in result.stderr
    assert f"{mislabelled}:1: cannot read the file further" in result.stderr
    indexed = int(result.output.split(" indexed")[0].rsplit(" ", 1)[1])
    assert 50 < indexed < 200  # the records before the cut, and the file with a byte-order mark
    assert f"{with_bom}:" not in result.stderr


def test_a_csv_field_longer_than_the_csv_modules_limit_loses_no_later_record(tmp_path):
    source = tmp_path / "long.csv"
    body = "Nội dung rất dài. " * 20_000  # 360,000 characters: over the csv module's default 131,072
    source.write_text(f'id,title,body\na,Tin một,ngắn\nb,Tin hai,"{body}"\nc,Tin ba,ngắn\n', encoding="utf-8")
    assert [a.id for a in articles(source)] == ["a", "b", "c"]
    assert articles(source)[1].body == body.strip()
    assert errors(source) == []


def test_text_that_is_not_utf8_is_reported_by_line_never_replaced_and_utf16_is_read(tmp_path):
    good = '{"id": "a", "title": "Thông báo lịch tiếp công dân"}\n'.encode()
    legacy = '{"id": "b", "title": "Thông báo"}\n'.encode("cp1258")  # Windows-1258, as old portals export
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_bytes(good + legacy + good.replace(b'"a"', b'"c"'))
    assert [a.id for a in articles(jsonl)] == ["a", "c"]
    [(where, reason)] = errors(jsonl)
    assert where == f"{jsonl}:2" and reason.startswith("not UTF-8 text (byte 0x")
    csv_file = tmp_path / "mixed.csv"
    csv_file.write_bytes("id,title\nx,Tin một\n".encode() + "y,Thông báo\n".encode("cp1258") + b"z,Tin ba\n")
    assert [a.id for a in articles(csv_file)] == ["x", "z"]
    assert [where for where, _ in errors(csv_file)] == [f"{csv_file}:3"]
    page = tmp_path / "trang.txt"
    page.write_text(PORTAL_PAGE.read_text(encoding="utf-8"), encoding="utf-16")  # with its byte-order mark
    [article] = articles(page)
    assert article.title.startswith("Quận Ngũ Hành Sơn triển khai") and "\ufffd" not in article.body


def test_a_cms_export_s_html_is_read_as_the_text_a_reader_sees(runner, tmp_path):
    from search_service.cli import main
    from search_service.web import create_app

    # As VNTC's articles hold them: 1,000 of its 84,132 have a character reference, 7 a page's tags.
    exported = {
        "id": "sach-moi",
        "title": "Sách mới: Thành phố Hồ Chí Minh - Anh hùng &amp; đổi mới",
        "summary": "Tập sách của &quot;Nhà xuất bản Trẻ&quot; &gt; 300 trang",
        "body": "<p class=title>Ra mắt sách</p><p>Sách gồm <b>ba</b> phần.<br>"
        "Giá 120.000 đồng.</p><script>x()</script>",
        "category": "Văn hóa &amp; Giải trí",
        "author": "<i>Minh Anh</i>",
    }
    plain = {"id": "ky-hieu", "title": "AT&T và R&D: dấu < và > trong văn bản", "body": "Điểm số 3 < 5 và 7 > 6."}
    source = tmp_path / "cms.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (exported, plain)) + "\n", "utf-8")
    (tmp_path / "cms.csv").write_text('id,title\ncsv-1,"Kinh tế &amp; Xã hội"\n', encoding="utf-8")
    first, second, third = articles(source, tmp_path / "cms.csv")
    assert first.title == "Sách mới: Thành phố Hồ Chí Minh - Anh hùng & đổi mới"
    assert first.summary == 'Tập sách của "Nhà xuất bản Trẻ" > 300 trang'
    assert first.body == "Ra mắt sách\nSách gồm ba phần.\nGiá 120.000 đồng."
    assert (first.category, first.author) == (["Văn hóa & Giải trí"], "Minh Anh")
    assert (second.title, second.body) == (plain["title"], plain["body"])  # text without markup stays as written
    assert third.title == "Kinh tế & Xã hội"

    root = tmp_path / "ix"
    assert runner.invoke(main, ["index", "build", str(source), "--index-dir", str(root)]).exit_code == 0
    client = create_app({"INDEX_DIR": str(root), "ANALYTICS": False}).test_client()
    page = client.get("/search", query_string={"q": "anh hùng đổi mới"}).get_data(as_text=True)
    assert "Anh hùng</mark> &amp; <mark>đổi mới" in page and "&amp;amp;" not in page
    assert client.get("/api/search", query_string={"q": "amp quot"}).get_json()["total"] == 0
    article = client.get("/articles/sach-moi").get_data(as_text=True)
    assert "<p>Sách gồm ba phần.</p>" in article and "class=title" not in article and "x()" not in article


def test_a_field_full_of_unclosed_tags_is_read_at_once():
    from search_service.sources import markup_to_text

    # Each "<a" starts what could be a tag; looking for its ">" to the end of the text each time takes minutes.
    text = "<a " * 150_000 + "cuối"
    started = time.perf_counter()
    assert markup_to_text(text) == text
    assert time.perf_counter() - started < 10
