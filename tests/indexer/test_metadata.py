import json

from indexer.ingest import parse_file
from indexer.metadata import DocumentMeta, read_locality, short_issuer
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
