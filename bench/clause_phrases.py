"""Words found side by side only across punctuation: how often a search's first results hold a query's words so.

    python bench/clause_phrases.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--queries 400]
        [--baseline /tmp/before --baseline-index-dir /tmp/before-index]

A phrase, a word or a name a search requires whole matches an article's syllables at neighbouring positions. Where
the index numbers syllables without a step at the end of a clause, *Gia Lâm, Đông Anh* holds ``lam dong`` and *xe
máy, điện thoại* holds ``xe máy điện``. Searched in lower case, as written and without diacritics, on an index of
the first --docs articles of VNTC (built if missing):

- the 82 place names of ``place_names.py``;
- --queries fragments of 2-5 whole words of seeded titles of the index (``restoration.fragments``), within one
  clause of the title;
- the same fragments quoted (a phrase required as typed), and those cut across a clause's end of their title, quoted
  with their punctuation.

Printed for each code and kind: the share of the first 10 results whose title and body hold the query's syllables
side by side only across punctuation that ends a clause (a comma, a colon, a full stop before a space, a line
break: ``analysis.clause_starts``), the median count, and the MRR@10 of a fragment's own title.

With --baseline, another checkout's code searches the same queries in a process of its own, in the same run, on the
index its own code built (--baseline-index-dir, built if missing): what an index holds of the punctuation is the
code's that built it.
"""

from __future__ import annotations

import itertools
import statistics

from common import compared_codes, run_script
from keyword_queries import SEARCH
from place_names import NAMES
from restoration import by_title, compared_indexes, fragments, vntc_parser
from speed import fold

from search_service.analysis import clause_starts, normalize_text, split_syllables


def clauses(text: str) -> list[list[str]]:
    """A text's syllables in lower case, clause by clause, and all of them in a last list (side by side anyhow)."""
    normalized = normalize_text(text)
    syllables = split_syllables(normalized)
    words = [s.text for s in syllables]
    starts = [0, *clause_starts(normalized, syllables), len(words)]
    return [words[first:end] for first, end in itertools.pairwise(starts)] + [words]


def holds(parts: list[list[str]], words: list[str]) -> bool:
    """Whether one of the lists holds the words side by side."""
    size = len(words)
    return any(part[at : at + size] == words for part in parts for at in range(len(part) - size + 1))


def main() -> None:
    parser = vntc_parser(__doc__, 400, 7, own_indexes=True)
    args = parser.parse_args()
    records, indexes = compared_indexes(parser, args, "an index holds the punctuation as its code read it")
    # Each text clause by clause, as written and without diacritics.
    texts = {record["id"]: clauses(record["title"] + "\n" + record["body"]) for record in records}
    folded_texts = {key: [[fold(word) for word in part] for part in parts] for key, parts in texts.items()}
    # Fragments within one clause of their title, each with the articles of that title.
    owners = by_title(records)
    titles = list(owners)
    found, across = [], []
    for number, title in enumerate(titles[:: max(1, len(titles) // (2 * args.queries))]):
        cut = fragments([title], seed=args.seed + number)
        if cut:  # in one clause (and the list of all its syllables), or across a clause's end
            (found if len(clauses(cut[0])) == 2 else across).append((cut[0].lower(), owners[title]))
    found = found[: args.queries]
    written = [fragment for fragment, _ in found]
    owners = [titled for _, titled in found]
    kinds = {
        "names as written": (NAMES, None),
        "names without diacritics": ([fold(name) for name in NAMES], None),
        "fragments as written": (written, owners),
        "fragments without diacritics": ([fold(q) for q in written], owners),
        "fragments quoted": ([f'"{q}"' for q in written], owners),
        # Typed with their punctuation: found where the title has it, at a clause's end.
        "across a clause's end, quoted": ([f'"{q}"' for q, _ in across], [titled for _, titled in across]),
    }
    print(
        f"{len(NAMES)} names and {len(written)} title fragments in one clause ({len(across)} across a clause's end), "
        f"on {len(records):,} VNTC articles"
    )
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for label, (queries, wanted) in kinds.items():
            answers = run_script(SEARCH, checkout, {"index": str(indexes[code]), "queries": queries})
            held = folded_texts if "without" in label else texts
            only_across = hits = 0
            counts, ranks = [], []
            apart = "across" in label  # the query's own words are apart: its hits hold them so
            for number, (query, (ids, total)) in enumerate(zip(queries, answers, strict=True)):
                words = clauses(query.strip('"'))[-1]
                counts.append(total)
                for key in ids if not apart else ():
                    parts = held[key]
                    hits += 1
                    only_across += holds(parts[-1:], words) and not holds(parts[:-1], words)
                if wanted is not None:
                    rank = next((at for at, key in enumerate(ids, 1) if key in wanted[number]), None)
                    ranks.append(1 / rank if rank else 0.0)
            mrr = f"  MRR@10 {statistics.mean(ranks):.4f}" if ranks else ""
            held_across = "" if apart else f"{only_across:4}/{hits:5} ({only_across / max(hits, 1):.3f})"
            print(
                f"  {label:29} first 10 held only across a clause's end {held_across:18}  median count "
                f"{statistics.median(counts):,.0f}{mrr}"
            )


if __name__ == "__main__":
    main()
