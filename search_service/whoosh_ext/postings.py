"""Posting lists read as arrays, field lengths read once per segment, and the scores and lists kept between searches.

The W3 codec's internals (its block layout, the lengths column, the posting file) are private parts of Whoosh; this
module and ``codec`` are where they are read, pinned by the exact ``whoosh-reloaded`` version.
"""

from __future__ import annotations

import bisect
import io
import itertools
import pickle
import weakref
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from ..analysis import PART_MARK, VietnameseTokenizer, part_digits
from .codec import (
    BLOCK_START,
    PLANES,
    POSITIONS,
    ArrayPositions,
    PickledHeaderMatcher,
    PostingCodec,
    PostingMatcher,
    block_spans,
    decode_numbers,
    decode_values,
    numbers_part,
    unplaned,
    unplaned_numbers,
    values_part,
)
from .terms import postings_bytes

Scores = dict[int, float]


class Hits(Mapping[int, float]):
    """Matched articles and their scores as two arrays: the article numbers (ascending, each once) and the scores.

    What a query part scored over a whole segment is thousands of articles: kept as arrays, unions, intersections
    and BM25 are computed in C (NumPy) rather than an article at a time. Reads as a mapping {article: score}.
    """

    __slots__ = ("ids", "scores")

    def __init__(self, ids: np.ndarray, scores: np.ndarray) -> None:
        self.ids = ids
        self.scores = scores

    @classmethod
    def empty(cls) -> Hits:
        return cls(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))

    @classmethod
    def of(cls, scores: Mapping[int, float]) -> Hits:
        ordered = sorted(scores)
        return cls(np.array(ordered, dtype=np.int64), np.array([scores[d] for d in ordered], dtype=np.float64))

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids.tolist())

    def __getitem__(self, docnum: int) -> float:
        at = int(np.searchsorted(self.ids, docnum))
        if at < len(self.ids) and self.ids[at] == docnum:
            return float(self.scores[at])
        raise KeyError(docnum)

    def __contains__(self, docnum: object) -> bool:
        at = int(np.searchsorted(self.ids, docnum))
        return at < len(self.ids) and self.ids[at] == docnum

    def items(self) -> Any:
        return zip(self.ids.tolist(), self.scores.tolist(), strict=True)

    def at(self, only: np.ndarray) -> Hits:
        """The hits among the given articles (ascending)."""
        where = places_among(self.ids, only)
        return Hits(self.ids[where], self.scores[where])

    def boosted(self, boost: float) -> Hits:
        """A query's own boost, applied as Whoosh applies it: after its score."""
        return self if boost == 1.0 else Hits(self.ids, self.scores * boost)


def places_among(ids: np.ndarray, only: np.ndarray) -> np.ndarray:
    """Where in ``ids`` the articles that are also in ``only`` stand (both ascending, each article once), ascending.
    Any ascending non-negative integers, each once, are found the same way (a phrase's keys, ``matching``).

    The shorter array's articles are looked up in the longer one by binary search, a few steps per article (the
    candidates of an intersection can be tens of thousands where a part holds a few hundred, or the other way round);
    when both are long, the articles of ``only`` are marked in a mask as long as the highest article and read at
    ``ids`` instead: two passes over memory, a quarter of the time of 20,000 searches in 40,000 articles."""
    if not len(ids) or not len(only):
        return np.empty(0, dtype=np.int64)
    size = int(max(ids[-1], only[-1])) + 1
    shorter, longer = sorted((len(ids), len(only)))
    if shorter * longer.bit_length() > size // 16 + len(ids) + len(only):  # the searches' steps against the mask's
        held = np.zeros(size, dtype=bool)
        held[only] = True
        return np.flatnonzero(held[ids])
    if len(only) <= len(ids):
        where = np.searchsorted(ids, only)
        where[where == len(ids)] = 0
        return where[ids[where] == only]
    where = np.searchsorted(only, ids)
    where[where == len(only)] = 0
    return np.flatnonzero(only[where] == ids)


class Places:
    """Where each of some articles stands in an ascending array of a segment's articles (``ids``), all of them in it:
    what adds a union's parts up. For more than a few hundred articles, read from a table the segment's size (one
    gather), not found by a binary search each: 0.14 against 0.93 ms for parts of 20,000, 10,000 and 5,000 articles in
    a union of 30,000."""

    __slots__ = ("ids", "_table")
    TABLE_FROM = 256  # articles in ``ids``

    def __init__(self, ids: np.ndarray, size: int) -> None:
        self.ids = ids
        self._table: np.ndarray | None = None
        if len(ids) > self.TABLE_FROM:
            self._table = np.empty(size, dtype=np.int32)
            self._table[ids] = np.arange(len(ids), dtype=np.int32)

    def of(self, some: np.ndarray) -> np.ndarray:
        """The places of the given articles (ascending, each in ``ids``)."""
        return np.searchsorted(self.ids, some) if self._table is None else self._table[some]


def added(parts: Sequence[Hits], size: int) -> Hits:
    """The parts' scores added up at each article of any of them (of a segment of ``size`` articles), in the parts'
    order."""
    ids = union(parts, size)
    sums = np.zeros(len(ids))
    places = Places(ids, size)
    for part in parts:
        sums[places.of(part.ids)] += part.scores
    return Hits(ids, sums)


def union(parts: Sequence[Hits], size: int) -> np.ndarray:
    """The articles of any of the parts (of a segment of ``size`` articles), ascending."""
    if len(parts) == 1:
        return parts[0].ids
    if sum(len(part.ids) for part in parts) * 16 > size:  # marked in a mask the segment's size: no sort
        held = np.zeros(size, dtype=bool)
        for part in parts:
            held[part.ids] = True
        return np.flatnonzero(held)
    return distinct_sorted(np.sort(np.concatenate([part.ids for part in parts])))


def distinct_sorted(values: np.ndarray) -> np.ndarray:
    """Each value of an ascending array once: those that differ from the one before (no sort, as ``np.unique``
    would do)."""
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


class Postings:
    """One term's postings in one segment, as blocks: the list read in one go, each block decoded when first asked for.

    A posting list on disk is a tag and then blocks of up to its segment's block limit of articles (W3's 128,
    ``codec.BLOCK_POSTINGS`` for ``codec.PostingCodec``), each a length, a pickled header (how many
    articles, the last one, ...) and the data: with ``codec.PostingCodec``, the article numbers and weights apart
    from the values (the positions), which are decoded only for a phrase; with Whoosh's own W3 codec (an index
    written before), one pickled tuple of all three. Any other posting list (one kept inline in its term info, which
    W3 does for lists shorter than its ``inlinelimit``: none at this project's 1) is read through its matcher, as one
    block.
    """

    def __init__(self, matcher: Any):
        if isinstance(matcher, FilterMatcher):  # deletions: callers drop deleted articles themselves
            matcher = matcher.child
        self._start(matcher.format, getattr(matcher, "term_weight", None), type(matcher))
        if self._split or type(matcher) is W3LeafMatcher:
            size = matcher._length
            size = size[0] if isinstance(size, tuple) else size  # W3TermInfo.from_bytes leaves it a 1-tuple
            self._raw = raw = matcher._postfile.get(matcher._startoffset, size)
            self.raw_size = len(raw)
            if type(matcher) is PostingMatcher:
                self._read_headers(raw)
                return
            stream = io.BytesIO(raw)
            for start, end, _last in block_spans(raw):
                stream.seek(start)
                count, maxid, _, layout, _, _ = pickle.load(stream)
                self.lasts.append(maxid)
                self.count += count
                self._extents.append((stream.tell(), end, layout, count))
                self._blocks.append(None)
        else:
            ids, weights, values = [], [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                values.append(matcher.value())
                matcher.next()
            if ids:
                self.raw_size = 16 * len(ids)
                self.count = len(ids)
                self.lasts.append(ids[-1])
                self._blocks.append((tuple(ids), weights))
                self._values[0] = values
            self.term_weight = float(sum(weights))

    @classmethod
    def of_blocks(cls, raw: bytes, format_: Any, term_weight: float) -> Postings:
        """A list of ``codec.PostingCodec`` blocks with ``HEADER`` headers, from its bytes (``read_postings``)."""
        postings = cls.__new__(cls)
        postings._start(format_, term_weight, PostingMatcher)
        postings._raw, postings.raw_size = raw, len(raw)
        postings._read_headers(raw)
        return postings

    def _start(self, format_: Any, term_weight: float | None, kind: type) -> None:
        """The state of a list not read yet, read as the blocks of a matcher of class ``kind``."""
        self.format = format_
        # The term's total frequency (its positions, for a format that keeps them) when known without decoding: from
        # this codec's term info, or summed for a list read through its matcher; None for W3's own blocks.
        self.term_weight: float | None = term_weight
        self.lasts: list[int] = []  # the last article of each block
        self.count = 0  # articles
        self._extents: list[tuple[int, int, int, int]] = []  # (start, end, layout, count) in self._raw
        self._blocks: list[tuple[Sequence[int], Sequence[float]] | None] = []
        self._values: dict[int, Any] = {}  # block number: its values, once decoded
        self._every: tuple[np.ndarray, np.ndarray] | None = None  # see _all_positions
        self._runs: dict[int, bytes] = {}  # block number: its POSITIONS values part, decompressed and unplaned
        self._bounds: np.ndarray | None = None  # see _block_bounds
        self._parts: dict[int, bytes] = {}  # block number: its numbers part, decompressed and not yet decoded
        self._split = kind in (PostingMatcher, PickledHeaderMatcher)
        self._whole: tuple[np.ndarray, np.ndarray] | None = None  # every block's numbers and frequencies, joined
        self._lasts: np.ndarray | None = None
        self.raw_size = 0  # bytes read from the posting file

    def _read_headers(self, raw: bytes) -> None:
        """The blocks' extents and last articles, from their ``codec.HEADER`` headers: ``codec.block_spans``'s walk with
        each block's length and header read in one ``unpack_from`` (a common word's list has hundreds of blocks)."""
        position, last, unpack, extents, lasts = len(WHOOSH3_HEADER_MAGIC), False, BLOCK_START.unpack_from, [], []
        while not last:
            length, count, maxid, _, layout = unpack(raw, position)
            last, length = length < 0, abs(length)
            lasts.append(maxid)
            extents.append((position + BLOCK_START.size, position + 4 + length, layout, count))
            position += 4 + length
        self.lasts, self._extents = lasts, extents
        self.count = sum(extent[3] for extent in extents)
        self._blocks = [None] * len(extents)

    def block(self, number: int) -> tuple[Sequence[int], Sequence[float]]:
        """A block's article numbers and weights (term frequencies), decoded once."""
        decoded = self._blocks[number]
        if decoded is None:
            start, end, layout, count = self._extents[number]
            if self._split:
                part = self._parts.pop(number, None)  # decompressed already by _joined_split
                if part is None:
                    part = numbers_part(self._raw, layout, start)
                decoded = decode_numbers(part, count, layout)
            else:
                data = self._raw[start:end]
                ids, weights, self._values[number] = pickle.loads(zlib.decompress(data) if layout else data)
                if weights is None or isinstance(weights, float):
                    weights = (1.0 if weights is None else weights,) * count
                decoded = (tuple(itertools.accumulate(ids)), weights)  # W3 stores differences
            self._blocks[number] = decoded
        return decoded

    def arrays(self, only: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The article numbers and term frequencies as arrays: of the whole list, or of the given articles (ascending)
        found in it, decoding only the blocks they fall in."""
        if only is None:
            if self._whole is None:
                self._whole = self._joined(range(len(self.lasts)))
            return self._whole
        numbers = None
        if self._whole is None:
            numbers = self._blocks_of(only)
            if 2 * len(numbers) >= len(self.lasts):  # most of the list: read whole, once for every search after
                numbers = None
        if numbers is None:
            ids, tfs = self.arrays()
        else:
            ids, tfs = self._joined(numbers.tolist())
        where = places_among(ids, only)
        return ids[where], tfs[where]

    def _blocks_of(self, only: np.ndarray) -> np.ndarray:
        """The blocks some of the given articles (ascending) fall in, ascending: those with articles after the block
        before's last and up to their own (one search per block, however many articles are asked for)."""
        reach = np.searchsorted(only, self._lasts_array(), side="right")
        return np.flatnonzero(np.concatenate((reach[:1] > 0, reach[1:] != reach[:-1])))

    def _block_bounds(self) -> np.ndarray:
        """Where each block's postings start in the whole list, and where the last one's end."""
        if self._bounds is None:
            self._bounds = np.concatenate(([0], np.cumsum([extent[3] for extent in self._extents])))
        return self._bounds

    def _lasts_array(self) -> np.ndarray:
        if self._lasts is None:
            self._lasts = np.array(self.lasts, dtype=np.int64)
        return self._lasts

    def _joined(self, numbers: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
        if self._split:
            return self._joined_split(list(numbers))
        ids, tfs = [], []
        for number in numbers:
            block_ids, block_tfs = self.block(number)
            ids.append(np.frombuffer(block_ids, dtype=np.uint32) if isinstance(block_ids, array) else block_ids)
            tfs.append(np.frombuffer(block_tfs, dtype=np.float32) if isinstance(block_tfs, array) else block_tfs)
        if not ids:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        return (
            np.concatenate(ids).astype(np.int64, copy=False),
            np.concatenate(tfs).astype(np.float64, copy=False),
        )

    def _joined_split(self, numbers: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """``_joined`` for ``codec.PostingCodec`` blocks: each block's numbers part decompressed, then every block's
        differences and weights read as two arrays at once (``codec.decode_numbers`` a block at a time costs a dozen
        Python steps a block)."""
        if not numbers:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        raw, extents, parts = self._raw, self._extents, self._parts
        keep = len(numbers) < len(extents)  # some blocks: their positions may be asked for next (see block)
        found, counts, planes = [], [], 0
        for number in numbers:
            start, _, layout, count = extents[number]
            part = parts.get(number)
            if part is None:
                part = numbers_part(raw, layout, start)
                if keep:
                    parts[number] = part
            found.append(part)
            counts.append(count)
            planes += bool(layout & PLANES)
        if planes == len(numbers):  # as this codec writes them
            differences, weights = unplaned_numbers(found, counts)
            steps, tfs = differences.astype(np.int64), weights.astype(np.float64)
        else:  # blocks written before PLANES (some or all)
            steps, tfs = self._unplaned_each(numbers, found, counts)
        # A block's first number is written whole, the others as differences: made a difference from the last
        # number of the block read before it, one running sum gives every number.
        firsts = np.cumsum(np.array(counts[:-1], dtype=np.int64))
        steps[firsts] -= np.array([self.lasts[n] for n in numbers[:-1]], dtype=np.int64)
        return np.cumsum(steps), tfs

    def _unplaned_each(
        self, numbers: list[int], parts: list[bytes], counts: list[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        """``_joined_split``'s differences and weights where some blocks are not in PLANES (written before it): each
        such block's numbers part is uint32 differences, then float32 weights."""
        differences, weights = [], []
        for number, part, count in zip(numbers, parts, counts, strict=True):
            if self._extents[number][2] & PLANES:
                words = unplaned(part)
                part = words[: 4 * count] + np.frombuffer(words[4 * count :], dtype="<u4").astype("<f4").tobytes()
            differences.append(part[: 4 * count])
            weights.append(part[4 * count :])
        steps = np.frombuffer(b"".join(differences), dtype="<u4").astype(np.int64)
        return steps, np.frombuffer(b"".join(weights), dtype="<f4").astype(np.float64)

    def __iter__(self) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
        """Every block's article numbers and weights, in order."""
        for number in range(len(self.lasts)):
            yield self.block(number)

    def positions_at(self, only: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The term's positions in the given articles (ascending, each holding the term), as two arrays: for each
        position, the index in ``only`` of its article, and the position; article by article, each in order.

        With ``codec.ArrayPositions``: for articles in every block of the list, or all but one (a phrase's words
        over a whole segment, a short list), every position of the list is decoded once, kept for the searches after,
        and theirs gathered; otherwise (the candidates' phrase boosts in a common word's list) only the blocks they
        fall in are decoded, together (``_positions_in_blocks``): a common word's positions are several times its
        article numbers, and fifty candidates fall in half the blocks of a list of 25,000 articles. With Whoosh's
        pickled lists, an article at a time."""
        counts: list[int] = []
        arrays = self._split and type(self.format) is ArrayPositions
        blocks = self._blocks_of(only) if arrays and self._every is None and len(only) else None
        if arrays and (self._every is not None or (blocks is not None and len(blocks) + 1 >= len(self._extents))):
            starts, values = self._all_positions()
            where = np.searchsorted(self.arrays()[0], only)
            lows, sizes = starts[where], starts[where + 1] - starts[where]
            return np.repeat(np.arange(len(only)), sizes), values[_gathered(lows, sizes)]
        found = self._positions_in_blocks(only, blocks) if blocks is not None else None
        if found is not None:
            return found
        places = self._places(only)
        if arrays:
            runs = [self._block_values(number)[index] for number, index in places]
            counts = [len(run) // 4 for run in runs]
            positions = _summed_runs(np.frombuffer(b"".join(runs), dtype="<u4"), np.array(counts, dtype=np.int64))
        else:
            each = []
            for number, index in places:
                found = self.format.decode_as("positions", self._block_values(number)[index])
                each.append(found)
                counts.append(len(found))
            positions = np.fromiter(itertools.chain.from_iterable(each), dtype=np.int64, count=sum(counts))
        return np.repeat(np.arange(len(only)), counts), positions

    def _positions_in_blocks(self, only: np.ndarray, blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """``positions_at`` for articles in a few of the list's blocks: those blocks' numbers read as two arrays
        (``_joined_split``, or the whole list's when decoded), their values parts decompressed and joined, and each
        article's run of position differences found by its place among the blocks' postings (a posting's run is as
        long as its weight), all in NumPy. None when one of the blocks was written before ``POSITIONS``."""
        extents = self._extents
        chosen = blocks.tolist()
        if not all(extents[number][2] & POSITIONS for number in chosen):
            return None
        if self._whole is None:
            ids, tfs = self._joined_split(chosen)
        else:  # those blocks' postings, taken from the whole list's arrays
            bounds = self._block_bounds()
            lows, sizes = bounds[blocks], bounds[blocks + 1] - bounds[blocks]
            ids, tfs = (array[_gathered(lows, sizes)] for array in self._whole)
        runs = []
        for number in chosen:
            run = self._runs.get(number)
            if run is None:
                start, end, layout, _ = extents[number]
                run = self._runs[number] = unplaned(values_part(self._raw, layout, start, end))
            runs.append(run)
        every = tfs.astype(np.int64)  # each posting's count of positions, the blocks' postings in order
        where = np.searchsorted(ids, only)
        sizes = every[where]
        lows = (np.cumsum(every) - every)[where]  # where each article's run starts among the joined runs
        words = np.frombuffer(b"".join(runs), dtype="<u4")
        return np.repeat(np.arange(len(only)), sizes), _summed_runs(words[_gathered(lows, sizes)], sizes)

    def _all_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """Every position of the list (``codec.ArrayPositions`` blocks), once: where each article's start in the
        second array (and where the last ends), and the positions."""
        if self._every is None:
            raw, counts, runs, weights, done = self._raw, [], [], None, 0
            for start, end, layout, count in self._extents:
                rest = values_part(raw, layout, start, end)
                if layout & POSITIONS:  # a posting's count of positions is its weight
                    if weights is None:
                        weights = self.arrays()[1]
                    counts.append(weights[done : done + count].astype(np.int64))
                    runs.append(unplaned(rest))
                else:
                    counts.append(np.frombuffer(rest[: 4 * count], dtype="<u4").astype(np.int64) // 4)
                    runs.append(rest[4 * count :])
                done += count
            every = np.concatenate(counts)
            starts = np.concatenate(([0], np.cumsum(every)))
            self._every = (starts, _summed_runs(np.frombuffer(b"".join(runs), dtype="<u4"), every).astype(np.int32))
        return self._every

    def _places(self, only: np.ndarray) -> list[tuple[int, int]]:
        """Where each of the given articles (each holding the term) is in the list: (block, index in the block)."""
        if self._whole is not None and self._extents:  # every block's numbers decoded: found for all at once
            where = np.searchsorted(self._whole[0], only)
            bounds = self._block_bounds()
            numbers = np.searchsorted(bounds[1:], where, side="right")
            return list(zip(numbers.tolist(), (where - bounds[numbers]).tolist(), strict=True))
        places = []
        for docnum in only.tolist():
            number = bisect.bisect_left(self.lasts, docnum)
            places.append((number, bisect.bisect_left(self.block(number)[0], docnum)))
        return places

    def _block_values(self, number: int) -> Sequence[Any]:
        """A block's values (each article's encoded positions), decoded once."""
        if number not in self._values:
            if self._split:
                start, end, layout, count = self._extents[number]
                data = self._raw[start:end]
                weights = self.block(number)[1] if layout & POSITIONS else None
                self._values[number] = decode_values(data, count, layout, self.format.fixed_value_size(), weights)
            else:
                self.block(number)  # a W3 block's values come with its numbers
        return self._values[number]


def _gathered(lows: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The indexes of runs of an array, one after another: ``sizes[i]`` of them from ``lows[i]``."""
    return np.arange(int(sizes.sum())) + np.repeat(lows - (np.cumsum(sizes) - sizes), sizes)


def _summed_runs(joined: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Runs of position differences (uint32, one run of ``counts[i]`` per article, joined), each summed from its own
    start: one running sum over them all, less the sum before each run."""
    sums = np.cumsum(joined.astype(np.int64))
    before = np.concatenate(([0], sums))[np.cumsum(counts) - counts]
    return sums - np.repeat(before, counts)


class ScoreCache:
    """The scores of the query parts searched lately, as ``Hits`` per part and segment.

    Reading and decoding postings is most of a search's time, and a portal's queries share their parts: an everyday
    syllable in the three fields (``việt``, ``nam``, ``người``), a synonym's phrases. What a part scored is kept, the
    least recently used dropped past ``capacity`` postings (16 bytes each). Valid for one searcher: the scores use
    its idf.
    """

    def __init__(self, capacity: int, weighting: Any = None) -> None:
        self.capacity = capacity
        self.weighting = weighting  # the scoring the kept scores were computed with
        self.size = 0
        self._entries: OrderedDict[tuple[int, Q.Query], Hits] = OrderedDict()
        self._scorers: dict[tuple[int, str, bytes], Any] = {}

    def scorer(self, leaf: Searcher, offset: int, fieldname: str, text: bytes) -> Any:
        """The weighting's scorer of a term in a segment (its idf, the field's average length), made once."""
        key = (offset, fieldname, text)
        found = self._scorers.get(key)
        if found is None:
            if len(self._scorers) >= SCORERS_KEPT:
                self._scorers.clear()
            found = self._scorers[key] = self.weighting.scorer(leaf, fieldname, text)
        return found

    def get(self, key: tuple[int, Q.Query]) -> Hits | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: tuple[int, Q.Query], scores: Hits) -> None:
        if key in self._entries or len(scores) > self.capacity:
            return
        self._entries[key] = scores
        self.size += len(scores)
        while self.size > self.capacity:
            _, dropped = self._entries.popitem(last=False)
            self.size -= len(dropped)


# What a worker keeps between searches is bounded to stay within its memory budget (400 MB a worker on all of VNTC,
# every search computed): 1 million postings (16 MB) hold the parts of the everyday syllables a portal's queries
# share, and `bench/speed.py`'s queries took no longer with four times as many.
SCORE_CACHE_POSTINGS = 1_000_000
SCORERS_KEPT = 100_000
_SCORE_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def score_cache(searcher: Searcher) -> ScoreCache:
    """The score cache of a searcher: of its reader and its weighting (a refreshed searcher, or another weighting,
    starts a new one)."""
    reader = searcher.reader()
    try:
        cache = _SCORE_CACHES.get(reader)
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        return ScoreCache(0)
    if cache is None or cache.weighting is not searcher.weighting:
        cache = _SCORE_CACHES[reader] = ScoreCache(SCORE_CACHE_POSTINGS, searcher.weighting)
    return cache


def term_bytes(schema: Any, fieldname: str, text: str) -> bytes:
    """A term's bytes in a field, as the index holds the term: a part's term (``analysis.part_term``) is its digits
    in an index built before the parts of a larger number had terms of their own (its field's analyzer without
    ``parts``, served until `index build`), where a grouped number's groups and a decimal's sides are numbers like
    any other. Raises ``ValueError`` as the field's ``to_bytes`` does."""
    field = schema[fieldname]
    if text.startswith(PART_MARK):
        analyzer = getattr(field, "analyzer", None)
        if isinstance(analyzer, VietnameseTokenizer) and not analyzer.parts:
            text = part_digits(text)
    return field.to_bytes(text)


def read_postings(reader: Any, fieldname: str, text: bytes) -> Postings:
    """A term's postings in one segment (``TermNotFound`` when it has none there). A list of ``codec.PostingCodec``
    blocks with ``HEADER`` headers is read from the term's extent in the posting file directly: a Whoosh matcher,
    made only to hand over that extent, would read the first block's header from the file first (about half of the
    50 µs that finding a term and its matcher takes)."""
    terms = getattr(reader, "_terms", None)
    codec = getattr(terms, "_codec", None)
    if isinstance(codec, PostingCodec) and codec.block_headers == "struct" and fieldname in reader.schema:
        info = terms.term_info(fieldname, text)
        if not info.is_inlined():
            return Postings.of_blocks(postings_bytes(terms, info), reader.schema[fieldname].format, info.weight())
    return Postings(reader.postings(fieldname, text))


class KeptPostings:
    """The posting lists of one segment read lately, decoded blocks and all, for the searches after.

    A portal's queries share their words: the everyday syllables' lists are looked up in the term dictionary, read
    and decoded again by nearly every search otherwise. The least recently used are dropped past ``capacity`` bytes:
    a list's size on disk, and what decoding it adds at most: ``DECODED`` bytes a posting (its article numbers and
    frequencies as 8-byte arrays, where each article's positions start) and ``POSITION`` bytes a position (decoded
    when a phrase reads the whole list; the term's total frequency counts them). Counted by postings and positions,
    not by the bytes on disk, which byte planes make a third fewer for the same arrays in memory.
    """

    DECODED = 24
    POSITION = 4

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.size = 0
        self._entries: OrderedDict[tuple[str, bytes], tuple[Postings | None, int]] = OrderedDict()

    def get(self, reader: Any, fieldname: str, text: bytes) -> Postings | None:
        key = (fieldname, text)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found[0]
        try:
            postings: Postings | None = read_postings(reader, fieldname, text)
        except TermNotFound:
            postings = None
        size = 64
        if postings is not None:
            size += postings.raw_size + self.DECODED * postings.count
            if postings.format.supports("positions"):
                positions = postings.term_weight
                if positions is None:  # W3's own blocks (an index written before this codec)
                    positions = reader.term_info(fieldname, text).weight()
                size += self.POSITION * int(positions)
        if size <= self.capacity:
            self._entries[key] = (postings, size)
            self.size += size
            while self.size > self.capacity:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped
        return postings


KEPT_POSTINGS_BYTES = 16 * 1024 * 1024  # for all the segments of an index (bounded as SCORE_CACHE_POSTINGS is)
_KEPT_POSTINGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def kept_postings(searcher: Searcher, reader: Any) -> KeptPostings:
    """The kept posting lists of one segment's reader (a share of ``KEPT_POSTINGS_BYTES`` by its size)."""
    try:
        kept = _KEPT_POSTINGS.get(reader)
    except TypeError:  # a reader that cannot be weakly referenced: nothing kept
        return KeptPostings(0)
    if kept is None:
        share = reader.doc_count_all() / max(1, searcher.get_parent().doc_count_all())
        kept = _KEPT_POSTINGS[reader] = KeptPostings(int(KEPT_POSTINGS_BYTES * share))
    return kept


class PostingLists:
    """The posting lists one search reads, each read once: {(segment offset, field, term): Postings}; those of the
    searches before are kept (``KeptPostings``) when ``cache`` is on."""

    def __init__(self, searcher: Searcher, cache: bool = True) -> None:
        self._lists: dict[tuple[int, str, bytes], Postings | None] = {}
        self._keep = cache
        self.cache = score_cache(searcher) if cache else ScoreCache(0)

    def scorer(self, leaf: Searcher, offset: int, context: Any, fieldname: str, text: bytes) -> Any:
        """The context's weighting's scorer of a term in a segment; made once per searcher for the score cache's."""
        if context.weighting is self.cache.weighting:
            return self.cache.scorer(leaf, offset, fieldname, text)
        return context.weighting.scorer(leaf, fieldname, text)

    def get(self, leaf: Searcher, offset: int, fieldname: str, text: bytes) -> Postings | None:
        key = (offset, fieldname, text)
        if key not in self._lists:
            reader = leaf.reader()
            if self._keep:
                self._lists[key] = kept_postings(leaf, reader).get(reader, fieldname, text)
            else:
                try:
                    self._lists[key] = read_postings(reader, fieldname, text)
                except TermNotFound:
                    self._lists[key] = None
        return self._lists[key]


# The field lengths of each open segment, read once: {reader: {field: [length of each document]}}.
_LENGTHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LENGTH_OF_BYTE = [byte_to_length(b) if b else 1 for b in range(256)]
_LENGTH_ARRAY = np.array(_LENGTH_OF_BYTE, dtype=np.float64)


def field_lengths(reader: Any, fieldname: str) -> list[int] | None:
    """Every document's length in a field of one segment, as Whoosh's scorers see it (one byte each, decoded).

    Read from the segment's lengths column in one go (Whoosh 2.7's W3 codec; None for any other reader).
    """
    found = _read_lengths(reader, fieldname)
    return None if found is None else found[0]


def length_array(reader: Any, fieldname: str) -> np.ndarray | None:
    """``field_lengths`` as an array of floats, for scoring many articles at once."""
    found = _read_lengths(reader, fieldname)
    return None if found is None else found[1]


def _read_lengths(reader: Any, fieldname: str) -> tuple[list[int], np.ndarray] | None:
    try:
        by_field = _LENGTHS.setdefault(reader, {})
    except TypeError:
        return None
    if fieldname not in by_field:
        raw = length_bytes(reader, fieldname)
        found = None
        if raw is not None:
            found = ([_LENGTH_OF_BYTE[b] for b in raw], _LENGTH_ARRAY[np.frombuffer(raw, dtype=np.uint8)])
        by_field[fieldname] = found
    return by_field[fieldname]


def length_bytes(reader: Any, fieldname: str) -> bytes | None:
    """Every document's length in a field of one segment as the W3 codec stores it, a byte each (``byte_to_length``
    decodes it), read from the segment's lengths column in one go; None for a field or reader without one."""
    perdoc = getattr(reader, "_perdoc", None)
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if hasattr(perdoc, "_cached_reader") else None
    if column is None:
        return None
    count = reader.doc_count_all()
    stored = min(column._count, count)
    return column._dbfile.get(column._basepos, stored) + bytes(count - stored)


def lengths_at(reader: Any, fieldname: str, ids: np.ndarray, length_of: Callable[[int], int]) -> np.ndarray:
    """The field's length at the given articles of a segment, as floats."""
    lengths = length_array(reader, fieldname)
    if lengths is not None:
        return lengths[ids]
    return np.array([length_of(docnum) for docnum in ids.tolist()], dtype=np.float64)


def across_scores(
    leaf: Searcher,
    offset: int,
    context: Any,
    lists: PostingLists,
    query: Q.Query,
    only: np.ndarray | None = None,
) -> Hits:
    """A word in several fields of one segment, scored once (``queries.AcrossFields``): the fields' normalised
    frequencies, each times its term's boost (the field's weight), added up first and then saturated; at every
    article (``only`` None) or at the given ones (ascending)."""
    parts = []
    idf, k1 = None, None
    parent = leaf.get_parent()
    for term in query.subqueries:
        try:
            text = term_bytes(leaf.schema, term.fieldname, term.text)
        except ValueError:
            continue
        postings = lists.get(leaf, offset, term.fieldname, text)
        if postings is None:  # not in this segment: its idf (the whole index's) still counts
            term_idf = parent.idf(term.fieldname, text)  # the highest possible where no article has it
        else:
            scorer = lists.scorer(leaf, offset, context, term.fieldname, text)
            term_idf, k1 = scorer.idf, scorer.K1
        idf = term_idf if idf is None else min(idf, term_idf)
        if postings is None:
            continue
        ids, tfs = postings.arrays(only)
        if len(ids):
            lengths = lengths_at(leaf.reader(), term.fieldname, ids, scorer.dfl)
            # The same operations, in the same order, as BM25F's per-article formula: the same floats.
            parts.append(Hits(ids, term.boost * tfs / ((1 - scorer.B) + (scorer.B / scorer.avgfl) * lengths)))
    if not parts:
        return Hits.empty()
    summed = added(parts, leaf.doc_count_all())
    tfs = summed.scores
    top = idf * (k1 + 1) * query.boost
    return Hits(summed.ids, top * tfs / (tfs + k1))
