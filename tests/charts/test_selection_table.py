"""The selection table: result shapes and the chart type a good analyst would pick.

Each case is a real-looking result (engine type names, Python values as the
warehouses return them) with the planner's intent or a user's override, and
the expected chart type.  Reasons must be present and say why.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from chart_examples import (
    CHANNELS,
    COUNTRIES,
    FORMATS,
    FRAUD_TYPES,
    SOURCES,
    by_day_and,
    campaign_names,
    daily,
    days,
    lognormal,
    ranked,
    shuffled,
)

from charts import CHART_TYPES, choose_chart

D, V, B = "DATE", "VARCHAR", "BIGINT"
USD = {"cost": "USD", "revenue": "USD"}


def months(count: int) -> list[dt.date]:
    return [dt.date(2026, m, 1) for m in range(1, count + 1)]


CASES = [
    # id, columns, rows, kwargs, expected
    ("empty", [("installs", B)], [], {}, "table"),
    ("single_value", [("revenue", "DOUBLE")], [(18234.5,)], {}, "kpi"),
    ("single_value_with_prev_column", [("revenue", "DOUBLE"), ("revenue_prev", "DOUBLE")],
     [(120.0, 100.0)], {}, "kpi"),
    ("single_value_previous_kw", [("installs", B)], [(1200,)], {"previous_value": 1100.0}, "kpi"),
    ("single_value_decimal_clickhouse", [("cost", "Nullable(Decimal(18, 2))")],
     [(Decimal("99.50"),)], {}, "kpi"),
    ("single_row_many_measures", [("installs", B), ("cost", "DOUBLE"), ("revenue", "DOUBLE")],
     [(100, 50.0, 70.0)], {}, "table"),
    ("single_null_value", [("revenue", "DOUBLE")], [(None,)], {}, "table"),
    ("single_row_parts_share", [("paid_installs", B), ("organic_installs", B)], [(7000, 3000)],
     {"intent": "share"}, "pie"),
    ("top5_campaigns_roas", [("campaign_name", V), ("roas", "DOUBLE")], ranked(campaign_names(5)),
     {"intent": "rank"}, "horizontal_bar"),
    ("installs_by_platform", [("platform", V), ("installs", B)], [("iOS", 10), ("Android", 20)], {}, "bar"),
    ("installs_by_country", [("country", V), ("installs", B)], ranked(COUNTRIES), {}, "bar"),
    ("cost_by_media_source", [("media_source", V), ("cost", "DOUBLE")], shuffled(ranked(SOURCES)),
     {"intent": "compare"}, "horizontal_bar"),
    ("many_campaigns", [("campaign_name", V), ("installs", B)], ranked(campaign_names(25)), {},
     "horizontal_bar"),
    ("too_many_campaigns", [("campaign_name", V), ("installs", B)], ranked(campaign_names(120)), {}, "table"),
    ("share_by_platform", [("platform", V), ("installs", B)], [("iOS", 10), ("Android", 20)],
     {"intent": "share"}, "pie"),
    ("share_by_channel", [("channel", V), ("installs", B)], ranked(CHANNELS), {"intent": "share"}, "pie"),
    ("share_too_many_parts", [("country", V), ("installs", B)], ranked(COUNTRIES), {"intent": "share"},
     "bar"),
    ("share_with_negatives", [("channel", V), ("profit", "DOUBLE")],
     [("social", 10.0), ("search", -4.0), ("video", 3.0)], {"intent": "share"}, "bar"),
    ("inferred_share_ratios", [("fraud_type", V), ("share", "DOUBLE")],
     [("bot", 0.4), ("click_injection", 0.3), ("device_farm", 0.2), ("sdk_spoofing", 0.1)],
     {"units": {"share": "ratio"}}, "pie"),
    ("daily_installs", [("date", D), ("installs", B)], list(zip(days(181), daily(181))), {}, "line"),
    ("daily_installs_iso_strings", [("day", V), ("installs", B)],
     [(d.isoformat(), v) for d, v in zip(days(30), daily(30))], {}, "line"),
    ("hourly_timestamps", [("hour_start", "TIMESTAMP"), ("events", B)],
     [(dt.datetime(2026, 6, 1) + dt.timedelta(hours=h), 100 + h) for h in range(48)], {}, "line"),
    ("clickhouse_datetime", [("ts", "DateTime64(3, 'UTC')"), ("events", "UInt64")],
     [(dt.datetime(2026, 6, 1, h), 10 * h) for h in range(24)], {}, "line"),
    ("monthly_revenue", [("month", D), ("revenue", "DOUBLE")], list(zip(months(6), daily(6))), {}, "line"),
    ("two_months_only", [("month", D), ("revenue", "DOUBLE")], list(zip(months(2), daily(2))), {}, "bar"),
    ("weekly_by_platform", [("week", D), ("platform", V), ("installs", B)],
     [(d, p, 100 + i) for i, d in enumerate(days(12, step=7)) for p in ("iOS", "Android")], {}, "multi_line"),
    ("daily_by_media_source", *by_day_and(SOURCES, 30), {}, "multi_line"),
    ("daily_by_40_campaigns", *by_day_and(campaign_names(40), 20, label="campaign_name"), {}, "multi_line"),
    ("monthly_share_by_platform", [("month", D), ("platform", V), ("installs", B)],
     [(m, p, 1000 + i) for i, m in enumerate(months(6)) for p in ("iOS", "Android")],
     {"intent": "share"}, "stacked_bar"),
    ("daily_share_by_channel", *by_day_and(CHANNELS, 90, label="channel"), {"intent": "share"}, "area"),
    ("daily_cost_and_revenue", [("date", D), ("cost", "DOUBLE"), ("revenue", "DOUBLE")],
     [(d, v, v * 1.3) for d, v in zip(days(30), daily(30))], {"units": USD}, "multi_line"),
    ("daily_cost_and_installs", [("date", D), ("cost", "DOUBLE"), ("installs", B)],
     [(d, v, int(v / 2)) for d, v in zip(days(30), daily(30))], {"units": USD}, "multi_line"),
    ("daily_three_mixed_measures", [("date", D), ("cost", "DOUBLE"), ("installs", B), ("ctr", "DOUBLE")],
     [(d, v, int(v), 0.02) for d, v in zip(days(30), daily(30))], {}, "table"),
    # Ranked periods are labelled by ISO dates: 10 x 10 characters crowd the axis (was "bar"
    # under the old 12-character rule), 5 of them fit.
    ("top_days_by_installs", [("date", D), ("installs", B)],
     sorted(zip(days(10), daily(10)), key=lambda r: -r[1]), {"intent": "rank"}, "horizontal_bar"),
    ("top5_days_by_installs", [("date", D), ("installs", B)],
     sorted(zip(days(5), daily(5)), key=lambda r: -r[1]), {"intent": "rank"}, "bar"),
    ("ltv_distribution", [("ltv", "DOUBLE")], [(v,) for v in lognormal(500)], {}, "histogram"),
    ("ltv_per_user_distribution", [("user_id", V), ("ltv", "DOUBLE")],
     [(f"u{i:06d}", v) for i, v in enumerate(lognormal(500))], {"intent": "distribution"}, "histogram"),
    ("ltv_per_user_listing", [("user_id", V), ("ltv", "DOUBLE")],
     [(f"u{i:06d}", v) for i, v in enumerate(lognormal(500))], {}, "table"),
    ("too_few_for_distribution", [("ltv", "DOUBLE")], [(v,) for v in lognormal(5)], {}, "table"),
    ("cost_vs_installs_per_campaign", [("campaign_name", V), ("cost", "DOUBLE"), ("installs", B)],
     [(n, 100.0 + 7 * i, 10 + i) for i, n in enumerate(campaign_names(40))], {}, "scatter"),
    ("two_measures_no_labels", [("click_to_install_s", "DOUBLE"), ("revenue", "DOUBLE")],
     [(float(i), float(i % 13)) for i in range(200)], {}, "scatter"),
    ("correlation_same_unit", [("campaign_name", V), ("cost", "DOUBLE"), ("revenue", "DOUBLE")],
     [(n, 100.0 + i, 90.0 + 2 * i) for i, n in enumerate(campaign_names(20))],
     {"intent": "correlation", "units": USD}, "scatter"),
    ("cost_and_revenue_by_source", [("media_source", V), ("cost", "DOUBLE"), ("revenue", "DOUBLE")],
     [(s, 100.0 + i, 120.0 + i) for i, s in enumerate(SOURCES)], {"units": USD}, "grouped_bar"),
    ("cost_and_revenue_share_by_channel", [("channel", V), ("cost", "DOUBLE"), ("revenue", "DOUBLE")],
     [(c, 100.0 + i, 120.0 + i) for i, c in enumerate(CHANNELS)], {"intent": "share", "units": USD},
     "stacked_bar"),
    ("installs_by_source_and_platform", [("media_source", V), ("platform", V), ("installs", B)],
     [(s, p, 100 + i) for i, s in enumerate(SOURCES) for p in ("iOS", "Android")], {}, "grouped_bar"),
    ("share_by_country_and_format", [("country", V), ("ad_format", V), ("installs", B)],
     [(c, f, 10 + i) for i, c in enumerate(COUNTRIES) for f in FORMATS], {"intent": "share"}, "stacked_bar"),
    ("campaign_by_country_grid", [("campaign_name", V), ("country", V), ("installs", B)],
     [(n, c, 1) for n in campaign_names(60) for c in COUNTRIES], {}, "table"),
    ("installs_by_hour_of_day", [("hour", "INTEGER"), ("installs", B)], [(h, 100 + h) for h in range(24)],
     {}, "line"),
    ("installs_by_hour_and_platform", [("hour", "INTEGER"), ("platform", V), ("installs", B)],
     [(h, p, 100 + h) for h in range(24) for p in ("iOS", "Android")], {}, "multi_line"),
    ("installs_by_weekday_name", [("weekday", V), ("installs", B)],
     [(d, 100 + i) for i, d in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])], {}, "bar"),
    ("retention_curve", [("day_n", "INTEGER"), ("retention", "DOUBLE")],
     [(n, round(0.4 * 0.9 ** n, 4)) for n in range(31)], {"units": {"retention": "ratio"}}, "line"),
    ("d7_retention_by_cohort", [("install_date", D), ("d7_retention", "DOUBLE")],
     [(d, 0.1 + (i % 7) / 100) for i, d in enumerate(days(60))], {}, "line"),
    ("listing_intent", [("campaign_name", V), ("installs", B)], ranked(campaign_names(8)),
     {"intent": "list"}, "table"),
    ("no_measure", [("campaign_name", V), ("platform", V)], [(n, "iOS") for n in campaign_names(5)], {},
     "table"),
    ("three_categories", [("country", V), ("platform", V), ("channel", V), ("installs", B)],
     [(c, p, ch, 1) for c in COUNTRIES[:3] for p in ("iOS", "Android") for ch in CHANNELS], {}, "table"),
    ("cohort_grid", [("install_week", D), ("activity_week", D), ("retention", "DOUBLE")],
     [(a, b, 0.3) for a in days(4, step=7) for b in days(4, step=7)], {}, "table"),
    ("clickhouse_nullable_strings", [("campaign_name", "Nullable(String)"), ("roas", "Float64")],
     ranked(campaign_names(6)), {"intent": "rank"}, "horizontal_bar"),
    ("decimal_cost_by_platform", [("platform", "LowCardinality(String)"), ("cost", "Decimal(18, 2)")],
     [("iOS", Decimal("1234.50")), ("Android", Decimal("999.99"))], {}, "bar"),
    ("constant_filter_column", [("date", D), ("platform", V), ("installs", B)],
     [(d, "iOS", v) for d, v in zip(days(30), daily(30))], {}, "line"),
    ("ids_and_names", [("campaign_id", V), ("campaign_name", V), ("roas", "DOUBLE")],
     [(f"c{i:03d}", n, 5.0 - i / 10) for i, n in enumerate(campaign_names(10))], {"intent": "rank"},
     "horizontal_bar"),
    # docs/charts.md "Bar or horizontal bar": horizontal when bars x longest label > 72 characters
    # or there are more than 10 bars.
    ("ten_countries", [("country", V), ("installs", B)], ranked(COUNTRIES + ["KR", "MX"]), {}, "bar"),
    ("eleven_countries_are_many", [("country", V), ("installs", B)], ranked(COUNTRIES + ["KR", "MX", "ES"]),
     {"intent": "rank"}, "horizontal_bar"),
    ("seven_sources_without_apple", [("media_source", V), ("cpi", "DOUBLE")], ranked(SOURCES[:7]),
     {"units": {"cpi": "USD"}}, "bar"),
    ("seven_sources_with_apple", [("media_source", V), ("installs", B)], ranked(SOURCES[1:]), {},
     "horizontal_bar"),
    # Four fraud types ("click_injection", 15 characters) fit under vertical bars: was
    # "horizontal_bar" when any label over 12 characters turned the bars.
    ("fraud_types", [("fraud_type", V), ("fraud_installs", B)], ranked(FRAUD_TYPES), {}, "bar"),
    ("two_campaigns", [("campaign_name", V), ("cost", "DOUBLE")], ranked(campaign_names(2)), {"units": USD},
     "bar"),
    ("three_campaigns", [("campaign_name", V), ("cost", "DOUBLE")], ranked(campaign_names(3)), {"units": USD},
     "horizontal_bar"),
    # A pie needs values that add up to a whole: CPI per channel does not.
    ("share_of_cpi_is_not_a_pie", [("channel", V), ("cpi", "DOUBLE")], ranked(CHANNELS),
     {"intent": "share", "units": {"cpi": "USD"}}, "bar"),
    ("share_of_roas_is_not_a_pie", [("platform", V), ("roas", "DOUBLE")], [("iOS", 1.4), ("Android", 0.9)],
     {"intent": "share"}, "bar"),
    ("share_of_spend_by_fraud_type", [("fraud_type", V), ("cost", "DOUBLE")], ranked(FRAUD_TYPES),
     {"intent": "share", "units": USD}, "pie"),
    ("fraud_flag_counts", [("is_fraud", "BOOLEAN"), ("installs", B)], [(False, 9000), (True, 1000)], {},
     "bar"),
    ("null_measure_in_bars", [("platform", V), ("revenue", "DOUBLE")], [("iOS", 10.0), ("Android", None)],
     {}, "bar"),
    ("untyped_columns", [("date", ""), ("installs", "")], list(zip(days(20), range(20))), {}, "line"),
    ("column_dicts_as_in_answer_json",
     [{"name": "platform", "type": "VARCHAR"}, {"name": "installs", "type": "BIGINT"}],
     [["iOS", 3], ["Android", 4]], {}, "bar"),
    # user overrides ("as a pie", "show it as a line chart") and misfits falling back
    ("override_pie_fits", [("platform", V), ("installs", B)], [("iOS", 10), ("Android", 20)],
     {"requested": "as a pie"}, "pie"),
    ("override_line_on_series", [("week", D), ("platform", V), ("installs", B)],
     [(d, p, 100 + i) for i, d in enumerate(days(12, step=7)) for p in ("iOS", "Android")],
     {"requested": "show it as a line chart"}, "multi_line"),
    ("override_pie_negative_time_series", [("date", D), ("net", "DOUBLE")],
     [(d, float(i - 5)) for i, d in enumerate(days(10))], {"requested": "pie"}, "line"),
    ("override_line_without_x", [("platform", V), ("installs", B)], [("iOS", 10), ("Android", 20)],
     {"requested": "line"}, "bar"),
    ("override_table", [("platform", V), ("installs", B)], [("iOS", 10), ("Android", 20)],
     {"requested": "just a table please"}, "table"),
    ("override_histogram", [("campaign_name", V), ("installs", B)], ranked(campaign_names(30)),
     {"requested": "histogram"}, "histogram"),
    ("override_horizontal", [("platform", V), ("installs", B)], [("iOS", 10), ("Android", 20)],
     {"requested": "horizontal bars"}, "horizontal_bar"),
    ("override_kpi_on_many_rows", [("platform", V), ("installs", B)], [("iOS", 10), ("Android", 20)],
     {"requested": "kpi"}, "bar"),
    ("override_bars_on_series", [("week", D), ("platform", V), ("installs", B)],
     [(d, p, 100 + i) for i, d in enumerate(days(6, step=7)) for p in ("iOS", "Android")],
     {"requested": "bar chart"}, "grouped_bar"),
    ("override_stacked", [("week", D), ("platform", V), ("installs", B)],
     [(d, p, 100 + i) for i, d in enumerate(days(6, step=7)) for p in ("iOS", "Android")],
     {"requested": "stacked bars"}, "stacked_bar"),
    ("override_scatter", [("media_source", V), ("cost", "DOUBLE"), ("revenue", "DOUBLE")],
     [(s, 100.0 + i, 120.0 + i) for i, s in enumerate(SOURCES)], {"requested": "scatter plot"}, "scatter"),
    ("override_area", [("date", D), ("installs", B)], list(zip(days(30), daily(30))),
     {"requested": "area chart"}, "area"),
]


def test_table_is_large_and_ids_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)
    assert {case[4] for case in CASES} == set(CHART_TYPES)  # every type is reachable


@pytest.mark.parametrize(("columns", "rows", "kwargs", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_selected_chart_type(columns, rows, kwargs, expected):
    choice = choose_chart(columns, rows, **kwargs)
    assert choice.type == expected, choice.reason
    assert choice.reason and "\n" not in choice.reason
    assert choose_chart(columns, rows, **kwargs) == choice  # deterministic


def test_misfit_override_says_why():
    columns, rows = [("date", D), ("net", "DOUBLE")], [(d, float(i - 5)) for i, d in enumerate(days(10))]
    choice = choose_chart(columns, rows, requested="as a pie")
    assert choice.type == "line"
    assert "a pie does not fit" in choice.reason and "negative" in choice.reason


def test_fitting_override_is_acknowledged():
    choice = choose_chart([("platform", V), ("installs", B)], [("iOS", 1), ("Android", 2)],
                          requested="as a pie")
    assert choice.reason.startswith("as requested")


def test_unreadable_override_keeps_best_fit():
    choice = choose_chart([("platform", V), ("installs", B)], [("iOS", 1), ("Android", 2)],
                          requested="sparkly")
    assert choice.type == "bar" and "no chart type recognised" in choice.reason


def test_many_series_reason_mentions_other():
    columns, rows = by_day_and(campaign_names(40), 20, label="campaign_name")
    choice = choose_chart(columns, rows)
    assert choice.series == "campaign_name" and "Other" in choice.reason


def test_row_order_does_not_change_the_choice():
    columns = [("media_source", V), ("cost", "DOUBLE")]
    rows = ranked(SOURCES)
    assert choose_chart(columns, rows).type == choose_chart(columns, shuffled(rows)).type


def test_unknown_intent_is_inferred_from_shape():
    choice = choose_chart([("date", D), ("installs", B)], list(zip(days(30), daily(30))), intent="whatever")
    assert choice.type == "line"


def test_share_of_a_rate_says_why_it_is_not_a_pie():
    choice = choose_chart([("channel", V), ("cpi", "DOUBLE")], ranked(CHANNELS), intent="share",
                          units={"cpi": "USD"})
    assert choice.type == "bar" and "does not add up to a whole" in choice.reason


def test_crowded_labels_say_why_the_bars_are_horizontal():
    choice = choose_chart([("media_source", V), ("cost", "DOUBLE")], ranked(SOURCES), units=USD)
    assert choice.type == "horizontal_bar" and "too long or too many" in choice.reason
