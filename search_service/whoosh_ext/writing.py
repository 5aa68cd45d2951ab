"""The segment writer's private steps that a parallel build needs: the ones ``whoosh.multiproc.MpWriter`` takes, and a
merge of the workers' segments that copies posting blocks.

Each build worker owns a ``SegmentWriter`` and finishes its segment without committing it; the parent merges the
workers' segments into one (``merge_segments``) and commits one table of contents that lists the index's own segments
(less deleted articles, small ones merged when there are too many) and that one.
"""

from __future__ import annotations

import heapq
import itertools
import marshal
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.formats import Positions
from whoosh.reading import SegmentReader
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.writing import MERGE_SMALL, NO_MERGE, PostingPool, SegmentWriter

from .codec import CODEC, PostingCodec, block_spans, rebased_block
from .postings import length_bytes


class ChunkedPool(PostingPool):
    """Whoosh's pool of postings with its runs written and read back in chunks of ``CHUNK`` postings.

    Past ``limitmb`` of postings a segment writer sorts what it holds and writes it to a temporary file (a run), and
    merges the runs as it writes the segment; Whoosh marshals each posting with a call of its own both ways. A chunk
    is one ``marshal`` call, and a run is still read a chunk at a time, so the memory bound is the same.
    """

    CHUNK = 4096

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        iterator = iter(items)
        while chunk := list(itertools.islice(iterator, self.CHUNK)):
            marshal.dump(chunk, f, 2)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = marshal.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


def segment_writer(index_dir: str, limitmb: int) -> SegmentWriter:
    """A writer of one new segment of the index in ``index_dir``, without the index's write lock (the parent holds
    the project's own lock, and only the parent commits)."""
    writer = SegmentWriter(whoosh_index.open_dir(index_dir), _lk=False, limitmb=limitmb, codec=CODEC)
    writer.pool = ChunkedPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
    return writer


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
                or codec._inlinelimit > 1  # W3's 1 keeps no list inline: every term's postings are blocks
            ):
                raise ValueError("only segments of this codec without deletions are merged a block at a time")
            bases.append(writer.docnum)
            indexed = {name for name in reader.indexed_field_names() if name in schema}
            writer.write_per_doc(set(schema.names()) | indexed, _ReadLengths(reader))
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
            info = _merged_postings(fields._postfile, parts)
            fields._tindex.add(pack_ushort(fields._fieldid) + text, info.to_bytes())
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


class _ReadLengths:
    """A segment reader whose ``doc_field_length`` reads each field's lengths column once (``postings.length_bytes``):
    Whoosh's looks for the column's file at every call, most of the time ``write_per_doc`` takes."""

    _LENGTHS = [byte_to_length(b) for b in range(256)]

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._bytes: dict[str, bytes | None] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        if fieldname not in self._bytes:
            self._bytes[fieldname] = length_bytes(self._reader, fieldname)
        found = self._bytes[fieldname]
        return default if found is None else self._LENGTHS[found[docnum]]


def _numbered_terms(number: int, reader: Any) -> Iterator[tuple[tuple[str, bytes], int, W3TermInfo]]:
    """A segment's terms in order, each as ((field, text), the segment's number, its term info)."""
    for key, info in reader._terms.items():
        yield key, number, info


def _merged_postings(postfile: Any, parts: list[Any]) -> W3TermInfo:
    """Write one term's postings from the segments that hold it, in order (``parts``: each one's first article in
    the merged segment, its term info and its reader); return the merged term's info."""
    written = [WHOOSH3_HEADER_MAGIC]
    for number, (base, info, reader) in enumerate(parts):
        offset, length = info.extent()
        length = length[0] if isinstance(length, tuple) else length  # W3TermInfo.from_bytes leaves it a 1-tuple
        raw = reader._terms._postfile.get(offset, length)
        if len(parts) == 1 and not base:  # the first segment's alone: as it is
            written.append(raw[len(WHOOSH3_HEADER_MAGIC) :])
            continue
        for start, end, last in block_spans(raw):
            block = rebased_block(raw[start:end], base) if base else raw[start:end]
            last = last and number == len(parts) - 1  # the merged list's last block: its length negative
            written.append((-len(block) if last else len(block)).to_bytes(4, "big", signed=True) + block)
    start = postfile.tell()
    postfile.write(b"".join(written))
    merged = W3TermInfo(
        weight=sum(info._weight for _, info, _ in parts),
        df=sum(info._df for _, info, _ in parts),
        minlength=min(info._minlength for _, info, _ in parts),
        maxlength=max(info._maxlength for _, info, _ in parts),
        maxweight=max(info._maxweight for _, info, _ in parts),
        minid=parts[0][1]._minid + parts[0][0],
        maxid=parts[-1][1]._maxid + parts[-1][0],
    )
    merged.set_extent(start, postfile.tell() - start)
    return merged


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
    positions as arrays (``codec.ArrayPositions``, not Whoosh's pickled ``Positions``) and its blocks' headers as
    ``codec.HEADER``."""
    schema = index.schema
    if any(type(schema[name].format) is Positions for name in schema.names()):
        return False
    return all(
        isinstance(segment.codec(), PostingCodec) and segment.codec().block_headers == CODEC.block_headers
        for segment in index._segments()
    )


def unreferenced(folder: str, names: Iterable[str]) -> list[str]:
    """Those of ``names`` in an index folder that its latest table of contents does not use: what a commit that
    failed halfway (a full disk) leaves behind. The table of contents itself and its segments' files are used."""
    index = whoosh_index.open_dir(folder)
    toc = f"_{index.indexname}_{index.latest_generation()}.toc"
    prefixes = tuple(f"{index.indexname}_{segment.segment_id()}." for segment in index._segments())
    return [name for name in names if name != toc and not name.startswith(prefixes)]
