"""Speed: indexing next to the tokenizer's limit, query time next to FTS5 and stock Whoosh, serving under load,
footprint. All figures side by side from one run.

    python bench/speed.py [--docs N] [--queries 1000] [--seconds 20] [--tokenize-every 5]

On the VNTC corpus (train + test, 84,132 articles; --docs N for the first N):
  indexing   a full `index build` (articles/s) next to underthesea.word_tokenize alone, one process, on the title
             and text of every k-th article (--tokenize-every); a rebuild of the unchanged corpus; `index add` of
             1 % of the articles, changed
  queries    --queries portal-style queries (2-5 words from titles, half typed without diacritics): median, p95 and
             p99 of the in-process search the API performs (top 10, snippets, facets), every search computed (no
             result cache), next to SQLite FTS5 (unicode61 remove_diacritics 2, BM25, snippet()), stock Whoosh
             (StandardAnalyzer) and tantivy (lower-case, ASCII folding; a benchmark-only dependency) on the same
             queries; then a Zipf-like log of the same queries with the result cache on: time and hit rate
  serving    `search-service serve` with 2 workers (and 1, for the ratio), driven from this process at
             concurrency 1, 8 and 32 for --seconds each: requests/s, median and p99 latency, errors; /api/suggest
             at concurrency 8 beside /healthz at concurrency 8 (an answer that costs the app nothing: what
             gunicorn, Flask and this process's clients take), and at 50/s (visitors typing) while 6 clients
             search from another process
  footprint  index size next to the FTS5 database, peak memory of the indexer and of one serving worker, time from
             process start to the first answered query
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import random
import re
import resource
import sqlite3
import statistics
import tempfile
import time
import unicodedata
import urllib.parse
from pathlib import Path

from common import DATA, Server, drive, driven_elsewhere, paced, percentile

from search_service import indexer
from search_service.analysis import analyze
from search_service.config import resolve_jobs
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def load_vntc(limit: int | None) -> list[dict]:
    records = []
    for name in ("vntc_train.jsonl.gz", "vntc_test.jsonl.gz"):
        with gzip.open(DATA / "vntc" / name, "rt", encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle)
    return records[:limit] if limit else records


def make_queries(records: list[dict], count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    titles = [r["title"] for r in records if len(r["title"].split()) >= 5]
    queries = []
    while len(queries) < count:
        words = re.findall(r"[^\W\d_]+", rng.choice(titles))
        if len(words) < 5:
            continue
        length = rng.randint(2, 5)
        start = rng.randrange(0, len(words) - length + 1)
        query = " ".join(words[start : start + length])
        queries.append(fold(query.lower()) if len(queries) % 2 else query)
    return queries


def suggest_prefixes(queries: list[str]) -> list[str]:
    """What a visitor has typed of a query's first word when `/api/suggest` is asked: its first four letters."""
    return sorted({q.split()[0][:4] for q in queries})


def timed(function, items) -> list[float]:
    timings = []
    for item in items:
        started = time.perf_counter()
        function(item)
        timings.append(time.perf_counter() - started)
    return timings


def describe(timings: list[float]) -> str:
    return (
        f"median {statistics.median(timings) * 1000:7.2f} ms   p95 {percentile(timings, 0.95) * 1000:7.2f} ms   "
        f"p99 {percentile(timings, 0.99) * 1000:7.2f} ms"
    )


def fts5_database(path: Path, records: list[dict]) -> sqlite3.Connection:
    """An SQLite FTS5 table of the records' titles and texts (unicode61 remove_diacritics 2), written to ``path``."""
    db = sqlite3.connect(str(path))
    db.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", [(r["id"], r["title"], r["text"]) for r in records])
    db.commit()
    return db


def tantivy_engine(folder: Path, records: list[dict]):
    """tantivy (benchmark only) on the same articles: title and body, lower-cased and folded to ASCII; a search
    function (top 10 by BM25 with a body snippet) and the build's seconds."""
    import tantivy

    folding = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="folded")
    builder.add_text_field("body", stored=True, tokenizer_name="folded")
    schema = builder.build()
    folder.mkdir()
    index = tantivy.Index(schema, path=str(folder))
    index.register_tokenizer("folded", folding)
    started = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=resolve_jobs(0))
    for r in records:
        writer.add_document(tantivy.Document(id=r["id"], title=r["title"], body=r["text"]))
    writer.commit()
    writer.wait_merging_threads()
    build_seconds = time.perf_counter() - started
    index.reload()
    searcher = index.searcher()

    def search(q: str):
        query = index.parse_query_lenient(q, ["title", "body"])[0]
        snippets = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
        found = []
        for _, address in searcher.search(query, 10).hits:
            doc = searcher.doc(address)
            found.append((doc["id"][0], snippets.snippet_from_doc(doc).to_html()))
        return found

    return search, build_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--tokenize-every", type=int, default=5)
    args = parser.parse_args()
    records = load_vntc(args.docs)
    queries = make_queries(records, args.queries)
    print(f"machine: {platform.machine()}, {resolve_jobs(0)} cores, Python {platform.python_version()}")
    print(f"corpus: {len(records)} VNTC articles; {len(queries)} queries")

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        source = work / "vntc.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        index_dir = work / "index"

        # --- indexing ---------------------------------------------------------------------------------------
        report = indexer.build(index_dir, [source], jobs=0, mapping={"text": "body"})
        indexer_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rebuild = indexer.build(index_dir, [source], jobs=0, mapping={"text": "body"})
        changed = [dict(r, text=r["text"] + " Cập nhật lúc 10 giờ.") for r in records[::100] if r["title"].strip()]
        update = work / "changed.jsonl"
        update.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in changed), encoding="utf-8")
        added = indexer.add(index_dir, [update], jobs=0, mapping={"text": "body"})

        from underthesea import word_tokenize

        word_tokenize("khởi động")
        sample = records[:: args.tokenize_every]
        tokenize_seconds = sum(timed(lambda r: (word_tokenize(r["title"]), word_tokenize(r["text"])), sample))
        tokenize_rate = len(sample) / tokenize_seconds
        # The indexer's own analysis (syllables, and underthesea's words from the model's weight tables), alone.
        analyze("khởi động", fast=True)
        analysis_seconds = sum(timed(lambda r: (analyze(r["title"], fast=True), analyze(r["text"], fast=True)), sample))
        print("\n## Indexing")
        print(
            f"full build           {report.indexed:6d} articles  {report.elapsed:8.1f} s  {report.rate:7.1f} articles/s"
        )
        print(
            f"word_tokenize alone  {len(sample):6d} articles  {tokenize_seconds:8.1f} s  "
            f"{tokenize_rate:7.1f} articles/s"
            f"  (1 process, every {args.tokenize_every}th article)"
        )
        print(
            f"our analysis alone   {len(sample):6d} articles  {analysis_seconds:8.1f} s  "
            f"{len(sample) / analysis_seconds:7.1f} articles/s  (1 process, the same articles)"
        )
        print(f"build / word_tokenize: {report.rate / tokenize_rate:.2f}x (target >= 1.7x)")
        print(
            f"rebuild, unchanged   {rebuild.elapsed:8.1f} s: {report.elapsed / rebuild.elapsed:.1f}x faster than the "
            f"first build (target >= 10x)"
        )
        print(f"index add, 1% changed ({added.indexed + added.replaced} articles): {added.elapsed:.1f} s")

        # --- queries ----------------------------------------------------------------------------------------
        engine = SearchEngine(index_dir, result_cache_bytes=0)  # every search computed
        engine.search(SearchRequest(q="khởi động"))
        ours = timed(lambda q: engine.search(SearchRequest(q=q)), queries)
        engine.close()
        # A portal's query log repeats itself: searches drawn from the same queries with Zipf-like frequencies (the
        # k-th most frequent asked in proportion to 1/k), answered with the result cache on, as a worker does.
        rng = random.Random(11)
        weights = [1 / rank for rank in range(1, len(queries) + 1)]
        logged = rng.choices(queries, weights=weights, k=5 * len(queries))
        engine = SearchEngine(index_dir)
        engine.search(SearchRequest(q="khởi động"))
        cached = timed(lambda q: engine.search(SearchRequest(q=q)), logged)
        hit_rate = engine.results.hits / max(1, engine.results.hits + engine.results.misses)

        fts_path = work / "fts.db"
        db = fts5_database(fts_path, records)

        def fts(q: str):
            match = " OR ".join(f'"{t}"' for t in re.findall(r"\w+", q.lower()))
            return db.execute(
                "SELECT id, title, snippet(t, 2, '<mark>', '</mark>', '…', 20) FROM t WHERE t MATCH ? "
                "ORDER BY bm25(t) LIMIT 10",
                (match,),
            ).fetchall()

        fts_times = timed(fts, queries)

        from whoosh import index as whoosh_index
        from whoosh import qparser
        from whoosh.analysis import StandardAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        stock_dir = work / "stock"
        stock_dir.mkdir()
        schema = Schema(
            id=ID(stored=True),
            title=TEXT(analyzer=StandardAnalyzer(), stored=True),
            body=TEXT(analyzer=StandardAnalyzer(), stored=True),
        )
        stock = whoosh_index.create_in(str(stock_dir), schema)
        writer = stock.writer(limitmb=256)
        for r in records:
            writer.add_document(id=r["id"], title=r["title"], body=r["text"])
        writer.commit()
        stock_searcher = stock.searcher()
        stock_parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup)

        def stock_search(q: str):
            results = stock_searcher.search(stock_parser.parse(q), limit=10)
            return [(hit["id"], hit.highlights("body")) for hit in results]

        stock_times = timed(stock_search, queries)
        tantivy_search, tantivy_build = tantivy_engine(work / "tantivy", records)
        tantivy_times = timed(tantivy_search, queries)
        median = statistics.median(ours)
        print("\n## Query time (in process; top 10 with snippets; ours with facets too)")
        print(f"this project   {describe(ours)}   (target: median <= 20 ms, p99 <= 150 ms)")
        print(f"SQLite FTS5    {describe(fts_times)}")
        print(f"stock Whoosh   {describe(stock_times)}")
        print(f"tantivy        {describe(tantivy_times)}   (build {tantivy_build:.1f} s)")
        print(
            f"ours / stock Whoosh median: {median / statistics.median(stock_times):.2f}x (target <= 1); "
            f"ours / FTS5 median: {median / statistics.median(fts_times):.2f}x (target < 1); "
            f"ours / tantivy median: {median / statistics.median(tantivy_times):.1f}x (aim <= 15x); "
            f"our p99 / median: {percentile(ours, 0.99) / median:.1f}x"
        )
        print(
            f"result cache on, {len(logged)} searches of a Zipf-like log of the same queries: {describe(cached)}; "
            f"{hit_rate:.0%} answered from the cache"
        )
        engine.close()

        # --- serving ----------------------------------------------------------------------------------------
        paths = ["/api/search?" + urllib.parse.urlencode({"q": q}) for q in queries]
        prefixes = suggest_prefixes(queries)
        suggest_paths = ["/api/suggest?" + urllib.parse.urlencode({"q": p}) for p in prefixes]
        print("\n## Serving (gunicorn, driven from this process; the result cache off: every search computed)")
        rates = {}
        for workers in (1, 2):
            server = Server(index_dir, workers=workers, env={"SEARCH_SERVICE_RESULT_CACHE_MB": "0"})
            print(f"{workers} worker(s): first answered query {server.first_answer_seconds:.2f} s after start")
            for concurrency in (1, 8, 32) if workers == 2 else (8,):
                result = drive(server.port, paths, concurrency, args.seconds).summary()
                rates[(workers, concurrency)] = result["rps"]
                print(f"  search  concurrency {concurrency:2d}: {result}")
                if workers == 2 and concurrency == 1:
                    http_median = result["median_ms"]
            if workers == 2:
                print(f"  suggest concurrency  8: {drive(server.port, suggest_paths, 8, args.seconds).summary()}")
                floor = drive(server.port, ["/healthz"], 8, args.seconds).summary()
                print(f"  /healthz concurrency 8 (the serving stack alone): {floor}")
                with driven_elsewhere(server.port, paths, 6, args.seconds + 2) as searching:
                    time.sleep(1)
                    typing = paced(server.port, suggest_paths, 50, args.seconds).summary()
                print(f"  suggest at 50/s while 6 clients search: {typing}; the searches: {searching}")
                print(f"  worker resident memory: {', '.join(f'{mb:.0f} MB' for mb in server.worker_rss_mb())}")
            server.stop()
        server = Server(index_dir, workers=2)
        log_paths = ["/api/search?" + urllib.parse.urlencode({"q": q}) for q in logged]
        logged_load = drive(server.port, log_paths, 8, args.seconds).summary()
        print(f"2 workers, result cache on, the Zipf-like log at concurrency 8: {logged_load}")
        server.stop()
        print(
            f"HTTP median at concurrency 1 / in-process median: {http_median / (statistics.median(ours) * 1000):.2f}x "
            f"(target <= 1.5)"
        )
        print(
            f"requests/s with 2 workers / 1 worker at concurrency 8: {rates[(2, 8)] / rates[(1, 8)]:.2f}x "
            "(target >= 1.7)"
        )

        # --- footprint --------------------------------------------------------------------------------------
        details = indexer.info(index_dir)
        print("\n## Footprint")
        print(f"index {details['size_bytes'] / 1e6:.0f} MB; FTS5 database {fts_path.stat().st_size / 1e6:.0f} MB")
        print(
            f"indexer peak resident memory: main process {indexer_peak_mb:.0f} MB, "
            f"largest worker {children_peak_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
