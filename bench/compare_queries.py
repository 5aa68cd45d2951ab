"""Two checkouts' searches on one index, taking turns query by query: each one's query time, and whether they answer
alike.

    git worktree add /tmp/before <commit>
    python bench/compare_queries.py --index-dir /tmp/ix84 --docs 84132 --baseline /tmp/before [--queries 500]
                                    [--rounds 2] [--queries-file headlines.txt]

``bench/query_time.py`` run from each checkout in turn compares runs minutes apart, on machines whose speed drifts by
a tenth and more in that time. Here each checkout searches in its own process (each imports its own
``search_service``: this checkout's, and the one at --baseline), and the two take turns query by query, which one
goes first alternating, so that a slow spell weighs on both alike. Each process opens a fresh engine each round and
computes every search (no result cache), as ``bench/speed.py`` measures; the queries are ``bench/speed.py``'s
(2-5 title words of the first --docs VNTC articles, half without diacritics), made here and sent to both, or those
of --queries-file, one a line.

Printed: each checkout's median, p90 and p99 over the queries of each query's median time, the ratio of the medians
and the median of the per-query ratios, how many answers differ (the whole JSON of a search, its time taken apart)
and how many in what a visitor sees (the count, the hits, the words searched, the spelling offered), and the first
of the queries answered differently. The index must be one both checkouts read: when --index-dir holds
none, it is built with this checkout. A change to what the index holds (the analysis) is compared with
--baseline-index-dir, the same articles indexed by the baseline's code, which the baseline then searches:

    PYTHONPATH=/tmp/before:/tmp/before/bench python -P -c "from pathlib import Path; from query_time import
        build_once; from speed import load_vntc; build_once(Path('/tmp/ix-before'), load_vntc(20000))"
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # this checkout
SHOWN = 20  # queries answered differently, printed


def serve(index_dir: str) -> None:
    """The searching side: one JSON command a line on stdin ({"open": true} for a fresh engine, {"q": text} for a
    search), one JSON answer a line on stdout (the search's seconds and a digest of its answer). Of this checkout's
    benchmarks it imports ``common`` only (the standard library's modules), so that a checkout whose benchmarks differ
    can be compared."""
    from common import uncached_engine

    import search_service
    from search_service.query import SearchRequest

    engine = None
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("open"):
            if engine is not None:
                engine.close()
            engine = uncached_engine(Path(index_dir))
            print(json.dumps({"package": str(Path(search_service.__file__).resolve().parent.parent)}), flush=True)
            continue
        started = time.perf_counter()
        answer = engine.search(SearchRequest(q=command["q"]))
        seconds = time.perf_counter() - started
        answer = {key: value for key, value in answer.items() if key != "took_ms"}
        # What a visitor sees of it: the count, the hits, the words searched and the spelling offered (a field the
        # response gained does not count).
        seen = [answer["total"], [hit["id"] for hit in answer["hits"]], answer["query"]["q"], answer.get("suggestion")]
        print(json.dumps({"seconds": seconds, "digest": _digest(answer), "seen": _digest(seen)}), flush=True)


def _digest(value: object) -> str:
    return hashlib.blake2b(json.dumps(value, sort_keys=True, default=str).encode(), digest_size=16).hexdigest()


class Side:
    """One checkout's searching process."""

    def __init__(self, checkout: Path, index_dir: Path) -> None:
        self.checkout = checkout
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(index_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(checkout)},
        )

    def ask(self, command: dict) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise SystemExit(f"the search process of {self.checkout} stopped")
        return json.loads(answer)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--baseline", type=Path, help="the other checkout (a git worktree)")
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline-index-dir", type=Path, help="the index the baseline searches (else --index-dir)")
    parser.add_argument("--queries-file", type=Path, help="the queries to search, one a line (else speed.py's)")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if args.index_dir is None or args.baseline is None:
        parser.error("--index-dir and --baseline are required")
    from common import percentile
    from query_time import build_once
    from speed import load_vntc, make_queries

    records = load_vntc(args.docs)
    build_once(args.index_dir, records)
    if args.queries_file is not None:
        queries = [line.strip() for line in args.queries_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        queries = make_queries(records, args.queries)
    if args.baseline_index_dir is not None and not (args.baseline_index_dir / "CURRENT").exists():
        parser.error(f"{args.baseline_index_dir} holds no index: build it with the baseline's code (see above)")
    baseline_index = args.baseline_index_dir or args.index_dir
    sides = {"this": Side(ROOT, args.index_dir), "baseline": Side(args.baseline.resolve(), baseline_index)}
    times: dict[str, list[list[float]]] = {name: [[] for _ in queries] for name in sides}
    differ: collections.Counter[str] = collections.Counter()  # the queries answered differently, in order: rounds
    seen_differ: collections.Counter[str] = collections.Counter()  # ... those whose visitor sees a difference
    try:
        for round_number in range(args.rounds):
            for side in sides.values():
                package = side.ask({"open": True})["package"]
                if Path(package) != side.checkout:  # an installed package found before the checkout's
                    raise SystemExit(f"{side.checkout}'s search process imported search_service from {package}")
                side.ask({"q": queries[0]})  # opens the index and reads the vocabulary, left out as speed.py does
            for number, query in enumerate(queries):
                order = list(sides) if (number + round_number) % 2 == 0 else list(reversed(sides))
                digests, seen = set(), set()
                for name in order:
                    answer = sides[name].ask({"q": query})
                    times[name][number].append(answer["seconds"])
                    digests.add(answer["digest"])
                    seen.add(answer["seen"])
                if len(digests) > 1:
                    differ[query] += 1
                if len(seen) > 1:
                    seen_differ[query] += 1
    finally:
        for side in sides.values():
            side.close()
    medians = {name: [statistics.median(each) for each in runs] for name, runs in times.items()}
    for name, each in medians.items():
        print(
            f"{name:8s} {sides[name].checkout}: median {statistics.median(each) * 1000:.2f} ms   "
            f"p90 {percentile(each, 0.9) * 1000:.2f} ms   p99 {percentile(each, 0.99) * 1000:.2f} ms"
        )
    ratio = statistics.median(medians["this"]) / statistics.median(medians["baseline"])
    each_ratio = statistics.median(a / b for a, b in zip(medians["this"], medians["baseline"], strict=True))
    print(
        f"this / baseline: medians {ratio:.3f}, per query (median) {each_ratio:.3f}; "
        f"answers differing {sum(differ.values())} of {len(queries) * args.rounds}, "
        f"in what a visitor sees (count, hits, words searched, spelling offered) {sum(seen_differ.values())}"
    )
    for label, queries_differing in (("answered differently", differ), ("seen differently", seen_differ)):
        if queries_differing:
            shown = list(queries_differing)[:SHOWN]
            more = f" (and {len(queries_differing) - SHOWN} more)" if len(queries_differing) > SHOWN else ""
            print(f"{label} ({len(queries_differing)} queries): " + ", ".join(map(repr, shown)) + more)


if __name__ == "__main__":
    main()
