"""Places written three ways: a city's districts and wards with their number (``Q.5`` and *quận 5*, ``P.12`` and
*phường 12*) or with their letter before their name (``Q.Bình Thạnh`` and *quận Bình Thạnh*), cities and towns
after their abbreviation (``TP.Đà Nẵng`` and *thành phố Đà Nẵng*). What each writing finds, with this checkout and,
with --baseline, with another, on the same index.

    git worktree add /tmp/before <commit>
    python bench/districts.py [--index-dir /tmp/districts] [--docs 21000] [--baseline /tmp/before]

The index is built from the first --docs VNTC articles (title and body) when its folder holds none. Tuổi Trẻ,
Thanh Niên and Người Lao Động write a district of Ho Chi Minh City ``Q.5`` (sometimes ``Q5``) and ``Q.Bình Thạnh``,
VnExpress *quận 5* and *quận Bình Thạnh*. Each of districts 1 to 12 and wards 1 to 15 is searched four ways
(``quận 5``, ``Q.5``, ``Q5``, ``quan 5``; ``phường 12``, ``P.12``, ``P12``, ``phuong 12``); so is each of 24
districts, wards and rural districts of Ho Chi Minh City, Hanoi and Cần Thơ by name (``quận Bình Thạnh``,
``Q.Bình Thạnh``, ``quan binh thanh``, ``Q. Binh Thanh``), and each of 10 cities and 5 towns after its
abbreviation (``thành phố Đà Nẵng``, ``TP.Đà Nẵng``, ``thanh pho da nang``, ``TP. Da Nang``; *thị xã*, ``TX.``).
Each search's articles are read: how many name the place (its word or abbreviation, then its number or name,
however written, or its letter joined to its number), and how many of the articles that name it the search finds.
Printed per checkout and writing: the searches' articles, those naming the place (precision) and the share of the
articles naming it found (recall), summed over the places; and the share of each search's first ten articles that
name the place (of as many as name it, when fewer than ten do), averaged over the places. Copies of one article are
found once (the search shows one of them), so recall counts each copy the search leaves out as missed, for either
checkout alike.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

NUMBERED = [("quận", "q", str(n)) for n in range(1, 13)] + [("phường", "p", str(n)) for n in range(1, 16)]
# Districts, wards and rural districts by name, of Ho Chi Minh City, Hanoi and Cần Thơ, written with their letter more
# or less often in the corpus.
DISTRICTS = (
    "Bình Thạnh, Tân Bình, Gò Vấp, Phú Nhuận, Thủ Đức, Tân Phú, Bình Tân, Bình Thủy, Hoàn Kiếm, Hai Bà Trưng, Ba Đình, "
    "Đống Đa, Cầu Giấy, Tây Hồ"
)
WARDS = "Bến Thành, Tân Thuận, Bến Nghé, Bình Hưng, Tân Định"
RURAL = "Hóc Môn, Củ Chi, Bình Chánh, Nhà Bè, Cần Giờ"
NAMED = [
    (word, letter, name)
    for word, letter, names in (("quận", "q", DISTRICTS), ("phường", "p", WARDS), ("huyện", "h", RURAL))
    for name in names.split(", ")
]
# Cities and towns by name after their abbreviation (the synonym list's ``TP = thành phố``, ``TX = thị xã``).
CITIES = "Đà Nẵng, Cần Thơ, Hải Phòng, Nha Trang, Vũng Tàu, Biên Hòa, Buôn Ma Thuột, Đà Lạt, Quy Nhơn, Hạ Long"
TOWNS = "Thủ Dầu Một, Cao Lãnh, Vĩnh Long, Sơn Tây, Bà Rịa"
ABBREVIATED = [
    (word, letter, name)
    for word, letter, names in (("thành phố", "tp", CITIES), ("thị xã", "tx", TOWNS))
    for name in names.split(", ")
]
PLACES = NUMBERED + NAMED + ABBREVIATED
# Each kind of place with its four writings' labels, in the order ``writings`` gives them.
KINDS = (
    (NUMBERED, ("quận 5, phường 12", "Q.5, P.12", "Q5, P12", "quan 5, phuong 12")),
    (NAMED, ("quận Bình Thạnh", "Q.Bình Thạnh", "quan binh thanh", "Q. Binh Thanh")),
    (ABBREVIATED, ("thành phố Đà Nẵng", "TP.Đà Nẵng", "thanh pho da nang", "TP. Da Nang")),
)


def writings(word: str, letter: str, number: str) -> list[str]:
    """The four ways a place is searched (``KINDS``): by its number, or by its name (``number`` holds the name)."""
    from search_service.analysis import fold_diacritics

    if not number.isdigit():
        return [
            f"{word} {number}",
            f"{letter.upper()}.{number}",
            fold_diacritics(f"{word} {number}").lower(),
            f"{letter.upper()}. {fold_diacritics(number)}",
        ]
    return [
        f"{word} {number}",
        f"{letter.upper()}.{number}",
        f"{letter.upper()}{number}",
        f"{fold_diacritics(word)} {number}",
    ]


def found(index_dir: str) -> dict[str, list[str]]:
    """Each writing's articles found (ids), with the ``search_service`` this process imports."""
    from search_service.query import SearchRequest
    from search_service.searcher import SearchEngine

    engine = SearchEngine(index_dir)
    articles = {}
    for place in PLACES:
        for query in writings(*place):
            articles[query] = engine.ranked_ids(SearchRequest(q=query), 10_000)
    engine.close()
    return articles


def naming(index_dir: str) -> dict[tuple[str, str, str], set[str]]:
    """The articles that name each place: its word or letter, then its number or name, in any case (``Q.5``, ``quận
    5``, ``Q.Bình Thạnh``), or its letter joined to its number (``Q5``)."""
    from search_service import store
    from search_service.analysis import split_syllables

    wanted = {
        tuple(s.text for s in split_syllables(f"{word} {place[2]}")): place for place in PLACES for word in place[:2]
    }
    lengths = sorted({len(key) for key in wanted})
    joined = {place[1] + place[2]: place for place in NUMBERED}
    named: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    with store.open_index(Path(index_dir)).searcher() as searcher:
        for docnum in searcher.reader().all_doc_ids():
            stored = searcher.stored_fields(docnum)
            syllables = [s.text for s in split_syllables(f"{stored.get('title') or ''} {stored.get('body') or ''}")]
            for length in lengths:
                for run in zip(*(syllables[at:] for at in range(length)), strict=False):
                    if run in wanted:
                        named[wanted[run]].add(stored["id"])
            for syllable in syllables:
                if syllable in joined:
                    named[joined[syllable]].add(stored["id"])
    return named


def report(name: str, articles: dict[str, list[str]], named: dict[tuple[str, str, str], set[str]]) -> None:
    print(f"{name}:")
    for places, labels in KINDS:
        for kind, label in enumerate(labels):
            _report_kind(label, [(place, articles[writings(*place)[kind]]) for place in places], named)


def _report_kind(
    label: str, searched: list[tuple[tuple[str, str, str], list[str]]], named: dict[tuple[str, str, str], set[str]]
) -> None:
    """One writing's line: its articles found, summed over the places, against those naming each place; and the share
    of the first ten that name it (of as many as there are, when fewer than ten do), averaged over the places."""
    shown = right = held = caught = 0
    first_ten = []
    for place, found_ids in searched:
        ids = set(found_ids)
        shown, right = shown + len(ids), right + len(ids & named[place])
        held, caught = held + len(named[place]), caught + len(ids & named[place])
        if named[place]:
            first = sum(key in named[place] for key in found_ids[:10])
            first_ten.append(first / min(10, len(named[place])))
    print(
        f"    {label:18s} {shown:6,} articles found, {right:6,} naming the place ({right / max(shown, 1):6.1%});"
        f" of the {held:,} naming it, found {caught:,} ({caught / max(held, 1):6.1%});"
        f" the first ten {sum(first_ten) / max(len(first_ten), 1):6.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, default=Path("/tmp/districts"))
    parser.add_argument("--docs", type=int, default=21000)
    parser.add_argument("--baseline", type=Path, help="the other checkout (a git worktree)")
    parser.add_argument("--found", action="store_true", help=argparse.SUPPRESS)  # the baseline's side
    args = parser.parse_args()
    if args.found:
        print(json.dumps(found(str(args.index_dir))))
        return
    from scaling import build
    from speed import load_vntc

    records = [{"id": r["id"], "title": r["title"], "body": r["text"]} for r in load_vntc(args.docs)]
    seconds = build(args.index_dir, records)
    if seconds is not None:
        print(f"built {args.index_dir} ({len(records):,} articles) in {seconds:.0f} s")
    named = naming(str(args.index_dir))
    report("this checkout", found(str(args.index_dir)), named)
    if args.baseline is None:
        return
    environment = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
    command = [sys.executable, "-P", __file__, "--index-dir", str(args.index_dir), "--found"]
    run = subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    report(f"baseline {args.baseline}", json.loads(run.stdout.splitlines()[-1]), named)


if __name__ == "__main__":
    main()
