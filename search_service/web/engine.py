"""The one ``SearchEngine`` of a serving process, kept in the app's extensions (see ``docs/architecture.md``)."""

from __future__ import annotations

from flask import Flask

from ..searcher import SearchEngine

EXTENSION = "search_engine"


def engine_of(app: Flask) -> SearchEngine:
    """The app's engine: the index stays open across requests and is reopened when a new generation goes live."""
    return app.extensions[EXTENSION]
