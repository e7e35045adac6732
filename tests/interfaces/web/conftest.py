"""A real server on loopback and Debian's Chromium driven by Playwright.

The server runs on a copy of the demo warehouse in which the top ROAS
campaign is renamed to a ``<script>`` payload, so the page must render data
values as text. Screenshots go to ``artifacts/ui/`` (gitignored).
"""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import duckdb
import pytest
from ui_support import SCRIPT_CAMPAIGN

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _plant_script_value(path: Path) -> None:
    """Rename the campaign with the most spend last month (it shows up in rankings by spend)."""
    with duckdb.connect(str(path)) as con:
        top = con.execute("SELECT campaign_id FROM ad_spend WHERE date >= DATE '2026-06-01' "
                          "AND date < DATE '2026-07-01' "
                          "GROUP BY 1 ORDER BY sum(cost) DESC LIMIT 1").fetchall()[0][0]
        con.execute("UPDATE campaigns SET campaign_name = ? WHERE campaign_id = ?", [SCRIPT_CAMPAIGN, top])


def _serve(settings):
    """The app under uvicorn on a free loopback port, in a thread: (url, stop)."""
    import uvicorn

    from app.interfaces.assembly import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return f"http://127.0.0.1:{port}", stop


@pytest.fixture(scope="session")
def ui_server(demo_db_path, tmp_path_factory):
    from app.settings import Settings

    root = tmp_path_factory.mktemp("ui")
    warehouse = root / "demo.duckdb"
    shutil.copy(demo_db_path, warehouse)
    _plant_script_value(warehouse)
    settings = Settings(warehouse_path=warehouse, data_dir=root / "data", rate_limit_per_minute=10_000)
    url, stop = _serve(settings)
    yield {"url": url, "data_dir": root / "data"}
    stop()


@pytest.fixture(scope="session")
def keyed_server(demo_db_path, tmp_path_factory):
    """A server that needs an API key (a bootstrap key, scope ``web``)."""
    from app.settings import Settings

    key = "web-key-" + "w" * 24
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("ui-keyed"),
                        api_keys=f"web:{key}")
    url, stop = _serve(settings)
    yield {"url": url, "key": key}
    stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, ui_server):
    """A fresh page; requests to any other host are refused and recorded (the UI works offline)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = context.new_page()
    page.offsite_requests = []
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))

    def guard(route):
        if route.request.url.startswith(ui_server["url"]) or route.request.url.startswith("blob:"):
            return route.continue_()
        page.offsite_requests.append(route.request.url)
        return route.abort()

    page.route("**/*", guard)
    page.goto(ui_server["url"] + "/")
    yield page
    context.close()
