"""The same analytic questions give the same answers on DuckDB and on ClickHouse.

ClickHouse runs twice: in process (chdb) and as a server behind HTTP (the
chdb-backed test server of ``ch_http_server.py``, driven by the real
clickhouse-connect client, so its type decoding is covered too).

Each query is written once in DuckDB SQL and transpiled by sqlglot to
ClickHouse, as the SQL guard does; where sqlglot's output is wrong for
ClickHouse, the case carries its own ClickHouse text and says why. Results
are compared as multisets: floats within a relative tolerance, dates and
timestamps as ISO strings, booleans as 0/1 (ClickHouse predicates are UInt8).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any, NamedTuple

import pytest
import sqlglot
from ch_http_server import running_server

from warehouse.clickhouse import ClickHouseWarehouse


class Case(NamedTuple):
    duckdb: str
    clickhouse: str | None = None  # only when transpiling is not enough
    empty: bool = False  # the right answer is no rows


PAID = "installs i JOIN campaigns c ON i.campaign_id = c.campaign_id"
SPEND = "ad_spend s JOIN campaigns c ON s.campaign_id = c.campaign_id"

CASES: dict[str, Case] = {
    "spend_by_media_source": Case(
        f"SELECT c.media_source, SUM(s.cost) AS cost, SUM(s.clicks) AS clicks FROM {SPEND} "
        "GROUP BY c.media_source"
    ),
    "installs_by_platform_country": Case(
        "SELECT platform, country, COUNT(*) AS installs FROM installs GROUP BY platform, country"
    ),
    "organic_vs_paid": Case(
        "SELECT campaign_id IS NULL AS organic, COUNT(*) AS installs FROM installs GROUP BY 1"
    ),
    "fraud_rate_by_source": Case(
        "SELECT c.media_source, AVG(CASE WHEN i.is_fraud THEN 1.0 ELSE 0.0 END) AS fraud_rate, "
        f"COUNT(*) AS installs FROM {PAID} GROUP BY c.media_source"
    ),
    "revenue_by_month": Case(
        "SELECT CAST(date_trunc('month', event_time) AS DATE) AS month, SUM(revenue) AS revenue "
        "FROM events GROUP BY 1"
    ),
    "dau_last_month": Case(
        "SELECT CAST(event_time AS DATE) AS day, COUNT(DISTINCT user_id) AS dau FROM events "
        "WHERE event_name = 'session_start' AND event_time >= TIMESTAMP '2026-06-01' GROUP BY 1"
    ),
    "roas_by_campaign": Case(
        "WITH rev AS (SELECT i.campaign_id, SUM(e.revenue) AS revenue FROM events e "
        "JOIN installs i ON e.user_id = i.user_id WHERE i.campaign_id IS NOT NULL GROUP BY i.campaign_id), "
        "cost AS (SELECT campaign_id, SUM(cost) AS cost FROM ad_spend GROUP BY campaign_id) "
        "SELECT c.campaign_id, COALESCE(r.revenue, 0) / c.cost AS roas "
        "FROM cost c LEFT JOIN rev r ON r.campaign_id = c.campaign_id"
    ),
    "cpi_by_channel": Case(
        "WITH cost AS (SELECT c.channel, SUM(s.cost) AS cost FROM ad_spend s JOIN campaigns c "
        "ON s.campaign_id = c.campaign_id GROUP BY c.channel), "
        f"paid AS (SELECT c.channel, COUNT(*) AS installs FROM {PAID} GROUP BY c.channel) "
        "SELECT cost.channel, cost.cost / paid.installs AS cpi "
        "FROM cost JOIN paid ON cost.channel = paid.channel"
    ),
    "ctr_by_ad_format": Case(
        f"SELECT c.ad_format, SUM(s.clicks) * 1.0 / SUM(s.impressions) AS ctr FROM {SPEND} "
        "GROUP BY c.ad_format"
    ),
    "top_10_campaigns_by_cost": Case(
        "SELECT campaign_id, SUM(cost) AS cost FROM ad_spend GROUP BY campaign_id ORDER BY cost DESC LIMIT 10"
    ),
    # A LEFT JOIN whose unmatched rows must be NULL (the connectors set join_use_nulls=1).
    "d1_retention_by_platform": Case(
        "SELECT i.platform, COUNT(DISTINCT e.user_id) * 1.0 / COUNT(DISTINCT i.user_id) AS d1 "
        "FROM installs i LEFT JOIN events e ON e.user_id = i.user_id "
        "AND CAST(e.event_time AS DATE) = CAST(i.install_time AS DATE) + INTERVAL 1 DAY GROUP BY i.platform"
    ),
    "arppu_by_country": Case(
        "SELECT i.country, SUM(e.revenue) / COUNT(DISTINCT e.user_id) AS arppu FROM events e "
        "JOIN installs i ON e.user_id = i.user_id WHERE e.revenue > 0 GROUP BY i.country"
    ),
    "click_to_install_seconds_by_fraud_type": Case(
        "SELECT fraud_type, AVG(date_diff('second', click_time, install_time)) AS avg_s, "
        "MIN(date_diff('second', click_time, install_time)) AS min_s FROM installs "
        "WHERE click_time IS NOT NULL GROUP BY fraud_type"
    ),
    "fraud_types_including_null": Case(
        "SELECT fraud_type, COUNT(*) AS installs FROM installs GROUP BY fraud_type"
    ),
    "event_mix_having": Case(
        "SELECT event_name, COUNT(*) AS n, SUM(revenue) AS revenue FROM events "
        "GROUP BY event_name HAVING COUNT(*) > 1000"
    ),
    # ClickHouse names a subquery's `c.campaign_id` column "c.campaign_id": alias explicitly.
    "top_2_campaigns_per_source_window": Case(
        "SELECT media_source, campaign_id, installs, rnk FROM (SELECT c.media_source AS media_source, "
        "c.campaign_id AS campaign_id, COUNT(*) AS installs, "
        "RANK() OVER (PARTITION BY c.media_source ORDER BY COUNT(*) DESC) AS rnk "
        f"FROM {PAID} GROUP BY c.media_source, c.campaign_id) t WHERE rnk <= 2"
    ),
    "this_quarter_is_empty": Case(
        "SELECT platform, COUNT(*) AS installs FROM installs WHERE install_time >= TIMESTAMP '2026-07-01' "
        "GROUP BY platform",
        empty=True,
    ),
    # sqlglot writes DAY_OF_WEEK, which ClickHouse lacks; DuckDB's dayofweek is Sunday = 0.
    "sessions_by_weekday": Case(
        "SELECT dayofweek(event_time) AS dow, COUNT(*) AS sessions FROM events "
        "WHERE event_name = 'session_start' GROUP BY 1",
        clickhouse="SELECT toDayOfWeek(event_time) % 7 AS dow, COUNT(*) AS sessions FROM events "
        "WHERE event_name = 'session_start' GROUP BY 1",
    ),
    "spend_last_7_days": Case(
        "SELECT date, SUM(cost) AS cost FROM ad_spend "
        "WHERE date BETWEEN DATE '2026-06-24' AND DATE '2026-06-30' GROUP BY date"
    ),
    "installs_per_week": Case(
        "SELECT CAST(date_trunc('week', install_time) AS DATE) AS week, COUNT(*) AS installs "
        "FROM installs GROUP BY 1"
    ),
}


def clickhouse_sql(case: Case) -> str:
    return case.clickhouse or sqlglot.transpile(case.duckdb, read="duckdb", write="clickhouse")[0]


def comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        # date_trunc gives a TIMESTAMP in DuckDB and a Date in ClickHouse; midnight means a day.
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _sort_key(row: tuple[Any, ...]) -> tuple:
    # Exact values first, floats (rounded) last: tiny float differences must not reorder rows.
    exact = tuple((v is None, repr(v)) for v in row if not isinstance(v, float))
    return exact + tuple(f"{v:.6g}" for v in row if isinstance(v, float))


def as_multiset(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted((tuple(comparable(v) for v in row) for row in rows), key=_sort_key)


def same_value(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, (int, float)):
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)
    return left == right


@pytest.fixture(scope="module")
def clickhouse_http_wh(demo_db_path, tmp_path_factory):
    """The demo data in a ClickHouse-over-HTTP server (a subprocess with its own chdb folder)."""
    data = tmp_path_factory.mktemp("ch-http-demo") / "data"
    with running_server(data, user="asklytics", password="x-secret", load_duckdb=demo_db_path) as port:
        wh = ClickHouseWarehouse(f"http://asklytics:x-secret@127.0.0.1:{port}/default", max_rows=100_000)
        yield wh
        wh.close()


@pytest.mark.parametrize("engine", ["chdb_wh", "clickhouse_http_wh"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_same_answer_on_duckdb_and_clickhouse(name, engine, duckdb_wh, request):
    case = CASES[name]
    expected = duckdb_wh.execute(case.duckdb)
    actual = request.getfixturevalue(engine).execute(clickhouse_sql(case))
    assert not expected.truncated and not actual.truncated
    assert (expected.row_count == 0) == case.empty, "a comparison of empty results proves nothing"
    assert len(actual.columns) == len(expected.columns)
    left, right = as_multiset(expected.rows), as_multiset(actual.rows)
    assert len(left) == len(right)
    mismatches = [(a, b) for a, b in zip(left, right, strict=True) if not all(map(same_value, a, b))]
    assert not mismatches, mismatches[:3]


def test_multiset_comparison_catches_a_real_difference():
    assert as_multiset([(1, 2.0), (2, 3.0)]) == as_multiset([(2, 3.0), (1, 2.0)])
    left, right = as_multiset([("a", 1.0)]), as_multiset([("a", 1.001)])
    assert not all(map(same_value, left[0], right[0]))
