"""The demo contract's tables as a ``Schema``, for tests that need no data.

Data-backed tests use the real ``duckdb_wh.schema()``; a test there checks
that this hand-written copy matches it, so the two cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
from pathlib import Path

import yaml

from warehouse.base import Schema, SchemaColumn, SchemaTable

CONTRACT_TABLES = {
    "campaigns": {
        "campaign_id": "VARCHAR", "campaign_name": "VARCHAR", "media_source": "VARCHAR",
        "platform": "VARCHAR", "country": "VARCHAR", "channel": "VARCHAR",
        "ad_format": "VARCHAR", "start_date": "DATE",
    },
    "ad_spend": {
        "date": "DATE", "campaign_id": "VARCHAR", "impressions": "BIGINT",
        "clicks": "BIGINT", "cost": "DOUBLE",
    },
    "installs": {
        "install_id": "VARCHAR", "user_id": "VARCHAR", "campaign_id": "VARCHAR",
        "install_time": "TIMESTAMP", "click_time": "TIMESTAMP", "platform": "VARCHAR",
        "country": "VARCHAR", "device_model": "VARCHAR", "os_version": "VARCHAR",
        "ip_hash": "VARCHAR", "is_fraud": "BOOLEAN", "fraud_type": "VARCHAR",
    },
    "events": {
        "event_id": "BIGINT", "user_id": "VARCHAR", "event_time": "TIMESTAMP",
        "event_name": "VARCHAR", "revenue": "DOUBLE",
    },
}


def contract_schema() -> Schema:
    return Schema({
        name: SchemaTable(name, tuple(SchemaColumn(c, t) for c, t in columns.items()))
        for name, columns in CONTRACT_TABLES.items()
    })


HERE = Path(__file__).parent


def load_cases(filename: str) -> list[dict]:
    """A YAML list of cases, each with a unique ``id``."""
    cases = yaml.safe_load((HERE / filename).read_text(encoding="utf-8"))
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), f"duplicate ids in {filename}"
    return cases


def comparable(value):
    """One cell in an engine-neutral form: numbers as float, dates as ISO text."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _sort_key(row: tuple) -> tuple:
    # Floats are rounded for ordering only; the comparison itself uses isclose.
    return tuple((0, "") if v is None else (1, f"{v:.5g}") if isinstance(v, float) else (2, str(v))
                 for v in row)


def assert_rows_equal(got, expected, *, ordered: bool) -> None:
    got = [tuple(comparable(v) for v in row) for row in got]
    expected = [tuple(comparable(v) for v in row) for row in expected]
    assert len(got) == len(expected), f"{len(got)} rows, expected {len(expected)}"
    if not ordered:
        got, expected = sorted(got, key=_sort_key), sorted(expected, key=_sort_key)
    for index, (g, e) in enumerate(zip(got, expected)):
        assert len(g) == len(e), f"row {index}: {g} vs {e}"
        for a, b in zip(g, e):
            if isinstance(a, float) and isinstance(b, float):
                same = math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
            else:
                same = a == b
            assert same, f"row {index}: {g} != {e}"
