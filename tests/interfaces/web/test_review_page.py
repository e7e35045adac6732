"""The review page in a real browser: an answer rated "Wrong" in the chat with a comment is listed at
/review with its question, SQL and comment; SQL that does not run is refused there with the reason;
corrected SQL is verified (kept in the application database, audited) and answers the question in
the chat from then on, with the rows the corrected SQL gives on the demo file."""
from __future__ import annotations

from playwright.sync_api import expect
from ui_support import screenshot

from appdb import open_database, sqlite_url
from appdb.audit import AuditQuery, search
from appdb.verified import list_verified

QUESTION = "installs by media source last month"  # asked by no other browser test: it gets verified here
CORRECTED = ("SELECT c.media_source, COUNT(*) AS installs "
             "FROM installs i JOIN campaigns c USING (campaign_id) "
             "WHERE i.platform = 'iOS' AND i.install_time >= DATE '2026-06-01' "
             "AND i.install_time < DATE '2026-07-01' GROUP BY 1 ORDER BY 1")
COMMENT = "only iOS counts here <img src=x onerror=\"window.__xss=3\">"


def ask(page, question: str):
    page.fill("#question", question)
    page.press("#question", "Enter")
    answer = page.locator(".turn").last.locator(".answer")
    expect(answer).to_have_attribute("data-status", "answered", timeout=30_000)
    return answer


def _table(answer) -> list[tuple[str, int]]:
    rows = []
    for row in answer.locator("tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows.append((cells[0], int(cells[1].replace(",", ""))))
    return sorted(rows)


def test_a_wrong_answer_is_reviewed_and_its_corrected_sql_answers_from_then_on(page, ui_server, demo_sql):
    answer = ask(page, QUESTION)
    assert len(_table(answer)) > 1
    answer.locator("button.thumbs-down").click()
    expect(answer.locator(".feedback-note")).to_have_text("Thanks — removed from the cache.", timeout=30_000)
    answer.locator(".comment-text").fill(COMMENT)
    answer.locator("button.send-comment").click()
    expect(answer.locator(".comment-note")).to_have_text("Comment sent to the reviewers.")

    page.goto(ui_server["url"] + "/review")
    item = page.locator(".review-item", has=page.locator(".review-question", has_text=QUESTION))
    expect(item).to_have_count(1)
    expect(item.locator(".review-sql code").first).to_contain_text("SELECT")
    expect(item.locator(".review-comments li")).to_have_text([COMMENT])
    assert page.evaluate("window.__xss") is None and page.locator(".review-list img").count() == 0

    item.locator(".corrected-sql").fill("DELETE FROM installs")
    item.locator("button.verify-sql").click()
    expect(item.locator(".review-result")).to_contain_text("Not verified: this SQL does not run for you")
    item.locator(".corrected-sql").fill(CORRECTED)
    item.locator("button.verify-sql").click()
    expect(item.locator(".review-result")).to_contain_text("Verified as v-")
    expect(item.locator("button.verify-sql")).to_be_disabled()
    screenshot(page, "08-review")

    database = open_database(sqlite_url(ui_server["data_dir"] / "asklytics.db"))
    with database.connect() as connection:
        verified = [v for v in list_verified(connection) if v["question"] == QUESTION]
        added = search(connection, AuditQuery(action="verified_add"))
    database.close()
    assert [(v["sql"], v["semantic_query"]) for v in verified] == [(CORRECTED, None)]
    assert any(entry["target"] == verified[0]["id"] for entry in added)

    page.reload()  # the page lists it as verified when it loads again
    expect(item.locator(".review-result")).to_contain_text(f"Verified as {verified[0]['id']}")

    page.goto(ui_server["url"] + "/")
    again = ask(page, QUESTION)
    expect(again.locator(".narrative")).to_contain_text("A verified query of your team")
    expected = demo_sql.execute(CORRECTED.replace("FROM installs", "FROM demo.installs")
                                .replace("JOIN campaigns", "JOIN demo.campaigns")).fetchall()
    assert _table(again) == sorted((name, count) for name, count in expected)


def test_the_review_page_of_a_keyed_server_asks_for_a_key(browser, keyed_server):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    try:
        page.goto(keyed_server["url"] + "/review")
        expect(page.locator("#auth")).to_be_visible()
        expect(page.locator("#review-status")).to_contain_text("Could not load the answers")
        page.fill("#api-key", keyed_server["key"])
        page.press("#api-key", "Enter")
        expect(page.locator("#auth")).to_be_hidden()
        expect(page.locator("#review-status")).to_have_text("No answers rated wrong yet.")
    finally:
        context.close()
