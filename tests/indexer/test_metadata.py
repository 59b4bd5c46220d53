import json

from indexer.ingest import parse_file
from indexer.metadata import DocumentMeta, read_locality, short_issuer
from vietnamese.spelling import repair_words
from tests.conftest import sample


def test_sample_003_metadata():
    meta = parse_file(sample("003"), "003.txt").meta
    assert meta.number == "43/KH-UBND"
    assert meta.date == "2022-02-23"
    assert meta.issuer == "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"
    assert meta.issuer_short == "UBND tỉnh Lạng Sơn"
    assert meta.doc_type == "Kế hoạch"
    assert meta.province == "Lạng Sơn"
    assert meta.title.startswith("KẾ HOẠCH THỰC HIỆN NGHỊ QUYẾT SỐ 63-NQ/TU")
    assert {"63-NQ/TU", "1895/QĐ-TTg"} <= set(meta.cited_codes)
    assert "43/KH-UBND" not in meta.cited_codes


def test_sample_001_title_and_cited_codes():
    meta = parse_file(sample("001"), "001.txt").meta
    assert meta.title.startswith("KẾ HOẠCH Thực hiện Kết luận số 51-KL/TW")
    assert meta.cited_codes[:2] == ["51-KL/TW", "97-KH/TU"]
    assert meta.number is None and meta.date is None  # not in the text: never guessed


def test_web_article_dateline_and_province():
    meta = parse_file(sample("002"), "002.txt").meta
    assert meta.date == "2019-09-19"
    assert meta.province == "Gia Lai"
    assert meta.number is None


def test_issuer_short_forms():
    assert short_issuer("UBND HUYỆN HIỆP HÒA PHÒNG GIÁO DỤC VÀ ĐÀO TẠO") == "Phòng Giáo dục và Đào tạo huyện Hiệp Hòa"
    assert short_issuer("HUYỆN ỦY HIỆP HÒA") == "Huyện ủy Hiệp Hòa"
    assert short_issuer("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI") == "Bộ Lao động - Thương binh và Xã hội"
    assert short_issuer("ỦY BAN THƯỜNG VỤ QUỐC HỘI") == "Ủy ban Thường vụ Quốc hội"
    assert short_issuer("ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO") == "Đảng ủy Sở Giáo dục và Đào tạo"


def test_an_ocr_misread_letter_still_names_the_peoples_committee():
    assert short_issuer("ỦY BAN NHÂN DẪN HUYỆN HIỆP HÒA") == "UBND huyện Hiệp Hòa"


def _locality(issuer: str | None = None, title: str | None = None) -> str | None:
    meta = DocumentMeta(issuer=issuer, title=title)
    read_locality(meta)
    return meta.locality


def test_the_place_below_the_province_comes_from_the_issuer_else_the_title():
    assert _locality("UBND HUYỆN HIỆP HÒA PHÒNG GIÁO DỤC VÀ ĐÀO TẠO") == "huyện Hiệp Hòa"
    assert _locality("UBND XÃ HÒA AN") == "xã Hòa An"
    assert _locality("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "Kế hoạch giáo dục trên địa bàn huyện Tân Yên giai đoạn "
                     "2021-2025") == "huyện Tân Yên"
    assert _locality(title="KẾ HOẠCH GIÁO DỤC THỊ XÃ SƠN TÂY NĂM 2022") == "thị xã Sơn Tây"


def test_a_province_level_city_or_a_party_committee_is_no_locality():
    assert _locality("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI") is None
    assert _locality("Ban Thường vụ Huyện ủy", "Kế hoạch công tác xã hội hóa giáo dục") is None


def test_sidecar_supplies_missing_metadata(tmp_path):
    document = tmp_path / "000.txt"
    document.write_bytes(sample("000").read_bytes())
    (tmp_path / "000.txt.meta.json").write_text(json.dumps(
        {"number": "12-BC/ĐU", "date": "2024-11-05", "doc_type": "Báo cáo"}), encoding="utf-8")
    meta = parse_file(document, "000.txt").meta
    assert (meta.number, meta.date, meta.doc_type) == ("12-BC/ĐU", "2024-11-05", "Báo cáo")
    assert sorted(meta.from_sidecar) == ["date", "doc_type", "number"]


def _plan(tmp_path, name: str, number_line: str, dateline: str = "Hiệp Hòa, ngày 05 tháng 3 năm 2021") -> DocumentMeta:
    """The metadata of a small plan of a district, saved as `name`, with the given number and date lines."""
    document = tmp_path / name
    document.write_text(f"ỦY BAN NHÂN DÂN\nHUYỆN HIỆP HÒA\n{number_line}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                        f"Độc lập - Tự do - Hạnh phúc\n{dateline}\n\nKẾ HOẠCH\nTriển khai dạy tin học trong các "
                        "trường phố thông năm 2021\n\nI. MỤC ĐÍCH\n1. Đẩy mạnh ứng dụng công nghệ thông tin trong "
                        "dạy học ở các trường phổ thông của huyện.\n", encoding="utf-8")
    return parse_file(document, name).meta


def test_digits_the_header_lacks_come_from_the_file_name_only_beside_the_same_code(tmp_path):
    meta = _plan(tmp_path, "ke-hoach-12-KH-UBND-tin-hoc.txt", "Số:     /KH-UBND")
    assert (meta.number, meta.from_file_name, meta.doc_type) == ("12/KH-UBND", ["number"], "Kế hoạch")
    assert _plan(tmp_path, "ke-hoach-12-QD-UBND.txt", "Số:     /KH-UBND").number is None  # another code
    assert _plan(tmp_path, "ke-hoach-tin-hoc.txt", "Số:     /KH-UBND").number is None  # no number in the name
    printed = _plan(tmp_path, "ke-hoach-12-KH-UBND.txt", "Số: 7/KH-UBND")
    assert (printed.number, printed.from_file_name) == ("7/KH-UBND", [])  # the header's digits win


def test_a_dateline_ocr_misread_is_still_read_and_the_title_put_right(tmp_path):
    meta = _plan(tmp_path, "kh.txt", "Số: 22 /KH-PGDĐT Hiệp Hòa ngày 20 thẳng 10 — năm 2020", dateline="")
    assert (meta.number, meta.date) == ("22/KH-PGDĐT", "2020-10-20")
    assert meta.title == "KẾ HOẠCH Triển khai dạy tin học trong các trường phổ thông năm 2021"


def test_words_ocr_misread_in_a_header_are_put_right_and_right_words_are_kept():
    assert repair_words("KÉẺ HOẠCH Thực hiện Đề án đây mạnh dạy tin học") == "KẾ HOẠCH Thực hiện Đề án đẩy mạnh dạy tin học"
    assert repair_words("ỦY BAN NHÂN DẪN HUYỆN HIỆP HÒA") == "ỦY BAN NHÂN DÂN HUYỆN HIỆP HÒA"
    # a pair clean text rarely writes is put right where the document writes it right elsewhere
    body = "Tổ thẩm định hồ sơ đã họp. Hồ sơ gồm tờ trình và biên bản thẩm định."
    assert repair_words("Thâm định hỗ sơ các khoản thu", body) == "Thẩm định hồ sơ các khoản thu"
    for right in ("Độc lập - Tự do - Hạnh phúc", "Bộ Văn hóa, Thể thao và Du lịch", "hỗ trợ học sinh",
                  "Nghị quyết số 141/NQ-CP Về chính sách của Luật Thương mại", "huyện Hiệp Hòa, tỉnh Bắc Giang",
                  "Phòng GD&ĐT, Sở GD&ĐT, HĐND huyện"):  # abbreviations without a vowel are not words
        assert repair_words(right) == right


def test_an_ocr_pages_misread_tone_marks_are_put_right():
    page = "Đối với các trường phố thông trong huyện, đây mạnh việc dạy Tin học ở các trường Tiểu học."
    assert repair_words(page) == "Đối với các trường phổ thông trong huyện, đẩy mạnh việc dạy Tin học ở các trường Tiểu học."


def test_a_record_of_a_meeting_is_dated_by_its_opening_sentence():
    from indexer.body_facts import read_body_facts
    from indexer.layout import Paragraph

    lines = ["Căn cứ Hướng dẫn số 03/HD-SGD&ĐT ngày 04/9/2020 của Sở Giáo dục và Đào tạo;",
             "Hôm nay, ngày 19 tháng 10 năm 2020, tại Phòng Giáo dục và Đào tạo Hiệp Hòa, thành phần tham gia gồm:"]
    record, plan = DocumentMeta(doc_type="Biên bản", title="BIÊN BẢN Thẩm định"), DocumentMeta(doc_type="Kế hoạch", title="x")
    for meta in (record, plan):
        read_body_facts(meta, [Paragraph(line, None, None) for line in lines], [None, None])
    assert (record.date, record.from_text) == ("2020-10-19", ["date"])
    assert plan.date is None  # the day a plan's text names is not the plan's date
