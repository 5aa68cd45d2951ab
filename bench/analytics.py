"""What recording a search costs a request, in one run beside the same requests unrecorded.

    python bench/analytics.py [--searches 3000] [--writers 2]

1. `SearchLog.record` alone: the time of each call, in --writers processes writing to one file at once (as gunicorn
   workers do), median, p99 and slowest.
2. The same search through the real app (Flask's test client, bundled sample), analytics on and off, alternating
   request by request: median and p99 of each, and their difference.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

from common import percentile

from search_service import indexer
from search_service.analytics import ANALYTICS_FILE, SearchLog
from search_service.config import SAMPLE_DIR
from search_service.web import create_app

QUERIES = ["cải cách hành chính", "bóng đá", "giá xăng dầu", "ubnd quận", "tuyển sinh 2023", "khongcoketqua"]


def _writer(folder: str, searches: int, out: multiprocessing.Queue) -> None:
    log = SearchLog(folder)
    times = []
    for n in range(searches):
        started = time.perf_counter()
        log.record(QUERIES[n % len(QUERIES)], {"category": ["Thể thao"]}, n % 50, 1 + n % 3, 12.5)
        times.append((time.perf_counter() - started) * 1000)
    log.flush()  # a multiprocessing child ends without atexit handlers: write what is queued first
    out.put(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--searches", type=int, default=3000)
    parser.add_argument("--writers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        out: multiprocessing.Queue = multiprocessing.Queue()
        writers = [
            multiprocessing.Process(target=_writer, args=(folder, args.searches, out)) for _ in range(args.writers)
        ]
        for writer in writers:
            writer.start()
        times = [t for _ in writers for t in out.get()]
        for writer in writers:
            writer.join()
        rows = SearchLog(folder).stats(days=1)["searches"]
        print(f"record(), {args.writers} processes × {args.searches:,} into one file ({rows:,} rows kept):")
        print(
            f"  median {statistics.median(times):.3f} ms, p99 {percentile(times, 0.99):.3f} ms, "
            f"slowest {max(times):.1f} ms"
        )

    with tempfile.TemporaryDirectory() as folder:
        index = Path(folder) / "index"
        indexer.build(index, [SAMPLE_DIR], jobs=1)
        clients = {
            "on": create_app({"INDEX_DIR": str(index)}).test_client(),
            "off": create_app({"INDEX_DIR": str(index), "ANALYTICS": False}).test_client(),
        }
        timings: dict[str, list[float]] = {"on": [], "off": []}
        for client in clients.values():
            client.get("/api/search?q=warm")
        for n in range(args.searches // 3):
            for name in ("on", "off") if n % 2 else ("off", "on"):
                started = time.perf_counter()
                clients[name].get("/api/search", query_string={"q": QUERIES[n % len(QUERIES)]})
                timings[name].append((time.perf_counter() - started) * 1000)
        assert (index / ANALYTICS_FILE).exists()
        print(f"/api/search through the app, {len(timings['on']):,} requests each, alternating:")
        for name, values in timings.items():
            median, p99 = statistics.median(values), percentile(values, 0.99)
            print(f"  analytics {name:3}: median {median:.2f} ms, p99 {p99:.2f} ms")
        difference = statistics.median(timings["on"]) - statistics.median(timings["off"])
        print(f"  difference of the medians: {difference:+.3f} ms")


if __name__ == "__main__":
    main()
