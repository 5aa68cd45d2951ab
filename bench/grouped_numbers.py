"""Numbers in queries: found as the article writes them, grouped or not, and never as a part of a larger number.

    python bench/grouped_numbers.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--numbers 200]
        [--baseline /tmp/before --baseline-index-dir /tmp/before-index]

An article writing ``1.863 người`` holds the groups *1* and *863* side by side. On an index of the first --docs VNTC
articles (built if missing), and with --baseline on the index that code builds of them (--baseline-index-dir: the
codes may analyse a grouped number otherwise), each code in a process of its own:

- the headlines of the index that write a number grouped (6-20 syllables), typed as written, and as typed on a
  phone: in lower case, without diacritics, the numbers of five digits or more without their dots. Printed: the
  MRR@10 of the headline's article and how often it comes first.
- ``PHRASES``: quoted phrases with a number typed grouped and not (a pair should count the same), and the count of
  articles whose title or body writes the phrase either way, its number no part of a larger one.
- --numbers queries of a number of one to three digits and the word after it, as titles write them (``500 người``,
  ``12 tỉnh``), typed in lower case: of the first 100 articles each finds, those that write the number only as a
  group of a larger one (*5.500 người*, *12.000*), and the first page's snippets that mark a part of such a number
  (an article holding none of the number, which a short query's common number may leave out, is not counted).
"""

from __future__ import annotations

import random
import re
import statistics

from common import compared_codes, run_script
from keyword_queries import SEARCH
from restoration import by_title, compared_indexes, vntc_parser
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

# A number of one to three digits standing alone (no group, decimal, date or code of it) and the word after it.
NUMBER_WORD_RE = re.compile(r"(?<![\w.,/-])([1-9]\d{0,2}) +([^\W\d_]+)(?![\w.,/-])")
# Each query's first 100 articles, its total, and its first page's snippets.
SEARCH_SNIPPETS = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
answers = []
for q in request["queries"]:
    ids = engine.ranked_ids(SearchRequest(q=q), 100)
    found = engine.search(SearchRequest(q=q))
    answers.append([ids, found["total"], [hit["snippet"] for hit in found["hits"]]])
print(json.dumps(answers))
"""
# A snippet's mark that stops or starts inside a number written with its thousands grouped or a decimal comma.
PART_MARKED_RE = re.compile(r"</mark>[.,]\d|\d[.,]<mark>")


def number_queries(records: list[dict], count: int, seed: int = 7) -> list[str]:
    """``count`` distinct seeded queries of a number and the word after it, as the records' titles write them."""
    found = sorted(
        {f"{m.group(1)} {m.group(2).lower()}" for record in records for m in NUMBER_WORD_RE.finditer(record["title"])}
    )
    return random.Random(seed).sample(found, min(count, len(found)))


# A number of which a number typed alone is a part: grouped (its decimal after it, if any), or a decimal.
LARGER_RE = re.compile(GROUPED_NUMBER_RE.pattern + r"(?:,\d+)?|(?<![\d.,])\d+,\d+(?![\d]|[.,]\d)")


def only_parted(number: str, text: str) -> bool:
    """Whether a text writes the number only as a part of a larger one (a group of a number written grouped, a
    side of a decimal): nowhere by itself, a digit padded with a zero among the ways (*03*)."""
    pattern = re.compile(r"(?<!\d)0?" + number + r"(?!\d)")
    larger = list(LARGER_RE.finditer(text))
    return any(pattern.search(m.group()) for m in larger) and not pattern.search(LARGER_RE.sub(" ", text))


def phone(title: str) -> str:
    """A headline as typed on a phone: lower case, no diacritics, numbers of five digits or more without dots."""
    typed = GROUPED_NUMBER_RE.sub(lambda m: m.group() if len(m.group()) < 6 else ungrouped(m.group()), title)
    return fold(typed.lower())


def main() -> None:
    parser = vntc_parser(__doc__, own_indexes=True)
    parser.add_argument("--numbers", type=int, default=200)
    args = parser.parse_args()
    records, indexes = compared_indexes(parser, args, "the codes may index a grouped number's groups otherwise")
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
    by_id = {record["id"]: text for record, text in zip(records, texts, strict=True)}
    numbered = number_queries(records, args.numbers)
    print(f"{len(titles)} headlines with a number grouped, on {len(records):,} VNTC articles")
    kinds = {"as written": titles, "on a phone": [phone(title) for title in titles]}
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        index = str(indexes[code])
        for label, queries in kinds.items():
            answers = run_script(SEARCH, checkout, {"index": index, "queries": queries})
            ranks = [
                next((1 / at for at, key in enumerate(ids, 1) if key in owners[title]), 0.0)
                for title, (ids, _) in zip(titles, answers, strict=True)
            ]
            first = sum(rank == 1 for rank in ranks)
            print(f"  headlines {label:11} MRR@10 {statistics.mean(ranks):.4f}  first {first}/{len(ranks)}")
        answers = run_script(SEARCH, checkout, {"index": index, "queries": [f'"{p}"' for p in PHRASES]})
        for phrase, (_, total) in zip(PHRASES, answers, strict=True):
            quoted = f'"{phrase}"'
            print(f"  {quoted:18} found {total:6,}  (articles writing it either way {writes[phrase]:,})")
        answers = run_script(SEARCH_SNIPPETS, checkout, {"index": index, "queries": numbered})
        inside = shown = marked = parted = 0
        examples = []
        for query, (ids, _total, snippets) in zip(numbered, answers, strict=True):
            number = query.split()[0]
            wrong = [key for key in ids if only_parted(number, by_id[key])]
            inside += len(wrong)
            shown += len(ids)
            marked += len(snippets)
            parted += sum(bool(PART_MARKED_RE.search(snippet)) for snippet in snippets)
            if wrong and len(examples) < 3:
                examples.append(f"{query} ({len(wrong)} of {len(ids)})")
        print(
            f"  {len(numbered)} numbers typed alone with the word after: of their first 100, {inside:,} of {shown:,}"
            f" hold the number only as a part of a larger one; {parted} of {marked} first-page snippets mark a part of"
            " one"
        )
        if examples:
            print(f"    e.g. {', '.join(examples)}")


if __name__ == "__main__":
    main()
