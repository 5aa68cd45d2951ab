"""How long a full collection of Python's cyclic garbage collector stops a warmed serving worker, with what the
worker's warm-up loaded set out of the collector's reach (``gc.freeze``, as `search-service serve` does) and without.

    python bench/collector.py --index-dir /tmp/scaling/ix84132 [--docs 84132] [--rounds 5]

Builds the index from the first --docs VNTC articles when the folder holds none (as `bench/query_time.py` does),
then does in this process what a worker does before its first request (the app built, the server's own warm-up:
the segmenter's model loaded, the index and its vocabulary opened, the freeze), answers a few searches, and times
--rounds full collections (``gc.collect()``) with the warm-up's objects frozen, then unfrozen. A full collection
runs whenever enough new objects outlived two younger collections: under load, several times a minute, every thread
of the worker waiting for it.
"""

from __future__ import annotations

import argparse
import gc
import logging
import statistics
import time
from pathlib import Path
from types import SimpleNamespace

from query_time import build_once
from speed import load_vntc, make_queries

from search_service.web import create_app
from search_service.web.server import _warm_up


def collections(rounds: int) -> list[float]:
    """Milliseconds of each of ``rounds`` full collections."""
    taken = []
    for _ in range(rounds):
        started = time.perf_counter()
        gc.collect()
        taken.append((time.perf_counter() - started) * 1000)
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    if not (args.index_dir / "CURRENT").exists():
        build_once(args.index_dir, load_vntc(args.docs))
    queries = make_queries(load_vntc(3000), 50)
    app = create_app({"INDEX_DIR": str(args.index_dir), "ANALYTICS": False})
    _warm_up(SimpleNamespace(wsgi=app, log=logging.getLogger("warm-up")))
    client = app.test_client()
    for query in queries:
        client.get("/api/search", query_string={"q": query})
    frozen = gc.get_freeze_count()
    with_freeze = collections(args.rounds)
    gc.unfreeze()
    tracked = len(gc.get_objects())
    without = collections(args.rounds)
    print(f"objects the warm-up froze: {frozen:,}; tracked by the collector unfrozen: {tracked:,}")
    for label, taken in (("warm-up frozen", with_freeze), ("nothing frozen", without)):
        print(f"a full collection, {label}: median {statistics.median(taken):7.2f} ms, max {max(taken):7.2f}")


if __name__ == "__main__":
    main()
