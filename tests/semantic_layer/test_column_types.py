"""Column kinds from DuckDB and ClickHouse type names (semantic_layer/column_types.py)."""
from __future__ import annotations

import pytest

from semantic_layer.column_types import is_date, is_number, is_text, is_time


@pytest.mark.parametrize("type_name, kind", [
    ("DATE", "date"), ("Date32", "date"), ("TIMESTAMP", "time"), ("TIMESTAMP WITH TIME ZONE", "time"),
    ("Nullable(DateTime64(3))", "time"), ("DECIMAL(18,3)", "number"), ("INTEGER", "number"),
    ("HUGEINT", "number"), ("Nullable(Float64)", "number"), ("UInt8", "number"), ("VARCHAR", "text"),
    ("LowCardinality(Nullable(String))", "text"), ("BOOLEAN", "text"), ("INTERVAL", None), ("BLOB", None),
])
def test_each_type_name_has_one_kind(type_name, kind):
    kinds = {"date": is_date(type_name), "time": is_time(type_name) and not is_date(type_name),
             "number": is_number(type_name), "text": is_text(type_name)}
    assert [k for k, v in kinds.items() if v] == ([kind] if kind else [])
    assert is_time(type_name) == (kind in ("date", "time"))
