"""Running a query against an open index: paging, sorting; returns plain data."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from whoosh import sorting
from whoosh.searching import Searcher

from .indexer import current_generation, open_index
from .query import SearchRequest, Synonyms, build_query, load_synonyms
from .sources import format_date

SORT_FIELDS = {"newest": ("published", True), "oldest": ("published", False), "views": ("views", True)}


def _hit(fields: dict[str, Any], score: float | None) -> dict[str, Any]:
    return {
        "id": fields.get("id"),
        "title": fields.get("title", ""),
        "url": fields.get("url") or None,
        "published": format_date(fields.get("published")),
        "category": list(fields.get("category") or []),
        "author": fields.get("author") or None,
        "views": fields.get("views"),
        "score": round(score, 4) if score is not None else None,
    }


def run_search(searcher: Searcher, request: SearchRequest, synonyms: Synonyms | None = None) -> dict[str, Any]:
    """One page of results for a request, as plain data."""
    started = time.perf_counter()
    built = build_query(request, synonyms)
    sort = request.sort if (built.has_text or request.sort != "relevance") else "newest"
    kwargs: dict[str, Any] = {}
    if sort in SORT_FIELDS:
        name, reverse = SORT_FIELDS[sort]
        # Articles without the sort value go last either way; ties keep the relevance order.
        kwargs["sortedby"] = [sorting.FieldFacet(name, reverse=reverse), sorting.ScoreFacet()]
    results = searcher.search_page(built.query, request.page, pagelen=request.per_page, **kwargs)
    total = results.total
    hits = [_hit(hit.fields(), hit.score if sort == "relevance" else None) for hit in results]
    return {
        "query": built.understood,
        "total": total,
        "page": request.page,
        "per_page": request.per_page,
        "pages": max(1, math.ceil(total / request.per_page)) if total else 0,
        "took_ms": round((time.perf_counter() - started) * 1000, 2),
        "hits": hits,
    }


class SearchEngine:
    """An index opened once and reused across searches; reopened when a new generation goes live."""

    def __init__(self, root: str | Path, synonym_files: tuple[str, ...] = ()):
        self.root = Path(root)
        self.synonyms = load_synonyms(synonym_files)
        self._index = None
        self._generation: Path | None = None
        self._searcher: Searcher | None = None

    def searcher(self) -> Searcher:
        """A current searcher: the same one while the index is unchanged."""
        generation = current_generation(self.root)
        if self._searcher is None or generation != self._generation:
            self.close()
            self._index = open_index(self.root)
            self._generation = generation
            self._searcher = self._index.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, request: SearchRequest) -> dict[str, Any]:
        return run_search(self.searcher(), request, self.synonyms)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
