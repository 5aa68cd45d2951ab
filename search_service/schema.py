"""The index schema: which fields exist, how each is analysed, stored, sorted and faceted."""

from __future__ import annotations

from whoosh import columns
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import VietnameseAnalyzer

# The searchable text fields. Each has an exact twin (diacritics kept) and a folded one (diacritics dropped).
TEXT_FIELDS = ("title", "summary", "body")
FOLDED_SUFFIX = "_f"
CATEGORY_SEPARATOR = "|"


def folded(field: str) -> str:
    """The name of a text field's diacritics-free twin."""
    return field + FOLDED_SUFFIX


def build_schema() -> Schema:
    """A fresh schema; the index pickles it, so the analyzers live at a stable import path."""
    exact = VietnameseAnalyzer(folded=False)
    # Folded fields hold syllables only: word terms help ranking when the query's words are known, and a query
    # typed without diacritics cannot be segmented reliably. Half the postings, half the writing time.
    fold = VietnameseAnalyzer(folded=True, words=False)
    names = fold
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=exact, stored=True),
        title_f=TEXT(analyzer=fold),
        summary=TEXT(analyzer=exact, stored=True),
        summary_f=TEXT(analyzer=fold),
        body=TEXT(analyzer=exact, stored=True),
        body_f=TEXT(analyzer=fold),
        # Exact display values, for facets and filters; category_f for `category:` searches typed loosely.
        category=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False, sortable=True),
        category_f=TEXT(analyzer=names),
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        author=TEXT(analyzer=names, stored=True),
        published=DATETIME(stored=True, sortable=True),
        year=NUMERIC(int, sortable=True),
        views=NUMERIC(int, bits=64, stored=True, sortable=True),
        url=STORED,
        # Titles as a column: completions read every title without loading every stored body.
        title_column=COLUMN(columns.VarBytesColumn()),
        # A hash of everything indexed about the article, then its id: a rebuild keeps the unchanged ones as they are.
        fingerprint=COLUMN(columns.VarBytesColumn()),
        source=ID(stored=True),
    )
