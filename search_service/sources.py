"""Reading articles from JSON Lines, CSV and exported portal pages into one article form.

Every reader yields ``Record`` values: either an article or the reason a record was skipped, with the file and line
it came from, so that one bad record is reported and every good one is still indexed.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import html
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import SourceError

ARTICLE_FIELDS = (
    "id",
    "title",
    "summary",
    "body",
    "category",
    "tags",
    "author",
    "published",
    "url",
    "views",
    "source",
)
SUPPORTED_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".txt")
# The most characters of a title, sapo or body that are indexed and stored (about 100,000 words, a long decree with
# its annexes); a longer text is cut at the last space before it, and the cut is reported with the record's place.
MAX_TEXT_CHARS = 500_000
CSV_FIELD_LIMIT = 64 * 1024 * 1024  # characters of one CSV field: beyond it, the record is reported and skipped
# A tag, and a character reference ending in its semicolon: what makes a field HTML (``markup_to_text``). A tag stops at
# the next ``<`` too, so text full of ``<`` without ``>`` is scanned once, not once per ``<``.
TAG_RE = re.compile(r"<[a-zA-Z/!][^<>]*>")
REFERENCE_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article")


@dataclass
class Article:
    """One article in the form every source is read into."""

    id: str
    title: str
    summary: str = ""
    body: str = ""
    category: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: str = ""
    published: datetime | None = None
    url: str = ""
    views: int | None = None
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        """The article as JSON-ready data, the date in ISO 8601."""
        data = {name: getattr(self, name) for name in ARTICLE_FIELDS}
        data["published"] = format_date(self.published)
        return data


@dataclass
class Record:
    """What a reader found at one place: an article, or why the record there was skipped."""

    path: str
    line: int
    article: Article | None = None
    error: str | None = None
    unknown_keys: tuple[str, ...] = ()
    repairs: tuple[str, ...] = ()  # what was changed in the article to index it (a text cut to its maximum size)
    label: str = ""  # where it was found, when not a file's line (a database row: "URL#row 12 id=…")

    @property
    def where(self) -> str:
        return self.label or f"{self.path}:{self.line}"


DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%H:%M %d/%m/%Y",
    "%H:%M:%S %d/%m/%Y",
    "%d-%m-%Y",
)


def parse_date(value: Any) -> datetime | None:
    """Read a publication date: ISO 8601 or Vietnamese ``dd/mm/yyyy``, with or without a time.

    >>> parse_date("12/05/2023"), parse_date("2023-05-12T08:30:00")
    (datetime.datetime(2023, 5, 12, 0, 0), datetime.datetime(2023, 5, 12, 8, 30))
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(f"unreadable date {value!r}")
    text = " ".join(value.strip().split())
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        for pattern in DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if parsed is None:
        raise ValueError(f"unreadable date {value!r} (expected YYYY-MM-DD or dd/mm/yyyy)")
    # Dates are indexed as the portal shows them: local time, no zone.
    return parsed.replace(tzinfo=None)


def format_date(value: datetime | None) -> str | None:
    """ISO 8601: a date alone when there is no time of day."""
    if value is None:
        return None
    if value.hour == value.minute == value.second == value.microsecond == 0:
        return value.date().isoformat()
    return value.isoformat()


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;,|]", value) if part.strip()]
    if isinstance(value, (list, tuple)):
        return [str(part).strip() for part in value if str(part).strip()]
    return [str(value).strip()]


def _as_names(value: Any) -> list[str]:
    """Categories or tags as text, one string split at ``;``, ``,`` or ``|`` after its markup is read (``&amp;``)."""
    if isinstance(value, str):
        return _as_list(markup_to_text(value, lines=False))
    return [markup_to_text(name, lines=False) for name in _as_list(value)]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return str(value).strip()


def markup_to_text(value: str, lines: bool = True) -> str:
    """A field as a reader sees it: a CMS stores and exports its titles and bodies as HTML, and a page shows
    ``Anh hùng &amp; đổi mới`` as it is written unless it is decoded here.

    HTML with tags is parsed by BeautifulSoup: scripts and styles dropped with their content, character references
    decoded, each paragraph, line break, list item or heading on a line of its own (``lines``; otherwise the whole
    field is one line, as a title is). Text without tags has its character references decoded, those ending in a
    semicolon (``AT&T`` and ``R&D`` stay as written). Other text is returned as it is.

    >>> markup_to_text("<p>Ủy ban&nbsp;nhân dân</p><script>x()</script><p>quận <b>3</b><br>ngày 12/05</p>")
    'Ủy ban\\xa0nhân dân\\nquận 3\\nngày 12/05'
    >>> markup_to_text("Anh hùng &amp; đổi mới &lt;3 AT&T")
    'Anh hùng & đổi mới <3 AT&T'
    >>> markup_to_text("<p class=title>Rà soát lại</p><p>quy chế</p>", lines=False)
    'Rà soát lại quy chế'
    """
    if TAG_RE.search(value):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(value, "html.parser")
        for element in soup(["script", "style", "noscript", "template"]):
            element.decompose()
        for element in soup.find_all(BLOCKS):
            element.insert_before("\n")
            element.insert_after("\n")
        parts = (" ".join(line.split(" ")).strip() for line in soup.get_text().splitlines())
        return ("\n" if lines else " ").join(part for part in parts if part)
    if REFERENCE_RE.search(value):
        return REFERENCE_RE.sub(lambda reference: html.unescape(reference.group(0)), value)
    return value


def to_article(data: dict[str, Any], mapping: dict[str, str] | None = None) -> tuple[Article, tuple[str, ...]]:
    """Validate one record's fields into an ``Article``; also return the keys it ignored.

    Raises ``ValueError`` with a reason a person can act on.
    """
    if mapping:
        data = {mapping.get(key, key): value for key, value in data.items()}
    unknown = tuple(sorted(key for key in data if key not in ARTICLE_FIELDS))
    raw_id = data.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int, type(None))):
        raise ValueError(f"'id' must be a string or a whole number, not {raw_id!r:.60}")
    identifier = _as_text(raw_id)
    if not identifier:
        raise ValueError("missing 'id'")
    title = markup_to_text(_as_text(data.get("title")), lines=False)
    if not title:
        raise ValueError(f"article {identifier!r} has no 'title'")
    try:
        views = parse_views(data.get("views"))
    except ValueError as error:
        raise ValueError(f"article {identifier!r}: {error}") from None
    try:
        published = parse_date(data.get("published"))
    except ValueError as error:
        raise ValueError(f"article {identifier!r}: {error}") from None
    article = Article(
        id=identifier,
        title=title,
        summary=markup_to_text(_as_text(data.get("summary"))),
        body=markup_to_text(_as_text(data.get("body"))),
        category=_as_names(data.get("category")),
        tags=_as_names(data.get("tags")),
        author=markup_to_text(_as_text(data.get("author")), lines=False),
        published=published,
        url=_as_text(data.get("url")),
        views=views,
        source=_as_text(data.get("source")),
    )
    for name in ARTICLE_FIELDS:
        value = getattr(article, name)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not _is_unicode(text):
                raise ValueError(f"article {identifier!r}: {name!r} holds a lone surrogate, which is not Unicode text")
    return article, unknown


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


MAX_VIEWS = 2**63 - 1  # the index keeps a view count in 64 bits
VIEWS_RE = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*|\d+")


def parse_views(value: Any) -> int | None:
    """A view count: a whole number from 0 up, written ``1024``, ``1.024`` or ``1,024`` (thousands separators).

    >>> parse_views("1.024"), parse_views(78), parse_views(1e3), parse_views("")
    (1024, 78, 1000, None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"'views' is not a whole number: {value!r:.60}")
    if isinstance(value, str):
        text = value.strip()
        if not VIEWS_RE.fullmatch(text):
            raise ValueError(f"'views' is not a whole number: {value!r:.60}")
        value = int(text.replace(".", "").replace(",", ""))
    if not 0 <= value <= MAX_VIEWS:
        raise ValueError(f"'views' must be between 0 and {MAX_VIEWS:,}: {value}")
    return value


def record_from(label: str, data: dict[str, Any], mapping: dict[str, str] | None) -> Record:
    """A record from one row of another kind of source (a database's), named by ``label`` in reports."""
    record = _record(label, 0, data, mapping)
    record.label = label
    return record


def _record(path: str, line: int, data: Any, mapping: dict[str, str] | None) -> Record:
    if not isinstance(data, dict):
        return Record(path, line, error="not a JSON object")
    try:
        article, unknown = to_article(data, mapping)
    except ValueError as error:
        return Record(path, line, error=str(error))
    repairs = cut_long_texts(article)
    return Record(path, line, article=article, unknown_keys=unknown, repairs=repairs)


def cut_long_texts(article: Article, limit: int = MAX_TEXT_CHARS) -> tuple[str, ...]:
    """Cut each text field longer than ``limit`` characters at the last space before it; say what was cut.

    >>> article = Article(id="a", title="Tiêu đề", body="một hai ba bốn")
    >>> cut_long_texts(article, limit=9), article.body
    (("article 'a': its body of 14 characters was cut to the first 9",), 'một hai')
    """
    repairs = []
    for name in ("title", "summary", "body"):
        text = getattr(article, name)
        if len(text) > limit:
            head = text[:limit]
            if not text[limit].isspace():  # end at a word's end, not inside it
                parts = head.rsplit(None, 1)
                head = parts[0] if len(parts) == 2 else head
            setattr(article, name, head.rstrip())
            repairs.append(
                f"article {article.id!r}: its {name} of {len(text):,} characters was cut to the first {limit:,}"
            )
    return tuple(repairs)


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(data: bytes, encoding: str) -> tuple[str | None, str | None]:
    """(text, None), or (None, why the bytes are not text in that encoding)."""
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as error:
        byte = data[error.start : error.start + 1].hex()
        name = "UTF-16" if encoding == "utf-16" else "UTF-8"
        return None, f"not {name} text (byte 0x{byte} at byte {error.start + 1} of the line)"


def text_lines(path: Path) -> Iterator[tuple[int, str | None, str | None]]:
    """Each line of a text file (gzipped when its name ends in .gz) as (number, text, None), or (number, None, why)
    for a line that is not text: UTF-8 with its byte-order mark dropped, or UTF-16 when the file starts with a
    UTF-16 byte-order mark. Nothing is replaced: a line that cannot be read is said to be so."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        first = handle.readline()
        if first.startswith(UTF16_BOMS):
            text, error = _decode(first + handle.read(), "utf-16")
            if text is None:
                yield 1, None, error
                return
            for number, line in enumerate(text.splitlines(keepends=True), start=1):
                yield number, line, None
            return
        for number, line in enumerate(itertools.chain([first] if first else [], handle), start=1):
            text, error = _decode(line, "utf-8-sig" if number == 1 else "utf-8")
            yield number, text, error


def read_jsonl(path: Path, mapping: dict[str, str] | None = None) -> Iterator[Record]:
    """Articles from a JSON Lines file (optionally gzipped), one a line."""
    number = 0
    try:
        for number, line, undecodable in text_lines(path):
            if undecodable:
                yield Record(str(path), number, error=undecodable)
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield Record(str(path), number, error=f"not valid JSON ({error.msg})")
                continue
            except ValueError as error:  # an integer of more digits than Python converts
                yield Record(str(path), number, error=f"not valid JSON ({error})")
                continue
            except RecursionError:
                yield Record(str(path), number, error="not valid JSON (nested too deeply)")
                continue
            yield _record(str(path), number, data, mapping)
    except (OSError, EOFError) as error:  # a truncated or damaged compressed file: what was read is kept
        yield Record(str(path), number + 1, error=f"cannot read the file further: {error}")


def read_csv(path: Path, mapping: dict[str, str] | None = None) -> Iterator[Record]:
    """Articles from a CSV file with a header row; the line is where the record starts."""
    # A body field may be long (it is cut to MAX_TEXT_CHARS after): the csv module's limit of 131,072 characters
    # would stop the file there.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    undecodable: dict[int, str] = {}  # line number: why it is not text (its record is skipped)

    def lines() -> Iterator[str]:
        for number, text, error in text_lines(path):
            if error:
                undecodable[number] = error
                yield "\ufffd\n"  # a row (or part of one) of its own: its record is reported below, not indexed
            else:
                yield text

    reader = csv.DictReader(lines())
    if not reader.fieldnames:
        return
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # the record is skipped, the file goes on
            yield Record(str(path), line, error=f"not a readable CSV record ({error})")
            line = reader.line_num + 1
            continue
        bad = [undecodable[n] for n in range(line, reader.line_num + 1) if n in undecodable]
        if bad:
            yield Record(str(path), line, error=bad[0])
        elif None in row:
            yield Record(str(path), line, error="more values than the header has columns")
        else:
            yield _record(str(path), line, row, mapping)
        line = reader.line_num + 1


METADATA_RE = re.compile(
    r"Người đăng tin:\s*(?P<poster>.*?)\s*Ngày đăng tin:\s*(?P<date>[\d/: -]+?)\s*"
    r"(?:Lượt xem:\s*(?P<views>[\d.,]+))?\s*$",
    re.IGNORECASE,
)
FURNITURE_RE = re.compile(
    r"^\s*(Chuyên mục, tin tức liên quan|Tin liên quan|Các tin khác|Tìm kiếm|Thống kê truy cập|"
    r"Đang truy cập|Đang online|Hôm nay|Tháng hiện tại|Tổng lượt truy cập|Lượt truy cập|Liên kết website)\b",
    re.IGNORECASE,
)
BYLINE_MAX_WORDS = 6


def parse_portal_page(text: str, identifier: str) -> dict[str, Any]:
    """The fields of one portal page exported as text (see ``tests/data/portal_page_example.txt``)."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("the page is empty")
    data: dict[str, Any] = {"id": identifier, "title": lines[0]}
    rest = lines[1:]
    for index, line in enumerate(rest[:3]):
        match = METADATA_RE.search(line)
        if match:
            data["published"] = match.group("date").strip()
            if match.group("views"):
                data["views"] = match.group("views")
            if match.group("poster"):
                data["poster"] = match.group("poster")
            rest = rest[:index] + rest[index + 1 :]
            break
    body: list[str] = []
    for line in rest:
        if FURNITURE_RE.match(line):
            break
        body.append(line)
    # A short last line without sentence punctuation is the writer's byline.
    if len(body) > 1 and len(body[-1].split()) <= BYLINE_MAX_WORDS and not body[-1].endswith((".", ":", "?", "!")):
        data["author"] = body.pop()
    data["body"] = "\n".join(body)
    data.pop("poster", None)
    return data


def read_portal_page(path: Path, mapping: dict[str, str] | None = None) -> Iterator[Record]:
    """One article from a portal page exported as text; the id is the file name without extension."""
    text = ""
    for number, line, undecodable in text_lines(path):
        if undecodable:
            yield Record(str(path), number, error=undecodable)
            return
        text += line
    try:
        data = parse_portal_page(text, path.stem)
    except ValueError as error:
        yield Record(str(path), 1, error=str(error))
        return
    yield _record(str(path), 1, data, mapping)


READERS = {".jsonl": read_jsonl, ".jsonl.gz": read_jsonl, ".csv": read_csv, ".txt": read_portal_page}


def _reader_for(path: Path):
    for suffix, reader in READERS.items():
        if path.name.lower().endswith(suffix):
            return reader
    return None


def expand_sources(sources: Iterable[str | Path]) -> list[Path]:
    """Every supported file named, or found below a named folder, in a stable order.

    Raises ``SourceError`` for a source that does not exist or holds nothing readable.
    """
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _reader_for(p) and not p.name.startswith("."))
            if not found:
                raise SourceError(
                    f"{path}: no article files in this folder (supported: {', '.join(SUPPORTED_SUFFIXES)})"
                )
            files.extend(found)
        elif path.is_file():
            if _reader_for(path) is None:
                raise SourceError(f"{path}: unsupported file type (supported: {', '.join(SUPPORTED_SUFFIXES)})")
            files.append(path)
        else:
            raise SourceError(f"{path}: no such file or folder")
    return files


def read_sources(sources: Iterable[str | Path], mapping: dict[str, str] | None = None) -> Iterator[Record]:
    """Records from every source, file by file; an unreadable file is one skipped record, not a crash."""
    for path in expand_sources(sources):
        reader = _reader_for(path)
        try:
            yield from reader(path, mapping)
        except (OSError, EOFError, UnicodeError, csv.Error) as error:
            yield Record(str(path), 0, error=f"cannot read the file: {error}")


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["text=body", "name=title"]`` → ``{"text": "body", "name": "title"}``, checked against the article form."""
    mapping = {}
    for pair in pairs:
        source_name, sep, target = pair.partition("=")
        if not sep or not source_name.strip() or not target.strip():
            raise SourceError(f"--map {pair!r}: expected SOURCE_FIELD=ARTICLE_FIELD, such as text=body")
        if target.strip() not in ARTICLE_FIELDS:
            raise SourceError(f"--map {pair!r}: {target.strip()!r} is not one of {', '.join(ARTICLE_FIELDS)}")
        mapping[source_name.strip()] = target.strip()
    return mapping


def count_records(sources: Iterable[str | Path]) -> int:
    """A quick estimate of how many records the sources hold, for the progress bar."""
    total = 0
    for path in expand_sources(sources):
        name = path.name.lower()
        if name.endswith(".txt"):
            total += 1
            continue
        opener = gzip.open if name.endswith(".gz") else open
        lines = 0
        with contextlib.suppress(OSError, EOFError), opener(path, "rb") as handle:  # a damaged file: read it to count
            for line in handle:
                lines += bool(line.strip())
        total += max(0, lines - 1) if name.endswith(".csv") else lines
    return total
