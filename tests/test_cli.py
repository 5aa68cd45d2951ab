"""The admin command line, run for real on real articles and a real index in a temporary folder."""

from __future__ import annotations

import json

import pytest

from search_service.cli import main

from .conftest import ARTICLES, PORTAL_PAGE, write_jsonl


def run(runner, *args, env=None):
    return runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def count(runner, index_dir) -> int:
    result = run(runner, "index", "info", "--index-dir", index_dir, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["articles"]


def test_build_then_info_and_search(runner, tmp_path):
    index_dir = tmp_path / "ix"
    result = run(runner, "index", "build", ARTICLES, PORTAL_PAGE, "--index-dir", index_dir, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "build: 12 indexed, 0 replaced, 0 skipped" in result.stdout
    assert "articles/s" in result.stdout
    assert count(runner, index_dir) == 12
    info = run(runner, "index", "info", "--index-dir", index_dir)
    assert "articles:   12" in info.stdout and "articles.jsonl" in info.stdout and "MB" in info.stdout

    found = run(runner, "search", "cai cach hanh chinh", "--index-dir", index_dir, "--json")
    data = json.loads(found.stdout)
    assert data["total"] >= 1
    first = data["hits"][0]
    assert first["id"] == "cchc-2023"
    assert first["published"] == "2023-03-15"
    assert first["category"] == ["Cải cách hành chính"]
    assert (first["author"], first["views"], first["url"]) == ("Minh Tuấn", 1520, "https://example.gov.vn/cchc-2023")
    assert first["score"] > 0

    readable = run(runner, "search", "Ngũ Hành Sơn", "--index-dir", index_dir)
    assert "Quận Ngũ Hành Sơn triển khai" in readable.stdout and "2023-05-12" in readable.stdout


def test_index_dir_from_the_environment(runner, tmp_path):
    env = {"SEARCH_SERVICE_INDEX_DIR": str(tmp_path / "from-env")}
    assert run(runner, "index", "build", PORTAL_PAGE, env=env).exit_code == 0
    assert (tmp_path / "from-env" / "CURRENT").exists()
    assert json.loads(run(runner, "index", "info", "--json", env=env).stdout)["articles"] == 1


def test_skipped_records_are_reported_and_the_rest_indexed(runner, tmp_path):
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        '{"id": "a", "title": "Tin một", "chuyen_muc": "x"}\n'
        "{broken\n"
        '{"id": "a", "title": "Trùng id"}\n'
        '{"id": "b", "title": "Tin hai", "published": "hôm qua", "chuyen_muc": "y"}\n'
        '{"id": "c", "title": "Tin ba", "nguon": "z"}\n',
        encoding="utf-8",
    )
    result = run(runner, "index", "build", source, "--index-dir", tmp_path / "ix")
    assert result.exit_code == 1
    assert f"{source}:2: not valid JSON" in result.stderr
    assert f"{source}:3: duplicate id 'a'" in result.stderr
    assert f"{source}:4: article 'b': unreadable date" in result.stderr
    assert result.stderr.count("ignored unknown field(s): chuyen_muc, nguon") == 1
    assert "2 indexed, 0 replaced, 3 skipped" in result.stdout
    assert count(runner, tmp_path / "ix") == 2


def test_nothing_usable_exits_2_and_keeps_the_old_index(runner, tmp_path):
    index_dir = tmp_path / "ix"
    assert run(runner, "index", "build", ARTICLES, "--index-dir", index_dir).exit_code == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "không id"}\n', encoding="utf-8")
    result = run(runner, "index", "build", bad, "--index-dir", index_dir)
    assert result.exit_code == 2
    assert "no usable article" in result.stderr
    assert count(runner, index_dir) == 11  # the old index still answers
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert run(runner, "index", "build", empty, "--index-dir", index_dir).exit_code == 2
    missing = run(runner, "index", "build", tmp_path / "nope.jsonl", "--index-dir", index_dir)
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert count(runner, index_dir) == 11


def test_add_replaces_by_id_and_delete_removes(runner, tmp_path):
    index_dir = tmp_path / "ix"
    run(runner, "index", "build", ARTICLES, "--index-dir", index_dir)
    update = write_jsonl(
        tmp_path / "update.jsonl",
        [
            {"id": "bong-da", "title": "Đội tuyển bóng đá nữ vô địch SEA Games", "published": "2023-05-15"},
            {"id": "moi", "title": "Khánh thành cầu Rồng mới"},
        ],
    )
    result = run(runner, "index", "add", update, "--index-dir", index_dir)
    assert result.exit_code == 0 and "1 indexed, 1 replaced" in result.stdout
    assert count(runner, index_dir) == 12
    hits = json.loads(run(runner, "search", "bóng đá nữ", "--index-dir", index_dir, "--json").stdout)["hits"]
    assert [h["id"] for h in hits] == ["bong-da"] and "nữ" in hits[0]["title"]
    old_text = json.loads(run(runner, "search", "thắng đậm", "--index-dir", index_dir, "--json").stdout)
    assert "bong-da" not in [h["id"] for h in old_text["hits"]]  # the replaced text is gone

    deleted = run(runner, "index", "delete", "moi", "khong-co", "--index-dir", index_dir)
    assert (
        deleted.exit_code == 1
        and "1 deleted, 1 not found" in deleted.stdout
        and "not found: khong-co" in deleted.stderr
    )
    assert count(runner, index_dir) == 11
    gone = json.loads(run(runner, "search", "cầu Rồng", "--index-dir", index_dir, "--json").stdout)
    assert "moi" not in [h["id"] for h in gone["hits"]]


def test_a_rebuild_of_unchanged_text_segments_nothing_again(runner, tmp_path):
    index_dir = tmp_path / "ix"
    first = run(runner, "index", "build", ARTICLES, "--index-dir", index_dir)
    assert "(0 texts segmented" not in first.stdout
    second = run(runner, "index", "build", ARTICLES, "--index-dir", index_dir)
    assert "(0 texts segmented" in second.stdout
    # The rebuilt index answers the same.
    assert (
        json.loads(run(runner, "search", "thủy lợi", "--index-dir", index_dir, "--json").stdout)["hits"][0]["id"]
        == "thuy-loi"
    )
    generations = sorted(p.name for p in index_dir.glob("gen-*"))
    assert len(generations) == 2  # the live one and the previous one, for a rollback


def test_search_without_an_index_is_a_clear_error(runner, tmp_path):
    result = run(runner, "search", "bất kỳ", "--index-dir", tmp_path / "none")
    assert result.exit_code == 2 and "index build" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["index"],
        ["index", "build"],
        ["index", "add"],
        ["index", "delete"],
        ["index", "info"],
        ["index", "rollback"],
        ["search"],
        ["serve"],
        ["sample-path"],
    ],
)
def test_every_command_has_help_with_an_example(runner, command):
    result = run(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "search-service" in result.stdout
