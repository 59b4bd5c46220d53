"""Lineage (which plan implements which higher document), plan periods and status (replaced, amended)."""

from __future__ import annotations

import pytest

from indexer.build import build_index
from runtime.settings import Settings
from search.target_table import TargetFilters, target_rows
from search.engine import SearchEngine
from search.lexicon import Lexicon
from search.lineage import IMPLEMENTS, LineageGraph, asked_code
from indexer.facets import Filters
from ui.text import lineage_text


def _prefix(doc: str) -> str:
    return doc[:3]


@pytest.fixture(scope="module")
def graph(engine) -> LineageGraph:
    return LineageGraph(engine.index.documents)


def test_001_implements_51_kl_tw_through_97_kh_tu(graph):
    result = graph.lineage("51-KL/TW")
    [plan] = result.implementing
    assert _prefix(plan.doc) == "001"
    chains = [[(s.relation, s.code) for s in c.steps] for c in plan.chains]
    assert [(IMPLEMENTS, "97-KH/TU"), (IMPLEMENTS, "51-KL/TW")] in chains
    assert [_prefix(m.doc) for m in result.mentioning] == ["000", "002"]


def test_two_documents_sharing_51_kl_tw_are_told_apart_by_their_dates(graph):
    """002 cites 51-KL/TW of 29/10/2012 (Ban Chấp hành Trung ương); 000 and 001 cite 51-KL/TW of 30/5/2019
    (Ban Bí thư)."""
    result = graph.lineage("51-KL/TW")
    assert result.dates == ["2012-10-29", "2019-05-30"] and not result.undecided
    [plan] = result.implementing
    assert plan.reaches == ["2019-05-30"]
    assert {_prefix(m.doc): m.date for m in result.mentioning} == {"000": "2019-05-30", "002": "2012-10-29"}
    assert "thực hiện 51-KL/TW ngày 30/05/2019" in [c.text().split(" → ")[-1] for c in plan.chains]

    older = graph.lineage(*asked_code("Kết luận 51-KL/TW ngày 29/10/2012"))
    assert older.implementing == [] and [_prefix(m.doc) for m in older.mentioning] == ["002"]
    newer = graph.lineage("51-KL/TW", "2019-05-30")
    assert [_prefix(p.doc) for p in newer.implementing] == ["001"]
    assert [_prefix(m.doc) for m in newer.mentioning] == ["000"]


OLDER, NEWER = "Kết luận số 51-KL/TW ngày 29/10/2012 của Ban Chấp hành Trung ương", \
    "Kết luận số 51-KL/TW ngày 30/5/2019 của Ban Bí thư"
UNDATED = "Kết luận số 51-KL/TW của Ban Bí thư"


def test_a_plan_that_does_not_date_a_shared_code_is_said_to_be_undecided(tmp_path, embedder):
    result = _lineage_in(tmp_path, embedder, {"a.txt": OLDER, "b.txt": NEWER, "c.txt": UNDATED}).lineage("51-KL/TW")
    assert result.dates == ["2012-10-29", "2019-05-30"] and result.undecided
    assert {p.doc: p.reaches for p in result.implementing} == {"a.txt": ["2012-10-29"], "b.txt": ["2019-05-30"],
                                                              "c.txt": [None]}
    assert "không xác định được là văn bản nào" in lineage_text(result)


def test_an_undated_citation_joins_the_one_dated_document_of_its_code(tmp_path, embedder):
    result = _lineage_in(tmp_path, embedder, {"a.txt": NEWER, "c.txt": UNDATED}).lineage("51-KL/TW")
    assert result.dates == ["2019-05-30"] and not result.undecided
    assert {p.doc: p.reaches for p in result.implementing} == {"a.txt": ["2019-05-30"], "c.txt": ["2019-05-30"]}


def _lineage_in(tmp_path, embedder, implemented: dict[str, str]) -> LineageGraph:
    """Plans of one district, each implementing the document named in `implemented` by its file name."""
    corpus = tmp_path / "plans"
    corpus.mkdir()
    for number, (name, document) in enumerate(sorted(implemented.items()), start=1):
        (corpus / name).write_text(
            f"ỦY BAN NHÂN DÂN\nHUYỆN HIỆP HÒA\nSố: {number}/KH-UBND\nHiệp Hòa, ngày 10 tháng 3 năm 2020\n"
            f"KẾ HOẠCH\nTriển khai công tác giáo dục năm 2020\nThực hiện {document}, UBND huyện ban hành kế "
            "hoạch như sau:\nI. MỤC TIÊU\nPhấn đấu 95% trẻ mẫu giáo được huy động đến trường.\n", encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index")
    build_index(corpus, settings, show_progress=False, embedder=embedder)
    return LineageGraph(SearchEngine(settings, embedder=embedder).index.documents)


def test_003_implements_63_nq_tu(graph):
    [plan] = graph.lineage("63-NQ/TU").implementing
    assert _prefix(plan.doc) == "003" and plan.direct
    assert [c.text() for c in graph.ancestors(plan.doc)] == ["thực hiện 63-NQ/TU ngày 29/12/2021"]


def test_05_ct_tw_is_only_mentioned_in_passing_by_001_and_003(graph):
    result = graph.lineage("05-CT/TW")
    assert result.implementing == []
    assert [_prefix(m.doc) for m in result.mentioning] == ["001", "003"]


def test_a_code_nobody_cites_has_an_empty_lineage(graph):
    result = graph.lineage("99-NQ/TW")
    assert (result.implementing, result.mentioning, result.bearer) == ([], [], None)


def test_the_period_of_a_plan_is_shown_beside_its_citations(engine):
    hit = next(h for h in engine.search("học sinh tốt nghiệp trung học phổ thông", k=5) if h.doc.startswith("003"))
    assert hit.plan_note == "giai đoạn 2021 - 2025, định hướng đến năm 2030"
    assert engine.index.documents[hit.doc].meta.period_end == 2030


def test_the_period_filter_keeps_only_plans_whose_period_covers_the_year(engine):
    for mode in ("lexical", "dense", "hybrid"):
        covered = engine.search("giáo dục", k=20, filters=Filters(period=2028), mode=mode)
        assert covered and {_prefix(h.doc) for h in covered} == {"003"}
        assert engine.search("giáo dục", k=20, filters=Filters(period=2040), mode=mode) == []


PLAN = """ỦY BAN NHÂN DÂN
TỈNH BẮC GIANG
Số: 12/KH-UBND
Bắc Giang, ngày 10 tháng 3 năm 2021
KẾ HOẠCH
THỰC HIỆN NGHỊ QUYẾT SỐ 29-NQ/TW VỀ GIÁO DỤC GIAI ĐOẠN 2021 - 2025
Thực hiện Nghị quyết số 29-NQ/TW ngày 04/11/2013 của Ban Chấp hành Trung ương, UBND tỉnh ban hành kế hoạch như sau:
I. MỤC TIÊU
Phấn đấu 95% trẻ mẫu giáo được huy động đến trường; kiên cố hóa trường lớp học.
"""
REPLACEMENT = """ỦY BAN NHÂN DÂN
TỈNH BẮC GIANG
Số: 40/KH-UBND
Bắc Giang, ngày 5 tháng 6 năm 2023
KẾ HOẠCH
THỰC HIỆN NGHỊ QUYẾT SỐ 29-NQ/TW VỀ GIÁO DỤC GIAI ĐOẠN 2023 - 2030
Căn cứ Kế hoạch số 12/KH-UBND ngày 10/3/2021 của UBND tỉnh; UBND tỉnh ban hành kế hoạch như sau:
I. MỤC TIÊU
Phấn đấu 98% trẻ mẫu giáo được huy động đến trường; kiên cố hóa trường lớp học.
II. TỔ CHỨC THỰC HIỆN
Kế hoạch này thay thế Kế hoạch số 12/KH-UBND ngày 10/3/2021 của UBND tỉnh Bắc Giang.
"""
AMENDMENT = """ỦY BAN NHÂN DÂN
TỈNH BẮC GIANG
Số: 41/KH-UBND
Bắc Giang, ngày 1 tháng 9 năm 2023
KẾ HOẠCH
Sửa đổi, bổ sung một số nội dung của Kế hoạch số 40/KH-UBND ngày 5/6/2023 về giáo dục
I. NỘI DUNG SỬA ĐỔI
Bổ sung nhiệm vụ chuyển đổi số trong trường học, kiên cố hóa trường lớp học.
"""


@pytest.fixture(scope="module")
def changed_engine(tmp_path_factory, embedder) -> SearchEngine:
    corpus = tmp_path_factory.mktemp("changed-corpus")
    for name, text in (("a-2021.txt", PLAN), ("b-2023.txt", REPLACEMENT), ("c-2023.txt", AMENDMENT)):
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(index_dir=tmp_path_factory.mktemp("changed-index"))
    build_index(corpus, settings, show_progress=False, embedder=embedder)
    return SearchEngine(settings, embedder=embedder)


def test_a_replaced_plan_says_so_beside_its_citations(changed_engine):
    assert changed_engine.index.plan_note("a-2021.txt") == \
        "giai đoạn 2021 - 2025; đã bị thay thế bởi Kế hoạch số 40/KH-UBND ngày 05/06/2023 của UBND tỉnh Bắc Giang"
    assert changed_engine.index.plan_note("b-2023.txt") == \
        "giai đoạn 2023 - 2030; đã được sửa đổi, bổ sung bởi Kế hoạch số 41/KH-UBND ngày 01/09/2023 của UBND tỉnh Bắc Giang"


def test_current_plans_only_leaves_out_the_replaced_one(changed_engine):
    for mode in ("lexical", "dense", "hybrid"):
        every = {h.doc for h in changed_engine.search("kiên cố hóa trường lớp học", k=10, mode=mode)}
        current = {h.doc for h in changed_engine.search("kiên cố hóa trường lớp học", k=10, mode=mode,
                                                        filters=Filters(current=True))}
        assert every == {"a-2021.txt", "b-2023.txt", "c-2023.txt"}
        assert current == {"b-2023.txt", "c-2023.txt"}


def test_lineage_follows_a_basis_and_tells_it_from_implementation(changed_engine):
    graph = LineageGraph(changed_engine.index.documents)
    result = graph.lineage("29-NQ/TW")
    assert [p.doc for p in result.implementing] == ["a-2021.txt", "b-2023.txt"]
    through = [c.text() for c in graph.ancestors("b-2023.txt")]
    assert "căn cứ 12/KH-UBND ngày 10/03/2021 → thực hiện 29-NQ/TW ngày 04/11/2013" in through
    assert [p.doc for p in graph.descendants("a-2021.txt")] == ["b-2023.txt"]


def test_the_target_table_can_leave_out_replaced_plans(changed_engine):
    lexicon = Lexicon.load()
    every = target_rows(changed_engine.index, lexicon, TargetFilters(indicator="tre mau giao"))
    assert [(r.target.doc, r.target.value_text, r.replaced_by != []) for r in every] == \
        [("a-2021.txt", "95", True), ("b-2023.txt", "98", False)]
    current = target_rows(changed_engine.index, lexicon, TargetFilters(indicator="tre mau giao", current=True))
    assert [r.target.doc for r in current] == ["b-2023.txt"]
