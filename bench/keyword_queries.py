"""Keyword queries: words of a title that do not stand side by side there, as a visitor picks the words of what
they look for ("tuyển dụng giáo viên", "đồng tình điều khoản"; with --words 3, "kết quả thi tuyển công chức").

    python bench/keyword_queries.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--queries 400] [--words 2]
                                    [--baseline /tmp/before]

Each query is --words words of two or more syllables (as underthesea segments the title, letters only), no two side
by side, of a seeded random title of an index of the first --docs articles of VNTC (built if missing), lower case,
searched as written and without diacritics (đ → d). Two words are a short run, every word required; three are six
syllables or more, a run any of whose words may match, the most words first. Printed for each form: the share of
the first 10 results that hold every one of the query's words whole, their syllables side by side in the title or the
body (what a visitor means by the word: *giáo viên*, not a *giáo* of *Hồi giáo* and a *viên* of *sinh viên*), over
the queries that find anything; the same share where it can be had, every result holding every word when at least
10 articles do (``ideal``, counted by the words as quoted phrases, with this checkout); MRR@10 of the title's article
(or one with the same title); how many articles a search counts (its ``total``, median); and how many queries find
nothing. The queries are cut from the index's own titles, so each has at least one article holding every word whole.

With --baseline, another checkout's code (``git worktree add /tmp/before <commit>``) searches the same queries on the
same index in a process of its own, in the same run.
"""

from __future__ import annotations

import itertools
import random
import statistics

from common import compared_codes, run_script
from restoration import by_title, vntc_index, vntc_parser
from speed import fold

from search_service.analysis import normalize_text, segment, split_syllables

# Run in a process of its own with a checkout's package first on its path: each query's first 10 ids and its total.
SEARCH = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
answers = []
for q in request["queries"]:
    found = engine.search(SearchRequest(q=q, per_page=request.get("per_page", 10)))
    answers.append([[hit["id"] for hit in found["hits"]], found["total"]])
print(json.dumps(answers))
"""


def keyword_queries(records: list[dict], count: int, seed: int, words: int = 2) -> list[tuple[str, list[str], str]]:
    """(query, its words, the title) for ``count`` seeded random titles holding ``words`` words of two or more
    syllables, no two side by side."""
    rng = random.Random(seed)
    found: list[tuple[str, list[str], str]] = []
    titles = [record["title"] for record in records]
    for _ in range(1000 * count):  # bounded: a small index may hold few such titles
        if len(found) == count:
            break
        title = rng.choice(titles)
        syllables = split_syllables(title)
        spans = [
            (first, last)
            for first, last in segment(syllables, title)
            if all(syllable.text.isalpha() for syllable in syllables[first : last + 1])
        ]
        if len(spans) < words:
            continue
        chosen = sorted(rng.sample(spans, words))
        if any(after[0] == before[1] + 1 for before, after in itertools.pairwise(chosen)):
            continue  # side by side: a phrase, which bench/short_queries.py measures
        picked = [" ".join(s.text for s in syllables[a : b + 1]).lower() for a, b in chosen]
        found.append((" ".join(picked), picked, title))
    return found


def spaced(text: str) -> str:
    """A text's syllables, lower case, each between spaces: a word is held whole where `` its syllables `` is in it."""
    return " " + " ".join(s.text for s in split_syllables(normalize_text(text).lower())) + " "


def main() -> None:
    parser = vntc_parser(__doc__, 400, 5)
    parser.add_argument("--words", type=int, default=2, help="words of two or more syllables a query has")
    args = parser.parse_args()
    records = vntc_index(args)
    texts = {record["id"]: spaced(record["title"] + "\n" + record["body"]) for record in records}
    owners = by_title(records)
    queries = keyword_queries(records, args.queries, args.seed, args.words)
    written = [q for q, _, _ in queries]
    typed = [fold(q) for q in written]
    quoted = [" ".join(f'"{word}"' for word in words) for _, words, _ in queries]
    print(f"{len(queries)} queries of {args.words} words of a title apart, on {len(records):,} VNTC articles")
    whole_counts = [total for _, total in run_script(SEARCH, None, {"index": str(args.index_dir), "queries": quoted})]
    for code, checkout in compared_codes(args.baseline):
        answers = run_script(SEARCH, checkout, {"index": str(args.index_dir), "queries": written + typed})
        print(f"{code}:")
        for label, part in (("as written", answers[: len(queries)]), ("without diacritics", answers[len(queries) :])):
            shares, ideal, ranks = [], [], []
            for (ids, _), (_, words, title), whole in zip(part, queries, whole_counts, strict=True):
                rank = next((place for place, found in enumerate(ids, 1) if found in owners[title]), 0)
                ranks.append(1 / rank if rank else 0.0)
                if ids:
                    held = sum(all(f" {word} " in texts[found] for word in words) for found in ids)
                    shares.append(held / len(ids))
                    ideal.append(min(whole, len(ids)) / len(ids))
            totals = [total for _, total in part]
            print(
                f"  {label:18}  first 10 holding every word whole {statistics.mean(shares):.3f} "
                f"(ideal {statistics.mean(ideal):.3f})  MRR@10 {statistics.mean(ranks):.4f}  "
                f"counted, median {statistics.median(totals):,.0f}  found nothing {sum(not t for t in totals)}"
            )


if __name__ == "__main__":
    main()
