"""The portal's HTML pages: the search box, the results, the advanced search form, one article."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, current_app, render_template, request, send_from_directory, url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from ..analysis import alphabetical
from ..errors import BadQuery, IndexNotFound, PageOutOfRange
from ..query import OPERATORS, WORD_FIELDS, SearchPlan, SearchRequest, category_unknown, exclusions_apart
from ..results import highlight, query_terms, words_read
from ..searcher import SearchEngine
from .engine import engine_of, record, search_log_of
from .forms import REPEATABLE, SEARCH_PARAMETERS, check_raw_query_string, search_request

bp = Blueprint("pages", __name__)

# The fields of the advanced form that narrow a search (its sort and page size only present the results).
ADVANCED_FIELDS = ("all", "phrase", "any", "none", "in", "category", "source", "author", "from", "to")
SORT_LABELS = {"relevance": "Liên quan nhất", "newest": "Mới nhất", "oldest": "Cũ nhất", "views": "Xem nhiều nhất"}
PER_PAGE_CHOICES = (10, 20, 50, 100)
FIELD_LABELS = {
    "q": "Từ khóa",
    "all": "Tất cả các từ",
    "phrase": "Cụm từ chính xác",
    "any": "Bất kỳ từ nào",
    "none": "Không chứa các từ",
    "in": "Tìm trong",
    "category": "Chuyên mục",
    "source": "Nguồn",
    "author": "Tác giả",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "sort": "Sắp xếp theo",
    "per_page": "Số kết quả mỗi trang",
    "page": "Trang",
}


def vietnamese_number(value: float, decimals: int = 0) -> str:
    """``1359`` → ``1.359``; ``0.04`` with two decimals → ``0,04``.

    >>> vietnamese_number(1359), vietnamese_number(0.0412, 2)
    ('1.359', '0,04')
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def vietnamese_date(iso: str | None) -> str:
    """``2023-05-12`` (or a date-time) → ``12/05/2023``."""
    if not iso:
        return ""
    day = date.fromisoformat(iso[:10])
    return day.strftime("%d/%m/%Y")


def _chosen(search: SearchRequest) -> tuple[tuple[str, list[str]], ...]:
    """The values chosen of each repeatable filter, by its parameter's name."""
    return (("category", search.categories), ("source", search.sources))


def describe(search: SearchRequest) -> list[str]:
    """The search that was run, in words, for the line above the results."""
    parts = []
    if search.q:
        parts.append(f"Từ khóa: “{search.q}”")
    for name in WORD_FIELDS:
        value = getattr(search, name)
        if value:
            parts.append(f"{FIELD_LABELS[name]}: “{value}”")
    if search.scope == "title":
        parts.append("Tìm trong: tiêu đề")
    for name, chosen in _chosen(search):
        if chosen:
            parts.append(f"{FIELD_LABELS[name]}: " + ", ".join(chosen))
    if search.author:
        parts.append(f"Tác giả: {search.author}")
    if search.date_from:
        parts.append("Từ ngày " + search.date_from.strftime("%d/%m/%Y"))
    if search.date_to:
        parts.append("Đến ngày " + search.date_to.strftime("%d/%m/%Y"))
    if search.sort != "relevance":
        parts.append("Sắp xếp: " + SORT_LABELS[search.sort].lower())
    return parts


def page_args() -> MultiDict:
    """The search parameters of this page's URL. Pages ignore any other (``fbclid``, ``utm_source``, ``zarsrc``… that
    a link shared on Facebook or Zalo carries); the JSON API refuses them."""
    return MultiDict([(name, value) for name, value in request.args.items(multi=True) if name in SEARCH_PARAMETERS])


def url_with(**changes: Any) -> str:
    """This page's URL with some parameters changed (``None`` removes one); any change but the page resets it."""
    args = page_args()
    if "page" not in changes:
        args.pop("page", None)
    for name, value in changes.items():
        args.pop(name, None)
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            args.add(name, item)
    return url_for("pages.results", **args.to_dict(flat=False))


@bp.app_template_global()
def current_url_with(**changes: Any) -> str:
    return url_with(**changes)


# The filters a results page can hold, removable one by one (the words searched and the order are not filters).
FILTERS = ("category", "source", "author", "from", "to", "in", "all", "phrase", "any", "none")


def active_filters(search: SearchRequest) -> list[tuple[str, str]]:
    """The filters in force, each as (what it says, the URL without it), for the chips above the results."""
    chips = []
    for name, chosen in _chosen(search):
        for value in chosen:
            others = [other for other in chosen if other != value]
            chips.append((f"{FIELD_LABELS[name]}: {value}", url_with(**{name: others or None})))
    year = chosen_year(search)
    if year:
        chips.append((f"Năm {year}", url_with(**{"from": None, "to": None})))
    else:
        if search.date_from:
            chips.append(("Từ ngày " + search.date_from.strftime("%d/%m/%Y"), url_with(**{"from": None})))
        if search.date_to:
            chips.append(("Đến ngày " + search.date_to.strftime("%d/%m/%Y"), url_with(to=None)))
    if search.author:
        chips.append((f"Tác giả: {search.author}", url_with(author=None)))
    if search.scope == "title":
        chips.append(("Chỉ tìm trong tiêu đề", url_with(**{"in": None})))
    for name in WORD_FIELDS:
        value = getattr(search, name)
        if value:
            chips.append((f"{FIELD_LABELS[name]}: “{value}”", url_with(**{name: None})))
    return chips


def chosen_year(search: SearchRequest) -> int | None:
    """The year the date filter is, when it is exactly one calendar year (as the year facet sets it)."""
    start, end = search.date_from, search.date_to
    if start and end and start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return start.year
    return None


def date_ranges(today: date) -> list[tuple[str, str, str]]:
    """The usual ranges of a news search, up to today: (label, from, to), dates as the page writes them."""
    starts = [
        ("7 ngày qua", today - timedelta(days=6)),
        ("30 ngày qua", today - timedelta(days=29)),
        ("Năm nay", date(today.year, 1, 1)),
    ]
    return [(label, start.strftime("%d/%m/%Y"), today.strftime("%d/%m/%Y")) for label, start in starts]


def date_presets(today: date) -> list[tuple[str, str]]:
    """The usual ranges as links from this results page: (label, the URL with the range)."""
    return [(label, url_with(**{"from": start, "to": end})) for label, start, end in date_ranges(today)]


@bp.app_template_global()
def article_url(identifier: str) -> str:
    """An article's page, carrying this page's search (its words are highlighted there, and it links back here)."""
    return url_for("pages.article", identifier=identifier, **page_args().to_dict(flat=False))


@bp.app_template_filter("vn_number")
def _vn_number(value: float, decimals: int = 0) -> str:
    return vietnamese_number(value, decimals)


@bp.app_template_filter("vn_seconds")
def vietnamese_seconds(milliseconds: float) -> str:
    """How long a search took, as the page says it: ``0,04 giây``; under a hundredth, ``< 0,01 giây``.

    >>> vietnamese_seconds(42.0), vietnamese_seconds(3.2)
    ('0,04 giây', '< 0,01 giây')
    """
    if milliseconds < 5:
        return "< 0,01 giây"
    return f"{vietnamese_number(milliseconds / 1000, 2)} giây"


@bp.app_template_filter("vn_date")
def _vn_date(value: str | None) -> str:
    return vietnamese_date(value)


@bp.before_request
def check_query_string():
    check_raw_query_string(request.query_string)


def _choices() -> dict[str, list[str]]:
    """The categories and sources the advanced form offers: the index's most frequent (``FACET_LIMIT``), in
    Vietnamese's alphabetical order (``alphabetical``)."""
    try:
        facets = engine_of(current_app).search(SearchRequest(per_page=1))["facets"]
    except IndexNotFound:
        return {"category": [], "source": []}
    return {name: sorted((row["value"] for row in facets[name]), key=alphabetical) for name in ("category", "source")}


def _form_values(args: MultiDict) -> dict[str, Any]:
    """What was typed in each field, to show it again in the form (categories as a list)."""
    return {name: args.getlist(name) if name in REPEATABLE else args.get(name, "") for name in SEARCH_PARAMETERS}


@bp.get("/favicon.ico")
def favicon():
    """The icon browsers ask for at this fixed address (the pages also name it in their head)."""
    return send_from_directory(bp.root_path + "/static", "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/")
def home():
    log = search_log_of(current_app)
    popular = log.popular() if log is not None else []
    # As they read: `cai cach hanh chinh` as *cải cách hành chính*, `ubnd quận` as *UBND quận* (``popular_shown``).
    if popular:
        try:
            popular = engine_of(current_app).popular_shown(popular)
        except IndexNotFound:  # no index to read them by: as typed
            pass
    return render_template("home.html", popular=popular)


@bp.get("/search")
def results():
    args = page_args()
    notices = []
    if args.get("sort", "").strip() not in ("", *SORT_LABELS):
        notices.append(f"Không có cách sắp xếp «{args['sort'][:40]}»; kết quả được xếp theo mức liên quan.")
        args.setlist("sort", [])
    values = _form_values(args)
    advanced = any(args.get(name) for name in ADVANCED_FIELDS)
    engine = engine_of(current_app)
    try:
        search = search_request(args)
        try:
            result = engine.search(search)
        except PageOutOfRange as error:  # a page past the last: the last page, and a word about it
            notices.append(f"Không có trang {search.page}; đây là trang cuối cùng.")
            search = replace(search, page=max(1, error.last_page))
            result = engine.search(search)
        record(current_app, search, result)
    except BadQuery as error:
        field = error.field or "q"
        template = "advanced.html" if field in ADVANCED_FIELDS else "results.html"
        return (
            render_template(
                template,
                values=values,
                errors={field: error.message_vi.replace(f"'{field}'", f"«{FIELD_LABELS.get(field, field)}»")},
                error_label=FIELD_LABELS.get(field, field),
                choices=_choices(),
                result=None,
                sort_labels=SORT_LABELS,
                per_page_choices=PER_PAGE_CHOICES,
            ),
            400,
        )
    # The advanced form's words as searched: spaced (`hanoi`: *ha noi*), or spelled as they surely read (`ma tuy`);
    # its categories and sources as the index names them (`the-thao`: *Thể thao*).
    searched = replace(
        search,
        **{name: result["query"][name] for name in WORD_FIELDS},
        categories=result["query"]["category"],
        sources=result["query"]["source"],
    )
    unfiltered = _found_unfiltered(engine, search) if not result["total"] else None
    unnumbered = _found_unnumbered(engine, search) if not result["total"] else None
    unknown_category = _category_unknown(engine, search) if not result["total"] else None
    return render_template(
        "results.html",
        values=values,
        errors={},
        notices=notices,
        result=result,
        search=searched,
        description=describe(searched) if advanced else [],
        advanced=advanced,
        sort_labels=SORT_LABELS,
        page_numbers=_page_numbers(search.page, result["pages"]),
        advanced_url=url_for(
            "pages.advanced",
            **{**args.to_dict(flat=False), "category": searched.categories, "source": searched.sources},
        ),
        chips=active_filters(searched),
        clear_filters_url=url_with(**dict.fromkeys(FILTERS)),
        chosen_year=chosen_year(search),
        presets=date_presets(date.today()),
        unfiltered=unfiltered,
        unfiltered_url=url_with(**dict.fromkeys(NARROWING), page=None),
        unnumbered=unnumbered,
        unnumbered_url=url_with(q=unnumbered[1], page=None) if unnumbered else None,
        unknown_category=unknown_category,
        # The advanced form's words spelled as they likelier read, each named by its field.
        fields_spelled=[f"{FIELD_LABELS[name]}: “{text}”" for name, text in result["field_suggestions"].items()],
        fields_spelled_url=url_with(**result["field_suggestions"]),
    )


NARROWING = ("category", "source", "author", "from", "to", "in")  # what narrows the words' results, not the words


def _found_unfiltered(engine: SearchEngine, search: SearchRequest) -> int | None:
    """How many articles the words find without the filters that narrow them (``NARROWING``), for a search that
    finds none with them: the page offers them, as a shop offers the other departments' results. None when no
    filter narrows it, when it has no words, or when the words find nothing either."""
    narrowed = search.categories or search.sources or search.author or search.date_from or search.date_to
    words = any(getattr(search, name).strip() for name in ("q", "all", "phrase", "any"))
    if not (narrowed or search.scope == "title") or not words:
        return None
    wide = replace(search, categories=[], sources=[], author="", date_from=None, date_to=None, scope="all", page=1)
    return engine.search(wide)["total"] or None


def _found_unnumbered(engine: SearchEngine, search: SearchRequest) -> tuple[list[str], str, int] | None:
    """For a box that finds nothing, its words that hold a digit (a document number, a date, ``covid-19``: a
    search finds each whole or not at all), the rest of its words, and how many articles those find: the page says
    that no article holds the numbers and links to the rest, as a portal's visitor looks for a decree it may not
    have published. None when the box has no such word, a quotation (a phrase is searched whole), no other word to
    look for (an operator or an exclusion alone), or when the rest finds nothing either."""
    # The words looked for as the box's parser reads them (its exclusions apart, an operator with nothing to join
    # left out), as the suggestion's spelling reads them.
    looked, excluded = (part.strip() for part in exclusions_apart(search.q))
    if not looked or '"' in looked:
        return None
    words = words_read(looked).split()
    numbers = [word for word in words if any(char.isdigit() for char in word)]
    rest = [word for word in words if word not in numbers]
    if not numbers or not any(char.isalpha() for word in rest if word not in OPERATORS for char in word):
        return None
    rest += [excluded] if excluded else []
    total = engine.search(replace(search, q=" ".join(rest), page=1))["total"]
    return (numbers, " ".join(rest), total) if total else None


CATEGORIES_NAMED = 30  # of the index's categories, those a page that names an unknown one lists


def _category_unknown(engine: SearchEngine, search: SearchRequest) -> dict[str, Any] | None:
    """For a box that finds nothing, a ``category:`` in it that names none of the index's categories
    (``query.category_unknown``: `tuyển sinh category:giao duc` on an index without *Giáo dục*): the name as typed;
    the index's categories (the first ``CATEGORIES_NAMED`` in alphabetical order), each with the link to the rest of
    the box within it; and the rest of the box with the link to it in every category and how many articles it finds
    there (none: no link). None when the box names no such category."""
    if "category:" not in search.q.lower():
        return None
    names = engine.listed("category")
    unknown = category_unknown(search.q, names)
    if unknown is None:
        return None
    name, rest = unknown
    found = engine.search(replace(search, q=rest, categories=[], page=1))["total"] if rest else 0
    return {
        "name": name,
        "rest": rest,
        "found": found,
        "rest_url": url_with(q=rest, category=None),
        "categories": [
            (shown, url_with(q=rest or None, category=shown))
            for shown in sorted(names, key=alphabetical)[:CATEGORIES_NAMED]
        ],
        "more": len(names) > CATEGORIES_NAMED,
    }


@bp.get("/advanced")
def advanced():
    args = page_args()
    values = _form_values(args)
    return render_template(
        "advanced.html",
        values=values,
        errors={},
        ranges=date_ranges(date.today()),
        choices=_choices(),
        sort_labels=SORT_LABELS,
        per_page_choices=PER_PAGE_CHOICES,
    )


@bp.get("/articles/<path:identifier>")
def article(identifier: str):
    """One article; opened from a results page, it carries that page's search (to highlight its words and to go back
    to it) in its own query string."""
    engine = engine_of(current_app)
    found = engine.article(identifier)
    if found is None:
        return render_template(
            "error.html",
            status=404,
            title="Không tìm thấy bài viết",
            message="Bài viết bạn tìm không có hoặc đã bị gỡ.",
        ), 404
    args = page_args()
    marked = {name: html.escape(found[name]) for name in ("title", "summary", "body")}
    try:
        search = search_request(args)
    except BadQuery:
        search = None
    if search is not None and any((search.q, search.all, search.phrase, search.any)):
        # Marked as the search read it, by the plan its results were found by (a likelier spelling's, when it took
        # one); an article that holds none of that (a link whose words were edited, an index changed since) as
        # typed.
        def plans() -> Iterator[SearchPlan]:
            try:
                yield engine.plan_found_by(search, identifier)
            except PageOutOfRange:
                yield engine.plan(search)
            if not search.as_typed:
                yield engine.plan(replace(search, as_typed=True))

        for plan in plans():
            exact, folded = query_terms(plan)
            found_marked = {name: highlight(found[name], exact, folded) for name in marked}
            if any("<mark>" in text for text in found_marked.values()):
                marked = found_marked
                break
    return render_template(
        "article.html",
        article=found,
        marked={name: Markup(text) for name, text in marked.items()},
        back_url=url_for("pages.results", **args.to_dict(flat=False)) if args else None,
        related=engine.related(identifier) or [],
        values=_form_values(args),  # the header's box keeps the search the article was opened from
    )


def _page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page links to show: the first, the last, and a few around the current one (``None`` is a gap).

    >>> _page_numbers(7, 20)
    [1, None, 5, 6, 7, 8, 9, None, 20]
    """
    if pages <= 1:
        return []
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
