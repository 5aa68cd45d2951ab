"""The import path an index's table of contents names for its posting codec (``search_service.codec.PostingCodec``,
pickled with every segment written by earlier versions of this package); the codec itself is ``whoosh_ext.codec``."""

from .whoosh_ext.codec import CODEC, PostingCodec, PostingMatcher, PostingWriter

__all__ = ["CODEC", "PostingCodec", "PostingMatcher", "PostingWriter"]
