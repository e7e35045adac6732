"""The ``<asklytics-chat>`` web component at a stable URL: ``/embed/asklytics-chat.js``.

One self-contained file (no build step, no dependencies; plotly.js is loaded from this server's
``/static/plotly.min.js`` when a chart is drawn), so it can also be copied as is to a CDN or a
host app's own static files (docs/embedding.md). Loading a script needs no CORS; the calls it
makes to the API do (CORS per key).
"""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.interfaces.web.routes import WEB_DIR

COMPONENT = WEB_DIR / "asklytics-chat.js"
EMBED_PATH = "/embed/asklytics-chat.js"

router = APIRouter(include_in_schema=False)


@router.get(EMBED_PATH)
def chat_component() -> FileResponse:
    # no-cache: a page always gets the server's current component (revalidated with the ETag)
    return FileResponse(COMPONENT, media_type="text/javascript",
                        headers={"Cache-Control": "no-cache", "Cross-Origin-Resource-Policy": "cross-origin"})
