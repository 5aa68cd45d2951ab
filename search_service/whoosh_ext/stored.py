"""Stored articles compressed with a preset dictionary of Vietnamese news text.

Whoosh's W3 codec keeps each article's stored fields as one pickled dict, zlib-compressed on its own: an article of a
few kilobytes is too short for zlib to find many repeats inside it, and the stored articles are a fifth of the index.
zlib can start from a preset dictionary (``zdict``, up to its 32 KB window) holding the strings the data is likely
to repeat. ``DICTIONARY`` is built from the bundled sample (``data/sample``, 300 VNTC articles, shipped with the
package) by ``build_dictionary``: the syllables and syllable pairs that carry most bytes there, the commonest last
(nearest the data, the cheapest to refer to), then a pickled dict with every stored field's name, the frame every
stored article repeats. Stored articles take about a quarter less room, on VNTC as on VietNews articles, which the
sample does not come from (``docs/benchmarks.md``); reading one is the same ``zlib.decompress`` with the dictionary.

The dictionary is part of the format: a segment's codec records the name of the one it was written with
(``PostingCodec.stored_dictionary``, a hash of its bytes), and a segment written without one is read with W3's
column. ``tests/test_codec.py`` checks that ``data/stored.zdict`` is what ``build_dictionary`` makes of the sample.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.codec.whoosh3 import STORED_COLUMN, W3PerDocReader, W3PerDocWriter
from whoosh.columns import PickleColumn, VarBytesColumn

from ..config import SAMPLE_DIR, STORED_DICTIONARY

DICTIONARY_SIZE = 32 * 1024  # zlib's window: a longer dictionary's start could not be referred to
SAMPLE = SAMPLE_DIR / "vntc_sample.jsonl"
# Every stored field of ``schema.build_schema``, in its order: the keys each article's pickled dict repeats.
STORED_NAMES = ("id", "title", "summary", "body", "category", "tags", "author", "published", "views", "url", "source")


def build_dictionary(texts: Iterable[str], names: Iterable[str] = STORED_NAMES) -> bytes:
    """A zlib preset dictionary for articles like ``texts``: the space-separated syllables and syllable pairs seen
    more than once, those that carry most bytes (count × length) until the dictionary is full, ordered the least
    first; then a pickled dict of the stored fields' ``names``."""
    frame = pickle.dumps(dict.fromkeys(names, ""), 2)
    counts: Counter[str] = Counter()
    for text in texts:
        words = text.split()
        counts.update(words)
        counts.update(map(" ".join, zip(words, words[1:], strict=False)))
    ranked = sorted(((count * len(gram.encode()), gram) for gram, count in counts.items() if count > 1), reverse=True)
    chosen, room = [], DICTIONARY_SIZE - len(frame)
    for _, gram in ranked:
        size = len(gram.encode()) + 1
        if size <= room:
            chosen.append(gram)
            room -= size
    chosen.reverse()
    return " ".join(chosen).encode() + b" " + frame


def sample_texts() -> list[str]:
    """The title and body of each article of the bundled sample, the text ``DICTIONARY`` is built from."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line) for line in lines if line.strip()]
    return [f"{article.get('title', '')}\n{article.get('body', '')}" for article in articles]


DICTIONARY = STORED_DICTIONARY.read_bytes()
DICTIONARY_NAME = hashlib.blake2b(DICTIONARY, digest_size=8).hexdigest()


class DictionaryBytesColumn(VarBytesColumn):
    """Whoosh's ``CompressedBytesColumn`` with zlib started from ``DICTIONARY``."""

    def __init__(self, level: int = 6) -> None:
        self._level = level

    def writer(self, dbfile: Any) -> Any:
        return self.Writer(dbfile, self._level)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> Any:
        return self.Reader(dbfile, basepos, length, doccount)

    class Writer(VarBytesColumn.Writer):
        def __init__(self, dbfile: Any, level: int) -> None:
            super().__init__(dbfile)
            self._level = level

        def add(self, docnum: int, v: bytes) -> None:
            packer = zlib.compressobj(self._level, zdict=DICTIONARY)
            super().add(docnum, packer.compress(v) + packer.flush())

    class Reader(VarBytesColumn.Reader):
        def __getitem__(self, docnum: int) -> bytes:
            return _unpacked(super().__getitem__(docnum))

        def __iter__(self) -> Iterator[bytes]:
            for v in super().__iter__():
                yield _unpacked(v)


def _unpacked(v: bytes) -> bytes:
    if not v:  # an article without stored fields
        return v
    unpacker = zlib.decompressobj(zdict=DICTIONARY)
    return unpacker.decompress(v) + unpacker.flush()


STORED = PickleColumn(DictionaryBytesColumn())


class StoredWriter(W3PerDocWriter):
    """W3's per-article writer, its stored fields compressed with ``DICTIONARY``."""

    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, STORED if column is STORED_COLUMN else column)

    def add_packed(self, docnum: int, packed: bytes) -> None:
        """An article's stored fields as compressed bytes (``StoredReader.packed``), written as they are: a merge
        copies them without unpacking and packing them again."""
        if packed:  # an article without stored fields has none, as ``finish_doc`` leaves it
            VarBytesColumn.Writer.add(self._get_column("_stored")._child, docnum, packed)


class StoredReader(W3PerDocReader):
    """W3's per-article reader, for a segment whose stored fields were compressed with the dictionary named
    ``dictionary``: ``DICTIONARY``, or another (a package whose sample changed), whose articles cannot be read but
    whose columns, lengths and postings still can (what ``indexer`` reads to rebuild the index afresh)."""

    def __init__(self, storage: Any, segment: Any, dictionary: str) -> None:
        super().__init__(storage, segment)
        self._dictionary = dictionary

    def stored_fields(self, docnum: int) -> dict:
        if self._dictionary != DICTIONARY_NAME:
            raise ValueError(
                f"segment {self._segment.segment_id()} keeps its articles compressed with the stored-articles "
                f"dictionary {self._dictionary}, this version has {DICTIONARY_NAME}: rebuild the index"
            )
        found = self._cached_reader("_stored", STORED)[docnum]
        return {} if found is None else found

    def packed(self) -> Any:
        """The articles' stored fields as compressed bytes, by article number (``StoredWriter.add_packed``)."""
        return self.column_reader("_stored", VarBytesColumn())
