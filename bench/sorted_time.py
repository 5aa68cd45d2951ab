"""Sorted searches, category listings and exclusions: their time and their answers, this code against another
checkout.

    python bench/sorted_time.py --index-dir /tmp/scaling/ix84132 [--baseline CHECKOUT] [--queries 300] [--rounds 2]

The requests: `bench/speed.py`'s queries (2-5 title words, half without diacritics) by relevance (the reference),
newest first and most viewed first; each category of the index listed newest first (an empty box with a category,
what a portal's "Chuyên mục" link asks); and "none of these words" alone (the ten commonest words of the queries,
one at a time). Each code, in a process of its own (its package first on PYTHONPATH), opens the index (built
beforehand, e.g. by `bench/scaling.py --keep`) and runs every request once a round with the result cache off, --rounds
times, alternated: the median and p99 time of each kind; then, with --baseline, how many answers differ in their
total, their facet counts, or the articles of their first page.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from common import first_on_path, percentile
from speed import load_vntc, make_queries

MEASURE = """
import json, sys, time
from pathlib import Path
from werkzeug.datastructures import MultiDict
from search_service.searcher import SearchEngine
from search_service.web.forms import search_request
engine = SearchEngine(Path(sys.argv[1]), result_cache_bytes=0)
engine.search(search_request(MultiDict({"q": "hà nội"})))
categories = [row["value"] for row in engine.search(search_request(MultiDict({"q": "của"})))["facets"]["category"]]
requests = json.loads(sys.stdin.read())
requests += [["listing", {"category": category}] for category in categories]
times, answers = [], []
for kind, args in requests:
    started = time.perf_counter()
    answer = engine.search(search_request(MultiDict(args)))
    times.append(time.perf_counter() - started)
    answers.append([answer["total"], answer["facets"], [hit["id"] for hit in answer["hits"]]])
print(json.dumps({"requests": requests, "times": times, "answers": answers}, ensure_ascii=False))
"""


def measure(checkout: Path | None, index_dir: Path, requests: list) -> dict:
    env = dict(os.environ)
    if checkout is not None:
        env.update(first_on_path(checkout))
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(index_dir)],
        input=json.dumps(requests, ensure_ascii=False),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    queries = make_queries(load_vntc(None), args.queries)
    requests: list = []
    for sort in ("relevance", "newest", "views"):
        requests += [[sort, {"q": q, "sort": sort}] for q in queries]
    words = collections.Counter(word.lower() for q in queries for word in q.split())
    requests += [["none", {"none": word}] for word, _ in words.most_common(10)]
    codes = [("this", None)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    times: dict[str, dict[str, list[float]]] = {name: collections.defaultdict(list) for name, _ in codes}
    answers: dict[str, list] = {}
    kinds: list[str] = []
    for _ in range(args.rounds):
        for name, checkout in codes:
            result = measure(checkout, args.index_dir, requests)
            for (kind, _), taken in zip(result["requests"], result["times"], strict=True):
                times[name][kind].append(taken)
            answers[name] = result["answers"]
            kinds = [kind for kind, _ in result["requests"]]
    print(f"{len(queries)} queries, each request run once a round, {args.rounds} rounds, the result cache off")
    for kind in times["this"]:
        line = f"{kind:9s}"
        for name, _ in codes:
            taken = times[name][kind]
            line += (
                f"   {name}: median {statistics.median(taken) * 1000:7.2f} ms, "
                f"p99 {percentile(taken, 0.99) * 1000:7.2f} ms, max {max(taken) * 1000:7.1f} ms"
            )
        print(f"{line}   ({len(times['this'][kind]) // args.rounds} requests)")
    if args.baseline:
        mine, theirs = answers["this"], answers["baseline"]
        for number, what in enumerate(("totals", "facet counts", "first pages")):
            differing = collections.Counter(
                kind for kind, a, b in zip(kinds, mine, theirs, strict=True) if a[number] != b[number]
            )
            by_kind = ", ".join(f"{kind} {count}" for kind, count in differing.items())
            print(f"{what} differing: {sum(differing.values())} of {len(mine)}{f' ({by_kind})' if by_kind else ''}")


if __name__ == "__main__":
    main()
