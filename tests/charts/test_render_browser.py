"""Every chart type renders in headless Chromium with no console or page errors.

plotly.js comes from the installed plotly package (no CDN); each figure is
drawn with ``Plotly.newPlot`` from the JSON ``build_chart`` returned, and
the page and a screenshot are kept under ``artifacts/charts/`` for people to
look at.
"""
from __future__ import annotations

import json
from pathlib import Path

import plotly
import pytest
from chart_examples import EXAMPLES, days, example

from charts import build_chart, choose_chart

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "charts"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# What plotly.js draws for each type: at least one of these elements must exist.
DRAWN = {
    "bar": ".barlayer .point path", "horizontal_bar": ".barlayer .point path",
    "grouped_bar": ".barlayer .point path", "stacked_bar": ".barlayer .point path",
    "histogram": ".barlayer .point path", "line": ".scatterlayer .js-line",
    "multi_line": ".scatterlayer .js-line",
    "area": ".scatterlayer .js-fill", "scatter": ".scatterlayer .point", "pie": ".pielayer .slice path",
    "kpi": ".indicatorlayer text.number",
}

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{name}</title>
<script src="{plotly_js}"></script></head>
<body style="margin:0;background:white">
<div id="chart" style="width:900px;height:520px"></div>
<script>
  const chart = {chart};
  Plotly.newPlot("chart", chart.figure.data, chart.figure.layout, {{staticPlot: false}})
    .then(() => {{ window.__rendered = true; }});
</script></body></html>
"""


def _extra_examples() -> dict:
    columns = [("date", "DATE"), ("cost", "DOUBLE"), ("installs", "BIGINT")]
    rows = [(d, 100.0 + i * 3 + (i % 7) * 10, 40 + i) for i, d in enumerate(days(45))]
    return {"dual_axis_multi_line": (columns, rows, {"units": {"cost": "USD"}})}


def _chart(name: str) -> dict:
    columns, rows, kwargs = _extra_examples()[name] if name in _extra_examples() else example(name)
    choice = choose_chart(columns, rows, **kwargs)
    chart = build_chart(choice, columns, rows, units=kwargs.get("units"),
                        previous_value=kwargs.get("previous_value"), moving_average=name == "line",
                        title=name.replace("_", " ").capitalize())
    assert chart is not None, choice.reason
    return chart


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _render(browser, name: str, chart: dict) -> tuple[object, list[str]]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html = ARTIFACTS / f"{name}.html"
    html.write_text(PAGE.format(name=name, plotly_js=PLOTLY_JS.as_uri(), chart=json.dumps(chart)),
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": 920, "height": 540})
    problems: list[str] = []
    page.on("console",
            lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(html.as_uri())
    page.wait_for_function("window.__rendered === true", timeout=30_000)
    page.locator("#chart").screenshot(path=str(ARTIFACTS / f"{name}.png"))
    return page, problems


RENDERED = sorted(n for n in EXAMPLES if n != "table") + ["dual_axis_multi_line"]


@pytest.mark.parametrize("name", RENDERED)
def test_chart_renders_without_errors(browser, name):
    chart = _chart(name)
    page, problems = _render(browser, name, chart)
    try:
        assert problems == []
        assert page.locator(".main-svg").count() >= 1
        assert page.locator(DRAWN[chart["type"]]).count() >= 1, f"no {chart['type']} marks drawn"
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 5_000
    finally:
        page.close()


def test_long_campaign_names_are_shortened_on_screen(browser):
    page, problems = _render(browser, "horizontal_bar_ticks", _chart("horizontal_bar"))
    try:
        ticks = page.locator(".ytick text").all_text_contents()
        assert problems == [] and ticks
        assert all(len(t) <= 24 for t in ticks) and any("…" in t for t in ticks)
    finally:
        page.close()


def test_every_drawable_type_is_rendered():
    drawn = {_chart(name)["type"] for name in RENDERED}
    assert drawn == set(DRAWN)
