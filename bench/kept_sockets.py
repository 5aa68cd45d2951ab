"""Clients that keep their socket after the answer: what the server's other visitors wait meanwhile.

    python bench/kept_sockets.py [--clients 20] [--baseline CHECKOUT]

Builds the bundled sample into a temporary index and starts `search-service serve --workers 1` on it. --clients
connections, one after another, each send `GET /healthz` asking the server to close the connection after the answer
(`Connection: close`, as `urllib` and many scripts send it), read the answer and keep the socket open until the run
ends (a script that never closes, or one meaning harm); after each, a visitor's `GET /healthz` on a connection of its
own is timed. Printed: the median and the slowest of the kept clients' answers and of the visitors'. With --baseline
(`git worktree add /tmp/before <commit>`), the server of that checkout (its package first on PYTHONPATH) runs in turn
with this one. Bounded: each request waits 10 s at most.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, Server, compared_codes, first_on_path

from search_service import indexer
from search_service.config import SAMPLE_DIR

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def kept_answer(port: int) -> tuple[socket.socket, float]:
    """A connection that asked to be closed, its answer read, left open; and the seconds the answer took."""
    started = time.perf_counter()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(REQUEST)
    answer = b""
    while b'"status"' not in answer:
        answer += sock.recv(65536)
    return sock, time.perf_counter() - started


def visitor(port: int) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        response.read()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        index_dir = Path(work) / "index"
        indexer.build(index_dir, [SAMPLE_DIR], jobs=1)
        for code, checkout in compared_codes(args.baseline):
            os.chdir(checkout or ROOT)  # gunicorn puts its working directory first on the worker's path
            server = Server(index_dir, workers=1, env=first_on_path(checkout) if checkout else None)
            kept: list[socket.socket] = []
            kept_times, visitor_times = [], []
            try:
                for _ in range(args.clients):
                    sock, seconds = kept_answer(server.port)
                    kept.append(sock)
                    kept_times.append(seconds)
                    visitor_times.append(visitor(server.port))
            finally:
                for sock in kept:
                    sock.close()
                server.stop()
            for name, times in (("kept clients", kept_times), ("visitors", visitor_times)):
                print(
                    f"{code:8} {name:12} {len(times):3} answers: median {statistics.median(times) * 1000:8.1f} ms,"
                    f" slowest {max(times) * 1000:8.1f} ms"
                )


if __name__ == "__main__":
    main()
