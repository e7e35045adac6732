"""Charts from real warehouse results: DuckDB and chdb (ClickHouse types) over the demo data.

The same questions asked of both engines must get the same chart type,
whatever each engine calls its types (VARCHAR vs Nullable(String), DATE vs
Date, DOUBLE vs Float64, BIGINT vs UInt64) and however it returns values.
"""
from __future__ import annotations

import plotly.graph_objects as go
import pytest

from charts import build_chart, choose_chart

QUERIES = [
    # id, sql (runs on both engines), intent, units, expected
    ("daily_installs",
     ("SELECT CAST(install_time AS DATE) AS day, COUNT(*) AS installs FROM installs "
     "WHERE install_time < TIMESTAMP '2026-04-01 00:00:00' GROUP BY day ORDER BY day"),
     None, {"installs": "count"}, "line"),
    ("cost_by_media_source",
     ("SELECT c.media_source, SUM(s.cost) AS cost FROM ad_spend s "
      "JOIN campaigns c ON c.campaign_id = s.campaign_id GROUP BY c.media_source ORDER BY cost DESC"),
     "rank", {"cost": "USD"}, "horizontal_bar"),
    ("installs_share_by_platform",
     "SELECT platform, COUNT(*) AS installs FROM installs GROUP BY platform ORDER BY platform",
     "share", None, "pie"),
    ("total_cost",
     "SELECT SUM(cost) AS cost FROM ad_spend", "single_value", {"cost": "USD"}, "kpi"),
    ("fraud_rate_by_source_monthly",
     ("SELECT DATE_TRUNC('month', i.install_time) AS month, c.media_source, "
     "AVG(CASE WHEN i.is_fraud THEN 1.0 ELSE 0.0 END) AS fraud_rate "
     "FROM installs i JOIN campaigns c ON c.campaign_id = i.campaign_id GROUP BY month, c.media_source"),
     "trend", {"fraud_rate": "ratio"}, "multi_line"),
    ("installs_by_platform_and_channel",
     ("SELECT c.channel, i.platform, COUNT(*) AS installs FROM installs i "
     "JOIN campaigns c ON c.campaign_id = i.campaign_id GROUP BY c.channel, i.platform"),
     "compare", None, "grouped_bar"),
    ("purchase_revenue_distribution",
     "SELECT revenue FROM events WHERE event_name = 'purchase' AND revenue > 0 ORDER BY event_id LIMIT 2000",
     "distribution", {"revenue": "USD"}, "histogram"),
    ("nothing_this_quarter",
     ("SELECT CAST(install_time AS DATE) AS day, COUNT(*) AS installs FROM installs "
     "WHERE install_time >= TIMESTAMP '2026-07-01 00:00:00' GROUP BY day"),
     "trend", None, "table"),
]


def _chart(warehouse, sql: str, intent, units):
    result = warehouse.execute(sql)
    choice = choose_chart(result.columns, result.rows, intent=intent, units=units)
    return choice, build_chart(choice, result.columns, result.rows, units=units), result


@pytest.mark.parametrize(("sql", "intent", "units", "expected"), [q[1:] for q in QUERIES],
                         ids=[q[0] for q in QUERIES])
def test_duckdb_result_gets_the_expected_chart(duckdb_wh, sql, intent, units, expected):
    choice, chart, _ = _chart(duckdb_wh, sql, intent, units)
    assert choice.type == expected, choice.reason
    if chart is not None:
        go.Figure(chart["figure"])


@pytest.mark.parametrize(("sql", "intent", "units", "expected"), [q[1:] for q in QUERIES],
                         ids=[q[0] for q in QUERIES])
def test_chdb_result_gets_the_same_chart(chdb_wh, sql, intent, units, expected):
    choice, chart, result = _chart(chdb_wh, sql, intent, units)
    assert choice.type == expected, f"{choice.reason} (types: {[c.type for c in result.columns]})"
    if chart is not None:
        go.Figure(chart["figure"])
