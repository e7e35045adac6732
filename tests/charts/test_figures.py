"""Figures built from rows: valid Plotly, formatted by unit, sorted, labelled, coloured."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from chart_examples import CHANNELS, EXAMPLES, by_day_and, campaign_names, daily, days, example
from test_selection_table import CASES

from charts import ChartChoice, build_chart, choose_chart
from charts.palette import PALETTE, assign_colours, colour_for


def chart_for(name: str, **build_kwargs):
    columns, rows, kwargs = example(name)
    choice = choose_chart(columns, rows, **kwargs)
    build_kwargs.setdefault("units", kwargs.get("units"))
    build_kwargs.setdefault("previous_value", kwargs.get("previous_value"))
    return build_chart(choice, columns, rows, **build_kwargs)


def validated(chart: dict) -> go.Figure:
    json.dumps(chart)  # JSON-native values only: the API returns it as is
    return go.Figure(chart["figure"])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_example_builds_a_valid_figure_of_its_type(name):
    chart = chart_for(name)
    if name == "table":
        assert chart is None
        return
    assert chart["type"] == name and chart["reason"]
    figure = validated(chart)
    assert len(figure.data) >= 1
    assert json.loads(pio.to_json(chart["figure"], validate=True))["data"]


@pytest.mark.parametrize(("columns", "rows", "kwargs", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_every_selection_case_builds(columns, rows, kwargs, expected):
    choice = choose_chart(columns, rows, **kwargs)
    chart = build_chart(choice, columns, rows, units=kwargs.get("units"),
                        previous_value=kwargs.get("previous_value"), moving_average=True)
    if expected == "table":
        assert chart is None
    else:
        assert chart["type"] == expected
        validated(chart)


def test_ranking_is_sorted_with_long_names_shortened_but_kept_whole():
    figure = chart_for("horizontal_bar")["figure"]
    bars = figure["data"][0]
    assert bars["orientation"] == "h"
    assert bars["x"] == sorted(bars["x"], reverse=True)
    axis = figure["layout"]["yaxis"]
    assert axis["autorange"] == "reversed"  # the largest bar on top
    assert set(bars["y"]) <= set(campaign_names(12))  # full names in the data, and so in hover
    assert all(len(t) <= 24 for t in axis["ticktext"]) and axis["tickvals"] == bars["y"]
    assert len(set(axis["ticktext"])) == len(axis["ticktext"])


def test_unsorted_categories_are_sorted_by_value():
    columns = [("media_source", "VARCHAR"), ("cost", "DOUBLE")]
    rows = [("Unity", 5.0), ("Google", 9.0), ("TikTok", 7.0), ("Facebook", 1.0)]
    bars = build_chart(choose_chart(columns, rows), columns, rows)["figure"]["data"][0]
    assert bars["x"] == ["Google", "TikTok", "Unity", "Facebook"]


def test_units_shape_the_axes_and_hover():
    bar = chart_for("bar")["figure"]
    assert bar["layout"]["yaxis"]["tickformat"] == "~s"  # counts in the hundred thousands
    histogram = chart_for("histogram")["figure"]
    assert histogram["layout"]["xaxis"]["tickprefix"] == "$"
    assert histogram["layout"]["xaxis"]["title"]["text"] == "LTV (USD)"
    columns, rows = [("day_n", "INTEGER"), ("retention", "DOUBLE")], [(n, 0.4 * 0.9 ** n) for n in range(31)]
    line = build_chart(choose_chart(columns, rows), columns, rows, units={"retention": "ratio"})["figure"]
    assert line["layout"]["yaxis"]["tickformat"].endswith("%")
    assert "%{y:.2%}" in line["data"][0]["hovertemplate"]


def test_time_series_use_a_date_axis_in_time_order():
    columns, rows, _ = example("line")
    figure = build_chart(choose_chart(columns, list(reversed(rows))), columns, list(reversed(rows)))["figure"]
    assert figure["layout"]["xaxis"]["type"] == "date"
    xs = figure["data"][0]["x"]
    assert xs == sorted(xs) and xs[0] == "2026-01-01"


def test_anomaly_markers_flag_the_spike():
    columns, rows, _ = example("line")
    spike_day = rows[60][0].isoformat()  # daily() multiplies the middle day by 2.5
    figure = build_chart(choose_chart(columns, rows), columns, rows)["figure"]
    markers = [t for t in figure["data"] if t.get("name") == "Anomaly"]
    assert len(markers) == 1 and spike_day in markers[0]["x"]
    quiet = build_chart(choose_chart(columns, rows), columns, rows, anomalies=False)["figure"]
    assert all(t.get("name") != "Anomaly" for t in quiet["data"])


def test_moving_average_is_optional_and_trailing():
    columns = [("date", "DATE"), ("installs", "BIGINT")]
    rows = [(d, 10 * (i + 1)) for i, d in enumerate(days(21))]
    choice = choose_chart(columns, rows)
    plain = build_chart(choice, columns, rows)["figure"]
    smoothed = build_chart(choice, columns, rows, moving_average=True)["figure"]
    assert len(plain["data"]) == 1
    average = smoothed["data"][-1]
    assert average["name"] == "7-period moving average" and average["line"]["dash"] == "dash"
    assert average["y"][:6] == [None] * 6 and average["y"][6] == pytest.approx(40.0)


def test_kpi_shows_change_vs_previous_period():
    chart = chart_for("kpi")
    indicator = chart["figure"]["data"][0]
    assert indicator["type"] == "indicator" and indicator["mode"] == "number+delta"
    assert indicator["value"] == pytest.approx(18234.5)
    assert indicator["delta"]["reference"] == 16000.0 and indicator["delta"]["relative"] is True
    assert indicator["number"]["prefix"] == "$"
    assert "vs previous period" in indicator["title"]["text"]


def test_kpi_reads_previous_value_from_a_column():
    columns, rows = [("installs", "BIGINT"), ("installs_prev", "BIGINT")], [(120, 100)]
    chart = build_chart(choose_chart(columns, rows), columns, rows)
    assert chart["figure"]["data"][0]["delta"]["reference"] == 100.0


def test_many_series_become_top_nine_plus_other_summed():
    columns, rows = by_day_and(campaign_names(40), 5, label="campaign_name")
    figure = build_chart(choose_chart(columns, rows), columns, rows, units={"installs": "count"})["figure"]
    names = [t["name"] for t in figure["data"]]
    assert len(names) == 10 and names[-1] == "Other"
    day_one_total = sum(r[2] for r in rows if r[0] == rows[0][0])
    assert sum(t["y"][0] for t in figure["data"]) == pytest.approx(day_one_total)


def test_rates_beyond_the_cap_are_left_out_not_summed():
    columns = [("date", "DATE"), ("campaign_name", "VARCHAR"), ("ctr", "DOUBLE")]
    rows = [(d, n, 0.01 + j / 1000) for d in days(5) for j, n in enumerate(campaign_names(15))]
    figure = build_chart(choose_chart(columns, rows), columns, rows, units={"ctr": "ratio"})["figure"]
    assert len(figure["data"]) == 9 and "Other" not in [t["name"] for t in figure["data"]]


def test_second_unit_gets_its_own_axis():
    columns = [("date", "DATE"), ("cost", "DOUBLE"), ("installs", "BIGINT")]
    rows = [(d, v, int(v / 3)) for d, v in zip(days(20), daily(20))]
    figure = build_chart(choose_chart(columns, rows), columns, rows, units={"cost": "USD"})["figure"]
    assert [t.get("yaxis", "y") for t in figure["data"]] == ["y", "y2"]
    assert figure["layout"]["yaxis2"]["overlaying"] == "y" and figure["layout"]["yaxis"]["tickprefix"] == "$"


def test_bar_modes_and_stacked_area():
    assert chart_for("grouped_bar")["figure"]["layout"]["barmode"] == "group"
    assert chart_for("stacked_bar")["figure"]["layout"]["barmode"] == "stack"
    area = chart_for("area")["figure"]
    assert {t["stackgroup"] for t in area["data"]} == {"one"} and len(area["data"]) == len(CHANNELS)


def test_category_colours_are_stable_across_answers():
    pie = chart_for("pie")["figure"]["data"][0]
    pie_colours = dict(zip(pie["customdata"], pie["marker"]["colors"]))
    area = chart_for("area")["figure"]["data"]
    area_colours = {t["name"]: t["line"]["color"] for t in area}
    assert pie_colours == area_colours
    assert len(set(pie_colours.values())) == len(pie_colours)


def test_palette_is_deterministic_and_distinct_within_a_chart():
    names = campaign_names(20)
    assert assign_colours(names) == assign_colours(list(reversed(names)))
    assert len(set(assign_colours(names).values())) == len(PALETTE)
    assert colour_for("TikTok") == colour_for("tiktok") and colour_for("Other") == "#9e9e9e"


def test_scatter_names_each_point():
    chart = chart_for("scatter")
    trace = chart["figure"]["data"][0]
    assert trace["mode"] == "markers" and trace["text"] == campaign_names(40)
    assert "%{text}" in trace["hovertemplate"]


def test_pie_keeps_full_names_for_hover_and_merges_nothing():
    columns = [("campaign_name", "VARCHAR"), ("installs", "BIGINT")]
    rows = [("Facebook_iOS_US_Lookalike_Broad_Audience_A", 5),
            ("Facebook_iOS_US_Lookalike_Broad_Audience_B", 4), ("Google", 3)]
    pie = build_chart(ChartChoice("pie", "asked"), columns, rows)["figure"]["data"][0]
    assert len(set(pie["labels"])) == 3 and pie["customdata"][0] == rows[0][0]


def test_mixed_python_values_become_json():
    columns = [("day", "TIMESTAMP"), ("revenue", "DECIMAL(18,2)")]
    rows = [(dt.datetime(2026, 1, 1, 0, 0), Decimal("1.50")), (dt.datetime(2026, 1, 2), None),
            ("2026-01-03T00:00:00", Decimal("2.25")), (dt.datetime(2026, 1, 4), Decimal(3))]
    chart = build_chart(choose_chart(columns, rows), columns, rows)
    trace = chart["figure"]["data"][0]
    assert trace["x"] == ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]
    assert trace["y"] == [1.5, None, 2.25, 3.0]
    validated(chart)


def test_table_and_empty_results_have_no_chart():
    columns = [("installs", "BIGINT")]
    assert build_chart(ChartChoice("table", "many columns"), columns, [(1,)]) is None
    assert build_chart(ChartChoice("bar", "x"), columns, []) is None


def test_a_bare_choice_is_encoded_like_an_override():
    columns, rows = [("platform", "VARCHAR"), ("installs", "BIGINT")], [("iOS", 1), ("Android", 2)]
    chart = build_chart(ChartChoice("horizontal_bar", "asked for"), columns, rows)
    assert chart["type"] == "horizontal_bar" and chart["figure"]["data"][0]["orientation"] == "h"


def test_a_choice_naming_a_missing_column_fails_clearly():
    columns, rows = [("platform", "VARCHAR"), ("installs", "BIGINT")], [("iOS", 1)]
    with pytest.raises(ValueError, match="'cost' is not in the result"):
        build_chart(ChartChoice("bar", "x", x="platform", y=("cost",)), columns, rows)


def test_title_goes_into_the_layout():
    chart = chart_for("bar", title="Installs by platform")
    assert chart["figure"]["layout"]["title"]["text"] == "Installs by platform"


def test_the_reused_profile_never_serves_a_changed_result():
    columns = [("platform", "VARCHAR"), ("installs", "BIGINT")]
    rows = [("iOS", 1), ("Android", 2)]
    choose_chart(columns, rows)
    rows.append(("Web", 3))  # same list object, now longer
    bars = build_chart(choose_chart(columns, rows), columns, rows)["figure"]["data"][0]
    assert bars["x"] == ["iOS", "Android", "Web"]  # already ranked (ascending) by the query: kept
    other = [("iOS", 5), ("Android", 1)]
    assert build_chart(choose_chart(columns, other), columns, other)["figure"]["data"][0]["y"] == [5.0, 1.0]


def test_numpy_and_pandas_values_are_understood():
    import numpy as np
    import pandas as pd

    columns = [("day", ""), ("installs", "")]  # untyped: roles come from the values
    rows = [(pd.Timestamp("2026-01-01") + pd.Timedelta(days=i), np.int64(10 * i)) for i in range(12)]
    choice = choose_chart(columns, rows)
    assert choice.type == "line"
    trace = build_chart(choice, columns, rows)["figure"]["data"][0]
    assert trace["x"][:2] == ["2026-01-01", "2026-01-02"] and trace["y"][1] == 10.0
    assert isinstance(trace["y"][1], float)
