"""The posting format: what Whoosh's W3 codec stores, with article numbers and weights apart from positions.

The same documents written by both codecs must read back the same postings and find the same articles with the same
scores, through Whoosh's own matchers and through ``matching``; an index written by an older version (W3) stays
searchable and is rebuilt afresh, not reused.
"""

from __future__ import annotations

import pickle
import random
import shutil
import zlib
from array import array
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.columns import VarBytesColumn
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.formats import Positions
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

from search_service import indexer, schema, store
from search_service.database import read
from search_service.query import SearchRequest
from search_service.schema import TEXT_FIELDS
from search_service.searcher import RANKING, SearchEngine
from search_service.whoosh_ext import codec as codec_module
from search_service.whoosh_ext import stored as stored_module
from search_service.whoosh_ext import terms as terms_module
from search_service.whoosh_ext import writing
from search_service.whoosh_ext.codec import (
    HEADER,
    LEVEL,
    PLANES,
    POSITIONS,
    ZSTD,
    ArrayPositions,
    PostingCodec,
    block_spans,
    decode_numbers,
    decode_values,
    encode_block,
    numbers_part,
    values_part,
)
from search_service.whoosh_ext.matching import match_scores
from search_service.whoosh_ext.postings import PostingLists, Postings, read_postings
from search_service.whoosh_ext.terms import TERMS_EXT, TermTableReader, TermTableWriter, postings_bytes

from .conftest import ARTICLES, write_jsonl

WORDS = [f"w{i}" for i in range(40)]


def _write(folder, codec, positions=None):
    """700 documents (the common words' lists longer than a block of 128 postings, the size both codecs write here), a
    word found once, a few deleted."""
    rnd = random.Random(4)
    schema = Schema(id=ID(stored=True), body=TEXT(phrase=True), tags=KEYWORD, views=NUMERIC)
    if positions is not None:
        schema["body"].format = positions
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
    ours = PostingCodec(blocklimit=128)
    return _write(tmp_path_factory.mktemp("w3"), W3Codec()), _write(tmp_path_factory.mktemp("ours"), ours)


@pytest.fixture(scope="module")
def arrays(tmp_path_factory):
    """The same documents with positions kept as arrays (``ArrayPositions``), as this project's schema keeps them."""
    return _write(tmp_path_factory.mktemp("arrays"), PostingCodec(blocklimit=128), ArrayPositions())


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
def test_whoosh_finds_the_same_articles_with_the_same_scores_in_both_formats(both, arrays, query):
    results = []
    for ix in (*both, arrays):
        with ix.searcher(weighting=RANKING) as searcher:
            results.append([(hit["id"], round(hit.score, 9)) for hit in searcher.search(query, limit=None)])
    assert results[0] and results[1] == results[0] and results[2] == results[0]


def test_positions_kept_as_arrays_read_back_as_whooshs_own_format_wrote_them(both, arrays):
    theirs, ours = _postings(both[0], "body"), _postings(arrays, "body")
    assert ours == theirs
    assert max(len(postings) for postings in ours.values()) > 128
    assert any(len(positions) > 1 for postings in ours.values() for _, positions in postings)


@pytest.mark.parametrize("kind", ["w3", "ours", "arrays"])
def test_positions_read_in_bulk_at_some_articles_are_each_articles_positions(both, arrays, kind):
    ix = {"w3": both[0], "ours": both[1], "arrays": arrays}[kind]
    rnd = random.Random(6)
    with ix.reader() as reader:
        for text in reader.lexicon("body"):
            expected = dict(reader.postings("body", text).items_as("positions"))
            wanted = sorted(rnd.sample(sorted(expected), min(len(expected), rnd.choice([1, 5, 80, 400]))))
            postings = Postings(reader.postings("body", text))
            if rnd.random() < 0.5:
                postings.arrays()  # every block's numbers decoded first, as a search does for a common word
            else:
                postings.arrays(np.array(wanted[::2]))  # some blocks'
            owners, positions = postings.positions_at(np.array(wanted))
            found: dict[int, list[int]] = {}
            for owner, position in zip(owners.tolist(), positions.tolist(), strict=True):
                found.setdefault(wanted[owner], []).append(position)
            assert found == {docnum: expected[docnum] for docnum in wanted}


def test_phrases_found_in_bulk_are_whooshs_phrases(arrays):
    with arrays.searcher(weighting=RANKING) as searcher:
        for words in (["w1", "w2"], ["w0", "w1", "w0"], ["w3", "w3"], ["w2", "lonely"]):
            query = Q.Phrase("body", words)
            theirs = {docnum: round(score, 9) for score, docnum in searcher.search(query, limit=None).top_n}
            scores = match_scores(searcher, query, PostingLists(searcher))
            assert {docnum: round(score, 9) for docnum, score in scores.items()} == theirs


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


@pytest.mark.parametrize("codec", ["w3", "ours"])
def test_a_posting_list_read_from_its_extent_holds_what_its_matcher_reads(both, arrays, codec, monkeypatch):
    # A search reads this codec's lists straight from the posting file, without making a Whoosh matcher for them;
    # Whoosh's own blocks through their matcher. The same postings either way, a term found once included.
    ix = both[0] if codec == "w3" else arrays
    matchers = []
    made = SegmentReader.postings
    monkeypatch.setattr(SegmentReader, "postings", lambda *args, **named: matchers.append(1) or made(*args, **named))
    with ix.reader() as reader:
        [(leaf, _)] = reader.leaf_readers()
        for text in leaf.lexicon("body"):
            theirs = Postings(made(leaf, "body", text))
            matchers.clear()
            ours = read_postings(leaf, "body", text)
            assert len(matchers) == (1 if codec == "w3" else 0)
            assert (ours.lasts, ours.count, ours.term_weight) == (theirs.lasts, theirs.count, theirs.term_weight)
            ids, tfs = theirs.arrays()
            assert [part.tolist() for part in ours.arrays()] == [ids.tolist(), tfs.tolist()]
            assert [part.tolist() for part in ours.positions_at(ids)] == [
                part.tolist() for part in theirs.positions_at(ids)
            ]


def _older(*names: str) -> PostingCodec:
    codec = PostingCodec()
    for name in names:  # as a codec unpickled from a segment written before these settings reads
        delattr(codec, name)
    return codec


@pytest.mark.parametrize(
    "older",
    [
        "w3 blocks",
        "pickled positions",
        "pickled headers",
        "numbers in order",
        "stored without dictionary",
        "zlib blocks",
        "hash term table",
    ],
)
def test_an_index_written_in_the_older_format_is_searched_then_rebuilt_afresh(tmp_path, monkeypatch, older):
    with monkeypatch.context() as patched:
        if older == "w3 blocks":
            patched.setattr(writing, "CODEC", W3Codec())  # what versions before the posting format wrote
        elif older == "pickled headers":
            patched.setattr(writing, "CODEC", _older("block_headers"))  # block headers pickled, as W3 writes them
        elif older == "numbers in order":  # blocks' numbers and positions as words, not byte planes
            patched.setattr(writing, "CODEC", _older("block_layout"))
        elif older == "stored without dictionary":  # articles compressed by W3's own column
            patched.setattr(writing, "CODEC", _older("stored_dictionary"))
        elif older == "zlib blocks":  # blocks compressed with zlib, not Zstandard
            patched.setattr(writing, "CODEC", _older("block_compression"))
        elif older == "hash term table":  # terms in W3's hash file, every posting list in the posting file
            patched.setattr(writing, "CODEC", _older("term_table"))
        else:
            patched.setattr(schema, "ArrayPositions", Positions)  # Whoosh's own positions format
        indexer.build(tmp_path, [ARTICLES], jobs=1)
    assert not writing.written_in_this_format(store.open_index(tmp_path))
    if older in ("numbers in order", "stored without dictionary", "zlib blocks", "hash term table"):
        _assert_written_as(
            tmp_path,
            planes=older != "numbers in order",
            dictionary=older != "stored without dictionary",
            zstd=older != "zlib blocks",
            table=older != "hash term table",
        )
    articles = len(ARTICLES.read_text(encoding="utf-8").splitlines())
    before = SearchEngine(tmp_path).search(SearchRequest(q="ủy ban nhân dân"))  # still read as it is
    assert before["total"] > 0
    report = indexer.build(tmp_path, [ARTICLES], jobs=1)
    assert report.unchanged == 0 and report.indexed == articles  # nothing kept from the old format
    assert all(isinstance(segment.codec(), PostingCodec) for segment in store.open_index(tmp_path)._segments())
    assert type(store.open_index(tmp_path).schema["body"].format) is ArrayPositions
    after = SearchEngine(tmp_path).search(SearchRequest(q="ủy ban nhân dân"))
    assert [hit["id"] for hit in after["hits"]] == [hit["id"] for hit in before["hits"]]
    assert indexer.build(tmp_path, [ARTICLES], jobs=1).unchanged == articles  # the new format is reused
    _assert_written_as(tmp_path, planes=True, dictionary=True, zstd=True)


def test_an_index_whose_articles_need_another_dictionary_says_so_and_is_rebuilt_afresh(tmp_path, monkeypatch):
    # What a package whose bundled sample, so its dictionary, changed finds: an index it cannot read the articles of.
    indexer.build(tmp_path, [ARTICLES], jobs=1)
    monkeypatch.setattr(stored_module, "DICTIONARY_NAME", "0123456789abcdef")
    monkeypatch.setattr(codec_module, "DICTIONARY_NAME", "0123456789abcdef")
    monkeypatch.setattr(writing, "CODEC", PostingCodec())
    with store.open_index(tmp_path).reader() as reader, pytest.raises(ValueError, match="rebuild the index"):
        reader.stored_fields(0)
    articles = len(ARTICLES.read_text(encoding="utf-8").splitlines())
    report = indexer.build(tmp_path, [ARTICLES], jobs=1)  # its fingerprints and terms still read
    assert report.unchanged == 0 and report.indexed == articles
    assert SearchEngine(tmp_path).search(SearchRequest(q="ủy ban nhân dân"))["total"] > 0


def test_the_stored_articles_dictionary_is_what_the_bundled_sample_makes():
    assert stored_module.build_dictionary(stored_module.sample_texts()) == stored_module.DICTIONARY
    assert set(stored_module.STORED_NAMES) == set(schema.build_schema().stored_names())  # the frame's names
    assert len(stored_module.DICTIONARY) == stored_module.DICTIONARY_SIZE  # zlib's whole window, no more


def test_stored_articles_take_a_fifth_less_room_than_in_whooshs_own_column(vntc_engine):
    # The session's index of VNTC articles, each pickled and compressed on its own: with the dictionary
    # (as stored) against zlib alone at W3's level, what Whoosh's column would hold.
    with store.open_index(vntc_engine.root).reader() as reader:
        (segment,) = [r for r, _ in reader.leaf_readers()]
        stored = segment._perdoc.column_reader("_stored", VarBytesColumn())
        packed = [value for value in stored if value]
        whooshs = [zlib.compress(pickle.dumps(segment.stored_fields(n), 2), 3) for n in range(len(packed))]
        articles = segment.doc_count_all()
    assert len(packed) == articles > 3800  # the slice less its duplicates and untitled articles
    assert sum(map(len, packed)) < 0.8 * sum(map(len, whooshs))


def _assert_written_as(root, planes, dictionary, zstd=True, table=True):
    """Whether the index's blocks are in byte planes and compressed with Zstandard (those that are compressed), its
    stored articles compressed with the dictionary, and its terms in a term table (not W3's hash file), from the
    bytes on disk."""
    ix = store.open_index(root)
    (segment,) = ix._segments()
    parts = segment.open_compound_file(ix.storage)
    try:
        assert {segment.make_filename(ext) in parts.list() for ext in (TERMS_EXT, W3Codec.TERMS_EXT)} == {True, False}
        assert parts.file_exists(segment.make_filename(TERMS_EXT)) is table
    finally:
        parts.close()
    headers = [
        HEADER.unpack_from(raw, start)[3]
        for (field, _), (_, raw) in _raw_postings(store.current_generation(root), segment).items()
        if field == "body"
        for start, _end, _last in block_spans(raw)
    ]
    assert {layout & (PLANES | POSITIONS) for layout in headers} == ({PLANES | POSITIONS} if planes else {0})
    compressed = [layout for layout in headers if layout & LEVEL]
    assert compressed and {bool(layout & ZSTD) for layout in compressed} == {zstd}
    reader = SegmentReader(ix.storage, ix.schema, segment)
    try:
        stored = reader._perdoc.column_reader("_stored", VarBytesColumn())
        packed = [value for value in stored if value]
        try:
            unpacked = [zlib.decompress(value) for value in packed]
        except zlib.error:  # needs the dictionary
            unpacked = None
        assert (unpacked is None) is dictionary
        if dictionary:
            assert [pickle.loads(stored_module._unpacked(value)) for value in packed] == [
                reader.stored_fields(docnum) for docnum in range(len(packed))
            ]
    finally:
        reader.close()


def test_the_projects_fields_hold_the_same_postings_as_with_whooshs_own_positions(tmp_path, monkeypatch):
    # The text fields' terms, frequencies and positions come from the analyzer's term_positions in one go, not a
    # token at a time; block statistics of field lengths are not written. What is indexed is the same.
    indexer.build(tmp_path / "arrays", [ARTICLES], jobs=1)
    with monkeypatch.context() as patched:
        patched.setattr(schema, "ArrayPositions", Positions)
        indexer.build(tmp_path / "whoosh", [ARTICLES], jobs=1)
    found = [_text_postings(tmp_path / name) for name in ("arrays", "whoosh")]
    assert found[0] == found[1]
    assert any(b"_" in text for _, text in found[0])  # words as well as syllables
    assert any(len(positions) > 1 for postings in found[0].values() for _, positions in postings)


def _text_postings(root):
    """Every text field's postings of an index, by article id: {(field, term): [(id, positions)]}."""
    with store.open_index(root).reader() as reader:
        by_id = {docnum: reader.stored_fields(docnum)["id"] for docnum in reader.all_doc_ids()}
        postings = {}
        for field in ("title", "title_f", "body", "body_f", "summary", "author", "category_f"):
            for text in reader.lexicon(field):
                matcher = reader.postings(field, text)
                postings[field, text] = sorted(
                    (by_id[docnum], positions) for docnum, positions in matcher.items_as("positions")
                )
        return postings


SAMPLE = Path(indexer.__file__).parent / "data" / "sample" / "vntc_sample.jsonl"


def _everything(ix):
    """What a search can read of an index, by document number: each field's postings (numbers, weights, values),
    stored fields, field lengths and column values."""
    with ix.reader() as reader:
        found = {}
        for field, text in reader.all_terms():
            matcher = reader.postings(field, text)
            postings = [(matcher.id(), matcher.weight(), matcher.value()) for _ in matcher.all_ids()]
            found["postings", field, text] = postings
        return found | _documents(reader, ix.schema, reader.all_doc_ids())


def _documents(reader, schema, docnums):
    """The given documents' stored fields and field lengths, and every column's values as stored."""
    found = {}
    for docnum in docnums:
        found["stored", docnum] = reader.stored_fields(docnum)
        for field in schema.scorable_names():
            found["length", docnum, field] = reader.doc_field_length(docnum, field)
    for field in schema.names():
        if reader.has_column(field):
            found["column", field] = list(reader.column_reader(field, translate=False))
    return found


_NOISE = random.Random(3)


@pytest.mark.parametrize(
    ("ids", "weights", "values", "compressed"),
    [
        ([7], [1.0], (b"\x03\x00\x00\x00",), False),  # most lists: one article, where zlib would add bytes
        ([7, 9000], [1.0, 2.0], (b"\x03\x00\x00\x00", b"\x01\x00\x00\x00\x05\x00\x00\x00"), False),
        (list(range(0, 1280, 10)), [1.0] * 128, tuple(b"\x02\x00\x00\x00" for _ in range(128)), True),  # common
        (  # noise does not compress
            sorted(_NOISE.sample(range(1 << 31), 6)),
            [_NOISE.random() for _ in range(6)],
            tuple(_NOISE.randbytes(_NOISE.randrange(40, 400)) for _ in range(6)),
            False,
        ),
    ],
)
@pytest.mark.parametrize("zstd", [True, False], ids=["zstandard", "zlib"])
def test_a_block_is_compressed_only_when_that_makes_it_smaller(ids, weights, values, compressed, zstd):
    data, layout = encode_block(ids, weights, values, 3, zstd=zstd)
    plain = 4 + 8 * len(ids) + 4 * len(values) + sum(map(len, values))
    assert (layout & LEVEL == 3) is compressed
    assert bool(layout & ZSTD) is (compressed and zstd)
    assert len(data) < plain if compressed else len(data) == plain
    assert bool(layout & PLANES) is all(weight == int(weight) for weight in weights)  # frequencies, not noise
    numbers, rest = numbers_part(data, layout), values_part(data, layout)
    assert decode_numbers(numbers, len(ids), layout) == (array("I", ids), array("f", weights))
    assert tuple(decode_values(data, len(ids), layout, None)) == values
    assert len(rest) == 4 * len(values) + sum(map(len, values))


def test_positions_in_byte_planes_take_a_quarter_less_room_and_read_back_the_same():
    # A common word's block: 128 of 8,000 articles, one to four positions each in the first few hundred words.
    # Written in byte planes, each posting's count of positions its weight (no lengths), it compresses to well under
    # the words in order (the layout before PLANES, still read).
    rnd = random.Random(8)
    ids = sorted(rnd.sample(range(8000), 128))
    positions = [sorted(rnd.sample(range(400), rnd.randint(1, 4))) for _ in ids]
    weights = [float(len(found)) for found in positions]
    values = tuple(ArrayPositions().encode(found) for found in positions)
    data, layout = encode_block(ids, weights, values, 6, positions=True)
    assert layout == 6 | PLANES | POSITIONS
    differences = array("I", [now - before for now, before in zip(ids, [0, *ids[:-1]], strict=True)])
    numbers = differences.tobytes() + array("f", weights).tobytes()
    in_order = len(zlib.compress(numbers, 6)) + len(
        zlib.compress(array("I", map(len, values)).tobytes() + b"".join(values), 6)
    )
    assert len(data) < 0.75 * in_order
    assert decode_numbers(numbers_part(data, layout), 128, layout) == (array("I", ids), array("f", weights))
    assert tuple(decode_values(data, 128, layout, None)) == values
    assert len(values_part(data, layout)) == len(b"".join(values))  # the positions alone


def _raw_postings(index_dir, segment):
    """A segment's terms as written: {(field, term): (term info bytes, posting list bytes)}."""
    ix = whoosh_index.open_dir(str(index_dir))
    reader = SegmentReader(ix.storage, ix.schema, segment)
    try:
        found = {}
        for key, info in reader._terms.items():
            raw = postings_bytes(reader._terms, info)
            info.set_extent(info.extent()[0], len(raw))
            found[key] = (info.to_bytes(), raw)
        return found
    finally:
        reader.close()


def _per_document(index_dir, segment):
    """A segment's stored fields, field lengths and column values, by document number."""
    ix = whoosh_index.open_dir(str(index_dir))
    reader = SegmentReader(ix.storage, ix.schema, segment)
    try:
        return _documents(reader, ix.schema, range(segment.doc_count()))
    finally:
        reader.close()


def test_the_term_pool_writes_the_bytes_whooshs_own_pool_writes(tmp_path, monkeypatch):
    # A build worker's writer hands an article's text fields to its pool a field at a time, gathers postings by term
    # and writes each list a block at a time; Whoosh's writer and pool, posting by posting through the same codec,
    # are the reference: the same term infos and blocks, byte for byte, and the same stored fields, lengths and
    # columns, boosted articles among them.
    monkeypatch.setattr(writing.TermPool, "BATCH", 5000)  # gathered into the terms' arrays many times
    monkeypatch.setattr(writing.FieldPostings, "CHUNK", 100)  # a text field's lists encoded in many chunks
    monkeypatch.setattr(writing.CODEC, "_blocklimit", 16)  # the sample's common words in many blocks
    articles = [record.article for record in read([SAMPLE], None) if record.article is not None]
    articles[0].category = ["Xã hội", "Giáo dục"]  # Frequency and Existence fields as well as positions
    articles[0].tags = ["tuyển sinh", "lớp 10"]
    articles[0].published, articles[0].views = datetime(2023, 5, 12), 1200  # numeric fields' range terms
    found, documents = [], []
    for name in ("whoosh", "pool"):
        (tmp_path / name).mkdir()
        whoosh_index.create_in(str(tmp_path / name), schema.build_schema())
        if name == "whoosh":
            writer = SegmentWriter(whoosh_index.open_dir(str(tmp_path / name)), _lk=False, codec=writing.CODEC)
        else:
            writer = writing.segment_writer(str(tmp_path / name), 128)
        for article in articles:
            uncached = {field: (b"", None) for field in TEXT_FIELDS if getattr(article, field)}
            analysed, _ = indexer._analyse_article(article, uncached)
            fields = schema.document(article, analysed)
            if article is articles[1]:
                fields["_boost"] = 2.0  # the whole article's postings weigh double
            if article is articles[2]:
                fields["_body_boost"] = 1.5
            writer.add_document(**fields)
            if name == "pool":
                writer.pool.full()
        segment = writing.finish_segment(writer)
        found.append(_raw_postings(tmp_path / name, segment))
        documents.append(_per_document(tmp_path / name, segment))
    assert found[1] == found[0]
    assert documents[1] == documents[0]
    assert {field for field, _ in found[0]} >= {"body", "body_f", "category", "tags", "id", "year", "views"}
    assert max(len(list(block_spans(raw))) for _, raw in found[0].values()) > 1  # lists of many blocks


def test_a_worker_whose_postings_fill_its_memory_goes_on_in_new_segments(tmp_path, monkeypatch):
    # Past the pool's limit a worker writes its segment and starts another; the parent merges them into one, which
    # holds what a worker with room for everything writes: postings, stored fields, lengths, columns.
    indexer.build(tmp_path / "in_memory", [SAMPLE], jobs=1)
    made, merge, merged = writing.segment_writer, indexer.merge_segments, []

    def small(index_dir, limitmb):
        writer = made(index_dir, limitmb)
        writer.pool.limit = 300_000  # bytes: a segment every few dozen articles
        return writer

    def counted(index_dir, segments):
        merged.append(len(segments))
        return merge(index_dir, segments)

    monkeypatch.setattr(indexer, "segment_writer", small)
    monkeypatch.setattr(indexer, "merge_segments", counted)
    monkeypatch.setattr(writing.TermPool, "BATCH", 2000)
    indexer.build(tmp_path / "parts", [SAMPLE], jobs=1)
    assert merged and merged[0] >= 4
    assert len(store.open_index(tmp_path / "parts")._segments()) == 1
    assert _everything(store.open_index(tmp_path / "parts")) == _everything(store.open_index(tmp_path / "in_memory"))


def test_a_parallel_build_leaves_one_segment_with_what_one_worker_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer, "PARALLEL_BATCH", 8)  # both workers get articles
    indexer.build(tmp_path / "two", [SAMPLE], jobs=2)
    indexer.build(tmp_path / "one", [SAMPLE], jobs=1)
    assert len(store.open_index(tmp_path / "two")._segments()) == 1
    assert _text_postings(tmp_path / "two") == _text_postings(tmp_path / "one")


def test_segments_merged_a_block_at_a_time_hold_what_whooshs_merge_writes(tmp_path, monkeypatch):
    # The second segment's blocks are copied with their article numbers moved past the first's; Whoosh's own merge
    # of the same two segments, posting by posting, is the reference.
    monkeypatch.setattr(indexer, "PARALLEL_BATCH", 8)
    monkeypatch.setattr(writing.CODEC, "_blocklimit", 16)  # the sample's common words in many blocks
    monkeypatch.setattr(  # the workers' two segments committed as they are
        indexer.ParallelWriters,
        "commit",
        lambda self, index, stale=(): writing.commit_segments(index, self.segments, stale, indexer.MAX_SEGMENTS),
    )
    indexer.build(tmp_path / "ours", [SAMPLE], jobs=2)
    shutil.copytree(tmp_path / "ours", tmp_path / "whoosh")
    reference, ours = store.open_index(tmp_path / "whoosh"), store.open_index(tmp_path / "ours")
    assert len(ours._segments()) == 2
    reference.writer(codec=writing.CODEC).commit(optimize=True)
    merged = writing.merge_segments(ours.storage.folder, ours._segments())
    writer = ours.writer(codec=writing.CODEC)
    writer._close_segment()
    writer._commit_toc([merged])
    writer._finish()
    expected = _everything(store.open_index(tmp_path / "whoosh"))
    found = _everything(store.open_index(tmp_path / "ours"))
    assert found.keys() == expected.keys()
    assert found == expected
    assert any(len(value) > 128 for key, value in found.items() if key[0] == "postings")  # lists of several blocks


@pytest.fixture(scope="module")
def hashed(tmp_path_factory):
    """The documents of ``both`` written by this codec with W3's hash file for the term dictionary."""
    codec = PostingCodec(blocklimit=128)
    del codec.term_table
    return _write(tmp_path_factory.mktemp("hashed"), codec)


def _terms_reader(ix):
    (segment,) = ix._segments()
    return SegmentReader(ix.storage, ix.schema, segment)


def test_the_term_table_reads_back_every_term_and_list_as_whooshs_hash_file_does(both, hashed):
    table, hash_file = _terms_reader(both[1]), _terms_reader(hashed)
    try:
        assert type(table._terms) is TermTableReader and type(hash_file._terms) is not TermTableReader
        ours, theirs = list(table._terms.items()), list(hash_file._terms.items())
        assert [key for key, _ in ours] == [key for key, _ in theirs]
        assert len(ours) > 8 * terms_module.BLOCK_TERMS  # many blocks
        kept = 0
        for (key, mine), (_, info) in zip(ours, theirs, strict=True):
            fields = ("_weight", "_df", "_minlength", "_maxlength", "_maxweight", "_minid", "_maxid")
            assert [getattr(mine, name) for name in fields] == [getattr(info, name) for name in fields], key
            assert postings_bytes(table._terms, mine) == postings_bytes(hash_file._terms, info), key
            kept += mine.raw is not None
        assert 0 < kept < len(ours)  # short lists in the table, the others in the posting file
        for reader in (table, hash_file):  # what Whoosh's reader asks of a terms reader, asked of both
            assert ("body", b"lonely") in reader and ("body", b"lonelier") not in reader
            assert ("nofield", b"lonely") not in reader
        for field, prefix in [("body", b""), ("body", b"lo"), ("body", b"zzz"), ("tags", b"b"), ("id", b"5")]:
            assert list(table.terms_from(field, prefix)) == list(hash_file.terms_from(field, prefix))
            assert [(t, i.doc_frequency()) for t, i in table.iter_from(field, prefix)] == [
                (t, i.doc_frequency()) for t, i in hash_file.iter_from(field, prefix)
            ]
        for field, text in [("body", b"lonely"), ("body", WORDS[0].encode()), ("body", b"absent"), ("id", b"351")]:
            assert table.frequency(field, text) == hash_file.frequency(field, text)
            assert table.doc_frequency(field, text) == hash_file.doc_frequency(field, text)
        assert table.doc_frequency("body", b"absent") == 0
        with pytest.raises(TermNotFound):
            table.term_info("body", b"absent")
        cursors = [reader.cursor("tags") for reader in (table, hash_file)]
        walked = [[cursor.text(), *iter(cursor.next, None)] for cursor in cursors]
        assert walked[0] == walked[1] and len(walked[0]) > 2
        found = [(cursor.find(walked[1][2]), cursor.term_info().doc_frequency()) for cursor in cursors]
        assert found[0] == found[1]
    finally:
        table.close()
        hash_file.close()


def test_the_term_table_and_posting_file_take_two_thirds_of_the_room_of_whooshs_hash_file_and_theirs(
    vntc_engine, tmp_path
):
    # The session's index of VNTC articles: its terms written again to W3's hash file, and the posting lists the
    # table keeps added to the posting file, where they would be with W3's term dictionary.
    ix = store.open_index(vntc_engine.root)
    (segment,) = ix._segments()
    parts = segment.open_compound_file(ix.storage)
    try:
        table = parts.file_length(segment.make_filename(TERMS_EXT))
        postings = parts.file_length(segment.make_filename(W3Codec.POSTS_EXT))
    finally:
        parts.close()
    reader = SegmentReader(ix.storage, ix.schema, segment)
    storage = FileStorage(str(tmp_path))
    hash_file = OrderedHashWriter(storage.create_file("terms.trm"))
    kept = count = 0
    try:
        for (field, text), info in reader._terms.items():
            if info.raw is not None:
                kept += len(info.raw)
                info.set_extent(postings + kept, len(info.raw))
            hash_file.add(pack_ushort(reader._terms._fieldmap[field]) + text, info.to_bytes())
            count += 1
    finally:
        hash_file.close()
        reader.close()
    assert count > 50_000 and kept > 500_000  # most terms are found in one article, their lists a few dozen bytes
    assert table + postings < 0.7 * (storage.file_length("terms.trm") + postings + kept)


def test_a_term_table_reader_keeps_a_bounded_number_of_decoded_blocks(both, monkeypatch):
    monkeypatch.setattr(terms_module, "BLOCKS_KEPT", 4)
    reader = _terms_reader(both[1])
    try:
        table = reader._terms
        everything = list(table.items())
        for (field, text), info in reversed(everything):  # every block looked up, each more than once
            assert table.term_info(field, text).doc_frequency() == info.doc_frequency()
            assert table.doc_frequency(field, text) == info.doc_frequency() == reader.doc_frequency(field, text)
            assert len(table._kept) <= 4
        assert len(table._firsts) > 8
    finally:
        reader.close()


def test_a_term_of_any_length_is_written_to_the_table_and_found_again(tmp_path):
    # An article's id is a term as it is: a record whose id runs to tens of thousands of characters still indexes.
    storage = FileStorage(str(tmp_path))
    writer = TermTableWriter(storage.create_file("terms.tbl"))
    writer.fieldmap["id"] = 0
    texts = [b"a", b"b" * 300, b"c" * 70_000]
    for number, text in enumerate(texts):
        info = W3TermInfo(weight=1.0, df=1, minlength=1, maxlength=1, maxweight=1.0, minid=number, maxid=number)
        writer.add(pack_ushort(0) + text, info, b"list %d" % number)
    writer.close()
    reader = TermTableReader(PostingCodec(), storage.open_file("terms.tbl"), storage.file_length("terms.tbl"), None)
    assert list(reader.terms()) == [("id", text) for text in texts]
    assert [(reader.term_info("id", text).raw, reader.term_info("id", text)._minid) for text in texts] == [
        (b"list 0", 0),
        (b"list 1", 1),
        (b"list 2", 2),
    ]


def test_an_article_added_to_an_index_with_whooshs_hash_file_is_found_beside_the_others(tmp_path, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(writing, "CODEC", _older("term_table"))
        indexer.build(tmp_path, [ARTICLES], jobs=1)
    before = SearchEngine(tmp_path).search(SearchRequest(q="ủy ban nhân dân"))
    festival = {"id": "phao-hoa", "title": "Lễ hội pháo hoa quốc tế", "body": "Pháo hoa rực rỡ bên sông Hàn."}
    indexer.add(tmp_path, [write_jsonl(tmp_path.parent / "new.jsonl", [festival])], jobs=1)
    # The old segment is kept as it is; the added article is in a segment with a term table.
    assert [segment.codec().term_table for segment in store.open_index(tmp_path)._segments()] == ["hash", "table"]
    engine = SearchEngine(tmp_path)
    assert [hit["id"] for hit in engine.search(SearchRequest(q="phao hoa"))["hits"]][:1] == ["phao-hoa"]
    after = engine.search(SearchRequest(q="ủy ban nhân dân"))
    assert after["total"] == before["total"] > 0
    assert [hit["id"] for hit in after["hits"]] == [hit["id"] for hit in before["hits"]]
