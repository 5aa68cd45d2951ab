"""Names of letters and a number (``U23``, ``A380``, ``MiG-21``): found however the article writes them.

    python bench/named_numbers.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--baseline /tmp/before]

On an index of the first --docs VNTC articles (built if missing), each code in a process of its own. The names are
those the articles write both joined (``U23``, ``SU30``) and with a hyphen or a dot (``U-23``, ``U.23``): a run of
Latin letters then digits, or letters, a hyphen or a dot, digits, in lower case, no part of a larger word or number.
Each name is typed joined and with a hyphen. Printed, for each writing typed: the articles found (the first 1,000)
that hold the name in any of those writings, against how many do; the articles found that hold none of them (an
article writing it apart, ``U 23``, is among those); and the queries that find nothing.

Then the advanced form's "any of these words" and "none of these words": the --numbers document numbers the articles
write most (``29-CT/TU``, ``12/2023/NĐ-CP``: ``query.is_document_number``), and the names typed with a hyphen, each
typed alone in either field. Printed: the articles found by "any" that hold the code as typed (a document number) or
in any writing (a name), and those that do not; the articles "none" leaves out that do not hold it. And ``NUMBERED``,
a word with a number after it (``quận 1``): the articles the box finds, "any" finds, "none" leaves out.

And the completions of each name typed with a hyphen up to its number's first digit (``u-2``): how many are offered
with the hyphen, how many with a space between the letters and the number, and, of the articles holding the name, how
many the first completion offered finds when searched (a name with a hyphen is found however the article writes it; a
*u* beside a number, ``u 23``, only where written apart).
"""

from __future__ import annotations

import re
from collections import Counter

from common import compared_codes, run_script
from restoration import vntc_index, vntc_parser

from search_service.analysis import normalize_text
from search_service.query import CODE_RE, is_document_number

# A name: letters (ASCII, as such names are written), then a number, joined or by a hyphen or a dot; no part of a
# larger word, number or code.
NAME_RE = re.compile(r"(?<![\w./-])([a-z]{1,6})([-.]?)(\d{1,4})(?![\w/]|[-.,]\d)")
SEARCH = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
field = request.get("field", "q")
print(json.dumps([engine.ranked_ids(SearchRequest(**{"q": "", field: q}), 100000) for q in request["queries"]]))
"""
COMPLETE = """
import json, sys
from search_service.query import SearchRequest
from search_service.results import complete
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
offered = [complete(engine.vocabulary(), prefix) for prefix in request["queries"]]
named = [next((each for each in completions if each.replace("-", " ") == name), None)
         for completions, name in zip(offered, request["names"])]
found = [engine.ranked_ids(SearchRequest(q=each), 1000) if each else [] for each in named]
print(json.dumps([offered, named, found]))
"""


NUMBERED = ["quận 1", "phường 5", "lớp 12", "năm 2006"]


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


def document_numbers(texts: list[str], count: int) -> dict[str, set[int]]:
    """The ``count`` document numbers the texts write in the most of them (a code with a slash, a digit and a
    letter, its punctuation around it left out): number → the texts holding it."""
    holding: dict[str, set[int]] = {}
    for at, text in enumerate(texts):
        for token in text.split():
            code = token.strip(".,;:()[]\"'“”")
            if CODE_RE.match(code) and is_document_number(code):
                holding.setdefault(code, set()).add(at)
    return dict(sorted(holding.items(), key=lambda item: (-len(item[1]), item[0]))[:count])


def main() -> None:
    parser = vntc_parser(__doc__)
    parser.add_argument("--numbers", type=int, default=30, help="document numbers typed in the advanced form")
    args = parser.parse_args()
    records = vntc_index(args)
    texts = [normalize_text(record["title"] + "\n" + record["body"]).lower() for record in records]
    keys = [record["id"] for record in records]
    names = names_written(texts)
    holding = {name: {keys[at] for at in found} for name, found in names.items()}
    print(f"{len(names)} names written both joined and with a hyphen or a dot, on {len(records):,} VNTC articles")
    print("  " + ", ".join(f"{a}{n} ({len(found)})" for (a, n), found in list(holding.items())[:30]))
    writings = {"joined": [a + n for a, n in names], "hyphen": [f"{a}-{n}" for a, n in names]}
    raw = [normalize_text(record["title"] + "\n" + record["body"]) for record in records]
    numbers = {number: {keys[at] for at in found} for number, found in document_numbers(raw, args.numbers).items()}
    typed = {**numbers, **dict(zip(writings["hyphen"], holding.values(), strict=True))}
    print(f"{len(numbers)} document numbers the most articles write: " + ", ".join(list(numbers)[:8]) + ", …")
    everyone = set(keys)
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for field in ("any", "none"):
            given = {"index": str(args.index_dir), "queries": list(typed), "field": field}
            answers = run_script(SEARCH, checkout, given)
            for label, chosen in (("document numbers", list(numbers)), ("names", writings["hyphen"])):
                pairs = [(set(ids), typed[q]) for q, ids in zip(typed, answers, strict=True) if q in chosen]
                if field == "any":
                    right = sum(len(found & held) for found, held in pairs)
                    wrong = sum(len(found - held) for found, held in pairs)
                    print(f"  any of  {label:16}: found holding it {right:,}, not holding it {wrong:,}")
                else:
                    left_out = sum(len((everyone - found) - held) for found, held in pairs)
                    print(f"  none of {label:16}: articles left out that do not hold it {left_out:,}")
        # The box left empty lists every article (each once with its copies, as every list here shows them).
        given = {"index": str(args.index_dir), "queries": ["", *NUMBERED]}
        counts = {field: run_script(SEARCH, checkout, given | {"field": field}) for field in ("q", "any", "none")}
        listed = set(counts["q"][0])
        for at, phrase in enumerate(NUMBERED, start=1):
            box, found, left_out = len(counts["q"][at]), len(counts["any"][at]), len(listed - set(counts["none"][at]))
            print(f"  {phrase!r:11}: the box finds {box:,}, any of it {found:,}, none of it leaves out {left_out:,}")
        for label, queries in writings.items():
            answers = run_script(SEARCH, checkout, {"index": str(args.index_dir), "queries": queries})
            answers = [ids[:1000] for ids in answers]
            found = sum(len(set(ids) & held) for ids, held in zip(answers, holding.values(), strict=True))
            total = sum(len(held) for held in holding.values())
            other = sum(len(set(ids) - held) for ids, held in zip(answers, holding.values(), strict=True))
            empty = sum(not ids for ids in answers)
            print(
                f"  typed {label:6}: articles holding the name found {found:,} of {total:,};"
                f" found holding none of its writings {other:,}; queries finding nothing {empty}"
            )
        given = {
            "index": str(args.index_dir),
            "queries": [f"{a}-{n[0]}" for a, n in names],
            "names": [f"{a} {n}" for a, n in names],
        }
        offered, named, found = run_script(COMPLETE, checkout, given)
        hyphened = sum(bool(re.search(r"[a-z]-\d", each)) for completions in offered for each in completions)
        spaced = sum(bool(re.search(r"[a-z] \d", each)) for completions in offered for each in completions)
        held = sum(len(set(ids) & held) for ids, held in zip(found, holding.values(), strict=True))
        total = sum(len(held) for name, held in zip(named, holding.values(), strict=True) if name)
        print(
            f"  completions of the names typed to a digit (`u-2`): {sum(map(len, offered))} offered, with the hyphen "
            f"{hyphened}, with a space {spaced}; the name itself offered for {sum(map(bool, named))} of "
            f"{len(named)}, and searched it finds {held:,} of the {total:,} articles holding it"
        )


if __name__ == "__main__":
    main()
