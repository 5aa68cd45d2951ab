"""Short queries: do the articles holding them as typed, side by side, make the first page?

    python bench/phrase_holders.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--queries 600]
        [--baseline /tmp/before]

On an index of the first --docs VNTC articles (built if missing), --queries fragments of 2-4 whole words of seeded
titles (``restoration.fragments``, none with punctuation), searched as written in lower case and without diacritics,
each code in a process of its own. Printed for each code and form: the MRR@10 of the fragment's own title, and of
the first 10 results how many hold the fragment side by side (the articles its quoted phrase finds) against as many
as could (up to 10 a query), for how many queries fewer than could, and how many of those that hold it show it in
their snippet whole, in one mark.
"""

from __future__ import annotations

import statistics

from common import compared_codes, run_script
from restoration import by_title, fragments, vntc_index, vntc_parser
from speed import fold

SEARCH = """
import json, re, sys
from search_service.analysis import fold_diacritics, normalize_text
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
given = json.load(sys.stdin)
engine = SearchEngine(given["index"])
answers = []
for q in given["queries"]:
    hits = engine.search(SearchRequest(q=q))["hits"]
    first = [hit["id"] for hit in hits]
    holding = set(engine.ranked_ids(SearchRequest(q='"' + q + '"'), 100000))
    # The hits holding it whose snippet shows it whole, in one mark.
    whole = " ".join(re.findall(r"\\w+", fold_diacritics(normalize_text(q))))
    shown = sum(
        any(" ".join(re.findall(r"\\w+", fold_diacritics(normalize_text(m)))) == whole
            for m in re.findall(r"<mark>(.*?)</mark>", hit["snippet"]))
        for hit in hits if hit["id"] in holding
    )
    answers.append([first, len(holding), sum(key in holding for key in first), shown])
print(json.dumps(answers))
"""


def main() -> None:
    parser = vntc_parser(__doc__, 600, 7)
    args = parser.parse_args()
    records = vntc_index(args)
    owners = by_title(records)
    titles = list(owners)
    found: list[tuple[str, str]] = []
    for number, title in enumerate(titles[:: max(1, len(titles) // (2 * args.queries))]):
        cut = fragments([title], seed=args.seed + number)
        if cut and 2 <= len(cut[0].split()) <= 4 and not any(mark in cut[0] for mark in ',:;."'):
            found.append((cut[0].lower(), title))
    found = found[: args.queries]
    print(f"{len(found)} title fragments of 2-4 words, on {len(records):,} VNTC articles")
    forms = {"as written": [q for q, _ in found], "without diacritics": [fold(q) for q, _ in found]}
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for label, queries in forms.items():
            answers = run_script(SEARCH, checkout, {"index": str(args.index_dir), "queries": queries})
            ranks, shown, possible, short, whole = [], 0, 0, 0, 0
            for (_, title), (first, holding, held, marked) in zip(found, answers, strict=True):
                rank = next((at for at, key in enumerate(first, 1) if key in owners[title]), None)
                ranks.append(1 / rank if rank else 0.0)
                shown += held
                possible += min(10, holding)
                short += held < min(10, holding)
                whole += marked
            print(
                f"  {label:18} MRR@10 {statistics.mean(ranks):.4f}  first 10 holding it {shown:,} of {possible:,}"
                f" ({shown / max(possible, 1):.3f}), {short} queries short; their snippets showing it whole {whole:,}"
            )


if __name__ == "__main__":
    main()
