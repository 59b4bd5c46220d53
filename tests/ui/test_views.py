from search.engine import Hit
from ui.views import highlight, results_html


def test_document_text_is_escaped_and_query_words_marked():
    marked = highlight("<script>alert(1)</script> Giáo dục & đào tạo", "giao duc")
    assert "<script>" not in marked and "&lt;script&gt;" in marked
    assert "<mark>Giáo</mark> <mark>dục</mark> &amp; đào tạo" in marked


def test_results_escape_citations_too():
    hit = Hit(doc="a<b>.txt", title=None, number=None, section="", section_ordinal=0, pages=[], text="x", score=1.0, plan_note="",
              citation="<img src=x onerror=alert(1)>", chunk_id="c", lexical_rank=1, dense_rank=None)
    page = results_html([hit], "x")
    assert "<img" not in page and "a&lt;b&gt;.txt" in page


def test_the_library_says_how_much_of_a_document_is_searchable_and_what_was_left_out():
    from indexer.coverage import Coverage
    from indexer.metadata import DocumentMeta
    from indexer.store import StoredDocument
    from ui.views import metadata_html

    coverage = Coverage(characters=1_000, indexed=850, removed={"header": 100, "signature": 50})
    stored = StoredDocument("qd.txt", "0" * 64, DocumentMeta(authority="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG"),
                            "", None, [], coverage)
    page = metadata_html(stored)
    assert "100% (không tính phần đầu văn bản 100, chữ ký 50 ký tự)" in page
    assert "Thẩm quyền ban hành" in page and "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG" in page
    lossy = StoredDocument("bc.txt", "0" * 64, DocumentMeta(), "", None, [], Coverage(characters=100, indexed=50))
    assert "chỉ 50% nội dung được đưa vào chỉ mục" in metadata_html(lossy)
