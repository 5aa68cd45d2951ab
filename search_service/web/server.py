"""Serving the app with gunicorn, a production WSGI server, from the ``serve`` command."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """gunicorn with the app built in each worker and the settings given here (no config file is read)."""

    def __init__(self, settings: dict[str, Any], options: dict[str, Any]):
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)
        self.cfg.set("post_worker_init", _warm_up)

    def load(self):
        from . import create_app

        return create_app({name.upper(): value for name, value in self.settings.items()})


def _warm_up(worker) -> None:
    """Load the segmentation model and open the index before the first visitor waits for it."""
    from ..analysis import analyze
    from ..errors import IndexNotFound

    analyze("khởi động")
    engine = worker.wsgi.extensions["search_engine"]
    try:
        engine.vocabulary()
    except IndexNotFound:
        worker.log.warning("no index yet: /healthz answers 503 until one is built")


def serve(settings: dict[str, Any], host: str, port: int, workers: int, threads: int = 8, timeout: int = 30) -> None:
    """Run gunicorn in the foreground until it is stopped.

    Threaded workers (``gthread``): a sync worker reads one request at a time, so a few clients sending their
    headers slowly (slowloris) held every worker and the other visitors waited. With threads, a slow client holds one
    thread while the worker's other threads answer; searches in one worker still take turns on its engine (one
    lock), which costs nothing, a search being CPU work. More slow clients than ``workers × threads`` need a
    buffering reverse proxy in front (``docs/architecture.md``).
    """
    GunicornServer(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "timeout": timeout,
            "limit_request_line": 8190,  # longer than the app's own limit, which answers in the service's shape
            "accesslog": "-",
            "errorlog": "-",
            "worker_class": "gthread",
        },
    ).run()
