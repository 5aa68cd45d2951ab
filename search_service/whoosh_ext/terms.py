"""A segment's term table: its terms in order, a block of ``BLOCK_TERMS`` at a time, compressed, and with each term its
term info and, when its posting list is short, the list itself.

Whoosh's W3 codec keeps the term table as a hash file: each term's key and a 34-byte term info, two 4-byte lengths,
and 12-byte hash slots at half load, 80 bytes a term and more. Half of a portal's terms are found in one article (a
name, a number, a misspelling), and each of those also costs a posting list of about 37 bytes in the posting file.
Here the terms are written in order, ``BLOCK_TERMS`` to a block, each block its keys, then its term infos as columns
of numbers in byte planes (every value's lowest byte, then every second byte, ...), then the posting lists of
``INLINE_BYTES`` or less themselves, the whole block compressed with Zstandard: sorted keys share their beginnings,
and the high planes of small numbers are runs of zeros. On 3,000 VNTC articles the table and the posting file take
8.4 MB where W3's hash file and the same posting file took 13.8; on all of VNTC (566,751 terms) 199.6 MB where they
took 254.5.

A lookup finds the block by binary search among the blocks' first keys (read when the table is opened) and the term
in the block by another; a reader keeps the ``BLOCKS_KEPT`` blocks it decoded last (the terms of a portal's searches
repeat). A posting list kept in its term's entry is the same bytes the posting file would hold (``postings_bytes``),
so everything that reads a list reads either the same way.

The file is::

    "VTB1"
    blocks, each a Zstandard frame of:
        the number of terms n (uint16)
        each key's length (uint32, planes), the keys joined (a key: the field's number as 2 big-endian bytes, then
            the term's bytes, as W3 keys them, so the order is W3's)
        flags (uint8: INLINE), shortest and longest field length (W3's byte encoding), weight (float32), articles
            (uint32), highest weight (float32), first article (uint32), last article less the first (uint32), the
            posting list's length (uint32), its offset in the posting file (uint64, 0 when it is kept here): each a
            column in planes
        the kept posting lists joined
    a Zstandard frame of the pickled footer: the field map, each block's first key and offset
    the footer's offset (uint64, little-endian), then "VTB1"
"""

from __future__ import annotations

import bisect
import io
import pickle
import struct
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3TermInfo
from whoosh.filedb.structfile import StructFile
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort, unpack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from .planes import compressor, decompressor, from_planes, to_planes

TERMS_EXT = ".tbl"
MAGIC = b"VTB1"
# Terms in a block. A lookup of a term not in a kept block decompresses and decodes a block, so smaller blocks cost a
# search less and keep fewer unasked-for neighbours in memory; larger ones compress better. On all of VNTC, the 500
# queries of `bench/query_time.py` (16,265 lookups of 4,591 terms) decode 2,441 blocks of 64 terms with 1,024 kept
# (about 10 MB), and 2,773 blocks of 128 with 512 kept (the same memory); blocks of 128 make the table 5 % smaller.
BLOCK_TERMS = 64
INLINE_BYTES = 128  # a posting list this long or shorter is kept in its term's entry
BLOCKS_KEPT = 1024  # decoded blocks a reader keeps, about 10 KB each
INLINE = 0x01
_COUNT = struct.Struct("<H")
_TAIL = struct.Struct("<Q4s")
_COLUMNS = (  # name, type (little-endian), in the order they are written
    ("flags", "u1"),
    ("minlength", "u1"),
    ("maxlength", "u1"),
    ("weight", "<f4"),
    ("df", "<u4"),
    ("maxweight", "<f4"),
    ("minid", "<u4"),
    ("span", "<u4"),
    ("length", "<u4"),
    ("offset", "<u8"),
)
_ROW = np.dtype(list(_COLUMNS))  # a term's columns packed in a row, no padding
_LEVEL = 3


class TermInfo(W3TermInfo):
    """W3's term info, with the term's posting list when its entry keeps it (``raw``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.raw: bytes | None = None


def postings_bytes(terms: Any, info: Any) -> bytes:
    """A term's posting list as the posting file holds it (a tag, then its blocks): from its entry when the term
    table keeps it there, else from the posting file of the segment's terms reader ``terms``."""
    raw = getattr(info, "raw", None)
    if raw is not None:
        return raw
    return terms._postfile.get(*_extent(info))


class TermTableWriter:
    """Writes a term table (the module's docstring) to ``dbfile``: ``add`` each term in order, then ``close``."""

    def __init__(self, dbfile: Any) -> None:
        self._file = dbfile
        self.fieldmap: dict[str, int] = {}
        self._entries: list[tuple[bytes, W3TermInfo, bytes | None]] = []
        self._firsts: list[bytes] = []
        self._offsets: list[int] = []
        self._count = 0
        self._last = b""
        dbfile.write(MAGIC)

    def add(self, key: bytes, info: W3TermInfo, raw: bytes | None) -> None:
        """A term's key (its field's number, 2 bytes big-endian, then its bytes), its info, and its posting list when
        the entry keeps it (else None: ``info.extent()`` says where it is in the posting file)."""
        if self._count and key <= self._last:
            raise ValueError(f"terms must come in order: {key!r} after {self._last!r}")
        self._last = key
        self._entries.append((key, info, raw))
        self._count += 1
        if len(self._entries) == BLOCK_TERMS:
            self._write_block()

    def _write_block(self) -> None:
        entries = self._entries
        if not entries:
            return
        keys = [key for key, _, _ in entries]
        columns: dict[str, list[Any]] = {name: [] for name, _ in _COLUMNS}
        for _, info, raw in entries:
            offset, length = (0, len(raw)) if raw is not None else _extent(info)
            minid = info._minid or 0
            columns["flags"].append(0 if raw is None else INLINE)
            columns["minlength"].append(0 if info._minlength is None else length_to_byte(info._minlength))
            columns["maxlength"].append(length_to_byte(info._maxlength))
            columns["weight"].append(info._weight)
            columns["df"].append(info._df)
            columns["maxweight"].append(info._maxweight)
            columns["minid"].append(minid)
            columns["span"].append((info._maxid or 0) - minid)
            columns["length"].append(length)
            columns["offset"].append(offset)
        parts = [_COUNT.pack(len(keys)), to_planes(np.array([len(key) for key in keys], dtype="<u4")), *keys]
        parts += [to_planes(np.array(columns[name], dtype=dtype)) for name, dtype in _COLUMNS]
        parts += [raw for _, _, raw in entries if raw is not None]
        self._firsts.append(keys[0])
        self._offsets.append(self._file.tell())
        self._file.write(compressor(_LEVEL).compress(b"".join(parts)))
        entries.clear()

    def close(self) -> None:
        self._write_block()
        footer = {"fieldmap": self.fieldmap, "firsts": self._firsts, "offsets": self._offsets}
        at = self._file.tell()  # where the last block ends
        self._file.write(compressor(_LEVEL).compress(pickle.dumps(footer, protocol=5)))
        self._file.write(_TAIL.pack(at, MAGIC))
        self._file.close()


def _extent(info: W3TermInfo) -> tuple[int, int]:
    offset, length = info.extent()
    return offset, length[0] if isinstance(length, tuple) else length  # W3TermInfo.from_bytes leaves it a 1-tuple


class _Block:
    """A decoded block: its keys in order, and its term infos as rows (``_ROW``)."""

    __slots__ = ("keys", "rows", "data", "kept")

    def __init__(self, data: bytes) -> None:
        (count,) = _COUNT.unpack_from(data)
        lengths = from_planes(data, "<u4", count, _COUNT.size)
        ends = np.cumsum(lengths, dtype=np.int64) + _COUNT.size + 4 * count
        bounds = (ends - lengths).tolist(), ends.tolist()
        self.keys = list(map(data.__getitem__, map(slice, *bounds)))
        at = int(ends[-1])
        # The columns' planes one after another are, turned round, each term's columns packed in a row.
        self.rows = from_planes(data, _ROW, count, at)
        at += _ROW.itemsize * count
        sizes = np.where(self.rows["flags"] & INLINE, self.rows["length"], 0).astype(np.int64)
        self.data = data[at:]  # the kept lists
        self.kept = np.cumsum(sizes) - sizes  # where each starts

    def info(self, index: int) -> TermInfo:
        flags, minlength, maxlength, weight, df, maxweight, minid, span, length, offset = self.rows.item(index)
        info = TermInfo(
            weight=weight,
            df=df,
            minlength=byte_to_length(minlength),
            maxlength=byte_to_length(maxlength),
            maxweight=maxweight,
            minid=minid,
            maxid=minid + span,
        )
        if flags & INLINE:
            start = self.kept.item(index)
            info.raw = self.data[start : start + length]
            info.set_extent(0, length)
        else:
            info.set_extent(offset, length)
        return info


class TermTableReader(base.TermsReader):
    """Reads a term table (the module's docstring): what Whoosh's ``SegmentReader`` asks of W3's terms reader."""

    def __init__(self, codec: Any, dbfile: Any, length: int, postfile: Any) -> None:
        self._codec = codec
        self._dbfile = dbfile
        self._postfile = postfile
        at, magic = _TAIL.unpack(dbfile.get(length - _TAIL.size, _TAIL.size))
        if dbfile.get(0, len(MAGIC)) != MAGIC or magic != MAGIC:
            raise ValueError("not a term table")
        footer = pickle.loads(decompressor().decompress(dbfile.get(at, length - _TAIL.size - at)))
        self._fieldmap: dict[str, int] = footer["fieldmap"]
        self._fieldunmap = {number: name for name, number in self._fieldmap.items()}
        self._firsts: list[bytes] = footer["firsts"]
        self._offsets: list[int] = [*footer["offsets"], at]  # each block's start, and where the last ends
        self._kept: OrderedDict[int, _Block] = OrderedDict()
        self._lock = threading.Lock()

    def _read_block(self, number: int) -> _Block:
        start, end = self._offsets[number], self._offsets[number + 1]
        return _Block(decompressor().decompress(self._dbfile.get(start, end - start)))

    def _block(self, number: int) -> _Block:
        with self._lock:
            found = self._kept.get(number)
            if found is not None:
                self._kept.move_to_end(number)
                return found
        block = self._read_block(number)
        with self._lock:
            self._kept[number] = block
            while len(self._kept) > BLOCKS_KEPT:
                self._kept.popitem(last=False)
        return block

    def _key(self, fieldname: str, text: bytes) -> bytes:
        return pack_ushort(self._fieldmap.get(fieldname, 65535)) + text

    def _decoded(self, key: bytes) -> tuple[str, bytes]:
        return self._fieldunmap[unpack_ushort(key[:2])[0]], key[2:]

    def _find(self, key: bytes) -> tuple[_Block, int] | None:
        number = bisect.bisect_right(self._firsts, key) - 1
        if number < 0:
            return None
        block = self._block(number)
        index = bisect.bisect_left(block.keys, key)
        if index < len(block.keys) and block.keys[index] == key:
            return block, index
        return None

    def _entries_from(self, key: bytes) -> Iterator[tuple[_Block, int]]:
        number = max(0, bisect.bisect_right(self._firsts, key) - 1)
        for current in range(number, len(self._firsts)):
            block = self._read_block(current)  # a walk through the table: not kept, it would push out the others
            first = bisect.bisect_left(block.keys, key) if current == number else 0
            for index in range(first, len(block.keys)):
                yield block, index

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return self._find(self._key(*term)) is not None

    def indexed_field_names(self) -> Any:
        return self._fieldmap.keys()

    def cursor(self, fieldname: str, fieldobj: Any) -> TableCursor:
        return TableCursor(self, fieldname, fieldobj)

    def terms(self) -> Iterator[tuple[str, bytes]]:
        return (self._decoded(block.keys[index]) for block, index in self._entries_from(b""))

    def terms_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, bytes]]:
        return (self._decoded(block.keys[index]) for block, index in self._entries_from(self._key(fieldname, prefix)))

    def items(self) -> Iterator[tuple[tuple[str, bytes], TermInfo]]:
        return ((self._decoded(block.keys[index]), block.info(index)) for block, index in self._entries_from(b""))

    def items_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[tuple[str, bytes], TermInfo]]:
        return (
            (self._decoded(block.keys[index]), block.info(index))
            for block, index in self._entries_from(self._key(fieldname, prefix))
        )

    def term_info(self, fieldname: str, text: bytes) -> TermInfo:
        found = self._find(self._key(fieldname, text))
        if found is None:
            raise TermNotFound(f"No term {fieldname}:{text!r}")
        block, index = found
        return block.info(index)

    def frequency(self, fieldname: str, text: bytes) -> float:
        found = self._find(self._key(fieldname, text))
        return 0 if found is None else found[0].rows["weight"].item(found[1])

    def doc_frequency(self, fieldname: str, text: bytes) -> int:
        found = self._find(self._key(fieldname, text))
        return 0 if found is None else found[0].rows["df"].item(found[1])

    def matcher(self, fieldname: str, text: bytes, format_: Any, scorer: Any = None) -> Any:
        info = self.term_info(fieldname, text)
        return self._codec.postings_reader(self._postfile, info, format_, term=(fieldname, text), scorer=scorer)

    def close(self) -> None:
        self._dbfile.close()
        self._postfile.close()


class TableCursor(base.FieldCursor):
    """A field's terms in order, from any term on (Whoosh's ``FieldCursor``, as ``SegmentReader.cursor`` gives)."""

    def __init__(self, terms: TermTableReader, fieldname: str, fieldobj: Any) -> None:
        self._terms, self._fieldname, self._fieldobj = terms, fieldname, fieldobj
        self.first()

    def _start(self, text: bytes) -> str | None:
        self._items = self._terms.items_from(self._fieldname, text)
        return self.next()

    def first(self) -> str | None:
        return self._start(b"")

    def find(self, term: Any) -> str | None:
        return self._start(term if isinstance(term, bytes) else self._fieldobj.to_bytes(term))

    def next(self) -> str | None:
        found = next(self._items, None)
        if found is None or found[0][0] != self._fieldname:
            self._text = self._info = None
            self._items = iter(())
            return None
        self._text, self._info = self._fieldobj.from_bytes(found[0][1]), found[1]
        return self._text

    def text(self) -> str | None:
        return self._text

    def term_info(self) -> TermInfo | None:
        return self._info

    def is_valid(self) -> bool:
        return self._text is not None


class TableFieldWriter(W3FieldWriter):
    """W3's field writer with a term table (``TermTableWriter``) for its terms: each term's postings are written to a
    buffer first, and go to the posting file only when they are longer than ``INLINE_BYTES``."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        self._codec, self._storage, self._segment = codec, storage, segment
        self._fieldname = self._fieldid = self._btext = self._fieldobj = self._format = None
        self._tindex = TermTableWriter(self._create_file(TERMS_EXT))
        self._fieldmap = self._tindex.fieldmap
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._buffer = StructFile(io.BytesIO())
        self._postwriter = None
        self._infield = False
        self.is_closed = False

    def start_field(self, fieldname: str, fieldobj: Any) -> None:
        super().start_field(fieldname, fieldobj)
        self._postwriter = self._codec.postings_writer(self._buffer)

    def start_term(self, btext: bytes) -> None:
        self._buffer.file.seek(0)
        self._buffer.file.truncate()
        super().start_term(btext)

    def finish_term(self) -> None:
        info = self._postwriter.finish_postings()  # never inlined by W3: a table's codec writes at inlinelimit 1
        self.add_term(self._btext, info, self._buffer.file.getvalue())

    def add_term(self, btext: bytes, info: W3TermInfo, raw: bytes) -> None:
        """A term of the current field with its info and its whole posting list ``raw`` (a tag, then its blocks):
        kept in the entry when it is short, else written to the posting file."""
        kept = len(raw) <= INLINE_BYTES
        info.set_extent(0 if kept else self._postfile.tell(), len(raw))
        if not kept:
            self._postfile.write(raw)
        self._tindex.add(pack_ushort(self._fieldid) + btext, info, raw if kept else None)
