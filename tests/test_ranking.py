"""Ranking mechanics beneath the search API: the best matches are never lost, scores are Whoosh's BM25F.

A seeded corpus of made-up words is enough here (and makes Whoosh's failure reproducible); the Vietnamese side of
ranking is pinned down in test_relevance.py.
"""

from __future__ import annotations

import random

import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import scoring
from whoosh.fields import ID, TEXT, Schema

from search_service.matching import match_scores
from search_service.query import BuiltQuery
from search_service.searcher import RANKING, Ranking, _ranked

WORDS = [f"w{i}" for i in range(30)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """1,500 documents of 1 to 40 words, and a query with an optional part (seed 15: one that Whoosh gets wrong)."""
    rnd = random.Random(15)
    ix = whoosh_index.create_in(
        str(tmp_path_factory.mktemp("ranking")), Schema(id=ID(stored=True), title=TEXT, body=TEXT)
    )
    with ix.writer() as writer:
        for number in range(1500):
            vocabulary = WORDS[: rnd.randint(3, 30)]
            writer.add_document(
                id=str(number), body=" ".join(rnd.choice(vocabulary) for _ in range(rnd.randint(1, 40)))
            )
    with ix.writer() as writer:  # a few deleted articles, as a rebuild that keeps unchanged ones leaves them
        for number in range(0, 1500, 97):
            writer.delete_by_term("id", str(number))
    query = Q.AndMaybe(
        Q.Or([Q.Term("body", w) for w in rnd.sample(WORDS, 4)]), Q.Or([Q.Term("body", w) for w in rnd.sample(WORDS, 4)])
    )
    return ix, query


def _rounded(top):
    return [(round(score, 9), docnum) for score, docnum in top]


def test_the_best_matches_of_a_query_with_optional_words_are_never_dropped(corpus):
    # Whoosh's own top-N collection "replaces" the matchers of a query with an optional part (AndMaybe, which every
    # search with word boosts has) as it goes, judging from each term's best score which matches cannot reach the
    # top any more; those judgements are wrong with an optional part (on this corpus 26 of the 898 matches go, and
    # on news articles a title's own article fell out of the top 100).
    ix, query = corpus
    with ix.searcher(weighting=scoring.BM25F(B=1.0, K1=2.0)) as searcher:  # Whoosh's idf: this corpus's failing case
        every_match = searcher.search(query, limit=None)
        total, top, _ = _ranked(searcher, BuiltQuery(query, {}, True), "relevance", 10, facets=False)
        assert total == len(every_match)
        # Scores are the whole query's; the optional part is scored for the best 100 candidates of the required one.
        assert _rounded(top) == _rounded(every_match.top_n[:10])


def test_scores_from_the_field_lengths_read_once_equal_whooshs_own_bm25f(corpus):
    class WhooshLengths(scoring.BM25F):
        idf = Ranking.idf  # the same idf; each field length read by Whoosh from the column file, match by match

    ix, query = corpus
    with (
        ix.searcher(weighting=RANKING) as ours,
        ix.searcher(weighting=WhooshLengths(B=RANKING.B, K1=RANKING.K1)) as theirs,
    ):
        ours_top, theirs_top = ours.search(query, limit=None).top_n, theirs.search(query, limit=None).top_n
    assert len(ours_top) > 500
    assert _rounded(ours_top) == _rounded(theirs_top)


@pytest.mark.parametrize(
    "query",
    [
        Q.And(
            [Q.Or([Q.Term("title", "w1", boost=3.0), Q.Term("body", "w1")]), Q.Or([Q.Term("body", "w2")], boost=2.0)]
        ),
        Q.Or([Q.Term("body", w) for w in ("w3", "w7", "w29", "nowhere")]),
        Q.And([Q.Term("body", "w0"), Q.Phrase("body", ["w1", "w2"]), Q.Not(Q.Term("title", "w5"))]),
        Q.And([Q.Term("body", "w4"), Q.Term("id", "700")]),
        Q.And([Q.Term("body", "w28"), Q.Term("body", "w29"), Q.Term("title", "w27")]),
    ],
    ids=["and-of-ors", "or", "phrase-and-exclusion", "unscored-filter", "rare-words"],
)
def test_matching_a_block_at_a_time_finds_what_whoosh_finds_with_the_same_scores(corpus, query):
    ix, _ = corpus
    with ix.searcher(weighting=RANKING) as searcher:
        theirs = {docnum: round(score, 9) for score, docnum in searcher.search(query, limit=None).top_n}
        ours = match_scores(searcher, query)
    assert ours is not None
    assert {docnum: round(score, 9) for docnum, score in ours.items()} == theirs
