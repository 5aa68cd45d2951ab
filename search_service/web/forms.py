"""Reading search parameters from a request's query string into a ``SearchRequest``, checking every one."""

from __future__ import annotations

import unicodedata
from datetime import date
from urllib.parse import unquote_to_bytes

from werkzeug.datastructures import MultiDict

from ..errors import BadQuery
from ..query import SCOPES, SORTS, SearchRequest
from ..searcher import MAX_PAGE
from ..sources import parse_date

SEARCH_PARAMETERS = (
    "q",
    "page",
    "per_page",
    "all",
    "phrase",
    "any",
    "none",
    "in",
    "category",
    "source",
    "author",
    "from",
    "to",
    "sort",
    "typed",
)
REPEATABLE = {"category", "source"}
MAX_CATEGORIES = 20
MAX_PER_PAGE = 100


def _chosen(args: MultiDict, name: str, english: str, vietnamese: str) -> list[str]:
    """The values chosen of a repeatable filter (``category``, ``source``): at most ``MAX_CATEGORIES``, each at most
    200 characters without control characters."""
    chosen = [value.strip() for value in args.getlist(name) if value.strip()]
    if len(chosen) > MAX_CATEGORIES:
        raise BadQuery(
            f"at most {MAX_CATEGORIES} {english}", f"tối đa {MAX_CATEGORIES} {vietnamese}", f"bad_{name}", name
        )
    if any(len(value) > 200 for value in chosen):
        raise BadQuery(f"'{name}' is longer than 200 characters", f"'{name}' dài quá 200 ký tự", f"bad_{name}", name)
    for value in chosen:
        if any(unicodedata.category(c) == "Cc" for c in value):
            raise BadQuery(
                f"'{name}' contains a control character", f"'{name}' chứa ký tự điều khiển", "control_character"
            )
    return chosen


def check_raw_query_string(raw: bytes) -> None:
    """Refuse a query string that is not valid UTF-8 (Werkzeug would silently replace the bad bytes)."""
    for piece in raw.split(b"&"):
        for part in piece.split(b"=", 1):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                raise BadQuery(
                    "the query string is not valid UTF-8", "chuỗi truy vấn không phải UTF-8 hợp lệ", "invalid_utf8"
                ) from None


def _text(args: MultiDict, name: str) -> str:
    value = args.get(name, "")
    for character in value:
        if unicodedata.category(character) == "Cc" and character not in "\t\n\r":
            raise BadQuery(
                f"'{name}' contains a control character", f"'{name}' chứa ký tự điều khiển", "control_character", name
            )
    return value


def _integer(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery(
            f"'{name}' must be a whole number, not {raw[:20]!r}", f"'{name}' phải là số nguyên", f"bad_{name}", name
        ) from None
    if not low <= value <= high:
        raise BadQuery(
            f"'{name}' must be between {low} and {high}",
            f"'{name}' phải nằm trong khoảng {low} đến {high}",
            f"bad_{name}",
        )
    return value


def _date(args: MultiDict, name: str) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw).date()
    except (ValueError, OverflowError):
        raise BadQuery(
            f"'{name}' is not a date: use YYYY-MM-DD or dd/mm/yyyy",
            f"'{name}' không phải là ngày hợp lệ: hãy nhập dd/mm/yyyy hoặc YYYY-MM-DD",
            "bad_date",
            name,
        ) from None


def check_parameters(args: MultiDict, allowed: tuple[str, ...]) -> None:
    """Refuse a parameter that is not one of ``allowed``, or one given twice that cannot be (only ``category``)."""
    for name in args:
        if name not in allowed:
            raise BadQuery(
                f"unknown parameter {name[:40]!r}; known: {', '.join(allowed)}",
                f"tham số không hợp lệ: {name[:40]!r}",
                "unknown_parameter",
            )
        if name not in REPEATABLE and len(args.getlist(name)) > 1:
            raise BadQuery(f"'{name}' is given more than once", f"tham số '{name}' bị lặp lại", "repeated_parameter")


def search_request(args: MultiDict, allowed: tuple[str, ...] = SEARCH_PARAMETERS) -> SearchRequest:
    """A checked ``SearchRequest`` from query parameters; ``BadQuery`` names the first bad one."""
    check_parameters(args, allowed)
    sort = args.get("sort", "").strip() or "relevance"
    if sort not in SORTS:
        raise BadQuery(
            f"'sort' must be one of {', '.join(SORTS)}",
            f"'sort' phải là một trong {', '.join(SORTS)}",
            "bad_sort",
            "sort",
        )
    scope = args.get("in", "").strip() or "all"
    if scope not in SCOPES:
        raise BadQuery(
            f"'in' must be one of {', '.join(SCOPES)}", f"'in' phải là một trong {', '.join(SCOPES)}", "bad_in"
        )
    categories = _chosen(args, "category", "categories", "chuyên mục")
    sources = _chosen(args, "source", "sources", "nguồn")
    request = SearchRequest(
        q=_text(args, "q"),
        all=_text(args, "all"),
        phrase=_text(args, "phrase"),
        any=_text(args, "any"),
        none=_text(args, "none"),
        scope=scope,
        categories=categories,
        sources=sources,
        author=_text(args, "author"),
        date_from=_date(args, "from"),
        date_to=_date(args, "to"),
        sort=sort,
        page=_integer(args, "page", 1, 1, MAX_PAGE),
        per_page=_integer(args, "per_page", 10, 1, MAX_PER_PAGE),
        as_typed=_integer(args, "typed", 0, 0, 1) == 1,
    )
    request.check()
    return request
