"""The block-at-a-time matcher (``whoosh_ext``): the same matches and scores as Whoosh's own, BM25F once over the
fields, the score cache, phrase boosts looked up at the candidates.

A seeded corpus of made-up words (the ``corpus`` fixture) is enough for the comparisons with Whoosh.
"""

from __future__ import annotations

import itertools
import random
from datetime import datetime

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import scoring
from whoosh.fields import ID, TEXT, Schema

from search_service.query import ProximityBoost
from search_service.searcher import RANKING, Ranking
from search_service.whoosh_ext.matching import match_scores, proximity_scores
from search_service.whoosh_ext.postings import Hits, Places, PostingLists, ScoreCache, places_among, score_cache
from search_service.whoosh_ext.queries import AcrossFields, SynonymGroup

from .conftest import WORDS, rounded


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
    assert rounded(ours_top) == rounded(theirs_top)


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
        Q.Or([Q.Phrase("body", ["w3", "w1", "w2"], boost=2.0), Q.Phrase("body", ["w0", "w5"])]),
        Q.AndMaybe(Q.Term("body", "w1", boost=2.0), Q.Or([Q.Term("title", "w2"), Q.Phrase("body", ["w3", "w1"])])),
        Q.And(
            [
                Q.Term("body", "w0"),
                Q.Not(Q.Or([Q.Term("title", "w5"), Q.AndMaybe(Q.Phrase("body", ["w1", "w2"]), Q.Term("body", "w3"))])),
            ]
        ),
    ],
    ids=[
        "and-of-ors",
        "or",
        "phrase-and-exclusion",
        "unscored-filter",
        "rare-words",
        "phrases",
        "and-maybe",
        "exclusion-of-a-phrase-and-maybe-a-word",
    ],
)
def test_matching_a_block_at_a_time_finds_what_whoosh_finds_with_the_same_scores(corpus, query):
    ix, _ = corpus
    with ix.searcher(weighting=RANKING) as searcher:
        theirs = {docnum: round(score, 9) for score, docnum in searcher.search(query, limit=None).top_n}
        ours = match_scores(searcher, query)
    assert ours is not None
    assert {docnum: round(score, 9) for docnum, score in ours.items()} == theirs


def test_the_best_of_several_forms_scores_what_the_best_form_an_article_holds_scores(corpus):
    # A synonym group (TP HCM = thành phố Hồ Chí Minh) or a phrase as typed or without diacritics: one unit, whose
    # best form found counts. (Whoosh's own DisjunctionMaxMatcher takes the maximum of its two sides' current scores
    # even when one side is on another article, so the parts are searched one by one here.)
    ix, _ = corpus
    parts = [Q.Or([Q.Term("title", "w1", boost=3.0), Q.Term("body", "w1")]), Q.Phrase("body", ["w2", "w3"], boost=2.0)]
    with ix.searcher(weighting=RANKING) as searcher:
        each = [{docnum: score for score, docnum in searcher.search(part, limit=None).top_n} for part in parts]
        ours = match_scores(searcher, Q.And([Q.Term("body", "w6"), Q.DisjunctionMax(parts)]))
        w6 = match_scores(searcher, Q.Term("body", "w6"))
    expected = {
        docnum: w6[docnum] + max(part[docnum] for part in each if docnum in part)
        for docnum in w6
        if any(docnum in part for part in each)
    }
    assert len(expected) > 100
    assert {d: round(s, 9) for d, s in ours.items()} == {d: round(s, 9) for d, s in expected.items()}


def test_a_synonym_groups_form_not_typed_weighs_at_most_what_the_form_typed_weighs(corpus):
    # ``TQ`` and *Trung Quốc*: an article holding a rarer form than the one typed scores as if it held the one typed
    # (its score times the typed form's idf over its own), and a commoner form keeps its own score.
    ix, _ = corpus
    common, rare = Q.Term("body", WORDS[0]), Q.Term("body", WORDS[25])
    with ix.searcher(weighting=RANKING) as searcher:
        idf = {term.text: searcher.idf("body", term.text) for term in (common, rare)}
        each = {term.text: dict(match_scores(searcher, term).items()) for term in (common, rare)}
        typed_common = dict(match_scores(searcher, SynonymGroup([common, rare])).items())
        typed_rare = dict(match_scores(searcher, SynonymGroup([rare, common])).items())
    assert idf[rare.text] > 1.5 * idf[common.text]
    share = idf[common.text] / idf[rare.text]
    found = each[common.text].keys() | each[rare.text].keys()
    assert len(each[rare.text]) > 20 and len(found) > len(each[common.text])

    def best(docnum: int, rare_share: float) -> float:
        return max(each[common.text].get(docnum, 0.0), each[rare.text].get(docnum, 0.0) * rare_share)

    assert {d: round(s, 9) for d, s in typed_common.items()} == {d: round(best(d, share), 9) for d in found}
    assert {d: round(s, 9) for d, s in typed_rare.items()} == {d: round(best(d, 1.0), 9) for d in found}


def test_scores_kept_for_later_searches_are_the_same_and_never_outlive_a_change_to_the_index(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True), body=TEXT))
    rnd = random.Random(3)
    with ix.writer() as writer:
        for number in range(300):
            writer.add_document(id=str(number), body=" ".join(rnd.choice(WORDS[:8]) for _ in range(rnd.randint(1, 20))))
    query = Q.And([Q.Term("body", "w1"), Q.Or([Q.Term("body", "w2"), Q.Term("body", "w3")])])

    def whooshs(searcher):
        return {docnum: round(score, 9) for score, docnum in searcher.search(query, limit=None).top_n}

    searcher = ix.searcher(weighting=RANKING)
    first = match_scores(searcher, query)
    assert score_cache(searcher).size > 0  # the terms' scores are kept...
    again = match_scores(searcher, query)  # ...and used
    assert again == first
    assert {docnum: round(score, 9) for docnum, score in again.items()} == whooshs(searcher)
    with ix.writer() as writer:  # the index changes: every term's idf with it
        for number in range(300, 600):
            writer.add_document(id=str(number), body="w1 w2 w2")
    searcher = searcher.refresh()
    after = match_scores(searcher, query)
    assert len(after) > len(first)
    assert {docnum: round(score, 9) for docnum, score in after.items()} == whooshs(searcher)
    searcher.weighting = Ranking(B=0.5, K1=1.2)  # another scoring on the same reader: scores computed afresh
    reweighted = match_scores(searcher, query)
    assert reweighted != after
    assert {docnum: round(score, 9) for docnum, score in reweighted.items()} == whooshs(searcher)
    searcher.close()


def test_a_full_score_cache_drops_the_least_recently_used_parts():
    cache = ScoreCache(capacity=5)
    cache.put((0, Q.Term("body", "a")), Hits.of({1: 1.0, 2: 2.0, 3: 3.0}))
    cache.put((0, Q.Term("body", "b")), Hits.of({4: 1.0}))
    assert cache.get((0, Q.Term("body", "a"))) is not None  # "a" used last: "b" goes first
    cache.put((0, Q.Term("body", "c")), Hits.of({5: 1.0, 6: 1.0}))
    assert cache.get((0, Q.Term("body", "b"))) is None
    assert list(cache.get((0, Q.Term("body", "a")))) == [1, 2, 3]
    assert cache.size == 5
    cache.put((0, Q.Term("body", "d")), Hits.of({n: 1.0 for n in range(6)}))  # larger than the whole cache: not kept
    assert cache.get((0, Q.Term("body", "d"))) is None and cache.size == 5


@pytest.mark.parametrize(
    ("size", "first", "second"),
    [
        (100, 3, 50),
        (100, 50, 3),
        (84_000, 40_000, 2_000),
        (84_000, 2_000, 40_000),
        (84_000, 20_000, 40_000),
        (84_000, 500, 2_000),
        (5_000, 4_999, 5_000),
        (84_000, 0, 10),
        (84_000, 1, 1),
    ],
)
def test_the_articles_two_lists_share_are_found_whichever_is_longer(size, first, second):
    # An intersection's candidates against a part's articles: a few against many, many against a few, many against
    # many (the mask), the highest article in either list; each place is an index into the first list.
    generator = random.Random(size * 7 + first + second)
    ids = np.array(sorted(generator.sample(range(size), first)), dtype=np.int64)
    only = np.array(sorted(generator.sample(range(size), second)), dtype=np.int64)
    common = np.intersect1d(ids, only)
    assert ids[places_among(ids, only)].tolist() == common.tolist()
    # The places of some of a union's articles, from a table or by binary search.
    some = np.array(sorted(generator.sample(ids.tolist(), len(ids) // 3)), dtype=np.int64)
    assert Places(ids, size).of(some).tolist() == np.searchsorted(ids, some).tolist()


def test_phrase_boosts_looked_up_at_the_candidates_are_whooshs_phrase_scores(corpus):
    ix, _ = corpus
    phrase = Q.Phrase("body", ["w1", "w2"])
    with ix.searcher(weighting=RANKING) as searcher:
        theirs = {docnum: score for score, docnum in searcher.search(phrase, limit=None).top_n}
        candidates = sorted(match_scores(searcher, Q.Term("body", "w1")))[::3]
        boosts = [ProximityBoost((("body", 1.0),), ("w1", "w2"), 2.0)]
        ours = proximity_scores(searcher, candidates, boosts, PostingLists(searcher))
    assert len(ours) > 20
    expected = {d: round(2.0 * s, 9) for d, s in theirs.items() if d in set(candidates)}
    assert {docnum: round(score, 9) for docnum, score in ours.items()} == expected


def _two_field_corpus(path) -> tuple[whoosh_index.Index, dict[int, dict[str, list[str]]]]:
    """200 documents of a short sapo and a longer body, seeded; and each one's words, by document number."""
    ix = whoosh_index.create_in(str(path), Schema(id=ID(stored=True), summary=TEXT, body=TEXT))
    rnd = random.Random(7)
    texts = {}
    with ix.writer() as writer:
        for number in range(200):
            summary = [rnd.choice(WORDS[:6]) for _ in range(rnd.randint(0, 12))]
            body = [rnd.choice(WORDS[:10]) for _ in range(rnd.randint(0, 60))]
            writer.add_document(id=str(number), summary=" ".join(summary), body=" ".join(body))
            texts[number] = {"summary": summary, "body": body}
    return ix, texts


def _bm25f(searcher, ranking: Ranking, weights: dict[str, float], b: dict[str, float], word: str) -> dict[int, float]:
    """BM25F (Robertson, Zaragoza, Taylor 2004) of a word at every article, from the index's own statistics: per
    field, the word's frequency over the field's length (relative to the average) times the field's weight; added up
    over the fields, then saturated once (k1 1.6)."""
    frequencies = {name: dict(searcher.postings(name, word).items_as("weight")) for name in weights}
    idf = min(ranking.idf(searcher, name, word) for name in weights)
    scores = {}
    for docnum in range(searcher.doc_count_all()):
        tf = 0.0
        for name, weight in weights.items():
            if docnum in frequencies[name]:
                length = searcher.doc_field_length(docnum, name) / searcher.avg_field_length(name)
                tf += weight * frequencies[name][docnum] / (1 - b[name] + b[name] * length)
        if tf:
            scores[docnum] = idf * 2.6 * tf / (tf + 1.6)
    return scores


def test_a_word_in_several_fields_is_scored_once_over_them_as_bm25f(tmp_path):
    # Computed from the index's statistics for every article, both by the block-at-a-time scoring and by Whoosh
    # walking the query.
    ix, _ = _two_field_corpus(tmp_path)
    weights = {"summary": 5.0, "body": 1.0}
    query = AcrossFields([Q.Term(name, "w1", boost=weight) for name, weight in weights.items()], boost=2.0)
    ranking = Ranking(B=1.0, K1=1.6, summary_B=0.75)
    with ix.searcher(weighting=ranking) as searcher:
        ours = match_scores(searcher, query)
        walked = {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
        expected = {
            d: 2.0 * s for d, s in _bm25f(searcher, ranking, weights, {"summary": 0.75, "body": 1.0}, "w1").items()
        }
    assert len(expected) > 100
    assert {d: round(s, 9) for d, s in ours.items()} == {d: round(s, 9) for d, s in expected.items()}
    assert {d: round(s, 9) for d, s in walked.items()} == {d: round(s, 9) for d, s in expected.items()}


def test_a_phrase_in_several_fields_earns_its_words_bm25f_once_wherever_it_stands(tmp_path):
    # "w1 w2" side by side in the sapo, the body or both earns the boost times the two words' BM25F over the fields,
    # once; the words apart earn nothing. Before, a phrase in the sapo and the body earned its words' scores in each.
    ix, texts = _two_field_corpus(tmp_path)
    weights = {"summary": 5.0, "body": 1.0}
    boost = ProximityBoost(tuple(weights.items()), ("w1", "w2"), 2.0)
    with ix.searcher(weighting=RANKING) as searcher:
        candidates = list(range(0, 200, 2))
        ours = proximity_scores(searcher, candidates, [boost], PostingLists(searcher))
        words = [_bm25f(searcher, RANKING, weights, {"summary": 1.0, "body": 1.0}, w) for w in ("w1", "w2")]

    def side_by_side(docnum: int, name: str) -> bool:
        return ("w1", "w2") in itertools.pairwise(texts[docnum][name])

    together = [d for d in candidates if any(side_by_side(d, name) for name in weights)]
    in_both = [d for d in together if all(side_by_side(d, name) for name in weights)]
    assert len(together) > 20 and in_both
    expected = {docnum: 2.0 * (words[0][docnum] + words[1][docnum]) for docnum in together}
    assert {d: round(s, 9) for d, s in ours.items()} == {d: round(s, 9) for d, s in expected.items()}


def _ours_and_whooshs(searcher, query: Q.Query) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """Every match of a query and its score (rounded), found over arrays and by Whoosh's own search, by article."""
    ours = match_scores(searcher, query, PostingLists(searcher, cache=False))
    whooshs = sorted((hit.docnum, round(hit.score, 9)) for hit in searcher.search(query, limit=None))
    return [(d, round(s, 9)) for d, s in zip(ours.ids.tolist(), ours.scores.tolist(), strict=True)], whooshs


def test_a_category_matches_the_articles_whoosh_finds_with_their_postings_weights(engine):
    # Read from the category's posting list instead of walking Whoosh's matcher an article at a time (or skipping it
    # to each article the words match); an article of two categories is in both.
    searcher = engine.searcher()
    government = Q.Term("category", "Chính quyền", boost=1.5)
    for query in (
        government,
        Q.Or([government, Q.Term("category", "Văn hóa")]),
        Q.And([Q.Term("body", "năm"), government]),
        Q.And([Q.Term("body", "năm"), Q.Or([government, Q.Term("category", "Kinh tế")])]),
        Q.Term("category", "Không có"),
    ):
        ours, whooshs = _ours_and_whooshs(searcher, query)
        assert ours == whooshs
        assert bool(whooshs) == ("Không có" not in repr(query)), query
    assert len(match_scores(searcher, government, PostingLists(searcher, cache=False))) == 3


@pytest.mark.parametrize(
    ("start", "end", "startexcl", "endexcl"),
    [
        (datetime(2023, 1, 1), None, False, False),
        (None, datetime(2023, 1, 10), False, False),
        (datetime(2022, 11, 20), datetime(2023, 7, 5, 8), False, False),
        (datetime(2022, 11, 20), datetime(2023, 7, 5, 8), True, True),
        (datetime(2030, 1, 1), None, False, False),
    ],
)
def test_a_date_range_matches_the_articles_whoosh_finds_with_its_constant_score(engine, start, end, startexcl, endexcl):
    # Compared in the date column instead of walking the range's terms an article at a time; an article without a
    # date (the portal page) is in no range.
    searcher = engine.searcher()
    dates = Q.DateRange("published", start, end, startexcl, endexcl, boost=2.0)
    for query in (dates, Q.And([Q.Term("body", "năm"), dates])):
        ours, whooshs = _ours_and_whooshs(searcher, query)
        assert ours == whooshs
        assert bool(whooshs) == (start != datetime(2030, 1, 1))
