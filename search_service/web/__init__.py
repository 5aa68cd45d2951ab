"""The Flask app: ``create_app()`` layers defaults, then the environment, then a test mapping."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from ..analytics import SearchLog
from ..config import defaults, from_environment
from ..errors import IndexNotFound, SearchServiceError
from ..searcher import SearchEngine
from . import api, pages
from .engine import EXTENSION, LOG_EXTENSION

log = logging.getLogger("search_service.web")

HTTP_MESSAGES_VI = {
    404: "không tìm thấy trang hoặc tài nguyên",
    405: "phương thức không được hỗ trợ",
    400: "yêu cầu không hợp lệ",
    414: "địa chỉ (URL) quá dài",
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
    cache_mb = app.config.get("RESULT_CACHE_MB", 32)
    app.extensions[EXTENSION] = SearchEngine(app.config["INDEX_DIR"], synonyms, int(cache_mb) * 1024 * 1024)
    if app.config.get("ANALYTICS", True):
        folder = app.config.get("ANALYTICS_DIR") or app.config["INDEX_DIR"]
        app.extensions[LOG_EXTENSION] = SearchLog(folder, int(app.config.get("ANALYTICS_DAYS") or 90))
    proxies = int(app.config.get("PROXIES") or 0)
    if proxies > 0:  # the address a request came from is the one the last of the proxies names, not a proxy's
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
    base_path = "/" + str(app.config.get("BASE_PATH") or "").strip("/")
    if base_path != "/":
        app.wsgi_app = MountedAt(app.wsgi_app, base_path)  # type: ignore[method-assign]
    app.context_processor(_portal)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.before_request(_refuse_long_urls)
    app.after_request(_security_headers)
    app.after_request(_options_answer_no_content)
    app.register_error_handler(SearchServiceError, _service_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


class MountedAt:
    """The app mounted under a path behind a reverse proxy (``BASE_PATH``, e.g. ``/tim-kiem``): every URL it builds
    starts with that path (WSGI's ``SCRIPT_NAME``), whether the proxy passes the path on whole or without it."""

    def __init__(self, app: Any, base_path: str):
        self.app = app
        self.base_path = base_path

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path == self.base_path or path.startswith(self.base_path + "/"):
            environ["PATH_INFO"] = path[len(self.base_path) :] or "/"
        environ["SCRIPT_NAME"] = self.base_path
        return self.app(environ, start_response)


def _portal() -> dict[str, Any]:
    """The portal's own name, logo and home page, for every page's header (``SITE_NAME``, ``LOGO_URL``,
    ``PORTAL_URL``)."""
    config = current_app.config
    return {
        "site_name": config.get("SITE_NAME") or "Tìm kiếm tin bài",
        "logo_url": config.get("LOGO_URL") or "",
        "portal_url": config.get("PORTAL_URL") or "",
    }


MAX_URL_BYTES = 4094  # the request line gunicorn reads is larger (8190), so a longer URL gets this error shape


def _refuse_long_urls() -> None:
    """A URL longer than any form can make is a 414 in the service's own error shape (JSON under /api/)."""
    if len(request.full_path.encode("utf-8")) > MAX_URL_BYTES:
        abort(414)


def _options_answer_no_content(response: Response) -> Response:
    """``OPTIONS`` answers which methods a path takes (``Allow``) and no body, as 204 says."""
    if request.method == "OPTIONS" and response.status_code == 200:
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
    return response


def _security_headers(response: Response) -> Response:
    """Every answer: only the service's own scripts, styles and images (no inline script), no MIME sniffing, no
    full URL sent to other sites, and framing only by the sources the ``FRAME_ANCESTORS`` setting names."""
    ancestors = current_app.config.get("FRAME_ANCESTORS") or "'self'"
    images = "'self' data:"
    logo = urlsplit(str(current_app.config.get("LOGO_URL") or ""))
    if logo.scheme in ("http", "https") and logo.netloc:
        images += f" {logo.scheme}://{logo.netloc}"  # the portal's logo, where it lives
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {images}; object-src 'none'; "
        f"base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def wants_json() -> bool:
    """The API and the health check answer JSON; every other path is a page for a person."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def error_page(status: int, title: str, message: str):
    return render_template("error.html", status=status, title=title, message=message, values={}), status


def _service_error(error: SearchServiceError):
    if wants_json():
        return error_response(error.status, error.code, error.bilingual())
    if isinstance(error, IndexNotFound):
        return error_page(
            503,
            "Dịch vụ tìm kiếm tạm thời gián đoạn",
            "Hệ thống đang cập nhật dữ liệu tìm kiếm. Vui lòng thử lại sau ít phút.",
        )
    return error_page(error.status, "Yêu cầu không hợp lệ", error.message_vi)


def _http_error(error: HTTPException):
    status = error.code or 500
    if not wants_json():
        if status == 404:
            return error_page(404, "Không tìm thấy trang", "Trang bạn tìm không tồn tại hoặc đã được chuyển đi.")
        return error_page(status, "Yêu cầu không hợp lệ", HTTP_MESSAGES_VI.get(status, "Đã có lỗi xảy ra."))
    message_vi = HTTP_MESSAGES_VI.get(status, "lỗi yêu cầu")
    code = (error.name or "error").lower().replace(" ", "_")
    return error_response(status, code, f"{message_vi} / {error.description}")


def _unexpected_error(error: Exception):
    log.exception("unexpected error on %s", request.path)
    if not wants_json():
        return error_page(500, "Đã có lỗi xảy ra", "Hệ thống gặp sự cố. Vui lòng thử lại sau.")
    return error_response(
        500, "internal_error", "lỗi máy chủ, vui lòng thử lại sau / internal server error, please try again later"
    )
