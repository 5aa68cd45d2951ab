"""A serving worker's resident memory: started, then after each hundred searches, this code against another checkout.

    python bench/worker_memory.py --index-dir /tmp/scaling/ix84132 [--queries 600] [--rounds 3]
                                  [--concurrency 1] [--uncached] [--baseline CHECKOUT] [--baseline-env NAME=VALUE]

Starts `search-service serve` with one worker on the index (built beforehand, e.g. by `bench/scaling.py --keep`),
and sends it the portal-style queries of `bench/speed.py` (2-5 title words, half typed without diacritics) over
HTTP, one at a time or from --concurrency clients at once (the worker's threads then serve them), reading the
worker's resident memory (VmRSS) when it first answers and after every hundred queries. The result cache and the
kept posting lists are on, as in production: after a few hundred queries they are full. With --uncached the result
cache is off (``SEARCH_SERVICE_RESULT_CACHE_MB=0``, as `bench/speed.py`'s serving rows): every search is computed.
With --baseline (a checkout: `git worktree add /tmp/before <commit>`), the server of that checkout (its package
first on PYTHONPATH, started in its folder) runs in turn with this one, --rounds times each, alternated; the memory a
worker keeps after searches varies by tens of MB from one run to the next (what the allocator keeps), so compare the
medians. With --baseline-env (say ``MALLOC_ARENA_MAX=16``, glibc's own limit on 2 cores), the baseline is this
checkout's server started with that environment variable.
"""

from __future__ import annotations

import argparse
import os
import statistics
import urllib.parse
import urllib.request
from pathlib import Path

from common import ROOT, Server, drive, first_on_path
from speed import load_vntc, make_queries


def one_round(
    index_dir: Path,
    queries: list[str],
    checkout: Path | None = None,
    concurrency: int = 1,
    extra_env: dict[str, str] | None = None,
) -> list[float]:
    """The worker's resident MB when it first answers, then after each hundred queries and after the last."""
    env = dict(extra_env or {})
    if checkout is not None:
        env.update(first_on_path(checkout))
    # gunicorn puts its working directory first on the worker's path: the checkout's, or this one's.
    os.chdir(checkout or ROOT)
    server = Server(index_dir, workers=1, env=env)
    try:
        sizes = [max(server.worker_rss_mb())]
        for first in range(0, len(queries), 100):
            paths = [f"/api/search?q={urllib.parse.quote(query)}" for query in queries[first : first + 100]]
            if concurrency == 1:
                for path in paths:
                    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}") as response:
                        response.read()
            else:
                drive(server.port, paths, concurrency, seconds=600, max_requests=len(paths))
            sizes.append(max(server.worker_rss_mb()))
        return sizes
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=1, help="clients sending the queries at once")
    parser.add_argument("--uncached", action="store_true", help="the result cache off: every search computed")
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    parser.add_argument("--baseline-env", help="NAME=VALUE: the baseline is this checkout with that variable set")
    args = parser.parse_args()
    queries = make_queries(load_vntc(None), args.queries)
    common = {"SEARCH_SERVICE_RESULT_CACHE_MB": "0"} if args.uncached else {}
    codes: list[tuple[str, Path | None, dict[str, str]]] = [("this", None, common)]
    if args.baseline:
        codes.append(("baseline", args.baseline.resolve(), common))
    if args.baseline_env:
        name, _, value = args.baseline_env.partition("=")
        codes.append((args.baseline_env, None, {**common, name: value}))
    runs: dict[str, list[list[float]]] = {name: [] for name, _, _ in codes}
    print("code      worker MB: started, then after each 100 queries (and the last)")
    for _ in range(args.rounds):
        for name, checkout, env in codes:
            sizes = one_round(args.index_dir, queries, checkout, args.concurrency, env)
            runs[name].append(sizes)
            print(f"{name:9s} " + " ".join(f"{size:5.0f}" for size in sizes), flush=True)
    for name, _, _ in codes:
        columns = list(zip(*runs[name], strict=True))
        medians = " ".join(f"{statistics.median(column):5.0f}" for column in columns)
        print(f"median {name:9s} {medians}")


if __name__ == "__main__":
    main()
