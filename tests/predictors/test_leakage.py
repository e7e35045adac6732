"""No feature uses data after its cutoff: features at T are unchanged when later rows are deleted."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from predictors.features import churn, fraud, ltv
from predictors.features.base import Cohort, ConnectionSource
from tests.predictors.conftest import copy_demo

CUTOFF = dt.date(2026, 4, 15)
RECENT = Cohort(install_from=CUTOFF - dt.timedelta(days=10))


@pytest.fixture(scope="module")
def full_and_truncated(demo_db_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("leakage")
    full = copy_demo(demo_db_path, folder, "full.duckdb")
    cut = copy_demo(demo_db_path, folder, "cut.duckdb")
    with duckdb.connect(str(cut)) as connection:
        connection.execute(f"DELETE FROM events WHERE event_time >= TIMESTAMP '{CUTOFF}'")
        connection.execute(f"DELETE FROM installs WHERE install_time >= TIMESTAMP '{CUTOFF}'")
    sources = [ConnectionSource(duckdb.connect(str(path), read_only=True)) for path in (full, cut)]
    yield sources
    for source in sources:
        source.connection.close()


@pytest.mark.parametrize("module,cohort", [(fraud, RECENT), (ltv, RECENT), (churn, Cohort())],
                         ids=["fraud", "ltv", "churn"])
def test_features_ignore_rows_after_the_cutoff(full_and_truncated, module, cohort):
    full, truncated = (source.frame(module.feature_query(CUTOFF, cohort)) for source in full_and_truncated)
    assert len(full) > 500
    pd.testing.assert_frame_equal(full, truncated)


def test_the_truncated_copy_really_lost_later_data(full_and_truncated):
    full, truncated = (source.connection.execute("SELECT count(*) FROM events").fetchone()[0]
                       for source in full_and_truncated)
    assert truncated < full * 0.8
