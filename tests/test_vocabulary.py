"""The vocabulary an index's suggestions come from: the same articles give the same vocabulary, and a query typed
without diacritics gets back the accented spelling its neighbouring words call for."""

from __future__ import annotations

import bisect
import dataclasses
import gc
import itertools
import math
import pickle
import sys
import zlib
from array import array
from pathlib import Path

import numpy as np
import pytest
import zstandard
from whoosh import index as whoosh_index

from search_service import indexer, store
from search_service import searcher as searcher_module
from search_service import vocabulary as vocabulary_module
from search_service.analysis import normalize_text, split_syllables
from search_service.query import SearchRequest
from search_service.ranking import ALTERNATIVE_SHARE
from search_service.results import complete
from search_service.schema import build_schema
from search_service.searcher import SearchEngine
from search_service.vocabulary import (
    SHAPE_MARK,
    VOCABULARY_FILE,
    VOCABULARY_VERSION,
    Texts,
    Vocabulary,
    build_vocabulary,
    number_shape,
    restorations,
    restore_diacritics,
    saved_vocabulary,
)

from .conftest import build_engine, write_jsonl


def _vocabulary(folder, titles):
    """An index with one segment per title, in the given order (as parallel indexing processes leave them)."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    for number, title in enumerate(titles):
        writer = ix.writer()
        writer.add_document(id=str(number), title=title, body=title)
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == len(titles)
        return build_vocabulary(searcher)


def test_a_tie_between_two_accented_forms_goes_the_same_way_whichever_segment_holds_which(tmp_path):
    titles = ["Phòng cháy", "Phong thấp"]  # "phong" once each way
    first = _vocabulary(tmp_path / "a", titles)
    second = _vocabulary(tmp_path / "b", titles[::-1])
    assert restore_diacritics("phong", first) == restore_diacritics("phong", second)
    assert first.syllables.forms == second.syllables.forms and first.displays == second.displays


def test_an_index_whose_text_holds_no_word_restores_nothing_and_fails_nothing(tmp_path):
    vocabulary = _vocabulary(tmp_path / "a", ["…", "— !"])
    assert restore_diacritics("nhieu nam", vocabulary) is None
    assert vocabulary.syllables.followers_of_pair("nhiều", "năm") == []


# "nam" (south, male) is the most frequent spelling of "nam" here; after "nhiều" or "mỗi", "năm" (year) is.
ARTICLES = [
    {"id": "1", "title": "Miền Nam đón khách", "body": "Du lịch miền Nam tăng. Nam giới và nữ giới đều đi."},
    {"id": "2", "title": "Đội tuyển nam", "body": "Đội tuyển bóng đá nam thắng. Cầu thủ nam được thưởng."},
    {"id": "3", "title": "Phương Nam", "body": "Vùng đất phương Nam, hướng nam, gió nam."},
    {"id": "4", "title": "Kế hoạch nhiều năm", "body": "Sau nhiều năm chờ đợi, dự án hoàn thành. Mỗi năm một lần."},
    {
        "id": "5",
        "title": "Tổng kết năm",
        "body": "Nhiều năm liền đạt danh hiệu. Mỗi năm đều tăng.",
        "category": "Thi đua",
    },
    {"id": "6", "title": "Vì hoà bình", "body": "Hoà bình, hữu nghị và hợp tác."},  # the newer tone placement
]


def test_each_syllable_is_restored_in_the_light_of_its_neighbours(tmp_path):
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    vocabulary = engine.vocabulary()
    # One spelling for every "nam" (the most frequent one) would get one of these wrong.
    assert restore_diacritics("nhieu nam", vocabulary) == "nhiều năm"
    assert restore_diacritics("nam gioi", vocabulary) == "nam giới"
    assert restore_diacritics("moi nam deu tang", vocabulary) == "mỗi năm đều tăng"
    assert restore_diacritics("hoa binh", vocabulary) == "hòa bình"  # restored as the index spells it (hòa)
    # The restored spelling is what is searched (sure here), or, searched as typed, what the page offers and what
    # ranks the articles about years first.
    assert engine.search(SearchRequest(q="nhieu nam"))["query"]["q"] == "nhiều năm"
    result = engine.search(SearchRequest(q="nhieu nam", as_typed=True))
    assert result["suggestion"] == "nhiều năm"
    assert [hit["id"] for hit in result["hits"]][:2] in (["4", "5"], ["5", "4"])


def test_a_search_restores_its_query_once_for_the_results_and_the_suggestion(tmp_path, monkeypatch):
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    restored = []

    def counted(text, vocabulary, listed):
        restored.append(text)
        return restorations(text, vocabulary, listed=listed)

    monkeypatch.setattr(searcher_module, "restorations", counted)
    # Restoring a long query is the dearest step of its plan; the page's suggestion and the plan without the category
    # chosen (for the category counts) ask for the same restoration. As typed: read surely, the query would be
    # searched so spelled, and nothing offered.
    result = engine.search(SearchRequest(q="nhieu nam lien dat danh hieu", categories=["Thi đua"], as_typed=True))
    assert result["suggestion"] == "nhiều năm liền đạt danh hiệu"
    assert restored == ["nhieu nam lien dat danh hieu"]


# "ban" is mostly "bán" (sell) here, often "bàn" (table), seldom "bản" (a copy).
READINGS = [
    {
        "id": "cho",
        "title": "Chợ quê",
        "body": "Ông bán rau, bà bán cá, chị bán gạo, em bán hoa, anh bán thịt, cô bán trứng, cậu bán bánh, "
        "dì bán chè.",
    },
    {"id": "moc", "title": "Xưởng mộc", "body": "Xưởng đóng bàn ghế cho trường học."},
    {"id": "com", "title": "Bữa cơm", "body": "Cả nhà ngồi quanh bàn ăn tối nay."},
    {"id": "ban-sao", "title": "Giấy tờ", "body": "Nộp bản sao ở đây."},
    {"id": "ban-hoc", "title": "Giấy tờ", "body": "Mua bàn học ở đây nhé."},
]


def test_a_likely_second_reading_of_an_unaccented_word_is_searched_too(tmp_path):
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", READINGS)])
    (readings,) = restorations("ban", engine.vocabulary()).alternatives
    assert [form for form, _ in readings] == ["bán", "bàn", "bản"]
    assert readings[1][1] > 2 * readings[2][1]
    # "bàn", the second reading, lifts its article above a shorter one holding the rare "bản", which plain BM25
    # puts first.
    ids = [hit["id"] for hit in engine.search(SearchRequest(q="ban"))["hits"]]
    assert ids[0] == "cho" and ids.index("ban-hoc") < ids.index("ban-sao")


def test_each_readings_chance_is_its_share_of_every_restoration_of_the_run(tmp_path):
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    model = engine.vocabulary().syllables
    candidates = [[(form, 0.0) for form in model.forms[s]] for s in "moi nam nam gioi".split()]
    best, chances = model.readings(candidates)
    # Every sequence of candidates, its probability from the same scores, summed by the form at each position.
    scores = model._scores(candidates)
    weights = {}
    for chosen in itertools.product(*(range(len(forms)) for forms in candidates)):
        at = (0, 0, *chosen)
        weights[chosen] = math.exp(sum(score[at[i], at[i + 1], at[i + 2]] for i, score in enumerate(scores)))
    total = sum(weights.values())
    for position, forms in enumerate(candidates):
        expected = [sum(w for chosen, w in weights.items() if chosen[position] == k) / total for k in range(len(forms))]
        assert chances[position] == pytest.approx(expected)
    likeliest = max(weights, key=weights.get)
    assert best == model.best(candidates) == [forms[k][0] for forms, k in zip(candidates, likeliest, strict=True)]
    assert best == ["mỗi", "năm", "nam", "giới"]


def test_letters_vietnamese_spelling_never_writes_have_no_reading_to_restore(tmp_path):
    # The index writes *ngiệp* once, a slip for *nghiệp*, and *ngèo* once: neither is a reading of its letters.
    titles = ["Doanh nghiệp và nông nghiệp", "Doanh ngiệp vừa", "Hộ nghèo", "Hộ ngèo", "Gen và gel"]
    model = _vocabulary(tmp_path / "index", titles).syllables
    assert model.forms.get("nghiep") == ("nghiệp",) and model.forms.get("ngheo") == ("nghèo",)
    assert model.forms.get("ngiep") is None and model.forms.get("ngeo") is None
    assert [form for form, _ in model.candidates(["ngiep"])[0]] == ["ngiep"]


def test_a_syllable_the_index_never_holds_is_kept_as_typed(tmp_path):
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    assert restore_diacritics("nhieu nam xyzt", engine.vocabulary()) == "nhiều năm xyzt"
    assert restore_diacritics("xyzt", engine.vocabulary()) is None


def test_the_index_keeps_of_each_title_what_a_completion_offers_and_the_completions_stay_whole(tmp_path):
    long = "Kết quả thi tuyển công chức năm 2023 của quận Ngũ Hành Sơn thành phố Đà Nẵng được công bố hôm nay"
    twelve = "Hội nghị sơ kết công tác cải cách hành chính sáu tháng"
    articles = [{"id": "1", "title": long, "body": "Danh sách."}, {"id": "2", "title": twelve, "body": "Báo cáo."}]
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", articles)])
    with store.open_index(engine.root).reader() as reader:
        column = reader.column_reader("title_column")
        kept = {reader.stored_fields(docnum)["id"]: column[docnum].decode() for docnum in reader.all_doc_ids()}
    # The first 13 words of a long title (a completion offers 12, the 13th tells it was cut), a short one whole.
    assert kept == {"1": " ".join(long.split()[:13]), "2": twelve}
    # Cut after its 12th word, less its last word (*Ngũ Hành*, half of *Ngũ Hành Sơn*): never a word cut in two.
    offered = engine.suggest("ket qua thi tuyen")
    assert "Kết quả thi tuyển công chức năm 2023 của quận …" in offered, offered
    assert twelve in engine.suggest("hoi nghi so ket")
    # Typed past its last whole word: its 12 words as kept. Never less than is typed.
    accented = "Kết quả thi tuyển công chức năm 2023 của quận Ngũ"
    for typed in (accented, "ket qua thi tuyen cong chuc nam 2023 cua quan ngu"):
        assert engine.suggest(typed) == ["Kết quả thi tuyển công chức năm 2023 của quận Ngũ Hành …"]
    assert engine.suggest(" ".join(long.split()[:13])) == []


def test_a_vocabulary_file_written_by_an_earlier_version_is_read_afresh(tmp_path):
    root = tmp_path / "index"
    build_engine(root, [write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    saved = store.current_generation(root) / VOCABULARY_FILE
    _version, generation, vocabulary = pickle.loads(zstandard.ZstdDecompressor().decompress(saved.read_bytes()))
    # What an early version saved: (generation, vocabulary) uncompressed, a vocabulary without the syllable model.
    older = Vocabulary.__new__(Vocabulary)
    older.__dict__.update(keys=vocabulary.keys, displays=vocabulary.displays, best_form={})
    with open(saved, "wb") as handle:
        pickle.dump((generation, older), handle)
    assert restore_diacritics("nhieu nam", SearchEngine(root).vocabulary()) == "nhiều năm"


# Queries typed without diacritics, and what a Vietnamese reader restores, learnt from the first 4,000 VNTC articles:
# the words of administration, names of places and people, and abbreviations that keep the letters they have (HĐND's
# đ among them), next to a syllable's two neighbours on each side deciding (quảng ninh *đóng cửa*, not *đồng của*).
RESTORED = [
    ("cai cach hanh chinh", "cải cách hành chính"),
    (
        "ket qua thi tuyen cong chuc nam 2023 cua quan ngu hanh son",
        "kết quả thi tuyển công chức năm 2023 của quận ngũ hành sơn",
    ),
    ("ubnd thanh pho ha noi", "ubnd thành phố hà nội"),
    ("hdnd tinh quang nam", "hđnd tỉnh quảng nam"),
    ("so giao duc va dao tao", "sở giáo dục và đào tạo"),
    ("phong chong tham nhung", "phòng chống tham nhũng"),
    ("xay dung nong thon moi", "xây dựng nông thôn mới"),
    ("thi tot nghiep thpt", "thi tốt nghiệp thpt"),
    ("thu tuong nguyen tan dung", "thủ tướng nguyễn tấn dũng"),
    ("benh vien bach mai", "bệnh viện bạch mai"),
    ("dak lak", "đắk lắk"),
    ("da nang", "đà nẵng"),
    ("quang ninh dong cua 15 cua hang", "quảng ninh đóng cửa 15 cửa hàng"),
    ("gia xang dau tang", "giá xăng dầu tăng"),
    ("dich cum ga", "dịch cúm gà"),
    ("mua lu", "mưa lũ"),
    ("xe dau keo", "xe đầu kéo"),
    ("nguoi dan gia lai", "người dân gia lai"),
    ("ha noi chu trong", "hà nội chú trọng"),
]
KEPT_AS_TYPED = ["ubnd", "cchc", "cbccvc", "tp hcm", "usd", "hlv", "kon tum", "bill gates", "world cup"]


def test_real_queries_are_restored_as_a_reader_would_and_abbreviations_stay_as_typed(vntc_engine):
    vocabulary = vntc_engine.vocabulary()
    assert [(typed, restore_diacritics(typed, vocabulary)) for typed, _ in RESTORED] == RESTORED
    assert {typed: restore_diacritics(typed, vocabulary) for typed in KEPT_AS_TYPED} == dict.fromkeys(KEPT_AS_TYPED)


def test_a_query_is_restored_to_end_where_a_phrase_may(vntc_engine):
    # *tôm hùm còn* reads well word by word, but the articles seldom end a clause after *hùm còn* (*còn* starts what
    # follows it); after *hùm con* they do. A query ends there.
    vocabulary = vntc_engine.vocabulary()
    model = vocabulary.syllables
    assert not model.ends_phrase("hùm", "còn") and model.ends_phrase("hùm", "con")
    assert restore_diacritics("tom hum con", vocabulary) == "tôm hùm con"
    assert restore_diacritics("do bao", vocabulary) == "do bão"  # not *do báo*
    # The words before one still being typed end nothing: read so, *còn* is likelier.
    assert model.best(model.candidates(["tom", "hum", "con"])) == ["tôm", "hùm", "còn"]
    assert "tôm hùm còn" in complete(vocabulary, "tom hum con k")[0]
    # A name typed with capitals may stop inside (*Phan Huy Lê*): `Phan Huy` is read so, in lower case *phân hủy*.
    assert restorations("Phan Huy", vocabulary).alternatives != restorations("phan huy", vocabulary).alternatives


def test_a_large_portals_model_keeps_its_commonest_pairs_and_triples_and_still_reads_real_queries(
    vntc_engine, monkeypatch
):
    # Every worker holds the model. A portal of 60,000 articles holds twice the pairs and three times the triples of
    # one of 20,000; its model keeps the commonest within a bound (PAIRS_KEPT, TRIPLES_KEPT), here set to half of what
    # these 4,000 articles hold. The rarest go, each syllable's totals still count them, and what a reader would
    # restore is still restored, but for *quận ngũ hành sơn*: its three syllables are seen together twice here, and
    # the bound leaves out the triples seen twice. Read *quân*, *quận* is still searched, half as likely.
    with store.open_index(vntc_engine.root).searcher() as searcher:
        whole = build_vocabulary(searcher)
        monkeypatch.setattr(vocabulary_module, "PAIRS_KEPT", len(whole.syllables.pairs) // 2)
        monkeypatch.setattr(vocabulary_module, "TRIPLES_KEPT", len(whole.syllables.triples) // 2)
        bounded = build_vocabulary(searcher)
    model, everything = bounded.syllables, whole.syllables
    assert 0.3 * len(everything.pairs) < len(model.pairs) <= len(everything.pairs) // 2
    assert 0.3 * len(everything.triples) < len(model.triples) <= len(everything.triples) // 2
    for keys, counts, all_keys, all_counts in (
        (model.pairs, model.pair_counts, everything.pairs, everything.pair_counts),
        (model.triples, model.triple_counts, everything.triples, everything.triple_counts),
    ):
        left_out = ~np.isin(all_keys, keys)
        assert all_counts[left_out].max() < counts.min()
    assert np.array_equal(model.context_counts, everything.context_counts)
    district = "ket qua thi tuyen cong chuc nam 2023 cua quan ngu hanh son"
    expected = [(typed, restored.replace("quận", "quân")) for typed, restored in RESTORED if typed == district]
    expected += [row for row in RESTORED if row[0] != district]
    assert [(typed, restore_diacritics(typed, bounded)) for typed, _ in expected] == expected
    readings = dict(restorations(district, bounded).likely(ALTERNATIVE_SHARE)[9])
    assert readings["quân"] == 1.0 and readings["quận"] > 0.4
    assert {typed: restore_diacritics(typed, bounded) for typed in KEPT_AS_TYPED} == dict.fromkeys(KEPT_AS_TYPED)


def test_the_model_knows_where_the_index_s_text_ends_a_phrase(vntc_engine, tmp_path):
    # A completion that adds a word ends where a phrase may: news text ends a clause after *hà nội* and *phù hợp*,
    # seldom after *hà nội và*, *hà nội đã* or *hợp với*, which start what follows them.
    model = vntc_engine.vocabulary().syllables
    for before, last in (("hà", "nội"), ("phù", "hợp"), ("nhân", "dân"), ("việt", "nam")):
        assert model.pair_count(before, last) >= 50 and model.ends_phrase(before, last), (before, last)
    for before, last in (("nội", "và"), ("nội", "đã"), ("hợp", "với"), ("dục", "và"), ("năng", "của")):
        assert model.pair_count(before, last) >= 5 and not model.ends_phrase(before, last), (before, last)
    assert model.ends_phrase("và", "xyzzy")  # a syllable the index lacks may end one
    # A clause ends at a comma, a full stop, a closing quote or bracket, with or without a space before it, and at
    # the end of a text; a full stop inside a number ends none.
    text = "Đội bóng của làng ({} , “{}”) thắng 3.5 điểm rồi về {}. "
    model = _vocabulary(tmp_path / "ends", [text.format("alpha", "beta", "gamma")] * 6).syllables
    for before, last in (("làng", "alpha"), ("alpha", "beta"), ("về", "gamma"), ("5", "điểm")):
        assert model.pair_count(before, last) == 12
    assert [model.ends_phrase(*pair) for pair in (("làng", "alpha"), ("alpha", "beta"), ("về", "gamma"))] == [True] * 3
    assert not model.ends_phrase("thắng", "3") and not model.ends_phrase("bóng", "của")


def test_a_worker_holds_little_more_than_one_python_object_per_completion_word_and_syllable(vntc_engine):
    # Every serving worker loads the vocabulary: on all of VNTC, per-entry tuples and counts, numbered stand-ins, a
    # second dict by number and a string object per completion took 43 MB more of each worker's memory (here 3.3
    # objects per item with all of them, 2.0 with the strings alone, 1.2 now).
    saved = pickle.dumps(vntc_engine.vocabulary())
    gc.collect()
    before = sys.getallocatedblocks()
    vocabulary = pickle.loads(saved)
    gc.collect()
    held = sys.getallocatedblocks() - before
    items = len(vocabulary.keys) + len(vocabulary.syllables.forms) + len(vocabulary.known)
    assert items > 30_000 and held < 1.6 * items, (held, items)


def _assert_same_vocabulary(read: Vocabulary, vocabulary: Vocabulary) -> None:
    """Every part of two vocabularies equal: arrays of the same type and numbers, the same strings."""
    for whole, other in ((read, vocabulary), (read.syllables, vocabulary.syllables)):
        for field in dataclasses.fields(whole):
            value, expected = getattr(whole, field.name), getattr(other, field.name)
            if isinstance(expected, np.ndarray):
                assert value.dtype == expected.dtype and np.array_equal(value, expected), field.name
            elif field.name != "syllables":
                assert value == expected, field.name
    for texts, expected in ((read.keys, vocabulary.keys), (read.displays, vocabulary.displays)):
        assert texts._ends.typecode == expected._ends.typecode and list(texts) == list(expected)


def test_the_saved_vocabulary_takes_under_a_quarter_of_its_pickle_on_disk_and_reads_back_whole(vntc_engine):
    # Beside every generation of the index: on all of VNTC 60 MB as a bare pickle, a tenth of the index. Its pairs
    # and triples of syllables are sorted integers, stored as differences in byte planes: the bare pickle compressed
    # with zlib takes 0.28 of it here. The hashed runs of four and five syllables, as random as hashes are, shrink
    # least: to under half.
    generation = store.current_generation(vntc_engine.root)
    on_disk = (generation / VOCABULARY_FILE).stat().st_size
    index = store.open_index(vntc_engine.root)
    with index.searcher() as searcher:
        vocabulary = build_vocabulary(searcher)
    assert on_disk < 0.24 * len(pickle.dumps(vocabulary, protocol=pickle.HIGHEST_PROTOCOL))
    read = saved_vocabulary(generation, index.latest_generation())
    assert read is not None
    _assert_same_vocabulary(read, vocabulary)
    assert read.syllables.restore("nhieu nam".split()) == ["nhiều", "năm"]


def test_a_vocabulary_file_compressed_as_before_is_read_as_it_is(vntc_engine, tmp_path):
    # An index an earlier version wrote keeps its zlib-compressed file of plain arrays until its next change.
    vocabulary = vntc_engine.vocabulary()
    toc = store.open_index(vntc_engine.root).latest_generation()
    saved = pickle.dumps((VOCABULARY_VERSION, toc, vocabulary), protocol=pickle.HIGHEST_PROTOCOL)
    (tmp_path / VOCABULARY_FILE).write_bytes(zlib.compress(saved, 1))
    read = saved_vocabulary(tmp_path, toc)
    assert read is not None
    _assert_same_vocabulary(read, vocabulary)


def test_a_year_the_index_has_never_held_reads_like_the_years_it_holds(vntc_engine):
    # VNTC is news of 2005-2007: no article holds 2023 or 2027, but many hold "năm 2006".
    vocabulary = vntc_engine.vocabulary()
    assert vocabulary.syllables.number("2027") is None and vocabulary.syllables.number("2023") is None
    assert restore_diacritics("nam 2027 tang truong", vocabulary) == "năm 2027 tăng trưởng"
    assert restore_diacritics("cong chuc nam 2023", vocabulary) == "công chức năm 2023"
    assert restore_diacritics("so 12 nam 2027", vocabulary) == "số 12 năm 2027"


def test_a_document_s_kind_typed_before_its_number_reads_as_numbers_of_that_shape_follow_it(vntc_engine):
    # A number's own neighbours are few: these 4,000 articles write *từ 15* 51 times and *tư 15* never, and read by
    # them `thong tu 15` was *thông từ 15*. A number of two digits follows *thông tư* 10 times, *thông từ* twice.
    vocabulary = vntc_engine.vocabulary()
    syllables = vocabulary.syllables
    assert syllables.pair_count("từ", "15") > 10 and syllables.pair_count("tư", "15") == 0
    assert restore_diacritics("thong tu 15", vocabulary) == "thông tư 15"
    assert restore_diacritics("thong tu 12 cua bo tai chinh", vocabulary) == "thông tư 12 của bộ tài chính"
    assert restore_diacritics("huong dan thong tu 20", vocabulary) == "hướng dẫn thông tư 20"
    # A number after *từ* still reads so, and so do the words around numbers of other shapes.
    assert restore_diacritics("tu 15 den 20", vocabulary) == "từ 15 đến 20"
    assert restore_diacritics("ngay 20 thang 10 nam 2006", vocabulary) == "ngày 20 tháng 10 năm 2006"


def test_a_number_typed_with_a_leading_zero_reads_its_neighbours_as_numbers_so_written_follow_them(vntc_engine):
    # An index holds `05` as `5`, yet a number so written is a document's (*Chỉ thị 02/2005*) or a date's: these
    # 4,000 articles write *từ 1* 148 times, *từ 01* once, *thị 02* 4 times. Read as `3`, `thong tu 03` was *thông
    # từ 3*; read as written, *thông tư 3*, the number as the index holds it.
    vocabulary = vntc_engine.vocabulary()
    syllables = vocabulary.syllables
    assert syllables.pair_count("từ", "1") > 100 and syllables.triple_count("chỉ", "thị", "02") > 0
    assert restore_diacritics("thong tu 03", vocabulary) == "thông tư 3"
    assert restore_diacritics("chi thi 02 cua thanh pho", vocabulary) == "chỉ thị 2 của thành phố"
    assert restore_diacritics("nghi quyet 04", vocabulary) == "nghị quyết 4"
    restored = restorations("thong tu 03", vocabulary)
    assert restored.spelling == ("thông", "tư", "3") and restored.alternatives[2] == (("3", 1.0),)
    # Typed without the zero, a number reads as the index's text has it.
    assert restore_diacritics("tu 1 den 5", vocabulary) == "từ 1 đến 5"


def test_a_document_s_number_typed_without_its_zero_reads_as_the_numbers_padded_so_after_its_kind(vntc_engine):
    # A visitor types a document's number as a number (`thong tu 5`), where the articles write it padded (*Thông tư
    # 05*): these 4,000 articles write *thông tư* before a padded number 7 times and never before a number of one
    # digit, which follows *từ* (a count's) hundreds of times. Read by the numbers written as typed, `thong tu 5` was
    # *thông từ 5*; `chi thi 2` was *chỉ thi 2*.
    vocabulary = vntc_engine.vocabulary()
    syllables = vocabulary.syllables
    padded = SHAPE_MARK + number_shape("05")
    assert syllables.triple_count("thông", "tư", padded) > 5 and syllables.triple_count("thông", "tư", "5") == 0
    assert syllables.pair_count("từ", "5") > 50 and syllables.pair_count("từ", "05") == 0
    for typed, read in (
        ("thong tu 1", "thông tư 1"),
        ("thong tu 5", "thông tư 5"),
        ("thong tu 7", "thông tư 7"),
        ("thong tu 5 cua bo tai chinh", "thông tư 5 của bộ tài chính"),
        ("chi thi 2", "chỉ thị 2"),
        ("theo chi thi 2", "theo chỉ thị 2"),
    ):
        assert restore_diacritics(typed, vocabulary) == read
    # A count or an order is written as typed, and reads as before.
    for typed, read in (
        ("tu 1 den 5", "từ 1 đến 5"),
        ("tu 5 gio", "từ 5 giờ"),
        ("lan thu 2", "lần thứ 2"),
        ("hon 5 nam", "hơn 5 năm"),
        ("co 2 nguoi", "có 2 người"),
        ("quan 5", "quận 5"),
    ):
        assert restore_diacritics(typed, vocabulary) == read
    found = vntc_engine.search(SearchRequest(q="thong tu 5"))
    assert found["suggestion"] == "thông tư 5"


def test_a_number_being_typed_after_a_document_s_kind_is_completed_after_the_kind_the_restorer_reads(vntc_engine):
    # Ranked by how often the index has each reading of `tu` with a number starting so, `thong tu 1` was offered
    # *thông từ 1*, *thông từ 10*, … (*truyền thông từ 1/7*), and `thong tu 5` *thông từ 5*: a kind of document
    # nobody searches, where the search reads *thông tư*.
    vocabulary = vntc_engine.vocabulary()
    for typed in ("thong tu 1", "thong tu 5", "thong tu 7"):
        assert not [offer for offer in complete(vocabulary, typed) if not offer.startswith("thông tư ")]
    assert complete(vocabulary, "thong tu 1")[0] == "thông tư 1"
    # A lone 0 starts a padded number, and the words before it are read every way, as before.
    assert complete(vocabulary, "thong tu 0")[0] == "thông tư 03"
    assert complete(vocabulary, "tu 1")[0] == "từ 1" and complete(vocabulary, "quan 1")[0] == "quận 1"


def test_a_number_typed_with_a_leading_zero_is_completed_as_so_written(vntc_engine):
    # Read as `2`, `chỉ thị 02` was offered *chỉ thị 27*, `thong tu 03` *thông từ 3* and *thông từ 300*.
    vocabulary = vntc_engine.vocabulary()
    assert complete(vocabulary, "chỉ thị 02") == ["chỉ thị 02"]
    assert complete(vocabulary, "thong tu 03") == ["thông tư 03"]
    assert complete(vocabulary, "quyet dinh 05") == ["quyết định 05"]


def test_a_digit_typed_after_a_document_s_kind_is_offered_its_number_as_the_articles_pad_it(vntc_engine):
    # The articles write *Chỉ thị 02*; a visitor types `chi thi 2`, which was offered *chỉ thị 27* alone. The padded
    # writing is offered too, and finds the articles the search finds for the digit typed.
    vocabulary = vntc_engine.vocabulary()
    for typed in ("chi thi 2", "chỉ thị 2"):
        assert "chỉ thị 02" in complete(vocabulary, typed), typed
    found = {hit["id"] for hit in vntc_engine.search(SearchRequest(q="chỉ thị 02"))["hits"]}
    assert found and found == {hit["id"] for hit in vntc_engine.search(SearchRequest(q="chi thi 2"))["hits"]}
    # Typed whole (a space after it), or after a single word, the digit is as typed.
    assert not [offer for offer in complete(vocabulary, "chi thi 2 ") if " 02" in offer]
    assert complete(vocabulary, "quan 1")[0] == "quận 1"


def test_a_date_or_a_document_s_number_is_completed_with_the_separators_typed(vntc_engine):
    # `ngày 30/4` was offered *ngày 30 4*, which the search reads as a 30 and a 4, not the date typed.
    vocabulary = vntc_engine.vocabulary()
    assert complete(vocabulary, "ngày 30/4")[:2] == ["ngày 30/4", "ngày 30/4 1975"]
    assert "ngày 12/3" in complete(vocabulary, "ngày 12/")
    assert complete(vocabulary, "chi thi 09/2") == ["chỉ thị 09/2005"]


def test_a_name_of_letters_and_a_number_is_completed_with_the_hyphen_or_dot_typed(vntc_engine):
    # `u-2` was offered *u 21*: a *u* beside a 21, where *u-21* is the name however the articles write it.
    vocabulary = vntc_engine.vocabulary()
    assert complete(vocabulary, "u-2") == ["u-21"] and complete(vocabulary, "u.2") == ["u.21"]
    assert complete(vocabulary, "doi tuyen u-2") == ["đội tuyển u-21"]
    assert vntc_engine.search(SearchRequest(q="u-23"))["total"] > vntc_engine.search(SearchRequest(q="u 23"))["total"]


def test_completions_offer_the_numbers_an_index_holds_never_their_shapes(vntc_engine):
    # The model counts each number's shape beside the number; what follows a phrase is a syllable the articles hold.
    vocabulary = vntc_engine.vocabulary()
    offered = complete(vocabulary, "năm 2") + complete(vocabulary, "thông tư ") + complete(vocabulary, "ngày 2")
    assert "năm 2006" in offered and any(completion.startswith("ngày 2") for completion in offered)
    assert not any(SHAPE_MARK in completion for completion in offered)
    assert all(SHAPE_MARK not in word for word, _ in vocabulary.syllables.followers("năm"))


def test_a_spelling_far_down_the_forms_of_its_unaccented_syllable_is_restored_where_it_belongs(vntc_engine):
    # These 4,000 articles write "do" in more than a dozen ways: *đỡ* (giúp đỡ), *đo* (đo lường) and *dò* (thăm dò)
    # are among the rarer ones, as is *dõi* (theo dõi) among the ways of writing "doi". Each is still weighed.
    vocabulary = vntc_engine.vocabulary()
    forms = vocabulary.syllables.forms
    assert min(forms["do"].index(form) for form in ("đỡ", "đo", "dò")) >= 8 and forms["doi"].index("dõi") >= 8
    assert restore_diacritics("theo doi tinh hinh", vocabulary) == "theo dõi tình hình"
    assert restore_diacritics("giup do nguoi ngheo", vocabulary) == "giúp đỡ người nghèo"
    assert restore_diacritics("do luong chat luong", vocabulary) == "đo lường chất lượng"
    assert restore_diacritics("cuoc tham do y kien", vocabulary) == "cuộc thăm dò ý kiến"


def test_words_typed_with_their_diacritics_are_kept_and_help_choose_their_neighbours(vntc_engine):
    vocabulary = vntc_engine.vocabulary()
    assert restore_diacritics("cai cach hanh chính", vocabulary) == "cải cách hành chính"
    assert restore_diacritics("tham nhũng o bo giao thong", vocabulary) == "tham nhũng ở bộ giao thông"
    # After "cơn" (a storm's word), "bao so 5" is "bão số 5"; typed "báo" (a newspaper's issue 5), it stays so. The
    # "đóng" of "đóng cửa" (close the shop) stays too, where "dong cua cua hang" alone reads "động của cửa hàng".
    assert restore_diacritics("cơn bao so 5", vocabulary) == "cơn bão số 5"
    assert restore_diacritics("báo so 5", vocabulary) == "báo số 5"
    assert restore_diacritics("đóng cua cua hang", vocabulary) == "đóng cửa cửa hàng"
    assert restore_diacritics("Bộ Y tế", vocabulary) is None


# Headlines of the first 4,000 VNTC articles typed without diacritics. Matched without diacritics, their common
# syllables (the = thế, thể, thé; lai = lại, lái, lai) match thousands of articles and bury the headline's own; searched
# as their likely readings, each finds its article first, as typed with diacritics. "20 nam dung nuoc ban" is
# restored "20 năm dựng nước bẩn" (the headline says "dùng"): the syllable also matches as typed, so the article
# stays first.
HEADLINES = [
    ("du thuyen the gioi tro lai vn", "train/XH/XH_TT_(2311)"),
    ("se thuong xuat khau tai tphcm", "train/XH/XH_NLD_(4093)"),
    ("lanh dao tphcm di tham, chuc tet", "train/XH/XH_NLD_(4767)"),
    ("20 nam dung nuoc ban", "train/XH/XH_TT_(3145)"),
]


def test_a_headline_typed_without_diacritics_is_searched_as_its_likely_readings(vntc_engine):
    assert [vntc_engine.ranked_ids(SearchRequest(q=typed), 1) for typed, _ in HEADLINES] == [
        [expected] for _, expected in HEADLINES
    ]
    plan = vntc_engine.plan(SearchRequest(q="20 nam dung nuoc ban"))
    assert plan.restored == ("20 năm dựng nước bẩn",)
    assert "Term('body', 'dùng')" not in repr(plan.query)  # too unlikely a reading to search exact ...
    assert "Term('body_f', 'dung')" in repr(plan.query)  # ... but the syllable as typed still matches


def test_a_short_question_typed_without_diacritics_leaves_its_stop_words_optional(vntc_engine):
    # "la gi" reads "là gì", two stop words: required as typed, they left two articles holding a rare "gi".
    for typed, accented in [("sars la gi", "sars là gì"), ("benh sars la gi?", "bệnh sars là gì?")]:
        assert "'la'" not in repr(vntc_engine.plan(SearchRequest(q=typed)).required)
        assert vntc_engine.ranked_ids(SearchRequest(q=typed), 3) == vntc_engine.ranked_ids(SearchRequest(q=accented), 3)


def test_a_short_query_typed_without_diacritics_ranks_its_restored_spelling_first_and_matches_the_rest(vntc_engine):
    # "ban tay" reads "bàn tay" (a hand) all but certainly. Scored as typed, without diacritics, articles on "Tây"
    # (Tây Nguyên, khách Tây) came among the first ten; scored as its reading, every one of the first ten holds
    # "bàn tay", as when typed with diacritics, and the articles holding other accentings still match, after them.
    found = vntc_engine.search(SearchRequest(q="ban tay", per_page=10))
    assert found["total"] > vntc_engine.search(SearchRequest(q="bàn tay"))["total"] > 10
    for hit in found["hits"]:
        article = vntc_engine.article(hit["id"])
        text = normalize_text(" ".join(article.get(name) or "" for name in ("title", "summary", "body"))).lower()
        assert {"bàn", "tay"} <= {syllable.text for syllable in split_syllables(text)}, hit["title"]


def _assert_same(found: Vocabulary, expected: Vocabulary) -> None:
    """Two vocabularies hold the same completions, words and syllable model, field by field."""
    assert (found.keys, found.displays, found.known) == (expected.keys, expected.displays, expected.known)
    assert np.array_equal(found.frequencies, expected.frequencies)
    for name, value in vars(expected.syllables).items():
        other = getattr(found.syllables, name)
        assert np.array_equal(other, value) if isinstance(value, np.ndarray) else other == value, name


def test_a_fresh_build_saves_the_vocabulary_of_its_merged_index_read_beside_the_merge(tmp_path, monkeypatch):
    # The vocabulary is read from the workers' segments while the parent merges them: it must be the one the merged
    # index gives (titles in the same order, frequencies summed), and saved for the table of contents committed.
    sample = Path(indexer.__file__).parent / "data" / "sample" / "vntc_sample.jsonl"
    monkeypatch.setattr(indexer, "PARALLEL_BATCH", 8)  # both workers get articles: two segments, merged
    with monkeypatch.context() as patched:
        patched.setattr(indexer, "save_vocabulary", None)  # the parent never reads it itself
        indexer.build(tmp_path, [sample], jobs=2)
    index = store.open_index(tmp_path)
    saved = saved_vocabulary(store.current_generation(tmp_path), index.latest_generation())
    assert saved is not None
    with index.searcher() as searcher:
        _assert_same(saved, build_vocabulary(searcher))
    assert restore_diacritics("tuyen sinh lop 10", saved) == "tuyển sinh lớp 10"
    # A rebuild that changes articles keeps the segments it can and reads the vocabulary from the index as committed.
    changed = tmp_path / "changed.jsonl"
    lines = sample.read_text(encoding="utf-8").splitlines()
    changed.write_text("\n".join(lines[:200]) + "\n", encoding="utf-8")
    indexer.build(tmp_path, [changed], jobs=2)
    index = store.open_index(tmp_path)
    saved = saved_vocabulary(store.current_generation(tmp_path), index.latest_generation())
    with index.searcher() as searcher:
        assert searcher.doc_count() == 200
        _assert_same(saved, build_vocabulary(searcher))


def test_a_build_whose_vocabulary_process_fails_reads_the_vocabulary_from_its_index(tmp_path, monkeypatch, caplog):
    def failing(searcher):
        raise MemoryError("the vocabulary process ran out of memory")

    monkeypatch.setattr(indexer, "build_vocabulary", failing)  # in the process beside the merge only
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    assert "not read beside the merge" in caplog.text
    index = store.open_index(tmp_path / "index")
    assert saved_vocabulary(store.current_generation(tmp_path / "index"), index.latest_generation()) is not None
    assert engine.search(SearchRequest(q="nhieu nam", as_typed=True))["suggestion"] == "nhiều năm"


def test_completions_joined_as_one_str_by_an_earlier_version_are_read_alike():
    """A vocabulary file written when the completions were joined as one str (not UTF-8 bytes) still serves them."""
    texts = Texts(["bà", "cũ …", "đường"])
    earlier = Texts.__new__(Texts)
    earlier._joined, earlier._ends = "".join(texts), array("q", itertools.accumulate(len(text) for text in texts))
    read = pickle.loads(pickle.dumps(earlier))
    assert read == texts and read[1] == "cũ …" and read[-1] == "đường" and bisect.bisect_left(read, "c") == 1
