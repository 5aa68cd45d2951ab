"""The plans built from real Vietnamese queries: what is required, what is optional, what is boosted, what is folded.

A plan is built before any index is opened (``query.build_plan``); these tests read it as ``search --show-query``
prints it, so a change to a ranking rule shows here as a change to the plan, not only to a ranking.
"""

from __future__ import annotations

import re

import pytest
from whoosh import query as Q

from search_service import ranking
from search_service.analysis import CLAUSE_TERM, normalize_text
from search_service.query import SearchRequest, build_plan, load_synonyms, parse_basic
from search_service.whoosh_ext.queries import AcrossFields, PhraseAcross

SYNONYMS = load_synonyms()
EXACT = ("title", "summary", "body")
FOLDED = ("title_f", "summary_f", "body_f")


def plan_of(q: str, **fields):
    return build_plan(SearchRequest(q=q, **fields), SYNONYMS)


def words(query: Q.Query) -> list[tuple[tuple[str, ...], str]]:
    """Each word a query looks for in the text fields (an ``AcrossFields`` over several, or a ``Term`` in one), as
    (its fields, its text), in order, once each."""
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(part: Q.Query) -> None:
        if isinstance(part, AcrossFields):
            found.append((tuple(term.fieldname for term in part.subqueries), part.subqueries[0].text))
        elif isinstance(part, Q.Term):
            found.append(((part.fieldname,), part.text))
        else:
            for child in part.children():
                walk(child)

    walk(query)
    return list(dict.fromkeys(found))


def test_a_short_run_requires_every_syllable_as_typed_and_boosts_the_run_and_its_words():
    plan = plan_of("bóng đá trẻ")
    assert isinstance(plan.required, Q.And)
    assert words(plan.required) == [(EXACT, "bóng"), (EXACT, "đá"), (EXACT, "trẻ")]
    across = plan.required.subqueries[0]
    assert [term.boost for term in across.subqueries] == [ranking.TERM_WEIGHTS[name] for name in EXACT]
    # underthesea's word "bóng đá", found as the same word, adds to the syllables' score; it decides nothing
    assert [(words(query), boost) for query, boost in plan.optional] == [([(EXACT, "bóng_đá")], ranking.WORD_BOOST)]
    [phrase] = plan.proximity
    assert phrase.terms == ("bóng", "đá", "trẻ") and phrase.boost == ranking.PHRASE_BOOST
    assert [name for name, _ in phrase.fields] == list(EXACT)
    assert plan.rerank_depth == ranking.RERANK_DEPTH and plan.coverage == ()
    # The second try, when no article holds every word: any of them, the same words, each held whole (*bóng đá*
    # side by side), scored as its syllables.
    relaxed = plan.relaxed.required
    assert isinstance(relaxed, Q.And) and plan.relaxed.understood["relaxed"]
    assert isinstance(relaxed.subqueries[0], Q.Or) and words(relaxed.subqueries[0]) == words(plan.required)
    whole = relaxed.subqueries[1]
    assert [type(part) for part in whole.subqueries] == [PhraseAcross, AcrossFields]
    assert whole.boost == ranking.WHOLE_WORD_WEIGHT
    assert plan.relaxed.relaxed is None


def test_the_forms_of_the_synonym_list_a_run_spells_without_diacritics_are_found_where_it_spells_them():
    # The restorer reads these places as the list writes them (``vocabulary.restorations``).
    assert SYNONYMS.spellings("thu ky lien hop quoc".split()) == [(2, ("liên", "hợp", "quốc"))]
    assert SYNONYMS.spellings("hop ban chi huy quan su".split()) == [(1, ("ban", "chỉ", "huy", "quân", "sự"))]
    # Every writing of its letters the list has (one group's), a syllable typed with its marks only as it is written.
    assert set(SYNONYMS.spellings(["dak", "nong"])) == {(0, ("đắk", "nông")), (0, ("đăk", "nông"))}
    assert SYNONYMS.spellings(["đắk", "nong"]) == [(0, ("đắk", "nông"))]
    assert SYNONYMS.spellings(["lien", "họp", "quoc"]) == []
    # Not an abbreviation, nor a form of one syllable, nor one holding a number: `quan 5` may be the *quân* of *bình
    # quân 5 năm* as well as *quận 5*.
    assert SYNONYMS.spellings(["ubnd", "tinh"]) == SYNONYMS.spellings(["binh", "quan", "5", "nam"]) == []


def test_the_last_try_of_a_run_that_is_a_synonym_groups_form_of_several_words_looks_for_those_words():
    # No article holds the group in any form (`an toàn giao thông` or *ATGT*): its last try is the articles holding
    # some of its words, not the group again. A word of four syllables that is two (*bảo hiểm xã hội*) counts as
    # those two; a shorter group in the run stays one unit (*tòa án nhân dân*, or *TAND*); a name or a word
    # with a syllable of its own stays whole, and so does a group beside other words, a unit of the run.
    for typed, relaxed in (
        ("an toàn giao thông", ["an toàn", "giao thông"]),
        ("bảo hiểm xã hội", ["bảo hiểm", "xã hội"]),
        ("ủy ban nhân dân", ["ủy ban", "nhân dân"]),
        ("tòa án nhân dân tối cao", ["tòa án nhân dân", "tối cao"]),
        ("ủy ban mặt trận tổ quốc", ["ủy ban", "mặt trận tổ quốc"]),
        ("cán bộ công chức viên chức", ["cán bộ công chức", "viên chức"]),
        ("căn cước công dân", ["căn cước", "công dân"]),  # *căn cước* a word, which underthesea leaves apart
        ("Đắk Nông", ["Đắk Nông"]),
        ("nông thôn mới", ["nông thôn mới"]),
        ("bảo hiểm xã hội tỉnh", ["bảo hiểm xã hội", "tỉnh"]),
    ):
        assert [name for name, _ in plan_of(typed).relaxed.words] == relaxed, typed
    # The first try still requires the group, in any of its forms.
    required = words(plan_of("an toàn giao thông").required)
    assert (EXACT[0], "atgt") in [(fields[0], text) for fields, text in required]


def test_a_run_typed_without_diacritics_matches_the_folded_fields_and_boosts_its_restored_spelling(engine):
    # As typed (the page's "Tìm chính xác"): this index reads it surely, and a search is of that spelling.
    plan = engine.plan(SearchRequest(q="cai cach hanh chinh", as_typed=True))
    assert plan.restored == ("cải cách hành chính",)
    # "cải cách hành chính" is also CCHC: the run is one unit of meaning, required in any of its forms, folded.
    assert all(fields == FOLDED for fields, _ in words(plan.required))
    assert {text for _, text in words(plan.required)} >= {"cchc"}
    optional = {text: boost for query, boost in plan.optional for _, text in words(query)}
    assert optional["cải"] == optional["chính"] == 1.0
    assert all(query.boost == ranking.RESTORED_BOOST for query, _ in plan.optional if "_" not in words(query)[0][1])
    assert "cải_cách" in optional  # the restored spelling's words, as underthesea segments it
    assert plan.proximity[0].terms == ("cai", "cach", "hanh", "chinh")
    assert [name for name, _ in plan.proximity[0].fields] == list(FOLDED)


def test_a_short_run_typed_without_diacritics_is_scored_as_its_sure_reading_and_matched_as_typed(vntc_engine):
    plan = vntc_engine.plan(SearchRequest(q="ban tay"))
    assert plan.restored == ("bàn tay",)
    # Each syllable, all but certainly read so, counts as its reading, exact, where an article holds it, and as typed,
    # folded, for AS_TYPED where it holds another accenting (Tây): the best of the two, and every word required; the
    # word *bàn tay* whole, its syllables side by side in any accenting.
    assert isinstance(plan.required, Q.And)
    *units, whole = plan.required.subqueries
    assert isinstance(whole, PhraseAcross) and [p.fieldname for p in whole.subqueries] == list(FOLDED)
    assert whole.subqueries[0].words == ["ban", "tay"]
    for unit, (exact, folded) in zip(units, [("bàn", "ban"), ("tay", "tay")], strict=True):
        assert isinstance(unit, Q.DisjunctionMax)
        assert words(unit) == [(EXACT, exact), (FOLDED, folded)]
        assert [part.boost for part in unit.subqueries] == [1.0, ranking.AS_TYPED]
    # The reading is no longer an optional boost besides; the restored words still are.
    optional = {text: boost for query, boost in plan.optional for _, text in words(query)}
    assert "bàn" not in optional and optional["bàn_tay"] == ranking.WORD_BOOST


def test_an_unsure_reading_written_without_diacritics_is_boosted_like_any_other(vntc_engine):
    # On these articles `mong` is most likely "mong" (to hope: mong manh, mong đợi), then "móng" (a foundation, a
    # nail). Its likeliest reading, though written without diacritics, earns its boost; were it left out, "móng" alone
    # would be boosted and the articles on foundations would come first.
    plan = vntc_engine.plan(SearchRequest(q="mong cho ban"))
    boosts = {text: query.boost for query, _ in plan.optional for fields, text in words(query) if fields == EXACT}
    assert boosts["mong"] == ranking.RESTORED_BOOST and 0 < boosts["móng"] < boosts["mong"]
    # The first articles are on the likeliest reading: they hold *mong*, in their title or their text.
    searcher = vntc_engine.searcher()
    first = [searcher.document(id=key) for key in vntc_engine.ranked_ids(SearchRequest(q="mong cho ban"), 5)]
    texts = [" ".join(re.findall(r"\w+", normalize_text(f"{doc['title']} {doc['body']}"))) for doc in first]
    assert sum(" mong " in f" {text} " for text in texts) >= 4


def test_show_query_prints_the_plan_that_runs_with_the_restored_spelling(runner, engine):
    from search_service.cli import main

    result = runner.invoke(main, ["search", "--index-dir", str(engine.root), "--show-query", "cai cach hanh chinh"])
    assert result.exit_code == 0, result.output
    assert "searched:   cải cách hành chính (typed: cai cach hanh chinh)" in result.stderr
    assert "Term('title', 'cải_cách'" in result.stderr  # the restored words are searched, and shown
    assert "rerank:     best 50" in result.stderr


def test_a_headline_of_five_to_twelve_words_matches_any_word_counting_its_stop_words_and_boosts_its_pairs():
    plan = plan_of("Hà Nội tiêm vắc xin mũi 3 cho người cao tuổi")
    assert isinstance(plan.required, Q.Or)
    required = [text for _, text in words(plan.required)]
    assert required == ["hà", "nội", "tiêm", "vắc", "xin", "mũi", "3", "cho", "người", "cao", "tuổi"]
    # The article holding most of the words, each word of several syllables whole, comes first.
    assert [name for name, _ in plan.words] == ["Hà Nội", "tiêm", "vắc", "xin", "mũi", "3", "cho", "người", "cao tuổi"]
    assert [weight for _, weight in plan.coverage] == [2, 1, 1, 1, 1, 1, 1, 1, 2]  # by the syllables each stands for
    boosts = {proximity.terms: proximity.boost for proximity in plan.proximity}
    assert boosts[("hà", "nội", "tiêm", "vắc", "xin", "mũi", "3", "cho", "người", "cao", "tuổi")] == 2.0
    assert boosts[("vắc", "xin")] == boosts[("mũi", "3")] == ranking.PAIR_BOOST
    assert plan.rerank_depth == ranking.RERANK_DEPTH


def test_a_short_question_keeps_its_stop_words_optional_and_ranks_without_coordination():
    plan = plan_of("Tiêm mũi 3 cách mũi 2 bao lâu?")
    required = [text for _, text in words(plan.required)]
    # "2" is on underthesea's stop-word list, but a number typed is what it says: the dose asked about.
    assert required == ["tiêm", "mũi", "3", "cách", "2", "bao", "lâu"]
    assert plan.coverage == ()
    assert {proximity.terms: proximity.boost for proximity in plan.proximity}[("mũi", "3")] == ranking.PAIR_BOOST


def test_a_long_question_matches_without_diacritics_ranks_the_exact_spellings_and_reranks_deeper():
    plan = plan_of("Tôi đã tiêm vắc xin mũi 3 được hai tháng, bây giờ có cần tiêm nhắc lại mũi 4 không?")
    assert all(fields == FOLDED for fields, _ in words(plan.required))
    required = [text for _, text in words(plan.required)]
    assert "tiem" in required and "đã" not in required and "da" not in required  # a question's stop words: left out
    optional = {text: query.boost for query, _ in plan.optional for fields, text in words(query) if fields == EXACT}
    assert optional["tiêm"] == optional["nhắc"] == ranking.RESTORED_BOOST
    assert all(proximity.boost == ranking.PHRASE_BOOST for proximity in plan.proximity)
    # Pairs of neighbouring words; across the question's comma, a clause's end between them, as an article has it.
    assert all(len(proximity.terms) == 2 for proximity in plan.proximity if CLAUSE_TERM not in proximity.terms)
    assert [p.terms for p in plan.proximity if CLAUSE_TERM in p.terms] == [("tháng", CLAUSE_TERM, "bây")]
    assert plan.rerank_depth == ranking.LONG_RERANK_DEPTH and plan.coverage == ()


def test_a_long_headline_typed_with_diacritics_is_matched_as_typed():
    plan = plan_of("Biệt thự giữa rừng nín thở chờ thanh tra sau nhiều năm xây dựng trái phép trên đất rừng phòng hộ")
    assert all(fields == EXACT for fields, _ in words(plan.required))
    assert plan.rerank_depth == ranking.LONG_RERANK_DEPTH
    assert len(words(plan.required)) <= ranking.COORDINATE_UP_TO
    # Each word counts whole, a syllable typed alone too as itself (*rừng*, *rừng phòng hộ*).
    named = [name for name, _ in plan.words]
    assert {"Biệt thự", "rừng", "xây dựng", "rừng phòng hộ"} <= set(named) and "thự" not in named  # in the case typed
    assert sum(weight for _, weight in plan.coverage) == len(words(plan.required)) + 1  # *rừng* alone and in the word
    # A syllable of a synonym group typed in full is the group's, not a word of its own: the *chức* of *cán bộ công
    # chức* (*CBCC*) counts for no article holding a *chức*, nor is named as a word it lacks.
    named = [name for name, _ in plan_of("tổ chức cán bộ công chức năm 2007 ở huyện").words]
    assert named == ["tổ chức", "cán bộ công chức", "năm", "2007", "ở", "huyện"]
    # A group of one syllable (*TP*, *thành phố*) is a word of the run as typed.
    assert [name for name, _ in plan_of("giao thông ủy quyền tp").words] == ["giao thông", "ủy quyền", "tp"]


@pytest.mark.parametrize("typed", ["29-CT/TU", "chỉ thị 29-CT/TU"])
def test_a_document_number_must_stand_whole_as_a_phrase_of_its_syllables(typed):
    plan = plan_of(typed)
    phrases = [leaf for leaf in plan.required.leaves() if isinstance(leaf, Q.Phrase)]
    assert ("29", "ct", "tu") in {tuple(phrase.words) for phrase in phrases}


@pytest.mark.parametrize(
    "typed",
    [
        "bóng đá trẻ",
        "cải cách hành chính UBND quận",
        "Hà Nội tiêm vắc xin mũi 3 cho người cao tuổi",
        "Tiêm mũi 3 cách mũi 2 bao lâu?",
        "chỉ thị 29-CT/TU -hội nghị",
        '"thủ tục hành chính" OR "dịch vụ công"',
        "là của",
    ],
)
def test_a_plan_without_boosts_matches_what_the_whole_plan_matches_and_orders_nothing(typed):
    """The suggestion's check ("Có phải bạn muốn tìm") asks only whether a spelling finds anything: its plan leaves
    out the word terms (a segmentation of the query) and the phrase boosts, and matches the same articles."""
    whole = plan_of(typed)
    checked = build_plan(SearchRequest(q=typed), SYNONYMS, boosts=False)
    assert checked.required == whole.required
    assert checked.proximity == ()
    leaves = [leaf for query, _ in checked.optional for leaf in query.leaves()]
    assert not [leaf for leaf in leaves if "_" in str(getattr(leaf, "text", ""))]  # no word term (cải_cách)
    assert set(checked.optional) <= set(whole.optional)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("thủ tục NOT UBND", "thủ tục -UBND"),
        ("tham nhũng NOT hà nội", 'tham nhũng -"hà nội"'),  # the words after NOT, side by side
        ('tham nhũng NOT "hà nội" năm 2006', 'tham nhũng -"hà nội" năm 2006'),
        ("bóng đá NOT title:U23", "bóng đá -title:U23"),
        ("cải cách AND hành chính", "cải cách hành chính"),
        ("cải cách AND NOT hành chính", 'cải cách -"hành chính"'),
    ],
)
def test_and_and_not_in_capitals_mean_what_other_search_engines_mean(typed, meant):
    assert plan_of(typed).required == plan_of(meant).required


@pytest.mark.parametrize("typed", ["tham nhung not ha noi", "gia vang and USD", "NOT", "AND", "AND OR NOT"])
def test_and_and_not_in_lower_case_or_with_no_other_word_are_words(typed):
    assert [clause.describe() for clause in parse_basic(typed)] == [typed]  # nothing excluded, every word looked for


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("bóng đá NOT", ["bóng đá"]), ("AND bóng đá AND", ["bóng đá"]), ("bóng đá NOT -U23", ["bóng đá", "-U23"])],
)
def test_and_and_not_with_nothing_to_join_or_exclude_are_left_out(typed, meant):
    # Typed before the word to exclude, `bóng đá NOT` looked for a word *not* (*nốt*): 5 of the tests' 4,000 VNTC
    # articles, where `bóng đá` finds 49.
    assert [clause.describe() for clause in parse_basic(typed)] == meant


def test_an_excluded_word_is_excluded_however_it_is_accented():
    plan = plan_of("bóng đá -Sơn")
    [exclusion] = [part for part in plan.required.subqueries if isinstance(part, Q.Not)]
    excluded = {(leaf.fieldname, leaf.text) for leaf in exclusion.leaves()}
    assert ("body_f", "son") in excluded and ("title_f", "son") in excluded  # Sơn, sơn, son, sởn…


def test_an_empty_box_lists_the_newest_articles_and_has_no_second_try():
    plan = plan_of("")
    assert not plan.has_text and plan.sort == "newest" and plan.relaxed is None
    assert plan_of("", sort="views").sort == "views"


def test_the_title_scope_searches_the_title_alone():
    plan = plan_of("ngũ hành sơn", scope="title")
    assert {fields for fields, _ in words(plan.required)} == {("title",)}


def test_a_joined_writing_whose_part_is_an_abbreviation_of_its_own_leaves_that_abbreviation_to_its_group():
    joined = SYNONYMS.with_joined([("nđcp", "nđ", "cp"), ("email", "e", "mail"), ("gdđt", "gd", "đt")])
    # "NĐ" stays "nghị định" in "NĐ-CP": no group of the pair hides it.
    assert joined.match(["nđ", "cp"], 0) == SYNONYMS.match(["nđ", "cp"], 0)
    assert joined.match(["e", "mail"], 0) == (2, (("email",), ("e", "mail")))
    # A pair that is a form of a group already (GD-ĐT) joins it.
    length, forms = joined.match(["gd", "đt"], 0)
    assert length == 2 and ("gdđt",) in forms and ("giáo", "dục", "và", "đào", "tạo") in forms


def test_a_joined_writing_of_an_abbreviation_finds_its_expansion_too():
    joined = SYNONYMS.with_joined([("gtvt", "gt", "vt")])
    length, forms = joined.match(["gt", "vt"], 0)
    assert length == 2 and {("gtvt",), ("giao", "thông", "vận", "tải")} <= set(forms)


def test_a_short_runs_words_are_required_whole_where_underthesea_s_word_list_holds_them():
    plan = plan_of("tuyển dụng giáo viên")
    assert plan.whole == ("tuyển dụng", "giáo viên")
    phrases = [part for part in plan.required.subqueries if isinstance(part, PhraseAcross)]
    assert [part.subqueries[0].words for part in phrases] == [["tuyển", "dụng"], ["giáo", "viên"]]
    # The try when no article holds them so: the same words, apart, said so.
    assert plan.apart.whole == () and plan.apart.understood["apart"] and plan.apart.apart is None
    assert not any(isinstance(part, PhraseAcross) for part in plan.apart.required.subqueries)
    # underthesea segments a few words without their sentence as it would not in one: "minh tinh rắc rối" as *minh*,
    # *tinh rắc*, *rối*. A word its word list lacks is not required whole (*tinh rắc*), nor is a name it lacks (*đà
    # nẵng*); two syllables the segmentation left apart that the list holds as a word are (*minh tinh*, *rắc rối*).
    assert plan_of("minh tinh rắc rối").whole == ("minh tinh", "rắc rối") and plan_of("đà nẵng").whole == ()
    # A run of five words or more ranks by the share of its words an article holds, none required.
    assert plan_of("Hà Nội tiêm vắc xin mũi 3 cho người cao tuổi").whole == ()
