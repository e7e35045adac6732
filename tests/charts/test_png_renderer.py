"""One Chromium for every chart (#19): the renderer keeps its browser between charts, and a
failed render closes it so the next chart starts a fresh one. Real Chromium, real Kaleido."""
from __future__ import annotations

import json
import struct
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest

from charts.png import RENDER_FAILED, ChartRenderer, render_chart_png

CHROMIUM = Path("/usr/bin/chromium")


def _figure(values: list[int]) -> dict:
    return json.loads(plotly.io.to_json(go.Figure(go.Bar(x=["a", "b", "c"][:len(values)], y=values))))


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


@pytest.fixture
def renderer():
    r = ChartRenderer(CHROMIUM)
    yield r
    r.close()


def test_charts_share_one_browser(renderer):
    pngs = [renderer.png(_figure(values)) for values in ([1, 2], [3, 1, 2], [5])]
    assert [_png_size(p) for p in pngs] == [(900, 520)] * 3
    assert len(set(pngs)) == 3  # three different charts, not one image served again
    assert renderer.browser_starts == 1


def test_after_close_the_next_chart_starts_a_browser_again(renderer):
    renderer.png(_figure([1, 2]))
    renderer.close()
    assert _png_size(renderer.png(_figure([2, 1]))) == (900, 520)
    assert renderer.browser_starts == 2


def test_a_browser_that_fails_gives_the_note_and_a_good_one_still_draws():
    assert render_chart_png(_figure([1, 2]), Path("/bin/false")).note == RENDER_FAILED
    drawn = render_chart_png(_figure([1, 2]), CHROMIUM)
    assert drawn.note is None and _png_size(drawn.png) == (900, 520)
