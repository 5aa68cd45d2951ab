"""Relevance: this project against the baselines a Python developer would otherwise pick, in one run.

    python bench/relevance.py [--quick] [--sets vicov19qa,vietnews] [--systems this,fts5,whoosh,underthesea]

Systems (each builds its own index in a temporary folder):
  this         this project, through its real indexing (`indexer.build`) and the search API's own ranking
               (`SearchEngine.ranked_ids`: the same query building and searcher, without snippets and facets)
  fts5         SQLite FTS5, tokenize='unicode61 remove_diacritics 2', BM25, query terms OR-ed
  whoosh       stock Whoosh, StandardAnalyzer, MultifieldParser with OrGroup
  underthesea  stock Whoosh with a plain underthesea word tokenizer (lower-cased words), terms OR-ed

Sets (../shared/data, see its README):
  vicov19qa    UIT-ViCoV19QA: question → expert answer; all 4,000 questions against the 4,440 answers
  vietnews     VietNews known-item: title_query → article, indexing summary + body only; 2,000 queries

Each query is run three ways: as written, lower-cased, and lower-cased without diacritics (đ → d). Prints nDCG@10,
MRR@10 and Recall@100 per system, set and form, the build time and the median query time. --quick runs a slice
(a seeded random 500 of the ViCoV19QA questions against all answers; a seeded random 300 VietNews queries against
their targets plus 3,000 other articles).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import platform
import random
import re
import sqlite3
import statistics
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import qparser
from whoosh import query as Q
from whoosh.analysis import LowercaseFilter, StandardAnalyzer, Token, Tokenizer
from whoosh.fields import ID, TEXT, Schema

from search_service import indexer
from search_service.config import resolve_jobs
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
FORMS = ("as written", "lowercase", "no diacritics")
LENGTHS = (("up to 4", 1, 4), ("5-12", 5, 12), ("more than 12", 13, 10**6))  # a query's words


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def query_forms(text: str) -> dict[str, str]:
    return {"as written": text, "lowercase": text.lower(), "no diacritics": fold(text.lower())}


# --- data ---------------------------------------------------------------------------------------------------


def _slice(documents, queries, qrels, size: str):
    """--smoke: 30 queries against their answers and 300 other documents (a check that the script still works)."""
    if size != "smoke":
        return documents, queries, qrels
    queries = queries[:30]
    wanted = {d for qid, _ in queries for d in qrels[qid]}
    others = [d for d in documents if d["id"] not in wanted][:300]
    return [d for d in documents if d["id"] in wanted] + others, queries, qrels


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def read_qrels(path: Path) -> dict[str, set[str]]:
    """TREC qrels (`qid 0 docid relevance`): the relevant documents of each query."""
    qrels: dict[str, set[str]] = defaultdict(set)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            qid, _, docid, rel = line.split()
            if int(rel) > 0:
                qrels[qid].add(docid)
    return qrels


def load_vicov19qa(quick: bool):
    corpus = read_jsonl(DATA / "vicov19qa" / "corpus.jsonl")
    queries = read_jsonl(DATA / "vicov19qa" / "queries.jsonl")
    qrels = read_qrels(DATA / "vicov19qa" / "qrels.tsv")
    if quick:
        # A seeded random sample: the file is ordered by answer, and its first questions are not typical.
        queries = random.Random(2026).sample(queries, 500)
    documents = [{"id": d["id"], "title": d["id"], "body": d["text"]} for d in corpus]
    return documents, [(q["qid"], q["text"]) for q in queries], qrels


def load_vietnews(quick: bool):
    with gzip.open(DATA / "vietnews" / "vietnews_test.jsonl.gz", "rt", encoding="utf-8") as handle:
        articles = [json.loads(line) for line in handle]
    queries = read_jsonl(DATA / "vietnews" / "knownitem_queries.jsonl")
    qrels = read_qrels(DATA / "vietnews" / "knownitem_qrels.tsv")
    # Duplicates of the target also count.
    duplicates: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        if article.get("dup_of"):
            duplicates[article["dup_of"]].add(article["id"])
    for targets in qrels.values():
        for target in list(targets):
            targets |= duplicates[target]
    if quick:
        queries = random.Random(2026).sample(queries, 300)
        wanted = {d for q in queries for d in qrels[q["qid"]]}
        others = [a for a in articles if a["id"] not in wanted][:3000]
        articles = [a for a in articles if a["id"] in wanted] + others
    # Protocol: title → article indexes summary + body only. The title field holds the id (required by the
    # article form; it never matches a query).
    documents = [{"id": a["id"], "title": a["id"], "summary": a["summary"], "body": a["body"]} for a in articles]
    return documents, [(q["qid"], q["title_query"]) for q in queries], qrels


# --- systems ------------------------------------------------------------------------------------------------


class ThisProject:
    name = "this"

    def build(self, documents: list[dict], folder: Path) -> None:
        source = folder / "articles.jsonl"
        source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
        indexer.build(folder / "index", [source], jobs=0)
        self.engine = SearchEngine(folder / "index")

    def search(self, text: str, limit: int = 100) -> list[str]:
        return self.engine.ranked_ids(SearchRequest(q=text[:500]), limit)


def _fts5_query(text: str) -> str:
    tokens = re.findall(r"\w+", text.lower())
    return " OR ".join(f'"{t}"' for t in tokens)


class FTS5:
    name = "fts5"

    def build(self, documents: list[dict], folder: Path) -> None:
        self.db = sqlite3.connect(str(folder / "fts.db"))
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, text, tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO t VALUES (?, ?)",
            [(d["id"], " ".join(d.get(f, "") for f in ("summary", "body"))) for d in documents],
        )
        self.db.commit()

    def search(self, text: str, limit: int = 100) -> list[str]:
        match = _fts5_query(text)
        if not match:
            return []
        rows = self.db.execute("SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match, limit))
        return [row[0] for row in rows]


class StockWhoosh:
    name = "whoosh"

    def analyzer(self):
        return StandardAnalyzer()

    def build(self, documents: list[dict], folder: Path) -> None:
        schema = Schema(id=ID(stored=True), summary=TEXT(analyzer=self.analyzer()), body=TEXT(analyzer=self.analyzer()))
        self.index = whoosh_index.create_in(str(folder), schema)
        writer = self.index.writer(limitmb=256)
        for d in documents:
            writer.add_document(id=d["id"], summary=d.get("summary", ""), body=d.get("body", ""))
        writer.commit()
        self.searcher = self.index.searcher()
        self.parser = qparser.MultifieldParser(["summary", "body"], schema, group=qparser.OrGroup)

    def parse(self, text: str) -> Q.Query:
        return self.parser.parse(text)

    def search(self, text: str, limit: int = 100) -> list[str]:
        return [hit["id"] for hit in self.searcher.search(self.parse(text), limit=limit)]


class UnderstheseaTokenizer(Tokenizer):
    """underthesea.word_tokenize, one token per word: what a first version of this product would do."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        from underthesea import word_tokenize

        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, word in enumerate(word_tokenize(value)):
            if not any(c.isalnum() for c in word):
                continue
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + position
            yield token


class UnderstheseaWhoosh(StockWhoosh):
    name = "underthesea"

    def analyzer(self):
        return UnderstheseaTokenizer() | LowercaseFilter()

    def parse(self, text: str) -> Q.Query:
        terms = {t.text for t in self.analyzer()(text)}
        return Q.Or([Q.Term(field, t) for t in terms for field in ("summary", "body")])


SYSTEMS: dict[str, Callable] = {
    "this": ThisProject,
    "fts5": FTS5,
    "whoosh": StockWhoosh,
    "underthesea": UnderstheseaWhoosh,
}
SETS = {"vicov19qa": load_vicov19qa, "vietnews": load_vietnews}


# --- metrics ------------------------------------------------------------------------------------------------


def metrics(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    mrr = next((1 / (i + 1) for i, d in enumerate(ranked[:10]) if d in relevant), 0.0)
    recall = len(set(ranked[:100]) & relevant) / len(relevant) if relevant else 0.0
    return (dcg / ideal if ideal else 0.0), mrr, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="a tiny slice, for CI: does the script still work")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    rows = []  # figures unrounded; rounded once, where they are written out
    print(f"machine: {platform.machine()}, {resolve_jobs(0)} cores, Python {platform.python_version()}")
    for set_name in args.sets.split(","):
        documents, queries, qrels = _slice(*SETS[set_name](args.quick or args.smoke), "smoke" if args.smoke else "")
        print(f"\n{set_name}: {len(documents)} documents, {len(queries)} queries")
        for system_name in args.systems.split(","):
            system = SYSTEMS[system_name]()
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                system.build(documents, Path(folder))
                build_seconds = time.perf_counter() - started
                for form in FORMS:
                    scores, timings = [], []
                    for qid, text in queries:
                        one = time.perf_counter()
                        ranked = system.search(query_forms(text)[form])
                        timings.append(time.perf_counter() - one)
                        scores.append(metrics(ranked, qrels[qid]))
                    ndcg, mrr, recall = (statistics.fmean(s[i] for s in scores) for i in range(3))
                    by_length = {}
                    for bucket, low, high in LENGTHS:
                        these = [
                            s[0]
                            for (_, text), s in zip(queries, scores, strict=True)
                            if low <= len(text.split()) <= high
                        ]
                        if these:
                            by_length[bucket] = (len(these), statistics.fmean(these))
                    row = {
                        "set": set_name,
                        "system": system_name,
                        "form": form,
                        "ndcg10": ndcg,
                        "mrr10": mrr,
                        "recall100": recall,
                        "build_s": round(build_seconds, 1),
                        "median_query_ms": round(statistics.median(timings) * 1000, 2),
                        "ndcg10_by_words": by_length,
                    }
                    rows.append(row)
                    print(
                        f"  {system_name:<12} {form:<14} nDCG@10 {ndcg:.3f}  MRR@10 {mrr:.3f}  R@100 {recall:.3f}  "
                        f"build {build_seconds:7.1f} s  median query {row['median_query_ms']:7.2f} ms",
                        flush=True,
                    )
    print("\n| set | system | query form | nDCG@10 | MRR@10 | Recall@100 | build s | median query ms |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['set']} | {row['system']} | {row['form']} | {row['ndcg10']:.3f} | {row['mrr10']:.3f} | "
            f"{row['recall100']:.3f} | {row['build_s']} | {row['median_query_ms']} |"
        )
    print()
    ndcgs = {(row["set"], row["system"], row["form"]): row["ndcg10"] for row in rows}
    for (set_name, system_name, form), ndcg in ndcgs.items():
        if form == "no diacritics" and (set_name, system_name, "as written") in ndcgs:
            written = ndcgs[set_name, system_name, "as written"]
            loss = 1 - ndcg / written if written else 0.0
            below = f"{100 * loss:.1f} % below as written"
            print(f"{set_name} {system_name}: without diacritics nDCG@10 {below} (target <= 5 %)")
    print("\nnDCG@10 by the query's length in words: as written, without diacritics, and their ratio (target >= 97 %)")
    for row in rows:
        if row["form"] != "no diacritics" or (row["set"], row["system"], "as written") not in ndcgs:
            continue
        written = next(
            r for r in rows if (r["set"], r["system"], r["form"]) == (row["set"], row["system"], "as written")
        )
        for bucket, (count, bare) in row["ndcg10_by_words"].items():
            accented = written["ndcg10_by_words"][bucket][1]
            ratio = f"{bare / accented:6.1%}" if accented else "   —"
            where = f"{row['set']} {row['system']} {bucket:>12} words ({count:4d} queries)"
            print(f"  {where}: {accented:.3f}  {bare:.3f}  {ratio}")
    if args.json:
        figures = ("ndcg10", "mrr10", "recall100")
        rounded = [
            {
                key: round(value, 4) if key in figures else value
                for key, value in row.items()
                if key != "ndcg10_by_words"
            }
            for row in rows
        ]
        args.json.write_text(json.dumps(rounded, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
