from indexer.ingest import parse_file
from tests.conftest import sample


def paths(prefix: str) -> list[str]:
    return [s.path_text for s in parse_file(sample(prefix), sample(prefix).name).sections]


def test_sample_003_heading_tree():
    found = paths("003")
    assert "I. MỤC ĐÍCH, YÊU CẦU › 1. Mục đích" in found
    assert "II. MỤC TIÊU › 1. Giai đoạn 2021 - 2025" in found
    assert "II. MỤC TIÊU › 2. Giai đoạn 2026 - 2030" in found
    assert "IV. TỔ CHỨC THỰC HIỆN › 3. Sở Tài chính" in found
    assert "IV. TỔ CHỨC THỰC HIỆN › 4. Sở Nội vụ" in found
    assert "IV. TỔ CHỨC THỰC HIỆN › 2. Sở Kế hoạch và Đầu tư" in found
    lettered = [p for p in found if p.startswith("IV. TỔ CHỨC THỰC HIỆN › 1. Sở Giáo dục và Đào tạo › ")]
    assert [p.split(" › ")[2][:2] for p in lettered] == ["a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)", "i)", "k)"]
    assert found[-1] == "Chú thích"  # footnotes after the signature get their own section


def test_sample_001_heading_tree():
    found = paths("001")
    assert found[0] == ""  # the preamble before the first heading
    assert "I. MỤC ĐÍCH, YÊU CẦU" in found
    assert "II. NHIỆM VỤ VÀ GIẢI PHÁP › 1. Tăng cường công tác tuyên truyền, quán triệt, tạo sự đồng thuận " \
           "trong việc thực hiện nghị quyết" in found
    assert any(p.startswith("III. TỔ CHỨC THỰC HIỆN › 3. Ban Tuyên giáo Huyện ủy") for p in found)


def test_sample_000_programmes_are_top_level_sections():
    found = paths("000")
    assert [p.split(":")[0] for p in found] == [f"Chương trình {n}" for n in range(1, 6)]


def test_sample_002_news_article_has_no_headings():
    assert set(paths("002")) == {""}


def test_chunks_stay_inside_sections_and_carry_their_place():
    parsed = parse_file(sample("003"), "003.txt")
    finance = [c for c in parsed.chunks if c.section == "IV. TỔ CHỨC THỰC HIỆN › 3. Sở Tài chính"]
    assert len(finance) == 1
    assert finance[0].text.startswith("Chủ trì, phối hợp với Sở Giáo dục và Đào tạo")
    assert "bố trí nguồn kinh phí" in parsed.text[finance[0].start:finance[0].end]
    for chunk in parsed.chunks:
        assert 1 <= len(chunk.text.split()) <= 260
    assert len({c.id for c in parsed.chunks}) == len(parsed.chunks)


def test_boilerplate_is_not_searchable():
    texts = " ".join(c.text for c in parse_file(sample("003"), "003.txt").chunks)
    assert "Nơi nhận" not in texts and "Dương Xuân Huyên" not in texts and "Độc lập - Tự do" not in texts
    web = " ".join(c.text for c in parse_file(sample("004"), "004.txt").chunks)
    assert "Thống kê truy cập" not in web and "Email:" not in web
    news = " ".join(c.text for c in parse_file(sample("002"), "002.txt").chunks)
    assert "Trang chủ >" not in news and "image001.jpg" not in news


def test_chunk_ids_do_not_depend_on_other_documents():
    first = [c.id for c in parse_file(sample("001"), "001.txt").chunks]
    parse_file(sample("003"), "003.txt")
    assert [c.id for c in parse_file(sample("001"), "001.txt").chunks] == first


def test_a_document_that_is_only_its_title_is_indexed_by_its_title(tmp_path):
    path = tmp_path / "qd.txt"
    path.write_text("QUYẾT ĐỊNH\nVề việc công nhận trường đạt chuẩn quốc gia mức độ 2 đối với Trường Tiểu học "
                    "Hoàng Hoa Thám\n", encoding="utf-8")
    parsed = parse_file(path, path.name)
    assert parsed.meta.title and "Hoàng Hoa Thám" in parsed.meta.title
    assert any("Trường Tiểu học Hoàng Hoa Thám" in c.text for c in parsed.chunks)


def test_short_clauses_of_an_article_are_its_text_not_sections_of_their_own(tmp_path):
    path = tmp_path / "qd.txt"
    path.write_text("Điều 5. Mức, thời gian hỗ trợ và phương thức chi trả\n1. Mức hỗ trợ: 500.000 đồng/người/tháng.\n"
                    "2. Thời gian hỗ trợ: Tối đa 3 tháng.\n3. Phương thức chi trả: Hằng tháng.\n"
                    "Điều 6. Hiệu lực thi hành\nĐiều 7. Tổ chức thực hiện\nCác bộ, ngành chịu trách nhiệm thi hành.\n",
                    encoding="utf-8")
    sections = parse_file(path, path.name).sections
    assert [(s.path_text, s.text) for s in sections] == [
        ("Điều 5. Mức, thời gian hỗ trợ và phương thức chi trả",
         "1. Mức hỗ trợ: 500.000 đồng/người/tháng.\n2. Thời gian hỗ trợ: Tối đa 3 tháng.\n"
         "3. Phương thức chi trả: Hằng tháng."),
        ("Điều 6. Hiệu lực thi hành", "Điều 6. Hiệu lực thi hành"),  # an article with nothing beneath is its text
        ("Điều 7. Tổ chức thực hiện", "Các bộ, ngành chịu trách nhiệm thi hành."),
    ]


def test_a_long_one_sentence_clause_followed_by_its_sibling_is_text_not_a_heading(tmp_path):
    path = tmp_path / "dieu.txt"
    path.write_text("Tên gọi của tổ chức\n\n1. Tổ chức phải có tên gọi bằng tiếng Việt.\n\n"
                    "2. Tên gọi của tổ chức phải thể hiện rõ loại hình của tổ chức và phân biệt với các tổ chức khác "
                    "cùng hoạt động trong một lĩnh vực trên cùng địa bàn tỉnh, thành phố trực thuộc trung ương.\n\n"
                    "3. Tổ chức phải sử dụng tên gọi của mình trong giao dịch.\n", encoding="utf-8")
    sections = parse_file(path, path.name).sections
    assert [s.path_text for s in sections] == [""]
    assert sections[0].text.startswith("1. Tổ chức") and sections[0].text.endswith("trong giao dịch.")


def test_sibling_headings_with_the_same_name_take_their_first_words():
    """`b) Chủ trì tham mưu` five times in an outline: the PDF broke each line before its object."""
    lettered = [p.split(" › ")[2] for p in paths("003")
                if p.startswith("IV. TỔ CHỨC THỰC HIỆN › 1. Sở Giáo dục và Đào tạo › ")]
    assert len(set(lettered)) == len(lettered)
    assert "b) Chủ trì tham mưu UBND tỉnh xây dựng và triển khai thực hiện Đề án “Đầu…" in lettered  # as few words as tell them apart


def test_a_figure_that_opens_a_line_is_not_a_heading():
    from indexer.layout import Paragraph
    from indexer.sections import build_sections

    sections = build_sections([Paragraph("1. Cấp tiểu học", None, None),
                               Paragraph("Bậc tiểu học có 30 phòng máy, bình quân", None, None),
                               Paragraph("9.84 máy tính/phòng máy, 34.4 học sinh/máy tính.", None, None),
                               Paragraph("2.1. Cơ sở vật chất", None, None),
                               Paragraph("Đủ phòng học.", None, None)])
    assert [s.path_text for s in sections] == ["1. Cấp tiểu học", "1. Cấp tiểu học › 2.1. Cơ sở vật chất"]


def test_a_scrap_of_an_ocr_table_is_not_a_heading():
    from indexer.layout import Paragraph
    from indexer.sections import build_sections

    sections = build_sections([Paragraph("PHỤ LỤC 2", None, None), Paragraph("[2209| 3 | 9% |3 | % [| TL TL. |.", None, None),
                               Paragraph("Tiểu học Hoàng Thanh 10 302", None, None)])
    assert [s.heading for s in sections] == ["PHỤ LỤC 2"]


def test_a_clause_that_opens_with_ban_hanh_or_truong_hop_is_text_not_an_agencys_duties(tmp_path):
    """`Ban` and `Trường` open agencies' names (`Ban Tuyên giáo`, `Trường THPT …`), not `Ban hành …` or
    `Trường hợp …`: such a long clause of one sentence is the article's text."""
    path = tmp_path / "trach-nhiem.txt"
    path.write_text("Trách nhiệm của Bộ Quốc phòng\n\n"
                    "1. Ban hành hoặc trình cơ quan nhà nước có thẩm quyền ban hành và hướng dẫn thi hành văn bản quy "
                    "phạm pháp luật về an ninh mạng trong phạm vi quản lý của bộ, ngành mình.\n\n"
                    "2. Trường hợp phát hiện nguy cơ đe dọa an ninh mạng thì phối hợp với các bộ, ngành có liên quan "
                    "để xử lý kịp thời theo thẩm quyền được giao.\n\n"
                    "3. Báo cáo Chính phủ kết quả thực hiện hằng năm.\n", encoding="utf-8")
    assert [s.path_text for s in parse_file(path, path.name).sections] == [""]
