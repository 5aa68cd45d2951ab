"""The segment writer's private steps that a parallel build needs: the ones ``whoosh.multiproc.MpWriter`` takes, and a
merge of the workers' segments that copies posting blocks.

Each build worker owns a ``SegmentWriter`` and finishes its segment without committing it; the parent merges the
workers' segments into one (``merge_segments``) and commits one table of contents that lists the index's own segments
(less deleted articles, small ones merged when there are too many) and that one.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.columns import TranslatingColumnReader
from whoosh.formats import Positions
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length
from whoosh.writing import MERGE_SMALL, NO_MERGE, SegmentWriter

from ..analysis import CLAUSE_TERM
from .codec import CODEC, ArrayPositions, PostingCodec, PostingWriter, block_spans, rebased_block, split_postings
from .postings import length_bytes
from .terms import postings_bytes


class TermPool:
    """A segment's postings, gathered by term and written a term and a block at a time (``PostingWriter.add_postings``).

    Whoosh's ``PostingPool`` keeps a tuple per posting (about 500 an article), past ``limitmb`` sorts them and spills
    them to disk in runs, and when the segment is written merges the runs back and hands the writer one posting per
    call: most of the time a build worker spends writing. Here the text fields (``ArrayPositions``, whose analyzer
    gives each term's positions at once) go to a ``FieldPostings`` each: an article's terms are appended to flat
    arrays with C-level ``extend``s, and the arrays are grouped by term in NumPy when the segment is written, so no
    Python work is left per posting. The other fields' few postings an article (its id, categories, dates) come as
    Whoosh's tuples (``add`` is a list's own ``append``); every ``BATCH`` of them is sorted and moved into their terms'
    arrays. Articles come in order, so each term's postings stay in article order. A build worker writes its
    segment and starts another when the pool holds ``limitmb`` (``full``): that bounds a worker's memory, as Whoosh's
    runs did.
    """

    BATCH = 100_000
    _TERM_SIZE = 500  # a term's key, four arrays and a dictionary slot, roughly
    _POSTING_SIZE = 12  # an article number, a weight and a value length

    def __init__(self, limitmb: int) -> None:
        self.limit = limitmb * 1024 * 1024
        self.size = 0  # bytes in the terms' arrays, roughly
        self._pending: list[tuple[str, bytes, int, float, bytes]] = []
        self.add = self._pending.append
        self._terms: dict[tuple[str, bytes], tuple[array, array, array, bytearray]] = {}
        self._fields: dict[str, FieldPostings] = {}

    def add_positions(
        self, fieldname: str, found: dict[str, list[int]], docnum: int, boosts: tuple[float, float] = (1.0, 1.0)
    ) -> int:
        """An article's terms in a text field, each with its positions in order (what ``ArrayPositions`` indexes),
        each posting's weight its number of positions times the ``boosts`` (the format's and the document's, as
        Whoosh multiplies them); returns the field's length in the article (its positions)."""
        postings = self._fields.get(fieldname)
        if postings is None:
            postings = self._fields[fieldname] = FieldPostings()
        before = postings.size
        length = postings.add(found, docnum, boosts)
        self.size += postings.size - before
        return length

    def full(self) -> bool:
        """Whether the segment should be written now (asked between articles); gathers the pending postings when a
        batch is in."""
        if len(self._pending) >= self.BATCH:
            self._gather()
        return self.size >= self.limit

    def _gather(self) -> None:
        pending = self._pending
        pending.sort(key=_TERM)  # stable: a term's postings stay in article order
        terms = self._terms
        for key, group in itertools.groupby(pending, _TERM):
            postings = list(group)
            arrays = terms.get(key)
            if arrays is None:
                arrays = terms[key] = (array("I"), array("f"), array("I"), bytearray())
                self.size += self._TERM_SIZE + len(key[1])
            ids, weights, lengths, values = arrays
            ids.extend(map(_DOCNUM, postings))
            weights.extend(map(_WEIGHT, postings))
            lengths.extend(map(len, map(_VALUE, postings)))
            joined = b"".join(map(_VALUE, postings))
            values += joined
            self.size += self._POSTING_SIZE * len(postings) + len(joined)
        pending.clear()

    def write(self, fields: Any, schema: Any) -> None:
        """Every term's postings through a W3 field writer, in the order Whoosh's pool would give them."""
        self._gather()
        others = {
            fieldname: [text for _, text in keys]
            for fieldname, keys in itertools.groupby(sorted(self._terms), itemgetter(0))
        }
        for fieldname in sorted(others.keys() | self._fields.keys()):
            if fieldname in self._fields:
                lists = self._fields.pop(fieldname).lists()
            else:
                lists = ((text, *self._terms.pop((fieldname, text))) for text in others[fieldname])
            fields.start_field(fieldname, schema[fieldname])
            for text, ids, weights, lengths, values in lists:
                fields.start_term(text)
                if isinstance(fields._postwriter, PostingWriter):
                    fields._postwriter.add_postings(ids, weights, lengths, bytes(values))
                else:  # another codec's writer (W3's): a posting at a time
                    for docnum, weight, value in split_postings(ids, weights, lengths, bytes(values)):
                        fields.add(docnum, weight, value, None)
                fields.finish_term()
            fields.finish_field()
        self.size = 0

    def cleanup(self) -> None:
        self._pending.clear()
        self._terms.clear()
        self._fields.clear()
        self.size = 0


class FieldPostings:
    """One text field's postings in a segment, as flat arrays in the order the articles came: each posting's term
    (a number, given in the order the terms first came), article number and number of positions, and every
    posting's positions end to end. ``add`` is a few C-level ``extend``s an article; ``lists`` groups the postings
    by term in NumPy. A posting's weight is its number of positions, times the boosts of the articles that have
    them (none of this project's)."""

    CHUNK = 65_536  # postings encoded at a time when the segment is written
    _POSTING_SIZE = 12  # a term number, an article number and a count
    _TERM_SIZE = 250  # a term's key and dictionary slot, and its bytes when the segment is written, roughly

    def __init__(self) -> None:
        self.numbers: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        self.terms, self.ids, self.counts, self.positions = array("I"), array("I"), array("I"), array("I")
        self.boosted: list[tuple[int, int, tuple[float, float]]] = []  # postings from, to, and their boosts
        self.size = 0

    def add(self, found: dict[str, list[int]], docnum: int, boosts: tuple[float, float]) -> int:
        known, first = len(self.numbers), len(self.terms)
        self.terms.extend(map(self.numbers.__getitem__, found))
        self.ids.extend(itertools.repeat(docnum, len(found)))
        self.counts.extend(map(len, found.values()))
        if boosts != (1.0, 1.0):
            self.boosted.append((first, len(self.terms), boosts))
        length = len(self.positions)
        self.positions.extend(itertools.chain.from_iterable(found.values()))
        length = len(self.positions) - length
        self.size += self._POSTING_SIZE * len(found) + 4 * length + self._TERM_SIZE * (len(self.numbers) - known)
        return length

    def lists(self) -> Iterator[tuple[bytes, list[int], list[float], list[int], bytes]]:
        """Each term's posting list, the terms in the order of their UTF-8 bytes: (term, article numbers, weights,
        value lengths, values joined), a value being ``ArrayPositions``'s encoding of a posting's positions (their
        differences, the first as it is, as little-endian uint32). The postings are put in that order once; their
        values are encoded and handed out ``CHUNK`` postings or one term's at a time, so what the segment's writing
        adds to the pool's memory is a few arrays of one number a posting."""
        texts = sorted((text.encode("utf-8"), number) for text, number in self.numbers.items())
        rank = np.empty(len(texts), dtype=np.uint32)
        rank[[number for _, number in texts]] = np.arange(len(texts), dtype=np.uint32)
        ranks = rank[np.frombuffer(self.terms, dtype=np.uint32)]
        order = np.argsort(ranks, kind="stable")  # by term, each term's postings in article order
        bounds = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(ranks, minlength=len(texts)), out=bounds[1:])
        del ranks
        counts = np.frombuffer(self.counts, dtype=np.uint32)
        weights = counts.astype(np.float64)
        for low, high, (format_boost, boost) in self.boosted:
            weights[low:high] = weights[low:high] * format_boost * boost
        firsts = np.zeros(len(counts), dtype=np.int64)  # where each posting's positions start
        np.cumsum(counts[:-1], out=firsts[1:])
        firsts, counts = firsts[order], counts[order]
        ids = np.frombuffer(self.ids, dtype=np.uint32)[order]
        weights = weights.astype(np.float32)[order]
        del order
        positions = np.frombuffer(self.positions, dtype=np.uint32)
        term, bounds = 0, bounds.tolist()
        while term < len(texts):
            last = max(bisect.bisect_left(bounds, bounds[term] + self.CHUNK, term + 1), term + 1)
            last = min(last, len(texts))
            low, high = bounds[term], bounds[last]
            sizes = counts[low:high].astype(np.int64)
            ends = np.cumsum(sizes)
            starts = ends - sizes
            taken = positions[np.repeat(firsts[low:high] - starts, sizes) + np.arange(ends[-1])]
            differences = taken.copy()
            differences[1:] -= taken[:-1]
            differences[starts] = taken[starts]  # each posting's first position as it is
            joined = differences.astype("<u4").tobytes()
            at = [0, *(4 * ends).tolist()]
            chunk = ids[low:high].tolist(), weights[low:high].tolist(), (4 * sizes).tolist()
            for number in range(term, last):
                a, b = bounds[number] - low, bounds[number + 1] - low
                yield texts[number][0], chunk[0][a:b], chunk[1][a:b], chunk[2][a:b], joined[at[a] : at[b]]
            term = last


_TERM = itemgetter(0, 1)
_DOCNUM = itemgetter(2)
_WEIGHT = itemgetter(3)
_VALUE = itemgetter(4)


class TermPoolWriter(SegmentWriter):
    """Whoosh's ``SegmentWriter`` with a ``TermPool`` for its postings."""

    def __init__(self, index: whoosh_index.Index, limitmb: int) -> None:
        super().__init__(index, _lk=False, codec=CODEC)
        self.pool = TermPool(limitmb)
        self._spelling_or_vectors = any(field.separate_spelling() or field.vector for _, field in self.schema.items())

    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``SegmentWriter.add_document``, a text field's terms handed to the pool an article at a time
        (``TermPool.add_positions``) where its format is ``ArrayPositions`` and its analyzer gives each term's
        positions at once; every other field as Whoosh indexes it, a term at a time. A schema with spelling or
        term vectors (none of this project's) is written by Whoosh's own method."""
        if self._spelling_or_vectors:
            super().add_document(**fields)
            return
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    grouped = getattr(field.analyzer, "term_positions", None)
                    if type(field.format) is ArrayPositions and grouped is not None:
                        boosts = (field.format.field_boost, fieldboost)
                        found = grouped(value)
                        length = self.pool.add_positions(fieldname, found, docnum, boosts)
                        # A clause's end is where the words stand, not a word: the field's length, which BM25
                        # weighs a word's frequency by, counts the words.
                        length -= len(found.get(CLAUSE_TERM, ()))
                    else:
                        for text, frequency, weight, encoded in field.index(value):
                            length += frequency
                            self.pool.add((fieldname, text, docnum, weight * fieldboost, encoded))
                    if not field.scorable:
                        length = 0
                stored = fields.get("_stored_" + fieldname, value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()  # PostingCodec keeps no length statistics: the postings need no lengths reader
        self.pool.write(self.fieldwriter, self.schema)
        self.fieldwriter.close()


def segment_writer(index_dir: str, limitmb: int) -> TermPoolWriter:
    """A writer of one new segment of the index in ``index_dir``, without the index's write lock (the parent holds
    the project's own lock, and only the parent commits)."""
    return TermPoolWriter(whoosh_index.open_dir(index_dir), limitmb)


def finish_segment(writer: SegmentWriter) -> Any | None:
    """The finished, uncommitted segment a worker wrote (None when it was given no article)."""
    return writer._finalize_segment() if writer._added else None


def merge_segments(index_dir: str, segments: list[Any]) -> Any:
    """One new, uncommitted segment holding the articles of the given ones in order (segments written with
    ``codec.PostingCodec`` and without deletions: what a build's workers finish), their files left for the next
    commit to delete.

    A search pays for each segment of an index: each of its words is looked up, read and scored once per segment.
    Whoosh's own merge re-reads every posting and sorts and writes it again, as long as writing the articles anew;
    here the stored fields, lengths and columns are copied an article at a time (Whoosh's ``write_per_doc``), and each
    posting list is copied a block at a time: the first segment's blocks as they are, the others' with their article
    numbers moved past the segments before (``codec.rebased_block``).
    """
    index = whoosh_index.open_dir(index_dir)
    writer = SegmentWriter(index, _lk=False, codec=CODEC)
    readers = [SegmentReader(index.storage, index.schema, segment) for segment in segments]
    try:
        schema = writer.schema
        bases = []
        for reader in readers:
            codec = reader.codec()
            if (
                reader.has_deletions()
                or not isinstance(codec, PostingCodec)
                or codec.block_headers != CODEC.block_headers
                or codec.block_layout != CODEC.block_layout
                or codec._inlinelimit > 1  # W3's 1 keeps no list inline: every term's postings are blocks
                or codec.stored_dictionary != CODEC.stored_dictionary
                or any(field.vector for _, field in schema.items())
            ):
                raise ValueError("only segments of this codec without deletions are merged a block at a time")
            bases.append(writer.docnum)
            _copy_per_document(writer, reader)
        writer._added = True
        writer.perdocwriter.close()
        fields = writer.fieldwriter
        terms = heapq.merge(*(_numbered_terms(number, reader) for number, reader in enumerate(readers)))
        field = None
        for (fieldname, text), found in itertools.groupby(terms, key=itemgetter(0)):
            if fieldname not in schema:
                continue
            if fieldname != field:
                if field is not None:
                    fields.finish_field()
                fields.start_field(fieldname, schema[fieldname])
                field = fieldname
            parts = [(bases[number], info, readers[number]) for _, number, info in found]
            fields.add_term(text, *_merged_postings(parts))
        if field is not None:
            fields.finish_field()
        writer._close_segment()
        writer._assemble_segment()
        return writer.get_segment()
    except BaseException:
        writer.cancel()
        raise
    finally:
        for reader in readers:
            reader.close()
        writer._tempstorage.destroy()


_LENGTHS = [byte_to_length(b) for b in range(256)]


def _copy_per_document(writer: SegmentWriter, reader: Any) -> None:
    """Whoosh's ``write_per_doc`` for a segment of this codec without deletions or term vectors: each article's
    field lengths and column values, and its stored fields as the segment holds them, compressed
    (``StoredWriter.add_packed``), where Whoosh's unpacks and unpickles them and pickles and packs them again. Each
    field's lengths column is read once (``postings.length_bytes``): Whoosh's ``doc_field_length`` looks for the
    column's file at every call."""
    schema, perdoc = writer.schema, writer.perdocwriter
    names = sorted(set(schema.names()) | {name for name in reader.indexed_field_names() if name in schema})
    lengths = {name: length_bytes(reader, name) for name in names}
    columns = {}
    for name in names:
        column = schema[name].column_type
        if column and reader.has_column(name):
            found = reader.column_reader(name, column)
            columns[name] = (column, found.raw_column() if isinstance(found, TranslatingColumnReader) else found)
    packed = reader._perdoc.packed()
    for docnum in range(reader.doc_count_all()):
        perdoc.start_doc(writer.docnum)
        for name in names:
            found = lengths[name]
            perdoc.add_field(name, schema[name], None, 0 if found is None else _LENGTHS[found[docnum]])
            if name in columns:
                column, values = columns[name]
                perdoc.add_column_value(name, column, values[docnum])
        perdoc.add_packed(writer.docnum, packed[docnum])
        perdoc.finish_doc()
        writer.docnum += 1


def _numbered_terms(number: int, reader: Any) -> Iterator[tuple[tuple[str, bytes], int, W3TermInfo]]:
    """A segment's terms in order, each as ((field, text), the segment's number, its term info)."""
    for key, info in reader._terms.items():
        yield key, number, info


def _merged_postings(parts: list[Any]) -> tuple[W3TermInfo, bytes]:
    """One term's postings from the segments that hold it, in order (``parts``: each one's first article in the
    merged segment, its term info and its reader): the merged term's info and posting list."""
    written = [WHOOSH3_HEADER_MAGIC]
    for number, (base, info, reader) in enumerate(parts):
        raw = postings_bytes(reader._terms, info)
        if len(parts) == 1 and not base:  # the first segment's alone: as it is
            written.append(raw[len(WHOOSH3_HEADER_MAGIC) :])
            continue
        for start, end, last in block_spans(raw):
            block = rebased_block(raw[start:end], base) if base else raw[start:end]
            last = last and number == len(parts) - 1  # the merged list's last block: its length negative
            written.append((-len(block) if last else len(block)).to_bytes(4, "big", signed=True) + block)
    merged = W3TermInfo(
        weight=sum(info._weight for _, info, _ in parts),
        df=sum(info._df for _, info, _ in parts),
        minlength=min(info._minlength for _, info, _ in parts),
        maxlength=max(info._maxlength for _, info, _ in parts),
        maxweight=max(info._maxweight for _, info, _ in parts),
        minid=parts[0][1]._minid + parts[0][0],
        maxid=parts[-1][1]._maxid + parts[-1][0],
    )
    return merged, b"".join(written)


def commit_segments(index: whoosh_index.Index, segments: list[Any], stale: Iterable[str], max_segments: int) -> None:
    """One table of contents: the index's own segments less the ``stale`` ids, and the given new ``segments``; the
    small segments are merged when there would be more than ``max_segments``."""
    writer = index.writer(codec=CODEC)
    try:
        for identifier in stale:
            writer.delete_by_term("id", identifier)
        crowded = len(writer.segments) + len(segments) > max_segments
        kept = writer._merge_segments(MERGE_SMALL if crowded else NO_MERGE, False, True)
        if writer._added:  # the merge policy copied small segments into this writer's own
            kept.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(kept + segments)
    except BaseException:
        writer.cancel()
        raise
    writer._finish()


def written_in_this_format(index: whoosh_index.Index) -> bool:
    """Whether every segment of the index was written with this project's posting codec, and its text fields keep
    positions as arrays (``codec.ArrayPositions``, not Whoosh's pickled ``Positions``), its blocks' headers as
    ``codec.HEADER``, their numbers and positions in byte planes (``codec.PLANES``) and compressed with Zstandard
    (``codec.ZSTD``), its stored articles compressed with ``stored.DICTIONARY``, and its terms in a term table
    (``terms``)."""
    schema = index.schema
    if any(type(schema[name].format) is Positions for name in schema.names()):
        return False
    return all(
        isinstance(segment.codec(), PostingCodec)
        and segment.codec().block_headers == CODEC.block_headers
        and segment.codec().block_layout == CODEC.block_layout
        and segment.codec().block_compression == CODEC.block_compression
        and segment.codec().stored_dictionary == CODEC.stored_dictionary
        and segment.codec().term_table == CODEC.term_table
        for segment in index._segments()
    )


def unreferenced(folder: str, names: Iterable[str]) -> list[str]:
    """Those of ``names`` in an index folder that its latest table of contents does not use: what a commit that
    failed halfway (a full disk) leaves behind. The table of contents itself and its segments' files are used."""
    index = whoosh_index.open_dir(folder)
    toc = f"_{index.indexname}_{index.latest_generation()}.toc"
    prefixes = tuple(f"{index.indexname}_{segment.segment_id()}." for segment in index._segments())
    return [name for name in names if name != toc and not name.startswith(prefixes)]
