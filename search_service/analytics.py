"""What visitors search: each search recorded in an embedded SQLite file, and the figures an editor needs from it.

A row holds the query's normalised form (lower case, no diacritics, one space: ``Cải  cách`` = ``cai cach``), the
query as typed (in lower case, tone marks placed alike), its filters, how many articles it found, the page, the time
it took and when; never an IP address, a cookie or a user agent. The visitor is a keyed hash of the address, under a
key drawn at random for each day and deleted when the day after next draws its own (as Plausible Analytics counts
visitors): one day's searches of one visitor are told from another's, so that one visitor cannot make a query
popular, and once the key is gone no row can be traced to an address, nor linked to the same visitor's rows of
another day. The file is in WAL mode, so several gunicorn workers write at once and ``stats`` reads while they do.
Recording queues the row for a thread that writes in batches, so it costs a request microseconds; a failure to
record is logged and never fails a search. Rows older than the retention period are removed as new ones come in.
The same file keeps the words an editor hid from the home page's popular queries (``hide``).
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import logging
import queue
import re
import secrets
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .analysis import fold_diacritics, normalize_text

ANALYTICS_FILE = "analytics.sqlite"
RETENTION_DAYS = 90
PRUNE_EVERY = 1000  # recordings between two removals of the rows past the retention period
WRITE_ATTEMPTS = 4  # tries of a batch before it is given up (waiting 0.05, 0.1 and 0.2 s between)
WORD_RE = re.compile(r"\w+")
POPULAR_MIN = 3  # visitors (a visitor of two days counts twice) who searched a query before it may be shown as popular

log = logging.getLogger("search_service.analytics")

SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (
    at TEXT NOT NULL,          -- UTC, ISO 8601
    query TEXT NOT NULL,       -- normalised: lower case, no diacritics, single spaces
    typed TEXT NOT NULL,       -- as typed
    filters TEXT NOT NULL,     -- JSON: categories, author, dates, scope, sort, advanced words
    total INTEGER NOT NULL,
    page INTEGER NOT NULL,
    took_ms REAL NOT NULL,
    visitor TEXT NOT NULL DEFAULT ''  -- the day's keyed hash of the address ('' for rows recorded before it)
);
CREATE INDEX IF NOT EXISTS searches_at ON searches (at);
CREATE TABLE IF NOT EXISTS visitor_keys (
    day TEXT PRIMARY KEY,      -- UTC date; a day's key is deleted once the day after next draws its own
    key BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS hidden (
    words TEXT PRIMARY KEY,    -- normalised; a query holding them is never shown as popular
    at TEXT NOT NULL           -- when an editor hid them (UTC, ISO 8601)
);
"""
COLUMNS = "at, query, typed, filters, total, page, took_ms, visitor"


# A group of equivalent queries is shown as it was most often typed; on a tie, a form with diacritics.
MOST_TYPED = (
    "SELECT typed FROM searches s2 WHERE s2.query = s.query GROUP BY typed "
    "ORDER BY COUNT(*) DESC, typed = s2.query, typed LIMIT 1"
)


# A group of queries holds hidden words when they stand in it as whole words, in a row (``holds_words``).
HIDING = "SELECT 1 FROM hidden h WHERE holds_words(s.query, h.words)"


def words_of(text: str) -> str:
    """A text's words (letters and digits), normalised and joined by single spaces: ``Bóng đá!`` → ``bong da``."""
    return " ".join(WORD_RE.findall(normalise(text)))


def holds_words(query: str, words: str) -> bool:
    """Whether ``words`` (``words_of``) stand in a query already normalised (the ``query`` column) as whole words, in
    a row."""
    return f" {words} " in f" {' '.join(WORD_RE.findall(query))} "


def normalise(text: str) -> str:
    """The form equivalent queries share: ``Cải  cách`` = ``cai cach`` = ``CẢI CÁCH``.

    >>> normalise("  Cải  cách ") == normalise("cai cach") == "cai cach"
    True
    """
    return " ".join(fold_diacritics(normalize_text(text)).split())


class SearchLog:
    """The searches of one index, in ``ANALYTICS_FILE`` in ``folder``.

    ``record`` only queues the row: a thread of the process writes the queue in batches, so a request never waits
    for the disk or for another worker's write (on a busy machine a write can wait milliseconds for the WAL's
    checkpoint or another writer). A process that ends normally writes what is queued first (``flush``, at exit and
    from gunicorn's ``worker_exit``); one killed loses its last moment's searches. Reads (``stats``, ``popular``)
    use a connection per thread.
    """

    def __init__(self, folder: str | Path, retention_days: int = RETENTION_DAYS):
        self.path = Path(folder) / ANALYTICS_FILE
        self.retention = timedelta(days=retention_days)
        self._local = threading.local()
        self._queue: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._start = threading.Lock()
        self._done = threading.Condition()
        self._waiting = 0  # rows queued and not yet written (or given up)
        self._recorded = 0
        self._warned = False
        self._keys: dict[str, bytes] = {}  # the day's key for visitors, once the writer has read it

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(self.path), timeout=5.0, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a power cut may lose the last searches
        connection.executescript(SCHEMA)
        connection.create_function("holds_words", 2, holds_words, deterministic=True)
        if "visitor" not in {row[1] for row in connection.execute("PRAGMA table_info(searches)")}:
            try:  # a file written before visitors were counted; another worker may add the column first
                connection.execute("ALTER TABLE searches ADD COLUMN visitor TEXT NOT NULL DEFAULT ''")
            except sqlite3.OperationalError:
                if "visitor" not in {row[1] for row in connection.execute("PRAGMA table_info(searches)")}:
                    raise
        return connection

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    def record(
        self, typed: str, filters: dict[str, Any], total: int, page: int, took_ms: float, visitor: str = ""
    ) -> None:
        """Queue one search for the writer thread; never raises, never waits for the disk. ``visitor`` is the
        address the search came from: the writer keeps only its hash under the day's key."""
        try:
            row = (
                datetime.now(UTC).isoformat(timespec="seconds"),
                normalise(typed),
                " ".join(normalize_text(typed).split())[:500],
                json.dumps(filters, ensure_ascii=False, sort_keys=True),
                total,
                page,
                round(took_ms, 2),
                str(visitor),
            )
        except (TypeError, ValueError) as error:  # filters that are not JSON: a bug, but not the visitor's problem
            log.warning("could not record a search: %s", error)
            return
        with self._done:
            self._waiting += 1
        self._queue.put(row)
        if self._writer is None:
            with self._start:
                if self._writer is None:
                    self._writer = threading.Thread(target=self._write, name="search-log", daemon=True)
                    self._writer.start()
                    atexit.register(self.flush)

    def _write(self) -> None:
        """The writer thread: each batch of queued rows in one transaction; old rows removed now and then."""
        connection = None
        while True:
            batch = [self._queue.get()]
            while len(batch) < 500:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            connection = self._written(connection, batch)
            if connection is not None:
                before = self._recorded // PRUNE_EVERY
                self._recorded += len(batch)
                if self._recorded // PRUNE_EVERY != before or self._recorded == len(batch):
                    try:
                        self._prune(connection)
                    except (sqlite3.Error, OSError) as error:  # pruned at the next thousand
                        log.warning("could not remove old searches from %s: %s", self.path, error)
            with self._done:
                self._waiting -= len(batch)
                self._done.notify_all()

    def _written(self, connection: sqlite3.Connection | None, batch: list[tuple]) -> sqlite3.Connection | None:
        """Write a batch in one transaction, on the writer's connection (opened if None): the connection, or None when
        the batch could not be written after ``WRITE_ATTEMPTS`` tries. A worker opening the file while another
        writes it is refused at once (``PRAGMA journal_mode=WAL`` waits for no lock: "database is locked"): its batch
        is tried again, not given up."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                connection = connection or self._connect()
                with connection:
                    connection.execute("BEGIN")
                    rows = [(*row[:-1], self._visitor(connection, row[0][:10], row[-1])) for row in batch]
                    connection.executemany(f"INSERT INTO searches ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
                return connection
            except (sqlite3.Error, OSError) as error:
                connection = None
                if attempt + 1 < WRITE_ATTEMPTS:
                    time.sleep(0.05 * 2**attempt)
                elif not self._warned:
                    log.warning("could not record searches in %s: %s (searches go on unrecorded)", self.path, error)
                    self._warned = True
        return None

    def _visitor(self, connection: sqlite3.Connection, day: str, address: str) -> str:
        """An address as the day's visitor: a keyed hash under the day's key, drawn once for every worker (the first
        to write that day draws it, and deletes the keys of the days before the one before)."""
        if not address:
            return ""
        key = self._keys.get(day)
        if key is None:
            connection.execute("INSERT OR IGNORE INTO visitor_keys VALUES (?, ?)", (day, secrets.token_bytes(32)))
            (key,) = connection.execute("SELECT key FROM visitor_keys WHERE day = ?", (day,)).fetchone()
            before = (datetime.fromisoformat(day) - timedelta(days=1)).date().isoformat()
            connection.execute("DELETE FROM visitor_keys WHERE day < ?", (before,))
            self._keys = {day: key}
        return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:16]

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued search is written (or given up); False when ``timeout`` passed first."""
        with self._done:
            return self._done.wait_for(lambda: self._waiting == 0, timeout)

    def _prune(self, connection: sqlite3.Connection) -> int:
        cutoff = (datetime.now(UTC) - self.retention).isoformat()
        return connection.execute("DELETE FROM searches WHERE at < ?", (cutoff,)).rowcount

    def prune(self) -> int:
        """Remove the rows past the retention period; return how many."""
        return self._prune(self._connection())

    def stats(self, days: int = 30, limit: int = 20) -> dict[str, Any]:
        """What visitors searched in the last ``days`` days: the most frequent queries, those that found nothing,
        those whose visitors went past page 1, and searches per day."""
        since = (datetime.now(UTC) - timedelta(days=days)).isoformat()
        connection = self._connection()

        def rows(sql: str) -> list[dict[str, Any]]:
            cursor = connection.execute(sql, (since, limit))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor]

        # Each query is shown as it was most often typed.
        shown = f"({MOST_TYPED})"
        return {
            "days": days,
            "searches": connection.execute("SELECT COUNT(*) FROM searches WHERE at >= ?", (since,)).fetchone()[0],
            "top": rows(
                f"SELECT {shown} AS query, COUNT(*) AS searches, MAX(total) AS found FROM searches s "
                "WHERE at >= ? AND query != '' GROUP BY query ORDER BY searches DESC, query LIMIT ?"
            ),
            "nothing_found": rows(
                f"SELECT {shown} AS query, COUNT(*) AS searches FROM searches s "
                "WHERE at >= ? AND total = 0 AND query != '' GROUP BY query ORDER BY searches DESC, query LIMIT ?"
            ),
            "past_page_one": rows(
                f"SELECT {shown} AS query, COUNT(*) AS searches, MAX(page) AS deepest FROM searches s "
                "WHERE at >= ? AND page > 1 AND query != '' GROUP BY query ORDER BY searches DESC, query LIMIT ?"
            ),
            "per_day": [
                {"day": day, "searches": count}
                for day, count in connection.execute(
                    "SELECT substr(at, 1, 10) AS day, COUNT(*) FROM searches WHERE at >= ? GROUP BY day ORDER BY day",
                    (since,),
                )
            ],
        }

    def popular(self, days: int = 30, limit: int = 8) -> list[str]:
        """The most frequent queries of the last ``days`` days that found something, each searched by at least
        POPULAR_MIN visitors (so that one visitor cannot put words on the home page by searching them again and
        again; rows recorded before visitors were counted count as one visitor), none holding words an editor hid
        (``hide``)."""
        try:
            since = (datetime.now(UTC) - timedelta(days=days)).isoformat()
            cursor = self._connection().execute(
                f"SELECT ({MOST_TYPED}), COUNT(*) AS n FROM searches s "
                "WHERE at >= ? AND total > 0 AND query != '' GROUP BY query HAVING COUNT(DISTINCT visitor) >= ? "
                f"AND NOT EXISTS ({HIDING}) ORDER BY n DESC, query LIMIT ?",
                (since, POPULAR_MIN, limit),
            )
            return [typed for typed, _ in cursor]
        except (sqlite3.Error, OSError):
            return []

    def hide(self, words: str) -> str:
        """Never show a query holding ``words`` (whole words in a row, in any case and accenting, whatever stands
        between them: ``Bóng`` hides *bóng đá!*, not *bóngđá*) among the popular ones: what a portal will not show on
        its home page, whoever searched it. Returns the words as kept (``words_of``); ``ValueError`` when they hold no
        letter or digit."""
        normalised = words_of(words)
        if not normalised:
            raise ValueError("no words to hide")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._connection().execute("INSERT OR IGNORE INTO hidden VALUES (?, ?)", (normalised, now))
        return normalised

    def unhide(self, words: str) -> bool:
        """Let queries holding ``words`` be shown again; False when they were not hidden."""
        return self._connection().execute("DELETE FROM hidden WHERE words = ?", (words_of(words),)).rowcount > 0

    def hidden(self) -> list[str]:
        """The words hidden from the popular queries, normalised, in order."""
        return [words for (words,) in self._connection().execute("SELECT words FROM hidden ORDER BY words")]

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
