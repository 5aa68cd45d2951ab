"""Arrays of numbers in byte planes, and Zstandard contexts kept per thread.

In byte planes an array's values are written as every value's lowest byte, then every value's second byte, and so
on: small numbers (counts, differences, lengths) leave the high planes runs of zeros, which a compressor packs into a
few bytes, where it finds little in the values' bytes in order. The term table (``terms``) and the vocabulary's file
(``vocabulary.packed_array``) write their arrays so; the posting blocks (``codec``) write theirs with slices of their
own, faster for a block's few hundred bytes than NumPy's calls.

A Zstandard context is not to be used by two threads at once, and one made afresh costs about 10 µs a call, more
than decompressing a small block: each thread keeps its own, one compressor a level.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import zstandard

_CONTEXTS = threading.local()


def compressor(level: int) -> zstandard.ZstdCompressor:
    """This thread's Zstandard compressor at ``level``."""
    compressors = getattr(_CONTEXTS, "compressors", None)
    if compressors is None:
        compressors = _CONTEXTS.compressors = {}
    found = compressors.get(level)
    if found is None:
        found = compressors[level] = zstandard.ZstdCompressor(level=level)
    return found


def decompressor() -> zstandard.ZstdDecompressor:
    """This thread's Zstandard decompressor."""
    found = getattr(_CONTEXTS, "decompressor", None)
    if found is None:
        found = _CONTEXTS.decompressor = zstandard.ZstdDecompressor()
    return found


def to_planes(values: np.ndarray) -> bytes:
    """A one-dimensional array's bytes in byte planes, each value's bytes in the array's own byte order."""
    values = np.ascontiguousarray(values)
    return values.view(np.uint8).reshape(len(values), values.dtype.itemsize).T.tobytes()


def from_planes(data: Any, dtype: Any, count: int, start: int = 0) -> np.ndarray:
    """The ``count`` values of type ``dtype`` that ``to_planes`` wrote at ``start`` in ``data``."""
    kind = np.dtype(dtype)
    planes = np.frombuffer(data, dtype=np.uint8, count=kind.itemsize * count, offset=start)
    return planes.reshape(kind.itemsize, count).T.copy().view(kind).reshape(count)
