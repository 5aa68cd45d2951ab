"""The admin command line, run for real on real articles and a real index in a temporary folder."""

from __future__ import annotations

import json
import logging

import pytest

from search_service import indexer, store, vocabulary
from search_service.cli import main
from search_service.searcher import SearchEngine

from .conftest import ARTICLES, OTHER_NOTICE, PORTAL_PAGE, REPUBLISHED, save_older_vocabulary, write_jsonl


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


def test_search_names_the_copies_of_a_republished_article(runner, tmp_path):
    source = write_jsonl(tmp_path / "a.jsonl", [*REPUBLISHED, OTHER_NOTICE])
    assert run(runner, "index", "build", source, "--index-dir", tmp_path / "ix").exit_code == 0
    found = run(runner, "search", "lich tiep cong dan", "--index-dir", tmp_path / "ix").stdout
    assert "\n2 kết quả" in found and found.count("Thông báo lịch tiếp công dân") == 2
    assert "cùng nội dung: tb-a, tb-c, tb-d" in found


def test_search_says_what_it_searched_where_it_read_the_words_otherwise(runner, tmp_path):
    # The page says which spelling it searched (restored, decoded from Telex, a slip mended); the terminal printed
    # the results alone, as if for the words typed.
    assert run(runner, "index", "build", ARTICLES, "--index-dir", tmp_path / "ix").exit_code == 0

    def lines(q: str) -> list[str]:
        return run(runner, "search", q, "--index-dir", tmp_path / "ix").stdout.splitlines()

    restored = lines("cai cach hanh chinh")
    assert restored[0] == "Đã hiển thị kết quả cho “cải cách hành chính” (đã gõ: “cai cach hanh chinh”)."
    assert restored[1].endswith("trang 1/1") and "kết quả" in restored[1]
    assert lines("cari cachs hanhf chinhs")[0] == "Đã tìm “cải cách hành chính” (gõ theo kiểu Telex)."
    assert lines("cải cách hành chính")[0].split()[1] == "kết"  # read as typed: the count first


def test_search_names_a_query_marked_in_part_as_its_results_read_it(runner, vntc_engine):
    # `nhan dan` is searched as *nhân dân*, and `tinh`, which the index seldom writes so there, as its readings,
    # *tỉnh* the likeliest: the terminal named *ủy ban nhân dân tinh*, a spelling no result holds.
    found = run(runner, "search", "ủy ban nhan dan tinh", "--index-dir", vntc_engine.root).stdout.splitlines()
    assert found[0] == "Đã hiển thị kết quả cho “ủy ban nhân dân tỉnh” (đã gõ: “ủy ban nhan dan tinh”)."


def test_an_index_analysed_by_an_older_version_says_so_until_it_is_rebuilt(runner, tmp_path, caplog):
    # An upgrade whose analysis writes some words otherwise (a new ANALYSIS_VERSION) keeps serving the index built
    # before it: the admin is told, by `index info`, `index add` and the serving engine, what to run.
    index_dir = tmp_path / "ix"
    assert run(runner, "index", "build", ARTICLES, "--index-dir", index_dir).exit_code == 0
    assert "note:" not in run(runner, "index", "info", "--index-dir", index_dir).stdout
    generation = store.current_generation(index_dir)
    store.write_meta(generation, {**store.read_meta(generation), "analysis_version": "1"})

    info = run(runner, "index", "info", "--index-dir", index_dir).stdout
    assert "analysis v1" in info and "note:" in info and "index build" in info, info
    added = run(runner, "index", "add", PORTAL_PAGE, "--index-dir", index_dir)
    assert added.exit_code == 0 and "analysed by version 1" in added.stderr and "index build" in added.stderr
    served = logging.getLogger("search_service.searcher")
    served.addHandler(caplog.handler)  # the command line's logging took the root logger's handlers
    try:
        assert SearchEngine(index_dir).count() == 12
    finally:
        served.removeHandler(caplog.handler)
    assert "analysed by version 1" in caplog.text and "index build" in caplog.text

    assert run(runner, "index", "build", ARTICLES, PORTAL_PAGE, "--index-dir", index_dir).exit_code == 0
    assert "note:" not in run(runner, "index", "info", "--index-dir", index_dir).stdout


def test_after_an_upgrade_index_info_says_so_and_index_vocabulary_saves_the_vocabulary(runner, tmp_path):
    # After an upgrade whose vocabulary differs, the file beside the index is of an older version: `index info` says
    # what saves it, and `index vocabulary` does (as `serve` does when it starts), unless an indexer holds the index.
    index_dir = tmp_path / "ix"
    assert run(runner, "index", "build", ARTICLES, "--index-dir", index_dir).exit_code == 0
    assert "note:" not in run(runner, "index", "info", "--index-dir", index_dir).stdout
    assert "of this version already" in run(runner, "index", "vocabulary", "--index-dir", index_dir).stdout
    save_older_vocabulary(index_dir)
    generation = store.current_generation(index_dir)
    state = store.open_index(index_dir).latest_generation()

    info = run(runner, "index", "info", "--index-dir", index_dir).stdout
    assert "note:" in info and "no vocabulary of this version" in info and "index vocabulary" in info, info
    details = json.loads(run(runner, "index", "info", "--index-dir", index_dir, "--json").stdout)
    assert details["vocabulary_saved"] is False
    with store.write_lock(index_dir):
        busy = runner.invoke(main, ["index", "vocabulary", "--index-dir", str(index_dir)])
    assert busy.exit_code == 2 and "being written" in busy.output, busy.output
    assert vocabulary.saved_vocabulary(generation, state) is None
    saving = run(runner, "index", "vocabulary", "--index-dir", index_dir)
    assert saving.exit_code == 0 and "vocabulary: saved in" in saving.stdout
    assert vocabulary.saved_vocabulary(generation, state) is not None
    assert "note:" not in run(runner, "index", "info", "--index-dir", index_dir).stdout
    missing = runner.invoke(main, ["index", "vocabulary", "--index-dir", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no index in" in missing.output


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
    again = run(runner, "index", "add", update, "--index-dir", index_dir)  # the same file again: nothing to write
    assert again.exit_code == 0 and "0 indexed, 0 replaced" in again.stdout and "2 unchanged articles" in again.stdout
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
    built = store.current_generation(index_dir)
    second = run(runner, "index", "build", ARTICLES, "--index-dir", index_dir)
    assert "(0 texts segmented" in second.stdout
    # Nothing changed: the new generation holds the same files (table of contents, vocabulary), nothing re-read.
    rebuilt = store.current_generation(index_dir)
    assert rebuilt != built
    assert sorted(p.name for p in rebuilt.glob("*.toc")) == sorted(p.name for p in built.glob("*.toc"))
    assert (rebuilt / "vocabulary.pickle").stat().st_ino == (built / "vocabulary.pickle").stat().st_ino
    assert any(c.startswith("thủy lợi") for c in SearchEngine(index_dir).suggest("thuy l"))
    # A vocabulary the kept files lack is read anew.
    (rebuilt / "vocabulary.pickle").unlink()
    third = run(runner, "index", "build", ARTICLES, "--index-dir", index_dir)
    assert "(0 texts segmented" in third.stdout
    assert (store.current_generation(index_dir) / "vocabulary.pickle").exists()
    # The rebuilt index answers the same.
    assert (
        json.loads(run(runner, "search", "thủy lợi", "--index-dir", index_dir, "--json").stdout)["hits"][0]["id"]
        == "thuy-loi"
    )
    generations = sorted(p.name for p in index_dir.glob("gen-*"))
    assert len(generations) == 2  # the live one and the previous one, for a rollback


def test_a_rebuild_keeps_unchanged_articles_and_writes_only_what_changed(runner, tmp_path):
    index_dir = tmp_path / "ix"
    articles = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    source = write_jsonl(tmp_path / "a.jsonl", articles)
    run(runner, "index", "build", source, "--index-dir", index_dir, "--jobs", "2")
    same = run(runner, "index", "build", source, "--index-dir", index_dir, "--jobs", "2")
    assert same.exit_code == 0 and f"build: {len(articles)} indexed" in same.stdout
    assert f"{len(articles)} unchanged articles kept" in same.stdout
    kept_from = store.current_generation(index_dir)

    # One article edited, one gone from the source, one new: only those two are written, the gone one is dropped.
    edited = dict(articles[0], body=articles[0]["body"] + " Hội nghị tổng kết diễn ra tại nhà văn hóa Hòa Khánh.")
    new = {"id": "moi-2024", "title": "Khánh thành cầu Trần Thị Lý mới", "body": "Cầu mới nối hai bờ sông Hàn."}
    write_jsonl(source, [edited, *articles[2:], new])
    changed = run(runner, "index", "build", source, "--index-dir", index_dir, "--jobs", "2")
    assert f"{len(articles) - 2} unchanged articles kept" in changed.stdout
    assert count(runner, index_dir) == len(articles)  # - 1 gone + 1 new
    found = json.loads(run(runner, "search", '"nhà văn hóa Hòa Khánh"', "--index-dir", index_dir, "--json").stdout)
    assert [h["id"] for h in found["hits"]] == [articles[0]["id"]]
    assert (
        json.loads(run(runner, "search", "cầu Trần Thị Lý", "--index-dir", index_dir, "--json").stdout)["hits"][0]["id"]
        == "moi-2024"
    )
    gone = json.loads(run(runner, "search", articles[1]["title"], "--index-dir", index_dir, "--json").stdout)
    assert articles[1]["id"] not in [h["id"] for h in gone["hits"]]

    # The generation it started from is untouched: rolled back to, it answers as before the edit.
    assert run(runner, "index", "rollback", "--index-dir", index_dir).exit_code == 0
    assert store.current_generation(index_dir) == kept_from
    before = json.loads(run(runner, "search", articles[1]["title"], "--index-dir", index_dir, "--json").stdout)
    assert before["hits"][0]["id"] == articles[1]["id"]
    bridge = json.loads(run(runner, "search", "cầu Trần Thị Lý", "--index-dir", index_dir, "--json").stdout)
    assert "moi-2024" not in [h["id"] for h in bridge["hits"]]
    assert count(runner, index_dir) == len(articles)

    fresh = run(runner, "index", "build", source, "--index-dir", index_dir, "--fresh")
    assert fresh.exit_code == 0 and "unchanged" not in fresh.stdout


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


def test_completions_come_from_the_saved_vocabulary_and_follow_an_add(tmp_path):
    root = tmp_path / "ix"
    indexer.build(root, [ARTICLES], jobs=1)
    generation = store.current_generation(root)
    assert (generation / "vocabulary.pickle").exists()  # read once at index time, not by every server process
    engine = SearchEngine(root)
    assert not any(c.startswith("pháo hoa") for c in engine.suggest("phao h"))

    festival = {"id": "phao-hoa", "title": "Lễ hội pháo hoa quốc tế", "body": "Pháo hoa rực rỡ bên sông Hàn."}
    indexer.add(root, [write_jsonl(tmp_path / "new.jsonl", [festival])], jobs=1)
    assert any(c.startswith("pháo hoa") for c in engine.suggest("phao h"))  # the running engine sees the add

    (generation / "vocabulary.pickle").unlink()  # without the file, a server reads the vocabulary itself
    assert any(c.startswith("pháo hoa") for c in SearchEngine(root).suggest("phao h"))
