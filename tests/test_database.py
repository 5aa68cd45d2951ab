"""Articles straight from a portal's database: a real PostgreSQL server started for the session (Debian's
`postgresql`, run as the `postgres` user), and SQLite, through the real `search-service index` commands."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from search_service import indexer
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine

from .test_operations import COMMAND

PASSWORD = "mật-khẩu-bí-mật-42"


def _as_postgres(*command: str, **options) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as the postgres user (the server refuses to run as root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **options)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A PostgreSQL server for the session."""
    with postgres_server() as url:
        yield url


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server on a free local port, with a password-protected user `cms` and a database `portal`; yields
    the URL (bench/database.py starts one the same way)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    assert found, "PostgreSQL's server is not installed (.ci/run installs Debian's postgresql)"
    bin_dir = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="pg-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (folder / "password").write_text(PASSWORD + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(folder / "password", "postgres")
    data = folder / "data"
    _as_postgres(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth=scram-sha-256",
        f"--pwfile={folder / 'password'}",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    )
    _as_postgres(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(folder / "log"),
        "-w",
        "start",
        "-o",
        f"-p {port} -c listen_addresses=127.0.0.1 -k {folder}",
    )
    admin = f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:{port}/postgres"
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f"CREATE USER cms PASSWORD '{PASSWORD}'"))
            connection.execute(text("CREATE DATABASE portal OWNER cms ENCODING 'UTF8'"))
        engine.dispose()
        yield f"postgresql+psycopg://cms:{PASSWORD}@127.0.0.1:{port}/portal"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            _as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


CMS_SCHEMA = """
DROP TABLE IF EXISTS bai_viet; DROP TABLE IF EXISTS chuyen_muc;
CREATE TABLE chuyen_muc (ma integer PRIMARY KEY, ten text COLLATE "vi-VN-x-icu" NOT NULL);
CREATE TABLE bai_viet (
    ma integer PRIMARY KEY, tieu_de text COLLATE "vi-VN-x-icu", tom_tat text, noi_dung text,
    ma_chuyen_muc integer REFERENCES chuyen_muc,
    tac_gia text, ngay_dang timestamp, luot_xem integer, duong_dan text, da_xoa boolean DEFAULT false
);
"""
CATEGORIES = [(1, "Cải cách hành chính"), (2, "Thể thao")]
ROWS = [
    (
        1,
        "Đẩy mạnh cải cách hành chính năm 2023",
        "UBND quận ban hành kế hoạch",
        "<p>Kế hoạch <b>cải cách</b> hành chính&nbsp;năm 2023.</p><script>alert('x')</script><p>Thủ tục một cửa</p>",
        1,
        "Minh Tuấn",
        "2023-03-15 08:30",
        1520,
        "https://example.gov.vn/cchc",
        False,
    ),
    (
        2,
        "Đội tuyển bóng đá giành chiến thắng",
        None,
        "<div>Trận đấu <i>giao hữu</i></div><style>p{}</style>",
        2,
        None,
        None,
        None,
        None,
        False,
    ),
    (3, None, "Một bài không có tiêu đề", "<p>nội dung</p>", 1, None, None, None, None, False),
    (4, "Bài đã gỡ khỏi cổng", None, "<p>không còn</p>", 1, None, None, None, None, True),
]
QUERY = (
    "SELECT b.ma AS id, b.tieu_de AS title, b.tom_tat AS summary, b.noi_dung AS body, c.ten AS category, "
    "b.tac_gia AS author, b.ngay_dang AS published, b.luot_xem AS views, b.duong_dan AS url "
    "FROM bai_viet b LEFT JOIN chuyen_muc c ON c.ma = b.ma_chuyen_muc WHERE NOT b.da_xoa ORDER BY b.ma"
)


def fill(url: str, rows: list[tuple] = ROWS) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in CMS_SCHEMA.split(";"):
            if statement.strip():
                connection.execute(text(statement))
        connection.execute(
            text("INSERT INTO chuyen_muc VALUES (:ma, :ten)"), [dict(ma=m, ten=t) for m, t in CATEGORIES]
        )
        names = (
            "ma",
            "tieu_de",
            "tom_tat",
            "noi_dung",
            "ma_chuyen_muc",
            "tac_gia",
            "ngay_dang",
            "luot_xem",
            "duong_dan",
            "da_xoa",
        )
        connection.execute(
            text(f"INSERT INTO bai_viet VALUES ({', '.join(':' + n for n in names)})"),
            [dict(zip(names, row, strict=True)) for row in rows],
        )
    engine.dispose()


def run_sql(url: str, *statements: str) -> None:
    """Run SQL statements in one transaction on the database at ``url``."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def cli(*arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([COMMAND, *arguments], capture_output=True, text=True, env={**os.environ, **(env or {})})


@pytest.mark.slow
def test_a_build_from_a_cms_schema_in_postgresql(postgres, tmp_path):
    fill(postgres)
    root = tmp_path / "ix"
    result = cli("index", "build", postgres, "--query", QUERY, "--index-dir", str(root), "--jobs", "1")
    assert result.returncode == 1, result.stderr  # one row skipped
    shown = postgres.replace(PASSWORD, "***")
    assert f"{shown}#row 3 id=3: article '3' has no 'title'" in result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    engine = SearchEngine(root)
    assert engine.count() == 2
    article = engine.article("1")
    assert article["body"] == "Kế hoạch cải cách hành chính\xa0năm 2023.\nThủ tục một cửa"  # text, not tags
    assert article["category"] == ["Cải cách hành chính"] and article["published"] == "2023-03-15T08:30:00"
    assert article["views"] == 1520 and engine.article("2")["summary"] == ""
    assert engine.search(SearchRequest(q="alert"))["total"] == 0  # a script's text is no article's
    assert engine.search(SearchRequest(q="giao hữu"))["hits"][0]["id"] == "2"
    info = json.loads(cli("index", "info", "--index-dir", str(root), "--json").stdout)
    assert info["sources"] == [shown] and PASSWORD not in json.dumps(info)
    assert PASSWORD not in (store_meta := (root / (root / "CURRENT").read_text().strip() / "meta.json").read_text())
    assert "***" in store_meta


@pytest.mark.slow
def test_a_database_with_a_vietnamese_collation_and_decomposed_text(postgres, tmp_path):
    """A CMS database created with the Vietnamese ICU collation, whose editor saved some titles in decomposed Unicode
    (NFD, as some Vietnamese keyboards and Mac editors type them): rows come in the collation's order and a visitor's
    query (composed) finds the decomposed titles."""
    from sqlalchemy import create_engine, text

    admin_url = postgres.replace("/portal", "/postgres").replace("//cms:", "//postgres:")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS cong_vi"))
        connection.execute(
            text(
                "CREATE DATABASE cong_vi OWNER cms TEMPLATE template0 ENCODING 'UTF8' "
                "LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' LOCALE 'C.UTF-8'"
            )
        )
    admin.dispose()
    url = postgres.replace("/portal", "/cong_vi")
    titles = ["Đường giao thông nông thôn", "Hội nghị tổng kết năm", "Ăn Tết an toàn", "Dân vận khéo", "An sinh xã hội"]
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE tin (ma integer PRIMARY KEY, tieu_de text)"))
        connection.execute(
            text("INSERT INTO tin VALUES (:ma, :tieu_de)"),
            [dict(ma=i, tieu_de=unicodedata.normalize("NFD", t)) for i, t in enumerate(titles, 1)],
        )
        ordered = [row[0] for row in connection.execute(text("SELECT ma FROM tin ORDER BY tieu_de"))]
    engine.dispose()
    assert ordered == [5, 3, 4, 1, 2]  # A, Ă, D, Đ, H: the Vietnamese alphabet, not the code points' order
    root = tmp_path / "ix"
    query = "SELECT ma AS id, tieu_de AS title FROM tin ORDER BY tieu_de"
    result = cli("index", "build", url, "--query", query, "--index-dir", str(root), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    found = SearchEngine(root).search(SearchRequest(q="hội nghị tổng kết"))
    assert [hit["id"] for hit in found["hits"]] == ["2"]
    assert found["hits"][0]["title"] == unicodedata.normalize("NFD", "Hội nghị tổng kết năm")  # as the CMS has it
    assert "<mark>" in found["hits"][0]["snippet"]
    assert SearchEngine(root).search(SearchRequest(q="an tet"))["hits"][0]["id"] == "3"


@pytest.mark.slow
def test_a_source_file_with_the_password_in_the_environment(postgres, tmp_path):
    fill(postgres)
    source = tmp_path / "portal.toml"
    without_password = postgres.replace(f":{PASSWORD}@", "@")
    source.write_text(
        f'url = "{without_password}"\npassword_env = "PORTAL_DB_PASSWORD"\n'
        'query = """SELECT ma, tieu_de, noi_dung FROM bai_viet WHERE tieu_de IS NOT NULL"""\n'
        '[map]\nma = "id"\ntieu_de = "title"\nnoi_dung = "body"\n',
        encoding="utf-8",
    )
    root = tmp_path / "ix"
    result = cli("index", "build", str(source), "--index-dir", str(root), env={"PORTAL_DB_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert SearchEngine(root).count() == 3
    missing = cli("index", "build", str(source), "--index-dir", str(tmp_path / "other"))
    assert missing.returncode == 2 and "PORTAL_DB_PASSWORD is not set" in missing.stderr


@pytest.mark.slow
def test_a_wrong_password_is_a_clear_error_that_never_prints_the_password(postgres, tmp_path):
    wrong = postgres.replace(PASSWORD, "sai-mat-khau-99")
    result = cli("index", "build", wrong, "--query", QUERY, "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 2
    assert "password authentication failed" in result.stderr and "Traceback" not in result.stderr
    assert "sai-mat-khau-99" not in result.stdout + result.stderr and PASSWORD not in result.stderr


@pytest.mark.slow
def test_a_connection_dropped_mid_stream_stops_the_build_and_keeps_the_old_index(postgres, tmp_path):
    run_sql(
        postgres,
        "DROP TABLE IF EXISTS nhieu",
        "CREATE TABLE nhieu AS SELECT g AS id, 'Tin số ' || g AS title FROM generate_series(1, 3000) g",
    )
    root = tmp_path / "ix"
    indexer.build(root, [postgres], query="SELECT id, title FROM nhieu WHERE id <= 10", jobs=1)
    before = (root / "CURRENT").read_text()
    # The server ends the connection when the cursor reaches row 2,000: well after the first rows were streamed.
    # (No ORDER BY: a sort would read the whole table before the first row.)
    dropping = "SELECT id, title FROM nhieu WHERE id < 2000 OR (id >= 2000 AND pg_terminate_backend(pg_backend_pid()))"
    result = cli("index", "build", postgres, "--query", dropping, "--index-dir", str(root), "--jobs", "1")
    assert result.returncode == 2, result.stderr
    assert "cannot read the database at row" in result.stderr and "the index was not changed" in result.stderr
    assert PASSWORD not in result.stderr
    assert (root / "CURRENT").read_text() == before and SearchEngine(root).count() == 10
    assert len(list(root.glob("gen-*"))) == 1  # the half-built generation is gone
    result = cli("index", "add", postgres, "--query", dropping, "--index-dir", str(root), "--jobs", "1")
    assert result.returncode == 2 and SearchEngine(root).count() == 10


def test_a_build_from_sqlite_with_map_and_html(tmp_path):
    database = tmp_path / "cms.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE news (news_id TEXT, headline TEXT, content TEXT)")
        connection.executemany(
            "INSERT INTO news VALUES (?, ?, ?)",
            [("a1", "Lễ hội văn hóa", "<h2>Khai mạc</h2><p>Lễ hội &amp; hội chợ</p>"), ("a2", "Không nội dung", None)],
        )
    root = tmp_path / "ix"
    result = cli(
        "index",
        "build",
        f"sqlite:///{database}",
        "--query",
        "SELECT * FROM news",
        "--map",
        "news_id=id",
        "--map",
        "headline=title",
        "--map",
        "content=body",
        "--index-dir",
        str(root),
        "--jobs",
        "1",
    )
    assert result.returncode == 0, result.stderr
    engine = SearchEngine(root)
    assert engine.count() == 2 and engine.article("a1")["body"] == "Khai mạc\nLễ hội & hội chợ"
    assert cli("index", "build", "sqlite:///x.sqlite", "--index-dir", str(root)).returncode == 2  # no --query


@pytest.mark.slow
def test_100000_rows_are_streamed_in_bounded_memory(postgres, tmp_path):
    run_sql(
        postgres,
        "DROP TABLE IF EXISTS lon",
        "CREATE TABLE lon AS SELECT g AS id, 'Tin số ' || g AS title, "
        "'<p>' || repeat('nội dung bài viết ', 120) || '</p>' AS body FROM generate_series(1, 100000) g",
    )
    # Reading every row as the indexer does (validation, HTML to text), in a process of its own: its peak memory.
    script = (
        "import resource, sys\n"
        "from search_service.database import DatabaseSource, read_database\n"
        "rows = sum(1 for r in read_database(DatabaseSource(sys.argv[1], sys.argv[2]), {}) if r.article)\n"
        "print(rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    peaks = {}
    for limit in (10_000, 100_000):
        query = f"SELECT id, title, body FROM lon WHERE id <= {limit}"
        out = subprocess.run(
            [sys.executable, "-c", script, postgres, query], capture_output=True, text=True, check=True
        )
        rows, peak = map(int, out.stdout.split())
        assert rows == limit
        peaks[limit] = peak
    print(f"peak memory reading 10,000 rows: {peaks[10_000]} MB; 100,000 rows: {peaks[100_000]} MB")
    # 100,000 rows of about 2 KB (200 MB of text) held at once would add hundreds of MB; streamed, a few.
    assert peaks[100_000] - peaks[10_000] < 50, peaks


@pytest.mark.slow
def test_sync_brings_changes_inserts_and_deletions_and_changes_nothing_when_nothing_changed(postgres, tmp_path):
    run_sql(
        postgres,
        "DROP TABLE IF EXISTS tin",
        "CREATE TABLE tin (ma integer PRIMARY KEY, tieu_de text, noi_dung text, da_xoa boolean DEFAULT false, "
        "cap_nhat timestamp NOT NULL DEFAULT now() - interval '1 day')",
        "INSERT INTO tin (ma, tieu_de, noi_dung) SELECT g, 'Tin số ' || g, '<p>Nội dung ' || g || '</p>' "
        "FROM generate_series(1, 50) g",
    )
    source = tmp_path / "portal.toml"
    source.write_text(
        f'url = "{postgres.replace(f":{PASSWORD}@", "@")}"\npassword_env = "PG_PASSWORD"\n'
        'query = "SELECT ma AS id, tieu_de AS title, noi_dung AS body, cap_nhat FROM tin WHERE NOT da_xoa"\n'
        'updated_column = "cap_nhat"\n',
        encoding="utf-8",
    )
    env = {"PG_PASSWORD": PASSWORD}
    root = tmp_path / "ix"
    assert cli("index", "build", str(source), "--index-dir", str(root), env=env).returncode == 0
    first = cli("index", "sync", str(source), "--index-dir", str(root), env=env)
    assert first.returncode == 0 and "sync: nothing changed" in first.stdout, first.stdout + first.stderr
    assert "(0 rows read unchanged" in first.stdout  # the build kept the mark: the first sync reads no row

    run_sql(
        postgres,
        "UPDATE tin SET tieu_de = 'Khai mạc lễ hội pháo hoa', cap_nhat = now() WHERE ma = 7",
        "INSERT INTO tin (ma, tieu_de, noi_dung, cap_nhat) VALUES (51, 'Tin mới về giao thông', 'x', now())",
        "UPDATE tin SET da_xoa = true, cap_nhat = now() WHERE ma = 8",
        "DELETE FROM tin WHERE ma = 9",
    )
    current = (root / "CURRENT").read_text()
    synced = cli("index", "sync", str(source), "--index-dir", str(root), env=env)
    assert synced.returncode == 0, synced.stderr
    assert "sync: 1 added, 1 replaced, 2 removed" in synced.stdout, synced.stdout
    assert (root / "CURRENT").read_text() == current  # changed in place, as index add and delete do
    engine = SearchEngine(root)
    assert engine.count() == 49
    assert engine.article("7")["title"] == "Khai mạc lễ hội pháo hoa"
    assert engine.article("8") is None and engine.article("9") is None and engine.article("51") is not None
    again = cli("index", "sync", str(source), "--index-dir", str(root), env=env)
    assert "sync: nothing changed" in again.stdout, again.stdout
    mark = json.loads((root / current.strip() / "meta.json").read_text(encoding="utf-8"))["sync"]
    assert list(mark) == [postgres.replace(f":{PASSWORD}@", "@")] and PASSWORD not in json.dumps(mark)


def test_rows_flagged_by_the_deleted_column_are_no_articles_and_a_sync_removes_them(tmp_path):
    database = tmp_path / "cms.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE tin (id TEXT, title TEXT, da_xoa INTEGER)")
        connection.executemany("INSERT INTO tin VALUES (?, ?, ?)", [("1", "Tin một", 0), ("2", "Tin hai", 1)])
    source = tmp_path / "cms.toml"
    source.write_text(
        f'url = "sqlite:///{database}"\nquery = "SELECT id, title, da_xoa FROM tin"\ndeleted_column = "da_xoa"\n',
        encoding="utf-8",
    )
    root = tmp_path / "ix"
    assert cli("index", "build", str(source), "--index-dir", str(root)).returncode == 0
    assert SearchEngine(root).article("2") is None and SearchEngine(root).count() == 1
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE tin SET da_xoa = 1 WHERE id = '1'")
        connection.execute("INSERT INTO tin VALUES ('3', 'Tin ba', 0)")
    synced = cli("index", "sync", str(source), "--index-dir", str(root))
    assert "sync: 1 added, 0 replaced, 1 removed" in synced.stdout, synced.stdout + synced.stderr
    assert [SearchEngine(root).article(i) is not None for i in ("1", "2", "3")] == [False, False, True]
