"""The command-line contract that later work and outside checks rely on."""

import json

from tests.conftest import DOCUMENTS
from ui.cli import main


def test_search_json_contract(sample_settings, capsys):
    code = main(["search", "Quyết định 1895/QĐ-TTg", "-k", "2", "--json", "--index-dir", str(sample_settings.index_dir)])
    assert code == 0
    results = json.loads(capsys.readouterr().out)
    assert len(results) == 2
    assert results[0]["doc"].startswith("003_") and "1895/QĐ-TTg" in results[0]["text"]
    for key in ("doc", "title", "number", "section", "pages", "text", "score", "citation"):
        assert key in results[0]


def test_search_many_queries_from_a_file(sample_settings, tmp_path, capsys):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a", "q": "Sở Nội vụ biên chế"}\n{"id": "b", "q": "giấy khen chi bộ"}\n', encoding="utf-8")
    assert main(["search", "--queries", str(queries), "--json", "--index-dir", str(sample_settings.index_dir)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[1]["results"][0]["doc"].startswith("004_")


def test_eval_prints_metrics_and_misses(sample_settings, tmp_path, capsys):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "t", "q": "Sở Tài chính bố trí kinh phí", "docs": ["003"], "gold": ["Sở Tài chính"]}\n'
                       '{"id": "u", "q": "trường chuyên", "docs": ["000"], "gold": ["không có chuỗi này"]}\n',
                       encoding="utf-8")
    assert main(["eval", str(queries), "--json", "--index-dir", str(sample_settings.index_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["metrics"]["hit@1"] == 0.5
    assert [m["id"] for m in out["misses"]] == ["u"]


def test_missing_index_and_missing_model_say_what_to_do(tmp_path, capsys):
    assert main(["search", "giáo dục", "--index-dir", str(tmp_path / "none")]) == 1
    assert "edusearch index" in capsys.readouterr().err
    code = main(["index", str(DOCUMENTS), "--index-dir", str(tmp_path / "i"), "--model", "no-such/model-xyz", "--quiet"])
    assert code == 1
    assert "embedding model 'no-such/model-xyz' is not on this machine" in capsys.readouterr().err


def test_ask_prints_the_answer_its_citation_and_marked_passages(sample_settings, capsys):
    assert main(["ask", "Sở nào bố trí kinh phí thực hiện kế hoạch?", "--index-dir", str(sample_settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Trả lời: ")
    assert "Nguồn: Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn, mục IV.3 (Sở Tài chính)" in out
    assert "»" in out and "«" in out
    assert main(["ask", "Sở nào bố trí kinh phí?", "--json", "--index-dir", str(sample_settings.index_dir)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["short_answer"] and result["passages"][0]["answer_sentences"]


def test_topics_writes_a_csv_with_a_byte_order_mark(sample_settings, tmp_path, capsys):
    target = tmp_path / "chủ đề.csv"
    code = main(["topics", "học sinh dân tộc nội trú, bán trú", "--csv", str(target), "--index-dir",
                 str(sample_settings.index_dir)])
    assert code == 0
    assert "1 văn bản đề cập chủ đề" in capsys.readouterr().out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mức độ,Tìm thấy,Văn bản,Số hiệu,Cơ quan ban hành") and len(lines) >= 2


def test_model_says_whether_the_model_reads_vietnamese_and_how_to_change_it(capsys):
    assert main(["model"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Mô hình multilingual-e5-small: đa ngữ")
    assert "EDUSEARCH_MODEL=" in out and "edusearch index --rebuild" in out
    assert main(["model", "--model", "all-MiniLM-L6-v2"]) == 0
    assert capsys.readouterr().out.startswith("Mô hình all-MiniLM-L6-v2: chỉ hiểu tiếng Anh")
    assert main(["model", "--model", "/models/multilingual-e5-small"]) == 0
    assert "KHÔNG DÙNG ĐƯỢC" in capsys.readouterr().out


def test_expand_option_switches_query_expansion(sample_settings, capsys):
    base = ["search", "What does the Department of Finance do to fund the plan?", "-k", "1", "--json",
            "--index-dir", str(sample_settings.index_dir)]
    assert main(base) == 0
    assert json.loads(capsys.readouterr().out)[0]["citation"].endswith("mục IV.3 (Sở Tài chính)")
    assert main(base + ["--expand", "bogus"]) == 1
    assert "unknown expansion bogus" in capsys.readouterr().err


def test_targets_filters_by_abbreviated_indicator_and_period_and_writes_csv(sample_settings, tmp_path, capsys):
    table = tmp_path / "chi-tieu.csv"
    assert main(["targets", "--indicator", "tot nghiep THPT", "--period", "2024", "--csv", str(table), "--json",
                 "--index-dir", str(sample_settings.index_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["comparator"], r["value"], r["unit"], r["period"]) for r in rows] == [
        ("trên", 90.0, "%", "2021 - 2025"), ("trên", 97.0, "%", "2021 - 2025")]
    assert rows[1]["citation"] == "Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn, mục II.1 (Giai đoạn 2021 - 2025)"
    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Văn bản,Tỉnh/thành,Huyện/thành phố/xã,Cơ quan ban hành,Chỉ tiêu,Cấp học")
    assert len(lines) == 3 and "Trên 97% học sinh tốt nghiệp trung học phổ thông." in lines[2]


def test_targets_by_level_and_province(sample_settings, capsys):
    assert main(["targets", "--level", "GDNN", "--province", "Lạng Sơn", "--index-dir",
                 str(sample_settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "2021 - 2025: đạt 65 % · tỷ lệ lao động qua đào tạo [GDNN]" in out
    assert "2026 - 2030: đạt 76 % · tỷ lệ lao động qua đào tạo [GDNN]" in out
    assert main(["targets", "--province", "Quảng Ninh", "--index-dir", str(sample_settings.index_dir)]) == 0
    assert "Không có chỉ tiêu nào phù hợp." in capsys.readouterr().out


def test_lineage_tells_implementing_plans_from_passing_mentions(sample_settings, capsys):
    assert main(["lineage", "51-KL/TW", "--index-dir", str(sample_settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "51-KL/TW là số hiệu của 2 văn bản khác nhau: ngày 29/10/2012; ngày 30/05/2019." in out
    assert ("qua 97-KH/TU ngày 15/08/2019: thực hiện 97-KH/TU ngày 15/08/2019 → thực hiện 51-KL/TW ngày "
            "30/05/2019") in out
    assert "Chỉ nhắc đến 51-KL/TW (không nói là thực hiện):" in out


def test_lineage_of_a_code_and_its_date(sample_settings, capsys):
    assert main(["lineage", "51-KL/TW ngày 29/10/2012", "--index-dir", str(sample_settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "Không văn bản nào trong chỉ mục nói rằng mình thực hiện 51-KL/TW." in out
    assert "97-KH/TU" not in out  # 001 implements the other 51-KL/TW


def test_eval_scores_target_annotations(sample_settings, capsys):
    annotations = DOCUMENTS.parent / "tests" / "indexer" / "data" / "targets_003.jsonl"
    assert main(["eval", str(annotations), "--json", "--index-dir", str(sample_settings.index_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["metrics"] == {"targets precision": 1.0, "targets recall": 1.0}


def test_status_lists_each_plan_with_its_period_and_what_it_implements(sample_settings, capsys):
    assert main(["status", "--check", "--index-dir", str(sample_settings.index_dir)]) == 0
    out = capsys.readouterr().out
    assert ("003_57e12f6a00bab054.txt: Kế hoạch 43/KH-UBND 2022-02-23 Lạng Sơn "
            "(giai đoạn 2021 - 2025, định hướng đến năm 2030); thực hiện 63-NQ/TU") in out
    assert "Kiểm tra: toàn vẹn" in out
