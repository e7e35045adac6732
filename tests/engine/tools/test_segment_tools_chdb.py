"""The segment tools' own SQL (segment_users, list_segment_users, describe_cluster; #22) on ClickHouse:
run on chdb over the scored demo (real RFM segments and clusters, plus an older run the tools must
ignore), they give the same rows as on DuckDB."""
from __future__ import annotations

import math

import pytest

from app.engine.tools import REGISTRY, ToolContext
from app.engine.tools.base import ToolError
from tests.demo_copies import AS_OF
from tests.semantic_layer.conftest import scored_chdb_wh, scored_db_path, scored_duckdb_wh  # noqa: F401

CALLS = {
    "overview": ("segment_users", {}),
    "overview-ios-br": ("segment_users", {"platform": "iOS", "country": "BR"}),
    "overview-tiktok": ("segment_users", {"media_source": "TikTok"}),
    "champions-br": ("list_segment_users", {"rfm_segment": "champions", "country": "BR", "limit": 10}),
    "at-risk-android": ("list_segment_users", {"rfm_segment": "at risk", "platform": "Android", "limit": 10}),
    "cluster-2": ("list_segment_users", {"cluster": 2, "limit": 10}),
    "describe-1": ("describe_cluster", {"cluster": 1}),
    "describe-all": ("describe_cluster", {}),
}


def _run(name: str, arguments: dict, warehouse):
    tool = REGISTRY.get(name)
    return tool.run(tool.validate(arguments), ToolContext(warehouse, models_dir=None, as_of=AS_OF))


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        both = a is not None and b is not None
        return both and math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)
    return str(a) == str(b)  # dates come back as date or string, ids as strings


@pytest.mark.parametrize("call", list(CALLS))
def test_the_segment_tools_give_the_same_rows_on_chdb(call, scored_duckdb_wh, scored_chdb_wh):  # noqa: F811
    assert (scored_duckdb_wh.dialect, scored_chdb_wh.dialect) == ("duckdb", "clickhouse")
    name, arguments = CALLS[call]
    duck, ch = _run(name, arguments, scored_duckdb_wh), _run(name, arguments, scored_chdb_wh)
    assert [c.name for c in ch.result.columns] == [c.name for c in duck.result.columns]
    assert duck.result.rows, call  # a comparison of nothing proves nothing
    assert len(ch.result.rows) == len(duck.result.rows)
    for got, want in zip(ch.result.rows, duck.result.rows, strict=True):
        assert all(_same(g, w) for g, w in zip(got, want, strict=True)), (call, got, want)
    assert ch.narrative == duck.narrative


def test_a_missing_cluster_is_the_same_error_on_chdb(scored_chdb_wh):  # noqa: F811
    with pytest.raises(ToolError) as missing:
        _run("describe_cluster", {"cluster": 42}, scored_chdb_wh)
    assert missing.value.code == "not_found" and "no cluster 42" in missing.value.message
