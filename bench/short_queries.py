"""Short queries typed without diacritics: how much of the accented ranking they keep, by known items.

    python bench/short_queries.py [--queries 1000] [--baseline /tmp/before] [--docs 21000]

A search box's query of 2-5 syllables (whole words, as underthesea segments a title: ``restoration.fragments``) is
cut from the title of each of --queries seeded random articles of an index of the first --docs articles of VNTC, and
of VietNews (the indexes ``bench/restoration.py`` builds, built here if missing). Each is searched as written (lower
case) and without diacritics (đ → d); the article it was cut from (or one with the same title) is the one to find.
Printed: MRR@10 and hit@10 of each form, and of the queries whose spelling the index's restorer gives back
(``SearchPlan.restored``) apart from the others; how many queries without diacritics are searched as a spelling read
from their letters (the response's ``corrected_from``: ``results.surely_restored``), how many of those spellings are
the title's, and how many articles a search counts (its ``total``; median). The relevance sets of
``bench/relevance.py`` have 9 queries of up to 4 words; these are what visitors type most.

With --baseline, another checkout's code (``git worktree add /tmp/before <commit>``) ranks the same queries on the
same index in a process of its own, in the same run.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections.abc import Iterator
from pathlib import Path

from common import compared_codes, run_script
from restoration import by_title, fragments, report_build, syllables, vietnews, vietnews_articles, vntc_articles
from speed import fold, load_vntc

# Run in a process of its own with a checkout's package first on its path: the first 10 ids of each query and the
# spelling restored for it.
RANK = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
answers = []
for q in request["queries"]:
    plan = engine.plan(SearchRequest(q=q, as_typed=True))
    found = engine.search(SearchRequest(q=q, per_page=1))
    searched = found["query"]["q"] if found["query"].get("corrected_from") else None
    spelled = bool(found["query"].get("spelled"))  # searched as typed, without marks: read surely so
    answers.append([engine.ranked_ids(SearchRequest(q=q), 10), list(plan.restored), found["total"], searched, spelled])
print(json.dumps(answers, ensure_ascii=False))
"""


def cut_queries(records: list[dict], count: int, seed: int) -> list[tuple[str, str]]:
    """(query as written, its title) for ``count`` seeded random articles whose title gives one."""
    rng = random.Random(seed)
    found = []
    for record in rng.sample(records, min(count, len(records))):
        cut = fragments([record["title"]], seed=rng.randrange(10**6))
        if cut:
            found.append((cut[0].lower(), record["title"]))
    return found


def mrr(ranks: list[int]) -> float:
    """MRR@10 of places in the first 10 (0: not there)."""
    return sum(1 / rank for rank in ranks if rank) / (len(ranks) or 1)


def measure(ranks: list[int]) -> str:
    return f"MRR@10 {mrr(ranks):.4f}  hit@10 {sum(1 for rank in ranks if rank) / (len(ranks) or 1):.3f}"


def fragments_parser(description: str, queries: int, seed: int) -> argparse.ArgumentParser:
    """The options of a benchmark of title fragments searched on the indexes ``bench/restoration.py`` builds."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vntc-index", type=Path, default=Path("/tmp/restore/vntc"))
    parser.add_argument("--vietnews-index", type=Path, default=Path("/tmp/restore/vietnews"))
    parser.add_argument("--docs", type=int, default=21000)
    parser.add_argument("--queries", type=int, default=queries)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    return parser


def indexed_corpora(args: argparse.Namespace) -> Iterator[tuple[str, Path, list[dict], dict[str, set[str]]]]:
    """Each corpus's name, its index of the first --docs articles (built when missing), those articles, and each
    title's articles."""
    for name, index_dir, records in (
        ("VNTC", args.vntc_index, vntc_articles(load_vntc(args.docs))),
        ("VietNews", args.vietnews_index, vietnews_articles(vietnews(args.docs))),
    ):
        report_build(index_dir, records)
        yield name, index_dir, records, by_title(records)


def main() -> None:
    args = fragments_parser(__doc__, queries=1000, seed=5).parse_args()
    for name, index_dir, records, owners in indexed_corpora(args):
        queries = cut_queries(records, args.queries, args.seed)
        written = [q for q, _ in queries]
        typed = [fold(q) for q in written]
        print(f"\n# {name}: {len(queries)} queries of 2-5 syllables cut from the titles of {len(records):,} articles")
        for code, checkout in compared_codes(args.baseline):
            answers = run_script(RANK, checkout, {"index": str(index_dir), "queries": written + typed})
            ranks = [
                next((place for place, found in enumerate(ids, 1) if found in owners[title]), 0)
                for (ids, *_), (_, title) in zip(answers, queries + queries, strict=True)
            ]
            as_written, without = ranks[: len(queries)], ranks[len(queries) :]
            right = [  # the spelling searched (read surely from the letters), else the one restored for the run
                syllables(searched or (restored[0] if restored else t)) == syllables(q)
                for (_, restored, _, searched, _), t, q in zip(answers[len(queries) :], typed, written, strict=True)
            ]
            print(f"{code}:")
            print(f"  as written              {measure(as_written)}")
            kept = mrr(without) / (mrr(as_written) or 1)
            print(f"  without diacritics      {measure(without)}  ({kept:.1%} of the MRR@10 as written)")
            for label, wanted in (("restored right", True), ("restored wrong", False)):
                kept = [rank for rank, good in zip(without, right, strict=True) if good == wanted]
                kept_written = [rank for rank, good in zip(as_written, right, strict=True) if good == wanted]
                print(f"    {label} ({len(kept)}): {measure(kept)}  (as written {measure(kept_written)})")
            # Searched as a spelling read from the letters (``corrected_from``): how often, how often that spelling
            # is the title's, and how many articles each search counts, against the same query as written.
            spelled = [(index, searched) for index, (*_, searched, _) in enumerate(answers[len(queries) :]) if searched]
            spelled_right = sum(syllables(searched) == syllables(written[index]) for index, searched in spelled)
            print(f"    searched as a spelling read from its letters: {len(spelled)}, the title's {spelled_right}")
            # Of those, the ones read as typed (``query.spelled``: no marks, matched as spelled).
            as_typed = [index for index, _ in spelled if answers[len(queries) + index][4]]
            as_typed_right = sum(syllables(typed[index]) == syllables(written[index]) for index in as_typed)
            print(f"      of them read as typed, without marks: {len(as_typed)}, the title's {as_typed_right}")
            totals = [answers[len(queries) + index][2] for index, _ in spelled]
            totals_written = [answers[index][2] for index, _ in spelled]
            if spelled:
                print(
                    f"      articles counted, median: {statistics.median(totals):,.0f} "
                    f"(as written {statistics.median(totals_written):,.0f})"
                )
            counted = statistics.median(answer[2] for answer in answers[len(queries) :])
            print(f"  articles counted without diacritics, median: {counted:,.0f}")


if __name__ == "__main__":
    main()
