"""A page loaded before plans were added or removed: every click refers to a plan by its file name, and
every load takes its choices from the live index."""

from __future__ import annotations

import shutil

import pytest

from indexer.build import build_index
from runtime.settings import Settings
from tests.robustness.conftest import SMALL_MODEL
from tests.conftest import DOCUMENTS
from tests.ui.running import browser_page, open_app, open_tab, running_app_of
from search.service import SearchService
from ui.handlers import AppState

pytestmark = pytest.mark.slow

NEW_PLAN = ("KẾ HOẠCH\nPhát triển giáo dục STEM trong trường phổ thông\nI. MỤC TIÊU\nĐến năm 2025, 50% trường "
            "phổ thông tổ chức hoạt động giáo dục STEM.\n")


@pytest.fixture()
def live_app(tmp_path, small_embedder):
    folder = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, folder)
    settings = Settings(model=SMALL_MODEL, index_dir=tmp_path / "index")
    build_index(folder, settings, show_progress=False, embedder=small_embedder)
    state = AppState(SearchService(settings, small_embedder), folder)
    with running_app_of(state) as url:
        yield state, url


def test_a_stale_page_opens_the_plan_of_the_row_clicked_not_the_row_position(live_app):
    state, url = live_app
    with browser_page() as page:
        open_app(page, url)
        open_tab(page, "Thư viện")
        table = page.locator("#library-table")
        table.get_by_text("004_67563299733f9e63.txt").first.wait_for(timeout=10_000)
        (state.documents / "000_7fe46e2781baa5f4.txt").unlink()  # removed while the page is open
        state.reindex()
        table.get_by_text("004_67563299733f9e63.txt").last.click()
        page.locator("#reader table.meta").wait_for(timeout=10_000)
        assert "Hạ Long" in page.locator("#reader").inner_text()
        table.get_by_text("000_7fe46e2781baa5f4.txt").last.click()
        page.get_by_text("không còn trong chỉ mục").wait_for(timeout=10_000)


def test_a_page_loaded_after_an_upload_lists_and_opens_the_new_plan(live_app):
    state, url = live_app
    (state.documents / "ke-hoach-stem.txt").write_text(NEW_PLAN, encoding="utf-8")
    state.reindex()
    with browser_page() as page:
        open_app(page, url)
        open_tab(page, "Thư viện")
        page.locator("#library-table").get_by_text("ke-hoach-stem.txt").last.click()
        page.locator("#reader", has_text="giáo dục STEM").wait_for(timeout=10_000)
