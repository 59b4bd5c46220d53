"""Adding and removing plans on a phone (390x844), as an official does it: the admin tab stays open after
logging in, adding and removing; plans are named by their citation; a removal is asked first and can be
called off; a file already in the library is refused, naming the plan it duplicates; every tap target is at
least 44 px high."""

from __future__ import annotations

import shutil

import pytest

from indexer.build import build_index
from runtime.settings import Settings
from search.engine import SearchEngine
from tests.conftest import DOCUMENTS, sample
from tests.ui.running import PHONE, browser_page, open_app, running_app, screenshot_target, small_tap_targets
from ui import admin

pytestmark = pytest.mark.slow

PASSWORD = "mật-khẩu-thử"
LANG_SON = "Kế hoạch số 43/KH-UBND ngày 23/02/2022 của UBND tỉnh Lạng Sơn"
NEW_PLAN = "KẾ HOẠCH\nPhổ cập bơi an toàn cho học sinh tiểu học\nTổ chức dạy bơi an toàn cho học sinh.\n"


@pytest.fixture()
def library(tmp_path, embedder, monkeypatch):
    """A copy of the sample documents, indexed, served with an admin password: (url, documents folder)."""
    monkeypatch.setenv(admin.PASSWORD_VARIABLE, PASSWORD)
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, documents)
    settings = Settings(index_dir=tmp_path / "index", documents=documents)
    build_index(documents, settings, show_progress=False, embedder=embedder)
    with running_app(SearchEngine(settings, embedder=embedder), documents) as url:
        yield url, documents


def _admin_tab_is_open(page) -> bool:
    return page.get_by_role("tab", name="Thêm/xóa văn bản").get_attribute("aria-selected") == "true"


def test_an_official_adds_and_removes_plans_on_a_phone(library, tmp_path):
    url, documents = library
    lang_son = sample("003").name
    copy, new = tmp_path / "Kế hoạch 43 (bản chụp).txt", tmp_path / "Kế hoạch bơi an toàn.txt"
    copy.write_bytes((documents / lang_son).read_bytes())
    new.write_text(NEW_PLAN, encoding="utf-8")
    with browser_page(PHONE) as page:
        open_app(page, url)
        page.get_by_role("tab", name="Thư viện").click()
        assert page.locator("#library-cards .card").count() == 5 and not page.locator("#library-table").is_visible()

        page.get_by_role("tab", name="Thêm/xóa văn bản").click()
        page.locator("#admin-login input[type=password]").fill(PASSWORD)
        page.locator("#admin-login button").click()
        page.locator("#admin-login", has_text="Đã đăng nhập").wait_for(timeout=30_000)
        assert _admin_tab_is_open(page), "the page comes back from logging in on the admin tab"

        page.locator("#admin-files input[type=file]").set_input_files([str(copy), str(new)])
        page.get_by_role("button", name="Thêm và lập chỉ mục").click()
        outcomes = page.locator("#admin-report .upload-outcome")
        outcomes.nth(1).wait_for(timeout=120_000)
        refused, added = outcomes.all_inner_texts()
        assert refused.startswith(copy.name) and "Không thêm, vì văn bản này đã có trong thư viện" in refused
        assert f"Văn bản: {LANG_SON}" in refused and lang_son in refused
        assert "Đã thêm vào thư viện" in added and "Lưu thành: tai-len/Kế hoạch bơi an toàn.txt" in added
        assert sorted(p.name for p in (documents / "tai-len").iterdir()) == [new.name]
        assert _admin_tab_is_open(page), "the admin tab stays open after an upload"

        page.locator("#remove-choice input").click()
        options = page.get_by_role("option").all_inner_texts()
        assert len(options) == 6 and f"{LANG_SON} · tệp {lang_son}" in options
        assert not any(option.startswith(("0", "tai-len")) for option in options), "named by citation, not file"
        page.get_by_role("option", name=f"{LANG_SON} · tệp {lang_son}").click()
        page.locator("#remove-ask").click()
        question = page.locator("#remove-confirm")
        question.wait_for(state="visible", timeout=10_000)
        assert question.locator(".confirm-question").inner_text() == f"Xóa văn bản {LANG_SON}?"
        assert small_tap_targets(page) == []
        page.screenshot(path=str(screenshot_target(tmp_path, "admin-phone.png")), full_page=True)

        page.locator("#remove-no").click()
        page.locator("#admin-report", has_text="Đã hủy").wait_for(timeout=10_000)
        assert not question.is_visible() and (documents / lang_son).exists()

        page.locator("#remove-ask").click()
        question.wait_for(state="visible", timeout=10_000)
        page.locator("#remove-yes").click()
        page.locator("#admin-report", has_text="Đã xóa văn bản").wait_for(timeout=120_000)
        assert f"Đã xóa văn bản {LANG_SON} (tệp {lang_son})" in page.locator("#admin-report").inner_text()
        assert not (documents / lang_son).exists() and not question.is_visible()
        assert _admin_tab_is_open(page), "the admin tab stays open after a removal"

        page.get_by_role("tab", name="Thư viện").click()
        names = page.locator("#library-cards .card").all_inner_texts()
        assert len(names) == 5 and not any(LANG_SON in name for name in names)
        assert any("bơi an toàn" in name.lower() for name in names)
