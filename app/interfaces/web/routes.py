"""The web chat UI at ``/``, the review page of wrong answers at ``/review`` and the monitors page at
``/monitors``: static files from
``app/interfaces/web/static``, plotly.js from the installed plotly package.

No CDN and no build step: the page works with no internet. The CSP header is
added by ``SecurityHeadersMiddleware`` for everything served here.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.interfaces.shared.errors import RequestError

WEB_DIR = Path(__file__).resolve().parent / "static"
WEB_FILES = {"app.js": "text/javascript", "app.css": "text/css", "review.js": "text/javascript",
             "monitors.js": "text/javascript", "page.js": "text/javascript"}

router = APIRouter(include_in_schema=False)


def plotly_js_path() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@router.get("/")
def index() -> FileResponse:
    return FileResponse(WEB_DIR / "index.html", media_type="text/html", headers={"Cache-Control": "no-cache"})


@router.get("/review")
def review() -> FileResponse:
    """Answers rated wrong, to verify with corrected SQL (docs/governance.md, "Verified queries")."""
    return FileResponse(WEB_DIR / "review.html", media_type="text/html",
                        headers={"Cache-Control": "no-cache"})


@router.get("/monitors")
def monitors() -> FileResponse:
    """Monitors: list, add, remove, last run, a preview of the digest (docs/monitors.md)."""
    return FileResponse(WEB_DIR / "monitors.html", media_type="text/html",
                        headers={"Cache-Control": "no-cache"})


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    return FileResponse(plotly_js_path(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    if name not in WEB_FILES:  # a fixed list: no path from the URL ever reaches the file system
        raise RequestError(404, "not_found", f"no static file {name}")
    return FileResponse(WEB_DIR / name, media_type=WEB_FILES[name], headers={"Cache-Control": "no-cache"})
