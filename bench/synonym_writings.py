"""Hits shown with nothing marked: a synonym group searched in each of its writings, and what the first results mark.

    python bench/marked_hits.py --index-dir /tmp/ix21 [--per-page 30] [--baseline /tmp/before]

A group of the synonym list (``search_service/data/synonyms.txt``) typed in one writing finds the articles writing
any other (`hành chánh` finds *hành chính*, `dak nong` *Đắc Nông*, `cán bộ công chức` *cán bộ, công chức*). Each
writing of each group is searched as listed and in lower case without diacritics, on the index at --index-dir (built
with ``search-service index build``); of the first --per-page hits of each search, counted: those whose snippet and
title mark nothing (the page lists an article without showing why it was found), and the searches with one or more
such hits, the worst named. With --baseline, another checkout's code searches the same index in a process of its
own, in the same run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import compared_codes, run_script

from search_service.analysis import fold_diacritics
from search_service.query import load_synonyms

# Run in a process of its own with a checkout's package: for each query, the hits shown and those marking nothing.
SEARCH = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine

given = json.load(sys.stdin)
engine = SearchEngine(given["index"])
found = []
for query in given["queries"]:
    hits = engine.search(SearchRequest(q=query, per_page=given["per_page"]))["hits"]
    bare = [hit["id"] for hit in hits if "<mark>" not in hit["snippet"] and "<mark>" not in hit["title_html"]]
    found.append([len(hits), bare])
engine.close()
print(json.dumps(found))
"""


def writings() -> list[str]:
    """Each writing of each synonym group, as listed and without diacritics, once."""
    queries: list[str] = []
    for group in load_synonyms().groups:
        for form in group:
            written = " ".join(form).replace(" , ", ", ")
            queries.extend([written, fold_diacritics(written.lower())])
    return list(dict.fromkeys(queries))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--per-page", type=int, default=30)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    args = parser.parse_args()
    queries = writings()
    print(f"{len(queries)} writings of {len(load_synonyms().groups)} synonym groups, first {args.per_page} hits each")
    for code, checkout in compared_codes(args.baseline):
        given = {"index": str(args.index_dir), "queries": queries, "per_page": args.per_page}
        answers = run_script(SEARCH, checkout, given)
        shown = sum(count for count, _ in answers)
        bare = sum(len(ids) for _, ids in answers)
        searches = [(len(ids), count, query) for query, (count, ids) in zip(queries, answers, strict=True) if ids]
        print(
            f"{code}: hits shown {shown:,}, marking nothing {bare:,} ({bare / max(shown, 1):.1%}); "
            f"searches with such a hit {len(searches)} of {len(queries)}"
        )
        for count, of, query in sorted(searches, reverse=True)[:8]:
            print(f"    {query!r}: {count} of {of}")


if __name__ == "__main__":
    main()
