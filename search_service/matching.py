"""Scoring every match of a query a posting block at a time, instead of a match at a time.

A search box query is mostly an ``And``/``Or`` of terms: each syllable in three fields, every syllable required (or
any of them, for a longer run). Whoosh walks such a query one matching article at a time through a tree of matchers
— a dozen Python calls per article and term, most of a search's time. Here each term's postings are read a block
(up to 128 articles) at a time and scored with the same BM25F as Whoosh's; unions add up, intersections keep the
articles in every part. Any other part of a query (a phrase, a filter, an exclusion) is walked by its own Whoosh
matcher, and its matches and scores join the rest the same way. The scores equal Whoosh's (``tests/test_ranking.py``).

Field lengths are read once per segment too (``field_lengths``), for these scores and for Whoosh's own scorers.
"""

from __future__ import annotations

import weakref
from typing import Any

from whoosh import query as Q
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

Scores = dict[int, float]
NOT_SCORE = 1.0  # what Whoosh's InverseMatcher gives each article outside an excluded query


def match_scores(searcher: Searcher, query: Q.Query) -> Scores:
    """Every article the query matches (global document number) with its score under the searcher's BM25F."""
    if not isinstance(searcher.weighting, scoring.BM25F):
        raise TypeError(f"block-at-a-time scoring is BM25F's, not {type(searcher.weighting).__name__}'s")
    scores: Scores = {}
    context = searcher.context(needs_current=True)
    for leaf, offset in searcher.leaf_searchers():
        local = _scores(leaf, query, context)
        deleted = leaf.reader().deleted_docs_set if leaf.reader().has_deletions() else ()
        scores.update((docnum + offset, score) for docnum, score in local.items() if docnum not in deleted)
    return scores


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


def _native(query: Q.Query, schema: Any) -> str | None:
    """How a part of a query is evaluated here: "term", "or", "and", or None (by its own Whoosh matcher)."""
    kind = type(query)
    if kind is Q.Or and query.subqueries and not (query.minmatch or query.scale):
        return "or"
    if kind is Q.And and query.subqueries:
        return "and"
    if kind is Q.Term and query.fieldname in schema and schema[query.fieldname].scorable:
        return "term"
    return None


def _scores(leaf: Searcher, query: Q.Query, context: Any) -> Scores:
    kind = _native(query, leaf.schema)
    if kind is None:
        return _matcher_scores(leaf, query, context)
    if kind != "term" and len(query.subqueries) == 1:
        return _scores(leaf, query.subqueries[0], context)  # as Whoosh does: a compound of one ignores its boost
    if kind == "term":
        return _term_scores(leaf, query, context)
    if kind == "or":
        parts = sorted((_scores(leaf, sub, context) for sub in query.subqueries), key=len, reverse=True)
        scores = dict(parts[0])
        for part in parts[1:]:
            for docnum, score in part.items():
                scores[docnum] = scores.get(docnum, 0.0) + score
    else:  # And
        excluded = [sub.query for sub in query.subqueries if type(sub) is Q.Not]
        kept = [sub for sub in query.subqueries if type(sub) is not Q.Not]
        if not kept:
            return _matcher_scores(leaf, query, context)
        parts = sorted((_scores(leaf, sub, context) for sub in kept), key=len)
        scores = dict(parts[0])
        for part in parts[1:]:
            scores = {docnum: score + part[docnum] for docnum, score in scores.items() if docnum in part}
            if not scores:
                break
        for exclusion in excluded:
            # Whoosh walks a Not as every article outside it (each scoring 1); here its matches are taken away.
            if scores:
                found = _scores(leaf, exclusion, context)
                scores = {docnum: score + NOT_SCORE for docnum, score in scores.items() if docnum not in found}
    return _boosted(scores, query.boost)


def _matcher_scores(leaf: Searcher, query: Q.Query, context: Any) -> Scores:
    """Matches and scores of any query, by walking its Whoosh matcher (boosts included, as Whoosh applies them)."""
    matcher = query.matcher(leaf, context)
    scores: Scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


def _term_scores(leaf: Searcher, term: Q.Term, context: Any) -> Scores:
    reader = leaf.reader()
    field = leaf.schema[term.fieldname]
    try:
        text = field.to_bytes(term.text)
    except ValueError:
        return {}
    if (term.fieldname, text) not in reader:
        return {}
    matcher = reader.postings(term.fieldname, text)
    if isinstance(matcher, FilterMatcher):  # deletions: match_scores drops them
        matcher = matcher.child
    if not hasattr(matcher, "_read_ids"):  # not a W3 posting list: Whoosh's own walk
        return _matcher_scores(leaf, term, context)
    scorer = context.weighting.scorer(leaf, term.fieldname, text)
    lengths = scorer.dfl
    # BM25F as whoosh.scoring.bm25 computes it: idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avgfl)).
    top = scorer.idf * (scorer.K1 + 1)
    constant = scorer.K1 * (1 - scorer.B)
    per_length = scorer.K1 * scorer.B / scorer.avgfl
    scores: Scores = {}
    while matcher.is_active():
        # One block of postings: its document numbers and weights, read together (Whoosh's W3 codec).
        matcher._read_ids()
        matcher._read_weights()
        for docnum, tf in zip(matcher._ids, matcher._weights, strict=False):
            scores[docnum] = top * tf / (tf + constant + per_length * lengths(docnum))
        matcher._next_block()
    return _boosted(scores, term.boost)


def _boosted(scores: Scores, boost: float) -> Scores:
    """A query's own boost, applied as Whoosh applies it: after its score."""
    return scores if boost == 1.0 else {docnum: score * boost for docnum, score in scores.items()}
