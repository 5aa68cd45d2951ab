"""How the cost grows with the number of articles: build time, index size, query time and a worker's memory at
several corpus sizes, for docs/scaling.md.

    python bench/scaling.py [--sizes 21000,42000,84132,170000] [--queries 500] [--keep /tmp/scaling] [--seconds 20]

The corpus is VNTC (84,132 articles) then VietNews (22,644: title, sapo, body), then, past both, VNTC again with new
ids (``copy-N/…``) and the same text: a size beyond 106,776 articles holds duplicates. Each size is built with
`index build` from its first N articles (kept under --keep to be measured again; delete the folder to rebuild) and
searched with the same portal-style queries as `bench/speed.py` (2-5 title words, half without diacritics), every
search computed (no result cache): median and p99. A gunicorn worker's resident memory is read after it answered
every query once; then two workers (the result cache off) serve the queries to 8 clients for --seconds: requests/s;
then /api/suggest for the queries' first four letters, the same way: median and p99 latency.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import DATA, Server, drive, percentile, uncached_engine
from speed import load_vntc, make_queries
from worker_memory import one_round

from search_service import indexer
from search_service.query import SearchRequest


def corpus(size: int) -> list[dict]:
    """The first ``size`` articles of VNTC, then VietNews, then VNTC again under new ids."""
    records = [
        {"id": r["id"], "title": r["title"], "body": r["text"], "category": r["category"]} for r in load_vntc(None)
    ]
    with gzip.open(DATA / "vietnews" / "vietnews_test.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            records.append({"id": r["id"], "title": r["title"], "summary": r["summary"], "body": r["body"]})
    base = list(records)
    copy = 1
    while len(records) < size:
        records.extend(dict(r, id=f"copy-{copy}/{r['id']}") for r in base[: size - len(records)])
        copy += 1
    return records[:size]


def build(index_dir: Path, records: list[dict]) -> float | None:
    """Build the index unless the folder holds one; the seconds it took (None when it was there)."""
    if (index_dir / "CURRENT").exists():
        return None
    index_dir.mkdir(parents=True, exist_ok=True)
    source = index_dir.parent / f"{index_dir.name}.jsonl"
    with open(source, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    indexer.build(index_dir, [source])
    source.unlink()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="21000,42000,84132,170000")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--keep", type=Path, default=Path("/tmp/scaling"))
    parser.add_argument("--seconds", type=float, default=20, help="of load on two workers, at each size")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    queries = make_queries(load_vntc(None), args.queries)
    print(
        "articles   build s  articles/s  index MB  query median ms  p99 ms  worker MB  req/s  errors"
        "  suggest median / p99 ms"
    )
    rows = []
    for size in sizes:
        index_dir = args.keep / f"ix{size}"
        seconds = build(index_dir, corpus(size))
        engine = uncached_engine(index_dir)
        engine.search(SearchRequest(q="khởi động"))
        timings = []
        for query in queries:
            started = time.perf_counter()
            engine.search(SearchRequest(q=query))
            timings.append(time.perf_counter() - started)
        engine.close()
        size_mb = indexer.info(index_dir)["size_bytes"] / 1e6
        worker_mb = one_round(index_dir, queries)[-1]
        # Two workers, every search computed (the result cache off), 8 clients for --seconds.
        server = Server(index_dir, workers=2, env={"SEARCH_SERVICE_RESULT_CACHE_MB": "0"})
        paths = ["/api/search?" + urllib.parse.urlencode({"q": query}) for query in queries]
        load = drive(server.port, paths, 8, args.seconds).summary()
        prefixes = sorted({query.split()[0][:4] for query in queries})
        suggest_paths = ["/api/suggest?" + urllib.parse.urlencode({"q": prefix}) for prefix in prefixes]
        suggest = drive(server.port, suggest_paths, 8, args.seconds).summary()
        server.stop()
        median, p99 = statistics.median(timings) * 1000, percentile(timings, 0.99) * 1000
        rows.append((size, median))
        built = f"{seconds:8.0f}  {size / seconds:10.0f}" if seconds else f"{'(kept)':>8}  {'':>10}"
        print(
            f"{size:8d}  {built}  {size_mb:8.0f}  {median:15.1f}  {p99:6.1f}  {worker_mb:9.0f}  "
            f"{load['rps']:5.1f}  {load['errors']:6d}  {suggest['median_ms']:6.1f} / {suggest['p99_ms']:6.1f}",
            flush=True,
        )
    for (small, small_median), (large, large_median) in zip(rows, rows[1:], strict=False):
        print(f"median at {large:,} / at {small:,}: {large_median / small_median:.2f}x")


if __name__ == "__main__":
    main()
