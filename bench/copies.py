"""Copies on a results page: how often the first page of a search shows one text twice.

    python bench/copies.py --index-dir /tmp/ix84 [--docs 84132] [--queries 1000]
    PYTHONPATH=/tmp/before python bench/copies.py --index-dir /tmp/ix84 …     (another checkout's search)

VNTC holds 3,422 copies of other articles (the same title and text under another id, `dup_of` in the data), as a
portal network holds a notice republished by several of its portals. This runs the portal-style queries of
`bench/speed.py` (2-5 title words of the first --docs articles, half typed without diacritics) through
`SearchEngine.search`, the search the API performs, and reads each first page's articles back from the index: a hit
whose title, sapo and body (runs of white space as one) are another hit's of the same page is a repeat. It asks only
what every version of the search answers (hit ids, `total`, the stored article), so that another checkout's search
can be measured by putting its package first on the path (with this checkout's, it also prints how long grouping the
copies takes, once for each state of the index). Built with this checkout when --index-dir holds none.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from query_time import build_once
from speed import load_vntc, make_queries

import search_service
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine


def text_of(article: dict) -> tuple[str, ...]:
    return tuple(" ".join((article.get(name) or "").split()) for name in ("title", "summary", "body"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=84132)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    records = load_vntc(args.docs)
    build_once(args.index_dir, records)
    queries = make_queries(records, args.queries)
    print(f"search_service from {Path(search_service.__file__).parent}")
    engine = SearchEngine(args.index_dir)
    try:
        from search_service.searcher import copies_of
    except ImportError:  # a checkout that shows every copy
        pass
    else:
        started = time.perf_counter()
        copies = copies_of(engine.searcher())
        print(
            f"copies grouped in {(time.perf_counter() - started) * 1000:.0f} ms (once a searcher): "
            f"{len(copies.members)} articles with {sum(len(group) - 1 for group in copies.members)} copies"
        )
    pages_with_repeats, repeats, shown, totals, timings = 0, 0, 0, [], []
    example = None
    for q in queries:
        started = time.perf_counter()
        answer = engine.search(SearchRequest(q=q))
        timings.append(time.perf_counter() - started)
        texts = [text_of(engine.article(hit["id"]) or {}) for hit in answer["hits"]]
        repeated = len(texts) - len(set(texts))
        shown += len(texts)
        repeats += repeated
        pages_with_repeats += bool(repeated)
        totals.append(answer["total"])
        if repeated and example is None:
            example = (q, [hit["id"] for hit in answer["hits"]])
    engine.close()
    print(f"{len(queries)} queries on {args.docs} VNTC articles; {shown} hits on their first pages")
    print(f"first pages showing a text twice or more: {pages_with_repeats} ({pages_with_repeats / len(queries):.1%})")
    print(f"hits that repeat a text shown above them: {repeats} ({repeats / shown:.2%} of the hits)")
    print(f"median total {statistics.median(totals)}; median search {statistics.median(timings) * 1000:.2f} ms")
    if example:
        print(f"first such page: {example[0]!r}: {example[1]}")


if __name__ == "__main__":
    main()
