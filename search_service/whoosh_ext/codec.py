"""How posting lists are written: Whoosh's W3 codec, with each block's article numbers and weights apart from positions.

Whoosh 2.7's W3 codec stores a block of up to 128 postings as one pickled, compressed tuple: the article numbers,
the weights (term frequencies) and every article's encoded positions. Reading the article numbers — what every search
needs — therefore unpickles the positions too, a hundred small ``bytes`` objects a block: 150 µs a block, most of a
search's time. ``PostingCodec`` writes blocks of up to ``BLOCK_POSTINGS`` postings, each as two parts:

    4 bytes   the length of the first part
    part 1    article numbers (as differences) then weights (term frequencies), as uint32 words in byte planes
              (``PLANES``: every word's lowest byte, then every second byte, ...)
    part 2    the values (a field's positions): for this project's text fields, every posting's position
              differences, uint32 words in byte planes, a posting as many as its frequency (``POSITIONS``); for
              other formats each value's length (uint32), then the values joined; W3's joined bytes for a
              fixed-size format; empty when the field keeps none

Both parts are compressed with Zstandard (zlib in segments written before ``ZSTD``) when that makes the block
smaller (the header records the level, 0 when they are not): not the one- and two-article blocks that most of a term
table's lists are, where the compressor's own bytes outweigh what it saves. Small numbers in byte planes leave the
high planes runs of zeros, which compress into a few bytes: the posting lists take 0.63 of the room of the same words
in order. The numbers and weights are undone by a few slice assignments a
block, values are sliced rather than unpickled, only where a phrase needs them. Each value is the field format's own
encoding: for this project's text fields ``ArrayPositions``, the positions' differences as an array, so a phrase reads
many articles' positions with one ``np.frombuffer``. A block's header (how many articles, the last one, the highest
weight, the layout) is a fixed ``struct`` of 13 bytes after the block's length, where W3 pickles a tuple: a search that
reads a common word's list walks a thousand headers, and ``struct.unpack_from`` reads length and header in one call
where W3 needs a ``pickle.load`` and a file position each. The term dictionary is a table of its own (``terms``),
which keeps the short posting lists in the terms' entries; everything else — lengths, vectors; stored fields but for
their compression (``stored``) — is W3's, and ``PostingMatcher`` reads the blocks for Whoosh, so Whoosh's own
matchers, merging and collectors work unchanged.

An index records its codec in its table of contents (and each field's format in its schema): indexes written by W3,
with pickled headers, with the words in order, stored articles without the dictionary or W3's hash file of terms
stay readable, and ``indexer`` rebuilds them afresh rather than reusing their segments.
"""

from __future__ import annotations

import itertools
import operator
import pickle
import struct
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
)
from whoosh.filedb.structfile import BufferFile
from whoosh.formats import Positions

from ..analysis import CLAUSE_TERM
from .planes import compressor, decompressor
from .stored import DICTIONARY_NAME, StoredReader, StoredWriter
from .terms import TERMS_EXT, TableFieldWriter, TermTableReader

_PART_LENGTH = 4
SMALL_BLOCK = 2  # postings in a block too small to compress
BLOCK_START = struct.Struct(">iIIfB")  # a block's length (negative for the list's last), then its header:
HEADER = struct.Struct(">IIfB")  # how many articles, the last one, the highest weight, the layout (below)
_BIG_ENDIAN = sys.byteorder == "big"

# A block's layout, the last byte of its header: the level its parts were compressed with (0: not compressed), and
# three flags. ZSTD: compressed with Zstandard (else zlib). PLANES: the numbers part is the article numbers'
# differences then the weights, all as uint32, in byte planes (``_planes``); without it, uint32 differences then
# float32 weights as they are. POSITIONS (with PLANES only): the values part is every posting's position
# differences, uint32 in byte planes, with no lengths before them: a posting's count of positions is its weight.
# Blocks written without flags stay readable.
LEVEL = 0x0F
PLANES = 0x10
POSITIONS = 0x20
ZSTD = 0x40
# Zstandard's level for the blocks this codec writes: on all of VNTC, 4 % more room than zlib's 6 (a posting file of
# 235 against 226 MB) for half the time to decompress a block (1.3 against 2.3-4.6 µs, most of it zlib's set-up per
# call), which a search does for hundreds of blocks; and a fifth less time to compress one.
_ZSTD_LEVEL = 6
# Postings in a block: W3 writes 128. A search reads a common word's whole list a block at a time, each a few Python
# steps and a decompression: on all of VNTC, blocks of 512 make the posting file 0.89 of the room (fewer headers, more
# for the compressor to find), and the 500 queries of `bench/query_time.py` a tenth faster at the median, a fifth at
# the 95th percentile and a quarter at the 99th; 1,024 gave the same times and a posting file 3 % smaller.
BLOCK_POSTINGS = 512


def _compressed(data: bytes, layout: int) -> bytes:
    """A block's part compressed as its layout says (``ZSTD`` or zlib, at the level in ``LEVEL``)."""
    if not layout & ZSTD:
        return zlib.compress(data, layout & LEVEL)
    return compressor(layout & LEVEL).compress(data)


def _decompressed(data: bytes, layout: int) -> bytes:
    """A compressed part of a block (``layout``: the block's), with this thread's Zstandard context."""
    if not layout & ZSTD:
        return zlib.decompress(data)
    return decompressor().decompress(data)


def _little_endian(values: array) -> bytes:
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _differences(numbers: Sequence[int]) -> array:
    """Each number less the one before (the first as it is): Whoosh's ``delta_encode``, without a Python call per
    number."""
    return array("I", map(operator.sub, numbers, itertools.chain((0,), numbers)))


def _array(typecode: str, data: bytes) -> array:
    values = array(typecode)
    values.frombytes(data)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


def _planes(words: bytes) -> bytes:
    """Little-endian uint32 words (as bytes) in byte planes: every word's lowest byte, then every word's second
    byte, and so on. Article numbers' differences, frequencies and positions' differences are small numbers: their
    high planes are runs of zeros, which a compressor packs into a few bytes, where it finds little in the words'
    bytes taken in order. Four slices: faster than NumPy's transpose for a block's few hundred words."""
    return words[0::4] + words[1::4] + words[2::4] + words[3::4]


def _whole(weights: Sequence[float]) -> array | None:
    """The weights as uint32 when every one is a whole number that fits (term frequencies), else None."""
    try:
        whole = array("I", map(int, weights))
    except (OverflowError, ValueError):  # negative, too large, not a number
        return None
    return whole if whole.tolist() == list(weights) else None


def unplaned(planes: bytes) -> bytes:
    """The little-endian uint32 words that ``_planes`` wrote, as bytes: four slice assignments, faster than NumPy's
    transpose for a block's few hundred bytes."""
    size = len(planes) // 4
    words = bytearray(len(planes))
    words[0::4] = planes[:size]
    words[1::4] = planes[size : 2 * size]
    words[2::4] = planes[2 * size : 3 * size]
    words[3::4] = planes[3 * size :]
    return bytes(words)


_GROUPED = 4  # blocks of one size in a row: from here on, read in one NumPy step


def unplaned_numbers(parts: Sequence[bytes], counts: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The article numbers' differences and the weights of PLANES blocks (their numbers parts, decompressed, and how
    many articles each holds), every block's joined, as uint32: a run of blocks of one size (a common word's full
    blocks) in one NumPy step, the others a block at a time."""
    differences, weights, at = [], [], 0
    for count, run in itertools.groupby(counts):
        size = sum(1 for _ in run)
        if size >= _GROUPED:
            planes = np.frombuffer(b"".join(parts[at : at + size]), dtype=np.uint8).reshape(size, 4, 2 * count)
            words = np.empty((size, 2 * count, 4), dtype=np.uint8)
            for plane in range(4):  # four strided copies: a quarter of the time of one transposed 4-D copy
                words[:, :, plane] = planes[:, plane]
            words = words.view("<u4").reshape(size, 2 * count)
            differences.append(words[:, :count].tobytes())
            weights.append(words[:, count:].tobytes())
        else:
            for part in parts[at : at + size]:
                words = unplaned(part)
                differences.append(words[: 4 * count])
                weights.append(words[4 * count :])
        at += size
    return np.frombuffer(b"".join(differences), dtype="<u4"), np.frombuffer(b"".join(weights), dtype="<u4")


def split_postings(
    ids: Sequence[int], weights: Sequence[float], lengths: Sequence[int], joined: bytes
) -> Iterator[tuple[int, float, bytes]]:
    """Each posting (article number, weight, value) of a list whose values are joined end to end."""
    ends = list(itertools.accumulate(lengths))
    for id_, weight, start, end in zip(ids, weights, [0, *ends], ends, strict=False):
        yield id_, weight, joined[start:end]


class Joined(NamedTuple):
    """A block's values as one bytes object and each value's length (``PostingWriter.add_postings``)."""

    lengths: array
    data: bytes


def _value_lengths(values: Any) -> tuple[Sequence[int], bytes]:
    """Each value's length and the values joined, of a block's values as ``encode_block`` takes them."""
    if isinstance(values, Joined):
        return values.lengths, values.data
    return [len(value) for value in values], b"".join(values)


def encode_block(
    ids: Sequence[int],
    weights: Sequence[float],
    values: Any,
    compression: int,
    positions: bool = False,
    planes: bool = True,
    zstd: bool = False,
) -> tuple[bytes, int]:
    """A block's data: the article numbers and weights, then the values (a tuple of encoded values, the same as
    ``Joined``, W3's joined fixed-size values, or nothing); and its layout, for its header (see ``LEVEL``).

    Whole-number weights (term frequencies: every field of this project's) are written in PLANES, unless not ``planes``
    (the layout of segments written before it); with ``positions`` (the values are ``ArrayPositions``'s), each value as
    many positions as its weight counts, the values in POSITIONS. A block is compressed (with Zstandard for ``zstd``,
    else zlib) only when that makes it smaller: never at ``SMALL_BLOCK`` postings or fewer (most of a term table's
    lists hold one or two articles, and the compressor's own bytes, zlib's 11 or Zstandard's frame, are more than it
    saves there)."""
    whole = _whole(weights) if planes and len(weights) else None
    flags = 0
    if whole is not None:
        flags = PLANES
        numbers = _planes(_little_endian(_differences(ids) + whole))
    else:
        numbers = _little_endian(_differences(ids)) + _little_endian(array("f", weights))
    rest = b""
    if isinstance(values, bytes):
        rest = values
    elif values:
        lengths, joined = _value_lengths(values)
        if whole is not None and positions and list(lengths) == [4 * count for count in whole]:
            flags |= POSITIONS
            rest = _planes(joined)
        else:
            rest = _little_endian(array("I", lengths)) + joined
    if compression and len(ids) > SMALL_BLOCK:
        compressed = compression | (ZSTD if zstd else 0)
        packed = _compressed(numbers, compressed)
        packed_rest = _compressed(rest, compressed) if rest else rest
        if len(packed) + len(packed_rest) < len(numbers) + len(rest):
            return len(packed).to_bytes(_PART_LENGTH, "little") + packed + packed_rest, flags | compressed
    return len(numbers).to_bytes(_PART_LENGTH, "little") + numbers + rest, flags


def block_spans(postings: bytes) -> Iterator[tuple[int, int, bool]]:
    """Each block of a posting list read whole (W3's tag first): where its header starts, where its data ends, and
    whether it is the list's last (the block's length, in the four bytes before its header, is then negative)."""
    position, last = len(WHOOSH3_HEADER_MAGIC), False
    while not last:
        length = int.from_bytes(postings[position : position + 4], "big", signed=True)
        last, start = length < 0, position + 4
        position = start + abs(length)
        yield start, position, last


def _numbers_end(data: bytes, start: int) -> int:
    """Where the numbers part of the block whose data starts at ``start`` ends, and its values part begins."""
    return start + _PART_LENGTH + int.from_bytes(data[start : start + _PART_LENGTH], "little")


def numbers_part(data: bytes, layout: int, start: int = 0) -> bytes:
    """The numbers part of the block whose data starts at ``start`` in ``data``, decompressed (``layout``: the
    block's, from its header)."""
    numbers = data[start + _PART_LENGTH : _numbers_end(data, start)]
    return _decompressed(numbers, layout) if layout & LEVEL else numbers


def values_part(data: bytes, layout: int, start: int = 0, end: int | None = None) -> bytes:
    """The values part of the block whose data is ``data[start:end]``, decompressed (empty for a format that keeps
    no values)."""
    rest = data[_numbers_end(data, start) : end]
    return _decompressed(rest, layout) if layout & LEVEL and rest else rest


def decode_numbers(numbers: bytes, count: int, layout: int = 0) -> tuple[array, array]:
    """A block's article numbers and weights (``count`` of each) from its numbers part (``numbers_part``)."""
    if layout & PLANES:
        numbers = unplaned(numbers)
        weights = _array("f", np.frombuffer(numbers, dtype="<u4", offset=4 * count).astype("<f4").tobytes())
    else:
        weights = _array("f", numbers[4 * count :])
    return array("I", itertools.accumulate(_array("I", numbers[: 4 * count]))), weights  # delta_decode, in C


def decode_values(
    data: bytes, count: int, layout: int, fixedsize: int | None, weights: Sequence[float] | None = None
) -> Sequence[Any]:
    """A block's values, one per posting (None each for a format that keeps none). A POSITIONS block's values are
    counted by the block's ``weights``, read from its numbers part when not given."""
    if fixedsize == 0:
        return (None,) * count
    rest = values_part(data, layout)
    if layout & POSITIONS:
        if weights is None:
            weights = decode_numbers(numbers_part(data, layout), count, layout)[1]
        return _CountedValues(unplaned(rest), weights)
    if fixedsize is not None and fixedsize > 0:
        return tuple(rest[i : i + fixedsize] for i in range(0, len(rest), fixedsize))
    return _Values(rest, list(itertools.accumulate(_array("I", rest[: 4 * count]), initial=4 * count)))


def rebased_block(block: bytes, base: int) -> bytes:
    """A block as ``PostingWriter`` writes it (its header, then its data) with ``base`` added to its article numbers:
    the header's last article and the first number of the numbers part (the others are differences). What merging
    segments does to the blocks of every segment after the first; the positions are left as they are."""
    count, last, maxweight, layout = HEADER.unpack_from(block)
    numbers = numbers_part(block, layout, HEADER.size)
    if layout & PLANES:  # the first word's four bytes are the first of each plane
        planes = bytearray(numbers)
        step = len(planes) // 4
        first = int.from_bytes(bytes(planes[::step]), "little") + base
        planes[::step] = first.to_bytes(4, "little")
        numbers = bytes(planes)
    else:
        numbers = (int.from_bytes(numbers[:4], "little") + base).to_bytes(4, "little") + numbers[4:]
    if layout & LEVEL:
        numbers = _compressed(numbers, layout)
    header = HEADER.pack(count, last + base, maxweight, layout)
    values = block[_numbers_end(block, HEADER.size) :]  # as stored
    return header + len(numbers).to_bytes(_PART_LENGTH, "little") + numbers + values


class _Values(Sequence):
    """A block's variable-size values, each sliced from the joined bytes only when asked for (a phrase reads the
    positions of a few articles of a block)."""

    def __init__(self, joined: bytes, starts: list[int]) -> None:
        self._joined, self._starts = joined, starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = self._span(index)
        return self._joined[start:end]

    def _span(self, index: int) -> tuple[int, int]:
        return self._starts[index], self._starts[index + 1]


class _CountedValues(_Values):
    """A POSITIONS block's values: each posting's positions, as many uint32 words as its weight counts. Where one
    starts is summed when it is asked for, not worked out for every posting: a phrase boost reads a few postings of
    a block."""

    def __init__(self, joined: bytes, counts: Sequence[float]) -> None:
        self._joined, self._counts = joined, counts

    def __len__(self) -> int:
        return len(self._counts)

    def _span(self, index: int) -> tuple[int, int]:
        start = 4 * int(sum(self._counts[:index]))
        return start, start + 4 * int(self._counts[index])


class ArrayPositions(Positions):
    """Whoosh's ``Positions`` format with a posting's positions stored as their differences in little-endian
    uint32, instead of a pickled list after a count.

    ``postings.Postings.positions_at`` joins the values of many articles and reads them as one array (a phrase is
    then checked for all of them in NumPy); a pickled list is one ``pickle.loads`` per article. The number of
    positions is the value's length over four. A posting with one position, most of them, is 4 bytes where a
    pickled list is 12; compressed in blocks, an index of 21,000 VNTC articles takes a tenth less room.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        """Whoosh's ``Positions.word_values`` (each term, its frequency, weight and encoded positions); from the
        analyzer's ``term_positions`` when it has one, rather than a ``Token`` at a time (every token's boost
        being 1)."""
        grouped = getattr(analyzer, "term_positions", None)
        if grouped is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for word, poslist in grouped(value).items():
            # A clause's end (``analysis.CLAUSE_TERM``) is where the words stand, not a word: Whoosh adds each term's
            # frequency to the field's length, which BM25 weighs a word's frequency by, and it counts the words.
            frequency = 0 if word == CLAUSE_TERM else len(poslist)
            yield word, frequency, len(poslist) * boost, self.encode(poslist)

    def encode(self, poslist: Sequence[int]) -> bytes:
        if len(poslist) == 1:  # most postings
            return poslist[0].to_bytes(4, "little")
        return _little_endian(_differences(poslist))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(itertools.accumulate(_array("I", valuestring)))

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4


class PostingWriter(W3PostingsWriter):
    """W3's postings writer, writing each block's header as ``HEADER`` and its data as ``encode_block`` does (vectors
    stay W3's); ``pickled_headers`` writes the headers as W3 does, the layout of the segments written before."""

    def __init__(
        self, *args: Any, pickled_headers: bool = False, planes: bool = True, zstd: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._pickled_headers = pickled_headers
        self._planes = planes
        self._zstd = zstd

    def add_posting(self, id_: Any, weight: float, vbytes: bytes, length: int | None = None) -> None:
        """W3's ``add_posting`` without its per-posting type checks and length statistics (``PostingCodec`` keeps
        none): a segment's flush calls it once per posting."""
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)

    def add_postings(self, ids: array, weights: array, lengths: array, joined: bytes) -> None:
        """A term's whole posting list at once, right after ``start_postings``: the blocks ``add_posting`` would write
        for it, a block at a time (``lengths``: each posting's value length, ``joined``: the values end to end). The
        last block stays buffered for ``finish_postings``, as ``add_posting`` leaves it."""
        count = len(ids)
        if 0 in lengths and any(lengths):  # some postings without a value: W3 keeps only the others' (not ours)
            for posting in split_postings(ids, weights, lengths, joined):
                self.add_posting(*posting)
            return
        limit = self._blocklimit
        offset = 0
        for start in range(0, count, limit):
            if start:
                self._write_block()
            end = min(start + limit, count)
            self._ids = ids[start:end]
            self._weights = weights[start:end]
            self._maxweight = max(self._weights)
            size = sum(lengths[start:end])
            self._joined = Joined(lengths[start:end], joined[offset : offset + size])
            offset += size

    def _new_block(self) -> None:
        super()._new_block()
        self._joined: Joined | None = None

    def _mini_values(self) -> Any:
        """W3's values of the block for its format (a tuple, joined fixed-size values or none), from ``Joined``
        when ``add_postings`` filled the block."""
        if self._joined is None:
            return super()._mini_values()
        fixedsize = self._format.fixed_value_size()
        if fixedsize is None or fixedsize < 0:
            return self._joined if self._joined.data else ()
        return self._joined.data if fixedsize else None

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # a vector's postings: terms for ids, W3's own format
            return super()._write_block(last)
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        positions = type(self._format) is ArrayPositions
        data, compression = encode_block(
            ids, self._weights, self._mini_values(), self._compression, positions, self._planes, self._zstd
        )
        if self._pickled_headers:
            info = (len(ids), ids[-1], self._maxweight, compression, 0, 0)
            info = pickle.dumps(info, 2)
        else:
            info = HEADER.pack(len(ids), ids[-1], self._maxweight, compression)
        length = len(info) + len(data)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class PickledHeaderMatcher(W3LeafMatcher):
    """W3's block matcher reading ``PostingCodec`` blocks: numbers and weights first, values only when asked; the
    blocks' headers pickled, as W3 writes them (segments written before ``HEADER``). ``term_weight``: the term's
    total frequency in the segment, from the term info the matcher was made from (how many positions the list holds).
    """

    def __init__(self, *args: Any, term_weight: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.term_weight = term_weight

    def _read_data(self) -> None:
        self._data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        numbers = numbers_part(self._data, self._compression)
        self._ids, self._weights = decode_numbers(numbers, self._blocklength, self._compression)

    def _read_weights(self) -> None:
        self._read_ids()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if self._weights is None:
            self._read_ids()
        self._values = decode_values(self._data, self._blocklength, self._compression, self._fixedsize, self._weights)


class PostingMatcher(PickledHeaderMatcher):
    """The block matcher of ``PostingCodec`` blocks with ``HEADER`` headers."""

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        length, self._blocklength, self._maxid, self._maxweight, self._compression = BLOCK_START.unpack(
            self._postfile.get(position, BLOCK_START.size)
        )
        self._lastblock = length < 0
        self._nextoffset = position + 4 + abs(length)
        self._dataoffset = position + BLOCK_START.size
        self._minlength = self._maxlength = 0


class PostingCodec(W3Codec):
    """Whoosh's W3 codec with ``PostingWriter`` blocks (see the module's docstring).

    Without length statistics: W3 reads every posting's field length back from the lengths column as it writes the
    posting lists (a read per posting, a seventh of the writing), to store each block's shortest and longest
    article; only Whoosh's block-quality skipping reads them, which ``matching`` never uses. A block records 0 for
    both, which makes any such bound looser, never wrong.
    """

    length_stats = False
    # The blocks' header layout and whether they may be written in PLANES, kept with each segment (its codec is
    # pickled in the table of contents): a codec made now sets "struct" and "planes" on itself; one unpickled from a
    # segment written before has neither, and reads these.
    block_headers = "pickle"
    block_layout = "split"
    # What compressed blocks are compressed with: "zstd" for a codec made now, zlib for one written before (and
    # their ``_compression`` is zlib's level).
    block_compression = "zlib"
    # The preset dictionary its stored articles were compressed with (``stored.DICTIONARY_NAME``), None for W3's own.
    stored_dictionary: str | None = None
    # The term dictionary: "table" (``terms.TermTableWriter``, short posting lists kept in it), or W3's "hash" file.
    term_table = "hash"

    def __init__(self, blocklimit: int = BLOCK_POSTINGS, compression: int = _ZSTD_LEVEL) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=1)
        self.block_headers = "struct"
        self.block_layout = "planes"
        self.block_compression = "zstd"
        self.stored_dictionary = DICTIONARY_NAME
        self.term_table = "table"

    def field_writer(self, storage: Any, segment: Any) -> W3FieldWriter:
        if self.term_table == "table":
            return TableFieldWriter(self, storage, segment)
        return W3FieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> Any:
        if self.term_table != "table":
            return super().terms_reader(storage, segment)
        name = segment.make_filename(TERMS_EXT)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return TermTableReader(self, storage.open_file(name), storage.file_length(name), postfile)

    def per_document_writer(self, storage: Any, segment: Any) -> W3PerDocWriter:
        if self.stored_dictionary is None:
            return W3PerDocWriter(self, storage, segment)
        return StoredWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> W3PerDocReader:
        if self.stored_dictionary is None:
            return W3PerDocReader(storage, segment)
        return StoredReader(storage, segment, self.stored_dictionary)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return PostingWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
            pickled_headers=self.block_headers == "pickle",
            planes=self.block_layout == "planes",
            zstd=self.block_compression == "zstd",
        )

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        if getattr(terminfo, "raw", None) is not None:  # kept in the term table: read from its bytes
            dbfile = BufferFile(terminfo.raw)
        offset, length = terminfo.extent()
        matcher = PickledHeaderMatcher if self.block_headers == "pickle" else PostingMatcher
        return matcher(dbfile, offset, length, format_, term=term, scorer=scorer, term_weight=terminfo.weight())


CODEC = PostingCodec()
