"""The query type this project adds to Whoosh's: one word scored once over several fields."""

from __future__ import annotations

import copy
from typing import Any

from whoosh import query as Q
from whoosh import scoring
from whoosh.matching import ListMatcher, NullMatcher

from .postings import PostingLists, across_scores


class AcrossFields(Q.compound.CompoundQuery):
    """One word in several fields of an article (its terms, one per field, each boosted by the field's weight),
    scored as BM25F scores a word (Robertson, Zaragoza and Taylor 2004; Elasticsearch's ``combined_fields``).

    Its frequency in each field, normalised by that field's length and times the field's weight, is added up, and
    the sum is saturated once: ``idf * (K1 + 1) * tf / (tf + K1)``. Whoosh's ``Or`` of the fields' terms (what its
    ``BM25F`` does) saturates each field apart and adds the scores, so a word in the sapo and again in the body
    counts nearly twice, and an article repeating the query's commonest words in both outranks the one that holds
    all of them. The idf is the word's lowest over the fields (its document frequency in the field that holds it
    most often, the nearest to "in any field").

    Matches what an ``Or`` of its terms matches; Whoosh walks it with the scores computed here.
    """

    JOINT = " OR "
    intersect_merge = False

    def scored_natively(self, schema: Any) -> bool:
        """Whether every part is a term in a scorable field (else Whoosh's ``Or`` of the parts is used)."""
        return all(
            type(sub) is Q.Term and sub.fieldname in schema and schema[sub.fieldname].scorable
            for sub in self.subqueries
        )

    def with_boost(self, boost: float) -> AcrossFields:
        """A copy with the given boost. Whoosh's ``Query.with_boost`` deep-copies the query, terms and all (about a
        tenth of building a search's plan, where every word's query is boosted or flattened into an ``Or``); the
        terms are never changed in place, so the copy shares them."""
        copied = copy.copy(self)
        copied.subqueries = list(self.subqueries)
        copied.boost = boost
        return copied

    def matcher(self, searcher, context=None):
        context = context if context is not None else searcher.context()
        if not isinstance(context.weighting, scoring.BM25F) or not self.scored_natively(searcher.schema):
            # Matching only (a filter, a count: no weighting), or another scoring: what the fields' Or matches
            return Q.Or(self.subqueries, boost=self.boost).matcher(searcher, context)
        scores = dict(across_scores(searcher, 0, context, PostingLists(searcher, cache=False), self).items())
        if searcher.reader().has_deletions():
            deleted = searcher.reader().deleted_docs_set
            scores = {docnum: score for docnum, score in scores.items() if docnum not in deleted}
        if not scores:
            return NullMatcher()
        ids = sorted(scores)
        return ListMatcher(ids, weights=[scores[docnum] for docnum in ids])
