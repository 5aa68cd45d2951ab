"""A few small exception classes, each with the HTTP status it maps to and a message a person can act on."""

from __future__ import annotations


class SearchServiceError(Exception):
    """Base class: ``status`` is the HTTP status, ``code`` a stable machine-readable name."""

    status = 500
    code = "error"

    def __init__(self, message: str, message_vi: str | None = None, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_vi = message_vi or message
        self.field = field  # the request parameter at fault, so a form can show the message next to it
        if code:
            self.code = code

    def bilingual(self) -> str:
        """The message in Vietnamese, then in English."""
        if self.message_vi == self.message:
            return self.message
        return f"{self.message_vi} / {self.message}"


class SourceError(SearchServiceError):
    """A source of articles that cannot be read at all (missing, empty, unsupported)."""

    status = 400
    code = "bad_source"


class IndexNotFound(SearchServiceError):
    """There is no usable index where one was expected."""

    status = 503
    code = "index_unavailable"


class IndexBusy(SearchServiceError):
    """Another writer holds the index."""

    status = 409
    code = "index_busy"


class IndexWriteError(SearchServiceError):
    """The index could not be written (full disk, read-only folder); the old index is unchanged."""

    status = 500
    code = "index_write_failed"


class BadQuery(SearchServiceError):
    """A query or a search parameter that cannot be used as given."""

    status = 400
    code = "bad_query"


class PageOutOfRange(BadQuery):
    """A page past the last one; ``last_page`` is the last (0 when nothing matched)."""

    def __init__(self, page: int, last_page: int):
        super().__init__(
            f"page {page} is past the last page ({last_page})",
            f"trang {page} vượt quá trang cuối ({last_page})",
            "page_out_of_range",
            "page",
        )
        self.last_page = last_page
