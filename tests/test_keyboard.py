"""Queries typed in Telex or VNI without a Vietnamese keyboard: decoded, searched as Vietnamese, said so; ordinary
words, names, abbreviations and document numbers left as typed (judged by a real index's own vocabulary)."""

from __future__ import annotations

import pytest

from search_service.keyboard import decode_telex, decode_vni, repair
from search_service.query import SearchRequest


@pytest.mark.parametrize(
    ("typed", "syllable"),
    [
        ("cari", "cải"),
        ("cachs", "cách"),
        ("quyeets", "quyết"),
        ("ddinhj", "định"),
        ("hoaf", "hòa"),  # = hoà, in the traditional tone placement
        ("nguowif", "người"),
        ("dduowngf", "đường"),
        ("tieesng", "tiếng"),  # the tone key typed before the final consonants
        ("thuyr", "thủy"),
        ("awn", "ăn"),
        ("giaos", "giáo"),
        # w marks the vowel it follows: uw before an a is ư, not ă on the a (`dduwa` is not *đuă*).
        ("dduwa", "đưa"),
        ("vuwaf", "vừa"),
        ("chuwax", "chữa"),
        ("khoawn", "khoăn"),
        ("quow", "quơ"),  # the u of qu takes no horn
        # a w after ua is the u's: uă is written only after q, which keeps it (`muaw` is not *muă*).
        ("muaw", "mưa"),
        ("thuaw", "thưa"),
        ("vuawf", "vừa"),
        ("chuawx", "chữa"),
        ("quawngr", "quẳng"),
        # w before the vowels is ư itself, as Telex input methods type it, not dropped (`hwowngs` is not *hớng*).
        ("nhw", "như"),
        ("ddwowcj", "được"),
        ("hwowngs", "hướng"),
        ("mwa", "mưa"),
        ("nhwngx", "những"),
        ("ubnd", None),
        ("thanh", None),  # nothing typed as Telex
        ("facebook", None),
    ],
)
def test_telex_words(typed, syllable):
    assert decode_telex(typed) == syllable


@pytest.mark.parametrize(
    ("typed", "syllable"),
    [
        ("cai3", "cải"),
        ("cach1", "cách"),
        ("vie65t", "việt"),
        ("d9u7o7ng2", "đường"),
        ("hoa2", "hòa"),
        ("tha8ng1", "thắng"),
        ("covid19", None),
        ("g7", None),
        ("2023", None),
        # Codes: a letter and a number (a train, a road), capitals (a formula), a digit that marks nothing.
        ("E1", None),
        ("A5", None),
        ("CO2", None),
        ("A92", None),
        ("Ha2", "hà"),
    ],
)
def test_vni_words(typed, syllable):
    assert decode_vni(typed) == syllable


@pytest.mark.parametrize(
    ("typed", "repaired"),
    [
        ("cari cachs hanhf chinhs", ("cải cách hành chính", "telex")),
        ("quyeets ddinhj", ("quyết định", "telex")),
        ("hoaf binhf", ("hòa bình", "telex")),
        ("kinh tees vieetj nam", ("kinh tế việt nam", "telex")),
        ("cai3 cach1 hanh2 chinh1", ("cải cách hành chính", "vni")),
        ("UBND quaanj 3", ("UBND quận 3", "telex")),  # the abbreviation and the number stay
        ("UBND 29-CT/TU", None),
        ("thu tuong chinh phu", None),  # plain unaccented words: restored elsewhere, not decoded
        ("Obama", None),
        ("samsung galaxy", None),
        ("google facebook iphone", None),
        ("covid 19", None),
        ("Hà Nội", None),
        # Inside an exclusion's hyphen or quotes, and before a question mark: the letters within decoded.
        ("cari cachs hanhf chinhs?", ("cải cách hành chính?", "telex")),
        ('tham nhungx -"hoaf binhf"', ('tham nhũng -"hòa bình"', "telex")),
        ("quyeets ddinhj NOT xuwr phatj", ("quyết định NOT xử phạt", "telex")),
        # In the case typed: a name's capitals kept.
        ("tinhr Hoaf Binhf", ("tỉnh Hòa Bình", "telex")),
        ("HOOJI NGHIJ", ("HỘI NGHỊ", "telex")),
        ("nhw vaayj", ("như vậy", "telex")),
        ("muwa baox", ("mưa bão", "telex")),
        ("muaw baox", ("mưa bão", "telex")),  # the horn typed after the a
        # An abbreviation with a Đ, where the index writes it so (ĐH, HĐND): it stayed as typed, `ddh`.
        ("truwowngf ddh bans coong", ("trường đh bán công", "telex")),
        ("HDDND tinhr", ("HĐND tỉnh", "telex")),
        ("ddwowcj mufa", ("được mùa", "telex")),
        # Beside words typed with their marks: a word in lower case, not a name.
        ("thủ tuowngs chinhs phủ", ("thủ tướng chính phủ", "telex")),
        ("cấm thăm đền Taj Mahal", None),
        ("trai trẻ ông Aso", None),
        ("Tàu Sea Bee bị", None),
        ("w", None),  # a letter alone, as typed
        # Another language's word the index holds, which Telex would read as a common syllable (*sẽ*, *tên*).
        ("phim sex", None),
        ("cơn sốt phim sex việt nam", None),
        ("tau E1", None),
        ("luong CO2 cao nhat", None),
        ("windows xp", None),
    ],
)
def test_a_query_is_repaired_only_when_its_decoded_words_are_the_indexs_own(vntc_engine, typed, repaired):
    known = vntc_engine.vocabulary().known
    assert repair(typed, lambda syllable: known.get(syllable, 0)) == repaired


def test_a_telex_query_finds_what_its_vietnamese_finds_and_says_so(vntc_engine):
    typed = vntc_engine.search(SearchRequest(q="quyeets ddinhj xuwr phatj"))
    vietnamese = vntc_engine.search(SearchRequest(q="quyết định xử phạt"))
    assert typed["total"] == vietnamese["total"] > 0
    assert [h["id"] for h in typed["hits"]] == [h["id"] for h in vietnamese["hits"]]
    assert typed["query"]["keyboard"] == "telex" and typed["query"]["typed"] == "quyeets ddinhj xuwr phatj"
    assert typed["query"]["q"] == "quyết định xử phạt"
    as_typed = vntc_engine.search(SearchRequest(q="quyeets ddinhj xuwr phatj", as_typed=True))
    assert as_typed["query"]["keyboard"] is None and as_typed["total"] < typed["total"]
    # An exclusion among the words: the word it stands before excluded whole, as typed with a Vietnamese keyboard.
    excluding = vntc_engine.search(SearchRequest(q="tai nanj -xe mays giao thoong"))
    assert excluding["query"]["q"] == 'tai nạn giao thông -"xe máy"' and excluding["query"]["keyboard"] == "telex"
    assert excluding["total"] == vntc_engine.search(SearchRequest(q="tai nạn -xe máy giao thông"))["total"] > 0
    # A keyboard turned off part-way: the words typed with their marks stay, the others are read.
    mixed = vntc_engine.search(SearchRequest(q="tham nhũng hà nooij"))
    assert mixed["query"]["q"] == "tham nhũng hà nội" and mixed["query"]["keyboard"] == "telex"
    assert mixed["total"] == vntc_engine.search(SearchRequest(q="tham nhũng hà nội"))["total"] > 0


def test_plain_words_beside_words_typed_in_telex_are_read_as_beside_words_typed_with_their_marks(vntc_engine):
    # A keyboard off for some words, Telex keys for others: searched as the same words typed with a Vietnamese
    # keyboard, the plain ones read beside the others (`cải cách hanh chinh` is *cải cách hành chính*).
    for keys, marked_as, meant in [
        ("cari cachs hanh chinh", "cải cách hanh chinh", "cải cách hành chính"),
        ("quyeets ddinhj xu phat", "quyết định xu phat", "quyết định xử phạt"),
    ]:
        typed = vntc_engine.search(SearchRequest(q=keys))
        marked = vntc_engine.search(SearchRequest(q=marked_as))
        assert typed["query"]["q"] == marked["query"]["q"] == meant
        assert typed["query"]["keyboard"] == "telex" and typed["query"]["typed"] == keys
        assert typed["total"] == marked["total"] > 0
        assert [h["id"] for h in typed["hits"]] == [h["id"] for h in marked["hits"]]
        assert typed["suggestion"] is None  # nothing left to offer


@pytest.mark.parametrize("field", ["all", "phrase", "any", "none"])
def test_the_advanced_forms_words_typed_in_telex_are_searched_in_vietnamese(vntc_engine, field):
    # The box's Telex was decoded; the form's fields were searched as the letters typed.
    def search(text: str) -> dict:
        return vntc_engine.search(SearchRequest(q="" if field != "none" else "quyết định", **{field: text}))

    typed, vietnamese = search("xuwr phatj"), search("xử phạt")
    assert typed["query"][field] == "xử phạt" and typed["total"] == vietnamese["total"] > 0
    assert [h["id"] for h in typed["hits"]] == [h["id"] for h in vietnamese["hits"]]


def test_two_words_the_index_holds_as_one_word_written_apart_are_not_read_as_telex():
    counts = {"mã": 5000, "bông": 3000, "ke": 400, "wi": 300, "max": 5, "boong": 10, "mua": 9000}

    def known(syllable: str) -> int:
        return counts.get(syllable, 0)

    assert repair("wi max", known) == ("wi mã", "telex")
    assert repair("wi max", known, pairs={("wi", "max"), ("boong", "ke")}) is None
    assert repair("mua boong ke", known, pairs={("boong", "ke")}) is None
    # A word beside the pair is still read.
    assert repair("boong ke max", known, pairs={("boong", "ke")}) == ("boong ke mã", "telex")
