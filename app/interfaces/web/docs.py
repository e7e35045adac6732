"""The interactive API docs at ``/docs``: Swagger UI served from this server, never from a CDN.

FastAPI's own page loads Swagger UI from a CDN without integrity checks and
starts it with an inline script, which a strict Content-Security-Policy forbids.
Here the page, its start-up script (``app/interfaces/web/static/docs.*``) and Swagger UI's files
(from the ``fastapi-offline`` package) are all same-origin, so /docs carries the
same ``script-src 'self'`` CSP as the web UI and works offline. ReDoc is off.
"""
from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.interfaces.shared.errors import RequestError
from app.interfaces.web.routes import WEB_DIR

SWAGGER_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
# A fixed list: no path from the URL ever reaches the file system.
DOCS_FILES = {
    "swagger-ui-bundle.js": (SWAGGER_DIR / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (SWAGGER_DIR / "swagger-ui.css", "text/css"),
    "favicon.png": (SWAGGER_DIR / "favicon.png", "image/png"),
    "docs.js": (WEB_DIR / "docs.js", "text/javascript"),
}

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs_page() -> FileResponse:
    return FileResponse(WEB_DIR / "docs.html", media_type="text/html", headers={"Cache-Control": "no-cache"})


@router.get("/docs/static/{name}")
def docs_file(name: str) -> FileResponse:
    if name not in DOCS_FILES:
        raise RequestError(404, "not_found", f"no docs file {name}")
    path, media_type = DOCS_FILES[name]
    # no-cache still lets the browser revalidate with the ETag (a 304, not the 1.5 MB again)
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})
