"""Feature frames built on ClickHouse (chdb, in process) equal the DuckDB ones, row for row.

Both engines hold the scale-1 demo; both are read through ``WarehouseSource``,
the path the planner tools take, so the DuckDB SQL is translated for chdb
exactly as it is for a user. Equal means: the same entity ids in the same
order, the same columns, NULL in the same cells, and numbers within 1e-9.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from predictors.features import churn, fraud, ltv
from predictors.features.base import Cohort, FeatureQuery, WarehouseSource
from predictors.features.dialects import to_clickhouse, translate
from warehouse.errors import QueryFailed

JUNE = Cohort(install_from=dt.date(2026, 6, 1), install_to=dt.date(2026, 6, 30))
CASES = {
    # the tools' own cutoff (as_of) and the held-out cutoffs of training
    "fraud-june": (fraud, dt.date(2026, 7, 1), JUNE),
    "fraud-test-window-tiktok": (fraud, dt.date(2026, 5, 2),
                                 Cohort(media_source="tiktok", install_from=dt.date(2026, 3, 1))),
    "fraud-by-ids": (fraud, dt.date(2026, 7, 1), Cohort(ids=("i0190613", "i0000001", "i9999999"))),
    "churn-everyone": (churn, dt.date(2026, 7, 1), Cohort()),
    "churn-march-ios": (churn, dt.date(2026, 3, 1), Cohort(platform="ios")),
    "ltv-test-window": (ltv, dt.date(2026, 5, 4),
                        Cohort(install_from=dt.date(2026, 3, 20), install_to=dt.date(2026, 4, 30))),
    "ltv-recent-de": (ltv, dt.date(2026, 7, 1), Cohort(country="de")),
    "ltv-one-page": (ltv, dt.date(2026, 7, 1), Cohort(after_id="u0100000", page_size=500)),
}


def assert_same_frame(expected: pd.DataFrame, actual: pd.DataFrame) -> None:
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected)
    for column in expected.columns:
        left, right = expected[column], actual[column]
        assert (left.isna() == right.isna()).all(), f"{column}: NULLs differ"
        left, right = left[left.notna()], right[right.notna()]
        if all(isinstance(v, (int, float)) for v in left):
            assert np.allclose(left.astype(float), right.astype(float), rtol=1e-9, atol=1e-9), column
        else:
            assert left.tolist() == right.tolist(), column


@pytest.fixture(scope="module")
def sources(duckdb_wh, chdb_wh):
    return WarehouseSource(duckdb_wh), WarehouseSource(chdb_wh)


@pytest.mark.parametrize("case", sorted(CASES))
def test_features_on_chdb_equal_those_on_duckdb(case, sources):
    module, cutoff, cohort = CASES[case]
    query = module.feature_query(cutoff, cohort)
    on_duckdb, on_chdb = (source.frame(query) for source in sources)
    assert len(on_duckdb) > 0 and list(on_duckdb.columns[:1]) == [module.ENTITY]
    assert set(module.FEATURES) <= set(on_duckdb.columns)
    assert_same_frame(on_duckdb, on_chdb)


def test_the_comparison_covers_nulls(sources):
    """Organic installs have no campaign to share devices with; silent ones no first event."""
    frame = sources[0].frame(fraud.feature_query(dt.date(2026, 7, 1), JUNE))
    assert frame["device_share_in_campaign_1d"].isna().any()
    assert frame["first_event_delay_s"].isna().any() and frame["first_event_delay_s"].notna().any()


def test_an_aggregate_filter_matching_no_row_is_null_on_both_engines(sources):
    # ClickHouse's own FILTER -> -If rewrite would give 0 and 1970-01-01 here.
    query = FeatureQuery("SELECT count(*) FILTER (WHERE platform = ?) AS n, "
                         "min(click_time) FILTER (WHERE platform = ?) AS first_click, "
                         "max(install_time) FILTER (WHERE platform = ?) AS latest FROM installs",
                         ["Windows", "Windows", "Windows"])
    for source in sources:
        assert source.frame(query).iloc[0].tolist() == [0, None, None]


def test_placeholders_are_named_typed_and_numbered_in_text_order():
    sql, params = to_clickhouse("SELECT '?' AS mark FROM installs WHERE platform = ? AND country = ? LIMIT ?",
                                ["iOS", "DE", 3])
    assert "'?' AS mark" in sql and sql.index("{p0: String}") < sql.index("{p1: String}")
    assert "{p2: Int64}" in sql and params == {"p0": "iOS", "p1": "DE", "p2": 3}


def test_duckdb_sql_is_sent_as_written_and_other_dialects_are_refused():
    assert translate("SELECT ? AS x", ["a"], "duckdb") == ("SELECT ? AS x", ["a"])
    with pytest.raises(QueryFailed, match="sqlite"):
        translate("SELECT 1", [], "sqlite")
