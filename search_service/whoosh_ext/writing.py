"""The segment writer's private steps that a parallel build needs: the ones ``whoosh.multiproc.MpWriter`` takes.

Each build worker owns a ``SegmentWriter`` and finishes its segment without committing it; the parent then commits
one table of contents that lists the index's own segments (less deleted articles, small ones merged when there are
too many) and every worker's segment.
"""

from __future__ import annotations

import itertools
import marshal
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import index as whoosh_index
from whoosh.formats import Positions
from whoosh.writing import MERGE_SMALL, NO_MERGE, PostingPool, SegmentWriter

from .codec import CODEC, PostingCodec


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
    positions as arrays (``codec.ArrayPositions``, not Whoosh's pickled ``Positions``)."""
    schema = index.schema
    if any(type(schema[name].format) is Positions for name in schema.names()):
        return False
    return all(isinstance(segment.codec(), PostingCodec) for segment in index._segments())


def unreferenced(folder: str, names: Iterable[str]) -> list[str]:
    """Those of ``names`` in an index folder that its latest table of contents does not use: what a commit that
    failed halfway (a full disk) leaves behind. The table of contents itself and its segments' files are used."""
    index = whoosh_index.open_dir(folder)
    toc = f"_{index.indexname}_{index.latest_generation()}.toc"
    prefixes = tuple(f"{index.indexname}_{segment.segment_id()}." for segment in index._segments())
    return [name for name in names if name != toc and not name.startswith(prefixes)]
