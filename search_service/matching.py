"""Scoring the matches of a query a posting block at a time, instead of a match at a time.

A search box query is mostly an ``And``/``Or`` of terms: each syllable in three fields, every syllable required (or
any of them, for a longer run). Whoosh walks such a query one matching article at a time through a tree of matchers
— a dozen Python calls per article and term, most of a search's time. Here each term's postings are read a block
(up to 128 articles) at a time and scored with the same BM25F as Whoosh's; unions add up, intersections keep the
articles in every part. Any other part of a query (a phrase, a filter, an exclusion) is walked by its own Whoosh
matcher, and its matches and scores join the rest the same way. The scores equal Whoosh's (``tests/test_ranking.py``).

One search reads each posting list once (``PostingLists``): the optional words and the phrase boosts of the best
candidates (``optional_scores``, ``proximity_scores``) look their articles up in the blocks the matching already
decoded, by bisection, where a Whoosh matcher would step through every posting before them. What each term, phrase
and filter scored is kept for later searches (``ScoreCache``).

Field lengths are read once per segment too (``field_lengths``), for these scores and for Whoosh's own scorers.
"""

from __future__ import annotations

import bisect
import io
import itertools
import pickle
import weakref
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from whoosh import query as Q
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3LeafMatcher, _lenfield
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from .codec import PostingMatcher, decode_numbers, decode_values

Scores = dict[int, float]
NOT_SCORE = 1.0  # what Whoosh's InverseMatcher gives each article outside an excluded query


class AcrossFields(Q.compound.CompoundQuery):
    """One word in several fields of an article (its terms, one per field, each boosted by the field's weight),
    scored as BM25F scores a word (Robertson, Zaragoza and Taylor 2004; Elasticsearch's ``combined_fields``).

    Its frequency in each field, normalised by that field's length and times the field's weight, is added up, and
    the sum is saturated once: ``idf * (K1 + 1) * tf / (tf + K1)``. Whoosh's ``Or`` of the fields' terms (what its
    ``BM25F`` does) saturates each field apart and adds the scores, so a word in the sapo and again in the body
    counts nearly twice, and an article repeating the query's commonest words in both outranks the one that holds
    all of them (docs/benchmarks.md, "One saturation across fields"). The idf is the word's lowest over the fields
    (its document frequency in the field that holds it most often, the nearest to "in any field").

    Matches what an ``Or`` of its terms matches; Whoosh walks it with the scores computed here.
    """

    JOINT = " OR "
    intersect_merge = False

    def matcher(self, searcher, context=None):
        context = context if context is not None else searcher.context()
        if not isinstance(context.weighting, scoring.BM25F) or _native(self, searcher.schema) != "across":
            # Matching only (a filter, a count: no weighting), or another scoring: what the fields' Or matches
            return Q.Or(self.subqueries, boost=self.boost).matcher(searcher, context)
        scores = _Segment(searcher, 0, context, PostingLists(searcher, cache=False)).scores(self)
        if searcher.reader().has_deletions():
            deleted = searcher.reader().deleted_docs_set
            scores = {docnum: score for docnum, score in scores.items() if docnum not in deleted}
        if not scores:
            return NullMatcher()
        ids = sorted(scores)
        return ListMatcher(ids, weights=[scores[docnum] for docnum in ids])


class Postings:
    """One term's postings in one segment, as blocks: the list read in one go, each block decoded when first asked for.

    A posting list on disk is a tag and then blocks of up to 128 articles, each a length, a pickled header (how many
    articles, the last one, ...) and the data: with ``codec.PostingCodec``, the article numbers and weights apart
    from the values (the positions), which are decoded only for a phrase; with Whoosh's own W3 codec (an index
    written before), one pickled tuple of all three. Any other posting list (a term found once is kept inline) is
    read through its matcher, as one block.
    """

    def __init__(self, matcher: Any):
        if isinstance(matcher, FilterMatcher):  # deletions: callers drop deleted articles themselves
            matcher = matcher.child
        self.format = matcher.format
        self.lasts: list[int] = []  # the last article of each block
        self.count = 0  # articles
        self._extents: list[tuple[int, int, int, int]] = []  # (start, end, compression, count) in self._raw
        self._blocks: list[tuple[Sequence[int], Sequence[float]] | None] = []
        self._values: dict[int, Any] = {}  # block number: its values, once decoded
        self._split = type(matcher) is PostingMatcher
        if self._split or type(matcher) is W3LeafMatcher:
            size = matcher._length
            size = size[0] if isinstance(size, tuple) else size  # W3TermInfo.from_bytes leaves it a 1-tuple
            self._raw = raw = matcher._postfile.get(matcher._startoffset, size)
            stream = io.BytesIO(raw)
            position, last = len(WHOOSH3_HEADER_MAGIC), False
            while not last:
                length = int.from_bytes(raw[position : position + 4], "big", signed=True)
                last, length = length < 0, abs(length)
                stream.seek(position + 4)
                count, maxid, _, compression, _, _ = pickle.load(stream)
                self.lasts.append(maxid)
                self.count += count
                position += 4 + length
                self._extents.append((stream.tell(), position, compression, count))
                self._blocks.append(None)
        else:
            ids, weights, values = [], [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                values.append(matcher.value())
                matcher.next()
            if ids:
                self.count = len(ids)
                self.lasts.append(ids[-1])
                self._blocks.append((tuple(ids), weights))
                self._values[0] = values

    def block(self, number: int) -> tuple[Sequence[int], Sequence[float]]:
        """A block's article numbers and weights (term frequencies), decoded once."""
        decoded = self._blocks[number]
        if decoded is None:
            start, end, compression, count = self._extents[number]
            data = self._raw[start:end]
            if self._split:
                decoded = decode_numbers(data, count, bool(compression))
            else:
                ids, weights, self._values[number] = pickle.loads(zlib.decompress(data) if compression else data)
                if weights is None or isinstance(weights, float):
                    weights = (1.0 if weights is None else weights,) * count
                decoded = (tuple(itertools.accumulate(ids)), weights)  # W3 stores differences
            self._blocks[number] = decoded
        return decoded

    def __iter__(self) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
        """Every block's article numbers and weights, in order."""
        for number in range(len(self.lasts)):
            yield self.block(number)

    def find(self, docnum: int) -> tuple[int, int] | None:
        """Where an article is in the list (block, index in the block), or None when the term is not in it."""
        number = bisect.bisect_left(self.lasts, docnum)
        if number == len(self.lasts):
            return None
        ids = self.block(number)[0]
        index = bisect.bisect_left(ids, docnum)
        return (number, index) if ids[index] == docnum else None

    def weight(self, where: tuple[int, int]) -> float:
        return self.block(where[0])[1][where[1]]

    def positions(self, where: tuple[int, int]) -> list[int]:
        number, index = where
        if number not in self._values:
            if self._split:
                start, end, compression, count = self._extents[number]
                data = self._raw[start:end]
                self._values[number] = decode_values(data, count, bool(compression), self.format.fixed_value_size())
            else:
                self.block(number)  # a W3 block's values come with its numbers
        return self.format.decode_as("positions", self._values[number][index])


class ScoreCache:
    """The scores of the query parts searched lately, as two arrays (article numbers, scores) per part and segment.

    Reading and decoding postings is most of a search's time, and a portal's queries share their parts: an everyday
    syllable in the three fields (``việt``, ``nam``, ``người``), a synonym's phrases. What a part scored is kept, the
    least recently used dropped past ``capacity`` postings (12 bytes each). Valid for one searcher: the scores use
    its idf.
    """

    def __init__(self, capacity: int, weighting: Any = None) -> None:
        self.capacity = capacity
        self.weighting = weighting  # the scoring the kept scores were computed with
        self.size = 0
        self._entries: OrderedDict[tuple[int, Q.Query], tuple[array, array]] = OrderedDict()

    def get(self, key: tuple[int, Q.Query]) -> tuple[array, array] | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: tuple[int, Q.Query], scores: Scores) -> None:
        if key in self._entries or len(scores) > self.capacity:
            return
        ordered = sorted(scores)
        self._entries[key] = (array("i", ordered), array("d", [scores[docnum] for docnum in ordered]))
        self.size += len(scores)
        while self.size > self.capacity:
            _, (ids, _) = self._entries.popitem(last=False)
            self.size -= len(ids)


SCORE_CACHE_POSTINGS = 4_000_000  # at most 48 MB
_SCORE_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def score_cache(searcher: Searcher) -> ScoreCache:
    """The score cache of a searcher: of its reader and its weighting (a refreshed searcher, or another weighting,
    starts a new one)."""
    reader = searcher.reader()
    try:
        cache = _SCORE_CACHES.get(reader)
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        return ScoreCache(0)
    if cache is None or cache.weighting is not searcher.weighting:
        cache = _SCORE_CACHES[reader] = ScoreCache(SCORE_CACHE_POSTINGS, searcher.weighting)
    return cache


class PostingLists:
    """The posting lists one search reads, each read once: {(segment offset, field, term): Postings}."""

    def __init__(self, searcher: Searcher, cache: bool = True) -> None:
        self._lists: dict[tuple[int, str, bytes], Postings | None] = {}
        self.cache = score_cache(searcher) if cache else ScoreCache(0)

    def get(self, leaf: Searcher, offset: int, fieldname: str, text: bytes) -> Postings | None:
        key = (offset, fieldname, text)
        if key not in self._lists:
            try:
                self._lists[key] = Postings(leaf.reader().postings(fieldname, text))
            except TermNotFound:
                self._lists[key] = None
        return self._lists[key]


def match_scores(searcher: Searcher, query: Q.Query, lists: PostingLists | None = None) -> Scores:
    """Every article the query matches (global document number) with its score under the searcher's BM25F."""
    if not isinstance(searcher.weighting, scoring.BM25F):
        raise TypeError(f"block-at-a-time scoring is BM25F's, not {type(searcher.weighting).__name__}'s")
    lists = PostingLists(searcher) if lists is None else lists
    scores: Scores = {}
    context = searcher.context(needs_current=True)
    for leaf, offset in searcher.leaf_searchers():
        local = _Segment(leaf, offset, context, lists).scores(query)
        if leaf.reader().has_deletions():  # a copy: `local` may be the score cache's own dict
            deleted = leaf.reader().deleted_docs_set
            local = {docnum: score for docnum, score in local.items() if docnum not in deleted}
        scores.update(zip(map(offset.__add__, local), local.values(), strict=True))
    return scores


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
    boosts = list(boosts)
    for leaf, offset, local in _by_segment(searcher, docnums if boosts else ()):
        segment = _Segment(leaf, offset, context, lists, only=local)
        for boost in boosts:
            found = sorted(set().union(*(segment.adjacent(name, boost.terms) for name, _ in boost.fields)))
            if not found:
                continue
            at = _Segment(leaf, offset, context, lists, only=found)
            for term in boost.terms:
                word = AcrossFields([Q.Term(name, term, boost=weight) for name, weight in boost.fields])
                for docnum, score in at.scores(word).items():
                    scores[docnum + offset] = scores.get(docnum + offset, 0.0) + score * boost.boost
    return scores


def coverage(searcher: Searcher, docnums: Sequence[int], units: Sequence[Q.Query], lists: PostingLists) -> Scores:
    """The share of the given queries (a run's words, one query each) each of the given articles matches."""
    if not units:
        return {}
    held = dict.fromkeys(docnums, 0)
    context = searcher.context(needs_current=True)
    for leaf, offset, local in _by_segment(searcher, docnums):
        segment = _Segment(leaf, offset, context, lists, only=local)
        for unit in units:
            for docnum in segment.scores(unit):
                held[docnum + offset] += 1
    return {docnum: count / len(units) for docnum, count in held.items()}


def _by_segment(searcher: Searcher, docnums: Iterable[int]) -> Iterable[tuple[Searcher, int, list[int]]]:
    """The given articles segment by segment: (the segment's searcher, its offset, their numbers in it, in order)."""
    wanted = sorted(set(docnums))
    for leaf, offset in searcher.leaf_searchers() if wanted else ():
        local = [d - offset for d in wanted if offset <= d < offset + leaf.doc_count_all()]
        if local:
            yield leaf, offset, local


def _adjacent(found: list[Postings], docnum: int) -> bool:
    """Whether the words (their posting lists, in phrase order) stand one right after another in an article that has
    them all; each word's positions are read only while the phrase is still possible."""
    starts: set[int] | None = None
    for offset, postings in enumerate(found):
        where = postings.find(docnum)
        if where is None:
            return False
        positions = postings.positions(where)
        starts = set(positions) if starts is None else starts & {p - offset for p in positions}
        if not starts:
            return False
    return True


# The field lengths of each open segment, read once: {reader: {field: [length of each document]}}.
_LENGTHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LENGTH_OF_BYTE = [byte_to_length(b) if b else 1 for b in range(256)]


def field_lengths(reader: Any, fieldname: str) -> list[int] | None:
    """Every document's length in a field of one segment, as Whoosh's scorers see it (one byte each, decoded).

    Read from the segment's lengths column in one go (Whoosh 2.7's W3 codec; None for any other reader).
    """
    try:
        by_field = _LENGTHS.setdefault(reader, {})
    except TypeError:
        return None
    if fieldname not in by_field:
        lengths = None
        perdoc = getattr(reader, "_perdoc", None)
        column = (
            perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if hasattr(perdoc, "_cached_reader") else None
        )
        if column is not None:
            count = reader.doc_count_all()
            stored = min(column._count, count)
            raw = column._dbfile.get(column._basepos, stored) + bytes(count - stored)
            lengths = [_LENGTH_OF_BYTE[b] for b in raw]
        by_field[fieldname] = lengths
    return by_field[fieldname]


def _bm25_parts(scorer: Any) -> tuple[float, float, float, Callable[[int], int]]:
    """BM25F as whoosh.scoring.bm25 computes it: idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avgfl)),
    as (idf * (K1 + 1), K1 * (1 - B), K1 * B / avgfl, the article's field length)."""
    return scorer.idf * (scorer.K1 + 1), scorer.K1 * (1 - scorer.B), scorer.K1 * scorer.B / scorer.avgfl, scorer.dfl


def _bm25(scorer: Any) -> Callable[[float, int], float]:
    """A BM25F scorer as a function of (term frequency, article)."""
    top, constant, per_length, lengths = _bm25_parts(scorer)
    return lambda tf, docnum: top * tf / (tf + constant + per_length * lengths(docnum))


def _native(query: Q.Query, schema: Any) -> str | None:
    """How a part of a query is evaluated here: "term", "across", "phrase", "or", "max", "and", or None (by its own
    Whoosh matcher)."""
    kind = type(query)
    if kind is AcrossFields and all(type(sub) is Q.Term and sub.fieldname in schema for sub in query.subqueries):
        return "across" if all(schema[sub.fieldname].scorable for sub in query.subqueries) else None
    if kind is Q.Or and query.subqueries and not (query.minmatch or query.scale):
        return "or"
    if kind is Q.DisjunctionMax and query.subqueries and not query.tiebreak:
        return "max"
    if kind is Q.And and query.subqueries:
        return "and"
    if kind is Q.Term and query.fieldname in schema and schema[query.fieldname].scorable:
        return "term"
    if kind is Q.Phrase and query.slop == 1 and len(query.words) > 1 and query.fieldname in schema:
        field = schema[query.fieldname]
        if field.scorable and field.format and field.format.supports("positions"):
            return "phrase"
    return None


class _Segment:
    """Scoring a query in one segment: at every article (``only`` None) or at the given articles only (in order)."""

    def __init__(
        self, leaf: Searcher, offset: int, context: Any, lists: PostingLists, only: list[int] | None = None
    ) -> None:
        self.leaf, self.offset, self.context, self.lists, self.only = leaf, offset, context, lists, only

    def scores(self, query: Q.Query) -> Scores:
        kind = _native(query, self.leaf.schema)
        if kind in ("or", "and", "max") and len(query.subqueries) == 1:
            return self.scores(query.subqueries[0])  # as Whoosh does: a compound of one ignores its boost
        if kind == "or":
            parts = sorted((self.scores(sub) for sub in query.subqueries), key=len, reverse=True)
            scores = dict(parts[0])
            for part in parts[1:]:
                for docnum, score in part.items():
                    scores[docnum] = scores.get(docnum, 0.0) + score
            return _boosted(scores, query.boost)
        if kind == "max":  # the best of the parts an article matches
            scores = {}
            for part in (self.scores(sub) for sub in query.subqueries):
                for docnum, score in part.items():
                    if docnum not in scores or score > scores[docnum]:
                        scores[docnum] = score
            return _boosted(scores, query.boost)
        if kind == "and":
            return self._and(query)
        # A leaf: a term, or a part Whoosh walks (a phrase, a filter). What it scored is kept for later searches.
        key = (self.offset, query)
        cached = self.lists.cache.get(key)
        if cached is None:
            scores = (
                self._term(query)
                if kind == "term"
                else self._across(query)
                if kind == "across"
                else self._phrase(query)
                if kind == "phrase"
                else self._walked(query)
            )
            if self.only is None:
                self.lists.cache.put(key, scores)
            return scores
        ids, values = cached
        if self.only is None:
            return dict(zip(ids, values, strict=True))
        scores = {}
        for docnum in self.only:
            index = bisect.bisect_left(ids, docnum)
            if index < len(ids) and ids[index] == docnum:
                scores[docnum] = values[index]
        return scores

    def _and(self, query: Q.And) -> Scores:
        excluded = [sub.query for sub in query.subqueries if type(sub) is Q.Not]
        kept = [sub for sub in query.subqueries if type(sub) is not Q.Not]
        if not kept:
            return self._walked(query)
        parts = sorted((self.scores(sub) for sub in kept), key=len)
        scores = dict(parts[0])
        for part in parts[1:]:
            scores = {docnum: score + part[docnum] for docnum, score in scores.items() if docnum in part}
            if not scores:
                break
        for exclusion in excluded:
            # Whoosh walks a Not as every article outside it (each scoring 1); here its matches are taken away.
            if scores:
                found = self.scores(exclusion)
                scores = {docnum: score + NOT_SCORE for docnum, score in scores.items() if docnum not in found}
        return _boosted(scores, query.boost)

    def _walked(self, query: Q.Query) -> Scores:
        """Matches and scores of any query, by walking its Whoosh matcher (boosts included, as Whoosh applies them)."""
        matcher = query.matcher(self.leaf, self.context)
        scores: Scores = {}
        if self.only is None:
            while matcher.is_active():
                scores[matcher.id()] = matcher.score()
                matcher.next()
            return scores
        for docnum in self.only:
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                scores[docnum] = matcher.score()
        return scores

    def adjacent(self, fieldname: str, words: Sequence[str]) -> list[int]:
        """The articles (every one, or the given ones) where the words stand one right after another in the field."""
        field = self.leaf.schema[fieldname]
        try:
            texts = [field.to_bytes(word) for word in words]
        except ValueError:
            return []
        found = [self.lists.get(self.leaf, self.offset, fieldname, text) for text in texts]
        if None in found:
            return []
        # Rarest word first; each next word is looked up only where the rarer ones are.
        common = self.only
        for postings in sorted(found, key=lambda postings: postings.count):
            if common is None:
                common = [docnum for ids, _ in postings for docnum in ids]
            else:
                common = [docnum for docnum in common if postings.find(docnum) is not None]
            if not common:
                return []
        return [docnum for docnum in common if _adjacent(found, docnum)]

    def _phrase(self, phrase: Q.Phrase) -> Scores:
        """A phrase as Whoosh scores it (the sum of its words' scores where they stand one after another), found by
        intersecting the words' articles and reading their positions there only."""
        docnums = self.adjacent(phrase.fieldname, phrase.words)
        if not docnums:
            return {}
        at = _Segment(self.leaf, self.offset, self.context, self.lists, docnums)
        words = [at.scores(Q.Term(phrase.fieldname, word)) for word in phrase.words]
        scores = {docnum: _tree_sum([part[docnum] for part in words]) for docnum in docnums}
        return _boosted(scores, phrase.boost)

    def scorer(self, fieldname: str, text: bytes) -> Any:
        return self.context.weighting.scorer(self.leaf, fieldname, text)

    def _term(self, term: Q.Term) -> Scores:
        field = self.leaf.schema[term.fieldname]
        try:
            text = field.to_bytes(term.text)
        except ValueError:
            return {}
        postings = self.lists.get(self.leaf, self.offset, term.fieldname, text)
        if postings is None:
            return {}
        scores: Scores = {}
        if self.only is None:
            top, constant, per_length, length_of = _bm25_parts(self.scorer(term.fieldname, text))
            lengths = field_lengths(self.leaf.reader(), term.fieldname) or _Lengths(length_of)
            for ids, weights in postings:
                tfs = zip(ids, weights, strict=True)
                block = [top * tf / (tf + constant + per_length * lengths[d]) for d, tf in tfs]
                scores.update(zip(ids, block, strict=True))
        else:
            score = _bm25(self.scorer(term.fieldname, text))
            for docnum in self.only:
                where = postings.find(docnum)
                if where is not None:
                    scores[docnum] = score(postings.weight(where), docnum)
        return _boosted(scores, term.boost)

    def _across(self, query: AcrossFields) -> Scores:
        """A word in several fields, scored once (``AcrossFields``): the normalised frequencies added up first."""
        parts = []
        idf, k1 = None, None
        parent = self.leaf.get_parent()
        for term in query.subqueries:
            try:
                text = self.leaf.schema[term.fieldname].to_bytes(term.text)
            except ValueError:
                continue
            postings = self.lists.get(self.leaf, self.offset, term.fieldname, text)
            if postings is None:  # not in this segment: its idf (the whole index's) still counts
                term_idf = parent.idf(term.fieldname, text)  # the highest possible where no article has it
            else:
                scorer = self.scorer(term.fieldname, text)
                term_idf, k1 = scorer.idf, scorer.K1
            idf = term_idf if idf is None else min(idf, term_idf)
            if postings is None:
                continue
            lengths = field_lengths(self.leaf.reader(), term.fieldname) or _Lengths(scorer.dfl)
            parts.append((postings, term.boost, 1 - scorer.B, scorer.B / scorer.avgfl, lengths))
        if not parts:
            return {}
        tfs: dict[int, float] = {}
        for postings, weight, constant, per_length, lengths in parts:
            if self.only is None:
                for ids, weights in postings:
                    for docnum, tf in zip(ids, weights, strict=True):
                        tfs[docnum] = tfs.get(docnum, 0.0) + weight * tf / (constant + per_length * lengths[docnum])
            else:
                for docnum in self.only:
                    where = postings.find(docnum)
                    if where is not None:
                        tf = postings.weight(where)
                        tfs[docnum] = tfs.get(docnum, 0.0) + weight * tf / (constant + per_length * lengths[docnum])
        top = idf * (k1 + 1) * query.boost
        return {docnum: top * tf / (tf + k1) for docnum, tf in tfs.items()}


class _Lengths:
    """A scorer's field lengths as a sequence, when they are not read from the column in one go."""

    def __init__(self, length_of: Callable[[int], int]) -> None:
        self.length_of = length_of

    def __getitem__(self, docnum: int) -> int:
        return self.length_of(docnum)


def _tree_sum(values: list[float]) -> float:
    """A sum added up in the order of Whoosh's binary tree of intersections (so the same float, to the last bit)."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])


def _boosted(scores: Scores, boost: float) -> Scores:
    """A query's own boost, applied as Whoosh applies it: after its score."""
    return scores if boost == 1.0 else {docnum: score * boost for docnum, score in scores.items()}
