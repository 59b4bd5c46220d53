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
