"""Words an index writes both joined and split (``email``, ``e-mail``; ``ôtô``, ``ô tô``): what each writing finds,
with this checkout and, with --baseline, with another.

    git worktree add /tmp/before <commit>
    python bench/joined_words.py --index-dir /tmp/ix84 [--baseline /tmp/before]

The words are this checkout's (``Vocabulary.joined`` of the index at --index-dir, built with ``search-service index
build``). Each is searched four ways: joined, split, hyphenated, and split without diacritics; printed, for each
checkout, how many of the words find the same articles however they are written, and the totals of a few; with
--baseline, how many searches find more and how many fewer. The baseline searches in its own process (its own
``search_service``, on the same index; a vocabulary file of another version is read afresh from the index).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SHOWN = ("email", "wifi", "ôtô", "ximăng", "đôla", "bêtông", "vôlê", "hiphop", "gtvt")


def writings(whole: str, first: str, second: str) -> list[str]:
    from search_service.analysis import fold_diacritics

    return [whole, f"{first} {second}", f"{first}-{second}", fold_diacritics(f"{first} {second}")]


def totals(index_dir: str, words: list[list[str]]) -> dict[str, int]:
    """Each writing's number of articles found, with the ``search_service`` this process imports."""
    from search_service.query import SearchRequest
    from search_service.searcher import SearchEngine

    engine = SearchEngine(index_dir)
    found = {}
    for whole, first, second in words:
        for query in writings(whole, first, second):
            found[query] = engine.search(SearchRequest(q=query))["total"]
    engine.close()
    return found


def report(name: str, words: list[list[str]], found: dict[str, int]) -> None:
    alike = sum(len({found[q] for q in writings(*word)[:3]}) == 1 for word in words)
    print(f"{name}: {alike} of {len(words)} words find as many articles joined, split and hyphenated")
    for word in words:
        if word[0] in SHOWN:
            print(f"    {' / '.join(writings(*word))}: {' / '.join(str(found[q]) for q in writings(*word))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", required=True)
    parser.add_argument("--baseline", type=Path, help="the other checkout (a git worktree)")
    parser.add_argument("--totals", help=argparse.SUPPRESS)  # the baseline's side: the words' file
    args = parser.parse_args()
    if args.totals:
        print(json.dumps(totals(args.index_dir, json.loads(Path(args.totals).read_text(encoding="utf-8")))))
        return
    from search_service.searcher import SearchEngine

    engine = SearchEngine(args.index_dir)
    words = [list(word) for word in engine.vocabulary().joined]
    engine.close()
    found = totals(args.index_dir, words)
    report("this checkout", words, found)
    if args.baseline is None:
        return
    environment = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
    with tempfile.TemporaryDirectory() as folder:
        listed = Path(folder) / "words.json"
        listed.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, "-P", __file__, "--index-dir", args.index_dir, "--totals", str(listed)]
        run = subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    before = json.loads(run.stdout.splitlines()[-1])
    report(f"baseline {args.baseline}", words, before)
    more = sum(found[q] > before[q] for q in found)
    fewer = [q for q in found if found[q] < before[q]]
    same = len(found) - more - len(fewer)
    print(f"searches: {len(found)}; more articles found {more}, fewer {len(fewer)}, as many {same}")
    for query in sorted(fewer, key=lambda q: before[q] - found[q], reverse=True)[:10]:
        print(f"    fewer: {query!r} {before[query]} -> {found[query]}")


if __name__ == "__main__":
    main()
