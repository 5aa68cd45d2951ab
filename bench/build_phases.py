"""Where a build's time goes: a fresh `index build` of the first N VNTC articles, its steps timed apart.

    python bench/build_phases.py --docs 21000                 # the build, by step
    python bench/build_phases.py --docs 3000 --writer         # and one segment written by each postings pool

The build runs `indexer.build` (as `index build --fresh` does, every core) with its steps wrapped in timers: the
time the parent waits to hand articles to the workers (the workers' analysis and writing), the wait for their last
segments, the merge of the segments, the vocabulary (when the parent reads it itself), reading and hashing the
sources. It prints the articles per second, the CPU time of the parent and of its children (the workers, and the
process that reads a fresh build's vocabulary beside the merge), the largest resident memory of the parent and of
any child, and the index's size. To compare two versions of the code, run it with each on PYTHONPATH in turn
(`PYTHONPATH=/tmp/base python bench/build_phases.py ...`), alternating, since this machine's speed drifts.

--writer also writes the same analysed articles into one segment in this process, once through Whoosh's own
`PostingPool` (a tuple per posting, sorted, spilled to disk in runs past 128 MB) and once through the build
workers' `writing.TermPool`, with the same codec, and prints the time per article of adding the documents and of
finishing the segment for each, and whether the two segments' posting lists are the same bytes.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from speed import load_vntc

from search_service import indexer
from search_service.schema import TEXT_FIELDS, build_schema, document
from search_service.sources import Article

STEPS = {
    "_put": "handing articles to the workers (their analysis and writing)",
    "finish": "waiting for the workers' last segments",
    "merge_segments": "merging the segments",
    "save_vocabulary": "the vocabulary, read by the parent",
    "read": "reading the sources",
    "fingerprint": "hashing the articles",
}


def timed(spent: dict[str, float], name: str, function: Any) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    return wrapper


def timed_iterator(spent: dict[str, float], name: str, function: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        iterator = function(*args, **kwargs)
        while True:
            started = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
            yield item

    return wrapper


def build(records: list[dict], work: Path) -> None:
    source = work / "articles.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    spent: dict[str, float] = {}
    indexer.ParallelWriters._put = timed(spent, "_put", indexer.ParallelWriters._put)
    indexer.ParallelWriters.finish = timed(spent, "finish", indexer.ParallelWriters.finish)
    for name in ("merge_segments", "save_vocabulary", "fingerprint"):
        setattr(indexer, name, timed(spent, name, getattr(indexer, name)))
    indexer.read = timed_iterator(spent, "read", indexer.read)
    started = time.perf_counter()
    report = indexer.build(work / "index", [source], mapping={"text": "body"}, fresh=True)
    elapsed = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (work / "index").rglob("*") if p.is_file() and "segcache" not in p.name)
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"build: {report.indexed} articles in {elapsed:.1f} s, {report.indexed / elapsed:.1f} articles/s")
    for name, what in STEPS.items():
        seconds = spent.get(name, 0.0)
        print(f"  {what:60s} {seconds:7.1f} s  {1000 * seconds / report.indexed:6.2f} ms/article")
    print(f"  {'the rest':60s} {elapsed - sum(spent.values()):7.1f} s")
    print(
        f"CPU: parent {me.ru_utime + me.ru_stime:.1f} s, workers {workers.ru_utime + workers.ru_stime:.1f} s; "
        f"largest resident: parent {me.ru_maxrss / 1024:.0f} MB, "
        f"a child (a worker, or the vocabulary's process) {workers.ru_maxrss / 1024:.0f} MB"
    )
    print(f"index: {size / 1e6:.1f} MB")


def writers(records: list[dict], work: Path) -> None:
    from whoosh import index as whoosh_index
    from whoosh.reading import SegmentReader
    from whoosh.writing import SegmentWriter

    from search_service.whoosh_ext import writing

    if not hasattr(writing, "TermPool"):
        print("--writer: this code has no TermPool")
        return
    articles = [Article(id=str(n), title=r["title"], body=r["text"]) for n, r in enumerate(records) if r["title"]]
    uncached = {name: (b"", None) for name in TEXT_FIELDS}
    analysed = [indexer._analyse_article(a, {n: k for n, k in uncached.items() if getattr(a, n)})[0] for a in articles]
    found = []
    for name in ("Whoosh's PostingPool", "TermPool"):
        folder = work / name.split("'")[0]
        folder.mkdir()
        whoosh_index.create_in(str(folder), build_schema())
        if name == "TermPool":
            writer = writing.segment_writer(str(folder), 128)
        else:
            writer = SegmentWriter(whoosh_index.open_dir(str(folder)), _lk=False, codec=writing.CODEC, limitmb=128)
        started = time.perf_counter()
        for article, fields in zip(articles, analysed, strict=True):
            writer.add_document(**document(article, fields))
            if name == "TermPool":
                writer.pool.full()
        added = time.perf_counter()
        segment = writing.finish_segment(writer)
        finished = time.perf_counter()
        print(
            f"one segment, {name:20s} adding {1000 * (added - started) / len(articles):5.2f} ms/article, "
            f"finishing {1000 * (finished - added) / len(articles):5.2f} ms/article"
        )
        ix = whoosh_index.open_dir(str(folder))
        reader = SegmentReader(ix.storage, ix.schema, segment)
        lists = {}
        for key, info in reader._terms.items():
            offset, length = info.extent()
            lists[key] = reader._terms._postfile.get(offset, length[0] if isinstance(length, tuple) else length)
        reader.close()
        found.append(lists)
    print(f"the same posting lists, byte for byte: {found[0] == found[1]} ({len(found[0])} terms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--writer", action="store_true", help="also one segment written by each postings pool")
    args = parser.parse_args()
    records = load_vntc(args.docs)
    with tempfile.TemporaryDirectory() as work:
        if args.writer:
            (Path(work) / "writer").mkdir()
            writers(records, Path(work) / "writer")
        (Path(work) / "build").mkdir()
        build(records, Path(work) / "build")


if __name__ == "__main__":
    main()
