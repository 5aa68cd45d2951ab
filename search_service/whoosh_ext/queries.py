"""The query types this project adds to Whoosh's: one word scored once over several fields, a phrase over several
fields, and the forms of one synonym group each weighed as the form typed."""

from __future__ import annotations

import copy
from typing import Any

from whoosh import query as Q
from whoosh import scoring
from whoosh.matching import ListMatcher, NullMatcher

from ..analysis import CLAUSE_TERM
from .postings import PostingLists, across_scores, term_bytes


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


class PhraseAcross(Q.compound.CompoundQuery):
    """Words side by side in any of several fields (one Whoosh ``Phrase`` per field, each boosted by the field's
    weight), scored as its words are: each word's BM25F over the fields (``AcrossFields``), added up.

    A phrase is one unit of a query among words (a synonym's form, a document number, a quoted phrase): *thành phố*
    for ``TP`` beside *Nha Trang*. Whoosh's ``Or`` of the fields' phrases scores each field's phrase apart, its
    words saturated in each, and adds them, so a short title and a body that both say *thành phố* outrank an article
    that holds every word of the query; as its words, it weighs what they weigh typed in full.

    Matches what an ``Or`` of its phrases matches (Whoosh walks that where the scores are not BM25F's).
    """

    JOINT = " OR "
    intersect_merge = False

    def words(self) -> list[Q.Query]:
        """Each word of the phrase over the fields, as ``Builder._term`` scores a word typed in full (a clause's end
        typed, ``analysis.CLAUSE_TERM``, is where the words stand, not a word)."""
        found = []
        for place, word in enumerate(self.subqueries[0].words):
            if word == CLAUSE_TERM:
                continue
            terms = [Q.Term(phrase.fieldname, phrase.words[place], boost=phrase.boost) for phrase in self.subqueries]
            found.append(AcrossFields(terms) if len(terms) > 1 else terms[0])
        return found

    def scored_natively(self, schema: Any) -> bool:
        """Whether every part is a phrase of the same number of words in a scorable field holding positions."""
        return all(
            type(sub) is Q.Phrase
            and sub.slop == 1
            and len(sub.words) == len(self.subqueries[0].words) > 1
            and sub.fieldname in schema
            and schema[sub.fieldname].scorable
            and schema[sub.fieldname].format.supports("positions")
            for sub in self.subqueries
        )

    def normalize(self) -> PhraseAcross:
        """Itself: Whoosh's would turn the phrase of one field into a bare ``Phrase``, scored otherwise."""
        return self

    def with_boost(self, boost: float) -> PhraseAcross:
        """A copy with the given boost, sharing the phrases (as ``AcrossFields.with_boost``)."""
        copied = copy.copy(self)
        copied.subqueries = list(self.subqueries)
        copied.boost = boost
        return copied

    def matcher(self, searcher, context=None):
        return Q.Or(self.subqueries, boost=self.boost).matcher(searcher, context)


class SynonymGroup(Q.DisjunctionMax):
    """One unit of meaning written several ways (a synonym group: ``TQ``, *Trung Quốc*; ``UBND``, *ủy ban nhân
    dân*), its first part the form typed: an article counts the best of its forms found, each weighed as the form
    typed is.

    Each form is scored as its own words, so by their idf: typed *Trung Quốc*, the 34 of VNTC's first 21,000 articles
    writing the rare ``TQ`` would outrank the 1,338 writing the name, however often those say it. A form's scores are
    multiplied by the typed form's weight over its own (``weight``: its words' idf added up, as a phrase's words are
    scored), so an article writing another form counts as if it had written the form typed, and how the group weighs
    beside the query's other words is what the form typed weighs.

    Matches what a ``DisjunctionMax`` of its forms matches, and is scored as one (unweighed) where Whoosh walks it.
    """

    def with_boost(self, boost: float) -> SynonymGroup:
        """A copy with the given boost, sharing the forms (as ``AcrossFields.with_boost``)."""
        copied = copy.copy(self)
        copied.subqueries = list(self.subqueries)
        copied.boost = boost
        return copied

    def normalize(self) -> Q.Query:
        """Itself, its forms normalised: Whoosh's would merge it into a plain ``DisjunctionMax``."""
        copied = copy.copy(self)
        copied.subqueries = [sub.normalize() for sub in self.subqueries]
        return copied

    def weights(self, searcher: Any) -> list[float]:
        """What each form's scores are multiplied by: the typed form's weight over the form's, where the form weighs
        more; else 1, and 1 where either's weight is not known (a form that is not words across fields)."""
        found = [weight(sub, searcher) for sub in self.subqueries]
        typed = found[0]
        return [1.0 if typed is None or own is None or own <= typed else typed / own for own in found]


def weight(query: Q.Query, searcher: Any) -> float | None:
    """How much a form weighs in BM25F, before the frequencies: its words' idf over the whole index (a word's over
    several fields, its lowest, as ``AcrossFields`` scores it), added up for a phrase. None for any other query."""
    kind = type(query)
    if kind is Q.Term:
        try:
            text = term_bytes(searcher.schema, query.fieldname, query.text)
        except (KeyError, ValueError):
            return None
        return searcher.idf(query.fieldname, text)
    if kind is AcrossFields:
        found = [weight(sub, searcher) for sub in query.subqueries]
        return None if not found or None in found else min(found)
    if kind is PhraseAcross:
        found = [weight(word, searcher) for word in query.words()]
        return None if not found or None in found else sum(found)
    return None
