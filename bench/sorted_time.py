"""Sorted searches, category listings, exclusions and date filters: their time and their answers, this code against
another checkout.

    python bench/sorted_time.py --index-dir /tmp/scaling/ix84132 [--baseline CHECKOUT] [--queries 300] [--rounds 2]
    python bench/sorted_time.py --index-dir /tmp/dated --build 20000 --baseline CHECKOUT

The requests: `bench/speed.py`'s queries (2-5 title words, half without diacritics) by relevance (the reference),
newest first and most viewed first; each category of the index listed newest first (an empty box with a category,
what a portal's "Chuyên mục" link asks); the queries each within one of the index's categories in turn (a category
facet clicked, the advanced form's "Chuyên mục"); "none of these words" alone (the ten commonest words of the
queries, one at a time), and those words searched alone and each within a category; the queries each beside "none of
these words" (2-5 words of a title, a third of them pasted after an HTML entity, `&amp;`, a third ending in a stop
word, `và`); and date filters: articles since
2008, from 2006 to 2013, until 2006, and the first 20 queries since 2009, oldest first. VNTC's articles have no
date: with --build N, the folder (when it holds no index) gets one of the first N VNTC articles, each given a made-
up date (2005-01-01 plus a number of days from its place in the corpus, up to ten years) and view count, so that the
date filters and the date and views orders have values to read. Each code, in a process of its own (its package
first on PYTHONPATH), opens the index (built beforehand, e.g. by `bench/scaling.py --keep`) and runs every request
once a round with the result cache off, --rounds times, alternated: the median and p99 time of each kind; then, with
--baseline, how many answers differ in their total, their facet counts, or the articles of their first page.
"""

from __future__ import annotations

import collections
import datetime
import random
import statistics

from common import compared_codes, comparing, percentile, run_script
from scaling import build
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
# Words within a category first: a category listed on its own is kept (its matches) for the searches after it.
for alone, within in (("relevance", "category"), ("common", "common+category")):
    searched = [args["q"] for kind, args in requests if kind == alone]
    requests += [[within, {"q": q, "category": categories[n % len(categories)]}] for n, q in enumerate(searched)]
requests += [["listing", {"category": category}] for category in categories]
times, answers = [], []
for kind, args in requests:
    started = time.perf_counter()
    answer = engine.search(search_request(MultiDict(args)))
    times.append(time.perf_counter() - started)
    answers.append([answer["total"], answer["facets"], [hit["id"] for hit in answer["hits"]]])
print(json.dumps({"requests": requests, "times": times, "answers": answers}, ensure_ascii=False))
"""


def dated(number: int, record: dict) -> dict:
    """A VNTC article with a made-up date and view count (VNTC has neither)."""
    published = datetime.date(2005, 1, 1) + datetime.timedelta(days=number * 7919 % 3650)
    return {
        "id": record["id"],
        "title": record["title"],
        "body": record["text"],
        "category": record["category"],
        "published": published.isoformat(),
        "views": number * 31 % 5000,
    }


def main() -> None:
    parser = comparing(__doc__, rounds=2)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--build", type=int, help="build the index of this many VNTC articles, with made-up dates")
    args = parser.parse_args()
    records = load_vntc(None)
    if args.build:
        built = build(args.index_dir, [dated(number, record) for number, record in enumerate(records[: args.build])])
        if built is not None:
            print(f"built {args.index_dir} ({args.build} articles, made-up dates) in {built:.0f} s")
    queries = make_queries(records, args.queries)
    requests: list = []
    for sort in ("relevance", "newest", "views"):
        requests += [[sort, {"q": q, "sort": sort}] for q in queries]
    words = collections.Counter(word.lower() for q in queries for word in q.split())
    requests += [["none", {"none": word}] for word, _ in words.most_common(10)]
    requests += [["common", {"q": word}] for word, _ in words.most_common(10)]
    titles = [record["title"] for record in records if record["title"].strip()]
    rng = random.Random(5)
    for number, q in enumerate(queries):
        title = rng.choice(titles).split()
        length = rng.randint(2, 5)
        start = rng.randint(0, max(0, len(title) - length))
        excluded = " ".join(title[start : start + length])
        excluded = ("&amp; " + excluded, excluded + " và", excluded)[number % 3]
        requests.append(["words-none", {"q": q, "none": excluded}])
    requests += [["dates", {"from": "2008-01-01"}], ["dates", {"from": "2006-01-01", "to": "2013-12-31"}]]
    requests += [["dates", {"to": "2006-01-01"}]]
    requests += [["dates", {"q": q, "from": "2009-01-01", "sort": "oldest"}] for q in queries[:20]]
    codes = compared_codes(args.baseline)
    times: dict[str, dict[str, list[float]]] = {name: collections.defaultdict(list) for name, _ in codes}
    answers: dict[str, list] = {}
    kinds: list[str] = []
    for _ in range(args.rounds):
        for name, checkout in codes:
            result = run_script(MEASURE, checkout, requests, str(args.index_dir))
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
