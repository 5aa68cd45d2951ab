"""What the benchmarks share: starting a real server, driving it with HTTP load from this process, percentiles."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for the annotation only: ``uncached_engine`` imports whichever the path finds first
    from search_service.searcher import SearchEngine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def first_on_path(checkout: Path) -> dict[str, str]:
    """The environment variable that puts a checkout's package first on a child process's path, before whatever
    PYTHONPATH this process has."""
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(checkout), os.environ.get("PYTHONPATH")]))}


def comparing(description: str | None, rounds: int) -> argparse.ArgumentParser:
    """The arguments of a script that measures this code against another checkout's on one index: --index-dir,
    --baseline, --rounds; the script adds its own."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    parser.add_argument("--rounds", type=int, default=rounds)
    return parser


def compared_codes(baseline: Path | None) -> list[tuple[str, Path | None]]:
    """The codes a comparing script runs in turn: this checkout's (None), then the baseline's when one is given."""
    return [("this", None)] + ([("baseline", baseline.resolve())] if baseline else [])


def run_script(script: str, checkout: Path | None, given: object, *arguments: str) -> Any:
    """What a Python script prints as JSON, given ``given`` as JSON on its input, run in a process of its own with a
    checkout's package first on its path (None: this checkout's). ``-P``: ``python -c`` would otherwise put the
    working folder first, and run from a checkout's root it would import that checkout's package instead."""
    env = {**os.environ, **first_on_path(checkout or ROOT)}
    done = subprocess.run(
        [sys.executable, "-P", "-c", script, *arguments],
        input=json.dumps(given, ensure_ascii=False),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


# Run in a process of its own with a checkout's package first on its path: each query searched as the page searches
# it (``SearchEngine.search``), its first 10 ids, its count, what the search understood (the response's ``query``)
# and the spelling offered.
PAGE_SEARCH = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
answers = []
for q in request["queries"]:
    found = engine.search(SearchRequest(q=q, per_page=10))
    ids = [hit["id"] for hit in found["hits"]]
    answers.append({"ids": ids, "total": found["total"], "query": found["query"], "suggestion": found["suggestion"]})
print(json.dumps(answers, ensure_ascii=False))
"""


def page_answers(checkout: Path | None, index_dir: Path, queries: list[str]) -> list[dict[str, Any]]:
    """Each query as the page answers it with a checkout's code (``PAGE_SEARCH``): ``ids``, ``total``, ``query``,
    ``suggestion``."""
    return run_script(PAGE_SEARCH, checkout, {"index": str(index_dir), "queries": queries})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def uncached_engine(index_dir: Path) -> SearchEngine:
    """An engine that computes every search (no result cache), in this checkout or an older one: whichever
    ``search_service`` is first on the path (``bench/compare_queries.py`` runs one of another checkout)."""
    from search_service.searcher import SearchEngine

    try:
        return SearchEngine(index_dir, result_cache_bytes=0)
    except TypeError:  # a checkout without a result cache
        return SearchEngine(index_dir)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Server:
    """`search-service serve` in its own process group, on a free local port."""

    def __init__(self, index_dir: Path, workers: int = 2, env: dict[str, str] | None = None):
        self.port = free_port()
        command = shutil.which("search-service") or str(Path(sys.executable).with_name("search-service"))
        self.started = time.perf_counter()
        # What the server logs (an unexpected error's traceback among it) is kept, for a benchmark that saw a 500.
        self.log = tempfile.TemporaryFile(prefix="search-service-serve-")
        self.process = subprocess.Popen(
            [command, "serve", "--index-dir", str(index_dir), "--port", str(self.port), "--workers", str(workers)],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        self.first_answer_seconds = self._wait()

    def _wait(self) -> float:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/search?q=ha+noi", timeout=5) as response:
                    if response.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not answer")

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker (the children of the master)."""
        sizes = []
        for child in Path("/proc").iterdir():
            if not child.name.isdigit():
                continue
            try:
                status = (child / "status").read_text()
            except OSError:
                continue
            if f"PPid:\t{self.process.pid}\n" in status:
                kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
                sizes.append(kb / 1024)
        return sizes

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def logged_errors(self) -> str:
        """The server's log from its first unexpected error on (a traceback), or "" if it logged none."""
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        start = text.find("unexpected error")
        return text[text.rfind("\n", 0, start) + 1 :] if start >= 0 else ""


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)  # when each answered request was sent (time.perf_counter)
    errors: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, float]:
        return {
            "requests": len(self.latencies),
            "errors": self.errors,
            "rps": round(self.rps, 1),
            "median_ms": round(statistics.median(self.latencies) * 1000, 2) if self.latencies else float("nan"),
            "p99_ms": round(percentile(self.latencies, 0.99) * 1000, 2),
            "max_ms": round(max(self.latencies) * 1000, 2) if self.latencies else float("nan"),
        }

    def during(self, windows: list[tuple[float, float]]) -> list[float]:
        """The latencies of the requests in flight at any time within the given (start, end) windows."""
        return [
            latency
            for started, latency in zip(self.starts, self.latencies, strict=True)
            if any(started <= end and started + latency >= start for start, end in windows)
        ]


class _Client:
    """A client on one kept-alive connection, recording each GET request it sends (its latency, or an error) in a
    shared result."""

    def __init__(
        self, port: int, result: LoadResult, lock: threading.Lock, check: Callable[[bytes], bool] | None = None
    ) -> None:
        self.port, self.result, self.lock, self.check = port, result, lock, check
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str) -> None:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            body = response.read()
            ok = response.status == 200 and (self.check is None or self.check(body))
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                self._reconnect()
        except (OSError, http.client.HTTPException):
            ok, status = False, 0
            self._reconnect()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.result.statuses[status] = self.result.statuses.get(status, 0) + 1
            if ok:
                self.result.latencies.append(elapsed)
                self.result.starts.append(started)
            else:
                self.result.errors += 1

    def _reconnect(self) -> None:
        self.connection.close()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)


def _timed_run(threads: list[threading.Thread], result: LoadResult, began: float | None = None) -> LoadResult:
    """Run the client threads to their end; the result's seconds are from ``began`` (default: now) to then."""
    began = time.perf_counter() if began is None else began
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    return result


def drive(
    port: int,
    paths: list[str],
    concurrency: int,
    seconds: float,
    check: Callable[[bytes], bool] | None = None,
    max_requests: int = 1_000_000,
) -> LoadResult:
    """Send GET requests for ``paths`` (round robin) from ``concurrency`` threads for ``seconds``: bounded in both."""
    result = LoadResult()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    counter = iter(range(max_requests))

    def worker() -> None:
        client = _Client(port, result, lock, check)
        while time.perf_counter() < deadline:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            client.get(paths[number % len(paths)])

    return _timed_run([threading.Thread(target=worker) for _ in range(concurrency)], result)


def paced(port: int, paths: list[str], rate: float, seconds: float, clients: int = 2) -> LoadResult:
    """Send GET requests for ``paths`` (round robin) at ``rate`` a second for ``seconds``, from ``clients`` threads,
    each sending its share at fixed times: what visitors typing send, however fast the answers come (``drive`` sends
    the next request as soon as an answer comes). A client whose answer is late sends its next request late; each
    latency is from when its request was sent."""
    result = LoadResult()
    lock = threading.Lock()
    interval = clients / rate
    began = time.perf_counter()

    def client(number: int) -> None:
        visitor = _Client(port, result, lock)
        for sent in range(int(seconds / interval)):
            due = began + (number / clients + sent) * interval
            time.sleep(max(0.0, due - time.perf_counter()))
            visitor.get(paths[(sent * clients + number) % len(paths)])

    return _timed_run([threading.Thread(target=client, args=(number,)) for number in range(clients)], result, began)


@contextlib.contextmanager
def driven_elsewhere(port: int, paths: list[str], concurrency: int, seconds: float) -> Iterator[dict]:
    """``drive`` from a process of its own for ``seconds``, while the block runs; the dict yielded holds its summary
    once the block is done. Its client threads do not take turns with this process's on one interpreter lock, so
    what this process measures meanwhile is the server's delay, not theirs."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as listed:
        json.dump(paths, listed)
        listed.flush()
        script = (
            "import json, sys; sys.path.insert(0, sys.argv[1]); from common import drive; "
            "paths = json.load(open(sys.argv[3], encoding='utf-8')); "
            "print(json.dumps(drive(int(sys.argv[2]), paths, int(sys.argv[4]), float(sys.argv[5])).summary()))"
        )
        arguments = [str(Path(__file__).parent), str(port), listed.name, str(concurrency), str(seconds)]
        process = subprocess.Popen([sys.executable, "-c", script, *arguments], stdout=subprocess.PIPE, text=True)
        summary: dict = {}
        try:
            yield summary
        finally:
            output, _ = process.communicate(timeout=seconds + 120)
            summary.update(json.loads(output))
