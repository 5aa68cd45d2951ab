"""The ``search-service`` command: index administration and search from the terminal. A thin shell over the library."""

from __future__ import annotations

import html
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import indexer
from .analytics import ANALYTICS_FILE, POPULAR_MIN, SearchLog
from .config import SAMPLE_DIR, defaults, from_environment
from .database import URL_RE
from .errors import SearchServiceError
from .query import SCOPES, SORTS, SearchRequest
from .searcher import SearchEngine
from .sources import count_records, parse_date, parse_mapping

log = logging.getLogger("search_service")


def _settings() -> dict[str, Any]:
    settings = defaults()
    settings.update(from_environment())
    return settings


def index_dir_option(function: Callable) -> Callable:
    return click.option(
        "--index-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: _settings()["index_dir"],
        show_default="index/, or $SEARCH_SERVICE_INDEX_DIR",
        help="Folder that holds the index.",
    )(function)


class ServiceGroup(click.Group):
    """A command group whose commands' ``SearchServiceError`` becomes a usage error (exit status 2) with its message:
    the one place where the library's errors meet the terminal."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SearchServiceError as error:
            exception = click.ClickException(error.message)
            exception.exit_code = 2
            raise exception from None


@click.group(cls=ServiceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="search-service")
def main() -> None:
    """Vietnamese full-text search for news and government portals.

    \b
    Example:
        search-service index build articles/ && search-service search "cai cach hanh chinh"
    """
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr, force=True
    )


@main.group()
def index() -> None:
    """Build, update and inspect the index.

    \b
    Example:
        search-service index build articles.jsonl portal_pages/
    """


class Progress:
    """A progress bar on a terminal; plain log lines every few seconds otherwise."""

    def __init__(self, total: int | None, label: str):
        self.total = total
        self.done = 0
        self.started = time.perf_counter()
        self.last_log = self.started
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit=" bài", file=sys.stderr, dynamic_ncols=True)

    def __call__(self, count: int) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
            return
        now = time.perf_counter()
        if now - self.last_log >= 5:
            self.last_log = now
            rate = self.done / (now - self.started)
            left = f", about {(self.total - self.done) / rate:.0f} s left" if self.total and rate else ""
            log.info("indexed %d/%s articles, %.1f articles/s%s", self.done, self.total or "?", rate, left)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _report(report: indexer.IndexReport, verb: str) -> None:
    for skipped in report.skipped + report.repaired:
        click.echo(f"{skipped.where}: {skipped.reason}", err=True)
    if report.unknown_keys:
        log.warning(
            "ignored unknown field(s): %s (map them with --map NAME=FIELD)", ", ".join(sorted(report.unknown_keys))
        )
    click.echo(
        f"{verb}: {report.indexed} indexed, {report.replaced} replaced, {len(report.skipped)} skipped, "
        + (f"{len(report.repaired)} cut to size, " if report.repaired else "")
        + f"{report.elapsed:.1f} s, {report.rate:.1f} articles/s ({report.segmented} texts segmented, "
        f"the rest from the cache"
        + (f"; {report.unchanged} unchanged articles kept from the live index)" if report.unchanged else ")")
    )


def _run_indexing(
    function: Callable,
    index_dir: Path,
    sources: tuple[str, ...],
    jobs: int,
    mappings: tuple[str, ...],
    verb: str,
    **options: Any,
) -> None:
    mapping = parse_mapping(mappings)
    files = [s for s in sources if not URL_RE.match(s) and not s.lower().endswith(".toml")]
    progress = Progress(count_records(files) if len(files) == len(sources) else 0, verb)
    try:
        report = function(index_dir, sources, jobs=jobs, mapping=mapping, progress=progress, **options)
    except indexer.NothingUsable as error:
        _report(error.report, verb)  # what was skipped, then the error itself
        raise
    finally:
        progress.close()
    _report(report, verb)
    sys.exit(report.exit_code)


SOURCE_ARGUMENT = click.argument("sources", nargs=-1, required=True)
JOBS_OPTION = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=lambda: _settings()["jobs"],
    help="Processes that segment and index text (0: one per core).",
)
QUERY_OPTION = click.option(
    "--query",
    metavar="SQL",
    default=None,
    help="For a database URL among SOURCES: the query whose columns are the articles' fields (e.g. SELECT id, title, "
    "body FROM articles).",
)
MAP_OPTION = click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="NAME=FIELD",
    help="Read the source's field NAME as the article's FIELD (e.g. text=body).",
)


@index.command("build")
@SOURCE_ARGUMENT
@index_dir_option
@JOBS_OPTION
@MAP_OPTION
@QUERY_OPTION
@click.option("--fresh", is_flag=True, help="Write every article anew instead of keeping the unchanged ones.")
def index_build(
    sources: tuple[str, ...], index_dir: Path, jobs: int, mappings: tuple[str, ...], query: str | None, fresh: bool
) -> None:
    """Rebuild the whole index from SOURCES: files or folders (.jsonl, .jsonl.gz, .csv, portal pages as .txt), a
    database URL with --query, or a database source file (.toml).

    The new index replaces the old one only when it is complete. Articles unchanged since the live index was
    built are kept as they are (--fresh writes everything again); articles no longer in SOURCES are dropped.
    Exit status: 0 all indexed, 1 some records skipped, 2 nothing usable or a usage error.

    \b
    Example:
        search-service index build ../shared/data/vntc/vntc_test.jsonl.gz --map text=body
        search-service index build postgresql+psycopg://cms@db/portal --query "SELECT id, title, body FROM bai_viet"
    """
    _run_indexing(indexer.build, index_dir, sources, jobs, mappings, "build", fresh=fresh, query=query)


@index.command("add")
@SOURCE_ARGUMENT
@index_dir_option
@JOBS_OPTION
@MAP_OPTION
@QUERY_OPTION
def index_add(
    sources: tuple[str, ...], index_dir: Path, jobs: int, mappings: tuple[str, ...], query: str | None
) -> None:
    """Add articles from SOURCES, replacing those whose id is already indexed.

    \b
    Example:
        search-service index add new_articles.jsonl
    """
    _run_indexing(indexer.add, index_dir, sources, jobs, mappings, "add", query=query)


@index.command("sync")
@click.argument("source")
@index_dir_option
@JOBS_OPTION
def index_sync(source: str, index_dir: Path, jobs: int) -> None:
    """Bring the index up to date with a database SOURCE (a .toml source file): the rows changed since the last
    sync (by its updated_column), new rows, and the articles whose id the source no longer gives (removed).
    Safe to run from cron while the service serves. Exit status: 0, 1 some rows skipped, 2 an error.

    \b
    Example (crontab, every 10 minutes):
        */10 * * * *  cd /srv/search && .venv/bin/search-service index sync sources/portal.toml
    """
    progress = Progress(0, "sync")
    try:
        report = indexer.sync(index_dir, source, jobs=jobs, progress=progress)
    finally:
        progress.close()
    for skipped in report.skipped + report.repaired:
        click.echo(f"{skipped.where}: {skipped.reason}", err=True)
    if not (report.indexed or report.replaced or report.deleted):
        click.echo(f"sync: nothing changed ({report.unchanged} rows read unchanged, {len(report.skipped)} skipped)")
    else:
        click.echo(
            f"sync: {report.indexed} added, {report.replaced} replaced, {report.deleted} removed, "
            f"{len(report.skipped)} skipped, {report.elapsed:.1f} s"
        )
    sys.exit(1 if report.skipped or report.repaired else 0)


@index.command("delete")
@click.argument("ids", nargs=-1, required=True)
@index_dir_option
def index_delete(ids: tuple[str, ...], index_dir: Path) -> None:
    """Remove the articles with these IDS.

    \b
    Example:
        search-service index delete bai-viet-123 bai-viet-124
    """
    deleted, missing = indexer.delete(index_dir, ids)
    for identifier in missing:
        click.echo(f"not found: {identifier}", err=True)
    click.echo(f"delete: {len(deleted)} deleted, {len(missing)} not found")
    sys.exit(1 if missing else 0)


@index.command("rollback")
@index_dir_option
def index_rollback(index_dir: Path) -> None:
    """Make the previous index live again (after a bad build); running it twice goes back to where you were.

    \b
    Example:
        search-service index rollback --index-dir index
    """
    name = indexer.rollback(index_dir)
    click.echo(f"rollback: {name} is live again")


@index.command("vocabulary")
@index_dir_option
def index_vocabulary(index_dir: Path) -> None:
    """Save the index's vocabulary (its completions and diacritics model) when none of this version is saved beside
    it, as after an upgrade; serving workers then load it rather than each reading it from the index. `serve` does
    this as it starts where it can write the index; run this where it cannot (a read-only mount).

    \b
    Example:
        search-service index vocabulary --index-dir index
    """
    started = time.perf_counter()
    if indexer.save_stale_vocabulary(index_dir):
        click.echo(f"vocabulary: saved in {time.perf_counter() - started:.1f} s")
    else:
        click.echo("vocabulary: the one saved beside the index is of this version already")


@index.command("info")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def index_info(index_dir: Path, as_json: bool) -> None:
    """Show what the index holds: articles, size on disk, when and from what it was built, its settings.

    \b
    Example:
        search-service index info --json
    """
    details = indexer.info(index_dir)
    if as_json:
        click.echo(json.dumps(details, ensure_ascii=False, indent=2))
        return
    click.echo(f"index:      {details['index_dir']} ({details['generation']})")
    click.echo(f"articles:   {details['articles']}")
    click.echo(f"size:       {details['size_bytes'] / 1e6:.1f} MB")
    click.echo(
        f"built at:   {details['built_at']} in {details['build_seconds']} s, {details['skipped_at_build']} skipped"
    )
    click.echo(f"sources:    {', '.join(details['sources'])}")
    click.echo(
        f"settings:   analysis v{details['analysis_version']}, {details['jobs']} jobs, mapping {details['mapping']}"
    )
    if details["analysis_version"] != details["code_analysis_version"]:
        click.echo(
            f"note:       this version analyses text by v{details['code_analysis_version']}: run `search-service "
            "index build` to analyse every article again (until then some words are found otherwise)"
        )
    if not details["vocabulary_saved"]:
        click.echo(
            "note:       no vocabulary of this version is saved beside the index: run `search-service index "
            "vocabulary` (`serve` saves it as it starts where it can write the index); until then each worker reads "
            "it from the index"
        )
    for update in details["updates"]:
        click.echo(
            f"update:     {update['at']} {update['command']}: {update['indexed']} indexed, "
            f"{update['replaced']} replaced, {update['deleted']} deleted"
        )


def _date(ctx: click.Context, param: click.Parameter, value: str | None):
    if not value:
        return None
    try:
        return parse_date(value).date()
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@main.command("search")
@click.argument("query", required=False, default="")
@index_dir_option
@click.option("--all", "all_words", default="", help="All of these words.")
@click.option("--phrase", default="", help="This exact phrase.")
@click.option("--any", "any_words", default="", help="Any of these words.")
@click.option("--none", "none_words", default="", help="None of these words.")
@click.option("--in", "scope", type=click.Choice(SCOPES), default="all", help="Search the title only, or everywhere.")
@click.option("--category", multiple=True, help="Only this category (repeatable).")
@click.option("--source", multiple=True, help="Only this source: a portal of the network, a paper (repeatable).")
@click.option("--author", default="", help="Only articles by this author.")
@click.option("--from", "date_from", callback=_date, help="Published on or after (YYYY-MM-DD or dd/mm/yyyy).")
@click.option("--to", "date_to", callback=_date, help="Published on or before (YYYY-MM-DD or dd/mm/yyyy).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance")
@click.option("--page", type=click.IntRange(min=1), default=1)
@click.option("--per-page", type=click.IntRange(1, 100), default=10)
@click.option("--synonyms", "synonym_file", default=lambda: _settings()["synonyms"], help="Extra synonym file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--show-query", is_flag=True, help="Print the plan the search runs (query, boosts), then search.")
def search(
    query: str,
    index_dir: Path,
    all_words: str,
    phrase: str,
    any_words: str,
    none_words: str,
    scope: str,
    category: tuple[str, ...],
    source: tuple[str, ...],
    author: str,
    date_from,
    date_to,
    sort: str,
    page: int,
    per_page: int,
    synonym_file: str,
    as_json: bool,
    show_query: bool,
) -> None:
    """Search the index from the terminal; diacritics are optional.

    \b
    Example:
        search-service search "cai cach hanh chinh" --sort newest --json
    """
    request = SearchRequest(
        q=query,
        all=all_words,
        phrase=phrase,
        any=any_words,
        none=none_words,
        scope=scope,
        categories=list(category),
        sources=list(source),
        author=author,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        per_page=per_page,
    )
    engine = SearchEngine(index_dir, (synonym_file,) if synonym_file else ())
    if show_query:
        plan = engine.plan(request)
        if plan.understood["q"] != request.q:  # what was typed, read as the spelling searched
            click.echo(f"searched:   {plan.understood['q']} (typed: {request.q})", err=True)
        click.echo(plan.describe(), err=True)
    result = engine.search(request)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for notice in _notices(result["query"]):
        click.echo(notice)
    click.echo(f"{result['total']} kết quả ({result['took_ms']:.0f} ms), trang {result['page']}/{result['pages']}")
    for number, hit in enumerate(result["hits"], start=(page - 1) * per_page + 1):
        meta = " · ".join(
            str(v)
            for v in (
                hit["source"],
                hit["published"],
                ", ".join(hit["category"]),
                hit["author"],
                hit["views"] and f"{hit['views']} lượt xem",
            )
            if v
        )
        click.echo(f"{number:>3}. {hit['title']}  [{hit['id']}]")
        if meta:
            click.echo(f"     {meta}")
        if hit.get("snippet"):
            text = html.unescape(hit["snippet"].replace("<mark>", "«").replace("</mark>", "»"))
            click.echo(f"     {' '.join(text.split())}")
        for label, exact in (("cùng nội dung", True), ("gần giống", False)):
            listed = [copy["id"] for copy in hit["copies"] if copy["exact"] is exact]
            if listed:
                click.echo(f"     {label}: {', '.join(listed)}")
    if result.get("suggestion"):
        click.echo(f"Có phải bạn muốn tìm: {result['suggestion']}")


def _notices(query: dict[str, Any]) -> list[str]:
    """What the results page says of how it read the query (``templates/results.html``), as lines for the terminal:
    the words searched where they are not the words typed, and a fallback's reason."""
    notices = []
    if query["keyboard"]:
        notices.append(f"Đã tìm “{query['read']}” (gõ theo kiểu {'Telex' if query['keyboard'] == 'telex' else 'VNI'}).")
    if query["spelled"] and query["corrected_from"] == query["q"]:
        notices.append(f"Đã hiển thị kết quả chứa đúng “{query['q']}” (không dấu).")
    elif query["corrected_from"]:
        notices.append(f"Đã hiển thị kết quả cho “{query['read']}” (đã gõ: “{query['corrected_from']}”).")
    if query["other_diacritics"]:
        notices.append("Không có bài viết nào chứa đúng các từ như đã gõ; dưới đây là các bài có từ viết khác dấu.")
    elif query["relaxed"]:
        notices.append("Không có bài viết nào chứa đủ các từ; dưới đây là các bài chứa một phần.")
    elif query["apart"]:
        notices.append(
            "Không có bài viết nào chứa liền từng từ; dưới đây là các bài chứa đủ các tiếng, ở những chỗ khác nhau."
        )
    return notices


@main.command("serve")
@index_dir_option
@click.option(
    "--host",
    default=lambda: _settings()["host"],
    show_default="127.0.0.1, or $SEARCH_SERVICE_HOST",
    help="Address to listen on (0.0.0.0 for all).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=lambda: _settings()["port"],
    show_default="8000, or $SEARCH_SERVICE_PORT",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=lambda: _settings()["workers"],
    show_default="2, or $SEARCH_SERVICE_WORKERS",
    help="gunicorn worker processes.",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=lambda: _settings()["threads"],
    show_default="8, or $SEARCH_SERVICE_THREADS",
    help="Threads of each worker: a slow client holds one while the others answer.",
)
@click.option("--synonyms", "synonym_file", default=lambda: _settings()["synonyms"], help="Extra synonym file.")
def serve(index_dir: Path, host: str, port: int, workers: int, threads: int, synonym_file: str) -> None:
    """Serve the search API with gunicorn, a production WSGI server.

    \b
    Example:
        search-service serve --index-dir index --host 0.0.0.0 --port 8000 --workers 2
    """
    from .web.server import serve as run_server

    # Every setting the environment gives (the portal's name, the result cache, where searches are recorded, the
    # proxies in front…), the flags' over them: the app a worker builds reads nothing else.
    settings = {**_settings(), "index_dir": str(index_dir), "synonyms": synonym_file}
    run_server(settings, host, port, workers, threads)


@main.command("stats")
@index_dir_option
@click.option("--days", type=click.IntRange(1, 3650), default=30, show_default=True, help="Look this many days back.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Queries in each list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(index_dir: Path, days: int, limit: int, as_json: bool) -> None:
    """What visitors searched: the most frequent queries, those that found nothing, those whose visitors went past
    page 1, and searches per day (queries grouped by their form without case, diacritics or extra spaces).

    \b
    search-service stats --days 7
    """
    settings = _settings()
    folder = Path(settings["analytics_dir"] or index_dir)
    if not (folder / ANALYTICS_FILE).exists():
        raise click.ClickException(f"no searches recorded in {folder / ANALYTICS_FILE} (is ANALYTICS on?)")
    figures = SearchLog(folder, settings["analytics_days"]).stats(days, limit)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"{figures['searches']:,} searches in the last {days} days")
    sections = (
        ("Most frequent queries", "top", lambda r: f"{r['searches']:>6}  {r['query']}  ({r['found']:,} found)"),
        ("Queries that found nothing", "nothing_found", lambda r: f"{r['searches']:>6}  {r['query']}"),
        (
            "Queries whose visitors went past page 1",
            "past_page_one",
            lambda r: f"{r['searches']:>6}  {r['query']}  (up to page {r['deepest']})",
        ),
        ("Searches per day", "per_day", lambda r: f"{r['searches']:>6}  {r['day']}"),
    )
    for title, key, line in sections:
        click.echo(f"\n{title}:")
        for row in figures[key] or []:
            click.echo("  " + line(row))
        if not figures[key]:
            click.echo("  (none)")


@main.command("popular")
@index_dir_option
@click.option(
    "--hide",
    multiple=True,
    metavar="WORDS",
    help="Never show a query holding these words (in any case or accenting) on the home page. Repeatable.",
)
@click.option("--show", multiple=True, metavar="WORDS", help="Take words off the hidden list. Repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def popular(index_dir: Path, hide: tuple[str, ...], show: tuple[str, ...], as_json: bool) -> None:
    """The queries the home page shows under "Tìm kiếm phổ biến", and the words an editor hid from it. Visitors
    choose what is popular; an editor decides what a portal does not show, whoever searched it. Hiding takes
    effect on the next page view, in every worker.

    \b
    search-service popular --hide "xổ số"
    search-service popular --show "xổ số"
    """
    settings = _settings()
    folder = Path(settings["analytics_dir"] or index_dir)
    if not hide and not show and not (folder / ANALYTICS_FILE).exists():
        raise click.ClickException(f"no searches recorded in {folder / ANALYTICS_FILE} (is ANALYTICS on?)")
    log = SearchLog(folder, settings["analytics_days"])
    for words in hide:
        try:
            log.hide(words)
        except ValueError:
            raise click.BadParameter(f"{words!r} has no letter or digit to hide", param_hint="--hide") from None
    for words in show:
        if not log.unhide(words):
            click.echo(f"not hidden: {words}", err=True)
    shown, hidden = log.popular(), log.hidden()
    if as_json:
        click.echo(json.dumps({"shown": shown, "hidden": hidden}, ensure_ascii=False, indent=2))
        return
    click.echo(f"Shown on the home page (searched by {POPULAR_MIN} or more visitors in the last 30 days):")
    click.echo("\n".join(f"  {query}" for query in shown) or "  (none)")
    click.echo("Hidden words:")
    click.echo("\n".join(f"  {words}" for words in hidden) or "  (none)")


@main.command("sample-path")
def sample_path() -> None:
    """Print the folder of the bundled sample articles (VNTC, MIT licence, plus one portal page).

    \b
    Example:
        search-service index build "$(search-service sample-path)"
    """
    click.echo(str(SAMPLE_DIR))


if __name__ == "__main__":
    main()
