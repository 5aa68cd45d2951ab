"""Dates typed with or without a leading zero: how many of the articles writing a date either way a search finds.

    python bench/padded_dates.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--queries 300] [--seed 7]
        [--baseline /tmp/before --baseline-index-dir /tmp/before-index]

VNTC writes a date's day or month with a leading zero about as often as without (`12/05/2006`, `12/5/2006`), and
the pages show an article's date padded (`12/05/2023`). On an index of the first --docs VNTC articles (built if
missing), --queries seeded dates that its titles and bodies write with a year, each typed four ways: padded and
not, with slashes (`12/05/2006`, `12/5/2006`), and as a day and month after *ngày* (`ngày 12/05`, `ngày 12/5`).
Printed for each code and way: how many of the articles writing the date (with slashes, hyphens or dots, padded or
not; a day and month: followed by any year or none) are among the first 100 found, how many found do not write it,
and the queries that find every article writing it. Those found not writing a day and month are mostly decimals
(*12,5 %* for ``ngày 12/5``) where the index holds the two numbers side by side. Then the phrases of ``KEPT``,
decimals and times that a zero tells apart, typed with a comma, a point or a colon (quoted, and two unquoted), and
their counts.

With --baseline, another checkout's code searches the same queries in a process of its own, in the same run, on the
index its own code built (--baseline-index-dir, built if missing): what an index holds of a padded number is the
code's that built it.
"""

from __future__ import annotations

import random
import re

from common import compared_codes, run_script
from keyword_queries import SEARCH
from restoration import compared_indexes, vntc_parser

from search_service.analysis import normalize_text

# A day, a month and perhaps a year, as an article writes them: one separator, no digit or grouped number around.
DATE_RE = re.compile(r"(?<![\w.,/-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}))?(?!\w|[/.-]\d|,\d)")
# Decimals and times: a zero after the comma, point or colon is part of the number.
KEPT = ['"1,05"', '"1,5"', '"1.5"', '"0,05"', '"0,5"', '"0.5"', '"9:05"', '"9:5"', '"2.05"', '"2.5"', '"2,5"']
KEPT += ["1,5 triệu", "0,5"]  # typed without quotes: a decimal typed with its comma is one number


def dates(text: str) -> set[tuple[int, int, int | None]]:
    """The (day, month, year or None) a text writes, any day of a month; a dotted one only with its year."""
    found = set()
    for match in DATE_RE.finditer(text):
        day, separator, month, year = match.groups()
        if 1 <= int(day) <= 31 and 1 <= int(month) <= 12 and (separator != "." or year):
            found.add((int(day), int(month), int(year) if year else None))
    return found


def main() -> None:
    parser = vntc_parser(__doc__, 300, 7, own_indexes=True)
    args = parser.parse_args()
    records, indexes = compared_indexes(parser, args, "an index holds a padded number as its code read it")
    written: dict[tuple[int, int, int | None], set[str]] = {}
    for record in records:
        for date in dates(normalize_text(record["title"] + "\n" + record["body"])):
            written.setdefault(date, set()).add(record["id"])
    full = sorted(date for date in written if date[2] is not None)
    chosen = random.Random(args.seed).sample(full, min(args.queries, len(full)))
    # A day and month after "ngày": the articles writing it with any year or none.
    by_day: dict[tuple[int, int], set[str]] = {}
    for (day, month, _), keys in written.items():
        by_day.setdefault((day, month), set()).update(keys)
    kinds = {
        "dd/mm/yyyy": [(f"{d:02}/{m:02}/{y}", written[d, m, y]) for d, m, y in chosen],
        "d/m/yyyy": [(f"{d}/{m}/{y}", written[d, m, y]) for d, m, y in chosen],
        "ngày dd/mm": [(f"ngày {d:02}/{m:02}", by_day[d, m]) for d, m, _ in chosen],
        "ngày d/m": [(f"ngày {d}/{m}", by_day[d, m]) for d, m, _ in chosen],
    }
    padded = sum(d < 10 or m < 10 for d, m, _ in chosen)
    print(f"{len(chosen)} dates written with a year ({padded} of a one-digit day or month), {len(records):,} articles")
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for label, queries in kinds.items():
            given = {"index": str(indexes[code]), "queries": [q for q, _ in queries], "per_page": 100}
            answers = run_script(SEARCH, checkout, given)
            wanted = found = extra = whole = 0
            for (_, keys), (ids, _) in zip(queries, answers, strict=True):
                hit = keys.intersection(ids)
                wanted += min(len(keys), 100)
                found += len(hit)
                extra += len(ids) - len(hit)
                whole += len(hit) == min(len(keys), 100)
            print(
                f"  {label:11} articles writing it found {found:5,}/{wanted:5,} ({found / wanted:.3f})  "
                f"not writing it {extra:4}  every one found {whole:3}/{len(queries)}"
            )
        answers = run_script(SEARCH, checkout, {"index": str(indexes[code]), "queries": KEPT})
        print("  " + "  ".join(f"{q} {total:,}" for q, (_, total) in zip(KEPT, answers, strict=True)))


if __name__ == "__main__":
    main()
