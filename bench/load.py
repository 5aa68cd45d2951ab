"""Load while reindexing: searches at concurrency 32 for 60 s while `index build` replaces the index twice, then
`index add` and `index delete` commit to the live index.

    python bench/load.py [--seconds 60] [--concurrency 32] [--workers 2]

Builds the bundled sample into a temporary index, starts `search-service serve` (gunicorn) on a free local port,
and drives it from this process. During the run, `search-service index build` replaces the index twice, each time
with one marker article more; a watcher asks for the newest marker every 0.2 s and notes when the server first
answers with it. Then `index add` adds a third marker to the live index and `index delete` removes it again. Prints
requests, failed requests (must be 0), requests per second, median, p99 and the slowest latency, how long after each
build's switch the results changed, and the p99 and the slowest of the requests in flight while `add` or `delete`
committed. Bounded: the run stops after --seconds whatever happens.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import Server, drive, percentile

from search_service import indexer
from search_service.config import SAMPLE_DIR, resolve_jobs

QUERIES = ["cai cach hanh chinh", "bóng đá", "giá vàng", "ủy ban nhân dân", "thi tuyển lớp 10", "máy tính", "sức khỏe"]
MARKERS = ["Khánh thành cầu Rồng mới", "Khai trương bến xe Trung tâm mới"]
ADDED = "Thông xe hầm chui Điện Biên Phủ mới"  # added to the live index, then deleted from it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    command = shutil.which("search-service") or str(Path(sys.executable).with_name("search-service"))

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        index_dir = work / "index"
        indexer.build(index_dir, [SAMPLE_DIR], jobs=0)
        server = Server(index_dir, workers=args.workers)
        base = f"http://127.0.0.1:{server.port}"
        events: list[dict] = []

        def marker_found(marker: str) -> bool:
            # As typed: a quoted phrase no article holds would otherwise be searched as its words.
            url = base + "/api/search?" + urllib.parse.urlencode({"q": f'"{marker}"', "typed": 1})
            with urllib.request.urlopen(url, timeout=10) as response:
                return json.loads(response.read())["total"] > 0

        def reindex() -> None:
            sources = [str(SAMPLE_DIR)]
            for number, (start_at, marker) in enumerate(zip((0.2, 0.55), MARKERS, strict=True)):
                time.sleep(max(0.0, start_at * args.seconds - (time.perf_counter() - began)))
                extra = work / f"marker{number}.jsonl"
                extra.write_text(json.dumps({"id": f"marker-{number}", "title": marker}, ensure_ascii=False) + "\n")
                sources.append(str(extra))
                started = time.perf_counter()
                subprocess.run(
                    [command, "index", "build", *sources, "--index-dir", str(index_dir)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                switched = time.perf_counter()
                seen = None
                while time.perf_counter() - switched < 10:
                    if marker_found(marker):
                        seen = time.perf_counter() - switched
                        break
                    time.sleep(0.2)
                events.append(
                    {
                        "build_seconds": round(switched - started, 1),
                        "new_results_after_s": None if seen is None else round(seen, 2),
                    }
                )

        commits: list[tuple[float, float]] = []  # when each add or delete ran (time.perf_counter)

        def update() -> None:
            """`index add` a marker into the live index, then `index delete` it, while the load goes on."""
            for command_words, start_at, wanted in ((("add",), 0.75, True), (("delete", "marker-added"), 0.87, False)):
                time.sleep(max(0.0, start_at * args.seconds - (time.perf_counter() - began)))
                arguments = [*command_words]
                if command_words == ("add",):
                    added = work / "added.jsonl"
                    added.write_text(json.dumps({"id": "marker-added", "title": ADDED}, ensure_ascii=False) + "\n")
                    arguments.append(str(added))
                started = time.perf_counter()
                subprocess.run(
                    [command, "index", *arguments, "--index-dir", str(index_dir)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                done = time.perf_counter()
                commits.append((started, done))
                seen = None
                while time.perf_counter() - done < 10:
                    if marker_found(ADDED) == wanted:
                        seen = time.perf_counter() - done
                        break
                    time.sleep(0.2)
                after = None if seen is None else round(seen, 2)
                events.append({"command": command_words[0], "seconds": round(done - started, 1), "after_s": after})

        def reindex_then_update() -> None:
            reindex()
            update()

        paths = ["/api/search?" + urllib.parse.urlencode({"q": q}) for q in QUERIES]
        began = time.perf_counter()
        builder = threading.Thread(target=reindex_then_update)
        builder.start()
        result = drive(server.port, paths, args.concurrency, args.seconds)
        builder.join()
        server.stop()

    summary = result.summary()
    print(f"machine: {platform.machine()}, {resolve_jobs(0)} cores, Python {platform.python_version()}")
    print(f"load: {args.concurrency} concurrent clients for {args.seconds:.0f} s, {args.workers} gunicorn workers")
    print(
        f"requests {summary['requests']}, failed {summary['errors']}, {summary['rps']} req/s, "
        f"median {summary['median_ms']} ms, p99 {summary['p99_ms']} ms, slowest {summary['max_ms']} ms, "
        f"statuses {result.statuses}"
    )
    rebuilds = [event for event in events if "command" not in event]
    for number, event in enumerate(rebuilds, start=1):
        print(
            f"rebuild {number}: build {event['build_seconds']} s, "
            f"new results visible {event['new_results_after_s']} s after the switch"
        )
    for event in events:
        if "command" in event:
            print(f"index {event['command']}: {event['seconds']} s, seen by the next search {event['after_s']} s after")
    across = result.during(commits)
    if across:
        print(
            f"requests in flight while add or delete committed: {len(across)}, "
            f"p99 {percentile(across, 0.99) * 1000:.0f} ms, slowest {max(across) * 1000:.0f} ms"
        )
    missed = [e for e in events if e.get("new_results_after_s", 0) is None or e.get("after_s", 0) is None]
    if result.errors or missed:
        print(server.logged_errors() or "(the server logged no unexpected error)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
