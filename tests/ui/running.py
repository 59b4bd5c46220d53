"""Starting the web app on a free loopback port for a test, and the headless browser that drives it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from pathlib import Path

import pytest

from search.engine import SearchEngine
from search.service import SearchService
from ui.handlers import AppState
from ui.web import launch

CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_app(engine: SearchEngine, documents: Path):
    with running_app_of(AppState(SearchService(engine.settings, engine=engine), documents)) as url:
        yield url


@contextlib.contextmanager
def running_app_of(state: AppState):
    port = free_port()
    app = launch(state, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


@contextlib.contextmanager
def browser_page(viewport: dict[str, int] | None = None):
    """A page in Debian's headless Chromium; the test is skipped where Chromium or Playwright is missing."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (install.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
            args=["--headless", "--no-sandbox", "--disable-background-networking"])
        try:
            yield browser.new_page(viewport=viewport or {"width": 1280, "height": 1000}, accept_downloads=True)
        finally:
            browser.close()


def screenshot_target(tmp_path: Path, name: str) -> Path:
    """docs/screenshots/NAME when EDUSEARCH_UPDATE_SCREENSHOTS=1 (to refresh the README's), else tmp_path."""
    if os.environ.get("EDUSEARCH_UPDATE_SCREENSHOTS") == "1":
        return Path(__file__).resolve().parents[2] / "docs" / "screenshots" / name
    return tmp_path / name


def open_tab(page, name: str) -> None:
    """Click a tab as a user would: in the tab bar, or, when the bar is too narrow for it, in the "•••"
    menu the web app puts the others in."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_role("tab", name=name).click(timeout=10_000)
    except PlaywrightTimeout:
        page.locator(".overflow-menu button").first.click()
        page.locator(".overflow-dropdown").get_by_text(name, exact=True).click()


def open_app(page, url: str) -> None:
    """Load the web app and wait for its tab bar; reload once, as a user would, when the first load does
    not render (seen once in a long test run: the server dropped a response, `Too little data for declared
    Content-Length`)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url)
    try:
        page.get_by_role("tablist").first.wait_for(timeout=20_000)
    except PlaywrightTimeout:
        page.reload()
        page.get_by_role("tablist").first.wait_for(timeout=20_000)


MIN_TAP_PX = 44
# What a finger taps: buttons (tabs, sample questions and codes, accordions), summaries, links.
TAP_TARGETS = "button, summary, a[href], [role=tab], .gallery-item, .label-wrap"


def small_tap_targets(page) -> list[str]:
    """The visible tap targets lower than MIN_TAP_PX, each as `tag 'text' height`: what a finger misses."""
    return page.evaluate("""([selector, minimum]) => [...document.querySelectorAll(selector)]
      .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden"
                   && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height < minimum)
      .map(e => `${e.tagName.toLowerCase()} '${(e.innerText || e.getAttribute("aria-label") || "").trim()
                  .slice(0, 40)}' ${Math.round(e.getBoundingClientRect().height)}px`)""", [TAP_TARGETS, MIN_TAP_PX])
