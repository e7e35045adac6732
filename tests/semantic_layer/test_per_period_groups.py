"""Per-period averages grouped by an attribute computed from the date itself (a weekday): each
group is divided by its own buckets, not by every bucket of the period. Checked by execution on a
table written for the test, with and without a time range, against numbers worked out by hand."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest
import yaml

from semantic_layer import SemanticQuery, load_semantic_model, run_query
from warehouse.duckdb import DuckDBWarehouse

# 2026-06-01 is a Monday: 14 days = two of each weekday. Rows per day: 10 on Mondays, 4 on other days,
# and a country attribute that is not computed from the date.
SPEC = {"semantic_models": [{
    "name": "trips", "table": "trips", "description": "Trips.",
    "entities": [{"name": "trip", "type": "primary", "expr": "id"}],
    "dimensions": [
        {"name": "trip_date", "type": "time", "expr": "day", "description": "Day.",
         "type_params": {"time_granularity": "day"}},
        {"name": "weekday", "type": "categorical", "expr": "dayname(day)", "description": "Weekday."},
        {"name": "country", "type": "categorical", "description": "Country."}],
    "measures": [{"name": "trips", "agg": "count", "expr": "id", "agg_time_dimension": "trip_date"}]}],
    "metrics": [{"name": "trips", "type": "simple", "description": "Trips.", "units": "count",
                 "type_params": {"measure": "trips"}}]}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("per-period")
    path = folder / "trips.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("""CREATE TABLE trips AS
            SELECT row_number() OVER () AS id, d.day, CASE WHEN n % 2 = 0 THEN 'US' ELSE 'BR' END AS country
            FROM (SELECT DATE '2026-06-01' + CAST(range AS INT) AS day FROM range(14)) AS d,
                 range(10) AS r(n)
            WHERE dayname(d.day) = 'Monday' OR n < 4""")
    (folder / "model.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    wh = DuckDBWarehouse(path)
    yield load_semantic_model(folder / "model.yaml"), wh
    wh.close()


@pytest.mark.parametrize("time_range", [None, (date(2026, 6, 1), date(2026, 6, 14))])
def test_a_weekday_is_averaged_over_its_own_days(setup, time_range):
    model, wh = setup
    query = SemanticQuery(metrics=["trips"], dimensions=["weekday"], per_period="day", time_range=time_range)
    rows = dict(run_query(model, query, wh).rows)
    assert rows["Monday"] == pytest.approx(10.0) and rows["Tuesday"] == pytest.approx(4.0)


def test_another_attribute_is_averaged_over_every_day_of_the_range(setup):
    model, wh = setup
    query = SemanticQuery(metrics=["trips"], dimensions=["country"], per_period="day",
                          time_range=(date(2026, 6, 1), date(2026, 6, 14)))
    rows = dict(run_query(model, query, wh).rows)
    # US rows: n = 0, 2 every day, plus n = 4, 6, 8 on the two Mondays -> 28 + 6 = 34 over 14 days
    assert rows["US"] == pytest.approx(34 / 14)
