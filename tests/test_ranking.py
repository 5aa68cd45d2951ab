"""The ranking rules, on real Vietnamese articles: phrases and pairs, coordination, fields, stop words in headlines.

The rules themselves are one table in ``search_service/ranking.py``; ``test_query.py`` looks at the plans they build.
"""

from __future__ import annotations

import pytest

from search_service.analysis import fold_diacritics
from search_service.query import SearchRequest

from .conftest import build_engine, ids, write_jsonl

QUESTIONS = {
    # A question is never found as typed; the answer that says its phrases ("tiêm vắc xin", "mũi 3", "nhắc lại")
    # must come before an article that only has the same syllables here and there, even more often.
    "long": (
        "Tôi đã tiêm vắc xin mũi 3 được hai tháng, bây giờ có cần tiêm nhắc lại mũi 4 không?",
        "Chào bạn, người đã tiêm vắc xin mũi 3 được hai tháng thì chưa cần tiêm nhắc lại mũi 4 ngay.",
        "Tháng 4 nhắc mũi lại; hai mũi tiêm tháng 3 cần xin lịch, bây giờ vắc tiêm được hai lần, "
        "tôi lại cần mũi 4 tháng sau.",
    ),
    # A question of a few words (not a long one typed in full) is not found as typed either ("mũi 3", "bao lâu").
    "short": (
        "Tiêm mũi 3 cách mũi 2 bao lâu?",
        "Chào bạn, mũi 3 tiêm sau mũi 2 ít nhất ba tháng; bao lâu là tùy loại vắc xin, hãy hỏi cơ sở tiêm.",
        "Lâu nay 3 điểm tiêm cách xa; mũi tiêm thứ 2 cách nhà bao xa? Tiêm 2 lần, mũi đầu cách tháng 3.",
    ),
    # Nor is a pasted headline of a few words found whole in its article ("tiêm vắc xin mũi 3", "người cao tuổi").
    "headline": (
        "Hà Nội tiêm vắc xin mũi 3 cho người cao tuổi",
        "Từ tuần này, Hà Nội bắt đầu tiêm vắc xin mũi 3 cho người cao tuổi tại các trạm y tế.",
        "Tiêm muộn: người tuổi cao xin lịch; vắc chậm, Hà lo nội thành cho 3 mũi tiêm, mũi tiêm cho dân.",
    ),
}


@pytest.mark.parametrize("length", QUESTIONS)
def test_a_question_or_headline_ranks_the_article_saying_its_words_side_by_side_above_one_scattering_them(
    tmp_path, length
):
    question, answer_body, scattered_body = QUESTIONS[length]
    answer = {"id": "tra-loi", "title": "Hỏi đáp", "body": answer_body}
    scattered = {"id": "rai-rac", "title": "Lịch làm việc", "body": scattered_body}
    articles = [scattered, answer]
    for number in range(30):  # other articles, so that the syllables weigh what they weigh in a real index
        articles.append({"id": f"khac-{number}", "title": "Tin khác", "body": f"Bài số {number} về việc khác."})
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "articles.jsonl", articles)])
    try:
        for typed in (question, fold_diacritics(question.lower())):
            assert ids(engine, typed)[:2] == ["tra-loi", "rai-rac"]
    finally:
        engine.close()


def test_a_pasted_headline_finds_the_article_holding_most_of_its_words_before_ones_repeating_a_few(tmp_path):
    # A visitor pastes a headline. Its article holds every word of it once; the articles on the same toll station
    # repeat its rarest words ("BOT Cai Lậy") many times and hold little else of it, which BM25 alone rewards more.
    headline = "Bắt tạm giam chủ xe cẩu chém người vì chuyện BOT Cai Lậy"
    article = {
        "id": "xe-cau",
        "title": "Khởi tố vụ án",
        "body": "Công an bắt tạm giam chủ xe cẩu đã chém người sau chuyện qua trạm BOT Cai Lậy. "
        "Sự việc khiến dư luận địa phương bức xúc.",
    }
    articles = [article]
    for number in range(4):
        articles.append(
            {
                "id": f"tram-{number}",
                "title": "Giao thông",
                "body": f"Trạm BOT Cai Lậy xả trạm lần {number}. Tài xế qua BOT Cai Lậy phản đối chuyện thu phí; "
                "BOT Cai Lậy tạm dừng, chủ đầu tư BOT Cai Lậy báo cáo.",
            }
        )
    for number in range(30):  # the headline's everyday words are everywhere, its place name is not
        body = (
            f"Vụ số {number}: công an bắt tạm giam một người, chủ xe máy."
            if number % 2
            else f"Bài số {number}: xe cẩu chém đứt dây điện, người dân hoảng sợ."
        )
        articles.append({"id": f"khac-{number}", "title": "Tin khác", "body": body})
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "articles.jsonl", articles)])
    try:
        for typed in (headline, headline.lower(), fold_diacritics(headline.lower())):
            assert ids(engine, typed)[:2] == ["xe-cau", "tram-0"]
    finally:
        engine.close()


def test_the_article_whose_sapo_says_the_headline_ranks_above_one_that_mentions_its_words_in_passing(tmp_path):
    # A known-item search: the visitor types the headline they remember. The article that says it in its sapo
    # comes first, before a longer one whose body repeats the same words about other things (each word counted
    # once over the fields, the sapo's counting five times the body's: BM25F).
    filler = "Người dân trong vùng cho biết thời tiết những ngày qua khá thuận lợi cho việc đi lại và buôn bán. "
    articles = [
        {
            "id": "target",
            "title": "Tin 1",
            "summary": "Hà Nội khởi công xây cầu Trần Hưng Đạo bắc qua sông Hồng.",
            "body": filler * 6 + "Công trình dự kiến hoàn thành sau ba năm.",
        },
        {
            "id": "in-passing",
            "title": "Tin 2",
            "summary": "Giao thông cuối tuần thông suốt.",
            "body": filler * 3
            + "Cầu Trần Hưng Đạo, cầu Vĩnh Tuy và cầu Chương Dương bắc qua sông Hồng ở Hà Nội. "
            + "Nhiều người hỏi khi nào khởi công xây cầu mới qua sông Hồng ở Hà Nội. "
            + filler * 2,
        },
    ]
    engine = build_engine(tmp_path / "ix", [write_jsonl(tmp_path / "articles.jsonl", articles)])
    try:
        for typed in (
            "Hà Nội khởi công cầu Trần Hưng Đạo qua sông Hồng",
            "ha noi khoi cong cau tran hung dao qua song hong",
        ):
            assert ids(engine, typed) == ["target", "in-passing"]
    finally:
        engine.close()


def test_a_long_headline_typed_with_diacritics_does_not_find_an_article_of_other_words_spelt_alike(tmp_path):
    # A pasted headline of more than 12 words is accented as the article is: matched as typed, not without
    # diacritics as a long question is. Spelt without diacritics, each of its words is also another word (nga:
    # Nga/ngà, noi: nói/nơi, ...): an article holding only those is not a result for the headline.
    headline = "Nga nói Liên Hợp Quốc nên dỡ bỏ lệnh trừng phạt Triều Tiên vì lý do nhân đạo"
    filler = "Các nước trong khu vực theo dõi sát tình hình và kêu gọi các bên kiềm chế. "
    alike = "Ngà voi nơi đây liền hộp quặc, đổ bộ lênh đênh trung phát triệu tiền ly nhẫn đao. "
    articles = [
        {"id": "target", "title": "Tin 1", "summary": "Moskva lên tiếng.", "body": filler * 8 + headline + "."},
        {"id": "spelt-alike", "title": "Tin 2", "summary": alike, "body": alike * 4 + filler * 4},
    ]
    engine = build_engine(tmp_path / "ix", [write_jsonl(tmp_path / "articles.jsonl", articles)])
    try:
        assert ids(engine, headline) == ["target"]
        # Asked as a question, it is matched without diacritics: the other article is found too, after it.
        assert ids(engine, headline + "?") == ["target", "spelt-alike"]
    finally:
        engine.close()


def test_a_pasted_headline_finds_the_report_with_its_numbers_before_another_report_of_the_same_event(tmp_path):
    # Two reports of one accident say the same words; the headline's own report is the one that also says its number
    # ("10", like "năm" or "lần", is on underthesea's stop-word list, which a question's "có … không" belong to). The
    # other report is newer, so it came first while a headline's stop words did not count.
    headline = "Xe khách lật trên đèo Bảo Lộc lúc rạng sáng, số người bị thương phải đưa đi cấp cứu là 10"
    report = "Xe khách lật trên đèo Bảo Lộc lúc rạng sáng nay. Số người bị thương phải đưa đi cấp cứu là {}."
    articles = [
        {"id": "bao-loc-10", "title": "Tai nạn", "summary": report.format(10), "published": "02/06/2023"},
        {"id": "bao-loc-kia", "title": "Tai nạn", "summary": report.format("nhiều"), "published": "03/06/2023"},
    ]
    for number in range(20):  # the headline's everyday words are everywhere, the pass's name is not
        summary = f"Xe khách số {number} bị hư hỏng, người dân phải đưa đi sửa."
        articles.append({"id": f"khac-{number}", "title": "Tin khác", "summary": summary})
    engine = build_engine(tmp_path / "index", [write_jsonl(tmp_path / "articles.jsonl", articles)])
    try:
        for typed in (headline, headline.lower()):
            assert ids(engine, typed)[:2] == ["bao-loc-10", "bao-loc-kia"]
    finally:
        engine.close()


def test_an_abbreviation_or_a_quoted_phrase_weighs_what_its_words_weigh_beside_a_name(vntc_engine):
    """``TP`` is *thành phố* and ``UBND`` *Ủy ban nhân dân*: one unit of the query, beside the words of a name. Said
    in a short title and again in the body, the phrase's words weigh what they would typed in full, no more. So the
    first ten for ``TP Nha Trang`` are on Nha Trang, as for *thành phố Nha Trang*: the phrase scored apart in each
    field put first articles on any city (*Thành phố cổ Timbuktu*) that hold *nhà* and *trang* somewhere."""
    searcher = vntc_engine.searcher()

    def names_nha_trang(key: str) -> bool:
        stored = searcher.document(id=key)
        return "nha trang" in fold_diacritics(f"{stored['title']} {stored.get('body') or ''}".lower())

    for typed in ("TP Nha Trang", "tp nha trang", "UBND Nha Trang", '"thành phố" nha trang', "thành phố Nha Trang"):
        first = vntc_engine.ranked_ids(SearchRequest(q=typed), 10)
        assert len(first) == 10 and all(names_nha_trang(key) for key in first), typed
