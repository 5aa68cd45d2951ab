"""Building, updating and deleting articles over the store's generations, with one analysis pipeline.

A build writes a new generation (``store``) and switches to it when it is complete; ``add`` and ``delete`` commit to
the live one. Articles are analysed (normalised, split into syllables, segmented into words by underthesea) and
written in worker processes, with the segmentation cache in front of underthesea: a text already seen is never
segmented again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import queue
import shutil
import sqlite3
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher

from . import store
from .analysis import ANALYSIS_VERSION, SEGMENTATION_VERSION, AnalyzedText, analyze
from .config import resolve_jobs
from .database import DatabaseSource, changed_since, describe, expand, read, scalar_and_ids
from .errors import IndexNotFound, IndexWriteError, SourceError
from .schema import FINGERPRINT_SIZE, TEXT_FIELDS, build_schema, document, fingerprint, fingerprint_id
from .sources import Article, Record
from .vocabulary import build_vocabulary, save_vocabulary, saved_vocabulary, write_vocabulary
from .whoosh_ext.codec import CODEC
from .whoosh_ext.writing import (
    commit_segments,
    finish_segment,
    merge_segments,
    segment_writer,
    unreferenced,
    written_in_this_format,
)

CACHE_FILE = "segcache.sqlite"
BATCH_SIZE = 512
PARALLEL_BATCH = 32  # articles a build worker takes at a time: small, so the workers finish together

log = logging.getLogger("search_service.indexer")


@dataclass
class Skipped:
    where: str
    reason: str


@dataclass
class IndexReport:
    """What an indexing command did, for its summary line."""

    indexed: int = 0
    replaced: int = 0
    deleted: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    repaired: list[Skipped] = field(default_factory=list)  # indexed after a reported change (a text cut)
    unknown_keys: set[str] = field(default_factory=set)
    elapsed: float = 0.0
    segmented: int = 0  # texts segmented by underthesea (the rest came from the cache)
    # Articles kept from the live index as they were: by a rebuild (counted in ``indexed`` too), or given again to
    # ``add`` unchanged (counted nowhere else: nothing was written).
    unchanged: int = 0
    generation: str = ""

    @property
    def rate(self) -> float:
        return (self.indexed + self.replaced) / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0 all good, 1 some records skipped or repaired, 2 nothing usable."""
        if not self.skipped and not self.repaired:
            return 0
        return 1 if self.indexed + self.replaced + self.deleted else 2


ProgressCallback = Callable[[int], None]


# --- the segmentation cache ---------------------------------------------------------------------------------


class SegmentationCache:
    """underthesea's word spans for each text already seen, keyed by a hash of the text and the segmentation
    version (``analysis.SEGMENTATION_VERSION``)."""

    def __init__(self, path: Path):
        self.connection = sqlite3.connect(str(path))
        self.connection.execute("CREATE TABLE IF NOT EXISTS spans (key BLOB PRIMARY KEY, spans BLOB NOT NULL)")
        self.pending: list[tuple[bytes, bytes]] = []

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(
            (SEGMENTATION_VERSION + "\0" + text).encode("utf-8", "surrogatepass"), digest_size=16
        ).digest()

    def lookup(self, keys: list[bytes]) -> dict[bytes, list[tuple[int, int]]]:
        found: dict[bytes, list[tuple[int, int]]] = {}
        unique = list(set(keys))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            rows = self.connection.execute(
                f"SELECT key, spans FROM spans WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            for key, blob in rows:
                numbers = array("I")
                numbers.frombytes(blob)
                found[key] = list(zip(numbers[0::2], numbers[1::2], strict=True))
        return found

    def add(self, key: bytes, spans: list[tuple[int, int]]) -> None:
        self.pending.append((key, array("I", [n for span in spans for n in span]).tobytes()))
        if len(self.pending) >= 2000:
            self.flush()

    def flush(self) -> None:
        """Write the pending spans; the cache only saves time, so a failure to write it (a full disk) is a warning."""
        if self.pending:
            try:
                with self.connection:
                    self.connection.executemany("INSERT OR REPLACE INTO spans VALUES (?, ?)", self.pending)
            except sqlite3.Error as error:
                log.warning("could not save %d segmentations in the cache: %s", len(self.pending), error)
            self.pending.clear()

    def close(self) -> None:
        self.flush()
        self.connection.close()


# --- what a rebuild can keep ------------------------------------------------------------------------------------

MAX_SEGMENTS = 8  # a rebuild that keeps the old segments merges the small ones beyond this many


def _reusable(root: Path) -> tuple[Path, dict[str, bytes]] | None:
    """The live generation and its articles' fingerprints by id, when a rebuild can start from it."""
    generation = store.current_generation(root)
    if generation is None or store.analysed_otherwise(generation, ANALYSIS_VERSION) is not None:
        return None
    try:
        index = store.open_index(root)
        if sorted(index.schema.names()) != sorted(build_schema().names()):
            return None
        if not written_in_this_format(index):
            log.info("not reusing %s: written in an older posting format", generation.name)
            return None
        fingerprints: dict[str, bytes] = {}
        with index.reader() as reader:
            column = reader.column_reader("fingerprint")
            for docnum in reader.all_doc_ids():
                value = column[docnum]
                if len(value) > FINGERPRINT_SIZE:
                    fingerprints[fingerprint_id(value)] = value[:FINGERPRINT_SIZE]
    except Exception as error:  # an unreadable live index is simply not reused: the build starts afresh
        log.warning("not reusing %s: %s", generation.name, error)
        return None
    return generation, fingerprints


# --- the one pipeline: analysis and writing, in worker processes -------------------------------------------


def _worker_start(lock_fd: int | None) -> None:
    """A worker must not outlive the indexer nor keep its write lock (a forked child shares the lock)."""
    if lock_fd is not None:
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    with contextlib.suppress(OSError, AttributeError):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the line above ran
        os._exit(1)


Spans = list[tuple[int, int]]
Known = dict[str, tuple[bytes, Spans | None]]  # per text field: its cache key, and its cached word spans if any


def _known_spans(cache: SegmentationCache | None, articles: list[Article]) -> list[Known]:
    """For each article, each text field's cache key with the word spans the cache already holds for it."""
    keys = [
        {name: SegmentationCache.key(getattr(a, name)) for name in TEXT_FIELDS if getattr(a, name)} for a in articles
    ]
    found = cache.lookup([k for ks in keys for k in ks.values()]) if cache is not None else {}
    return [{name: (key, found.get(key)) for name, key in ks.items()} for ks in keys]


def _analyse_article(article: Article, known: Known) -> tuple[dict[str, AnalyzedText], list[tuple[bytes, Spans]]]:
    """An article's text fields analysed, reusing cached spans; and the spans computed anew, for the cache."""
    analysed: dict[str, AnalyzedText] = {}
    computed: list[tuple[bytes, Spans]] = []
    for name, (key, spans) in known.items():
        analysed[name] = analyze(getattr(article, name), spans=spans, fast=True)
        if spans is None:
            computed.append((key, analysed[name].words))
    return analysed, computed


class VocabularyBeside:
    """A fresh build's vocabulary, read from the workers' segments in a process of its own while the parent merges
    and commits them (``build_vocabulary`` over those segments, in the order the merge takes them, reads what it
    reads from the merged segment: document frequencies add up, and articles come in the same order). It is saved for
    the table of contents the commit will write.

    A build's last steps otherwise run one after the other on one core: the merge, then the vocabulary read back
    from the merged index.
    """

    def __init__(self, generation: Path, index: whoosh_index.Index, segments: list[Any], lock: Any = None) -> None:
        context = multiprocessing.get_context("fork")
        self.toc_generation = index.latest_generation() + 1
        opened = context.Event()
        lock_fd = lock.fileno() if lock is not None else None
        self.process = context.Process(
            target=_save_segments_vocabulary,
            args=(str(generation), segments, self.toc_generation, lock_fd, opened),
            daemon=True,
        )
        self.process.start()
        # The commit deletes the workers' segment files: the process must have them open first.
        while not opened.wait(0.05) and self.process.is_alive():
            pass

    def saved(self, index: whoosh_index.Index) -> bool:
        """Wait for the process; whether it saved the vocabulary of the index as committed."""
        self.process.join()
        if self.process.exitcode == 0 and index.latest_generation() == self.toc_generation:
            return True
        log.warning("the vocabulary was not read beside the merge; reading it from the index")
        return False

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _save_segments_vocabulary(generation: str, segments: list[Any], toc_generation: int, lock_fd: Any, opened: Any):
    """``VocabularyBeside``'s process."""
    _worker_start(lock_fd)
    try:
        index = whoosh_index.open_dir(generation)
        readers = [SegmentReader(index.storage, index.schema, segment) for segment in segments]
        opened.set()
        with Searcher(readers[0] if len(readers) == 1 else MultiReader(readers)) as searcher:
            write_vocabulary(Path(generation), build_vocabulary(searcher), toc_generation)
    except Exception as error:  # the parent reads the vocabulary from the index instead
        log.warning("could not read the vocabulary beside the merge: %s", error)
        raise SystemExit(1) from None


class WorkerFailed(Exception):
    """A segment writer process stopped without finishing its segment."""


def _segment_writer(generation: str, lock_fd: int | None, jobs: Any, results: Any, limitmb: int) -> None:
    """Worker process: analyse articles and write them into a Whoosh segment of its own.

    Each worker owns a ``SegmentWriter`` (as ``whoosh.multiproc`` does), so segmentation *and* Whoosh's own
    indexing work run on every core; the parent only reads the sources and adds the finished segments to the index.
    Per batch the worker returns the word spans it had to compute, for the parent's segmentation cache. When its
    postings reach ``limitmb`` the worker finishes its segment, sends it, and starts another.
    """
    _worker_start(lock_fd)
    try:
        writer = segment_writer(generation, limitmb)
        while (job := jobs.get()) is not None:
            articles, known = job
            computed: list[tuple[bytes, Spans]] = []
            for article, article_known in zip(articles, known, strict=True):
                analysed, new_spans = _analyse_article(article, article_known)
                computed.extend(new_spans)
                writer.add_document(**document(article, analysed))
                if writer.pool.full():
                    results.put(("part", 0, finish_segment(writer)))
                    writer = segment_writer(generation, limitmb)
            results.put(("batch", len(articles), computed))
        results.put(("segment", 0, finish_segment(writer)))
    except BaseException as error:  # the parent re-raises it: a full disk must read as a full disk
        results.put(("error", 0, error))


class ParallelWriters:
    """Articles analysed and written by ``jobs`` worker processes, each into a segment of its own: the one pipeline of
    ``build`` (into a new generation) and ``add`` (into the live one).

    The parent sends batches (with the cached word spans it found), collects the new spans for the cache, and at
    the end merges the workers' segments into one, a posting list's blocks at a time (``writing.merge_segments``: a
    search looks up and reads each of its words once per segment), and commits it — what
    ``whoosh.multiproc.MpWriter`` does, with the analysis in the same processes and a merge that copies blocks.
    """

    def __init__(self, generation: Path, jobs: int, cache: SegmentationCache, lock=None, limitmb: int = 256):
        self.generation = generation
        self.cache = cache
        self.segmented = 0
        context = multiprocessing.get_context("fork")
        self.jobs = context.Queue(jobs * 2)
        self.results = context.Queue()
        lock_fd = lock.fileno() if lock is not None else None
        self.workers = [
            context.Process(
                target=_segment_writer,
                args=(str(generation), lock_fd, self.jobs, self.results, limitmb),
                daemon=True,
            )
            for _ in range(jobs)
        ]
        for worker in self.workers:
            worker.start()
        self.pending = 0  # batches sent and not yet reported back
        self.segments: list[Any] = []
        self.finished = 0

    def add(self, articles: list[Article]) -> int:
        """Queue articles; return how many articles earlier batches have finished meanwhile."""
        done = 0
        for start in range(0, len(articles), PARALLEL_BATCH):
            done += self._send(articles[start : start + PARALLEL_BATCH])
        return done

    def _send(self, articles: list[Article]) -> int:
        done = self._put((articles, _known_spans(self.cache, articles)))
        self.pending += 1
        return done + self._collect(block=False)

    def _put(self, job: Any) -> int:
        """Queue a job, taking the workers' reports while the queue is full (a failed worker raises here)."""
        done = 0
        while True:
            try:
                self.jobs.put(job, timeout=0.5)
                return done
            except queue.Full:
                done += self._collect(block=False)

    def _collect(self, block: bool) -> int:
        """Take the workers' reports; ``block``: until every batch and every segment is in."""
        done = 0
        while not (block and self.pending == 0 and self.finished == len(self.workers)):
            try:
                kind, count, payload = self.results.get(timeout=0.5 if block else 0.01)
            except queue.Empty:
                if any(worker.exitcode not in (None, 0) for worker in self.workers):
                    raise WorkerFailed("an indexing process stopped unexpectedly") from None
                if block:
                    continue
                return done
            if kind == "error":
                raise payload
            if kind == "batch":
                self.pending -= 1
                done += count
                self.segmented += len(payload)
                for key, spans in payload:
                    self.cache.add(key, spans)
            elif kind == "part":  # a worker's full segment; it goes on with another
                self.segments.append(payload)
            else:
                self.finished += 1
                if payload is not None:
                    self.segments.append(payload)
        return done

    def finish(self) -> int:
        """Wait for every batch and segment; return how many articles the last batches added."""
        done = sum(self._put(None) for _ in self.workers)
        done += self._collect(block=True)
        for worker in self.workers:
            worker.join()
        return done

    def commit(self, index: whoosh_index.Index, stale: Iterable[str] = (), max_segments: int = MAX_SEGMENTS) -> None:
        """One table of contents for the index's own segments (less the ``stale`` ids) and the workers' ones merged
        into one; the small segments merged when there would be more than ``max_segments``."""
        if len(self.segments) > 1:
            log.info("merging %d new segments", len(self.segments))
            self.segments = [merge_segments(str(self.generation), self.segments)]
        commit_segments(index, self.segments, stale, max_segments)

    def close(self) -> None:
        for worker in self.workers:
            if worker.is_alive():
                worker.kill()
            worker.join()
        for channel in (self.jobs, self.results):
            channel.cancel_join_thread()  # jobs no worker will read must not hold this process at exit
            channel.close()
        self.cache.flush()


def _batches(records: Iterable[Record], report: IndexReport, seen: set[str] | None) -> Iterator[list[Article]]:
    """Good articles in batches; bad records and repeated ids go to the report as skipped."""
    batch: list[Article] = []
    for record in records:
        report.unknown_keys.update(record.unknown_keys)
        report.repaired.extend(Skipped(record.where, repair) for repair in record.repairs)
        if record.article is None:
            report.skipped.append(Skipped(record.where, record.error or "unreadable record"))
            continue
        if seen is not None:
            if record.article.id in seen:
                report.skipped.append(Skipped(record.where, f"duplicate id {record.article.id!r} in this build"))
                continue
            seen.add(record.article.id)
        batch.append(record.article)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


# --- the commands -------------------------------------------------------------------------------------------


class NothingUsable(SourceError):
    """The sources held no usable article; carries the report so the caller can list what was skipped."""

    def __init__(self, report: IndexReport):
        super().__init__(
            "no usable article in the sources; the index was not changed",
            "không có bài viết hợp lệ nào trong nguồn; chỉ mục không bị thay đổi",
        )
        self.report = report


def build(
    root: Path,
    sources: Iterable[Any],
    *,
    jobs: int = 0,
    mapping: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
    fresh: bool = False,
    query: str | None = None,
) -> IndexReport:
    """Rebuild the whole index from ``sources`` into a new generation and switch to it when complete.

    The new generation starts from the live one's files (hard links): articles whose content and analysis are
    unchanged are kept as they are, changed and new ones are written, and those no longer in the sources are
    deleted. ``fresh`` (or a live index from another analysis version) writes everything anew.
    """
    root = Path(root)
    files = expand(sources, query)  # a missing source is an error before anything is touched
    # A database source with an updated_column: its greatest value before reading is where a sync starts.
    marks = {
        describe(s): _mark(scalar_and_ids(s)[0]) for s in files if isinstance(s, DatabaseSource) and s.updated_column
    }
    started = time.perf_counter()
    report = IndexReport()
    with store.write_lock(root) as lock:
        store.prune(root)  # leftovers of an interrupted build
        generation = store.new_generation(root)
        log.info("building %s from %d file(s)", generation.name, len(files))
        try:
            reusable = None if fresh else _reusable(root)
            previous: dict[str, bytes] = {}
            if reusable is not None:
                store.link_generation(reusable[0], generation)
                index = whoosh_index.open_dir(str(generation))
                previous = reusable[1]
                log.info("starting from %s (%d articles)", reusable[0].name, len(previous))
            else:
                index = whoosh_index.create_in(str(generation), build_schema())
            cache = SegmentationCache(root / CACHE_FILE)
            workers = resolve_jobs(jobs)
            writers = ParallelWriters(generation, workers, cache, lock)
            seen: set[str] = set()
            stale: list[str] = []  # ids kept from the live index whose article changed

            def indexed(done: int) -> None:
                report.indexed += done
                if progress and done:
                    progress(done)

            try:
                for batch in _batches(read(files, mapping), report, seen=seen):
                    changed = [a for a in batch if previous.get(a.id) != fingerprint(a)]
                    stale.extend(a.id for a in changed if a.id in previous)
                    kept = len(batch) - len(changed)
                    report.unchanged += kept
                    indexed(kept + (writers.add(changed) if changed else 0))
                indexed(writers.finish())
            finally:
                writers.close()
                cache.close()
            if report.indexed == 0:
                raise NothingUsable(report)
            stale.extend(identifier for identifier in previous if identifier not in seen)
            # Nothing changed and no merge due: the generation keeps the linked table of contents as it is, and with
            # it the vocabulary read from that same table (a fresh one only when it is missing or of another version).
            kept_as_is = reusable is not None and not stale and not writers.segments
            kept_as_is = kept_as_is and len(index._segments()) <= MAX_SEGMENTS
            beside = VocabularyBeside(generation, index, writers.segments, lock) if reusable is None else None
            try:
                if not kept_as_is:
                    writers.commit(index, stale)
                if beside is None or not beside.saved(index):
                    if not kept_as_is or not _vocabulary_current(generation, index):
                        save_vocabulary(generation, index)
            finally:
                if beside is not None:
                    beside.close()
            report.segmented = writers.segmented
            report.elapsed = time.perf_counter() - started
            store.write_meta(
                generation,
                {
                    "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "sources": [describe(source) for source in files],
                    "articles": report.indexed,
                    "skipped": len(report.skipped),
                    "elapsed_seconds": round(report.elapsed, 3),
                    "analysis_version": ANALYSIS_VERSION,
                    "jobs": workers,
                    "kept_from": reusable[0].name if reusable else None,
                    "unchanged": report.unchanged,
                    "mapping": mapping or {},
                    "updates": [],
                    "sync": marks,
                },
            )
            store.switch(root, generation)
        except (OSError, sqlite3.Error, WorkerFailed) as error:
            if store.current_generation(root) != generation:
                shutil.rmtree(generation, ignore_errors=True)
            reason = getattr(error, "strerror", None) or str(error)
            raise IndexWriteError(
                f"cannot write the new index in {root}: {reason}; the old index is unchanged",
                f"không ghi được chỉ mục mới vào {root}; chỉ mục cũ vẫn giữ nguyên",
            ) from error
        except BaseException:
            if store.current_generation(root) != generation:
                shutil.rmtree(generation, ignore_errors=True)
            raise
        store.prune(root)
    report.generation = generation.name
    return report


def add(
    root: Path,
    sources: Iterable[Any],
    *,
    jobs: int = 0,
    mapping: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
    query: str | None = None,
) -> IndexReport:
    """Add or replace articles by id in the live index.

    The articles go through a build's pipeline (``ParallelWriters``) into new segments, committed with the articles
    they replace deleted and the small segments merged, as Whoosh's own ``commit()`` merges them.
    """
    root = Path(root)
    files = expand(sources, query)
    started = time.perf_counter()
    report = IndexReport()
    with store.write_lock(root) as lock:
        index = store.open_index(root)
        generation = store.current_generation(root)
        built = store.analysed_otherwise(generation, ANALYSIS_VERSION)
        if built is not None:
            log.warning(
                "the index's articles were analysed by version %s of the analysis, these by version %s: run "
                "`search-service index build` to analyse every article alike",
                built,
                ANALYSIS_VERSION,
            )
        with _changing_live(generation):
            cache = SegmentationCache(root / CACHE_FILE)
            writers = ParallelWriters(generation, resolve_jobs(jobs), cache, lock)
            try:
                with index.searcher() as searcher:
                    replacing = _send_changes(searcher, read(files, mapping), writers, report, progress)
                writers.finish()
            finally:
                writers.close()
                cache.close()
            changed = bool(writers.segments or replacing)
            if changed:  # nothing new or changed: the index stays exactly as it is
                writers.commit(index, replacing, max_segments=0)
        report.segmented = writers.segmented
        report.elapsed = time.perf_counter() - started
        if changed:
            _refresh_vocabulary(root, index)
            _record_update(generation, "add", [describe(source) for source in files], report)
    report.generation = generation.name
    return report


def _send_changes(
    searcher: Any,
    records: Iterable[Record],
    writers: ParallelWriters,
    report: IndexReport,
    progress: ProgressCallback | None,
) -> list[str]:
    """Send the new and changed articles to the writers; return the ids of the live articles they replace.

    An article added again as it is stays as it is: replacing it would only leave a deleted copy behind, which
    Whoosh's statistics count until a merge (and which would move other scores).
    """
    live = searcher.reader().column_reader("fingerprint")
    replacing = []
    for batch in _batches(records, report, seen=set()):
        changed = []
        for article in batch:
            docnum = searcher.document_number(id=article.id)
            if docnum is not None and live[docnum][:FINGERPRINT_SIZE] == fingerprint(article):
                report.unchanged += 1
                continue
            changed.append(article)
            if docnum is not None:
                replacing.append(article.id)
                report.replaced += 1
            else:
                report.indexed += 1
        writers.add(changed)
        if progress:
            progress(len(batch))
    return replacing


def delete(root: Path, ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Remove articles by id; return (deleted, not found)."""
    root = Path(root)
    deleted, missing = [], []
    with store.write_lock(root):
        index = store.open_index(root)
        generation = store.current_generation(root)
        with _changing_live(generation):
            writer = index.writer(codec=CODEC)
            try:
                with index.searcher() as searcher:
                    for identifier in ids:
                        if searcher.document_number(id=identifier) is None:
                            missing.append(identifier)
                        else:
                            writer.delete_by_term("id", identifier)
                            deleted.append(identifier)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        _refresh_vocabulary(root, index)
        _record_update(generation, "delete", list(ids), IndexReport(deleted=len(deleted)))
    return deleted, missing


@contextlib.contextmanager
def _changing_live(generation: Path) -> Iterator[None]:
    """A change committed to the live generation (``add``, ``delete``): when it cannot be written (a full disk, a
    read-only folder), the files it had begun are removed — the live index stays as it was, with no partial segment
    or temporary file left to fill the disk — and the error says so."""
    before = {path.name for path in generation.iterdir()}
    try:
        yield
    except BaseException as error:
        # Whatever stopped the change (a write error, a source that failed halfway): its files go.
        new = [path.name for path in generation.iterdir() if path.name not in before]
        for name in unreferenced(str(generation), new):
            path = generation / name
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if not isinstance(error, (OSError, sqlite3.Error, WorkerFailed)):
            raise
        reason = getattr(error, "strerror", None) or str(error)
        raise IndexWriteError(
            f"cannot write the change to the index in {generation.parent}: {reason}; the index is unchanged",
            f"không ghi được thay đổi vào chỉ mục trong {generation.parent}; chỉ mục vẫn giữ nguyên",
        ) from error


def sync(root: Path, source: Any, *, jobs: int = 0, progress: ProgressCallback | None = None) -> IndexReport:
    """Bring the index up to date with a database source cheaply: the rows changed since the last sync (by its
    ``updated_column``, whose greatest value is kept in ``meta.json``; every row when it has none or on the first
    sync) are added or replace their articles, and the articles whose id the source no longer gives (deleted, or
    filtered out by its query as deleted) are removed. Unchanged articles are left as they are."""
    root = Path(root)
    [found] = expand([source]) if not isinstance(source, list) else expand(source)
    if not isinstance(found, DatabaseSource):
        raise SourceError(f"{found}: sync reads a database source (a .toml source file), not files")
    started = time.perf_counter()
    key = describe(found)
    mark = store.read_meta(store.current_generation(root) or root).get("sync", {}).get(key)
    new_mark, live_ids = scalar_and_ids(found)
    reading = changed_since(found, mark) if found.updated_column and mark is not None else found
    report = add(root, [reading], jobs=jobs, progress=progress)
    with store.write_lock(root):
        with store.open_index(root).searcher() as searcher:
            indexed = {term.decode("utf-8") for term in searcher.reader().lexicon("id")}
    gone = sorted(indexed - live_ids)
    if gone:
        deleted, _ = delete(root, gone)
        report.deleted = len(deleted)
    with store.write_lock(root):
        generation = store.current_generation(root)
        meta = store.read_meta(generation)
        meta.setdefault("sync", {})[key] = _mark(new_mark)
        try:
            store.write_meta(generation, meta)
        except OSError as error:
            log.warning("could not keep the sync's mark (%s): the next sync reads every row", error)
    report.elapsed = time.perf_counter() - started
    return report


def _mark(value: Any) -> Any:
    """A sync's mark as ``meta.json`` keeps it (a time as ISO 8601)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _refresh_vocabulary(root: Path, index: whoosh_index.Index) -> None:
    """After a change to the live index: its saved vocabulary again (readers read the index if this fails)."""
    try:
        save_vocabulary(store.current_generation(root), index)
    except OSError as error:
        log.warning("could not save the vocabulary (%s); searches will read it from the index", error)


def _vocabulary_current(generation: Path, index: whoosh_index.Index) -> bool:
    """Whether the vocabulary saved in the generation's folder is of this version and of the index as it is."""
    return saved_vocabulary(generation, index.latest_generation()) is not None


def save_stale_vocabulary(root: Path) -> bool:
    """Save the live index's vocabulary when the one saved beside it is missing or of another version (an upgrade
    whose model or completions differ), so that serving workers load it rather than each reading the index's lexicons
    and text itself: on 82,000 VNTC articles half a minute and 1.3 GB at its peak, for every worker, at every start
    until the index next changes. True when it saved one, False when the saved one is current. Raises IndexNotFound
    without an index, IndexBusy when an indexer holds it (it saves the vocabulary after its commit) and
    IndexWriteError when the folder cannot be written (an index mounted read-only)."""
    root = Path(root)
    index = store.open_index(root)
    generation = store.current_generation(root)
    if _vocabulary_current(generation, index):
        return False
    with store.write_lock(root):
        index = store.open_index(root)
        generation = store.current_generation(root)
        if _vocabulary_current(generation, index):
            return False
        log.info("saving the vocabulary of %s for this version", generation.name)
        try:
            save_vocabulary(generation, index)
        except OSError as error:
            raise IndexWriteError(
                f"cannot save the vocabulary in {generation}: {error.strerror or error}",
                f"không lưu được từ vựng vào {generation}",
            ) from error
        return True


def _record_update(generation: Path, command: str, what: list[str], report: IndexReport) -> None:
    """The change in the generation's ``meta.json`` (what ``index info`` lists): a record, so a failure to write it
    after the change is live is a warning."""
    meta = store.read_meta(generation)
    meta.setdefault("updates", []).append(
        {
            "command": command,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "what": what[:20],
            "indexed": report.indexed,
            "replaced": report.replaced,
            "deleted": report.deleted,
            "skipped": len(report.skipped),
        }
    )
    try:
        store.write_meta(generation, meta)
    except OSError as error:
        log.warning("could not record the %s in %s: %s", command, store.META_FILE, error)


def rollback(root: Path) -> str:
    """Make the previous generation live again (the current one becomes the previous); return its name."""
    root = Path(root)
    with store.write_lock(root):
        previous = store.previous_generation(root)
        if previous is None:
            raise IndexNotFound(
                f"no previous index to roll back to in {root}", f"không có chỉ mục trước đó để quay lại trong {root}"
            )
        whoosh_index.open_dir(str(previous)).close()  # it must open before it goes live
        try:
            store.switch(root, previous)
        except OSError as error:
            raise IndexWriteError(
                f"cannot roll back in {root}: {error.strerror or error}; the live index is unchanged",
                f"không quay lại được chỉ mục trước trong {root}; chỉ mục đang dùng vẫn giữ nguyên",
            ) from error
    return previous.name


def info(root: Path) -> dict[str, Any]:
    """What the live index holds: articles, size on disk, when and from what it was built, its settings, and whether
    the vocabulary saved beside it is of this version and state (``vocabulary_saved``)."""
    root = Path(root)
    index = store.open_index(root)
    generation = store.current_generation(root)
    meta = store.read_meta(generation)
    with index.searcher() as searcher:
        articles = searcher.doc_count()
    size = sum(p.stat().st_size for p in generation.rglob("*") if p.is_file())
    return {
        "index_dir": str(root.resolve()),
        "generation": generation.name,
        "articles": articles,
        "size_bytes": size,
        "built_at": meta.get("built_at"),
        "sources": meta.get("sources", []),
        "skipped_at_build": meta.get("skipped"),
        "build_seconds": meta.get("elapsed_seconds"),
        "analysis_version": meta.get("analysis_version"),
        "code_analysis_version": ANALYSIS_VERSION,
        "jobs": meta.get("jobs"),
        "mapping": meta.get("mapping", {}),
        "updates": meta.get("updates", []),
        "fields": sorted(index.schema.names()),
        "vocabulary_saved": _vocabulary_current(generation, index),
    }


__all__ = [
    "IndexReport",
    "NothingUsable",
    "add",
    "build",
    "delete",
    "info",
    "rollback",
    "save_stale_vocabulary",
    "sync",
]
