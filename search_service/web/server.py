"""Serving the app with gunicorn, a production WSGI server, from the ``serve`` command."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import logging
import multiprocessing
import os
import selectors
import socket
import threading
import time
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker
from werkzeug.exceptions import RequestURITooLarge

log = logging.getLogger("search_service.web")
LIMIT_REQUEST_LINE = 8190  # gunicorn's largest; the app's own limit (MAX_URL_BYTES) is below it
ACCESS_LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
MALLOC_ARENAS = 2  # glibc malloc arenas a worker's threads share (glibc's default: up to 8 per core)
M_ARENA_MAX = -8  # mallopt's parameter for it (malloc.h)


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
        self.cfg.set("worker_exit", _flush_search_log)

    def load(self):
        from . import create_app

        return create_app({name.upper(): value for name, value in self.settings.items()})


# A connection that ends is closed as RFC 9112 (section 9.6) asks and gunicorn does (``util.close_graceful``): its
# side shut, then what the client still sends read and dropped until the client closes its own, LINGER_BYTES come
# or LINGER_SECONDS pass, so that a request it had already sent is not answered with a reset that loses the answer.
LINGER_SECONDS = 2.0
LINGER_BYTES = 65536
LINGER_MOST = 512  # connections a worker lets linger at once; one more is closed at once (file descriptors are few)


class Lingering:
    """Connections half-closed after their last answer, each closed once its client closes its side, sends
    ``LINGER_BYTES`` or ``LINGER_SECONDS`` pass: every one of a worker's at once, on one thread of their own
    (``Worker.handle``)."""

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._added: list[socket.socket] = []
        self._ends: dict[socket.socket, tuple[float, int]] = {}  # each socket's deadline and the bytes it sent
        self._wake, self._waker = socket.socketpair()
        for end in (self._wake, self._waker):
            end.setblocking(False)
        self._selector.register(self._wake, selectors.EVENT_READ)
        threading.Thread(target=self._run, name="lingering-close", daemon=True).start()

    def close(self, sock: socket.socket) -> None:
        """Shut a connection's side and hand it to the thread that closes it (or close it now, ``LINGER_MOST``)."""
        if len(self._ends) + len(self._added) >= LINGER_MOST:
            sock.close()
            return
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.setblocking(False)
        except OSError:
            sock.close()
            return
        with self._lock:
            self._added.append(sock)
        with contextlib.suppress(OSError):
            self._waker.send(b"\0")

    def _run(self) -> None:
        while True:
            try:
                self._turn()
            except Exception:  # never let one socket's surprise stop the closing of every other
                log.exception("closing a finished connection")

    def _turn(self) -> None:
        """Wait for what the sockets send, or the next deadline, and close what is done."""
        now = time.monotonic()
        soonest = min((deadline for deadline, _ in self._ends.values()), default=now + 1.0)
        for key, _ in self._selector.select(max(soonest - now, 0.0)):
            if key.fileobj is self._wake:
                with contextlib.suppress(OSError):
                    while self._wake.recv(4096):
                        pass
                continue
            self._read(key.fileobj)
        with self._lock:
            added, self._added = self._added, []
        for sock in added:
            try:
                self._selector.register(sock, selectors.EVENT_READ)
            except (OSError, ValueError, KeyError):
                sock.close()
                continue
            self._ends[sock] = (time.monotonic() + LINGER_SECONDS, 0)
        now = time.monotonic()
        for sock in [sock for sock, (deadline, _) in self._ends.items() if deadline <= now]:
            self._drop(sock)

    def _read(self, sock: Any) -> None:
        try:
            data = sock.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        deadline, sent = self._ends[sock]
        if not data or sent + len(data) >= LINGER_BYTES:
            self._drop(sock)
        else:
            self._ends[sock] = (deadline, sent + len(data))

    def _drop(self, sock: socket.socket) -> None:
        del self._ends[sock]
        with contextlib.suppress(OSError, KeyError, ValueError):
            self._selector.unregister(sock)
        sock.close()


class Worker(ThreadWorker):
    """gunicorn's threaded worker, whose refusal of a request line over ``LIMIT_REQUEST_LINE`` answers in the
    service's JSON error shape (gunicorn's own is an HTML page); every other error is gunicorn's. A connection that
    ends is closed by a thread of its own (``handle``), not on the worker's main thread."""

    def init_process(self) -> None:
        self.lingering = Lingering()  # in the worker's process: a thread does not survive the fork
        super().init_process()

    def handle(self, conn: Any) -> Any:
        """Answer a connection's request (gunicorn's ``handle``), and hand the connection to ``Lingering`` when it
        ends.

        gunicorn closes an ending connection gracefully on the worker's main thread, which accepts every new
        connection and dispatches the kept-alive ones, waiting up to 2 s for the client to close its side: a client
        that sent ``Connection: close`` and kept its socket open (a script that never closes, or one meaning harm)
        held the whole worker 2 s a request, every other visitor waiting. Closed in the thread that answered, each
        would hold that thread instead, and 8 of them within 2 s the worker. The main thread's own close then has
        nothing left to do."""
        keep = super().handle(conn)
        if keep is False:
            self.lingering.close(conn.sock)
            conn.close = _closed
        return keep

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        from . import HTTP_MESSAGES_VI

        self.log.warning("refused a request line longer than %d bytes", LIMIT_REQUEST_LINE)
        message = f"{HTTP_MESSAGES_VI[414]} / {RequestURITooLarge.description}"
        body = json.dumps({"error": {"code": "request_uri_too_long", "message": message}}, ensure_ascii=False)
        head = (
            "HTTP/1.1 414 URI Too Long\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body.encode())}\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            client.sendall(head.encode("ascii") + body.encode("utf-8"))


def _closed(graceful: bool = False) -> None:
    """A connection's close once ``Worker.handle`` has handed it to ``Lingering``."""


def _flush_search_log(server, worker) -> None:
    """A worker that stops (a restart, a deploy) first writes the searches it has queued."""
    log = getattr(worker, "wsgi", None) and worker.wsgi.extensions.get("search_log")
    if log is not None:
        log.flush(timeout=5.0)


def _warm_up(worker) -> None:
    """Load the segmentation model, open the index and learn the synonyms its vocabulary brings before the first
    visitor waits for them, then set what was loaded out of the cyclic garbage collector's reach (``gc.freeze``).

    What a worker holds by then (the modules, the segmenter's model, the index's vocabulary) lives as long as it
    does, yet each full collection walked it again: 25-55 ms, every thread of the worker waiting, a few times a
    minute under load. Frozen, a full collection walks only what requests made since (the kept answers among it): a
    few milliseconds (``bench/collector.py``). Reference counting still frees whatever of it is let go (a vocabulary
    replaced by an index switch: none of it is held in a reference cycle).
    """
    from ..analysis import analyze
    from ..errors import IndexNotFound
    from ..query import SearchRequest

    analyze("khởi động")
    engine = worker.wsgi.extensions["search_engine"]
    try:
        engine.plan(SearchRequest(q="khởi động"))  # the vocabulary, and the synonyms learnt from it
    except IndexNotFound:
        worker.log.warning("no index yet: /healthz answers 503 until one is built")
    gc.collect()
    gc.freeze()


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Let the threads of this process, and of the workers it forks, share at most ``arenas`` glibc malloc arenas;
    False where that is not set here: another C library, or an administrator's own ``MALLOC_ARENA_MAX`` (or
    ``glibc.malloc.arena_max`` in ``GLIBC_TUNABLES``), which glibc has applied already.

    glibc gives each thread that allocates an arena of its own, up to 8 per core, and an arena keeps what
    was freed in it. A worker's threads take turns on one engine (and on the GIL), so the extra arenas buy nothing,
    and each kept the peak of the searches it served: 485-574 MB a worker after 36 s of load on all of VNTC, against
    393-417 MB with two (docs/benchmarks.md).
    """
    if "MALLOC_ARENA_MAX" in os.environ or "glibc.malloc.arena_max" in os.environ.get("GLIBC_TUNABLES", ""):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process runs on
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))


def save_vocabulary_first(index_dir: str) -> None:
    """Save the index's vocabulary when the saved one is missing or of another version (``save_stale_vocabulary``),
    once, before gunicorn forks the workers that would each read it from the index. It runs in a process of its own:
    what reading it takes (1.3 GB at its peak on 82,000 VNTC articles) is given back to the system, not kept by the
    arbiter. The workers start after it whatever it did: they read the vocabulary themselves if it was not saved."""
    process = multiprocessing.get_context("fork").Process(target=_save_stale_vocabulary, args=(index_dir,))
    process.start()
    process.join()


def _save_stale_vocabulary(index_dir: str) -> None:
    """``save_vocabulary_first``'s process (the indexer's modules imported here, not in the arbiter). Without an
    index, the workers answer 503 until one is built (and its vocabulary saved with it)."""
    from ..errors import IndexBusy, IndexNotFound, IndexWriteError
    from ..indexer import save_stale_vocabulary

    try:
        save_stale_vocabulary(Path(index_dir))
    except IndexNotFound:
        pass
    except (IndexBusy, IndexWriteError) as error:
        log.warning(
            "the vocabulary was not saved (%s); each worker reads it from the index until it is (an indexer saves it"
            " after its commit, `search-service index vocabulary` where the index can be written)",
            error,
        )


def serve(settings: dict[str, Any], host: str, port: int, workers: int, threads: int = 8, timeout: int = 30) -> None:
    """Run gunicorn in the foreground until it is stopped.

    Threaded workers (``gthread``): a sync worker reads one request at a time, so a few clients sending their
    headers slowly (slowloris) held every worker and the other visitors waited. With threads, a slow client holds one
    thread while the worker's other threads answer; searches in one worker still take turns on its engine (one
    lock), which costs nothing, a search being CPU work. More slow clients than ``workers × threads`` need a
    buffering reverse proxy in front: ``deploy/nginx.conf``, the compose file's ``proxy``. The threads share two
    malloc arenas (``limit_malloc_arenas``), set before gunicorn forks the workers. A vocabulary missing beside the
    index, or of another version, is saved first (``save_vocabulary_first``).
    """
    if settings.get("index_dir"):
        save_vocabulary_first(settings["index_dir"])
    limit_malloc_arenas()
    GunicornServer(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "timeout": timeout,
            "limit_request_line": LIMIT_REQUEST_LINE,
            "accesslog": "-",
            # gunicorn's default line begins with the client's address and ends with its user agent and referrer:
            # the time, the request line, the status, the size and the time taken only.
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "worker_class": f"{__name__}.Worker",
        },
    ).run()
