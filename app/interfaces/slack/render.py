"""The chart as a PNG: Plotly's Kaleido with the system Chromium and the installed plotly.js.

Kaleido is pointed at an explicit browser path (it would otherwise search, or
offer to download one, which a server must never do) and at plotly.js from the
plotly package (no CDN), with MathJax off. Without a usable browser the reply
says so and shows the table instead.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PNG_OPTIONS = {"format": "png", "width": 900, "height": 520}
NO_BROWSER = "Chart not shown: no browser is available on the server to draw it."
RENDER_FAILED = "Chart not shown: drawing it failed on the server."
RENDER_TIMEOUT_S = 60
# One Chromium at a time: a render costs a browser start, and the machines are small.
_render_lock = threading.Lock()


@dataclass(frozen=True)
class RenderedChart:
    png: bytes | None = None
    note: str | None = None  # why there is no image, when there is a figure


def browser_available(chromium_path: Path | None) -> bool:
    return chromium_path is not None and Path(chromium_path).is_file()


def render_chart_png(figure: dict | None, chromium_path: Path | None) -> RenderedChart:
    if not figure:
        return RenderedChart()
    if not browser_available(chromium_path):
        return RenderedChart(note=NO_BROWSER)
    try:
        with _render_lock:
            png = _kaleido_png(figure, Path(chromium_path))
    except Exception:  # any browser or plotly.js failure: answer without the image
        log.warning("rendering the chart PNG failed", exc_info=True)
        return RenderedChart(note=RENDER_FAILED)
    return RenderedChart(png=png)


def _kaleido_png(figure: dict, chromium_path: Path) -> bytes:
    import kaleido

    options = {"path": str(chromium_path), "plotlyjs": str(_plotly_js()), "mathjax": False,
               "timeout": RENDER_TIMEOUT_S}
    return kaleido.calc_fig_sync(figure, opts=dict(PNG_OPTIONS), kopts=options)


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
