"""Attacks on row-level access, straight at the policed connector (no guard, no planner in front).

Each statement runs under a policy on the full warehouse and, unpoliced, on a copy cut down by
hand to the policy's rows (tests/policy_warehouses.py). They must return the same rows -- so no
row, count or total outside the policy reached the answer -- or the statement is refused.
Two policies (a TikTok agency, a Brazil manager) times every statement below.
"""
from __future__ import annotations

import math

import pytest

from tests.policy_warehouses import POLICIES
from warehouse.access import AccessDenied, PolicedWarehouse, RowPolicy, TableLink, apply_row_policy
from warehouse.errors import WarehouseError
from warehouse.registry import connect

LINKS = {
    "ad_spend": (TableLink("ad_spend", "campaign_id", "campaigns", "campaign_id"),),
    "installs": (TableLink("installs", "campaign_id", "campaigns", "campaign_id"),),
    "events": (TableLink("events", "user_id", "installs", "user_id"),),
    "churn_scores": (TableLink("churn_scores", "user_id", "installs", "user_id"),),
    "ltv_predictions": (TableLink("ltv_predictions", "user_id", "installs", "user_id"),),
    "fraud_scores": (TableLink("fraud_scores", "install_id", "installs", "install_id"),),
}

# Statements that must give exactly the cut copy's answer.
SAME_AS_CUT = {
    "all campaigns": "SELECT * FROM campaigns",
    "campaigns per source": "SELECT media_source, COUNT(*) FROM campaigns GROUP BY 1",
    "all installs": "SELECT COUNT(*) FROM installs",
    "organic installs": "SELECT COUNT(*) FROM installs WHERE campaign_id IS NULL",
    "total revenue": "SELECT ROUND(SUM(revenue), 4) FROM events",
    "total spend": "SELECT ROUND(SUM(cost), 4) FROM ad_spend",
    "IN subquery": "SELECT COUNT(*) FROM events WHERE user_id IN "
                   "(SELECT user_id FROM installs WHERE country = 'US')",
    "scalar subquery": "SELECT (SELECT COUNT(*) FROM campaigns) AS n",
    "EXISTS on outside rows": "SELECT COUNT(*) FROM campaigns WHERE EXISTS "
                              "(SELECT 1 FROM campaigns d WHERE d.media_source = 'Facebook')",
    "CTE": "WITH c AS (SELECT * FROM campaigns) SELECT COUNT(*) FROM c",
    "chained CTEs": "WITH a AS (SELECT * FROM installs), b AS (SELECT * FROM a WHERE platform = 'iOS') "
                    "SELECT COUNT(*) FROM b",
    "UNION ALL": "SELECT campaign_name FROM campaigns UNION ALL SELECT campaign_id FROM ad_spend",
    "UNION of totals": "SELECT COUNT(*) FROM installs WHERE campaign_id IS NULL "
                       "UNION ALL SELECT COUNT(*) FROM installs",
    "EXCEPT": "SELECT campaign_id FROM campaigns EXCEPT "
              "SELECT campaign_id FROM campaigns WHERE media_source = 'TikTok'",
    "INTERSECT": "SELECT user_id FROM installs INTERSECT SELECT user_id FROM events",
    "self-join": "SELECT a.campaign_name, b.campaign_name FROM campaigns a "
                 "JOIN campaigns b ON a.country = b.country",
    "cross join": "SELECT COUNT(*) FROM campaigns a, campaigns b",
    "derived table": "SELECT COUNT(*) FROM (SELECT * FROM installs) t",
    "window over everything": "SELECT campaign_name, COUNT(*) OVER () FROM campaigns",
    "schema-qualified": "SELECT COUNT(*) FROM main.campaigns",
    "upper case": "SELECT COUNT(*) FROM CAMPAIGNS",
    "quoted name": 'SELECT COUNT(*) FROM "Campaigns"',
    "recursive CTE": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
                     "SELECT n, (SELECT COUNT(*) FROM installs) FROM r",
    "LATERAL": "SELECT c.campaign_id, x.n FROM campaigns c, LATERAL (SELECT COUNT(*) AS n FROM installs i "
               "WHERE i.campaign_id = c.campaign_id) x",
    "events of invisible users": "SELECT COUNT(*) FROM events e LEFT JOIN installs i USING (user_id) "
                                 "WHERE i.user_id IS NULL",
    "churn predictions": "SELECT COUNT(*), ROUND(AVG(churn_probability), 6) FROM churn_scores",
    "fraud predictions": "SELECT COUNT(*), ROUND(SUM(fraud_probability), 4) FROM fraud_scores",
    "ltv predictions": "SELECT COUNT(*), ROUND(SUM(ltv_p50), 4) FROM ltv_predictions",
    "prediction joined to installs": "SELECT i.country, COUNT(*) FROM churn_scores s "
                                     "JOIN installs i USING (user_id) "
                                     "GROUP BY 1",
    "ROLLUP total": "SELECT media_source, ROUND(SUM(cost), 4) FROM ad_spend "
                    "JOIN campaigns USING (campaign_id) "
                    "GROUP BY ROLLUP (media_source)",
    "outside values asked for": "SELECT COUNT(*) FROM campaigns WHERE media_source IN ('Facebook', 'Google')",
    "OR 1=1": "SELECT COUNT(*) FROM campaigns WHERE media_source = 'TikTok' OR 1 = 1",
    "distinct countries": "SELECT DISTINCT country FROM installs",
    "first and last install": "SELECT MIN(install_time), MAX(install_time) FROM installs",
    "QUALIFY": "SELECT campaign_name FROM campaigns QUALIFY ROW_NUMBER() OVER (ORDER BY campaign_name) <= 3",
    "correlated scalar": "SELECT c.campaign_name, (SELECT ROUND(SUM(cost), 4) FROM ad_spend s "
                         "WHERE s.campaign_id = c.campaign_id) FROM campaigns c",
    "ANY": "SELECT COUNT(*) FROM installs WHERE campaign_id = ANY (SELECT campaign_id FROM campaigns)",
    "string_agg": "SELECT string_agg(campaign_name, ',' ORDER BY campaign_name) FROM campaigns",
    "comments": "SELECT COUNT(*) FROM /* installs */ campaigns -- all of them",
    "VALUES probe": "SELECT v.x, COUNT(c.campaign_id) FROM "
                    "(VALUES ('Facebook'), ('TikTok'), ('Google')) v(x) "
                    "LEFT JOIN campaigns c ON c.media_source = v.x GROUP BY 1",
    "three-way join": "SELECT c.country, ROUND(SUM(e.revenue), 4) FROM events e "
                      "JOIN installs i ON i.user_id = e.user_id "
                      "JOIN campaigns c ON c.campaign_id = i.campaign_id GROUP BY 1",
    "typed literal": "SELECT COUNT(*) FROM installs WHERE platform = 'iOS' "
                     "AND install_time >= TIMESTAMP '2026-01-01'",
}

# Statements that could route around the wrapping: refused under a policy.
REFUSED = {
    "CTE named like a table": "WITH campaigns AS (SELECT * FROM main.campaigns) "
                              "SELECT COUNT(*) FROM campaigns",
    "CTE faking the policy column": "WITH campaigns AS (SELECT campaign_id, 'TikTok' AS media_source, "
                                    "'BR' AS country "
                                    "FROM ad_spend GROUP BY 1) SELECT COUNT(*) FROM installs",
    "information_schema": "SELECT * FROM information_schema.tables",
    "catalog function": "SELECT * FROM duckdb_tables()",
    "file reader": "SELECT * FROM read_csv('data/keys.csv')",
    "two statements": "SELECT 1; SELECT * FROM campaigns",
    "a write": "DELETE FROM campaigns",
    "unknown table": "SELECT * FROM campaigns_backup",
}


def _normalized(rows) -> list[tuple]:
    return sorted((tuple(round(v, 6) if isinstance(v, float) and math.isfinite(v) else v for v in row)
                   for row in rows), key=repr)


@pytest.fixture(scope="module")
def engines(policy_warehouses):
    opened = {name: connect("duckdb", path=path, max_rows=100_000)
              for name, path in policy_warehouses.items()}
    yield opened
    for warehouse in opened.values():
        warehouse.close()


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("name", SAME_AS_CUT)
def test_a_policed_statement_sees_only_the_policy_rows(engines, policy, name):
    policed = PolicedWarehouse(engines["full"], RowPolicy((POLICIES[policy],), LINKS))
    got = policed.execute(SAME_AS_CUT[name])
    expected = engines[policy].execute(SAME_AS_CUT[name])
    assert _normalized(got.rows) == _normalized(expected.rows)
    unpoliced = engines["full"].execute(SAME_AS_CUT[name])
    assert [c.type for c in got.columns] == [c.type for c in unpoliced.columns]
    assert not any("_acl_" in c.name or "TikTok" in c.name for c in got.columns)  # no policy text shown


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("name", REFUSED)
def test_statements_that_could_escape_the_wrapping_are_refused(engines, policy, name):
    policed = PolicedWarehouse(engines["full"], RowPolicy((POLICIES[policy],), LINKS))
    with pytest.raises(AccessDenied):
        policed.execute(REFUSED[name])


def test_an_engine_error_does_not_quote_a_value_from_outside_the_policy(engines):
    policed = PolicedWarehouse(engines["full"], RowPolicy((POLICIES["tiktok"],), LINKS))
    outside = [row[0] for row in engines["full"].execute(
        "SELECT campaign_name FROM campaigns WHERE media_source <> 'TikTok'").rows]
    with pytest.raises(WarehouseError) as raised:
        policed.execute("SELECT COUNT(*) FROM campaigns WHERE CAST(campaign_name AS INTEGER) = 1")
    assert not any(name in raised.value.message for name in outside)


def test_a_table_that_cannot_be_linked_to_the_filter_is_refused(engines):
    no_links = RowPolicy((POLICIES["tiktok"],), {})
    assert "media_source = 'TikTok'" in apply_row_policy("SELECT * FROM campaigns", no_links,
                                                         engines["full"].schema(), "duckdb")
    with pytest.raises(AccessDenied, match="cannot be limited"):
        apply_row_policy("SELECT COUNT(*) FROM events", no_links, engines["full"].schema(), "duckdb")


@pytest.mark.parametrize("condition", ["media_source = (SELECT 'TikTok')", "1 = 1", "media_source",
                                       "read_csv('x') IS NOT NULL", "DROP TABLE campaigns"])
def test_a_row_filter_must_be_a_plain_condition_on_columns(condition):
    from warehouse.access import parse_row_filter

    with pytest.raises(AccessDenied):
        parse_row_filter(condition)


def test_without_filters_the_statement_is_untouched(engines):
    assert apply_row_policy("SELECT 1", RowPolicy(()), engines["full"].schema(), "duckdb") == "SELECT 1"
