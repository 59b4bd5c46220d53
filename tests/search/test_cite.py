"""Citations an official can paste into a report: every sample plan is cited by what it is, never by its
file name, with the facts its text gives and none it does not."""

from __future__ import annotations

import pytest

from indexer.ingest import parse_file
from indexer.metadata import DocumentMeta
from search.cite import citation, document_label, section_label
from tests.conftest import sample

CITED_AS = {
    "000": "“Chương trình 1: Tăng cường sự lãnh đạo, quản lý của các cấp ủy đảng, chính…” của Đảng ủy Khối",
    "001": "Kế hoạch thực hiện Kết luận số 51-KL/TW ngày 30/5/2019 của Ban Bí thư về tiếp tục thực… "
           "của Ban Thường vụ Huyện ủy",
    "002": "ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO LÃNH ĐẠO CÁN BỘ, ĐẢNG VIÊN THAM MƯU THỰC HIỆN TỐT NHIỆM VỤ… ngày "
           "19/09/2019 của Đảng ủy cơ sở Sở Giáo dục và Đào tạo",
    "003": "Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn",
    "004": "Tăng cường sự lãnh đạo của Đảng, sự quản lý của nhà nước đối với đổi mới giáo dục và đào… "
           "của UBND thành phố Hạ Long",
}


@pytest.fixture(scope="module")
def parsed():
    return {prefix: parse_file(sample(prefix), sample(prefix).name) for prefix in CITED_AS}


@pytest.mark.parametrize("prefix", sorted(CITED_AS))
def test_each_sample_plan_is_cited_by_what_it_is_not_by_its_file_name(parsed, prefix):
    label = document_label(parsed[prefix].meta)
    assert label == CITED_AS[prefix]
    assert parsed[prefix].doc not in label and ".txt" not in label


def test_a_plan_that_cites_a_resolution_does_not_take_its_date(parsed):
    meta = parsed["001"].meta
    assert meta.date is None  # 30/5/2019 is the date of 51-KL/TW, which the plan carries out
    assert "51-KL/TW" in meta.implements


def test_the_issuer_read_from_the_opening_sentence_is_marked_as_read_from_the_text(parsed):
    district, province = parsed["001"].meta, parsed["003"].meta
    assert (district.issuer, district.from_text) == ("Ban Thường vụ Huyện ủy", ["issuer"])
    assert province.issuer == "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" and province.from_text == []


def test_the_signer_is_the_name_in_the_signature_block_with_the_position_signed_under(parsed):
    assert (parsed["003"].meta.signer, parsed["003"].meta.signer_title) == ("Dương Xuân Huyên", "Phó Chủ tịch")
    assert (parsed["001"].meta.signer, parsed["001"].meta.signer_title) == ("Nguyễn Văn Lộc", "Phó Bí thư")
    assert parsed["002"].meta.signer is None  # a web article has no signature block


def test_a_web_article_is_issued_by_the_portal_that_owns_it_and_dated_by_its_dateline(parsed):
    article, portal = parsed["002"].meta, parsed["004"].meta
    assert article.date == "2019-09-19"
    assert (portal.issuer_short, portal.from_text) == ("UBND thành phố Hạ Long", ["issuer", "locality"])
    assert (portal.province, portal.locality) == ("Quảng Ninh", "thành phố Hạ Long")


def test_a_citation_names_the_section_and_pages_it_points_at():
    meta = DocumentMeta(number="43/KH-UBND", doc_type="Kế hoạch", date="2022-02-23",
                        issuer_short="UBND tỉnh Lạng Sơn")
    assert citation(meta, "IV. TỔ CHỨC THỰC HIỆN › 3. Sở Tài chính", 12, 13) == (
        "Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn, mục IV.3 (Sở Tài chính), tr. 12-13")
    assert section_label("Chương I. QUY ĐỊNH CHUNG › Điều 2. Tuyển sinh") == "mục “Điều 2. Tuyển sinh”"
    assert document_label(DocumentMeta()) == "Văn bản không có tiêu đề"
