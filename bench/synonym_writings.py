"""A synonym group searched in each of its writings: what the first results mark, and the spelling the page offers.

    python bench/synonym_writings.py --index-dir /tmp/ix21 [--per-page 30] [--baseline /tmp/before]

A group of the synonym list (``search_service/data/synonyms.txt``) typed in one writing finds the articles writing
any other (`hành chánh` finds *hành chính*, `dak nong` *Đắc Nông*, `cán bộ công chức` *cán bộ, công chức*). Each
writing of each group is searched as listed and in lower case without diacritics, on the index at --index-dir (built
with ``search-service index build``). Counted, of the first --per-page hits of each search: those whose snippet and
title mark nothing (the page lists an article without showing why it was found), and the searches with one or more
such hits, the worst named. And of the writings typed without diacritics, the spelling "Có phải bạn muốn tìm"
offers: none, a writing of the group (its marks restored), or another spelling of the same letters (*bình viện* for
`binh vien`) or of other letters (*năm* for `ntm`, the list's *nông thôn mới*), the latter named. The writings
no article holds in any writing of their group that are answered by the articles holding some of their words
(``"relaxed"``; `an toàn giao thông` on a portal without an article on traffic safety), and those found nothing.
And the writings
of several syllables with diacritics whose letters typed without find more articles than they do (articles writing
those letters otherwise, *cố động viên* for `co dong vien`, where *cổ động viên* is the group's), and those whose
letters typed without diacritics the search reads otherwise than written (as it reads them surely, or
``SearchPlan.restored``; one it searches as typed, its group's form, is not read otherwise; another writing of
the group counted apart, *đăk lăk* for *Đắk Lắk*). And the writings of three syllables or more with diacritics,
typed without them up to the first letter of their last (`pho giao s`): how many are offered a writing of the
group first (``/api/suggest``). With --baseline,
another checkout's code searches the same index in a process of its own, in the same run.
"""

from __future__ import annotations

import argparse
import re
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
    answer = engine.search(SearchRequest(q=query, per_page=given["per_page"]))
    hits = answer["hits"]
    bare = [hit["id"] for hit in hits if "<mark>" not in hit["snippet"] and "<mark>" not in hit["title_html"]]
    relaxed = answer["query"]["relaxed"]
    # The spelling its words are searched as: read surely (searched so spelled), or restored run by run.
    read = answer["query"]["read"] if answer["query"]["diacritics"] else ""
    read = read or " ".join(engine.plan(SearchRequest(q=query)).restored)  # none: searched as typed, a group whole
    found.append([len(hits), bare, answer["suggestion"], answer["total"], relaxed, answer["complete"], read])
for prefix in given["prefixes"]:
    found.append(engine.suggest(prefix)[:1])
engine.close()
print(json.dumps(found))
"""


def writings() -> dict[str, list[str]]:
    """Each writing of each synonym group, as listed and without diacritics, once: the group's writings (in lower
    case) by each. A writing with a number's slot (``P.#``) is left out."""
    queries: dict[str, list[str]] = {}
    for group in load_synonyms().groups:
        forms = [" ".join(form).replace(" , ", ", ") for form in group]
        if any("#" in form for form in forms):
            continue
        for written in forms:
            for query in (written, fold_diacritics(written.lower())):
                queries.setdefault(query, []).extend(form.lower() for form in forms)
    return queries


def _syllables(text: str) -> list[str]:
    """A text's syllables in lower case, without its punctuation (a reading is written without the list's commas)."""
    return re.findall(r"[^\W_]+", text.lower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--per-page", type=int, default=30)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    args = parser.parse_args()
    forms = writings()
    queries = list(forms)
    # The writings of three syllables or more with diacritics, typed without up to the first letter of their last.
    longer = [q for q in queries if len(q.split()) > 2 and fold_diacritics(q.lower()) != q and "," not in q]
    prefixes = [fold_diacritics(q.lower())[: len(fold_diacritics(q.lower())) - len(q.split()[-1]) + 1] for q in longer]
    print(f"{len(queries)} writings of the synonym list's groups, first {args.per_page} hits each")
    for code, checkout in compared_codes(args.baseline):
        given = {"index": str(args.index_dir), "queries": queries, "per_page": args.per_page, "prefixes": prefixes}
        answers = run_script(SEARCH, checkout, given)
        answers, firsts = answers[: len(queries)], answers[len(queries) :]
        shown = sum(answer[0] for answer in answers)
        bare = sum(len(answer[1]) for answer in answers)
        searches = [
            (len(answer[1]), answer[0], query) for query, answer in zip(queries, answers, strict=True) if answer[1]
        ]
        print(
            f"{code}: hits shown {shown:,}, marking nothing {bare:,} ({bare / max(shown, 1):.1%}); "
            f"searches with such a hit {len(searches)} of {len(queries)}"
        )
        for count, of, query in sorted(searches, reverse=True)[:8]:
            print(f"    {query!r}: {count} of {of}")
        # Answered by the articles holding some of the words (none holding the writing), or by nothing at all.
        relaxed = [(query, answer) for query, answer in zip(queries, answers, strict=True) if answer[4]]
        print(
            f"  writings no article holds, answered by some of their words: {len(relaxed)} "
            f"({sum(answer[5] > 0 for _, answer in relaxed)} with articles holding every word apart); "
            f"found nothing: {sum(answer[3] == 0 for answer in answers)}"
            + "".join(f"; `{query}` {answer[3]}" for query, answer in relaxed[:6])
        )
        offered = {q: answer[2] for q, answer in zip(queries, answers, strict=True) if q == q.lower()}
        offered = {q: suggestion for q, suggestion in offered.items() if fold_diacritics(q) == q}
        kinds: dict[str, list[str]] = {"none": [], "a writing": [], "other marks": [], "other letters": []}
        for query, suggestion in offered.items():
            if suggestion is None:
                kind = "none"
            elif suggestion.lower() in forms[query]:
                kind = "a writing"
            else:
                same = fold_diacritics(suggestion.lower()) == query
                kind = "other marks" if same else "other letters"
            kinds[kind].append(f"{query} → {suggestion}")
        print(
            f"  offered for {len(offered)} writings typed without diacritics: "
            + ", ".join(f"{kind} {len(found)}" for kind, found in kinds.items())
        )
        for kind in ("other marks", "other letters"):
            if kinds[kind]:
                print(f"    {kind}: " + "; ".join(kinds[kind][:12]))
        # A writing of several syllables with diacritics, its letters typed without: the spelling they are read as.
        read = {query: answer[6] for query, answer in zip(queries, answers, strict=True)}
        marked = [q for q in queries if " " in q and fold_diacritics(q.lower()) != q]
        otherwise = [q for q in marked if read[fold_diacritics(q.lower())] not in ("", q.lower())]
        otherwise = [q for q in otherwise if _syllables(read[fold_diacritics(q.lower())]) != _syllables(q)]
        writing = [q for q in otherwise if _syllables(read[fold_diacritics(q.lower())]) in map(_syllables, forms[q])]
        print(
            f"  writings of several syllables with diacritics whose letters typed without are read otherwise:"
            f" {len(otherwise)} of {len(marked)}, {len(writing)} of them as another writing of the group; "
            + "; ".join(f"`{fold_diacritics(q.lower())}` {read[fold_diacritics(q.lower())]}" for q in otherwise[:10])
        )
        offered = [
            (prefix, first[0] if first else "")
            for prefix, first, q in zip(prefixes, firsts, longer, strict=True)
            if not (first and first[0].lower().startswith(tuple(forms[q])))
        ]
        print(
            f"  prefixes of the writings of three syllables or more typed without diacritics ({len(prefixes)}), first"
            f" offered a writing of its group: {len(prefixes) - len(offered)}; "
            + "; ".join(f"`{prefix}` {first or '(nothing)'}" for prefix, first in offered[:8])
        )
        # A writing with diacritics against the same letters typed without: the articles found besides the group's.
        totals = {query: answer[3] for query, answer in zip(queries, answers, strict=True)}
        more = [
            (totals[bare] - totals[query], query, bare)
            for query in queries
            if " " in query and (bare := fold_diacritics(query.lower())) != query and totals[bare] > totals[query]
        ]
        print(
            f"  writings of several syllables with diacritics whose letters typed without find more: {len(more)} of "
            f"{sum(' ' in q and fold_diacritics(q.lower()) != q for q in queries)}, "
            f"{sum(extra for extra, _, _ in more):,} articles "
            "more; "
            + "; ".join(f"`{bare}` +{extra} ({query})" for extra, query, bare in sorted(more, reverse=True)[:8])
        )


if __name__ == "__main__":
    main()
