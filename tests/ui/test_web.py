"""The web app: its JSON API through gradio_client, and the pages in a real headless browser."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from gradio_client import Client

from indexer.build import build_index
from runtime.settings import Settings
from search.engine import SearchEngine
from tests.conftest import DOCUMENTS
from tests.ui.running import browser_page, open_app, open_tab, running_app, screenshot_target

pytestmark = pytest.mark.slow

LANG_SON = "Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn"


@pytest.fixture(scope="module")
def app_url(engine):
    with running_app(engine, DOCUMENTS) as url:
        yield url


def test_api_search_and_topics_return_cited_json(app_url):
    client = Client(app_url, verbose=False)
    hits = client.predict("so nao bo tri kinh phi thuc hien ke hoach", api_name="/search")
    assert hits[0]["citation"] == f"{LANG_SON}, mục IV.3 (Sở Tài chính)"
    filtered = client.predict("giáo dục", "Gia Lai", "", 0, 5, api_name="/search")
    assert filtered and all(h["doc"].startswith("002_") for h in filtered)
    topics = client.predict("học sinh dân tộc nội trú, bán trú", api_name="/topics")
    assert [p["number"] for p in topics["plans"]] == ["43/KH-UBND"]
    assert all(e["citation"].startswith(LANG_SON) for e in topics["plans"][0]["evidence"])
    answer = client.predict("Sở nào bố trí kinh phí?", api_name="/ask")
    assert answer["citation"] == f"{LANG_SON}, mục IV.3 (Sở Tài chính)" and answer["short_answer"]


@pytest.mark.parametrize("path", ["/etc/passwd", "INDEX/CURRENT", "DOCUMENTS/003_57e12f6a00bab054.txt",
                                  "..%2F..%2F..%2Fetc%2Fpasswd", "/ETC/PASSWD"])
def test_the_app_serves_no_file_outside_its_own_folders(app_url, sample_settings, path):
    path = path.replace("INDEX", str(sample_settings.index_dir)).replace("DOCUMENTS", str(DOCUMENTS))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{app_url}gradio_api/file={path}", timeout=10)
    assert refused.value.code in (403, 404)


def test_ui_events_are_not_api_endpoints(app_url):
    endpoints = Client(app_url, verbose=False).view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert set(endpoints) == {"/search", "/ask", "/topics", "/targets", "/lineage"}


def test_api_targets_and_lineage(app_url):
    client = Client(app_url, verbose=False)
    rows = client.predict("tốt nghiệp THPT", "THPT", 2028, "Lạng Sơn", False, api_name="/targets")
    assert [(r["comparator"], r["value"], r["period"]) for r in rows] == [
        ("trên", 95.0, "2026 - 2030"), ("trên", 98.0, "2026 - 2030")]
    assert rows[1]["indicator"] == "học sinh tốt nghiệp trung học phổ thông"
    assert rows[1]["citation"] == f"{LANG_SON}, mục II.2 (Giai đoạn 2026 - 2030)"
    lineage = client.predict("51-KL/TW", api_name="/lineage")
    [plan] = lineage["implementing"]
    assert [s["code"] for s in plan["chains"][0]] == ["97-KH/TU", "51-KL/TW"]


def _ask(page, url: str, question: str, shown: str) -> None:
    """Type a question on the answer tab, press Enter and wait for `shown` to appear."""
    open_app(page, url)
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator(shown).wait_for(timeout=60_000)


def test_a_question_without_diacritics_gets_a_cited_answer_in_the_browser(app_url, tmp_path):
    with browser_page() as page:
        _ask(page, app_url, "so nao bo tri kinh phi thuc hien ke hoach", "#answers .answer-box")
        assert page.locator("#answers .source").inner_text() == f"Nguồn: {LANG_SON}, mục IV.3 (Sở Tài chính)"
        assert "bố trí nguồn kinh phí" in page.locator("#answers mark.answer").first.inner_text()
        page.screenshot(path=str(screenshot_target(tmp_path, "answer-tab.png")))


def test_a_question_the_documents_do_not_answer_shows_the_amber_state(app_url):
    with browser_page() as page:
        _ask(page, app_url, "Tỉnh Cao Bằng đặt mục tiêu bao nhiêu phần trăm học sinh tốt nghiệp THPT?",
             "#answers .answer-box.none")
        assert "Cao Bằng" in page.locator("#answers .answer-box.none .short").inner_text()
        assert page.locator("#answers .answer-box:not(.none)").count() == 0
        assert page.locator("#answers .hit").count() > 0, "the closest passages are still shown"


def test_asking_which_plans_address_a_topic_lists_them_and_opens_the_topic_view(app_url, tmp_path):
    with browser_page() as page:
        _ask(page, app_url, "Những kế hoạch nào đề cập đến phát triển đội ngũ nhà giáo?", "#answers .answer-box")
        assert "văn bản đề cập chủ đề “phát triển đội ngũ nhà giáo”" in page.locator("#answers .short").inner_text()
        offer = page.locator("#to-topic")
        assert offer.is_visible() and "phát triển đội ngũ nhà giáo" in offer.inner_text()
        page.wait_for_timeout(1500)  # the page leaves its pending state
        page.screenshot(path=str(screenshot_target(tmp_path, "which-plans.png")))
        offer.click()
        page.locator("#topic-summary").get_by_text("văn bản đề cập chủ đề này").first.wait_for(timeout=60_000)
        assert page.locator("#topic textarea").input_value() == "phát triển đội ngũ nhà giáo"
        assert page.get_by_role("tab", name="Theo chủ đề").get_attribute("aria-selected") == "true"

        _ask(page, app_url, "so nao bo tri kinh phi thuc hien ke hoach", "#answers .answer-box")
        assert not page.locator("#to-topic").is_visible()


def test_the_topic_table_downloads_as_csv_and_opens_a_plans_evidence(app_url, tmp_path):
    with browser_page() as page:
        open_app(page, app_url)
        open_tab(page, "Theo chủ đề")
        box = page.locator("#topic textarea")
        box.fill("phát triển đội ngũ nhà giáo và cán bộ quản lý giáo dục")
        box.press("Enter")
        page.locator("#topic-csv").wait_for(state="visible", timeout=60_000)
        with page.expect_download() as download:
            page.locator("#topic-csv").click()
        raw = open(download.value.path(), "rb").read()
        assert raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        assert text.startswith("Mức độ,Tìm thấy,Văn bản,Số hiệu,Cơ quan ban hành") and "43/KH-UBND" in text
        page.locator("#topic-table").get_by_text("Tăng cường sự lãnh đạo của Đảng").first.click()
        page.locator("#evidence h3", has_text="Tăng cường sự lãnh đạo").wait_for(timeout=10_000)
        page.screenshot(path=str(screenshot_target(tmp_path, "topic-tab.png")), full_page=True)


def test_the_target_tab_compares_targets_exports_them_and_shows_each_sentence(app_url, tmp_path):
    with browser_page() as page:
        open_app(page, app_url)
        open_tab(page, "Chỉ tiêu")
        box = page.locator("#indicator textarea")
        box.fill("lao dong qua dao tao")
        box.press("Enter")
        page.locator("#target-csv").wait_for(state="visible", timeout=60_000)
        table = page.locator("#target-table")
        assert "2 chỉ tiêu trong 1 văn bản" in page.locator("#targets-summary").inner_text()
        assert table.inner_text().count("tỷ lệ lao động qua đào tạo") == 2
        with page.expect_download() as download:
            page.locator("#target-csv").click()
        text = open(download.value.path(), "rb").read().decode("utf-8-sig")
        assert text.startswith("Văn bản,Tỉnh/thành,Huyện/thành phố/xã,Cơ quan ban hành,Chỉ tiêu") and text.count("\n") == 3
        table.get_by_text("2026 - 2030").first.click()
        sentence = page.locator("#target-sentence mark.answer", has_text="76%")  # the first row's is shown before
        sentence.wait_for(timeout=10_000)
        assert "tỷ lệ lao động qua đào tạo đạt 76%" in " ".join(sentence.inner_text().split())
        assert "mục II.2 (Giai đoạn 2026 - 2030)" in page.locator("#target-sentence .cite").inner_text()
        page.screenshot(path=str(screenshot_target(tmp_path, "targets-tab.png")), full_page=True)


HOSTILE = ("KẾ HOẠCH\nBồi dưỡng giáo viên năm học mới\n"
           "I. NỘI DUNG\n"
           "Bồi dưỡng giáo viên <script>window.__xss = 1</script> về chuyển đổi số trong giáo dục.\n"
           "Tập huấn giáo viên <img src=x onerror=\"window.__xss = 2\"> về chuyển đổi số trong giáo dục.\n")


def test_document_markup_is_shown_as_text_and_uploads_need_an_admin_login(tmp_path, embedder, monkeypatch):
    monkeypatch.setenv("EDUSEARCH_ADMIN_PASSWORD", "mật-khẩu-thử")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", documents=documents)
    build_index(documents, settings, show_progress=False, embedder=embedder)
    upload = tmp_path / "Kế hoạch bơi  an toàn.TXT"
    upload.write_text("KẾ HOẠCH\nPhổ cập bơi an toàn cho học sinh tiểu học\nTổ chức dạy bơi an toàn cho học sinh.\n",
                      encoding="utf-8")
    with running_app(SearchEngine(settings, embedder=embedder), documents) as url, browser_page() as page:
        open_app(page, url)
        box = page.locator("#question textarea")
        box.fill("boi duong giao vien chuyen doi so")
        box.press("Enter")
        page.locator("#answers .hit").first.wait_for(timeout=60_000)
        shown = page.locator("#answers").inner_text()
        assert "<script>window.__xss = 1</script>" in shown
        assert "<img src=x onerror=\"window.__xss = 2\">" in shown
        assert page.locator("#answers script, #answers img").count() == 0
        assert page.evaluate("window.__xss") is None

        open_tab(page, "Thêm/xóa văn bản")
        assert page.locator("#admin-files input[type=file]").count() == 0, "no file input before logging in"
        page.locator("#admin-login input[type=password]").fill("đoán-thử")
        page.locator("#admin-login button").click()
        open_tab(page, "Thêm/xóa văn bản")
        page.locator("#admin-login", has_text="Sai mật khẩu").wait_for(timeout=30_000)
        page.locator("#admin-login input[type=password]").fill("mật-khẩu-thử")
        page.locator("#admin-login button").click()
        open_tab(page, "Thêm/xóa văn bản")
        page.locator("#admin-login", has_text="Đã đăng nhập").wait_for(timeout=30_000)
        page.locator("#admin-files input[type=file]").set_input_files(str(upload))
        page.get_by_role("button", name="Thêm và lập chỉ mục").click()
        page.locator("#admin-report", has_text="Đã thêm vào thư viện").wait_for(timeout=120_000)
        assert "tai-len/Kế hoạch bơi an toàn.txt" in page.locator("#admin-report").inner_text()
        box = page.locator("#question textarea")

        open_tab(page, "Hỏi đáp")
        box.fill("day boi an toan")
        box.press("Enter")
        page.locator("#answers .cite", has_text="Phổ cập bơi an toàn").first.wait_for(timeout=60_000)
    assert sorted(p.relative_to(documents).as_posix() for p in documents.rglob("*")) == [
        "hostile.txt", "tai-len", "tai-len/Kế hoạch bơi an toàn.txt"]


def test_the_library_lists_plans_and_reads_one_section_by_section(app_url):
    with browser_page() as page:
        open_app(page, app_url)
        open_tab(page, "Thư viện")
        page.get_by_text("5 văn bản", exact=False).first.wait_for(timeout=10_000)
        page.get_by_text("003_57e12f6a00bab054.txt").first.click()
        page.locator("#reader .outline").wait_for(timeout=10_000)
        meta = page.locator("#reader table.meta").inner_text()
        assert "43/KH-UBND" in meta and "2021 - 2025, định hướng đến năm 2030" in meta
        assert "toàn bộ nội dung, trừ phần đầu văn bản" in meta and "chữ ký" in meta  # how much is searchable
        assert "thực hiện 63-NQ/TU" in page.locator("#reader .lineage").inner_text()
        assert page.locator("#reader .outline a", has_text="3. Sở Tài chính").count() == 1
        assert "bố trí nguồn kinh phí" in page.locator("#reader .reader-section", has_text="3. Sở Tài chính").first.inner_text()
