"""Near copies on a first page: how often the first 10 results show one text twice, edited (a paper's report on
another's site, a title or a sentence changed), and what finding the copies costs.

    python bench/near_copies.py [--index-dir /tmp/near/vntc] [--docs 21000] [--queries 800] [--baseline /tmp/before]

The queries are `speed.make_queries`' (2 to 5 words of a seeded random title, every other one without diacritics)
on an index of the first --docs VNTC articles, built by this checkout's code if missing (an index built before the
``near`` column groups exact copies only). For each code, in a process of its own: the first 10 results of each
query, and the time a searcher takes to find the copies (``searcher.Copies``, median of five). Two results
of one page are the same text edited where they share at least the given share of their runs of five words (Jaccard
similarity, counted here exactly from the articles' text, whatever their numbers); printed, the queries whose first
page shows such a pair, at 0.7 and at 0.9, and the articles the pages show in all. For this code alone, the time
``schema.near`` takes per article, beside the build's.

With --baseline, another checkout's code (``git worktree add /tmp/before <commit>``) searches the same queries on the
same index in the same run.
"""

from __future__ import annotations

import itertools
import re
import statistics
import time

from common import compared_codes, run_script
from keyword_queries import SEARCH
from restoration import vntc_index, vntc_parser
from speed import make_queries

from search_service.schema import near
from search_service.sources import Article

COPIES = """
import json, statistics, sys, time
from search_service.searcher import Copies, SearchEngine
searcher = SearchEngine(json.load(sys.stdin)["index"]).searcher()
times = []
for _ in range(5):
    started = time.perf_counter()
    copies = Copies(searcher)
    times.append(time.perf_counter() - started)
print(json.dumps([statistics.median(times), sum(len(members) for members in copies.members)]))
"""

SHARES = (0.7, 0.9)


def runs(text: str) -> set[tuple[str, ...]]:
    """A text's runs of five words, lower case."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[at : at + 5]) for at in range(max(1, len(words) - 4))}


def main() -> None:
    parser = vntc_parser(__doc__, 800, 7)
    parser.set_defaults(index_dir=parser.get_default("index_dir").parent / "near")
    args = parser.parse_args()
    articles = vntc_index(args)
    started = time.perf_counter()
    for article in articles:
        near(Article(id=article["id"], title=article["title"], body=article["body"]))
    per_article = (time.perf_counter() - started) / len(articles)
    texts = {article["id"]: runs(article["title"] + "\n" + article["body"]) for article in articles}
    queries = make_queries(articles, args.queries, args.seed)
    cost = f"schema.near {per_article * 1000:.2f} ms an article"
    print(f"{len(queries)} queries on {len(articles):,} VNTC articles; {cost}")

    def similar(first: str, second: str) -> float:
        a, b = texts[first], texts[second]
        return len(a & b) / len(a | b)

    for code, checkout in compared_codes(args.baseline):
        answers = run_script(SEARCH, checkout, {"index": str(args.index_dir), "queries": queries})
        seconds, grouped = run_script(COPIES, checkout, {"index": str(args.index_dir)})
        pages = [[similar(a, b) for a, b in itertools.combinations(ids, 2)] for ids, _ in answers]
        twice = {share: sum(any(s >= share for s in page) for page in pages) for share in SHARES}
        shown = sum(len(ids) for ids, _ in answers)
        print(
            f"{code:8}  first pages showing a text twice: "
            + ", ".join(f"{twice[share]} at {share}" for share in SHARES)
            + f"  articles shown {shown:,}  copies found in {seconds * 1000:.0f} ms ({grouped:,} articles grouped)"
            + f"  totals, median {statistics.median(total for _, total in answers):,.0f}"
        )


if __name__ == "__main__":
    main()
