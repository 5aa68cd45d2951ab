"""Scoring the matches of a query a posting list at a time, over arrays, instead of a match at a time.

A search box query is mostly an ``And``/``Or`` of terms: each syllable in three fields, every syllable required (or
any of them, for a longer run). Whoosh walks such a query one matching article at a time through a tree of matchers
— a dozen Python calls per article and term, most of a search's time. Here each term's postings are read as arrays
(article numbers, frequencies) and scored with the same BM25F as Whoosh's, in NumPy; unions add up, intersections
keep the articles in every part (``postings.Hits``). Any other part of a query (a phrase, a filter, an exclusion) is
walked by its own Whoosh matcher, and its matches and scores join the rest the same way. The scores equal Whoosh's
(``tests/test_ranking.py``), but for a synonym group's, whose forms are each weighed as the form typed
(``queries.SynonymGroup``; Whoosh walks it as the best of its forms).

One search reads each posting list once (``postings.PostingLists``, which also keeps the lists of the searches
before): the optional words and the phrase boosts of the best candidates (``optional_scores``,
``proximity_scores``) decode only the blocks their articles fall in, where a Whoosh matcher would step through every
posting before them. What each term, phrase and filter scored is kept for later searches (``postings.ScoreCache``)."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from whoosh import columns, fields, formats, scoring
from whoosh import query as Q
from whoosh.searching import Searcher

from ..analysis import CLAUSE_TERM, part_digits
from .postings import (
    Hits,
    Places,
    PostingLists,
    Scores,
    across_scores,
    added,
    distinct_sorted,
    lengths_at,
    places_among,
    term_bytes,
    union,
)
from .queries import AcrossFields, PhraseAcross, SynonymGroup

NOT_SCORE = 1.0  # what Whoosh's InverseMatcher gives each article outside an excluded query
NO_VALUE = 2**64 - 1  # the value Whoosh's date and number columns hold for an article without one
_COLUMNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a segment's reader → {field: its values}


def column_values(reader: Any, fieldname: str) -> np.ndarray:
    """Each article's raw value (``NO_VALUE`` for none) of a segment's number or date column, read once per segment:
    what a date range compares and a sorted search orders by."""
    held = _COLUMNS.setdefault(reader, {})
    if fieldname not in held:
        count = reader.doc_count_all()
        has = fieldname in reader.schema and reader.has_column(fieldname)
        column = reader.column_reader(fieldname, translate=False) if has else [NO_VALUE] * count
        held[fieldname] = np.fromiter(column, dtype=np.uint64, count=count)
    return held[fieldname]


def fixed_column_bytes(reader: Any, fieldname: str) -> bytes:
    """Every article's value of a segment's fixed-size bytes column, joined, read at once: Whoosh's reader reads one
    value a call (0.2 s for a segment of 84,000 articles)."""
    count = reader.doc_count_all()
    column = reader.column_reader(fieldname, translate=False)
    if isinstance(column, columns.FixedBytesColumn.Reader):
        size, written = column._fixedlen, column._count  # the values after the last one written are the default
        return column._dbfile.get(column._basepos, written * size) + column._default * (count - written)
    return b"".join(column[docnum] for docnum in range(count))


def match_scores(searcher: Searcher, query: Q.Query, lists: PostingLists | None = None) -> Hits:
    """Every article the query matches (global document number) with its score under the searcher's BM25F."""
    if not isinstance(searcher.weighting, scoring.BM25F):
        raise TypeError(f"block-at-a-time scoring is BM25F's, not {type(searcher.weighting).__name__}'s")
    lists = PostingLists(searcher) if lists is None else lists
    found: list[Hits] = []
    context = searcher.context(needs_current=True)
    for leaf, offset in searcher.leaf_searchers():
        local = _Segment(leaf, offset, context, lists).scores(query)
        if leaf.reader().has_deletions() and len(local):
            deleted = np.fromiter(leaf.reader().deleted_docs_set, dtype=np.int64)
            kept = ~np.isin(local.ids, deleted)
            local = Hits(local.ids[kept], local.scores[kept])
        found.append(Hits(local.ids + offset, local.scores) if offset else local)
    if len(found) == 1:
        return found[0]
    if not found:
        return Hits.empty()
    return Hits(np.concatenate([hits.ids for hits in found]), np.concatenate([hits.scores for hits in found]))


def optional_scores(
    searcher: Searcher, docnums: Iterable[int], optional: Iterable[tuple[Q.Query, float]], lists: PostingLists
) -> Scores:
    """What the optional parts of a query (``query.split_optional``) add to the given articles' scores.

    Whoosh's ``AndMaybe`` moves every optional term to each article the required part matches, thousands of them;
    here each term is looked up at the few candidates only.
    """
    scores: Scores = {}
    optional = list(optional)
    context = searcher.context(needs_current=True)
    for leaf, offset, local in _by_segment(searcher, docnums if optional else ()):
        segment = _Segment(leaf, offset, context, lists, only=local)
        for query, boost in optional:
            for docnum, score in segment.scores(query).items():
                scores[docnum + offset] = scores.get(docnum + offset, 0.0) + boost * score
    return scores


def proximity_scores(searcher: Searcher, docnums: Iterable[int], boosts: Iterable[Any], lists: PostingLists) -> Scores:
    """The phrase boosts the given articles earn (``boosts`` are ``query.ProximityBoost``): where the words stand side
    by side in any of a boost's fields, their scores over those fields (BM25F, ``AcrossFields``) times the boost.

    Found by reading the words' positions at those articles only, instead of checking every article that holds all
    the words as a Whoosh ``Phrase`` does; and counted once, however many fields say the phrase (a ``Phrase`` per
    field added up its words' scores in each).
    """
    scores: Scores = {}
    context = searcher.context(needs_current=True)
    boosts = [boost for boost in boosts if boost.boost]  # (a boost of 0 earns nothing)
    for leaf, offset, local in _by_segment(searcher, docnums if boosts else ()):
        segment = _Segment(leaf, offset, context, lists, only=local)
        for boost in boosts:
            found = segment.holding(boost)
            if not len(found):
                continue
            at = _Segment(leaf, offset, context, lists, only=found)
            for term in boost.terms:
                if term == CLAUSE_TERM:  # where the words stand, not a word scored
                    continue
                word = AcrossFields([Q.Term(name, term, boost=weight) for name, weight in boost.fields])
                for docnum, score in at.scores(word).items():
                    scores[docnum + offset] = scores.get(docnum + offset, 0.0) + score * boost.boost
    return scores


def holding(searcher: Searcher, docnums: Iterable[int], boost: Any, lists: PostingLists) -> np.ndarray:
    """Which of the given articles hold a phrase boost's terms side by side in any of its fields (ascending)."""
    found = [np.empty(0, dtype=np.int64)]
    context = searcher.context(needs_current=True)
    for leaf, offset, local in _by_segment(searcher, docnums):
        found.append(_Segment(leaf, offset, context, lists, only=local).holding(boost) + offset)
    return np.concatenate(found)


def coverage(
    searcher: Searcher, docnums: Sequence[int], units: Sequence[tuple[Q.Query, int]], lists: PostingLists
) -> Scores:
    """The share of the given queries (a run's words, one query each, with its weight: the syllables it stands for)
    each of the given articles matches, by weight."""
    if not units:
        return {}
    queries = [query for query, _ in units]
    total = sum(weight for _, weight in units)
    return {
        docnum: sum(units[number][1] for number in held) / total
        for docnum, held in matched(searcher, docnums, queries, lists).items()
    }


def matched(
    searcher: Searcher, docnums: Sequence[int], units: Sequence[Q.Query], lists: PostingLists
) -> dict[int, set[int]]:
    """For each of the given articles, which of the given queries (their positions in ``units``) it matches."""
    held: dict[int, set[int]] = {docnum: set() for docnum in docnums}
    context = searcher.context(needs_current=True)
    for leaf, offset, local in _by_segment(searcher, docnums):
        segment = _Segment(leaf, offset, context, lists, only=local)
        for number, unit in enumerate(units):
            for docnum in segment.scores(unit):
                held[docnum + offset].add(number)
    return held


def _by_segment(searcher: Searcher, docnums: Iterable[int]) -> Iterable[tuple[Searcher, int, np.ndarray]]:
    """The given articles segment by segment: (the segment's searcher, its offset, their numbers in it, ascending)."""
    wanted = np.unique(np.fromiter(docnums, dtype=np.int64))
    for leaf, offset in searcher.leaf_searchers() if len(wanted) else ():
        local = wanted[(wanted >= offset) & (wanted < offset + leaf.doc_count_all())] - offset
        if len(local):
            yield leaf, offset, local


def _bm25_parts(scorer: Any) -> tuple[float, float, float]:
    """BM25F as whoosh.scoring.bm25 computes it: idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avgfl)),
    as (idf * (K1 + 1), K1 * (1 - B), K1 * B / avgfl)."""
    return scorer.idf * (scorer.K1 + 1), scorer.K1 * (1 - scorer.B), scorer.K1 * scorer.B / scorer.avgfl


def _native(query: Q.Query, schema: Any) -> str | None:
    """How a part of a query is evaluated here: "term", "across", "phrase", "phrases", "or", "max", "group", "and",
    "andmaybe", "not", "dates", or None (by its own Whoosh matcher)."""
    kind = type(query)
    if kind is SynonymGroup and query.subqueries and not query.tiebreak:
        return "group"
    if kind is Q.Not:
        return "not"
    if kind is Q.AndMaybe:
        return "andmaybe"
    if kind is Q.DateRange and query.constantscore and query.fieldname in schema:
        return "dates" if isinstance(schema[query.fieldname], fields.DATETIME) else None
    if kind is AcrossFields:
        return "across" if query.scored_natively(schema) else None
    if kind is PhraseAcross:
        return "phrases" if query.scored_natively(schema) else None
    if kind is Q.Or and query.subqueries and not (query.minmatch or query.scale):
        return "or"
    if kind is Q.DisjunctionMax and query.subqueries and not query.tiebreak:
        return "max"
    if kind is Q.And and query.subqueries:
        return "and"
    if kind is Q.Term and query.fieldname in schema:
        # A category or a tag is kept without lengths and scored by its postings' weights (BM25F's WeightScorer).
        field = schema[query.fieldname]
        return "term" if field.scorable or isinstance(field.format, formats.Frequency) else None
    if kind is Q.Phrase and query.slop == 1 and len(query.words) > 1 and query.fieldname in schema:
        field = schema[query.fieldname]
        if field.scorable and field.format and field.format.supports("positions"):
            return "phrase"
    return None


class _Segment:
    """Scoring a query in one segment: at every article (``only`` None) or at the given articles only."""

    def __init__(
        self, leaf: Searcher, offset: int, context: Any, lists: PostingLists, only: Sequence[int] | None = None
    ) -> None:
        self.leaf, self.offset, self.context, self.lists = leaf, offset, context, lists
        self.only = None if only is None else np.asarray(only, dtype=np.int64)

    def scores(self, query: Q.Query) -> Hits:
        kind = _native(query, self.leaf.schema)
        if kind in ("or", "and", "max", "group") and len(query.subqueries) == 1:
            return self.scores(query.subqueries[0])  # as Whoosh does: a compound of one ignores its boost
        if kind == "or":
            # Each article's scores added up in the order of the parts, largest first (as an article at a time).
            parts = sorted((self.scores(sub) for sub in query.subqueries), key=len, reverse=True)
            return added(parts, self.leaf.doc_count_all()).boosted(query.boost)
        if kind in ("max", "group"):  # the best of the parts an article matches (a group's each weighed as typed)
            parts = [self.scores(sub) for sub in query.subqueries]
            if kind == "group":
                weights = query.weights(self.leaf.get_parent())
                parts = [part.boosted(share) for part, share in zip(parts, weights, strict=True)]
            ids = union(parts, self.leaf.doc_count_all())
            scores = np.full(len(ids), -np.inf)
            places = Places(ids, self.leaf.doc_count_all())
            for part in parts:
                where = places.of(part.ids)
                scores[where] = np.maximum(scores[where], part.scores)
            return Hits(ids, scores).boosted(query.boost)
        if kind == "and":
            return self._and(query)
        if kind == "andmaybe":
            # The first part's articles, each with the second's score added where it matches too (Whoosh's
            # AndMaybeMatcher, which applies no boost of its own); the second is looked for at those articles only.
            first = self.scores(query.a)
            if not len(first):
                return first
            second = self._at(first.ids).scores(query.b)
            scores = first.scores.copy()
            scores[Places(first.ids, self.leaf.doc_count_all()).of(second.ids)] += second.scores
            return Hits(first.ids, scores)
        # A leaf: a term, or a part Whoosh walks (a phrase, a filter). What it scored is kept for later searches.
        key = (self.offset, query)
        cached = self.lists.cache.get(key)
        if cached is None:
            scores = (
                self._term(query)
                if kind == "term"
                else across_scores(self.leaf, self.offset, self.context, self.lists, query, self.only)
                if kind == "across"
                else self._phrase(query)
                if kind == "phrase"
                else self._phrases(query)
                if kind == "phrases"
                else self._outside(query.query, query.boost)
                if kind == "not"
                else self._dates(query)
                if kind == "dates"
                else self._walked(query)
            )
            if self.only is None:
                self.lists.cache.put(key, scores)
            return scores
        return cached if self.only is None else cached.at(self.only)

    def _and(self, query: Q.And) -> Hits:
        excluded = [sub.query for sub in query.subqueries if type(sub) is Q.Not]
        kept = [sub for sub in query.subqueries if type(sub) is not Q.Not]
        if not kept:
            return self._outside(Q.Or(excluded), NOT_SCORE * len(excluded)).boosted(query.boost)
        # The parts that are cheap over a whole segment (terms) first, the fewest articles first; a costly part (a
        # phrase reads positions article by article) is then looked for only where the others all matched.
        cheap = [sub for sub in kept if not self._costly(sub)]
        if cheap:
            # The part with the fewest postings is scored first; each next one only at the articles left, reading
            # the blocks they fall in: a common syllable's thousands of other articles are neither decoded nor
            # scored for an intersection that drops them.
            ordered = sorted(cheap, key=self._postings_count) + [sub for sub in kept if self._costly(sub)]
            first = self.scores(ordered[0])
            ids, scores = first.ids, first.scores
            for sub in ordered[1:]:
                if not len(ids):
                    break
                part = self._at(ids).scores(sub)  # its articles are some of these
                ids, scores = part.ids, scores[Places(ids, self.leaf.doc_count_all()).of(part.ids)] + part.scores
        else:
            parts = sorted((self.scores(sub) for sub in kept), key=len)
            ids, scores = parts[0].ids, parts[0].scores
            for part in parts[1:]:
                ids, mine, theirs = np.intersect1d(ids, part.ids, assume_unique=True, return_indices=True)
                scores = scores[mine] + part.scores[theirs]
                if not len(ids):
                    break
        for exclusion in excluded:
            # Whoosh walks a Not as every article outside it (each scoring 1); here its matches are taken away. One
            # that is costly over a whole segment (a phrase, a part Whoosh walks) is looked for only at the articles
            # left: `none=&amp; tp. hồ chí minh và` walked every article of a city's name otherwise.
            if len(ids):
                matched = (self._at(ids) if self._costly(exclusion) else self).scores(exclusion).ids
                outside = ~np.isin(ids, matched, assume_unique=True)
                ids, scores = ids[outside], scores[outside] + NOT_SCORE
        return Hits(ids, scores).boosted(query.boost)

    def _outside(self, excluded: Q.Query, score: float) -> Hits:
        """The articles (every one, or the given ones) an excluded query does not match, each scoring ``score``: a
        search with nothing but exclusions (``none=``) matches most of the index, which Whoosh's ``Not`` walks an
        article at a time."""
        every = np.arange(self.leaf.doc_count_all(), dtype=np.int64) if self.only is None else self.only
        ids = every[~np.isin(every, self.scores(excluded).ids, assume_unique=True)]
        return Hits(ids, np.full(len(ids), score))

    def _dates(self, query: Q.DateRange) -> Hits:
        """The articles (every one, or the given ones) dated within a range, each scoring the range's boost (Whoosh's
        constant score): compared in the segment's date column, read once, where Whoosh walks the range's terms an
        article at a time (every article of the index, for a date filter without words)."""
        reader = self.leaf.reader()
        if not reader.has_column(query.fieldname):
            return self._walked(query)
        dates = column_values(reader, query.fieldname)
        dates = dates if self.only is None else dates[self.only]
        kept = dates != NO_VALUE
        if query.start is not None:
            kept &= dates > query.start if query.startexcl else dates >= query.start
        if query.end is not None:
            kept &= dates < query.end if query.endexcl else dates <= query.end
        ids = np.flatnonzero(kept) if self.only is None else self.only[kept]
        return Hits(ids.astype(np.int64), np.full(len(ids), float(query.boost)))

    def _at(self, ids: np.ndarray) -> _Segment:
        """Scoring in the same segment at the given articles only (ascending)."""
        return _Segment(self.leaf, self.offset, self.context, self.lists, only=ids)

    def _postings_count(self, query: Q.Query) -> int:
        """How many postings a cheap part reads (its articles, for a part whose scores are kept)."""
        cached = self.lists.cache.get((self.offset, query))
        if cached is not None:
            return len(cached)
        kind = _native(query, self.leaf.schema)
        if kind in ("or", "max", "group", "across"):
            return sum(self._postings_count(sub) for sub in query.subqueries)
        if kind == "and":
            return min(self._postings_count(sub) for sub in query.subqueries)
        if kind == "andmaybe":
            return self._postings_count(query.a)
        if kind != "term":  # read by its own matcher (a filter, an exclusion)
            return self.leaf.doc_count_all()
        try:
            text = term_bytes(self.leaf.schema, query.fieldname, query.text)
        except ValueError:
            return 0
        postings = self.lists.get(self.leaf, self.offset, query.fieldname, text)
        return 0 if postings is None else postings.count

    def _costly(self, query: Q.Query) -> bool:
        """Whether a part reads more than posting lists over a whole segment: a phrase's positions, or a part Whoosh
        walks a match at a time; unless its scores are kept from an earlier search."""
        kind = _native(query, self.leaf.schema)
        if kind in ("or", "and", "max", "group", "andmaybe"):
            return any(self._costly(sub) for sub in query.subqueries)
        if kind in ("term", "across"):
            return False
        return self.lists.cache.get((self.offset, query)) is None

    def _walked(self, query: Q.Query) -> Hits:
        """Matches and scores of any query, by walking its Whoosh matcher (boosts included, as Whoosh applies them)."""
        matcher = query.matcher(self.leaf, self.context)
        ids: list[int] = []
        scores: list[float] = []
        if self.only is None:
            while matcher.is_active():
                ids.append(matcher.id())
                scores.append(matcher.score())
                matcher.next()
        else:
            for docnum in self.only.tolist():
                if matcher.is_active() and matcher.id() < docnum:
                    matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
                if matcher.id() == docnum:
                    ids.append(docnum)
                    scores.append(matcher.score())
        return Hits(np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64))

    def holding(self, boost: Any) -> np.ndarray:
        """The articles (every one, or the given ones) holding a phrase boost's terms side by side in any of its
        fields, ascending."""
        return np.unique(np.concatenate([self.adjacent(name, boost.terms) for name, _ in boost.fields]))

    def adjacent(self, fieldname: str, words: Sequence[str]) -> np.ndarray:
        """The articles (every one, or the given ones) where the words stand one right after another in the field."""
        field = self.leaf.schema[fieldname]
        analyzer = getattr(field, "analyzer", None)
        if CLAUSE_TERM in words and not getattr(analyzer, "clauses", False):
            # An index whose articles hold no clause's end (built before ``analysis.CLAUSE_TERM``, until ``index
            # build``) numbers their words across punctuation: there the words side by side are the nearest match.
            words = [word for word in words if word != CLAUSE_TERM]
        elif CLAUSE_TERM in words and not getattr(analyzer, "decimals", False):
            # One built before a decimal comma parted its number (``analysis.DECIMAL_COMMA``): *1,5* is *1 5* there.
            sides = zip(["", *words[:-1]], words, [*words[1:], ""], strict=True)
            words = [
                word
                for left, word, right in sides
                if word != CLAUSE_TERM or not (part_digits(left) + part_digits(right)).isdigit()
            ]
        try:
            texts = [term_bytes(self.leaf.schema, fieldname, word) for word in words]
        except ValueError:
            return np.empty(0, dtype=np.int64)
        found = [self.lists.get(self.leaf, self.offset, fieldname, text) for text in texts]
        if None in found:
            return np.empty(0, dtype=np.int64)
        # Rarest word first; each next word is looked up only where the rarer ones are.
        common = self.only
        for postings in sorted(found, key=lambda postings: postings.count):
            common = postings.arrays(common)[0]
            if not len(common):
                return common
        # Each word's positions at those articles, moved back by its place in the phrase: where the phrase stands,
        # every word gives the same (article, start). Each is a key, article and start in one integer; a word's keys
        # come in order (its positions article by article, each in order), so the keys two words share are found by
        # binary search (``places_among``; NumPy's ``intersect1d`` sorts both joined, four times the time for
        # 200,000 keys against 150,000) and nothing below sorts.
        starts: np.ndarray | None = None
        for place, postings in enumerate(found):
            owners, positions = postings.positions_at(common)
            keep = positions >= place
            keys = (owners[keep] << 32) | (positions[keep] - place)
            starts = keys if starts is None else starts[places_among(starts, keys)]
            if not len(starts):
                return np.empty(0, dtype=np.int64)
        return common[distinct_sorted(starts >> 32)]

    def _phrase(self, phrase: Q.Phrase) -> Hits:
        """A phrase as Whoosh scores it (the sum of its words' scores where they stand one after another), found by
        intersecting the words' articles and reading their positions there only."""
        docnums = self.adjacent(phrase.fieldname, phrase.words)
        if not len(docnums):
            return Hits.empty()
        at = self._at(docnums)
        # A clause's end typed (``analysis.CLAUSE_TERM``) is where the words stand, not a word scored.
        words = [at.scores(Q.Term(phrase.fieldname, word)).scores for word in phrase.words if word != CLAUSE_TERM]
        return Hits(docnums, _tree_sum(words)).boosted(phrase.boost)

    def _phrases(self, phrase: PhraseAcross) -> Hits:
        """A phrase in any of several fields, scored as its words over the fields (``PhraseAcross``), found as
        ``_phrase`` finds one field's."""
        found = [self.adjacent(sub.fieldname, sub.words) for sub in phrase.subqueries]
        docnums = np.unique(np.concatenate(found))
        if not len(docnums):
            return Hits.empty()
        at = self._at(docnums)
        # Every word is in each of these articles, in one field or another: each word's scores are at all of them.
        words = [at.scores(word).scores for word in phrase.words()]
        return Hits(docnums, _tree_sum(words)).boosted(phrase.boost)

    def scorer(self, fieldname: str, text: bytes) -> Any:
        return self.lists.scorer(self.leaf, self.offset, self.context, fieldname, text)

    def _term(self, term: Q.Term) -> Hits:
        """A term's articles and scores, from its posting list. In a field kept without lengths (a category: a filter
        of the advanced form, a facet clicked) each article scores its posting's weight, as Whoosh's ``WeightScorer``
        scores it; Whoosh's matcher would be walked an article at a time, or skipped to each article the words match."""
        field = self.leaf.schema[term.fieldname]
        try:
            text = term_bytes(self.leaf.schema, term.fieldname, term.text)
        except ValueError:
            return Hits.empty()
        postings = self.lists.get(self.leaf, self.offset, term.fieldname, text)
        if postings is None:
            return Hits.empty()
        ids, tfs = postings.arrays(self.only)
        if not field.scorable:
            return Hits(ids, tfs.astype(np.float64)).boosted(term.boost)
        scorer = self.scorer(term.fieldname, text)
        top, constant, per_length = _bm25_parts(scorer)
        lengths = lengths_at(self.leaf.reader(), term.fieldname, ids, scorer.dfl)
        # The same operations, in the same order, as BM25F's per-article formula: the same floats.
        return Hits(ids, top * tfs / ((tfs + constant) + per_length * lengths)).boosted(term.boost)


def _tree_sum(values: list[Any]) -> Any:
    """A sum added up in the order of Whoosh's binary tree of intersections (so the same float, to the last bit)."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])
