"""What an index holds, for completions and diacritic restoration: read from its lexicons once, at index time.

Reading every term of the title and body fields takes seconds on a large index, so the indexer does it after each
change and saves the result beside the index (``vocabulary.pickle``); a serving process loads it in a fraction of a
second, and builds it itself only when the file is missing or older than the index.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from .analysis import WORD_JOINER, fold_diacritics, normalize_text

VOCABULARY_FILE = "vocabulary.pickle"
TITLE_WEIGHT = 1 << 40  # marks a title among the completions

log = logging.getLogger("search_service.vocabulary")


@dataclass(frozen=True)
class Vocabulary:
    """What the index holds, for completions and suggestions: accented forms by their folded spelling."""

    keys: list[str]  # folded completions, sorted
    entries: list[tuple[str, int]]  # (display form, document frequency), aligned with keys
    best_form: dict[str, tuple[str, int]]  # folded syllable or word → (its most frequent accented form, frequency)


def build_vocabulary(searcher: Searcher) -> Vocabulary:
    """Read the title and body lexicons once: every syllable and word with its frequency, and every title."""
    reader = searcher.reader()
    frequency: Counter[str] = Counter()
    # Segment by segment: a multi-segment reader merges the segments' term lists in Python, several times slower.
    for leaf, _offset in reader.leaf_readers():
        for fieldname in ("title", "body"):
            if fieldname not in leaf.schema:
                continue
            for term, info in leaf.iter_field(fieldname):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                if text.replace(WORD_JOINER, "").isalpha():
                    frequency[text] += info.doc_frequency()
    # In order of text, so a tie goes the same way whichever segment (indexing process) saw a word first.
    ordered = sorted(frequency.items())
    best_form: dict[str, tuple[str, int]] = {}
    for text, count in ordered:
        key = fold_diacritics(text)
        if key not in best_form or count > best_form[key][1]:
            best_form[key] = (text, count)
    # On a large index, words seen in one article only are mostly noise (and memory); a small one keeps them all.
    min_count = 2 if reader.doc_count() > 1000 else 1
    rows: dict[str, tuple[str, int]] = {}
    for text, count in ordered:
        display = text.replace(WORD_JOINER, " ")
        key = fold_diacritics(display)
        if count >= min_count and (key not in rows or count > rows[key][1]):
            rows[key] = (display, count)
    if reader.has_column("title_column"):
        titles = reader.column_reader("title_column")
        for docnum in reader.all_doc_ids():
            title = titles[docnum].decode("utf-8")
            if title:
                display = " ".join(title.split()[:12])
                rows.setdefault(fold_diacritics(normalize_text(display)), (display, TITLE_WEIGHT))
    keys = sorted(rows)
    return Vocabulary(keys, [rows[k] for k in keys], best_form)


def save_vocabulary(generation: Path, index: whoosh_index.Index) -> None:
    """Read the vocabulary of an index and save it in its folder, tagged with the index's own generation number."""
    with index.searcher() as searcher:
        vocabulary = build_vocabulary(searcher)
    temporary = generation / (VOCABULARY_FILE + ".tmp")
    with open(temporary, "wb") as handle:
        pickle.dump((index.latest_generation(), vocabulary), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, generation / VOCABULARY_FILE)


def load_vocabulary(generation: Path, index: whoosh_index.Index, searcher: Searcher) -> Vocabulary:
    """The saved vocabulary when it belongs to this state of the index, else one read from the index now."""
    try:
        with open(generation / VOCABULARY_FILE, "rb") as handle:
            saved_for, vocabulary = pickle.load(handle)
        if saved_for == index.latest_generation() and isinstance(vocabulary, Vocabulary):
            return vocabulary
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as error:
        log.info("reading the vocabulary from the index (%s)", error)
    return build_vocabulary(searcher)
