"""A chart as a PNG: Plotly's Kaleido with the system Chromium and the installed plotly.js.

Used by the Slack bot (a chart in an answer's thread) and by monitor digests (docs/monitors.md);
it lives in ``charts`` so every front door reaches it. Kaleido comes with the ``[slack]`` extra.

Kaleido is pointed at an explicit browser path (it would otherwise search, or
offer to download one, which a server must never do) and at plotly.js from the
plotly package (no CDN), with MathJax off. Without a usable browser the caller
is told why (``RenderedChart.note``) and goes on without the image.

One Chromium serves every chart of the process (#19: a browser start per chart
cost ~2.9 s): a ``ChartRenderer`` keeps one Kaleido open on its own event loop
thread, started on the first chart. A render that fails closes it, so the next
chart starts a fresh browser. (Kaleido's own sync server is not used: when its
browser fails to start, a call waits forever.)
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PNG_OPTIONS = {"format": "png", "width": 900, "height": 520}
NO_BROWSER = "Chart not shown: no browser is available on the server to draw it."
RENDER_FAILED = "Chart not shown: drawing it failed on the server."
RENDER_TIMEOUT_S = 60
# One chart at a time through the one browser: the machines are small.
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
            png = renderer_for(Path(chromium_path)).png(figure)
    except Exception:  # any browser or plotly.js failure: answer without the image
        log.warning("rendering the chart PNG failed", exc_info=True)
        return RenderedChart(note=RENDER_FAILED)
    return RenderedChart(png=png)


class ChartRenderer:
    """One long-lived Kaleido (one Chromium) on its own event loop thread."""

    def __init__(self, chromium_path: Path):
        self.chromium_path = chromium_path
        self.browser_starts = 0  # how many times a browser was started (one while it keeps working)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None

    def png(self, figure: dict) -> bytes:
        if self._kaleido is None:
            self._start()
        try:
            return self._call(self._kaleido.calc_fig(figure, opts=dict(PNG_OPTIONS)))
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        import kaleido

        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="chart-renderer", daemon=True).start()
        options = {"path": str(self.chromium_path), "plotlyjs": str(_plotly_js()), "mathjax": False,
                   "timeout": RENDER_TIMEOUT_S, "n": 1}

        async def opened():
            return await kaleido.Kaleido(**options).__aenter__()

        self.browser_starts += 1
        try:
            self._kaleido = self._call(opened())
        except BaseException:
            self.close()
            raise

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(RENDER_TIMEOUT_S + 10)

    def close(self) -> None:
        """Stop the browser and the loop (the next chart starts them again)."""
        kaleido_, loop, self._kaleido, self._loop = self._kaleido, self._loop, None, None
        if loop is None:
            return
        if kaleido_ is not None:
            try:
                asyncio.run_coroutine_threadsafe(kaleido_.__aexit__(None, None, None), loop).result(10)
            except Exception:  # a browser that already died: nothing left to close
                log.debug("closing the chart renderer failed", exc_info=True)
        loop.call_soon_threadsafe(loop.stop)


_renderers: dict[Path, ChartRenderer] = {}


def renderer_for(chromium_path: Path) -> ChartRenderer:
    """The process's renderer for that browser (created on first use; callers hold _render_lock)."""
    if chromium_path not in _renderers:
        _renderers[chromium_path] = ChartRenderer(chromium_path)
    return _renderers[chromium_path]


@atexit.register
def _close_renderers() -> None:
    for renderer in _renderers.values():
        renderer.close()


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
