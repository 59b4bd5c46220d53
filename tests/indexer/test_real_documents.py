"""Real documents keep all their text: a decision's articles, a regulation attached after the signature,
a table of capitalised cells, a document written without diacritics; and their header facts are read from
gazette pages, two-column headers and consolidated texts."""

import json

import pytest

from indexer.build import build_index
from runtime.settings import Settings
from indexer.coverage import Coverage
from indexer.ingest import parse_file
from vietnamese.normalize import strip_diacritics
from search.answer import answer
from search.engine import SearchEngine
from tests.conftest import SHARED, sample
from ui.cli import main

# A provincial decision as the official gazette prints it: page header, authority line, articles, the
# signature, then the regulation it issues and a timetable flattened to one cell per line.
DECISION = """CÔNG BÁO/Số 12/Ngày 05-01-2024
3

ỦY BAN NHÂN DÂN
TỈNH BẮC GIANG

Số: 15/2024/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Bắc Giang, ngày 02 tháng 01 năm 2024

QUYẾT ĐỊNH
Ban hành Quy chế tổ chức và hoạt động của trường phổ thông dân tộc nội trú
trên địa bàn tỉnh Bắc Giang

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG

Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;
Theo đề nghị của Giám đốc Sở Giáo dục và Đào tạo.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế tổ chức và hoạt động của trường phổ thông dân tộc
nội trú trên địa bàn tỉnh.
Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2024.
Điều 3. Giám đốc Sở Giáo dục và Đào tạo, Chủ tịch Ủy ban nhân dân các huyện chịu trách nhiệm thi
hành Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An


CÔNG BÁO/Số 12/Ngày 05-01-2024
4

QUY CHẾ
Tổ chức và hoạt động của trường phổ thông dân tộc nội trú
(Ban hành kèm theo Quyết định số 15/2024/QĐ-UBND ngày 02/01/2024 của Ủy ban nhân dân tỉnh Bắc Giang)

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Quy chế này quy định về tổ chức và hoạt động của trường phổ thông dân tộc nội trú.
Điều 2. Tuyển sinh
1. Trường tuyển sinh học sinh người dân tộc thiểu số có hộ khẩu thường trú tại các xã đặc biệt khó khăn.
2. Chỉ tiêu tuyển sinh hằng năm do Sở Giáo dục và Đào tạo giao.
Điều 3. Hội đồng tuyển sinh
Hội đồng tuyển sinh của trường gồm các thành viên sau đây:
1. Chủ tịch Hội đồng: Hiệu trưởng Nguyễn Thị Lan.
2. Thư ký Hội đồng: Trần Văn Bình.

Chương II
HOẠT ĐỘNG GIÁO DỤC

Điều 4. Thời khóa biểu mẫu của khối 6

THỨ HAI

CHÀO CỜ

NGỮ VĂN

THỨ BA

TIẾNG ANH

LỊCH SỬ
"""


@pytest.fixture(scope="module")
def decision(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("decision")
    (folder / "qd-15-2024.txt").write_text(DECISION, encoding="utf-8")
    settings = Settings(index_dir=tmp_path_factory.mktemp("decision-index"))
    build_index(folder, settings, show_progress=False, embedder=embedder)
    return folder / "qd-15-2024.txt", SearchEngine(settings, embedder=embedder)


def test_a_decision_is_read_with_its_header_facts(decision):
    meta = parse_file(decision[0], "qd.txt").meta
    assert (meta.number, meta.date, meta.doc_type) == ("15/2024/QĐ-UBND", "2024-01-02", "Quyết định")
    assert meta.title == ("QUYẾT ĐỊNH Ban hành Quy chế tổ chức và hoạt động của trường phổ thông dân tộc nội trú "
                          "trên địa bàn tỉnh Bắc Giang")
    assert (meta.issuer_short, meta.province) == ("UBND tỉnh Bắc Giang", "Bắc Giang")
    assert meta.authority == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG"


def test_every_article_of_a_decision_is_a_searchable_section(decision):
    _, engine = decision
    top = engine.search("Quyết định có hiệu lực kể từ ngày 15 tháng 01 năm 2024", k=1)[0]
    assert top.section == "Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2024."
    duty = engine.search("ai chịu trách nhiệm thi hành Quyết định", k=1)[0]
    assert duty.section.startswith("Điều 3. Giám đốc Sở Giáo dục và Đào tạo")
    sections = [s.path_text for s in parse_file(decision[0], "qd.txt").sections]
    assert not any("QUYẾT ĐỊNH" in p or "CHỦ TỊCH" in p for p in sections)  # the formula and authority are text


def test_a_regulation_attached_after_the_signature_is_cited_by_its_own_heading_path(decision):
    _, engine = decision
    top = engine.search("tuyển sinh học sinh người dân tộc thiểu số xã đặc biệt khó khăn", k=1)[0]
    assert top.section.startswith("QUY CHẾ Tổ chức và hoạt động của trường phổ thông dân tộc nội trú › "
                                  "Chương I. QUY ĐỊNH CHUNG › Điều 2. Tuyển sinh")


def test_who_holds_a_post_named_in_an_articles_list_is_answered_with_the_person(decision):
    result = answer(decision[1], "Ai là Chủ tịch Hội đồng tuyển sinh của trường?")
    assert "Chủ tịch Hội đồng: Hiệu trưởng Nguyễn Thị Lan." in result.short
    assert result.citation.endswith("Điều 3. Hội đồng tuyển sinh”")


def test_a_table_of_capitalised_cells_is_text_not_headings(decision):
    _, engine = decision
    top = engine.search("thời khóa biểu ngữ văn tiếng anh", k=1)[0]
    assert top.section.endswith("Điều 4. Thời khóa biểu mẫu của khối 6")
    assert "NGỮ VĂN" in top.text and "TIẾNG ANH" in top.text


def test_only_named_boilerplate_is_left_out_and_the_rest_is_counted(decision):
    parsed = parse_file(decision[0], "qd.txt")
    texts = "\n".join(c.text for c in parsed.chunks)
    assert "Nguyễn Văn An" not in texts and "Lưu: VT" not in texts and "CÔNG BÁO" not in texts
    assert parsed.coverage.ratio == 1.0
    assert set(parsed.coverage.removed) == {"page", "header", "title", "recipients", "signature"}


def test_the_index_report_gives_each_files_coverage(decision, capsys, tmp_path):
    assert main(["index", str(decision[0].parent), "--json", "--quiet", "--index-dir", str(tmp_path)]) == 0
    [report] = json.loads(capsys.readouterr().out)
    assert report["coverage"]["ratio"] == 1.0 and report["coverage"]["lost"] == 0 and not report["coverage"]["low"]


def test_low_coverage_is_flagged_with_what_was_lost():
    coverage = Coverage(characters=1_000, indexed=720, removed={"header": 100}, lost_samples=["Điều 4. …"])
    assert coverage.ratio == pytest.approx(0.8) and coverage.low and coverage.to_json()["low"]
    assert coverage.note().startswith("chỉ 80% nội dung được đưa vào chỉ mục: 180 ký tự")
    assert Coverage(characters=100, indexed=96).note() is None


@pytest.mark.slow  # OCR or a whole index build: out of the quick loop
@pytest.mark.parametrize("restore", [True, False])
def test_a_document_without_diacritics_is_found_by_a_question_typed_with_them(tmp_path, embedder, restore):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "003.txt").write_bytes(sample("003").read_bytes())
    (folder / "000.txt").write_bytes(sample("000").read_bytes())
    (folder / "001-ocr.txt").write_text(strip_diacritics(sample("001").read_text(encoding="utf-8")),
                                        encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", restore_diacritics=restore)
    build_index(folder, settings, show_progress=False, embedder=embedder)
    engine = SearchEngine(settings, embedder=embedder)
    question = "củng cố và nâng cao chất lượng phổ cập giáo dục, xoá mù chữ và phân luồng học sinh"
    docs = [h.doc for h in engine.search(question, k=3, mode="lexical")]
    assert (docs[0] == "001-ocr.txt") == restore  # without diacritics put back, it loses to accented plans
    shown = engine.search(question, k=10, mode="lexical")
    assert any("cung co va nang cao chat luong pho cap giao duc" in h.text.lower() for h in shown)


LEGAL = SHARED / "samples-legal"


@pytest.mark.skipif(not LEGAL.is_dir(), reason="shared/samples-legal is not beside the repository")
def test_national_legal_texts_keep_their_text_and_header_facts():
    expected = [json.loads(line) for line in (LEGAL / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
    parsed = [parse_file(LEGAL / item["file"], item["file"]) for item in expected]
    assert min(p.coverage.ratio for p in parsed) >= 0.98
    for field, wanted in (("doc_type", "type"), ("number", "number"), ("date", "date")):
        matches = sum(getattr(p.meta, field) == item[wanted] for p, item in zip(parsed, expected))
        assert matches >= 0.95 * len(expected), field


WEB_PAGE = """| UBND HUYỆN HIỆP HÒA<br>**PHÒNG GIÁO DỤC VÀ ĐÀO TẠO** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>Độc lập - Tự do - Hạnh phúc |
|---|---|
| Số: 312 /PGDĐT-THCS<br>V/v hướng dẫn tổ chức ngày hội đọc sách năm 2023 | Hiệp Hòa, ngày 12 tháng 4 năm 2023 |

Kính gửi: Hiệu trưởng các trường THCS trên địa bàn huyện.

Thực hiện Công văn số 560/SGDĐT-GDTrH ngày 03/4/2023 của Sở Giáo dục và Đào tạo Bắc Giang, Phòng Giáo dục
và Đào tạo hướng dẫn các trường tổ chức ngày hội đọc sách như sau:

## 1. Thời gian

Từ ngày 20/4/2023 đến hết ngày 23/4/2023, tại thư viện của các trường.
"""


def test_a_letter_saved_from_a_web_page_as_markdown_keeps_its_header_facts(tmp_path):
    path = tmp_path / "cong-van-312.txt"
    path.write_text(WEB_PAGE, encoding="utf-8")
    parsed = parse_file(path, path.name)
    meta = parsed.meta
    assert (meta.number, meta.date, meta.doc_type) == ("312/PGDĐT-THCS", "2023-04-12", "Công văn")
    assert meta.title == "V/v hướng dẫn tổ chức ngày hội đọc sách năm 2023"
    assert (meta.issuer_short, meta.province) == ("Phòng Giáo dục và Đào tạo huyện Hiệp Hòa", "Bắc Giang")
    assert [s.path_text for s in parsed.sections] == ["", "1. Thời gian"]
    assert "|" not in parsed.text and "**" not in parsed.text
