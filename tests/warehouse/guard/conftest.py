"""The demo contract's tables as a ``Schema``, for tests that need no data.

Data-backed tests use the real ``duckdb_wh.schema()``; a test there checks
that this hand-written copy matches it, so the two cannot drift apart.
"""
from __future__ import annotations

from pathlib import Path

import pytest
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


@pytest.fixture(scope="session")
def schema_of_contract() -> Schema:
    return contract_schema()
