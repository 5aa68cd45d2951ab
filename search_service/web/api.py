"""The JSON API: search, completions, one article, health, and the OpenAPI document that describes them."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..errors import BadQuery, IndexNotFound, SearchServiceError
from ..results import with_popular
from .engine import engine_of, popular_queries, record
from .forms import check_parameters, check_raw_query_string, search_request
from .openapi import openapi_document

bp = Blueprint("api", __name__)

MAX_PREFIX = 100


class ArticleNotFound(SearchServiceError):
    status = 404
    code = "not_found"


@bp.before_request
def check_query_string():
    check_raw_query_string(request.query_string)


@bp.get("/api/search")
def search():
    """Basic and advanced search."""
    search = search_request(request.args)
    result = engine_of(current_app).search(search)
    record(current_app, search, result)
    return jsonify(result)


@bp.get("/api/suggest")
def suggest():
    """Completions for what is being typed."""
    check_parameters(request.args, ("q",))
    prefix = request.args.get("q", "")
    if len(prefix) > MAX_PREFIX:
        raise BadQuery(
            f"'q' is longer than {MAX_PREFIX} characters", f"'q' dài quá {MAX_PREFIX} ký tự", "query_too_long"
        )
    engine = engine_of(current_app)
    offered = engine.suggest(prefix)
    # A popular query offered as the home page shows it (only the few offered are read).
    spell = engine.popular_shown_one
    return jsonify({"suggestions": with_popular(prefix, offered, popular_queries(current_app), spell)})


@bp.get("/api/articles/<path:identifier>/related")
def related(identifier: str):
    """The articles most like one ("Tin liên quan")."""
    found = engine_of(current_app).related(identifier)
    if found is None:
        raise _not_found(identifier)
    return jsonify({"id": identifier, "related": found})


@bp.get("/api/articles/<path:identifier>")
def article(identifier: str):
    """One stored article."""
    found = engine_of(current_app).article(identifier)
    if found is None:
        raise _not_found(identifier)
    return jsonify(found)


def _not_found(identifier: str) -> ArticleNotFound:
    return ArticleNotFound(f"no article with id {identifier[:100]!r}", f"không có bài viết với mã {identifier[:100]!r}")


@bp.get("/healthz")
def healthz():
    """200 with the number of articles when the index is open; 503 with the reason when it is not."""
    engine = engine_of(current_app)
    try:
        articles = engine.count()
    except IndexNotFound as error:
        response = jsonify({"status": "unavailable", "reason": error.bilingual()})
        response.status_code = 503
        return response
    return jsonify({"status": "ok", "articles": articles})


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(openapi_document())
