"""Queries typed with their first words marked and the others without: how much of the accented ranking they keep.

    python bench/mixed_queries.py [--queries 2000] [--baseline /tmp/before] [--docs 21000]

A search box's query of 2-5 syllables (whole words, ``restoration.fragments``) is cut from the titles of --queries
seeded random articles of an index of the first --docs articles of VNTC, and of VietNews (the indexes
``bench/restoration.py`` builds, built here if missing). Those whose first half (the first word of two) has
diacritics, and whose other half has some too, are typed as a keyboard turned off part-way, or a visitor marking
only some words, leaves them: the first half as written, the rest without its marks (``mưa lớn mien bac``). Each is
searched as the page searches it (``SearchEngine.search``: decoded, read, retried), and as written; the article it
was cut from (or one with the same title) is the one to find. Printed: MRR@10 and hit@10 of each form, the median
count, and how many searches fell back to every word in any accenting (``other_diacritics``, under a notice). Of the
half-marked queries, also what the page says: how many have a notice of the words searched ("Đã hiển thị kết quả
cho …"), how many of those name the words as written, and how many of those are offered a spelling too ("Có phải bạn
muốn tìm").

With --baseline, another checkout's code (``git worktree add /tmp/before <commit>``) searches the same queries on
the same index in a process of its own, in the same run.
"""

from __future__ import annotations

import statistics

from common import compared_codes, page_answers
from short_queries import cut_queries, fragments_parser, indexed_corpora, measure

from search_service.analysis import fold_diacritics, has_diacritics


def named_words(understood: dict) -> str | None:
    """The words a page's notice names as searched (None: no notice of a reading)."""
    return understood.get("read", understood["q"]) if understood["corrected_from"] or understood["keyboard"] else None


def half_marked(query: str) -> str | None:
    """The query with its first half as written and the rest without marks; None when either half has none."""
    words = query.split()
    if len(words) < 2:
        return None
    cut = max(1, len(words) // 2)
    if not has_diacritics(" ".join(words[:cut])) or not has_diacritics(" ".join(words[cut:])):
        return None
    return " ".join(words[:cut] + [fold_diacritics(word) for word in words[cut:]])


def main() -> None:
    args = fragments_parser(__doc__, queries=2000, seed=11).parse_args()
    for name, index_dir, records, owners in indexed_corpora(args):
        queries = [
            (q, typed, title) for q, title in cut_queries(records, args.queries, args.seed) if (typed := half_marked(q))
        ]
        written = [q for q, _, _ in queries]
        typed = [t for _, t, _ in queries]
        print(f"\n# {name}: {len(queries)} queries of 2-5 syllables, half marked, from the titles of {len(records):,}")
        if not queries:
            continue
        for code, checkout in compared_codes(args.baseline):
            answers = page_answers(checkout, index_dir, written + typed)
            ranks = [
                next((place for place, found in enumerate(answer["ids"], 1) if found in owners[title]), 0)
                for answer, (_, _, title) in zip(answers, queries + queries, strict=True)
            ]
            print(f"{code}:")
            for label, part in (("as written", slice(0, len(queries))), ("half marked", slice(len(queries), None))):
                counted = statistics.median(answer["total"] for answer in answers[part])
                fell_back = sum(answer["query"]["other_diacritics"] for answer in answers[part])
                print(
                    f"  {label:12s} {measure(ranks[part])}  counted (median) {counted:,.0f}, "
                    f"every word in any accenting {fell_back}"
                )
            named = [
                (named_words(answer["query"]), answer["suggestion"], q)
                for answer, q in zip(answers[len(queries) :], written, strict=True)
            ]
            noticed = [(notice, offered, q) for notice, offered, q in named if notice]
            right = sum(notice.lower() == q.lower() for notice, _, q in noticed)
            beside = sum(bool(offered) for _, offered, _ in noticed)
            print(
                f"  {'':12s} a notice of the words searched {len(noticed)}, naming them as written {right}; "
                f"a spelling offered beside it {beside}"
            )


if __name__ == "__main__":
    main()
