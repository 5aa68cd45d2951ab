"""Queries no article holds as typed, typed without diacritics: answered as their accented form is.

    python bench/unheld_queries.py [--queries 1000] [--baseline /tmp/before] [--docs 21000]

A search box's query of 2-5 syllables (whole words, ``restoration.fragments``) is cut from each of --queries seeded
random titles of the other corpus's articles past the first --docs (never indexed), and searched on an index of the
first --docs articles of VNTC, then of VietNews (the indexes ``bench/restoration.py`` builds, built here if missing):
a visitor's words the portal may not hold together, as another period's or another paper's news. Each is searched
as the page searches it (``SearchEngine.search``: read, retried), as written (lower case) and without diacritics
(đ → d). Where no article holds its words as typed, the search tries again (the response says which try answered:
its numbers apart from their words, some of its words, the words in other diacritics, its words' syllables apart);
typed without diacritics, a query should be answered as its accented form is, by the same try and the same articles.

Printed, of each index: how many queries each try answered, as written and without diacritics; of those the accented
form answers by a retry, how many of their first 10 articles the unaccented form finds among its first 10 (mean), and
how often its first article is the accented form's first; the same of those answered at the first try.

No one has judged which articles answer these queries, but each was cut from an article: of those the accented form
answers by a retry in either code, how close the first 10 articles found are to the article it was cut from (the
cosine of their syllables' TF-IDF, the index's document frequencies; the article's text without its title, which
holds the query), a mean over the 10 and over the queries, an answer of nothing counting 0. The articles a retry
lists are about what the visitor asked only as far as they are about what the query's own article says. With a
baseline, the same of the queries whose first 10 without diacritics the two codes answer otherwise, at any try,
and how many of them are closer (by more than 0.005) in this code, how many further.

With --baseline, another checkout's code (``git worktree add /tmp/before <commit>``) searches the same queries on
the same index in a process of its own, in the same run.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from typing import TYPE_CHECKING

from common import compared_codes, page_answers
from restoration import fragments, report_build, vietnews, vietnews_articles, vntc_articles
from short_queries import fragments_parser
from speed import fold, load_vntc

if TYPE_CHECKING:
    from pathlib import Path

# The retries, in the order a search makes them (the response's flag of each); "" is the first try.
TRIES = ("numbers_apart", "relaxed", "other_diacritics", "apart")


def unheld(titles: list[str], count: int, seed: int) -> list[str]:
    """``count`` queries cut from seeded random titles, lower case, each once."""
    rng = random.Random(seed)
    cut = fragments(rng.sample(titles, min(len(titles), count * 2)), seed=rng.randrange(10**6))
    return list(dict.fromkeys(query.lower() for query in cut))[:count]


def cut_from(queries: list[str], titles: list[str]) -> list[int]:
    """For each query, the first of the titles (their places) that holds it, in lower case (-1: none)."""
    lowered = [title.lower() for title in titles]
    return [next((at for at, title in enumerate(lowered) if query in title), -1) for query in queries]


class Closeness:
    """The cosine of two texts' syllable TF-IDF vectors, each syllable weighed by the index's document frequency
    (its ``body`` field's), the articles' vectors kept once made."""

    def __init__(self, index_dir: Path):
        from search_service.searcher import SearchEngine

        self.engine = SearchEngine(index_dir)
        self.searcher = self.engine.searcher()
        self.articles = self.searcher.doc_count()
        self.idfs: dict[str, float] = {}
        self.vectors: dict[str, dict[str, float]] = {}

    def idf(self, syllable: str) -> float:
        if syllable not in self.idfs:
            self.idfs[syllable] = math.log(self.articles / (1 + self.searcher.doc_frequency("body", syllable)))
        return self.idfs[syllable]

    def vector(self, text: str) -> dict[str, float]:
        from search_service.analysis import normalize_text

        counts = Counter(re.findall(r"\w+", normalize_text(text).lower()))
        vector = {syllable: (1 + math.log(count)) * self.idf(syllable) for syllable, count in counts.items()}
        length = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        return {syllable: value / length for syllable, value in vector.items()}

    def article(self, identifier: str) -> dict[str, float]:
        if identifier not in self.vectors:
            article = self.engine.article(identifier) or {}
            text = " ".join(article.get(name) or "" for name in ("title", "summary", "body"))
            self.vectors[identifier] = self.vector(text)
        return self.vectors[identifier]

    def of(self, ids: list[str], source: dict[str, float]) -> float:
        """The mean closeness of the articles to the source's vector, over 10 places (an empty place counts 0)."""
        return sum(sum(source.get(s, 0.0) * v for s, v in self.article(i).items()) for i in ids[:10]) / 10


def agreement(pairs: list[tuple[list[str], list[str]]]) -> str:
    """Of (accented ids, unaccented ids): the mean share of the accented first 10 the unaccented first 10 holds, and
    how often the first articles are the same."""
    if not pairs:
        return "none"
    shared = sum(len(set(a) & set(b)) / len(a) for a, b in pairs if a) / len(pairs)
    first = sum(bool(a) and bool(b) and a[0] == b[0] for a, b in pairs)
    same = f"the same first article {first} ({first / len(pairs):.1%})"
    return f"{len(pairs)}: the accented first 10 found {shared:.1%}, {same}"


def main() -> None:
    args = fragments_parser(__doc__, queries=1000, seed=11).parse_args()
    vntc_records, news_records = load_vntc(None), vietnews()
    report_build(args.vntc_index, vntc_articles(vntc_records[: args.docs]))
    report_build(args.vietnews_index, vietnews_articles(news_records[: args.docs]))
    held_out_news = news_records[args.docs :] or news_records[-args.queries * 2 :]
    directions = [
        ("VNTC", args.vntc_index, "VietNews", [(r["title"], f"{r['summary']} {r['body']}") for r in held_out_news]),
        (
            "VietNews",
            args.vietnews_index,
            "VNTC",
            [(r["title"], r["text"]) for r in vntc_records[args.docs :] if r["title"]],
        ),
    ]
    for name, index_dir, other, held_out in directions:
        titles = [title for title, _ in held_out]
        queries = unheld(titles, args.queries, args.seed)
        texts = [held_out[at][1] if at >= 0 else "" for at in cut_from(queries, titles)]
        print(f"\n# {name}'s index of {args.docs:,} articles: {len(queries)} queries cut from {other}'s titles")
        closeness, coded = Closeness(index_dir), []
        for code, checkout in compared_codes(args.baseline):
            answers = [
                [answer["ids"], next((name for name in TRIES if answer["query"].get(name)), "")]
                for answer in page_answers(checkout, index_dir, queries + [fold(q) for q in queries])
            ]
            written, bare = answers[: len(queries)], answers[len(queries) :]
            print(f"{code}:")
            for label, found in (("as written", written), ("without diacritics", bare)):
                counts = {tried: sum(answer[1] == tried for answer in found) for tried in ("", *TRIES)}
                shown = ", ".join(f"{tried or 'first try'} {count}" for tried, count in counts.items())
                print(f"  {label:19s} answered by: {shown}")
            both = list(zip(written, bare, strict=True))
            retried = [(a[0], b[0]) for a, b in both if a[1]]
            first = [(a[0], b[0]) for a, b in both if not a[1]]
            same_try = sum(a[1] == b[1] for a, b in both if a[1])
            print(f"  accented answered by a retry {agreement(retried)}; by the same retry {same_try}")
            print(f"  accented answered at the first try {agreement(first)}")
            coded.append((code, written, bare))
        # The queries either code answers by a retry, accented: how close each code's answers are to their articles.
        retried_any = [at for at in range(len(queries)) if any(written[at][1] for _, written, _ in coded)]
        sources = {at: closeness.vector(texts[at]) for at in retried_any}
        for code, written, bare in coded:
            near = [
                sum(closeness.of(found[at][0], sources[at]) for at in retried_any) / max(1, len(retried_any))
                for found in (written, bare)
            ]
            empty = [sum(not found[at][0] for at in retried_any) for found in (written, bare)]
            print(
                f"{code}: the {len(retried_any)} retried, closeness of the first 10 to the query's article: "
                f"as written {near[0]:.4f} ({empty[0]} found nothing), without diacritics {near[1]:.4f} ({empty[1]})"
            )
        if len(coded) == 2:  # the queries whose unaccented first 10 the two codes answer otherwise, any try
            (this, _, ours), (other, _, theirs) = coded
            differ = [at for at in range(len(queries)) if ours[at][0] != theirs[at][0]]
            near = [
                [closeness.of(found[at][0], closeness.vector(texts[at])) for at in differ] for found in (ours, theirs)
            ]
            closer = sum(a > b + 0.005 for a, b in zip(*near, strict=True))
            further = sum(a < b - 0.005 for a, b in zip(*near, strict=True))
            print(
                f"without diacritics, {len(differ)} queries answered otherwise: closeness of the first 10 "
                f"{sum(near[0]) / max(1, len(differ)):.4f} ({this}) against {sum(near[1]) / max(1, len(differ)):.4f} "
                f"({other}); closer in {this} {closer}, further {further}"
            )


if __name__ == "__main__":
    main()
