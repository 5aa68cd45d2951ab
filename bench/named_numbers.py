"""Names of letters and a number (``U23``, ``A380``, ``MiG-21``): found however the article writes them.

    python bench/named_numbers.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--baseline /tmp/before]

On an index of the first --docs VNTC articles (built if missing), each code in a process of its own. The names are
those the articles write both joined (``U23``, ``SU30``) and with a hyphen or a dot (``U-23``, ``U.23``): a run of
Latin letters then digits, or letters, a hyphen or a dot, digits, in lower case, no part of a larger word or number.
Each name is typed joined and with a hyphen. Printed, for each writing typed: the articles found (the first 1,000)
that hold the name in any of those writings, against how many do; the articles found that hold none of them (an
article writing it apart, ``U 23``, is among those); and the queries that find nothing.
"""

from __future__ import annotations

import re
from collections import Counter

from common import compared_codes, run_script
from restoration import vntc_index, vntc_parser

from search_service.analysis import normalize_text

# A name: letters (ASCII, as such names are written), then a number, joined or by a hyphen or a dot; no part of a
# larger word, number or code.
NAME_RE = re.compile(r"(?<![\w./-])([a-z]{1,6})([-.]?)(\d{1,4})(?![\w/]|[-.,]\d)")
SEARCH = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
print(json.dumps([engine.ranked_ids(SearchRequest(q=q), 1000) for q in request["queries"]]))
"""


def names_written(texts: list[str]) -> dict[tuple[str, str], set[int]]:
    """Each name the texts write both joined and with a hyphen or a dot: (letters, number) → the texts holding it in
    any of those writings."""
    holding: dict[tuple[str, str], set[int]] = {}
    ways: dict[tuple[str, str], Counter[str]] = {}
    for at, text in enumerate(texts):
        for match in NAME_RE.finditer(text):
            name = (match.group(1), match.group(3))
            holding.setdefault(name, set()).add(at)
            ways.setdefault(name, Counter())[match.group(2) and "apart" or "joined"] += 1
    return {name: found for name, found in sorted(holding.items()) if len(ways[name]) == 2}


def main() -> None:
    parser = vntc_parser(__doc__)
    args = parser.parse_args()
    records = vntc_index(args)
    texts = [normalize_text(record["title"] + "\n" + record["body"]).lower() for record in records]
    keys = [record["id"] for record in records]
    names = names_written(texts)
    holding = {name: {keys[at] for at in found} for name, found in names.items()}
    print(f"{len(names)} names written both joined and with a hyphen or a dot, on {len(records):,} VNTC articles")
    print("  " + ", ".join(f"{a}{n} ({len(found)})" for (a, n), found in list(holding.items())[:30]))
    writings = {"joined": [a + n for a, n in names], "hyphen": [f"{a}-{n}" for a, n in names]}
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for label, queries in writings.items():
            answers = run_script(SEARCH, checkout, {"index": str(args.index_dir), "queries": queries})
            found = sum(len(set(ids) & held) for ids, held in zip(answers, holding.values(), strict=True))
            total = sum(len(held) for held in holding.values())
            other = sum(len(set(ids) - held) for ids, held in zip(answers, holding.values(), strict=True))
            empty = sum(not ids for ids in answers)
            print(
                f"  typed {label:6}: articles holding the name found {found:,} of {total:,};"
                f" found holding none of its writings {other:,}; queries finding nothing {empty}"
            )


if __name__ == "__main__":
    main()
