"""Articles straight from a portal's database, beside the files of ``sources.py``: any database SQLAlchemy reaches.

A database source is a URL and a query (``postgresql+psycopg://cms@db/portal`` and ``SELECT id, title, …``), given
on the command line or in a small TOML file (``url``, ``query``, ``password_env``, ``[map]``, and for ``index sync``
``updated_column`` and ``deleted_column``: a row whose deleted column is true is no article). The query's column names
map to article fields as a JSONL record's keys do (``--map`` and ``[map]`` rename them), and each row goes through
the same validation as a file's record, reported as ``URL#row N id=…: reason`` with the password hidden (HTML in a
column, as CMS bodies are, turned into text: ``sources.markup_to_text``). Rows are streamed (a server-side cursor,
``yield_per``), so memory stays bounded whatever the table's size.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceError
from .sources import Record, expand_sources, read_sources, record_from

URL_RE = re.compile(r"^[a-z][a-z0-9+]*://", re.IGNORECASE)
STREAM_ROWS = 500  # rows fetched from the server at a time


@dataclass
class DatabaseSource:
    """A database to read articles from: its URL (the password may come from ``password_env``) and its query."""

    url: str
    query: str
    mapping: dict[str, str] = field(default_factory=dict)
    password_env: str = ""
    updated_column: str = ""
    deleted_column: str = ""
    params: dict[str, Any] = field(default_factory=dict)  # bound into the query (the sync's high-water mark)

    def engine_url(self) -> Any:
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        if self.password_env:
            password = os.environ.get(self.password_env)
            if password is None:
                raise SourceError(f"{self}: the password's environment variable {self.password_env} is not set")
            url = url.set(password=password)
        return url

    def __str__(self) -> str:
        """The URL with its password hidden: what every message and ``meta.json`` show."""
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except Exception:  # an unreadable URL is shown without anything after the scheme
            return self.url.split("://", 1)[0] + "://…"


def load_source_file(path: Path) -> DatabaseSource:
    """A database source described in a TOML file (see README: ``url``, ``query``, ``password_env``, ``[map]``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"{path}: not a readable source file ({error})") from None
    for name in ("url", "query"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise SourceError(f"{path}: '{name}' is missing (a database source file needs url and query)")
    mapping = data.get("map", {})
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise SourceError(f"{path}: [map] must map column names to article fields")
    return DatabaseSource(
        url=data["url"],
        query=data["query"],
        mapping=dict(mapping),
        password_env=str(data.get("password_env", "")),
        updated_column=str(data.get("updated_column", "")),
        deleted_column=str(data.get("deleted_column", "")),
    )


Source = Path | DatabaseSource


def expand(sources: Iterable[str | Path | DatabaseSource], query: str | None = None) -> list[Source]:
    """Files and databases named on the command line: a URL (with ``query``), a ``.toml`` source file, or files and
    folders as ``sources.expand_sources`` reads them. Raises ``SourceError`` before anything is read."""
    found: list[Source] = []
    for source in sources:
        if isinstance(source, DatabaseSource):
            found.append(source)
        elif isinstance(source, str) and URL_RE.match(source):
            if not query:
                shown = DatabaseSource(source, "")
                raise SourceError(f'{shown}: a database source needs --query "SELECT …" (or a .toml source file)')
            found.append(DatabaseSource(source, query))
        elif str(source).lower().endswith(".toml"):
            found.append(load_source_file(Path(source)))
        else:
            found.extend(expand_sources([source]))
    return found


def describe(source: Source) -> str:
    """A source as ``meta.json`` and ``index info`` name it: a file's full path, a database's URL without password."""
    return str(source) if isinstance(source, DatabaseSource) else str(Path(source).resolve())


def read(sources: Iterable[Source], mapping: dict[str, str] | None = None) -> Iterator[Record]:
    """Records from every source in turn: files through ``sources.read_sources``, databases row by row."""
    for source in sources:
        if isinstance(source, DatabaseSource):
            yield from read_database(source, {**(mapping or {}), **source.mapping})
        else:
            yield from read_sources([source], mapping)


def read_database(source: DatabaseSource, mapping: dict[str, str]) -> Iterator[Record]:
    """Each row of a database source's query as a record, streamed; a failure to connect or to go on reading (a
    wrong password, a dropped connection) is a ``SourceError`` naming the source without its password, which stops
    the build before anything changes."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    shown = str(source)
    secret = None
    engine = None
    number = 0
    try:
        url = source.engine_url()
        secret = url.password
        engine = create_engine(url, pool_pre_ping=False)
        with engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(
                text(source.query), source.params
            )
            columns = list(result.keys())
            for row in result:
                number += 1
                data = dict(zip(columns, row, strict=True))
                if source.deleted_column and data.get(source.deleted_column):
                    continue  # flagged as deleted: not an article (a sync removes it from the index)
                identifier = data.get(next((k for k, v in mapping.items() if v == "id"), "id"))
                yield record_from(f"{shown}#row {number} id={identifier}", data, mapping)
    except SQLAlchemyError as error:
        raise _cannot_read(source, error, secret, f" at row {number + 1}" if number else "") from None
    finally:
        if engine is not None:
            engine.dispose()


def _column(name: str) -> str:
    """A column name safe to put in SQL (letters, digits, underscores), quoted."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise SourceError(f"{name!r} is not a column name (letters, digits and underscores)")
    return f'"{name}"'


def changed_since(source: DatabaseSource, mark: Any) -> DatabaseSource:
    """The source's rows changed after ``mark`` (its ``updated_column`` greater): what a sync reads."""
    column = _column(source.updated_column)
    query = f"SELECT * FROM ({source.query}) AS changed WHERE changed.{column} > :mark"
    return DatabaseSource(
        source.url,
        query,
        source.mapping,
        source.password_env,
        source.updated_column,
        source.deleted_column,
        {"mark": mark},
    )


def scalar_and_ids(source: DatabaseSource) -> tuple[Any, set[str]]:
    """The greatest value of the source's ``updated_column`` (None without one) and every id its query gives."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    id_column = _column(next((k for k, v in source.mapping.items() if v == "id"), "id"))
    engine = None
    secret = None
    try:
        url = source.engine_url()
        secret = url.password
        engine = create_engine(url)
        with engine.connect() as connection:
            mark = None
            if source.updated_column:
                mark = connection.execute(
                    text(f"SELECT MAX(src.{_column(source.updated_column)}) FROM ({source.query}) AS src")
                ).scalar()
            flag = f"src.{_column(source.deleted_column)}" if source.deleted_column else "NULL"
            rows = connection.execution_options(stream_results=True, yield_per=5000).execute(
                text(f"SELECT src.{id_column}, {flag} FROM ({source.query}) AS src")
            )
            ids = {str(value).strip() for value, deleted in rows if value is not None and not deleted}
        return mark, ids
    except SQLAlchemyError as error:
        raise _cannot_read(source, error, secret) from None
    finally:
        if engine is not None:
            engine.dispose()


def _cannot_read(source: DatabaseSource, error: Exception, secret: str | None, where: str = "") -> SourceError:
    """A database error as the message an admin reads: the driver's first line, the password never in it."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    if secret:
        reason = reason.replace(str(secret), "***")
    return SourceError(
        f"{source}: cannot read the database{where}: {reason}; the index was not changed",
        f"{source}: không đọc được cơ sở dữ liệu; chỉ mục không bị thay đổi",
    )
