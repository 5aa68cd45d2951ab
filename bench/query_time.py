"""In-process query time on one index, for comparing two versions of the code on the same articles and queries.

    python bench/query_time.py --index-dir /tmp/qt-index [--docs 20000] [--queries 500] [--rounds 3]

Builds the index from the first --docs VNTC articles when the folder holds none, then runs the portal-style queries
of `bench/speed.py` (2-5 title words, half typed without diacritics) through `SearchEngine.search` — the search the
API performs: top 10, snippets, facets, suggestion — in --rounds rounds, each with a fresh engine as
`bench/speed.py` measures, and prints the median, p95 and p99 over the queries of each query's median time. To
compare two checkouts, run this script from each in turn on the same index, alternating, with the other checkout's
package first on the path: `PYTHONPATH=../old python bench/query_time.py …`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from common import percentile, uncached_engine
from speed import load_vntc, make_queries

import search_service
from search_service import indexer
from search_service.query import SearchRequest


def build_once(index_dir: Path, records: list[dict]) -> None:
    """Index VNTC records (title, text as the body, category) into ``index_dir`` unless it holds an index already."""
    if (index_dir / "CURRENT").exists():
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "vntc.jsonl"
        with open(source, "w", encoding="utf-8") as handle:
            for record in records:
                article = {"id": record["id"], "title": record["title"], "body": record["text"]}
                article["category"] = record["category"]
                handle.write(json.dumps(article, ensure_ascii=False) + "\n")
        started = time.perf_counter()
        indexer.build(index_dir, [source])
        print(f"built {index_dir} in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    records = load_vntc(args.docs)
    build_once(args.index_dir, records)
    queries = make_queries(records, args.queries)
    timings: list[list[float]] = [[] for _ in queries]
    for _ in range(args.rounds):
        # A fresh engine each round, as bench/speed.py measures: its first search opens the index and reads the
        # vocabulary (left out here), and the score cache fills as the queries go.
        engine = uncached_engine(args.index_dir)
        engine.search(SearchRequest(q=queries[0]))
        for number, query in enumerate(queries):
            started = time.perf_counter()
            engine.search(SearchRequest(q=query))
            timings[number].append(time.perf_counter() - started)
        engine.close()
    each = [statistics.median(times) for times in timings]
    print(
        f"{Path(search_service.__file__).parent.parent}: {len(queries)} queries, each its median of {args.rounds} "
        f"rounds: median {statistics.median(each) * 1000:.2f} ms   p95 {percentile(each, 0.95) * 1000:.2f} ms   "
        f"p99 {percentile(each, 0.99) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
