"""The posting format: what Whoosh's W3 codec stores, with article numbers and weights apart from positions.

The same documents written by both codecs must read back the same postings and find the same articles with the same
scores, through Whoosh's own matchers and through ``matching``; an index written by an older version (W3) stays
searchable and is rebuilt afresh, not reused.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from search_service import indexer, store
from search_service.query import SearchRequest
from search_service.searcher import RANKING, SearchEngine
from search_service.whoosh_ext import writing
from search_service.whoosh_ext.codec import PostingCodec
from search_service.whoosh_ext.matching import match_scores
from search_service.whoosh_ext.postings import PostingLists, Postings

from .conftest import ARTICLES

WORDS = [f"w{i}" for i in range(40)]


def _write(folder, codec):
    """700 documents (every common word past the 128 postings of a block), a word found once, a few deleted."""
    rnd = random.Random(4)
    schema = Schema(id=ID(stored=True), body=TEXT(phrase=True), tags=KEYWORD, views=NUMERIC)
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer(codec=codec) as writer:
        for number in range(700):
            words = [rnd.choice(WORDS[: rnd.randint(2, 40)]) for _ in range(rnd.randint(1, 60))]
            if number == 333:
                words.append("lonely")
            writer.add_document(id=str(number), body=" ".join(words), tags=" ".join(words[:3]), views=number * 7)
    with ix.writer(codec=codec) as writer:
        for number in range(0, 700, 50):
            writer.delete_by_term("id", str(number))
    return ix


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("w3"), W3Codec()), _write(tmp_path_factory.mktemp("ours"), PostingCodec())


def _postings(ix, field):
    with ix.reader() as reader:
        found = {}
        for text in reader.lexicon(field):
            matcher = reader.postings(field, text)
            found[text] = list(matcher.items_as("positions" if field == "body" else "frequency"))
        return found


@pytest.mark.parametrize("field", ["body", "tags", "views"])
def test_every_posting_reads_back_as_whooshs_own_codec_wrote_it(both, field):
    theirs, ours = (_postings(ix, field) for ix in both)
    assert ours == theirs
    assert max(len(postings) for postings in ours.values()) > 128  # more than one block


@pytest.mark.parametrize(
    "query",
    [
        Q.Term("body", "w1"),
        Q.Phrase("body", ["w1", "w2"]),
        Q.And([Q.Term("body", "w3"), Q.Not(Q.Term("body", "w4"))]),
        Q.Term("body", "lonely"),
        Q.NumericRange("views", 700, 1400),
    ],
)
def test_whoosh_finds_the_same_articles_with_the_same_scores_in_both_formats(both, query):
    results = []
    for ix in both:
        with ix.searcher(weighting=RANKING) as searcher:
            results.append([(hit["id"], round(hit.score, 9)) for hit in searcher.search(query, limit=None)])
    assert results[0] and results[1] == results[0]


def test_block_at_a_time_matching_reads_the_new_format_as_whoosh_does(both):
    _, ours = both
    query = Q.And([Q.Term("body", "w5"), Q.Or([Q.Term("body", "w6"), Q.Phrase("body", ["w7", "w8"])])])
    with ours.searcher(weighting=RANKING) as searcher:
        theirs = {docnum: round(score, 9) for score, docnum in searcher.search(query, limit=None).top_n}
        scores = match_scores(searcher, query, PostingLists(searcher))
    assert len(theirs) > 50
    assert {docnum: round(score, 9) for docnum, score in scores.items()} == theirs


@pytest.mark.parametrize("codec", ["w3", "ours"])
def test_a_posting_list_read_as_arrays_holds_what_its_blocks_hold(both, codec):
    # Whole, and at some articles only (the blocks they fall in decoded, in runs with gaps between them).
    ix = both[0 if codec == "w3" else 1]
    rnd = random.Random(5)
    with ix.reader() as reader:
        for text in reader.lexicon("body"):
            # A block at a time (what the test above checks against Whoosh), deleted articles included: the
            # searcher drops them.
            blocks = Postings(reader.postings("body", text))
            expected = [(docnum, float(tf)) for ids, tfs in blocks for docnum, tf in zip(ids, tfs, strict=True)]
            assert len(expected) == blocks.count
            whole = Postings(reader.postings("body", text)).arrays()
            assert list(zip(*(part.tolist() for part in whole), strict=True)) == expected
            wanted = sorted(set(rnd.sample(range(700), 60) + [docnum for docnum, _ in expected[::9]]))
            some = Postings(reader.postings("body", text)).arrays(np.array(wanted))
            at_some = [pair for pair in expected if pair[0] in wanted]
            assert list(zip(*(part.tolist() for part in some), strict=True)) == at_some


def test_an_index_written_in_the_older_format_is_searched_then_rebuilt_afresh(tmp_path, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(writing, "CODEC", W3Codec())  # what versions before the posting format wrote
        indexer.build(tmp_path, [ARTICLES], jobs=1)
    articles = len(ARTICLES.read_text(encoding="utf-8").splitlines())
    before = SearchEngine(tmp_path).search(SearchRequest(q="ủy ban nhân dân"))  # still read as it is
    assert before["total"] > 0
    report = indexer.build(tmp_path, [ARTICLES], jobs=1)
    assert report.unchanged == 0 and report.indexed == articles  # nothing kept from the old format
    assert all(isinstance(segment.codec(), PostingCodec) for segment in store.open_index(tmp_path)._segments())
    after = SearchEngine(tmp_path).search(SearchRequest(q="ủy ban nhân dân"))
    assert [hit["id"] for hit in after["hits"]] == [hit["id"] for hit in before["hits"]]
    assert indexer.build(tmp_path, [ARTICLES], jobs=1).unchanged == articles  # the new format is reused
