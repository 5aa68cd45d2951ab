"""The one ``SearchEngine`` and the one ``SearchLog`` of a serving process, kept in the app's extensions (see
``docs/architecture.md``)."""

from __future__ import annotations

import time

from flask import Flask, request

from ..analytics import SearchLog
from ..query import SearchRequest
from ..searcher import SearchEngine

EXTENSION = "search_engine"
LOG_EXTENSION = "search_log"


def engine_of(app: Flask) -> SearchEngine:
    """The app's engine: the index stays open across requests and is reopened when a new generation goes live."""
    return app.extensions[EXTENSION]


def search_log_of(app: Flask) -> SearchLog | None:
    """The app's record of searches (None when the ``ANALYTICS`` setting turns it off)."""
    return app.extensions.get(LOG_EXTENSION)


POPULAR_EXTENSION = "popular_queries"
POPULAR_READ = 200  # the most searched queries completions are looked for among
POPULAR_REFRESH = 60.0  # seconds a worker keeps them (the app config's ``POPULAR_REFRESH``: a test asks for 0)


def popular_queries(app: Flask) -> list[str]:
    """The queries visitors search most that completions offer (``SearchLog.popular``: each found something and was
    searched by several visitors, none holding words an editor hid), the most searched first, as typed; read again
    after ``POPULAR_REFRESH`` seconds, as a completion is asked for at every keystroke. Empty when the app records no
    searches."""
    log = search_log_of(app)
    if log is None:
        return []
    now = time.monotonic()
    kept = app.extensions.get(POPULAR_EXTENSION)
    if kept is None or now - kept[0] >= app.config.get("POPULAR_REFRESH", POPULAR_REFRESH):
        kept = (now, log.popular(limit=POPULAR_READ))
        app.extensions[POPULAR_EXTENSION] = kept
    return kept[1]


def record(app: Flask, search: SearchRequest, result: dict) -> None:
    """Record a search that was answered: what was typed, its filters, what it found, and the address it came from
    (the search log keeps only a hash of it under a key of the day: ``analytics``)."""
    log = search_log_of(app)
    if log is None:
        return
    typed = " ".join(part for part in (search.q, search.all, search.phrase, search.any) if part.strip())
    filters = {
        name: value
        for name, value in {
            "category": search.categories,
            "source": search.sources,
            "author": search.author,
            "from": search.date_from.isoformat() if search.date_from else None,
            "to": search.date_to.isoformat() if search.date_to else None,
            "in": search.scope if search.scope != "all" else None,
            "none": search.none,
            "sort": search.sort if search.sort != "relevance" else None,
        }.items()
        if value
    }
    log.record(typed, filters, result["total"], result["page"], result["took_ms"], request.remote_addr or "")
