"""What a search shows beside its hits: the spelling suggestion, bounded in cost whatever the query and the index."""

from __future__ import annotations

import time

from search_service.query import SearchRequest
from search_service.results import correct_spelling


def test_a_query_of_unknown_syllables_is_answered_at_once_on_a_real_index(vntc_engine):
    # Each syllable the index lacks is corrected: a corrector that walks the whole term list for each one made this
    # 98-character query take 80 s on 20,000 articles (and hang the server's workers).
    vntc_engine.search(SearchRequest(q="hà nội"))  # the index opened and its vocabulary read beforehand
    started = time.perf_counter()
    result = vntc_engine.search(SearchRequest(q="ăq " * 33))
    assert time.perf_counter() - started < 3.0  # ~0.1 s here; seconds per syllable before
    assert result["total"] >= 0 and isinstance(result["hits"], list)


def test_a_slip_is_corrected_to_the_most_frequent_spelling_one_edit_away(vntc_engine):
    vocabulary = vntc_engine.vocabulary()
    assert correct_spelling(vocabulary, "giáo dụcc") == "giáo dục"  # a letter too many
    assert correct_spelling(vocabulary, "tổng thốgn") == "tổng thống"  # two letters swapped
    assert correct_spelling(vocabulary, "thành phố hồ chí minh") is None  # nothing to correct


def test_the_suggestion_is_dropped_not_waited_for_when_its_time_is_up(vntc_engine):
    vocabulary = vntc_engine.vocabulary()
    assert correct_spelling(vocabulary, "giáo dụcc", deadline=time.monotonic() - 1) is None
