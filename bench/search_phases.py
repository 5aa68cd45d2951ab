"""Where a search's time goes: the mean time per query of each step of `searcher.run_search`, on one index.

    python bench/search_phases.py --index-dir /tmp/scaling/ix84132 [--docs 90000] [--queries 300]

The queries are `bench/speed.py`'s (2-5 title words from the first --docs VNTC articles, half without diacritics),
each computed (no result cache) by one engine, after one search that opens the index. Each step is timed where
`run_search` calls it; steps called inside others (the matching of `_complete_matches`) count in both.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import time
from pathlib import Path

from speed import load_vntc, make_queries

from search_service import searcher
from search_service.query import SearchRequest

STEPS = {
    "match_scores": "matching every article (the required part)",
    "best_matches": "the best matches",
    "optional_scores": "the candidates' optional words",
    "proximity_scores": "the candidates' phrase boosts",
    "coverage": "the candidates' share of the words",
    "facet_values": "facet values (read once)",
    "suggest_query": "the suggestion",
    "_complete_matches": "how many hold every word",
    "_held_words": "which words each hit holds",
    "best_snippets": "snippets",
    "build_plan": "the plan",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=90000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    spent: collections.Counter[str] = collections.Counter()

    def timed(name: str):
        step = getattr(searcher, name)

        def wrapper(*positional, **named):
            started = time.perf_counter()
            try:
                return step(*positional, **named)
            finally:
                spent[name] += time.perf_counter() - started

        return wrapper

    for name in STEPS:
        setattr(searcher, name, timed(name))
    queries = make_queries(load_vntc(args.docs), args.queries)
    engine = searcher.SearchEngine(args.index_dir, result_cache_bytes=0)
    engine.search(SearchRequest(q=queries[0]))
    spent.clear()
    times = []
    for query in queries:
        started = time.perf_counter()
        engine.search(SearchRequest(q=query))
        times.append(time.perf_counter() - started)
    median, mean = statistics.median(times) * 1000, statistics.mean(times) * 1000
    print(f"{len(queries)} queries: median {median:.1f} ms, mean {mean:.1f} ms")
    for name, seconds in spent.most_common():
        print(f"{seconds / len(queries) * 1000:7.2f} ms a query  {STEPS[name]} ({name})")


if __name__ == "__main__":
    main()
