"""/docs in a real browser: Swagger UI renders under its strict CSP, with no request leaving the host."""
from __future__ import annotations

from playwright.sync_api import expect
from ui_support import screenshot


def test_docs_render_offline_under_the_csp(browser, ui_server):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    offsite, errors = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def guard(route):
        if route.request.url.startswith(ui_server["url"]) or route.request.url.startswith(("data:", "blob:")):
            return route.continue_()
        offsite.append(route.request.url)
        return route.abort()

    page.route("**/*", guard)
    try:
        response = page.goto(ui_server["url"] + "/docs")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Asklytics", timeout=30_000)
        ask = page.locator(".opblock-summary-path", has_text="/api/v1/ask").first
        expect(ask).to_be_visible()
        ask.click()
        expect(page.locator(".opblock-body").first).to_be_visible()
        screenshot(page, "docs")
        assert offsite == []
        assert errors == []  # a CSP violation (inline script, eval, outside host) is logged as an error
    finally:
        context.close()
