"""``<asklytics-chat>`` in a real browser, embedded in a host page on another origin: the HTML page of
docs/embedding.md, served from its own port, against a real server that allows that origin."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from live_server import doc_snippet, free_port, serve
from ui_support import screenshot

from app.settings import Settings

DOC = Path(__file__).resolve().parents[3] / "docs" / "embedding.md"
KEY = "embed-test-key-" + "e" * 24
IN_JUNE = "CAST(install_time AS DATE) BETWEEN DATE '2026-06-01' AND DATE '2026-06-30'"


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class HostPages:
    """A plain static web server (the host app), on its own loopback port."""

    def __init__(self, folder: Path):
        self.folder = folder
        handler = functools.partial(QuietFiles, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def host_pages(tmp_path_factory):
    pages = HostPages(tmp_path_factory.mktemp("host-app"))
    yield pages
    pages.close()


@pytest.fixture(scope="module")
def asklytics(demo_db_path, tmp_path_factory, host_pages):
    live = serve(Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("embed"),
                          api_keys=f"embed:{KEY}", cors_origins=host_pages.origin,
                          rate_limit_per_minute=10_000))
    yield live
    live.stop()


def _host_page(host_pages: HostPages, asklytics_url: str, name: str) -> str:
    page = doc_snippet(DOC, "widget-page").replace("https://asklytics.example.com", asklytics_url)
    page = page.replace("ask_YOUR_KEY", KEY)
    (host_pages.folder / name).write_text(page)
    return f"{host_pages.origin}/{name}"


@pytest.fixture()
def tab(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def test_the_documented_page_gets_an_answer_cross_origin(tab, host_pages, asklytics, demo_sql):
    url = _host_page(host_pages, asklytics.url, "dashboard.html")
    assert not url.startswith(asklytics.url)  # another origin: another port
    tab.goto(url)
    answer = tab.locator("asklytics-chat .answer[data-status='answered']")
    answer.wait_for(timeout=120_000)
    rows = demo_sql.execute(f"SELECT platform, count(*) FROM installs WHERE {IN_JUNE} GROUP BY 1").fetchall()
    expected = dict(rows)
    cells = {row.locator("td").nth(0).inner_text(): row.locator("td").nth(1).inner_text()
             for row in answer.locator("tbody tr").all()}
    assert cells == {platform: f"{count:,}" for platform, count in expected.items()}
    assert "Android" in answer.locator(".narrative").inner_text()
    assert "SELECT" in answer.locator("details.sql code").text_content()
    tab.locator("asklytics-chat .chart[data-rendered='true']").wait_for(timeout=60_000)
    answer.locator("button.thumbs-up").click()
    tab.locator("asklytics-chat .feedback [role='status']", has_text="Thanks").wait_for(timeout=30_000)
    assert answer.locator("button.thumbs-up").get_attribute("aria-pressed") == "true"
    screenshot(tab, "embed-widget")
    assert tab.console_errors == []


def test_a_follow_up_stays_in_the_conversation(tab, host_pages, asklytics, demo_sql):
    tab.goto(_host_page(host_pages, asklytics.url, "follow-up.html"))
    tab.locator("asklytics-chat .answer[data-status='answered']").wait_for(timeout=120_000)
    tab.locator("asklytics-chat input[name='question']").fill("just iOS")
    tab.locator("asklytics-chat button[type='submit']").click()
    second = tab.locator("asklytics-chat .turn").nth(1).locator(".answer[data-status='answered']")
    second.wait_for(timeout=120_000)
    query = f"SELECT count(*) FROM installs WHERE platform = 'iOS' AND {IN_JUNE}"
    (ios,) = demo_sql.execute(query).fetchone()
    assert [row.locator("td").last.inner_text() for row in second.locator("tbody tr").all()] == [f"{ios:,}"]


def test_a_page_on_an_origin_the_server_does_not_allow_gets_a_clear_error(tab, asklytics, tmp_path_factory):
    other = HostPages(tmp_path_factory.mktemp("other-app"))
    try:
        tab.goto(_host_page(other, asklytics.url, "elsewhere.html"))
        error = tab.locator("asklytics-chat .answer .error")
        error.wait_for(timeout=60_000)
        assert "cannot reach Asklytics" in error.inner_text()
    finally:
        other.close()
