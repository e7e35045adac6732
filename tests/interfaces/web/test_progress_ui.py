"""The chat UI shows an answer's progress as its steps arrive (#19): the plan and the SQL while the
query still runs (held at a gate the test opens), then the answer."""
from __future__ import annotations

import pytest
from live_server import hold_queries, serve
from playwright.sync_api import expect
from ui_support import screenshot

from app.settings import Settings


@pytest.fixture()
def held_server(demo_db_path, tmp_path):
    live = serve(Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", cache_enabled=False))
    gate = hold_queries(live)
    yield live, gate
    gate.remove()
    live.stop()


def test_progress_shows_the_plan_and_sql_before_the_answer(browser, held_server):
    live, gate = held_server
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(live.url + "/")
        page.fill("#question", "installs by platform last month")
        page.press("#question", "Enter")
        answer = page.locator(".turn").last.locator(".answer")
        progress = answer.locator(".progress[data-step='sql']")
        expect(progress).to_contain_text("Planned → Running the query…", timeout=60_000)
        expect(answer.locator(".progress-sql code")).to_contain_text("SELECT")
        assert gate.waiting.acquire(timeout=60) and not gate.opened.is_set()  # the query is still held
        expect(answer).to_have_attribute("aria-busy", "true")
        expect(answer.locator("table")).to_have_count(0)
        screenshot(page, "10-progress-while-the-query-runs")
        gate.opened.set()
        expect(answer).to_have_attribute("data-status", "answered", timeout=60_000)
        expect(answer.locator("tbody tr")).to_have_count(2)
        expect(answer.locator(".progress")).to_have_count(0)
        assert errors == []
    finally:
        context.close()
