"""Completions while searches run: /api/suggest at a visitor's typing pace while other clients search, this code
against another checkout, alternated.

    python bench/completions.py --index-dir /tmp/scaling/ix84132 [--baseline CHECKOUT] [--rounds 3] [--seconds 20]
                                [--rate 50] [--searchers 6]

Starts `search-service serve` with 2 workers (the result cache off: every search computed) on the index (built
beforehand, e.g. by `bench/scaling.py --keep`), keeps the completions of `bench/speed.py`'s prefixes (the first four
letters of its portal-style queries) in both workers, then, while --searchers clients send its queries from another
process as fast as they are answered, sends the prefixes at --rate a second at fixed times (`common.paced`): the
completions' median and p99 latency, and the searches' requests/s beside them. With --baseline (a checkout: `git
worktree add /tmp/before <commit>`), that checkout's server (its package first on PYTHONPATH) runs in turn with this
one, --rounds times each; the machine's speed drifts, so compare the medians of the rounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import urllib.parse
from pathlib import Path

from common import ROOT, Server, compared_codes, comparing, drive, driven_elsewhere, first_on_path, paced
from speed import load_vntc, make_queries


def one_round(index_dir: Path, checkout: Path | None, args: argparse.Namespace, queries: list[str]) -> dict:
    env = {"SEARCH_SERVICE_RESULT_CACHE_MB": "0"}
    if checkout is not None:
        env.update(first_on_path(checkout))
    os.chdir(checkout or ROOT)  # gunicorn puts its working directory first on the worker's path
    searches = ["/api/search?" + urllib.parse.urlencode({"q": query}) for query in queries]
    prefixes = sorted({query.split()[0][:4] for query in queries})
    typed = ["/api/suggest?" + urllib.parse.urlencode({"q": prefix}) for prefix in prefixes]
    server = Server(index_dir, workers=2, env=env)
    try:
        drive(server.port, typed, 2, seconds=600, max_requests=len(typed) * 6)  # each worker keeps every prefix
        with driven_elsewhere(server.port, searches, args.searchers, args.seconds + 2) as searching:
            time.sleep(1)
            typing = paced(server.port, typed, args.rate, args.seconds).summary()
        return {"typing": typing, "searching": searching}
    finally:
        server.stop()


def main() -> None:
    parser = comparing(__doc__, rounds=3)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=50, help="completions asked a second")
    parser.add_argument("--searchers", type=int, default=6, help="clients searching meanwhile")
    args = parser.parse_args()
    queries = make_queries(load_vntc(None), 1000)
    codes = compared_codes(args.baseline)
    runs: dict[str, list[dict]] = {name: [] for name, _ in codes}
    for _ in range(args.rounds):
        for name, checkout in codes:
            result = one_round(args.index_dir, checkout, args, queries)
            runs[name].append(result)
            print(f"{name:9s} completions {result['typing']}; searches {result['searching']}", flush=True)
    for name, _ in codes:
        medians = {key: statistics.median(run["typing"][key] for run in runs[name]) for key in ("median_ms", "p99_ms")}
        rps = statistics.median(run["searching"]["rps"] for run in runs[name])
        print(
            f"median of the rounds, {name}: completions median {medians['median_ms']:.2f} ms, "
            f"p99 {medians['p99_ms']:.2f} ms; searches {rps:.1f} requests/s"
        )


if __name__ == "__main__":
    main()
