"""Running a search plan against an open index: matching, reranking the best, paging, sorting, facets; the engine
that keeps an index open across searches and follows its generations."""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import logging
import math
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np
from whoosh import query as Q
from whoosh import scoring, sorting
from whoosh.searching import Searcher

from . import ranking, store
from .analysis import ANALYSIS_VERSION, fold_diacritics, has_diacritics, split_syllables
from .errors import BadQuery, IndexNotFound, PageOutOfRange
from .keyboard import repair
from .query import (
    MAX_QUERY_CHARS,
    SORT_ORDERS,
    WORD_FIELDS,
    SearchPlan,
    SearchRequest,
    Synonyms,
    build_plan,
    categories_whole,
    exclusions_apart,
    load_synonyms,
    names_chosen,
    tries_understood,
    words_whole,
)
from .results import (
    FACET_LIMIT,
    SPELLED_FIELDS,
    abbreviations_in_capitals,
    alternatives_restored,
    any_words_spelled,
    article_json,
    bare_read,
    bare_shown,
    best_snippets,
    complete,
    copy_json,
    exclusions_spaced,
    facets_json,
    fields_spaced,
    hit_json,
    holds,
    horns_mended,
    marked_titles,
    marks_left_out,
    offered_restoration,
    query_terms,
    spaced_reading,
    suggest_fields,
    suggest_query,
    surely_as_typed,
    surely_restored,
    words_read,
)
from .schema import CONTENT_SIZE, FINGERPRINT_SIZE, NEAR_HASHES, NEAR_SIZE
from .vocabulary import VOCABULARY_FILE, Restoration, Vocabulary, build_vocabulary, restorations, saved_vocabulary
from .whoosh_ext.matching import (
    NO_VALUE,
    column_values,
    coverage,
    fixed_column_bytes,
    holding,
    match_scores,
    matched,
    optional_scores,
    proximity_scores,
)
from .whoosh_ext.postings import Hits, PostingLists, distinct_sorted, field_lengths
from .whoosh_ext.queries import PhraseAcross, SynonymGroup

MAX_PAGE = 1000  # Whoosh scores every page before the one asked for: bound the work a visitor can ask for
log = logging.getLogger("search_service.searcher")
VOCABULARY_GRACE = 30.0  # seconds a vocabulary may lag behind an add or delete while the indexer saves the new one
RELATED = 5  # "Tin liên quan" under an article
RELATED_WORDS = 12  # the words of its title they are looked for by
COPIES_SHOWN = 10  # copies of an article named under it in a results list
# A query typed with diacritics that this few articles hold whole, whose spelling offered (a slip of a tone or a
# letter mended by its neighbours) this many times more hold, is searched as that spelling, and the page says so:
# on 21,000 VNTC articles `thủ tướng chính phũ` finds one, with a *phũ* of *phũ phàng*, where 763 hold the words
# of *thủ tướng chính phủ*.
FEW_HELD = 5
CORRECTED_MORE = 5


class Ranking(scoring.BM25F):
    """BM25F with the probabilistic idf (as in Lucene): a syllable found in most articles weighs almost nothing.

    Whoosh's own idf, ``log(N / (n + 1)) + 1``, never falls below 1, so in a long query the dozens of everyday
    syllables (``có``, ``không``, ``được``) outweigh the few that name the subject.
    """

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return math.log(1 + (total - n + 0.5) / (n + 0.5))

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        lengths = field_lengths(searcher.reader(), fieldname) if isinstance(scorer, scoring.BM25FScorer) else None
        if lengths is not None:
            # Whoosh reads each article's field length from the column file, one read per match and term.
            scorer.dfl = lengths.__getitem__
        return scorer


RANKING = Ranking(B=ranking.B, K1=ranking.K1)


FACETS = (
    ("category", sorting.FieldFacet("category", allow_overlap=True, maptype=sorting.Count)),
    ("year", sorting.FieldFacet("year", maptype=sorting.Count)),
    ("source", sorting.FieldFacet("source", maptype=sorting.Count)),
)
_FACET_VALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LISTED_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# The categories ``category:`` reads its words against (``categories_whole``), and the categories and sources a
# filter's values are read against (``names_chosen``): a portal names a few dozen; a source that files its articles
# under thousands of tags has its first ones read, a query's work bounded.
NAMES_READ = 5_000


class FacetValues:
    """One facet's values of every article, for counting them over any set of articles in C.

    ``names`` are the values found; each article's values are entries of ``codes`` (which name) and ``owners`` (which
    article), so counting the values of some articles is a mask and a ``bincount``. Where no article has more than
    one value (a year; the category of most portals), ``single`` is each article's code (``len(names)`` for none),
    and counting is a ``bincount`` of the articles' codes alone: a common word matches most of an index's articles."""

    def __init__(self, values: list[tuple[Any, ...]]) -> None:
        self.size = len(values)
        self.names: list[Any] = []
        self.numbers: dict[Any, int] = {}  # each name's code
        numbers = self.numbers
        codes, owners = [], []
        for docnum, these in enumerate(values):
            for value in these:
                if value not in numbers:
                    numbers[value] = len(self.names)
                    self.names.append(value)
                codes.append(numbers[value])
                owners.append(docnum)
        self.codes = np.array(codes, dtype=np.int64)
        self.owners = np.array(owners, dtype=np.int64)
        self.single: np.ndarray | None = None
        self._ranks: np.ndarray | None = None
        if len(self.owners) < 2 or bool((self.owners[1:] > self.owners[:-1]).all()):  # no article twice
            self.single = np.full(self.size, len(self.names), dtype=np.int64)
            self.single[self.owners] = self.codes

    def count(
        self,
        docnums: np.ndarray,
        group: np.ndarray | None = None,
        inside: np.ndarray | None = None,
        limit: int | None = None,
        kept: Sequence[Any] = (),
    ) -> dict[Any, int]:
        """How many of the given articles hold each value (the values none holds left out, but those ``kept``, a
        visitor's choices, counted even at 0 and whatever the ``limit``). With each article's
        ``group`` of copies and the places in ``docnums`` of those with copies (``Copies.group``, ``Copies.among``),
        copies of one article holding a value count once for it. With ``limit``, only that many values: the most
        held, then the first by name, as the page lists them, chosen among the counts in arrays (a portal whose
        every article has a source of its own, its URL, would otherwise build and sort tens of thousands of rows for
        every search: 42 ms for 50,000 matches)."""
        if not self.names:  # no article has a value (a year, where the articles have no dates)
            return dict.fromkeys(kept, 0)
        width = len(self.names) + 1
        codes, _ = self._values(docnums)
        counts = np.bincount(codes, minlength=width)
        if group is not None and inside is not None and len(inside):
            codes, owners = self._values(docnums[inside])
            # Each group once for each of its values: the distinct keys, from a sort (NumPy's unique hashes them,
            # twice as slow for the tens of thousands of matches a network's republished articles give).
            once = distinct_sorted(np.sort(group[owners] * width + codes)) % width
            counts -= np.bincount(codes, minlength=width) - np.bincount(once, minlength=width)
        found = np.flatnonzero(counts[:-1])
        if limit is not None and len(found) > limit:
            ranks = self._name_ranks()
            found = found[ranks[found] >= 0]  # the page lists no article's missing value
            if len(found) > limit:
                key = -counts[found] * (len(self.names) + 1) + ranks[found]
                found = found[np.argpartition(key, limit - 1)[:limit]]
        counted = {self.names[code]: int(counts[code]) for code in found.tolist()}
        for value in kept:
            code = self.numbers.get(value)
            counted.setdefault(value, 0 if code is None else int(counts[code]))
        return counted

    def _name_ranks(self) -> np.ndarray:
        """Each value's place among the values in order, -1 for an article's missing value (None, empty); kept once
        computed."""
        if self._ranks is None:
            named = [code for code, name in enumerate(self.names) if name]
            self._ranks = np.full(len(self.names), -1, dtype=np.int64)
            self._ranks[sorted(named, key=self.names.__getitem__)] = np.arange(len(named))
        return self._ranks

    def _values(self, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The given articles' values, as codes (``len(names)`` for none) and the article holding each."""
        if self.single is not None:
            return self.single[docnums], docnums
        chosen = np.zeros(self.size, dtype=bool)
        chosen[docnums] = True
        held = chosen[self.owners]
        return self.codes[held], self.owners[held]


def facet_values(searcher: Searcher) -> dict[str, FacetValues]:
    """Every article's categories, year and source, read once per searcher (Whoosh reads them again for each search)."""
    reader = searcher.reader()
    if reader not in _FACET_VALUES:
        values: dict[str, list[tuple[Any, ...]]] = {name: [] for name, _ in FACETS}
        for leaf, offset in searcher.leaf_searchers():
            for name, facet in FACETS:
                categorizer = facet.categorizer(searcher)
                categorizer.set_searcher(leaf, offset)
                to_name = categorizer.key_to_name
                if facet.allow_overlap:
                    keys = (categorizer.keys_for(None, d) for d in range(leaf.doc_count_all()))
                else:
                    keys = ((categorizer.key_for(None, d),) for d in range(leaf.doc_count_all()))
                values[name].extend(tuple(to_name(key) for key in these) for these in keys)
        _FACET_VALUES[reader] = {name: FacetValues(these) for name, these in values.items()}
    return _FACET_VALUES[reader]


def listed_names(searcher: Searcher, fieldname: str) -> tuple[str, ...]:
    """The index's categories or sources (``fieldname``; up to ``NAMES_READ``), read from the terms of that field
    once per searcher."""
    listed = _LISTED_NAMES.setdefault(searcher.reader(), {})
    if fieldname not in listed:
        terms = itertools.islice(searcher.reader().lexicon(fieldname), NAMES_READ)
        listed[fieldname] = tuple(term.decode("utf-8") for term in terms)
    return listed[fieldname]


def _names_read(searcher: Searcher, request: SearchRequest) -> SearchRequest:
    """The request with each ``category:`` of its box taking the rest of a category's name typed after it
    (``categories_whole``: `category:chính trị xã hội` names *Chính trị Xã hội*), and each category and source it
    filters by read as the index's name it stands for (``names_chosen``: `the-thao` is *Thể thao*)."""
    changed: dict[str, Any] = {}
    if "category:" in request.q.lower():
        whole = categories_whole(request.q, listed_names(searcher, "category"))
        if whole is not None and len(whole) <= MAX_QUERY_CHARS:
            changed["q"] = whole
    for name, fieldname in (("categories", "category"), ("sources", "source")):
        values = getattr(request, name)
        chosen = names_chosen(values, listed_names(searcher, fieldname)) if values else None
        if chosen is not None:
            changed[name] = chosen
    return replace(request, **changed) if changed else request


Extra = Callable[[np.ndarray], np.ndarray]  # what a query's optional parts add to the given articles' scores


class SortValues:
    """Every article's value of each column a visitor can sort by, and its place in the order of fingerprints, as
    arrays: the matches of a search are put in order in C, however many there are. Whoosh's sorting collector reads
    each match's values one at a time (seconds for the tens of thousands of articles a common word, a category or an
    exclusion matches on a large index).

    ``first`` orders the articles with a value before those without one (Whoosh stores the largest value for a
    missing one, so a descending order would open with them); equal values by score, the best first; then by
    fingerprint (a hash of the article, then its id), never by document numbers, which the parallel build hands out
    differently from one rebuild to the next."""

    def __init__(self, searcher: Searcher) -> None:
        self.leaves = [(leaf.reader(), leaf.doc_count_all()) for leaf, _ in searcher.leaf_searchers()]
        self.columns: dict[str, np.ndarray] = {}
        self._fingerprint_ranks: np.ndarray | None = None

    def column(self, name: str) -> np.ndarray:
        """Each article's raw value (``NO_VALUE`` for none) of a number or date column."""
        if name not in self.columns:
            parts = [column_values(reader, name) for reader, _ in self.leaves]
            self.columns[name] = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
        return self.columns[name]

    def fingerprint_ranks(self) -> np.ndarray:
        """Each article's place in the order of the fingerprint column's values."""
        if self._fingerprint_ranks is None:
            fingerprints: list[bytes] = []
            for reader, count in self.leaves:
                has = "fingerprint" in reader.schema and reader.has_column("fingerprint")
                fingerprints.extend(reader.column_reader("fingerprint", translate=False) if has else [b""] * count)
            order = sorted(range(len(fingerprints)), key=fingerprints.__getitem__)
            ranks = np.empty(len(fingerprints), dtype=np.int64)
            ranks[order] = np.arange(len(fingerprints))
            self._fingerprint_ranks = ranks
        return self._fingerprint_ranks

    def first(self, scored: Hits, name: str, reverse: bool, limit: int, extra: Extra | None = None) -> list[int]:
        """The first ``limit`` of the scored articles in the order of a column (descending with ``reverse``).

        ``extra`` gives what the query's optional parts add to the scores of some of the articles: it is asked only
        for those whose order among equal values decides which articles come first."""
        if not len(scored) or limit <= 0:
            return []
        ids, scores = scored.ids, scored.scores
        values = self.column(name)[ids]
        missing = values == NO_VALUE
        keys = ~values if reverse else values  # a uint64's complement orders it the other way
        if extra is not None:
            # The articles up to the last value among the first ``limit``: the score orders those of equal value.
            last = np.lexsort((keys, missing))[min(limit, len(ids)) - 1]
            ahead = (missing < missing[last]) | ((missing == missing[last]) & (keys <= keys[last]))
            chosen = np.flatnonzero(ahead)
            ids, scores, missing, keys = ids[chosen], scores[chosen] + extra(ids[chosen]), missing[chosen], keys[chosen]
        order = np.lexsort((self.fingerprint_ranks()[ids], -scores, keys, missing))
        return ids[order[:limit]].tolist()


_SORT_VALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _once_per_reader(kept: weakref.WeakKeyDictionary, searcher: Searcher, make: Callable[[Searcher], Any]) -> Any:
    """What ``make`` finds of a searcher's articles, kept for its reader (a switch or an ``add``/``delete`` opens
    another, and the one kept goes with the old reader)."""
    reader = searcher.reader()
    if reader not in kept:
        kept[reader] = make(searcher)
    return kept[reader]


def sort_values(searcher: Searcher) -> SortValues:
    """The searcher's ``SortValues``, made once per reader; each column is read when a search first sorts by it."""
    return _once_per_reader(_SORT_VALUES, searcher, SortValues)


class TieOrder:
    """The order of articles with equal scores: newest first, then by id — whatever their document numbers.

    Document numbers depend on how the parallel build shared the articles between its workers, so ordering ties by
    them (as Whoosh's collector does) could change the page from one rebuild of the same articles to the next.
    Only the tied articles are looked up, in the date and fingerprint (hash, then id) columns of their segment.
    """

    def __init__(self, searcher: Searcher) -> None:
        self.starts: list[int] = []
        self.columns: list[tuple[Any, Any]] = []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            self.starts.append(offset)
            self.columns.append(
                tuple(
                    reader.column_reader(name, translate=False)
                    if name in reader.schema and reader.has_column(name)
                    else None
                    for name in ("published", "fingerprint")
                )
            )

    def key(self, docnum: int) -> tuple[bool, int, bytes]:
        segment = bisect.bisect_right(self.starts, docnum) - 1
        local = docnum - self.starts[segment]
        published, fingerprints = self.columns[segment]
        when = NO_VALUE if published is None else published[local]
        identifier = b"" if fingerprints is None else fingerprints[local][FINGERPRINT_SIZE:]
        return when == NO_VALUE, -when, identifier


_TIE_ORDERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def tie_order(searcher: Searcher) -> TieOrder:
    """The searcher's ``TieOrder``, made once per reader: opening a segment's fingerprint column reads the offset of
    every article's value (milliseconds on a large index), and most searches have ties."""
    return _once_per_reader(_TIE_ORDERS, searcher, TieOrder)


class Copies:
    """The articles that are copies of another: the same title, sapo and body (the ``content`` column), or near copies
    (the same text edited: the ``near`` column), under other ids.

    A portal network republishes: a department's notice is also on the city's portal and on a ward's, each copy with
    its own address, category and date, and a newspaper's report on another's site, a sentence or a title changed. A
    results list shows each text once, as the copy of it that a search scores best among those it matched
    (``collapse``), equal ones (exact copies) newest, then by id (``TieOrder``), so the same one on every page and in
    every order; a category or a date chosen picks the copy that has it. The others are named under it.

    Two articles are near copies where their signatures (``schema.near``) agree at NEAR_SHARE of their values or more
    (about that share of their runs of five words in common) and neither writes a number the other does not also
    write, one way or the other: an edit that adds a sentence keeps them copies, a notice for the next month (its
    date) does not. A group of near copies is one article and those near it (``_led``), not edits of edits; an exact
    copy of any of them is in it too. Pairs are looked for where a band of NEAR_BAND values agrees (locality-sensitive
    hashing), so no search compares every pair.

    ``group`` is each article's group of copies (-1 for an article without any, nearly all of them) and ``place`` its
    place in its group, in that order; ``members`` each group's articles in that order; ``exact`` each article's group
    of exact copies (-1 for none). Deleted articles are in no group. An index written without a column has none of
    its copies."""

    def __init__(self, searcher: Searcher) -> None:
        size = searcher.doc_count_all()
        self.group = np.full(size, -1, dtype=np.int64)
        self.place = np.zeros(size, dtype=np.int64)
        self.exact = np.full(size, -1, dtype=np.int64)
        self.members: list[list[int]] = []
        # Each column's rows of the live articles that have a value, and their document numbers, segment by segment.
        rows: dict[str, list[np.ndarray]] = {"content": [], "near": []}
        docnums: dict[str, list[np.ndarray]] = {"content": [], "near": []}
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
            for name, size in (("content", CONTENT_SIZE), ("near", NEAR_SIZE)):
                if name in reader.schema and reader.has_column(name):
                    values = np.frombuffer(fixed_column_bytes(reader, name), dtype=np.uint8)
                    values = values.reshape(leaf.doc_count_all(), size)
                    # An article written without a value, or too short for a signature, holds zeros.
                    live = values.any(axis=1)
                    live[deleted] = False
                    rows[name].append(values[live])
                    docnums[name].append(np.flatnonzero(live) + offset)
        none = np.empty((0, 2), dtype=np.int64)
        exact = _exact_pairs(*map(np.concatenate, (rows["content"], docnums["content"]))) if rows["content"] else none
        near = _near_pairs(*map(np.concatenate, (rows["near"], docnums["near"]))) if rows["near"] else none
        if not len(exact) and not len(near):
            return
        key = functools.cache(tie_order(searcher).key)  # each article's read once (its date and fingerprint)
        groups = _connected(np.concatenate([exact, _led(near, key)]))
        for number, group in enumerate(groups):
            members = sorted(group, key=key)
            self.group[members] = number
            self.place[members] = np.arange(len(members))
            self.members.append(members)
        for number, group in enumerate(_connected(exact)):
            self.exact[group] = number

    def among(self, docnums: np.ndarray) -> np.ndarray:
        """The places in ``docnums`` of the articles that have copies."""
        if not self.members or not len(docnums):
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(self.group[docnums] >= 0)

    def collapse(
        self, docnums: np.ndarray, inside: np.ndarray | None = None, scores: np.ndarray | None = None
    ) -> np.ndarray:
        """Which of the given articles (ascending) a results list shows, as a mask: each but those with a copy
        scoring more among the given ones (``scores``, when given), or as much and before them. ``inside``:
        ``among(docnums)``, when known."""
        shown = np.ones(len(docnums), dtype=bool)
        inside = self.among(docnums) if inside is None else inside
        if len(inside):
            groups = self.group[docnums[inside]]
            best = np.zeros(len(inside)) if scores is None else -scores[inside]
            order = np.lexsort((self.place[docnums[inside]], best, groups))
            inside, groups = inside[order], groups[order]
            shown[inside[1:][groups[1:] == groups[:-1]]] = False
        return shown

    def of(self, docnum: int) -> list[int]:
        """The other copies of an article, in their order."""
        group = int(self.group[docnum]) if docnum < len(self.group) else -1
        return [] if group < 0 else [other for other in self.members[group] if other != docnum]

    def same(self, docnum: int, other: int) -> bool:
        """Whether two articles are exact copies (the same title, sapo and body), not near ones."""
        return bool(self.exact[docnum] >= 0 and self.exact[docnum] == self.exact[other])


NEAR_SHARE = 0.7  # of two articles' signature values equal, at least: near copies (see Copies)
NEAR_BAND = 4  # signature values a band of locality-sensitive hashing holds
NEAR_BUCKET = 50  # articles sharing a band beyond which each is compared with the first only, not with every other


def _exact_pairs(hashes: np.ndarray, docnums: np.ndarray) -> np.ndarray:
    """Pairs of articles with the same content hash (``CONTENT_SIZE`` bytes a row): each with the next in a sort by
    hash."""
    hashes = hashes.view(np.uint64)
    order = np.lexsort(hashes.T[::-1])
    hashes, docnums = hashes[order], docnums[order]
    same = (hashes[1:] == hashes[:-1]).all(axis=1)  # each article's hash equal to the one before it in that order
    return np.stack([docnums[:-1][same], docnums[1:][same]], axis=1)


def _near_pairs(signatures: np.ndarray, docnums: np.ndarray) -> np.ndarray:
    """Pairs of near copies (see ``Copies``) among articles with signatures (``schema.near``, one row each)."""
    values = signatures[:, : NEAR_HASHES * 2].view("<u2")
    numbers = signatures[:, NEAR_HASHES * 2 :]
    candidates = []
    for start in range(0, NEAR_HASHES, NEAR_BAND):
        band = np.ascontiguousarray(values[:, start : start + NEAR_BAND]).view(np.uint64)[:, 0]
        order = np.argsort(band)
        ordered = band[order]
        bounds = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1], [True])))
        lengths = np.diff(bounds)  # of the runs of articles sharing the band
        two = bounds[:-1][lengths == 2]  # nearly every run of more than one: a pair
        candidates.append(np.stack([order[two], order[two + 1]], axis=1))
        longer = np.flatnonzero(lengths > 2)
        for begin, end in zip(bounds[longer].tolist(), bounds[longer + 1].tolist(), strict=True):
            run = order[begin:end]
            if len(run) > NEAR_BUCKET:
                candidates.append(np.stack([np.full(len(run) - 1, run[0]), run[1:]], axis=1))
            else:
                first, second = np.triu_indices(len(run), 1)
                candidates.append(np.stack([run[first], run[second]], axis=1))
    if not candidates:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.unique(np.sort(np.concatenate(candidates), axis=1), axis=0)
    left, right = pairs[:, 0], pairs[:, 1]
    shared = (values[left] == values[right]).mean(axis=1) >= NEAR_SHARE
    # One's numbers all among the other's.
    within = ~(numbers[left] & ~numbers[right]).any(axis=1) | ~(numbers[right] & ~numbers[left]).any(axis=1)
    kept = pairs[shared & within]
    return docnums[kept]


def _led(pairs: np.ndarray, key: Callable[[int], Any]) -> np.ndarray:
    """Near copies as groups each led by one article, every other a near copy of it: each article, in ``key``'s
    order, leads the ones near it that no article before it leads, unless one before it leads it. Joined a pair at a
    time, edits of edits would chain into one group: ViCoV19QA's boilerplate answers, 33 in one, two of them sharing
    a fifth of their runs of words."""
    near: dict[int, list[int]] = {}
    for first, second in pairs.tolist():
        near.setdefault(first, []).append(second)
        near.setdefault(second, []).append(first)
    led: dict[int, int] = {}
    leaders: set[int] = set()
    for article in sorted(near, key=key):
        if article not in led:
            leaders.add(article)
            for other in near[article]:
                if other not in leaders:
                    led.setdefault(other, article)
    return np.array([(leader, article) for article, leader in led.items()], dtype=np.int64).reshape(-1, 2)


def _connected(pairs: np.ndarray) -> list[list[int]]:
    """The groups of articles joined by pairs (copies of copies are one group), each in ascending order."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, second in pairs.tolist():
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for node in sorted(parent):
        groups.setdefault(root(node), []).append(node)
    return list(groups.values())


_COPIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def copies_of(searcher: Searcher) -> Copies:
    """The searcher's ``Copies``, found once per reader."""
    return _once_per_reader(_COPIES, searcher, Copies)


def best_matches(searcher: Searcher, scored: Hits, depth: int) -> list[tuple[float, int]]:
    """The ``depth`` best (score, docnum), equal scores in ``TieOrder`` (those cut at the last place included)."""
    count = len(scored)
    if not count or depth <= 0:
        return []
    chosen = np.arange(count)
    if count > depth:
        # Every article scoring at least the depth-th best: the last place may be shared with articles beyond it.
        last = np.partition(scored.scores, count - depth)[count - depth]
        chosen = np.flatnonzero(scored.scores >= last)
    ids, scores = scored.ids[chosen], scored.scores[chosen]
    order = np.lexsort((ids, -scores))
    top = list(zip(scores[order].tolist(), ids[order].tolist(), strict=True))
    if len(set(scores.tolist())) == len(top):
        return top[:depth]
    key = tie_order(searcher).key
    ordered: list[tuple[float, int]] = []
    for _, group in itertools.groupby(top, key=lambda pair: pair[0]):
        tied = list(group)
        ordered.extend(sorted(tied, key=lambda pair: key(pair[1])) if len(tied) > 1 else tied)
    return ordered[:depth]


def _restorer(vocabulary: Vocabulary | None, synonyms: Synonyms | None) -> Callable[[str], Restoration] | None:
    """The restorations of one search's runs, each text restored once (the plan, the plan without the chosen
    categories and the page's suggestion ask for the same run), reading the forms of the search's synonym list as
    its words (``Synonyms.spellings``)."""
    if vocabulary is None:
        return None
    listed = synonyms.spellings if synonyms is not None else None
    return functools.cache(functools.partial(restorations, vocabulary=vocabulary, listed=listed))


class Ranked(NamedTuple):
    """How many match, the first ones as (score, docnum) in order, the facet counts, and how many of the matches
    hold every typed word (``SearchPlan.words``; all of them for a plan that requires every word)."""

    total: int
    top: list[tuple[float | None, int]]
    groups: dict[str, dict[Any, int]]
    complete: int


def _ranked(
    searcher: Searcher,
    plan: SearchPlan,
    sort: str,
    limit: int,
    facets: bool,
    kept: dict[str, Sequence[Any]] | None = None,
) -> Ranked:
    """Every match found: how many, the first ``limit`` in order as (score, docnum), the facet counts (with the
    values ``kept`` of a facet, even at 0), and how many hold every typed word (counted with ``facets`` or for a
    coordinated run, else 0).

    By relevance, the plan's best ``rerank_depth`` matches, on every page, also get its optional boosts and phrase
    boosts, times the share of a headline-like run's words they hold (``coverage``), and are ordered again; the
    matches after them keep the required part's order (and score).
    """
    lists = PostingLists(searcher)  # each posting list read once, for the matching and for the candidates' boosts
    scored = match_scores(searcher, plan.required, lists)  # every match, a posting list at a time
    copies = copies_of(searcher)
    inside = copies.among(scored.ids)
    groups: dict[str, dict[Any, int]] = {}
    if facets:
        values = facet_values(searcher)
        for name, _ in FACETS:  # categories and sources as many as the page lists, every year
            listed = None if name == "year" else FACET_LIMIT
            groups[name] = values[name].count(scored.ids, copies.group, inside, listed, (kept or {}).get(name, ()))
    if len(inside):  # copies of one article, shown once
        shown = copies.collapse(scored.ids, inside, scored.scores)
        scored = Hits(scored.ids[shown], scored.scores[shown])
    total = len(scored)
    # The matches holding every typed word, each of several syllables whole, of a plan any of whose words may match:
    # the page counts them, and a coordinated run's best of them join the candidates reranked (below).
    whole = _complete_matches(searcher, plan, scored, lists) if plan.words and (facets or plan.coverage) else None
    complete = total if not plan.words else 0 if whole is None else len(whole)
    if SORT_ORDERS[sort] is not None:
        name, reverse = SORT_ORDERS[sort]

        def extra(docnums: np.ndarray) -> np.ndarray:  # equal values by the whole query's score, as by relevance
            added = optional_scores(searcher, docnums.tolist(), plan.optional, lists)
            return np.array([added.get(docnum, 0.0) for docnum in docnums.tolist()])

        first = sort_values(searcher).first(scored, name, reverse, limit, extra if plan.optional else None)
        return Ranked(total, [(None, docnum) for docnum in first], groups, complete)

    # Every match is scored (the total and the facets need them all anyway) and the best are taken. Never Whoosh's
    # search(limit=N): its collector "replaces" the matchers every few matches by cheaper ones judged from the
    # terms' best scores, and with an optional part (AndMaybe) loses strong matches (whoosh-community/whoosh#122).
    # The optional parts (word and stop-word boosts, a restored spelling's words) decide nothing about what
    # matches: the matches are collected under the required part, and the best candidates get the rest.
    # Best first; equal scores newest first, then by id (TieOrder), the same after any rebuild.
    depth = plan.rerank_depth
    top = best_matches(searcher, scored, max(limit, depth))
    # Only the best `depth` are ordered again, whatever the page: every page agrees with the first.
    head, tail = top[:depth], top[depth:]
    sought = [boost for boost in plan.proximity if boost.everywhere]
    if sought and head and len(scored) > depth:
        # With them, the best of the articles holding a short run whole (PHRASE_HOLDERS of them at least, where as
        # many are among the best PHRASE_HOLDERS_AMONG), however far down their words' own scores put them.
        among = scored.ids
        if len(among) > ranking.PHRASE_HOLDERS_AMONG:
            among = among[np.argpartition(-scored.scores, ranking.PHRASE_HOLDERS_AMONG)[: ranking.PHRASE_HOLDERS_AMONG]]
        chosen = {docnum for _, docnum in head}
        for boost in sought:
            wanted = ranking.PHRASE_HOLDERS - len(holding(searcher, [docnum for _, docnum in head], boost, lists))
            if wanted <= 0:
                continue
            held = holding(searcher, among[~np.isin(among, list(chosen))].tolist(), boost, lists)
            at = np.flatnonzero(np.isin(scored.ids, held))
            pulled = best_matches(searcher, Hits(scored.ids[at], scored.scores[at]), wanted)
            head += pulled
            chosen.update(docnum for _, docnum in pulled)
        tail = [pair for pair in tail if pair[1] not in chosen]
    if plan.coverage and head and len(scored) > depth:
        # With them, the best of the articles holding every word of a coordinated run whole (PHRASE_HOLDERS of
        # them), however far down their words' own scores put them: the most words first.
        chosen = {docnum for _, docnum in head}
        at = np.flatnonzero(np.isin(scored.ids, whole) & ~np.isin(scored.ids, list(chosen)))
        pulled = best_matches(searcher, Hits(scored.ids[at], scored.scores[at]), ranking.PHRASE_HOLDERS)
        head += pulled
        chosen.update(docnum for _, docnum in pulled)
        tail = [pair for pair in tail if pair[1] not in chosen]
    if head:
        candidates = [docnum for _, docnum in head]
        extra = optional_scores(searcher, candidates, plan.optional, lists)
        for docnum, score in proximity_scores(searcher, candidates, plan.proximity, lists).items():
            extra[docnum] = extra.get(docnum, 0.0) + score
        share = coverage(searcher, candidates, plan.coverage, lists)
        if extra or share:  # a headline's article holds most of its words, not a few of them many times
            head = [((score + extra.get(docnum, 0.0)) * share.get(docnum, 1.0), docnum) for score, docnum in head]
            head.sort(key=lambda pair: -pair[0])  # stable: equal scores keep the tie order
    return Ranked(total, (head + tail)[:limit], groups, complete)


def _written(vocabulary: Vocabulary | None, text: str) -> bool:
    """Whether the index writes every syllable of letters of a text so spelled, as a word, not a slip (``holds``)."""
    return vocabulary is not None and all(
        holds(vocabulary, syllable.text.lower()) for syllable in split_syllables(text) if syllable.text.isalpha()
    )


def _retries(plan: SearchPlan, vocabulary: Vocabulary | None, mended: bool = False) -> Iterator[SearchPlan]:
    """What to try, in turn, when a plan matches nothing: the numbers it requires beside their words anywhere, then
    any of its words, then (where none is held as typed) its words with any diacritics (typed with them), then the
    words it requires whole with their syllables apart. Typed with a syllable the index never writes so (a slip of
    its marks, `tham nhủng`), or whose spelling offered mends only its marks (``mended``: the advanced form's
    `cải cách hãnh chính`), the words with any diacritics come before some of the words.

    The articles holding most of the words, each whole, come before the words in other accentings or a word's
    syllables apart, which are mostly other words: none of the first 21,000 VNTC articles holds both *Vân Phong*
    and *Phú Quốc*, and `vân phong và phú quốc` listed 15 holding their syllables apart (*Sự kiện đáng cười năm
    khỉ* first), where the articles on either place (*Miễn thuế nhập khẩu khi đầu tư vào Vân Phong*) are what was
    asked (``bench/unheld_queries.py``: the answers' closeness to the article a query was cut from). A single word
    no article holds whole has no partial match: its other accentings, then its syllables apart, are what is left."""
    understood = plan.understood
    slipped = understood["diacritics"] and (
        mended or not _written(vocabulary, " ".join(understood[name] for name in ("q", "all", "phrase", "any")))
    )
    partly, otherwise = plan.relaxed, plan.other_diacritics
    for retry in (plan.numbers_apart, *((otherwise, partly) if slipped else (partly, otherwise)), plan.apart):
        if retry is not None:
            yield retry


def _marks_restored(
    request: SearchRequest, restorer: Callable[[str], Restoration] | None, vocabulary: Vocabulary | None
) -> tuple[SearchRequest, str | None]:
    """The request with its words typed without their marks among marked ones restored (``marks_left_out``), or, a
    query typed without any, its syllables typed without spaces spaced (``spaced_reading``), or, a short one,
    spelled as it all but surely reads (``surely_restored``); and the box as typed when that changed it (None when
    not, or when the visitor asked for the words as typed); a short one that surely reads as typed, as typed or
    spaced, its words matched as spelled (``surely_as_typed``), the box as typed beside it even when the same. Words
    excluded before or after them (``exclusions_apart``) read no others and are left as typed, after them, but for a
    run of letters typed without spaces (``exclusions_spaced``): ``tham nhung -"ha noi"``, ``-"ha noi" tham nhung``
    and ``tham nhung -hanoi`` search what ``tham nhung`` does, less *Hà Nội*."""
    if restorer is None or request.as_typed:
        return request, None
    if vocabulary is not None:  # the advanced form's words typed without spaces, spaced (`hanoi`: *ha noi*)
        spaced_fields = {name: fields_spaced(vocabulary, getattr(request, name)) for name in WORD_FIELDS}
        request = replace(request, **{name: text for name, text in spaced_fields.items() if text is not None})
    # "All these words" typed without diacritics that surely read one way, spelled so, as the box's are; the page
    # echoes the field as searched.
    all_spelled = surely_restored(request.all, restorer) if request.all.strip() else None
    request = replace(request, all=all_spelled) if all_spelled else request
    any_spelled = any_words_spelled(request.any, restorer) if request.any.strip() else None
    request = replace(request, any=any_spelled) if any_spelled else request
    words, excluded = exclusions_apart(request.q)
    fixed = marks_left_out(words, restorer)
    if fixed is None and vocabulary is not None:
        fixed = spaced_reading(words, restorer, vocabulary)
    fixed = fixed or surely_restored(words, restorer) or alternatives_restored(words, restorer)
    spelled = surely_as_typed(fixed or words, restorer)  # `nha trang`, `nhatrang` spaced
    spaced = _exclusions_read(excluded, vocabulary)
    if fixed is None and spaced is None:
        return (replace(request, spelled=True), request.q) if spelled else (request, None)
    return replace(request, q=_joined(fixed or words, spaced or excluded), spelled=spelled), request.q


def _bare_spelled_request(request: SearchRequest, spell: Callable[[str], str | None]) -> str | None:
    """The box with its words looked for spelled by ``spell`` (``bare_read``, ``bare_shown``: their syllables typed
    without marks among marked ones), the words excluded after them as typed; None when nothing changes."""
    words, excluded = exclusions_apart(request.q)
    spelled = spell(words)
    return _joined(spelled, excluded) if spelled is not None else None


def _read_as_shown(request: SearchRequest, restorer: Callable[[str], Restoration] | None, plan: SearchPlan) -> str:
    """The box as searched, its words looked for typed without marks among marked ones that the search matched as
    their readings spelled as they likeliest read (``bare_shown``): what the page says its results are of (``mưa lớn
    miền bac``: *mưa lớn miền bắc*)."""
    if restorer is None or request.as_typed or not plan.understood["diacritics"]:
        return request.q
    return _bare_spelled_request(request, lambda words: bare_shown(words, restorer)) or request.q


def _exclusions_read(excluded: str, vocabulary: Vocabulary | None) -> str | None:
    """Words excluded after the words looked for, their letters typed without spaces spaced (``exclusions_spaced``);
    None when none is."""
    return exclusions_spaced(vocabulary, excluded) if excluded and vocabulary is not None else None


def _joined(words: str, excluded: str) -> str:
    """The words looked for and the words excluded after them (``exclusions_apart``), as one query."""
    return " ".join(part for part in (words.strip(), excluded.strip()) if part)


def _looked_for(text: str) -> str:
    """The words a query looks for, before the words it excludes (``exclusions_apart``), as the box's parser reads
    them (``words_read``), in lower case."""
    return words_read(exclusions_apart(text)[0]).strip().lower()


def _keyboard_decoded(
    request: SearchRequest,
    restorer: Callable[[str], Restoration] | None,
    vocabulary: Vocabulary | None,
    synonyms: Synonyms | None = None,
) -> tuple[SearchRequest, str | None]:
    """The request with its box, and the advanced form's fields, typed in Telex or VNI without a Vietnamese keyboard
    decoded (``keyboard.repair``), and which keyboard the box was typed on (None: neither, or searched as typed). The
    box's exclusions are read whole and after its words (``_exclusions_whole``), and its plain words beside the
    decoded ones read as beside words typed with their marks (``marks_left_out``)."""
    if vocabulary is None or request.as_typed:
        return request, None

    def decoded(text: str) -> tuple[str, str] | None:
        return repair(text, lambda syllable: vocabulary.known.get(syllable, 0), vocabulary.joined_letters[1])

    keyboard = None
    repaired = decoded(request.q)
    if repaired is not None:  # typed in Telex or VNI: its Vietnamese searched, and said so
        fixed, keyboard = repaired
        fixed = _exclusions_whole(replace(request, q=fixed), restorer, vocabulary, synonyms).q  # `-xe mays`: *xe máy*
        words, excluded = exclusions_apart(fixed)  # `NOT hanoi` read as `NOT ha noi`, as _marks_restored reads it
        if restorer is not None:  # `muwa baox mien trung`: *mưa bão* decoded, then *miền trung* read beside it
            words = marks_left_out(words, restorer) or words
        request = replace(request, q=_joined(words, _exclusions_read(excluded, vocabulary) or excluded))
    # The advanced form's fields so typed too; the page names them as searched.
    fields = {name: decoded(getattr(request, name)) for name in WORD_FIELDS if getattr(request, name).strip()}
    request = replace(request, **{name: found[0] for name, found in fields.items() if found is not None})
    return request, keyboard


def _as_read(
    request: SearchRequest,
    restorer: Callable[[str], Restoration] | None,
    vocabulary: Vocabulary | None,
    synonyms: Synonyms | None = None,
    *,
    read: bool = True,
    box: str | None = None,
) -> tuple[SearchRequest, SearchRequest, str | None]:
    """A request as a search reads it (see ``_ranked_as_read``): the request with its exclusions read, the request
    read, and the box as typed when the reading changed its words (else None)."""
    typed = request if box is not None else _exclusions_whole(request, restorer, vocabulary, synonyms)
    box = request.q if box is None else box
    mended = horns_mended(typed.q, vocabulary) if read and vocabulary is not None and not request.as_typed else None
    reading = replace(typed, q=mended) if mended is not None else typed  # `nguời dân` is *người dân*
    request, corrected_from = _marks_restored(reading, restorer, vocabulary) if read else (reading, None)
    if request.q != typed.q:
        corrected_from = box
    return typed, request, corrected_from


def _ranked_as_read(
    searcher: Searcher,
    request: SearchRequest,
    synonyms: Synonyms | None,
    vocabulary: Vocabulary | None,
    restorer: Callable[[str], Restoration] | None,
    limit: int,
    *,
    facets: bool,
    sort: str | None = None,
    read: bool = True,
    box: str | None = None,
) -> tuple[SearchRequest, str | None, SearchPlan, Ranked]:
    """A request ranked as read: its exclusions read (``_exclusions_whole``; ``box`` gives what was typed where the
    request has them read already), then, unless ``read`` is False (a query decoded from Telex or VNI is read
    already) or the box is searched as typed, a syllable typed with half of its horns written whole
    (``horns_mended``) and the rest of the reading (``_marks_restored``); with the box as typed when the reading
    changed its words; when that reading finds nothing (and, where it only marks the letters typed, nor do its
    numbers apart or some of its words), the request with its exclusions read only. Its plan's own order unless
    ``sort`` is given."""
    typed, request, corrected_from = _as_read(request, restorer, vocabulary, synonyms, read=read, box=box)
    while True:
        plan = build_plan(request, synonyms, restorer)
        ranked = _ranked(searcher, plan, sort or plan.sort, limit, facets=facets)
        if ranked[0] or corrected_from is None:
            return request, corrected_from, plan, ranked
        if fold_diacritics(request.q.lower()) == fold_diacritics(typed.q.lower()):
            # A reading that only puts marks on the letters typed goes on to its own first retries, as the query
            # typed with them does, its numbers apart, then the articles holding some of its words, before its
            # letters in any accenting (what the words as typed find): `ho chon tap the`, read *hố chôn tập thể*,
            # which no article holds whole, is not answered with the articles holding *họ chọn tập thể*. Unless it
            # holds a syllable the index never writes so (`nghanh giao duc`, read *nghanh giáo dục*: the articles
            # write *nghành*), which the letters in any accenting may find.
            for retry in (plan.numbers_apart, plan.relaxed if _written(vocabulary, request.q) else None):
                if retry is None:
                    continue
                found = _ranked(searcher, retry, sort or retry.sort, limit, facets=facets)
                if found[0]:
                    return request, corrected_from, retry, found
        request, corrected_from = typed, None  # the spelling read finds nothing: the words as typed


def _exclusions_whole(
    request: SearchRequest,
    restorer: Callable[[str], Restoration] | None,
    vocabulary: Vocabulary | None,
    synonyms: Synonyms | None = None,
) -> SearchRequest:
    """The request with each ``-`` (and ``title:``) before a word of several syllables taking that word whole
    (``words_whole``: `-xe may` excludes *xe máy*, not *xe* alone), and its exclusions after the words looked
    for (``exclusions_apart``), so that those are one query, typed with diacritics or not: `tai nạn -xe máy giao
    thông` is `tai nạn giao thông -"xe máy"`."""
    together = vocabulary.together if vocabulary is not None else None
    whole = words_whole(request.q, restorer, together, synonyms)
    if whole is not None and len(whole) > MAX_QUERY_CHARS:
        return request  # quoted, its words would pass the characters a visitor may type: left as typed
    words, excluded = exclusions_apart(whole or request.q)
    text = _joined(words, excluded) if excluded else whole or request.q
    return replace(request, q=text) if text != request.q else request


def ranked_ids(
    searcher: Searcher, request: SearchRequest, synonyms: Synonyms | None, vocabulary: Vocabulary | None, limit: int
) -> list[str]:
    """The ids the search API would rank first for a request, without snippets or facets (for evaluation): its
    words typed without their marks among marked ones restored (``marks_left_out``), words typed without spaces
    spaced (``spaced_reading``), a short query typed without any spelled as it surely reads (``surely_restored``), as
    a search does; Telex and VNI are not decoded."""
    request.check()  # before its words are restored or read
    request = _names_read(searcher, request)
    restorer = _restorer(vocabulary, synonyms)
    _, _, plan, found = _ranked_as_read(
        searcher, request, synonyms, vocabulary, restorer, limit, facets=False, sort="relevance"
    )
    if not request.as_typed:
        plan, found = _unscattered(searcher, plan, found, limit, facets=False, sort="relevance")
    total, top, _, _ = found
    for retry in _retries(plan, vocabulary) if not total else ():
        total, top, _, _ = _ranked(searcher, retry, "relevance", limit, facets=False)
        if total:
            break
    return [searcher.stored_fields(docnum)["id"] for _, docnum in top]


def _missing(words: list[str]) -> list[str]:
    """The typed words an article lacks, a document number (``29-CT/TU``) standing for its own parts."""
    codes = [word for word in words if not word.isalnum()]
    parts = {part for code in codes for part in re.split(r"\W+", code.lower()) if part}
    return [word for word in words if word in codes or word.lower() not in parts]


def _scattered(searcher: Searcher, plan: SearchPlan, found: Ranked) -> bool:
    """Whether a short run typed without diacritics found only a few articles (``FEW_HELD``) holding its letters
    in other accentings, here and there: none holds them side by side in any accenting, nor matches what its
    likeliest reading typed with its marks finds at the first try (``SearchPlan.reading``, synonyms and all: `cong
    ty cp cap nuoc` is its company's). Such a query (`xa lu gay`, no article holding *xả lũ gây*) is answered as its
    accented form is, by the articles holding some of its words (``SearchPlan.relaxed``), not by the one article
    holding a *xá lú* and a *gây* (``bench/unheld_queries.py``: the answers' closeness to the article a query was cut
    from). A title typed without marks holds its letters side by side, and is found as before; a run that is, whole,
    a form of a synonym group (`play cu`, *Plây Cu*, *Pleiku*) by its forms, each a phrase or an abbreviation, which no
    article holds here and there."""
    if plan.understood["diacritics"] or not 0 < found.total <= FEW_HELD or isinstance(plan.required, SynonymGroup):
        return False
    folded = [boost for boost in plan.proximity if not boost.everywhere]
    marked = [boost for boost in plan.proximity if boost.everywhere]
    if len(folded) != 1 or len(marked) != 1:  # not one run read one way (a long run, several runs)
        return False
    lists = PostingLists(searcher)
    docnums = [docnum for _, docnum in found.top]
    if len(docnums) < found.total:  # a page shorter than the few found
        docnums = [docnum for _, docnum in _ranked(searcher, plan, "relevance", FEW_HELD, facets=False).top]
    if len(holding(searcher, docnums, folded[0], lists)) or plan.reading is None:
        return False
    return not any(matched(searcher, docnums, [plan.reading.required], lists).values())


def _unscattered(
    searcher: Searcher, plan: SearchPlan, found: Ranked, limit: int, *, facets: bool, sort: str | None = None
) -> tuple[SearchPlan, Ranked]:
    """A plan and what it found, or, where that is a few articles holding a query's letters here and there in other
    words (``_scattered``), its relaxed try and what that finds (when it finds anything)."""
    if not _scattered(searcher, plan, found) or plan.relaxed is None:  # (the relaxed plan built only then)
        return plan, found
    relaxed = _ranked(searcher, plan.relaxed, sort or plan.relaxed.sort, limit, facets=facets)
    return (plan.relaxed, relaxed) if relaxed.total else (plan, found)


def _complete_matches(searcher: Searcher, plan: SearchPlan, matches: Hits, lists: PostingLists) -> np.ndarray:
    """Which of a plan's matches (ascending) hold every typed word, each word of several syllables whole: the
    articles holding them all (an intersection, which skips through the posting lists), among the matches. The
    syllables of the words that are phrases come first in it, as words of their own: the positions of *công chức*
    are read only at the articles holding every syllable typed."""
    words = [query for _, query in plan.words]
    syllables = [word for query in words if isinstance(query, PhraseAcross) for word in query.words()]
    held = match_scores(searcher, Q.And([*syllables, *words]) if len(words) > 1 else words[0], lists).ids
    return matches.ids[np.isin(matches.ids, held)]


def _held_words(searcher: Searcher, plan: SearchPlan, docnums: list[int]) -> dict[int, set[int]]:
    """Which of a relaxed plan's typed words each article holds (every word, for a plan that required them all)."""
    if not plan.words:
        return {}
    return matched(searcher, docnums, [query for _, query in plan.words], PostingLists(searcher))


def run_search(
    searcher: Searcher, request: SearchRequest, synonyms: Synonyms | None = None, vocabulary: Vocabulary | None = None
) -> dict[str, Any]:
    """One page of results for a request, with facets, snippets and a suggestion, as plain data."""
    started = time.perf_counter()
    if request.page > MAX_PAGE:
        raise BadQuery(f"'page' must be at most {MAX_PAGE}", f"'page' không được vượt quá {MAX_PAGE}", "bad_page")
    request.check()  # before its words are decoded, restored or read (build_plan checks it too, later)
    typed = request.q
    request = _names_read(searcher, request)
    restorer = _restorer(vocabulary, synonyms)
    request, keyboard = _keyboard_decoded(request, restorer, vocabulary, synonyms)
    limit = request.page * request.per_page
    # As typed, its exclusions (and its `title:`) read as searched.
    typed_request = _exclusions_whole(request, restorer, vocabulary, synonyms)
    # Words typed without their marks, among marked ones or a short query that surely reads one way, and words typed
    # without spaces: searched so spelled, and said so.
    request, corrected_from, plan, (total, top, groups, complete) = _ranked_as_read(
        searcher,
        typed_request,
        synonyms,
        vocabulary,
        restorer,
        limit,
        facets=True,
        read=keyboard is None,
        box=request.q,
    )
    # Typed without any diacritic and searched as the spelling it surely reads, what is offered is still what the
    # letters typed read as (``bongda``: searched *bong da*, offered *bóng đá*), unless it is what was searched.
    surely = corrected_from is not None and not has_diacritics(corrected_from)
    suggestion = (
        suggest_query(
            searcher,
            typed_request if surely else request,
            synonyms,
            vocabulary,
            lambda text: offered_restoration(text, restorer(text)),
            best=[docnum for _, docnum in top[: request.per_page]],  # the first page's, whichever page is asked
        )
        if vocabulary is not None and restorer is not None
        else None
    )
    if surely and suggestion is not None and _looked_for(suggestion) == _looked_for(request.q):
        suggestion = None  # what was searched, but for how its exclusions are written (`-hanoi`, `-"ha noi"`)
    field_suggestions = (
        suggest_fields(searcher, request, synonyms, vocabulary, best=[docnum for _, docnum in top[: request.per_page]])
        if vocabulary is not None and any(getattr(request, name).strip() for name in SPELLED_FIELDS)
        else {}
    )
    accented = plan.understood["diacritics"]
    # Typed without diacritics, the letters the suggestion changes (``ngi dinh`` → *nghị định*), not its marks.
    letters = None if accented or suggestion is None else fold_diacritics(suggestion)
    if letters is not None and letters.lower() == fold_diacritics(request.q.lower()):
        letters = None
    # Nothing as typed, and nothing else offered: its words typed without marks among marked ones read as they
    # likeliest read beside the others, however likely as typed (`bồi dưỡng van hoa`: *văn hóa*), are the next try.
    nothing = not total and accented and suggestion is None and restorer is not None and not request.as_typed
    spelling = suggestion or (
        _bare_spelled_request(request, lambda words: bare_read(words, restorer)) if nothing else None
    )
    few = complete <= FEW_HELD and (accented or letters) and spelling and not request.as_typed and " " in spelling
    if few:
        # Nothing as typed, or a few articles, and a likelier spelling, chosen by its neighbours, that many more
        # articles hold: its results, and the page says so. Where the spelling too finds nothing at its first try, its
        # numbers apart from their words come before the retries of the words as typed: `nghị đinh 100`, no article
        # holding *nghị định 100*, is answered with the articles on *nghị định* that hold a *100*, not an article with a
        # *đinh* (a nail). Its other retries do not: the words as typed in other diacritics find what a query with marks
        # left out means (`miễn phí voi “qua vang`: *miễn phí với “Quà vàng sức khỏe”*). Typed without diacritics, the
        # words with the letters mended, still without diacritics: what typing them right finds, the accented spelling
        # still offered. A single word has no neighbours to choose by (is "Tú" a slip for "từ", or a name?): its other
        # accentings are the next try, all of them, under their own notice. Mended letters that all but surely read one
        # way are searched so spelled, as if so typed; a spelling that mends a syllable to one typed without marks among
        # marked ones (`thủ tuongs`: *thủ tuong*) is read as such a query is (*thủ tướng*), as the page says it was.
        corrected, spelled_from, corrected_plan, found = _ranked_as_read(
            searcher,
            replace(request, q=letters or spelling),
            synonyms,
            vocabulary,
            restorer,
            limit,
            facets=True,
        )
        retry = corrected_plan.numbers_apart if not total and not found[0] else None
        if retry is not None and (apart := _ranked(searcher, retry, retry.sort, limit, facets=True))[0]:
            corrected_plan, found = retry, apart
        if found[0] and (not total or found.complete >= CORRECTED_MORE * max(complete, 1)):
            offered = suggestion if letters and spelled_from is None else None
            corrected_from, suggestion = corrected_from or request.q, offered
            request, plan, (total, top, groups, complete) = corrected, corrected_plan, found
    if not request.as_typed:
        # Typed without diacritics, a few articles holding its letters in other accentings here and there: the
        # articles holding some of its words, as its accented form finds.
        plan, (total, top, groups, complete) = _unscattered(
            searcher, plan, Ranked(total, top, groups, complete), limit, facets=True
        )
    # A spelling offered that only puts other marks on the words typed: they are a slip of the marks.
    spellings = [(request.q, suggestion), *((getattr(request, name), text) for name, text in field_suggestions.items())]
    mended = not total and any(
        text and fold_diacritics(text.lower()) == fold_diacritics(words.lower()) for words, text in spellings
    )
    for retry in _retries(plan, vocabulary, mended) if not total else ():
        # Nothing as typed: the numbers required beside their words anywhere, else what has some of the words, the
        # words with other diacritics, the words required whole with their syllables apart; the understood query
        # says which ("numbers_apart", "relaxed", "other_diacritics", "apart"), and the page says so.
        total, top, groups, complete = _ranked(searcher, retry, retry.sort, limit, facets=True)
        if total:
            plan = retry
            break
    for name, chosen in (("category", "categories"), ("source", "sources")):
        if getattr(request, chosen):
            # The values chosen combine with OR, so each one's count is what it would add: counted as if none were
            # chosen, the other facet's choice kept (disjunctive facets, as Algolia and Meilisearch show them).
            unfiltered = build_plan(
                replace(request, **{chosen: []}), synonyms, restorer, **tries_understood(plan.understood)
            )
            # Each value chosen keeps its row, though no article found holds it (the words or the other facet's
            # choice changed since): a visitor unticks it where it was ticked.
            kept = {name: getattr(request, chosen)}
            groups[name] = _ranked(searcher, unfiltered, unfiltered.sort, 1, facets=True, kept=kept).groups[name]
    read = _read_as_shown(request, restorer, plan)
    if (corrected_from or keyboard) and suggestion is not None and _looked_for(suggestion) == _looked_for(read):
        suggestion = None  # what the page's notice says its results are of already
    copies = copies_of(searcher)
    pages = math.ceil(total / request.per_page) if total else 0
    if request.page > max(1, pages):
        raise PageOutOfRange(request.page, pages)
    exact, folded = query_terms(plan)
    relevance = plan.sort == "relevance"
    shown = top[(request.page - 1) * request.per_page :]
    held = _held_words(searcher, plan, [docnum for _, docnum in shown])
    hits = []
    articles = [searcher.stored_fields(docnum) for _, docnum in shown]
    passages = best_snippets(articles, exact, folded)
    titles = marked_titles([fields.get("title", "") for fields in articles], exact, folded)
    for (score, docnum), fields, passage, title in zip(shown, articles, passages, titles, strict=True):
        hit = hit_json(fields, score if relevance else None, passage, title)
        lacking = [word for number, (word, _) in enumerate(plan.words) if number not in held.get(docnum, ())]
        hit["missing"] = _missing(lacking)
        hit["copies"] = [
            copy_json(searcher.stored_fields(other)) | {"exact": copies.same(docnum, other)}
            for other in copies.of(docnum)[:COPIES_SHOWN]
        ]
        hits.append(hit)
    return {
        "query": {
            **plan.understood,
            "typed": typed,
            "keyboard": keyboard,
            "corrected_from": corrected_from,
            "read": read,
        },
        "total": total,
        "complete": complete,
        "page": request.page,
        "per_page": request.per_page,
        "pages": pages,
        "took_ms": round((time.perf_counter() - started) * 1000, 2),
        "hits": hits,
        "facets": facets_json(groups, {"category": request.categories, "source": request.sources}),
        "suggestion": suggestion,
        "field_suggestions": field_suggestions,
    }


class ResultCache:
    """The answers to the requests searched lately on one state of the index, as JSON, the least recently asked
    dropped past ``capacity`` bytes.

    A portal's visitors ask the same few queries again and again (the news of the day, a service's name): their
    answers are kept until the index changes. Whatever changes the answer — a new generation, an ``add`` or
    ``delete`` committed, a new vocabulary for the suggestions — starts an empty cache (``SearchEngine`` gives each
    state its own ``epoch``).
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.size = 0
        self.epoch: Any = None
        self.hits = self.misses = 0
        self._entries: OrderedDict[str, bytes] = OrderedDict()

    def get(self, epoch: Any, key: str) -> dict[str, Any] | None:
        if epoch != self.epoch:
            self._entries.clear()
            self.size, self.epoch = 0, epoch
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return json.loads(found)  # a copy of its own for each caller

    def put(self, epoch: Any, key: str, answer: dict[str, Any]) -> None:
        if epoch != self.epoch or not self.capacity:  # a cache turned off serialises nothing
            return
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        if len(data) > self.capacity // 8 or key in self._entries:
            return
        self._entries[key] = data
        self.size += len(data)
        while self.size > self.capacity:
            _, dropped = self._entries.popitem(last=False)
            self.size -= len(dropped)


RESULT_CACHE_BYTES = 32 * 1024 * 1024
COMPLETIONS_KEPT = 4096  # prefixes whose completions a worker keeps (a few hundred bytes each)


class SearchEngine:
    """An index opened once and reused across searches; reopened when a new generation goes live or when ``add`` or
    ``delete`` committed to the live one."""

    def __init__(
        self, root: str | Path, synonym_files: tuple[str, ...] = (), result_cache_bytes: int = RESULT_CACHE_BYTES
    ):
        self.root = Path(root)
        self._synonyms = load_synonyms(synonym_files)
        self._lock = threading.RLock()
        self._index = None
        self._generation: Path | None = None
        self._searcher: Searcher | None = None
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_for = -1  # the state of the index (its table of contents' number) the vocabulary is of
        self._vocabulary_wanted_since = 0.0  # when the searcher moved on to a state the vocabulary is not of
        self._vocabulary_file: tuple[int, int] | None = None  # the saved file's (mtime, size) when last read
        self._claim: IO[str] | None = None
        self.results = ResultCache(result_cache_bytes)
        self._opened = 0  # searchers, vocabularies and synonym lists taken up: what an answer depends on changed
        self._completions: OrderedDict[str, list[str]] = OrderedDict()
        self._completions_for = -1  # the value of _opened the kept completions were found with
        self._completions_lock = threading.Lock()  # the kept completions, read also by a suggestion not holding _lock
        self._learnt: tuple[Synonyms, Vocabulary, Synonyms] | None = None  # ``_synonyms_of``'s last answer

    @property
    def synonyms(self) -> Synonyms:
        return self._synonyms

    @synonyms.setter
    def synonyms(self, synonyms: Synonyms) -> None:
        with self._lock:
            self._synonyms = synonyms
            self._opened += 1  # the answers kept were found with the other list

    def _synonyms_of(self, vocabulary: Vocabulary) -> Synonyms:
        """The synonyms a search of this vocabulary's index uses: the lists', the words it writes both joined and
        split (``Synonyms.with_joined``), the places it names after a word or a letter (``Synonyms.with_places``), the
        names it writes with capitals (``Synonyms.with_names``), the words its segmentation writes as one
        (``Synonyms.with_words``) and those it numbers with Roman numerals (``Synonyms.with_numbered``), made once per
        vocabulary."""
        kept = self._learnt
        if kept is not None and kept[0] is self._synonyms and kept[1] is vocabulary:
            return kept[2]
        synonyms = (
            self._synonyms.with_joined(vocabulary.joined)
            .with_places(vocabulary.places)
            .with_names(vocabulary.names)
            .with_words(vocabulary.is_word)
            .with_numbered(vocabulary.numbered_in_roman)
        )
        self._learnt = (self._synonyms, vocabulary, synonyms)
        return synonyms

    def searcher(self) -> Searcher:
        """A current searcher: the same one while the index is unchanged."""
        with self._lock:
            generation = store.current_generation(self.root)
            if self._searcher is None or generation != self._generation:
                self.close()
                self._index = store.open_index(self.root)
                self._generation = generation
                self._searcher = self._index.searcher(weighting=RANKING)
                self._opened += 1
                self._claim = store.hold_generation(generation)
                built = store.analysed_otherwise(generation, ANALYSIS_VERSION)
                if built is not None:
                    log.warning(
                        "%s was analysed by version %s of the analysis and this code analyses by version %s: some "
                        "words are held otherwise in its articles than the queries look for them (written otherwise, "
                        "or side by side across punctuation), until `search-service index build` analyses every "
                        "article again",
                        generation.name,
                        built,
                        ANALYSIS_VERSION,
                    )
            elif not self._searcher.up_to_date():
                # ``add`` or ``delete`` committed to the live generation. Whoosh's Searcher.refresh() would keep the
                # old segments' readers with their old deletions (a deleted article still found, a replaced one
                # twice) and hold merged-away segments' files open: the searcher is opened afresh instead.
                self._searcher.close()
                self._searcher = self._index.searcher(weighting=RANKING)
                self._opened += 1
            return self._searcher

    def _current(self) -> tuple[Searcher, Vocabulary]:
        """A current searcher and its vocabulary, from one look at which generation is live: looked at twice (a
        searcher, then a vocabulary), a switch in between closed the searcher a search was about to use."""
        with self._lock:
            searcher = self.searcher()
            state = searcher.reader().generation()
            if self._vocabulary is None or self._vocabulary_for != state:
                vocabulary = self._vocabulary_of(searcher, state)
                self._opened += vocabulary is not self._vocabulary
                self._vocabulary = vocabulary
            return searcher, self._vocabulary

    def _vocabulary_of(self, searcher: Searcher, state: int) -> Vocabulary:
        """The vocabulary of this state of the index. The indexer saves it right after ``add`` or ``delete`` commits;
        until then (at most ``VOCABULARY_GRACE`` seconds) the vocabulary of the state before serves, rather than
        every worker reading the index's lexicons at once while requests wait. The saved file is read again only
        when it changed."""
        try:
            stat = (self._generation / VOCABULARY_FILE).stat()
            seen = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            seen = None
        if self._vocabulary is None or seen != self._vocabulary_file:
            self._vocabulary_file = seen
            saved = saved_vocabulary(self._generation, state) if seen is not None else None
            if saved is not None:
                self._vocabulary_for, self._vocabulary_wanted_since = state, 0.0
                return saved
        if self._vocabulary is not None:
            now = time.monotonic()
            self._vocabulary_wanted_since = self._vocabulary_wanted_since or now
            if now - self._vocabulary_wanted_since < VOCABULARY_GRACE:
                return self._vocabulary
        log.info("reading the vocabulary of %s from the index", self._generation.name)
        self._vocabulary_for, self._vocabulary_wanted_since = state, 0.0
        return build_vocabulary(searcher)

    def vocabulary(self) -> Vocabulary:
        return self._current()[1]

    def popular_shown(self, texts: Sequence[str]) -> list[str]:
        """Queries visitors searched as the pages show them: typed without diacritics, as they all but surely read in
        the live index (``surely_restored``: *cai cach hanh chinh* is *cải cách hành chính*), an abbreviation in
        capitals (*ubnd quận 1*: *UBND quận 1*). A text of more than ``ranking.LONG_RUN_FROM`` words, which no search
        reads surely, is not restored: the few a page shows cost a few short restorations however long a query."""
        vocabulary = self.vocabulary()
        restore = _restorer(vocabulary, self._synonyms_of(vocabulary))
        shown = []
        for text in texts:
            short = restore is not None and len(text.split()) <= ranking.LONG_RUN_FROM
            read = (surely_restored(text, restore) if short else None) or text
            shown.append(abbreviations_in_capitals(read, self._synonyms))
        return shown

    def popular_shown_one(self, text: str) -> str:
        """One query as ``popular_shown`` shows it."""
        return self.popular_shown([text])[0]

    def listed(self, fieldname: str) -> tuple[str, ...]:
        """The live index's categories or sources (``fieldname``, ``listed_names``)."""
        with self._lock:
            return listed_names(self.searcher(), fieldname)

    def search(self, request: SearchRequest) -> dict[str, Any]:
        with self._lock:
            started = time.perf_counter()
            searcher, vocabulary = self._current()
            # A searcher or a vocabulary is replaced, never changed, when the index changes.
            epoch, key = self._opened, repr(request)
            answer = self.results.get(epoch, key)
            if answer is not None:
                answer["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
                return answer
            answer = run_search(searcher, request, self._synonyms_of(vocabulary), vocabulary)
            self.results.put(epoch, key, answer)
            return answer

    def plan(self, request: SearchRequest) -> SearchPlan:
        """The plan a search for this request runs first on the live index: the request read as the search reads it
        (Telex and VNI decoded, exclusions whole, diacritics restored from its vocabulary), before any next try."""
        with self._lock:
            vocabulary = self.vocabulary()
            synonyms = self._synonyms_of(vocabulary)
            restorer = _restorer(vocabulary, synonyms)
            request = _names_read(self.searcher(), request)
            request, keyboard = _keyboard_decoded(request, restorer, vocabulary, synonyms)
            _, request, _ = _as_read(request, restorer, vocabulary, synonyms, read=keyboard is None)
            return build_plan(request, synonyms, restorer)

    def plan_found_by(self, request: SearchRequest, identifier: str) -> SearchPlan:
        """The plan by which a search for this request found an article: the plan it runs first (``plan``) when the
        article matches it; else the next try or fallback the search took when that found nothing (a likelier
        spelling, the words with other diacritics, some of them), rebuilt from how its answer says it read them (the
        answer kept for the request, or searched now)."""
        first = self.plan(request)
        with self._lock:
            searcher = self.searcher()
            docnum = searcher.document_number(id=identifier)
            if docnum is not None and matched(searcher, [docnum], [first.required], PostingLists(searcher))[docnum]:
                return first
        understood = self.search(request)["query"]
        searched = replace(
            request,
            **{name: understood[name] for name in ("q", "all", "phrase", "any", "none", "spelled")},
        )
        with self._lock:
            vocabulary = self.vocabulary()
            synonyms = self._synonyms_of(vocabulary)
            return build_plan(searched, synonyms, _restorer(vocabulary, synonyms), **tries_understood(understood))

    def ranked_ids(self, request: SearchRequest, limit: int = 100) -> list[str]:
        with self._lock:
            searcher, vocabulary = self._current()
            return ranked_ids(searcher, request, self._synonyms_of(vocabulary), vocabulary, limit)

    def suggest(self, prefix: str) -> list[str]:
        """Completions of what is being typed; those of the prefixes asked lately are kept (a completion scans up to
        thousands of the vocabulary's entries, and every visitor types the same first letters) until the vocabulary
        or the synonyms change.

        Kept completions do not wait for a search this worker is running: that search looked at which generation is
        live when it began, a moment ago, and the completions kept for that look answer (visitors type while
        others search: a keystroke that waited out a search would lag by its time). A prefix not kept waits its turn.
        """
        if not self._lock.acquire(blocking=False):
            found = self._kept_completions(prefix)
            if found is not None:
                return found
            self._lock.acquire()
        try:
            vocabulary = self.vocabulary()
            found = self._kept_completions(prefix)
            if found is not None:
                return found
            categories = self.listed("category") if "category:" in prefix.lower() else ()
            found = complete(vocabulary, prefix, synonyms=self.synonyms, categories=categories)
            with self._completions_lock:
                if self._completions_for != self._opened:  # those kept are of a state no longer live
                    self._completions.clear()
                    self._completions_for = self._opened
                self._completions[prefix] = found
                if len(self._completions) > COMPLETIONS_KEPT:
                    self._completions.popitem(last=False)
            return found[:]
        finally:
            self._lock.release()

    def _kept_completions(self, prefix: str) -> list[str] | None:
        """A copy of the completions kept for a prefix, found with the state live now; None when none are kept."""
        with self._completions_lock:
            found = self._completions.get(prefix) if self._completions_for == self._opened else None
            if found is None:
                return None
            self._completions.move_to_end(prefix)
            return found[:]

    def article(self, identifier: str) -> dict[str, Any] | None:
        with self._lock:
            fields = self.searcher().document(id=identifier)
        return article_json(fields) if fields else None

    def related(self, identifier: str, limit: int = RELATED) -> list[dict[str, Any]] | None:
        """The articles most like one ("Tin liên quan"): its title searched as a headline is (any of its words, the
        articles holding most of them first), the article itself left out; None when there is no such article.

        Every view of an article's page asks this, for the same popular articles again and again: the answers are
        kept with the searches' (``ResultCache``) until the index changes."""
        with self._lock:
            searcher, vocabulary = self._current()
            epoch, key = self._opened, f"related {limit} {identifier}"
            kept = self.results.get(epoch, key)
            if kept is not None:
                return kept["related"]
            fields = searcher.document(id=identifier)
            if fields is None:
                return None
            # The title's words only: its punctuation must not read as query syntax (a quote, a dash, "OR").
            # Its first RELATED_WORDS words: a headline's worth (some portals' titles run into their sapo).
            words = [w for w in re.findall(r"[^\W_]+", fields.get("title", "")) if w != "OR"][:RELATED_WORDS]
            if not words:
                return []
            plan = build_plan(SearchRequest(q=" ".join(words), as_typed=True), self.synonyms, None)
            if plan.relaxed is not None and len(words) <= ranking.ALL_REQUIRED_UP_TO:
                plan = plan.relaxed  # a short title: any of its words, as a long one
            top = _ranked(searcher, plan, "relevance", limit + 1, facets=False).top
            docnum = searcher.document_number(id=identifier)
            itself = {docnum, *copies_of(searcher).of(docnum)}  # the article, and any copy of it shown for it
            found = [hit_json(searcher.stored_fields(d), None) for _, d in top if d not in itself][:limit]
            self.results.put(epoch, key, {"related": found})
            return found

    def count(self) -> int:
        with self._lock:
            return self.searcher().doc_count()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            if self._claim is not None:
                self._claim.close()
            self._searcher = None
            self._claim = None
            self._vocabulary = None
            self._vocabulary_for, self._vocabulary_wanted_since = -1, 0.0


__all__ = ["IndexNotFound", "SearchEngine", "run_search"]
