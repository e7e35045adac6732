"""The chat UI in a real browser: ask, chart, table, follow-up, clarification, feedback, CSV, escaping."""
from __future__ import annotations

import csv

from playwright.sync_api import expect
from ui_support import SCRIPT_CAMPAIGN, screenshot

from appdb import open_database, sqlite_url
from appdb.feedback import list_feedback


def ask(page, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")


def last_answer(page):
    return page.locator(".turn").last.locator(".answer")


def test_question_renders_chart_table_and_sql_then_a_follow_up(page):
    expect(page.locator("#suggestions button").first).to_be_visible()
    ask(page, "installs by platform last month")
    answer = last_answer(page)
    expect(answer).to_have_attribute("data-status", "answered", timeout=30_000)
    expect(answer.locator(".chart[data-rendered='true'] svg.main-svg").first).to_be_visible()
    expect(answer.locator("tbody tr")).to_have_count(2)
    expect(answer.locator(".chart-reason")).to_contain_text("Chart: bar")
    expect(answer.locator(".badges")).to_contain_text("planner: offline")
    answer.locator("details.sql summary").click()
    expect(answer.locator("details.sql code")).to_contain_text("SELECT")
    ios_installs = answer.locator("tbody tr", has_text="iOS").locator("td.num").inner_text()
    screenshot(page, "01-answer")

    ask(page, "just iOS")
    follow = last_answer(page)
    expect(follow).to_have_attribute("data-status", "answered", timeout=30_000)
    expect(follow.locator("tbody tr")).to_have_count(1)
    expect(follow.locator("tbody td.num").last).to_have_text(ios_installs)
    follow.locator("details.sql summary").click()
    expect(follow.locator("details.sql code")).to_contain_text("'iOS'")
    expect(page.locator(".turn")).to_have_count(2)
    current = page.locator("#conversations button[aria-current='true']")
    expect(current).to_have_count(1)
    expect(current).to_have_text("installs by platform last month")
    screenshot(page, "02-follow-up")
    assert page.offsite_requests == []
    assert page.console_errors == []


def test_table_sorts_by_a_clicked_column(page):
    ask(page, "installs by platform last month")
    answer = last_answer(page)
    expect(answer).to_have_attribute("data-status", "answered", timeout=30_000)
    header = answer.locator("th").nth(1)
    header.locator("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    first = [int(v.replace(",", "")) for v in answer.locator("tbody tr td.num").all_inner_texts()]
    header.locator("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    second = [int(v.replace(",", "")) for v in answer.locator("tbody tr td.num").all_inner_texts()]
    assert first == sorted(first) and second == sorted(first, reverse=True) and first != second


def test_clarification_options_are_buttons_that_ask(page):
    ask(page, "how are we doing?")
    answer = last_answer(page)
    expect(answer).to_have_attribute("data-status", "clarification_needed", timeout=30_000)
    options = answer.locator("button.clarification-option")
    expect(options.first).to_be_visible()
    chosen = options.first.inner_text()
    screenshot(page, "03-clarification")
    options.first.click()
    expect(page.locator(".turn")).to_have_count(2)
    expect(page.locator(".turn").last.locator(".question")).to_have_text(chosen)
    expect(last_answer(page)).not_to_have_attribute("aria-busy", "true", timeout=30_000)
    expect(last_answer(page)).to_have_attribute("data-status", "answered")


def test_feedback_buttons_record_and_learn(page, ui_server):
    ask(page, "revenue by platform last month")
    answer = last_answer(page)
    expect(answer).to_have_attribute("data-status", "answered", timeout=30_000)
    answer.locator("button.thumbs-up").click()
    expect(answer.locator(".feedback-note")).to_have_text("Thanks — saved as a verified example.",
                                                          timeout=120_000)
    expect(answer.locator("button.thumbs-up")).to_have_attribute("aria-pressed", "true")
    answer.locator("button.thumbs-down").click()
    expect(answer.locator("button.thumbs-down")).to_have_attribute("aria-pressed", "true")
    screenshot(page, "04-feedback")
    database = open_database(sqlite_url(ui_server["data_dir"] / "asklytics.db"))
    with database.connect() as connection:
        rated = [r for r in reversed(list_feedback(connection)) if "revenue by platform" in r["question"]]
    database.close()
    assert [r["rating"] for r in rated[-2:]] == ["up", "down"]
    assert rated[-2]["verified_example_id"]


def test_csv_download_holds_the_table(page):
    ask(page, "installs by platform last month")
    answer = last_answer(page)
    expect(answer).to_have_attribute("data-status", "answered", timeout=30_000)
    with page.expect_download() as info:
        answer.locator("button.download-csv").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), newline="") as handle:
        rows = list(csv.reader(handle))
    headers = answer.locator("th").all_inner_texts()
    assert rows[0] == headers
    assert sorted(r[0] for r in rows[1:]) == ["Android", "iOS"]
    assert all(int(r[1]) > 0 for r in rows[1:])


def test_script_in_data_and_question_is_text(page):
    ask(page, "top 5 campaigns by spend last month")
    answer = last_answer(page)
    expect(answer).to_have_attribute("data-status", "answered", timeout=30_000)
    expect(answer.locator("tbody")).to_contain_text(SCRIPT_CAMPAIGN)
    ask(page, "<img src=x onerror=\"window.__xss=2\"> installs by platform last month")
    expect(page.locator(".turn").last.locator(".question")).to_contain_text("<img src=x")
    expect(last_answer(page)).not_to_have_attribute("aria-busy", "true", timeout=30_000)
    screenshot(page, "05-escaping")
    assert page.evaluate("window.__xss") is None
    assert page.locator(".thread script, .thread img").count() == 0


def test_keyboard_only_suggestion_and_laptop_width(page):
    page.set_viewport_size({"width": 1024, "height": 640})
    suggestion = page.locator("#suggestions button").first
    expect(suggestion).to_be_visible()
    suggestion.focus()
    page.keyboard.press("Enter")
    expect(last_answer(page)).to_have_attribute("data-status", "answered", timeout=30_000)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "06-laptop-width")


def test_page_is_served_with_a_content_security_policy(page, ui_server):
    response = page.request.get(ui_server["url"] + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert page.request.get(ui_server["url"] + "/static/plotly.min.js").ok


def test_a_server_with_keys_asks_for_one_then_works(browser, keyed_server):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    try:
        page.goto(keyed_server["url"] + "/")
        expect(page.locator("#auth")).to_be_visible()
        expect(page.locator("#suggestions button")).to_have_count(0)
        page.fill("#api-key", keyed_server["key"])
        page.press("#api-key", "Enter")
        expect(page.locator("#auth")).to_be_hidden()
        expect(page.locator("#suggestions button").first).to_be_visible()
        ask(page, "installs by platform last month")
        expect(last_answer(page)).to_have_attribute("data-status", "answered", timeout=30_000)
        screenshot(page, "07-keyed")
    finally:
        context.close()
