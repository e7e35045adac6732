"""The monitors page in a real browser: a monitor added with a filter and a threshold rule is listed
with its series and last run, its digest previewed (a dry run: nothing posted, nothing recorded),
a bad one refused with the reason, and removed; data values are shown as text, never as HTML."""
from __future__ import annotations

from playwright.sync_api import expect
from ui_support import screenshot

NAME = "iOS installs <img src=x onerror=\"window.__xss=4\">"


def test_add_preview_and_remove_a_monitor(page, ui_server):
    page.goto(ui_server["url"] + "/")
    page.locator("a[href='/monitors']").click()
    expect(page.locator("#monitors-status")).to_have_text("No monitors yet.")

    page.fill("#m-name", "Bad one")
    page.fill("#m-metric", "no_such_metric")
    page.fill("#m-slack", "C0123456789")
    page.click("#add-monitor")
    expect(page.locator("#add-result")).to_contain_text("Not added: unknown metric 'no_such_metric'")

    page.fill("#m-name", NAME)
    page.fill("#m-metric", "installs")
    page.fill("#m-filter-dimension", "platform")
    page.fill("#m-filter-value", "iOS")
    page.select_option("#m-threshold-op", ">")
    page.fill("#m-threshold-value", "100")
    page.click("#add-monitor")
    expect(page.locator("#add-result")).to_contain_text("Added m-")
    item = page.locator(".monitor-item")
    expect(item).to_have_count(1)
    expect(item.locator(".review-question")).to_have_text(NAME)  # as text
    series = "installs by day where platform = 'iOS'; alert when > 100"
    expect(item.locator(".monitor-series")).to_have_text(series)
    expect(item.locator(".monitor-last")).to_have_text("Last run: never")
    monitor_id = item.get_attribute("data-monitor-id")
    listed = page.request.get(ui_server["url"] + "/api/v1/monitors").json()
    assert [(m["id"], m["threshold"], m["slack_channel"]) for m in listed] == [
        (monitor_id, {"op": ">", "value": 100.0}, "C0123456789")]

    item.locator("button.preview-monitor").click()
    findings = item.locator(".monitor-findings li")
    expect(findings.first).to_contain_text("Asklytics: 7 new alerts in 1 monitor", timeout=60_000)
    # the demo's today is 2026-07-01: the window is June 24-30, every day over 100 iOS installs
    expect(item.locator(".monitor-findings li", has_text="Above the threshold")).to_have_count(7)
    screenshot(page, "monitors-preview")
    assert page.evaluate("window.__xss") is None and page.locator(".monitor-item img").count() == 0

    page.reload()  # a preview records nothing
    expect(page.locator(".monitor-item .monitor-last")).to_have_text("Last run: never")
    page.locator(".monitor-item button.remove-monitor").click()
    expect(page.locator("#monitors-status")).to_have_text(f"Removed monitor {monitor_id}. No monitors yet.")
    assert page.request.get(ui_server["url"] + "/api/v1/monitors").json() == []
    refused = "the server responded with a status of 422"  # the browser's own line for the bad monitor
    assert page.offsite_requests == [] and [e for e in page.console_errors if refused not in e] == []
