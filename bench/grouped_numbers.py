"""Numbers of four digits or more in phrases and headlines: found as the article writes them, grouped or not.

    python bench/grouped_numbers.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--baseline /tmp/before]

An article writing ``1.863 người`` holds the syllables *1* and *863* side by side. On an index of the first --docs
VNTC articles (built if missing; the codes compared must analyse articles alike), each code in a process of its own:

- the headlines of the index that write a number grouped (6-20 syllables), typed as written, and as typed on a
  phone: in lower case, without diacritics, the numbers of five digits or more without their dots. Printed: the
  MRR@10 of the headline's article and how often it comes first.
- ``PHRASES``: quoted phrases with a number typed grouped and not (a pair should count the same), and the count of
  articles whose title or body writes the phrase either way, its number no part of a larger one.
"""

from __future__ import annotations

import re
import statistics

from common import compared_codes, run_script
from keyword_queries import SEARCH
from restoration import by_title, vntc_index, vntc_parser
from speed import fold

from search_service.analysis import GROUPED_NUMBER_RE, normalize_text, split_syllables, ungrouped

PHRASES = [
    "100.000 đồng",
    "100000 đồng",
    "1.000 tỷ đồng",
    "1000 tỷ đồng",
    "2.000 người",
    "2000 người",
    "năm 2006",
    "1.000",
    "1000",
    "100.000",
]


def phone(title: str) -> str:
    """A headline as typed on a phone: lower case, no diacritics, numbers of five digits or more without dots."""
    typed = GROUPED_NUMBER_RE.sub(lambda m: m.group() if len(m.group()) < 6 else ungrouped(m.group()), title)
    return fold(typed.lower())


def main() -> None:
    parser = vntc_parser(__doc__)
    args = parser.parse_args()
    records = vntc_index(args)
    owners = {
        title: keys
        for title, keys in by_title(records).items()
        if "&" not in title and 6 <= len(split_syllables(title)) <= 20 and GROUPED_NUMBER_RE.search(title)
    }
    titles = list(owners)
    texts = [normalize_text(record["title"] + "\n" + record["body"]) for record in records]
    # Each phrase, its number ungrouped, in a text ungrouped: no part of a larger number or word.
    patterns = {
        phrase: re.compile(r"(?<![\w.,])" + r"\s+".join(map(re.escape, ungrouped(phrase).split())) + r"(?![.,]?\d|\w)")
        for phrase in PHRASES
    }
    plain = [ungrouped(text) for text in texts]
    writes = {phrase: sum(bool(pattern.search(text)) for text in plain) for phrase, pattern in patterns.items()}
    print(f"{len(titles)} headlines with a number grouped, on {len(records):,} VNTC articles")
    kinds = {"as written": titles, "on a phone": [phone(title) for title in titles]}
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for label, queries in kinds.items():
            answers = run_script(SEARCH, checkout, {"index": str(args.index_dir), "queries": queries})
            ranks = [
                next((1 / at for at, key in enumerate(ids, 1) if key in owners[title]), 0.0)
                for title, (ids, _) in zip(titles, answers, strict=True)
            ]
            first = sum(rank == 1 for rank in ranks)
            print(f"  headlines {label:11} MRR@10 {statistics.mean(ranks):.4f}  first {first}/{len(ranks)}")
        answers = run_script(SEARCH, checkout, {"index": str(args.index_dir), "queries": [f'"{p}"' for p in PHRASES]})
        for phrase, (_, total) in zip(PHRASES, answers, strict=True):
            quoted = f'"{phrase}"'
            print(f"  {quoted:18} found {total:6,}  (articles writing it either way {writes[phrase]:,})")


if __name__ == "__main__":
    main()
