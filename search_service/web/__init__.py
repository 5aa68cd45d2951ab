"""The Flask app: ``create_app()`` layers defaults, then the environment, then a test mapping."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from ..config import defaults, from_environment
from ..errors import SearchServiceError
from ..searcher import SearchEngine

log = logging.getLogger("search_service.web")

HTTP_MESSAGES_VI = {
    404: "không tìm thấy trang hoặc tài nguyên",
    405: "phương thức không được hỗ trợ",
    400: "yêu cầu không hợp lệ",
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Settings: ``INDEX_DIR``, ``SYNONYMS`` (from ``SEARCH_SERVICE_…`` or ``test_config``)."""
    app = Flask(__name__)
    settings = defaults()
    if test_config is None:
        settings.update(from_environment())
    app.config.from_mapping({name.upper(): value for name, value in settings.items()})
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if test_config is not None:
        app.config.from_mapping(test_config)

    synonyms = (app.config["SYNONYMS"],) if app.config.get("SYNONYMS") else ()
    # One engine per process: the index stays open across requests and is reopened when it changes.
    app.extensions["search_engine"] = SearchEngine(app.config["INDEX_DIR"], synonyms)

    from . import api

    app.register_blueprint(api.bp)
    app.register_error_handler(SearchServiceError, _service_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def engine_of(app: Flask) -> SearchEngine:
    return app.extensions["search_engine"]


def error_response(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def _service_error(error: SearchServiceError):
    return error_response(error.status, error.code, error.bilingual())


def _http_error(error: HTTPException):
    message_vi = HTTP_MESSAGES_VI.get(error.code or 500, "lỗi yêu cầu")
    return error_response(
        error.code or 500, (error.name or "error").lower().replace(" ", "_"), f"{message_vi} / {error.description}"
    )


def _unexpected_error(error: Exception):
    log.exception("unexpected error on %s", request.path)
    return error_response(
        500, "internal_error", "lỗi máy chủ, vui lòng thử lại sau / internal server error, please try again later"
    )
