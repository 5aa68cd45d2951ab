"""Every use of Whoosh's private internals, behind a small face, pinned by the exact ``whoosh-reloaded`` version.

- ``codec``: the posting format (Whoosh's W3 with each block's article numbers and weights apart from positions).
- ``postings``: posting lists read as arrays, field lengths read once per segment, what is kept between searches.
- ``queries``: ``AcrossFields``, one word scored once over several fields (BM25F).
- ``matching``: matching and scoring a whole query over arrays, and the best candidates' boosts.
- ``writing``: the segment writer's private steps a parallel build needs (those ``whoosh.multiproc`` uses).

Each module is imported on its own (this file imports none of them), so building a query never loads the matcher.
"""
