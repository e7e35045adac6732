"""``model init`` dates a table's measures by the time column that dates its rows, not by the first
time column found, and says in the YAML which one and why (semantic_layer/bootstrap_time.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
import yaml

from semantic_layer import check_against_schema, load_semantic_model
from semantic_layer.bootstrap import bootstrap_model, render_yaml
from semantic_layer.bootstrap_time import row_time_column
from warehouse.duckdb import DuckDBWarehouse


@pytest.fixture(scope="module")
def appsflyer(tmp_path_factory):
    """An AppsFlyer-shaped in-app events export (the touch and install come before the event) and
    its installs export, in the vendor's column order."""
    path = tmp_path_factory.mktemp("af") / "af.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("""CREATE TABLE in_app_events AS SELECT
            TIMESTAMP '2026-01-01 08:00' + (i % 7) * INTERVAL 1 DAY AS "Attributed Touch Time",
            TIMESTAMP '2026-01-01 09:00' + (i % 7) * INTERVAL 1 DAY AS "Install Time",
            TIMESTAMP '2026-01-08 10:00' + i * INTERVAL 5 HOUR AS "Event Time",
            ['af_purchase', 'af_login'][i % 2 + 1] AS "Event Name", i * 0.5 AS "Event Revenue USD",
            'media' || (i % 3) AS "Media Source"
            FROM range(200) t(i)""")
        conn.execute("""CREATE TABLE installs AS SELECT
            TIMESTAMP '2026-01-01 08:00' + i * INTERVAL 1 DAY AS "Attributed Touch Time",
            TIMESTAMP '2026-01-01 09:00' + i * INTERVAL 1 DAY AS "Install Time",
            'media' || (i % 3) AS "Media Source", 1.25 AS "Cost Value"
            FROM range(30) t(i)""")
    return path


def _generated(path, out):
    with DuckDBWarehouse(path) as wh:
        model = bootstrap_model(wh.schema(), lambda sql: wh.execute(sql).rows)
        out.write_text(render_yaml(model, "test"))
        assert check_against_schema(load_semantic_model(out), wh.schema()) == []
    return model


def _dated_by(model, table: str) -> set[str]:
    semantic = next(m for m in model["semantic_models"] if m["name"] == table)
    return {measure["agg_time_dimension"] for measure in semantic["measures"]}


def test_an_events_export_is_dated_by_its_event_time(appsflyer, tmp_path):
    model = _generated(appsflyer, tmp_path / "m.yaml")
    assert _dated_by(model, "in_app_events") == {"event_time_date"}
    assert _dated_by(model, "installs") == {"install_time_date"}


def test_the_yaml_says_which_column_and_why(appsflyer, tmp_path):
    _generated(appsflyer, tmp_path / "m.yaml")
    text = (tmp_path / "m.yaml").read_text()
    comment = " ".join(line.lstrip("# ") for line in text.split("- name: in_app_events")[0].splitlines()
                       if line.startswith("# ") and "model init" not in line and "Edit" not in line)
    assert "in_app_events: its measures are dated by event_time_date (Event Time)" in comment
    assert "shares 'event' with the table's name" in comment
    assert "attributed_touch_time_date, install_time_date" in comment and "agg_time_dimension" in comment
    loaded = yaml.safe_load(text)  # comments are comments: the content is unchanged by them
    assert [m["name"] for m in loaded["semantic_models"]] == ["in_app_events", "installs"]


def test_one_time_column_needs_no_comment(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE sales AS SELECT DATE '2026-01-01' + i::INTEGER AS day, 2.0 AS amount "
                     "FROM range(5) t(i)")
    model = _generated(path, tmp_path / "m.yaml")
    assert _dated_by(model, "sales") == {"day"} and model.comments == {}


def _no_stats(_columns):
    raise AssertionError("the names decide: no query")


@pytest.mark.parametrize(("table", "columns", "chosen"), [
    ("orders", ["shipped_date", "order_date", "delivered_date"], "order_date"),
    ("Orders Export", ["Shipped At", "Ordered At"], "Ordered At"),
    ("installs_report", ["Attributed Touch Time", "Install Time"], "Install Time"),
    ("categories", ["updated_at", "category_created"], "category_created"),
    ("users", ["last_seen", "created_at", "birth_date"], "created_at"),
    ("page_views", ["first_visit", "timestamp"], "timestamp"),
    ("sessions", ["event_time", "session_start"], "session_start"),  # the shared word before a usual name
])
def test_names_decide(table, columns, chosen):
    assert row_time_column(table, columns, _no_stats).column == chosen


def test_a_usual_name_settles_several_that_share_the_tables_word():
    found = row_time_column("events", ["event_date", "event_time"], _no_stats)
    assert found.column == "event_time" and "shares 'event'" in found.reason and "usual" in found.reason


def test_the_data_decides_when_the_names_do_not():
    stats = {"first_touch": (12, dt.date(2026, 1, 3)), "closed_on": (90, dt.datetime(2026, 1, 2, 9))}
    found = row_time_column("deals", ["first_touch", "closed_on"], lambda kept: stats)
    assert found.column == "closed_on" and "most distinct values (90)" in found.reason
    tied = {"a": (5, dt.date(2026, 1, 1)), "b": (5, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))}
    found = row_time_column("t", ["a", "b"], lambda kept: tied)
    assert found.column == "b" and "latest" in found.reason


def test_no_time_column():
    assert row_time_column("t", [], _no_stats) is None
