"""The index schema: which fields exist, how each is analysed, stored, sorted and faceted; and the mapping of an
article to the document the index holds, with its fingerprint."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zlib
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import columns
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import ANALYSIS_VERSION, AnalyzedText, VietnameseAnalyzer
from .whoosh_ext.codec import ArrayPositions

if TYPE_CHECKING:
    from .sources import Article

# The searchable text fields. Each has an exact twin (diacritics kept) and a folded one (diacritics dropped).
TEXT_FIELDS = ("title", "summary", "body")
FOLDED_SUFFIX = "_f"
CATEGORY_SEPARATOR = "|"
CONTENT_SIZE = 16  # bytes of the content column's hash
# The near column: an article's words as NEAR_HASHES minhashes of its runs of SHINGLE_WORDS words (``near``), then the
# numbers it writes as a set of NUMBER_BITS bits; all zero for an article of fewer than NEAR_WORDS words.
NEAR_HASHES = 64
SHINGLE_WORDS = 5
NEAR_WORDS = 50
NUMBER_BITS = 256
NEAR_SIZE = NEAR_HASHES * 2 + NUMBER_BITS // 8
NEAR_BLOCK = 4096  # runs of words hashed at once for a signature


def folded(field: str) -> str:
    """The name of a text field's diacritics-free twin."""
    return field + FOLDED_SUFFIX


def _text(**options: Any) -> TEXT:
    """A text field whose postings keep positions as arrays (``codec.ArrayPositions``), for phrases read in bulk."""
    field = TEXT(**options)
    field.format = ArrayPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    """A fresh schema; the index pickles it, so the analyzers live at a stable import path."""
    # An article's text fields keep their positions apart at each clause's end, so no phrase reads across
    # punctuation; a list of names (categories, authors) has no clause to keep apart.
    exact = VietnameseAnalyzer(folded=False, clauses=True)
    # Folded fields hold syllables only: word terms help ranking when the query's words are known, and a query
    # typed without diacritics cannot be segmented reliably. Half the postings, half the writing time.
    fold = VietnameseAnalyzer(folded=True, words=False, clauses=True)
    names = VietnameseAnalyzer(folded=True, words=False)
    return Schema(
        id=ID(stored=True, unique=True),
        title=_text(analyzer=exact, stored=True),
        title_f=_text(analyzer=fold),
        summary=_text(analyzer=exact, stored=True),
        summary_f=_text(analyzer=fold),
        body=_text(analyzer=exact, stored=True),
        body_f=_text(analyzer=fold),
        # Exact display values, for facets and filters; category_f for `category:` searches typed loosely.
        category=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False, sortable=True),
        category_f=_text(analyzer=names),
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        author=_text(analyzer=names, stored=True),
        published=DATETIME(stored=True, sortable=True),
        year=NUMERIC(int, sortable=True),
        views=NUMERIC(int, bits=64, stored=True, sortable=True),
        url=STORED,
        # Titles as a column, cut (``title_column``): completions read every title without loading every stored body.
        title_column=COLUMN(columns.VarBytesColumn()),
        # A hash of everything indexed about the article, then its id: a rebuild keeps the unchanged ones as they are.
        fingerprint=COLUMN(columns.VarBytesColumn()),
        # A hash of the article's text alone: copies of one article (a portal network republishes) are shown once.
        content=COLUMN(columns.FixedBytesColumn(CONTENT_SIZE, default=bytes(CONTENT_SIZE))),
        # Its words' signature: an article edited on one portal and its copy on another are shown once too.
        near=COLUMN(columns.FixedBytesColumn(NEAR_SIZE, default=bytes(NEAR_SIZE))),
        source=ID(stored=True),
    )


# A title offered as a completion is cut after this many words (and ends with " …" then).
TITLE_WORDS = 12


def title_column(title: str) -> bytes:
    """What the title column holds of a title: its first words, as many as a completion offers and one more (which
    tells a title cut from one that ends there), one space between them. A completion needs no more, and the column
    holds every article's."""
    return " ".join(title.split()[: TITLE_WORDS + 1]).encode("utf-8")


# The fingerprint column: a hash of the article (FINGERPRINT_SIZE bytes), then its id in UTF-8.
FINGERPRINT_SIZE = 16


def fingerprint(article: Article) -> bytes:
    """A hash of everything the index holds about an article (and of the analysis that indexed it)."""
    data = json.dumps(article.to_json(), ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(
        (ANALYSIS_VERSION + "\0" + data).encode("utf-8", "surrogatepass"), digest_size=FINGERPRINT_SIZE
    ).digest()


def content(article: Article) -> bytes:
    """A hash of what a visitor reads of an article in a results list and on its page: its title, sapo and body,
    runs of white space as one space. Two articles with the same one are copies of one article, whatever their ids,
    addresses, categories or dates."""
    texts = (" ".join(text.split()) for text in (article.title, article.summary, article.body))
    return hashlib.blake2b("\0".join(texts).encode("utf-8", "surrogatepass"), digest_size=CONTENT_SIZE).digest()


def _constants(name: str, count: int) -> np.ndarray:
    """``count`` odd 64-bit constants drawn from a hash of ``name``: the same in every process and version, as every
    segment's signatures must be."""
    digest = b"".join(hashlib.blake2b(f"{name} {n}".encode(), digest_size=8).digest() for n in range(count))
    return np.frombuffer(digest, dtype=np.uint64) | np.uint64(1)


_PLACES = _constants("shingle", SHINGLE_WORDS)
_TIMES, _PLUS = _constants("times", NEAR_HASHES), _constants("plus", NEAR_HASHES)
_WORD = re.compile(r"\w+")


def near(article: Article) -> bytes:
    """An article's signature for its near copies (``NEAR_SIZE`` bytes): of every run of SHINGLE_WORDS words of its
    title, sapo and body (lower case), the least under each of NEAR_HASHES hash functions, 16 bits of each (b-bit
    minwise hashing, Li and König 2010); then the numbers it writes, each a bit of NUMBER_BITS. Two articles' values
    are equal at about the share of their runs they share (their Jaccard similarity), and their numbers tell a
    monthly notice from the next month's. An article of fewer than NEAR_WORDS words has none (zeros): its copies are
    exact ones.

    >>> from search_service.sources import Article
    >>> words = " ".join(f"từ{n}" for n in range(60))
    >>> len(near(Article(id="a", title="", body=words))), near(Article(id="b", title="", body="ngắn")) == bytes(160)
    (160, True)
    """
    text = unicodedata.normalize("NFC", " ".join((article.title, article.summary, article.body)))
    words = _WORD.findall(text.lower())
    if len(words) < NEAR_WORDS:
        return bytes(NEAR_SIZE)
    hashed = np.fromiter((zlib.crc32(word.encode("utf-8", "surrogatepass")) for word in words), np.uint64, len(words))
    runs = len(words) - SHINGLE_WORDS + 1
    least = np.full(NEAR_HASHES, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64
        shingles = sum(hashed[place : place + runs] * _PLACES[place] for place in range(SHINGLE_WORDS))
        # A block of runs at a time: a body of 500,000 characters (110,000 words) took 113 MB at once.
        for start in range(0, runs, NEAR_BLOCK):
            least = np.minimum(least, (shingles[start : start + NEAR_BLOCK, None] * _TIMES + _PLUS).min(axis=0))
    values = ((least >> np.uint64(32)) & np.uint64(0xFFFF)).astype("<u2").tobytes()
    numbers = np.zeros(NUMBER_BITS // 8, dtype=np.uint8)
    for number in {word.lstrip("0") or "0" for word in words if word.isascii() and word.isdigit()}:
        bit = zlib.crc32(number.encode("ascii")) % NUMBER_BITS
        numbers[bit // 8] |= 1 << (bit % 8)
    return values + numbers.tobytes()


def document(article: Article, analysed: dict[str, AnalyzedText]) -> dict[str, Any]:
    """The Whoosh document for an article: analysed values indexed, original text stored."""
    document: dict[str, Any] = {
        "id": article.id,
        "title_column": title_column(article.title),
        "fingerprint": fingerprint(article) + article.id.encode("utf-8", "surrogatepass"),
        "content": content(article),
        "near": near(article),
    }
    for name in TEXT_FIELDS:
        text = getattr(article, name)
        if text:
            document[name] = analysed[name]
            document[folded(name)] = analysed[name]
            document["_stored_" + name] = text
    categories = [c.replace(",", " ").strip() for c in article.category]
    if categories:
        document["category"] = ",".join(categories)
        document["_stored_category"] = categories
        document["category_f"] = " ; ".join(categories)
    if article.tags:
        document["tags"] = ",".join(t.replace(",", " ") for t in article.tags)
        document["_stored_tags"] = article.tags
    if article.author:
        document["author"] = article.author
    if article.published is not None:
        document["published"] = article.published
        document["year"] = article.published.year
    if article.views is not None:
        document["views"] = article.views
    if article.url:
        document["url"] = article.url
    if article.source:
        document["source"] = article.source
    return document


def fingerprint_id(value: bytes) -> str:
    """The article id in a fingerprint column value."""
    return value[FINGERPRINT_SIZE:].decode("utf-8", "surrogatepass")
