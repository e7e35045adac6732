"""/docs is Swagger UI served from this server: same-origin assets only, a strict CSP, no inline script.

A browser check (tests/interfaces/web/test_docs_browser.py) renders it under that CSP.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

SCRIPT_SRC = re.compile(r"script-src ([^;]*)")


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs:
            self.inline_scripts += 1
        for name in ("src", "href"):
            if tag in ("script", "link", "img", "iframe") and attrs.get(name):
                self.urls.append(attrs[name])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def _assets(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def _same_origin(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def test_docs_load_only_same_origin_assets_and_they_all_load(shared_client):
    page = shared_client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assets = _assets(page.text)
    assert assets.urls and assets.inline_scripts == 0
    assert [url for url in assets.urls if not _same_origin(url)] == []
    for url in assets.urls:
        response = shared_client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 0
    types = {url.rsplit(".", 1)[-1]: shared_client.get(url).headers["content-type"] for url in assets.urls}
    assert types["js"].startswith("text/javascript") and types["css"].startswith("text/css")


def test_docs_start_swagger_ui_on_this_servers_schema(shared_client):
    start = shared_client.get("/docs/static/docs.js").text
    assert '"/openapi.json"' in start and "validatorUrl: null" in start
    bundle = shared_client.get("/docs/static/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
    assert shared_client.get("/openapi.json").json()["openapi"].startswith("3.1")  # Swagger UI 5 reads 3.1


# Pages, assets, JSON, and errors: the CSP does not depend on which route answered.
ANY_RESPONSE = ["/", "/docs", "/docs/static/docs.js", "/static/app.js", "/openapi.json", "/healthz",
                "/api/v1/metrics", "/redoc", "/no/such/page", "/docs/oauth2-redirect", "/static/nope.html"]


def test_every_response_carries_a_strict_csp(shared_client):
    for path in ANY_RESPONSE:
        policy = shared_client.get(path).headers["content-security-policy"]
        assert SCRIPT_SRC.search(policy).group(1).split() == ["'self'"], (path, policy)
        assert "http" not in policy and "object-src 'none'" in policy and "base-uri 'none'" in policy


def test_redoc_and_unknown_docs_files_are_not_served(shared_client):
    assert shared_client.get("/redoc").status_code == 404
    assert shared_client.get("/docs/static/redoc.standalone.js").status_code == 404
    assert shared_client.get("/docs/static/..%2F..%2Fsettings.py").status_code == 404
    assert shared_client.get("/docs/static/../../settings.py").status_code == 404
