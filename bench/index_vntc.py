"""Index a VNTC file with the real `index build`, next to underthesea.word_tokenize alone, in one run.

    python bench/index_vntc.py [--source ../shared/data/vntc/vntc_test.jsonl.gz] [--docs N] [--tokenize-every 10]

Prints the build's summary (articles indexed and skipped, elapsed, articles per second) and the throughput of
`underthesea.word_tokenize` alone, in this one process, on the title and text of every k-th article of the same
file (k = --tokenize-every; 1 tokenizes everything, which takes as long as a single-process build would).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import platform
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from search_service import indexer
from search_service.config import resolve_jobs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "vntc" / "vntc_test.jsonl.gz"


def read(path: Path, limit: int | None) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in itertools.islice(handle, limit)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--docs", type=int, default=None, help="only the first N articles")
    parser.add_argument("--tokenize-every", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()

    records = read(args.source, args.docs)
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "articles.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        index_dir = Path(work) / "index"
        try:
            report = indexer.build(index_dir, [source], jobs=args.jobs, mapping={"text": "body"})
        except indexer.NothingUsable as error:
            report = error.report
        details = indexer.info(index_dir)

    from underthesea import word_tokenize

    word_tokenize("khởi động mô hình")  # load the model outside the timing
    sample = records[:: args.tokenize_every]
    timings = []
    started = time.perf_counter()
    for record in sample:
        one = time.perf_counter()
        word_tokenize(record["title"])
        word_tokenize(record["text"])
        timings.append(time.perf_counter() - one)
    tokenize_seconds = time.perf_counter() - started
    tokenize_rate = len(sample) / tokenize_seconds

    print(f"machine: {platform.machine()}, {resolve_jobs(0)} cores, Python {platform.python_version()}")
    print(f"source: {args.source} ({len(records)} records)")
    print(
        f"build:   {report.indexed} indexed, {len(report.skipped)} skipped, "
        f"{report.elapsed:.1f} s, {report.rate:.1f} articles/s"
    )
    print(f"index:   {details['articles']} articles, {details['size_bytes'] / 1e6:.0f} MB")
    print(
        f"word_tokenize alone, 1 process, every {args.tokenize_every}th article ({len(sample)}): "
        f"{tokenize_rate:.1f} articles/s, median {statistics.median(timings) * 1000:.1f} ms/article"
    )
    print(f"build / word_tokenize throughput: {report.rate / tokenize_rate:.2f}x")
    reasons = Counter(re.sub(r"'[^']*'", "…", skipped.reason) for skipped in report.skipped)
    print(f"skipped by reason: {dict(reasons)}")


if __name__ == "__main__":
    main()
