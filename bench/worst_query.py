"""The costliest requests one visitor can send, timed in-process on a VNTC index of real articles.

    python bench/worst_query.py --index-dir /tmp/worst-index [--docs 12000] [--rounds 3]

Builds the index from the first --docs VNTC training articles when the folder holds none, then runs each request
below through `SearchEngine.search` (what the API runs: top hits, snippets, facets, the suggestion) --rounds times
on a warm engine, and prints each one's median and slowest time, the costliest first. The requests are what an
attacker or an unlucky visitor would try: the longest query the service takes, of unknown syllables, of the
commonest words, a pasted paragraph, a deep page, every filter at once, sorts over every article.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from query_time import build_once
from speed import load_vntc

from search_service.errors import BadQuery
from search_service.query import MAX_QUERY_CHARS, SearchRequest
from search_service.searcher import SearchEngine


def requests(records: list[dict]) -> dict[str, SearchRequest]:
    paragraph = " ".join(records[7]["text"].split())[:MAX_QUERY_CHARS]
    common = ("của và là các có được trong cho những với người đã một này không " * 40)[:MAX_QUERY_CHARS]
    unknown = ("ăq " * 200)[:MAX_QUERY_CHARS]
    folded = " ".join(records[11]["title"].split()).lower()
    return {
        f"{MAX_QUERY_CHARS} characters of unknown syllables (ăq ăq …)": SearchRequest(q=unknown),
        f"{MAX_QUERY_CHARS} characters of the commonest words": SearchRequest(q=common),
        f"a pasted paragraph ({MAX_QUERY_CHARS} characters)": SearchRequest(q=paragraph),
        "the same paragraph without diacritics": SearchRequest(q=_fold(paragraph)),
        "one very common word (của)": SearchRequest(q="của"),
        "one common word, most viewed first": SearchRequest(q="người", sort="views"),
        "the empty box, newest first": SearchRequest(q="", sort="newest"),
        "a headline, page 1000": SearchRequest(q=folded, page=1000),
        "a headline, 100 a page": SearchRequest(q=folded, per_page=100),
        "every advanced field at once": SearchRequest(
            q="bóng đá",
            all="đội tuyển",
            phrase="Việt Nam",
            any="thắng thua hòa",
            none="nữ",
            scope="all",
            sort="oldest",
        ),
        "a phrase of common words": SearchRequest(phrase="của các những người"),
        "any of 60 common words": SearchRequest(any=" ".join(common.split()[:60])),
        "wildcards and operators typed": SearchRequest(q='c* *nh ?? OR AND NOT "" ((( title:x'),
        "a headline typed in Telex": SearchRequest(q="cari cachs hanhf chinhs quaanj ngux hanhf sown"),
    }


def _fold(text: str) -> str:
    from search_service.analysis import fold_diacritics

    return fold_diacritics(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=12000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    records = load_vntc(args.docs)
    build_once(args.index_dir, records)
    engine = SearchEngine(args.index_dir)
    print(f"{engine.search(SearchRequest())['total']:,} articles")
    rows = []
    for name, request in requests(records).items():
        times, total = [], None
        for _ in range(args.rounds):
            started = time.perf_counter()
            try:
                total = engine.search(request)["total"]
            except BadQuery as error:
                total = f"400 {error.code}"
            times.append((time.perf_counter() - started) * 1000)
        rows.append((statistics.median(times), max(times), name, total))
    print("| request | found | median ms | slowest ms |\n|---|---|---|---|")
    for median, slowest, name, total in sorted(rows, reverse=True):
        print(f"| {name} | {total} | {median:.0f} | {slowest:.0f} |")


if __name__ == "__main__":
    main()
