"""``<asklytics-chat>`` in a real browser, embedded in a host page on another origin: the HTML page of
docs/embedding.md, served from its own port, against a real server that allows that origin -- server-wide
(ASKLYTICS_CORS_ORIGINS), or per key (a key that lists the page's origin, next to one that does not),
and with a short-lived token instead of a key (a fresh one answers, an expired one is refused)."""
from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

import httpx
import pytest
from live_server import doc_snippet, free_port, serve
from ui_support import screenshot

from app.settings import Settings
from tests.databases import key_store

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
def keyed_pages(tmp_path_factory):
    """Another host app, on an origin the server does not allow server-wide: only a key lets it in."""
    pages = HostPages(tmp_path_factory.mktemp("keyed-app"))
    yield pages
    pages.close()


@pytest.fixture(scope="module")
def origin_keys(tmp_path_factory, keyed_pages):
    """Two stored keys of one data folder: one allows the keyed host app's origin, one allows none."""
    data = tmp_path_factory.mktemp("embed") / "data"
    store = key_store(data)
    allowed = store.create("embed", "the keyed app's page", origins=[keyed_pages.origin])
    other = store.create("embed", "a server-side key")
    store.database.close()
    return {"data": data, "allowed": allowed, "other": other}


@pytest.fixture(scope="module")
def asklytics(demo_db_path, host_pages, origin_keys):
    live = serve(Settings(warehouse_path=demo_db_path, data_dir=origin_keys["data"],
                          api_keys=f"embed:{KEY}", cors_origins=host_pages.origin,
                          rate_limit_per_minute=10_000))
    yield live
    live.stop()


def _host_page(host_pages: HostPages, asklytics_url: str, name: str, key: str = KEY,
               attribute: str = "api-key") -> str:
    page = doc_snippet(DOC, "widget-page").replace("https://asklytics.example.com", asklytics_url)
    page = page.replace('api-key="ask_YOUR_KEY"', f'{attribute}="{key}"')
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


def _wait_answered(tab) -> None:
    tab.locator("asklytics-chat .answer[data-status='answered']").wait_for(timeout=120_000)


def _error_of(tab) -> str:
    error = tab.locator("asklytics-chat .answer .error")
    error.wait_for(timeout=60_000)
    return error.inner_text()


def test_a_key_that_allows_the_pages_origin_gets_answers(tab, keyed_pages, host_pages, asklytics,
                                                         origin_keys):
    assert keyed_pages.origin != host_pages.origin  # not the server-wide one
    _, raw = origin_keys["allowed"]
    tab.goto(_host_page(keyed_pages, asklytics.url, "keyed.html", raw))
    _wait_answered(tab)
    assert tab.console_errors == []


def test_a_key_that_does_not_allow_the_pages_origin_is_refused_with_the_reason(tab, keyed_pages, asklytics,
                                                                               origin_keys):
    key, raw = origin_keys["other"]
    tab.goto(_host_page(keyed_pages, asklytics.url, "other-key.html", raw))
    said = _error_of(tab)
    assert f"this API key does not allow calls from {keyed_pages.origin}" in said
    assert "(origin_not_allowed)" in said and f"keys update {key.key_id}" in said


def test_a_short_lived_token_in_the_page_instead_of_a_key(tab, keyed_pages, asklytics, origin_keys):
    _, raw = origin_keys["allowed"]
    minted = httpx.post(asklytics.url + "/api/v1/tokens", json={"ttl_s": 300},  # the host app's server side
                        headers={"Authorization": f"Bearer {raw}"}, timeout=60)
    assert minted.status_code == 201, minted.text
    token = minted.json()["token"]
    tab.goto(_host_page(keyed_pages, asklytics.url, "token.html", token, attribute="token"))
    _wait_answered(tab)
    assert raw not in tab.content()


def test_an_expired_token_is_refused_with_the_reason(tab, keyed_pages, asklytics, origin_keys):
    key, _ = origin_keys["allowed"]
    signer = asklytics.server.config.app.state.api.tokens
    expired, _ = signer.mint(key.key_id, key.scope, key.origins, ttl_s=60, now=time.time() - 3600)
    tab.goto(_host_page(keyed_pages, asklytics.url, "expired.html", expired, attribute="token"))
    said = _error_of(tab)
    assert "the token expired at" in said and "(token_expired)" in said
