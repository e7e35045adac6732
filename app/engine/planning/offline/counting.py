"""Counts of entities: "how many campaigns" (a metric) or "how many countries do we target" (SQL).

Campaigns have a metric of their own (``campaign_count``). Other entities are
counted as distinct values of their column with a small read-only statement
that still passes the SQL guard like any other.
"""
from __future__ import annotations

from app.engine.planning.plan import SqlPlan

# Where each countable dimension lives, as (table, column).
COUNTABLE = {
    "media_source": ("campaigns", "media_source"), "channel": ("campaigns", "channel"),
    "ad_format": ("campaigns", "ad_format"), "country": ("campaigns", "country"),
    "platform": ("campaigns", "platform"), "device_model": ("installs", "device_model"),
    "os_version": ("installs", "os_version"), "event_name": ("events", "event_name"),
    "fraud_type": ("installs", "fraud_type"),
}


def count_distinct_plan(dimension: str, value_filters, dialect: str) -> SqlPlan | None:
    """``SELECT COUNT(DISTINCT col)`` over the dimension's table, with equality filters on that table."""
    if dimension not in COUNTABLE:
        return None
    table, column = COUNTABLE[dimension]
    wheres = [_condition(f) for f in value_filters if COUNTABLE.get(f.dimension, ("", ""))[0] == table]
    where = f" WHERE {' AND '.join(wheres)}" if wheres else ""
    sql = f"SELECT COUNT(DISTINCT {column}) AS {column}_count FROM {table}{where}"
    return SqlPlan(sql=sql, dialect="duckdb", intent="single_value", confidence=0.85,
                   rationale=f"count of distinct {dimension} values")


def _condition(value_filter) -> str:
    column = COUNTABLE[value_filter.dimension][1]
    quoted = ", ".join("'" + str(v).replace("'", "''") + "'" for v in value_filter.values)
    negate = "NOT " if value_filter.op in ("!=", "not in") else ""
    return f"{column} {negate}IN ({quoted})"
