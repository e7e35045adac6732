"""Rollups (aggregate awareness): routing decisions, identical results with and without them on
DuckDB and chdb, the watermark fallback, and the incremental build.

The rollups are built by the product's builder into a copy of the scale-1 demo, in DuckDB and in
chdb (the same definitions transpiled to ClickHouse SQL, MergeTree tables).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import shutil

import duckdb
import pytest

from semantic_layer import DEMO_MODEL_PATH, SemanticQuery, load_semantic_model, run_query
from semantic_layer.compiler import rollups_used
from semantic_layer.model import SemanticModel
from semantic_layer.rollup_build import (
    ChdbRollupWriter,
    DuckDBRollupWriter,
    build_rollups,
    read_rollup_states,
)
from semantic_layer.rollups import definition_hash
from warehouse.duckdb import DuckDBWarehouse

JUNE = ["2026-06-01", "2026-06-30"]
Q2 = ["2026-04-01", "2026-06-30"]
H1 = ["2026-01-01", "2026-06-30"]


def q(**contract) -> SemanticQuery:
    return SemanticQuery.from_contract({"dimensions": [], "filters": [], "time_range": None, "order_by": [],
                                        "limit": None, **contract})


# (query, the rollups it must read); [] = base tables only
ROUTING = {
    "installs last month": (q(metrics=["installs"], time_range=JUNE), ["installs_daily"]),
    "installs by source and month": (q(metrics=["installs", "paid_installs", "fraud_rate"],
                                       dimensions=["media_source", "metric_time__month"], time_range=H1),
                                     ["installs_daily"]),
    "installs by device model (not in the rollup)": (q(metrics=["installs"], dimensions=["device_model"],
                                                       time_range=JUNE), []),
    "revenue iOS vs Android": (q(metrics=["revenue"], dimensions=["platform"], time_range=Q2,
                                 filters=["platform IN ('iOS', 'Android')"]), ["events_daily"]),
    "roas: revenue from the rollup, spend from ad_spend": (
        q(metrics=["roas"], dimensions=["campaign_name"], filters=["platform = 'iOS'"], time_range=JUNE,
          order_by=[["roas", "desc"]], limit=5), ["events_daily"]),
    "dau": (q(metrics=["dau"], time_range=JUNE), ["active_users_daily"]),
    "dau weekly": (q(metrics=["dau"], dimensions=["metric_time__week"], time_range=Q2),
                   ["active_users_daily"]),
    "dau by platform (its own rollup: a distinct count is never added across platforms)": (
        q(metrics=["dau"], dimensions=["platform"], time_range=JUNE), ["active_users_platform_daily"]),
    "dau by media source": (q(metrics=["dau"], dimensions=["media_source"], time_range=JUNE),
                            ["active_users_media_source_daily"]),
    "dau of iOS users by country (platform is in no DAU rollup with country)": (
        q(metrics=["dau"], dimensions=["country"], filters=["platform = 'iOS'"], time_range=JUNE), []),
    "dau by platform and country (no rollup has both)": (
        q(metrics=["dau"], dimensions=["platform", "country"], time_range=JUNE), []),
    "active users (the users' ids kept per month)": (q(metrics=["active_users"], time_range=JUNE),
                                                    ["users_monthly"]),
    "arpu by country last month": (q(metrics=["arpu"], dimensions=["country"], time_range=JUNE,
                                     order_by=[["arpu", "desc"]]), ["users_monthly"]),
    "paying users by media source, monthly": (q(metrics=["paying_users"], time_range=H1,
                                                dimensions=["media_source", "metric_time__month"]),
                                              ["users_monthly"]),
    "weekly active users (a month's ids cannot be split into weeks)": (
        q(metrics=["active_users"], dimensions=["metric_time__week"], time_range=Q2), []),
    "active users of June 10-20 (no whole month)": (
        q(metrics=["active_users"], time_range=["2026-06-10", "2026-06-20"]), []),
    "users with a purchase (event_name is not in the monthly rollup)": (
        q(metrics=["active_users"], filters=["event_name = 'purchase'"], time_range=JUNE), []),
    "retention by country": (q(metrics=["retention_d7"], dimensions=["country"],
                               time_range=["2026-05-01", "2026-05-31"]), ["retention_daily"]),
    # a cohort's size next to an activity period is bounded by the cohort (branches.branch_time_range):
    # the base path's rule, so its installs are not read from a rollup filtered by the activity period
    "revenue per install of a cohort in June (the size from the base tables)": (
        q(metrics=[], divide=["revenue", "installs"], time_range=JUNE,
          cohort={"install_range": ["2026-01-01", "2026-01-31"]}), []),
    "share of a cohort that purchased in June (an activity filter)": (
        q(metrics=[], divide=["active_users", "installs"], filters=["event_name = 'purchase'"],
          time_range=JUNE, cohort={"install_range": ["2026-04-01", "2026-04-30"]}), []),
    "retention of a cohort": (q(metrics=["retention_d7"],
                                cohort={"install_range": ["2026-05-01", "2026-05-31"]}), ["retention_daily"]),
    "d1 retention by media source, Q2 cohort": (
        q(metrics=["retention_d1"], dimensions=["media_source"], cohort={"install_range": Q2}),
        ["retention_daily"]),
    "retention of iOS Facebook installers by cohort week (filters the rollup has)": (
        q(metrics=["retention_d1", "retention_d7"], time_range=Q2,
          cohort={"install_range": Q2, "filters": ["platform = 'iOS'", "media_source = 'Facebook'"],
                  "grain": "week"}), ["retention_daily"]),
    "retention of a cohort by device model (a filter the rollup lacks)": (
        q(metrics=["retention_d7"], cohort={"install_range": Q2, "filters": ["device_model = 'Pixel 8'"]}),
        []),
    "installs of a cohort": (q(metrics=["installs", "paid_installs"], dimensions=["country"],
                               cohort={"install_range": Q2}), ["installs_daily"]),
    "revenue of a cohort (events_daily keeps no cohort date)": (
        q(metrics=["revenue"], time_range=JUNE, cohort={"install_range": Q2}), []),
    "dau of a cohort (a per-day distinct count)": (
        q(metrics=["dau"], time_range=JUNE, cohort={"install_range": Q2}), []),
    "no time range: the rollup, then the days after its watermark": (
        q(metrics=["installs"], dimensions=["media_source"]), ["installs_daily"]),
    "retention without a time range": (q(metrics=["retention_d7"], dimensions=["country"]),
                                       ["retention_daily"]),
    "a snapshot measure (no time axis)": (q(metrics=["campaign_count"], dimensions=["media_source"]), []),
    "per-period average (not routed)": (q(metrics=["installs"], time_range=JUNE, per_period="day"), []),
}

# further shapes compared both ways (with ROUTING's queries)
SHAPES = {
    "paid installs by channel, top 3": q(metrics=["paid_installs"], dimensions=["channel"], time_range=Q2,
                                         order_by=[["paid_installs", "desc"]], limit=3),
    "fraud installs by fraud type": q(metrics=["fraud_installs"], dimensions=["fraud_type"], time_range=H1),
    "organic installs by country in June": q(metrics=["organic_installs"], dimensions=["country"],
                                             time_range=JUNE),
    "installs by acquisition type, not Facebook": q(metrics=["installs"], dimensions=["acquisition_type"],
                                                     filters=["media_source != 'Facebook'"], time_range=Q2),
    "sessions and revenue by day": q(metrics=["sessions", "revenue"], dimensions=["metric_time"],
                                     time_range=JUNE),
    "attributed revenue by ad format, quarterly": q(metrics=["attributed_revenue"], time_range=H1,
                                                    dimensions=["ad_format", "metric_time__quarter"]),
    "revenue by event name, organic only": q(metrics=["revenue", "event_count"], dimensions=["event_name"],
                                             filters=["is_organic = TRUE"], time_range=Q2),
    "campaigns with revenue over 1000": q(metrics=["revenue"], dimensions=["campaign_name"], time_range=JUNE,
                                          having=["revenue > 1000"]),
    "count of days with more than 1300 installs": q(metrics=["installs"], dimensions=["metric_time__day"],
                                                    time_range=JUNE, having=["installs > 1300"],
                                                    count_groups=True),
    "retention d1/d7/d30 by media source and month": q(
        metrics=["retention_d1", "retention_d7", "retention_d30"],
        dimensions=["media_source", "metric_time__month"], time_range=["2026-01-01", "2026-05-31"]),
    "dau weekly by country in Q2": q(metrics=["dau"], dimensions=["country", "metric_time__week"],
                                     time_range=Q2),
    "dau of Android users in June (platform fixed)": q(metrics=["dau"], filters=["platform = 'Android'"],
                                                       time_range=JUNE),
    "dau and revenue monthly": q(metrics=["dau", "revenue"], dimensions=["metric_time__month"],
                                 time_range=H1),
    "empty period": q(metrics=["installs", "revenue"], time_range=["2026-07-01", "2026-07-31"]),
    "retention d1/d7/d30 of a Q1 cohort by country, May installs only (both windows)": q(
        metrics=["retention_d1", "retention_d7", "retention_d30"], dimensions=["country"],
        time_range=["2026-03-15", "2026-05-31"], cohort={"install_range": ["2026-01-01", "2026-03-31"]}),
    "retention of organic non-fraud installers by cohort month": q(
        metrics=["retention_d7"], cohort={"install_range": H1, "grain": "month",
                                          "filters": ["is_organic = TRUE", "is_fraud = FALSE"]}),
    "retention matrix: cohort month x install week, paid channels": q(
        metrics=["retention_d1"], dimensions=["metric_time__week", "channel"], time_range=Q2,
        cohort={"install_range": Q2, "grain": "month", "filters": ["acquisition_type = 'paid'"]}),
    "top 3 campaigns by d7 retention of a cohort": q(
        metrics=["retention_d7"], dimensions=["campaign_name"], cohort={"install_range": Q2},
        order_by=[["retention_d7", "desc"]], limit=3),
    "paying users from mid-April to June 20 (May from the rollup, the edges from events)": q(
        metrics=["paying_users", "active_users"], dimensions=["platform"],
        time_range=["2026-04-10", "2026-06-20"]),
    "arppu by media source, quarterly": q(metrics=["arppu"], time_range=H1,
                                          dimensions=["media_source", "metric_time__quarter"]),
    "top 3 campaigns by arpu in Q2 (organic users have none)": q(
        metrics=["arpu"], dimensions=["campaign_name"], time_range=Q2, order_by=[["arpu", "desc"]], limit=3),
    "active users of fraudulent installs, no time range": q(metrics=["active_users"],
                                                            filters=["is_fraud = TRUE"]),
    "monthly active users by channel, ending mid-June": q(
        metrics=["active_users"], dimensions=["channel", "metric_time__month"],
        time_range=["2026-03-01", "2026-06-15"]),
    "installs by platform of an empty cohort": q(
        metrics=["installs"], dimensions=["platform"],
        cohort={"install_range": ["2026-08-01", "2026-08-31"]}),
}


@pytest.fixture(scope="module")
def model() -> SemanticModel:
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.fixture(scope="module")
def rollup_db(demo_db_path, tmp_path_factory, model):
    path = tmp_path_factory.mktemp("rollups") / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    writer = DuckDBRollupWriter(path)
    try:
        build_rollups(model, writer)
    finally:
        writer.close()
    return path


@pytest.fixture(scope="module")
def rollup_duckdb(rollup_db):
    wh = DuckDBWarehouse(rollup_db, max_rows=100_000)
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def rollup_chdb(_chdb_cached_path, tmp_path_factory, model):
    """The demo in chdb with the rollups built there (ClickHouse SQL, MergeTree tables)."""
    from warehouse.chdb import ChdbWarehouse

    folder = tmp_path_factory.mktemp("rollups-chdb") / "data"
    shutil.copytree(_chdb_cached_path, folder, symlinks=True)
    writer = ChdbRollupWriter(folder)
    try:
        build_rollups(model, writer)
    finally:
        writer.close()
    wh = ChdbWarehouse(folder, timeout_s=60, max_rows=100_000)
    yield wh
    wh.close()


def same_rows(a, b) -> bool:
    # float sums may differ in the last bits with the order the engine adds them in
    return len(a) == len(b) and all(
        len(x) == len(y) and all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9) if isinstance(u, float)
                                 else u == v for u, v in zip(x, y)) for x, y in zip(a, b))


@pytest.mark.parametrize("name", sorted(ROUTING))
def test_routing_decision(name, model, rollup_duckdb):
    query, expected = ROUTING[name]
    _, used = rollups_used(model, query, "duckdb", read_rollup_states(rollup_duckdb))
    assert sorted({c.rollup.name for c in used}) == expected


def test_the_smallest_covering_rollup_answers(model, rollup_duckdb):
    states = read_rollup_states(rollup_duckdb)
    # a smaller rollup with the same measures: chosen when it covers, passed over when it does not
    small = model.spec.rollups[1].model_copy(update={"name": "by_event", "dimensions": ("event_name",)})
    bigger = SemanticModel(model.spec.model_copy(update={"rollups": model.spec.rollups + (small,)}))
    states["by_event"] = dataclasses.replace(states["events_daily"], name="by_event", rows=1086,
                                             definition=definition_hash(bigger, small))
    by_event = q(metrics=["revenue"], dimensions=["event_name"], time_range=JUNE)
    by_platform = q(metrics=["revenue"], dimensions=["platform"], time_range=JUNE)
    assert [c.rollup.name for c in rollups_used(bigger, by_event, "duckdb", states)[1]] == ["by_event"]
    assert [c.rollup.name for c in rollups_used(bigger, by_platform, "duckdb", states)[1]] == ["events_daily"]


def test_a_changed_definition_is_not_used(model, rollup_duckdb):
    states = read_rollup_states(rollup_duckdb)
    changed = model.spec.rollups[0].model_copy(update={"dimensions": ("platform",)})
    other = SemanticModel(model.spec.model_copy(update={"rollups": (changed,) + model.spec.rollups[1:]}))
    query = q(metrics=["installs"], dimensions=["platform"], time_range=JUNE)
    assert [c.rollup.name for c in rollups_used(model, query, "duckdb", states)[1]] == ["installs_daily"]
    assert rollups_used(other, query, "duckdb", states)[1] == []


@pytest.mark.parametrize("engine", ["rollup_duckdb", "rollup_chdb"])
def test_identical_results_with_and_without_rollups(engine, model, request):
    warehouse = request.getfixturevalue(engine)
    states = read_rollup_states(warehouse)
    assert set(states) == {r.name for r in model.spec.rollups}
    queries = {**{n: query for n, (query, _) in ROUTING.items()}, **SHAPES}
    routed = 0
    for name, query in queries.items():
        base = run_query(model, query, warehouse, max_rows=100_000)
        fast = run_query(model, query, warehouse, max_rows=100_000, rollups=states)
        assert same_rows(base.rows, fast.rows), name
        routed += bool(rollups_used(model, query, warehouse.dialect, states)[1])
    assert routed >= 30  # the comparison is not vacuous: most of these read a rollup


def test_past_the_watermark_the_base_tables_answer(model, rollup_duckdb):
    states = {n: dataclasses.replace(s, watermark=dt.date(2026, 5, 31))
              for n, s in read_rollup_states(rollup_duckdb).items()}
    may = q(metrics=["installs"], dimensions=["platform"], time_range=["2026-05-01", "2026-05-31"])
    june = q(metrics=["installs"], dimensions=["platform"], time_range=JUNE)
    assert [c.tail for c in rollups_used(model, may, "duckdb", states)[1]] == [None]
    assert rollups_used(model, june, "duckdb", states)[1] == []
    assert same_rows(run_query(model, june, rollup_duckdb, rollups=states).rows,
                     run_query(model, june, rollup_duckdb).rows)


# Data that arrived after the build: the rollups' states say they were built through May 31, while the
# base tables (and, unused, the rollup tables) hold June too. Each query spans the watermark or has no
# time range: May and before come from the rollup, June from the base tables in the rollup's shape.
PAST_THE_WATERMARK = {
    "installs by source, no time range": q(metrics=["installs", "paid_installs"],
                                           dimensions=["media_source"]),
    "revenue by month and platform, H1": q(metrics=["revenue"], dimensions=["metric_time__month", "platform"],
                                           time_range=H1),
    "dau weekly over Q2 (per-day distinct counts)": q(metrics=["dau"], dimensions=["metric_time__week"],
                                                      time_range=Q2),
    "dau, no time range": q(metrics=["dau"]),
    "retention d1/d7 by country, no time range": q(metrics=["retention_d1", "retention_d7"],
                                                   dimensions=["country"]),
    "retention d1 of a cohort spanning the watermark": q(
        metrics=["retention_d1"], dimensions=["media_source"],
        cohort={"install_range": ["2026-05-15", "2026-06-15"]}),
    "roas by campaign, Q2 (revenue from a rollup, spend from ad_spend)": q(
        metrics=["roas"], dimensions=["campaign_name"], time_range=Q2, order_by=[["roas", "desc"]], limit=5),
    "cpi by channel, no time range": q(metrics=["cpi"], dimensions=["channel"]),
    "paying users by platform, Q2 (April and May from the monthly rollup)": q(
        metrics=["paying_users"], dimensions=["platform"], time_range=Q2),
    "active users by country, no time range": q(metrics=["active_users"], dimensions=["country"]),
}


@pytest.mark.parametrize("engine", ["rollup_duckdb", "rollup_chdb"])
def test_the_days_after_the_watermark_come_from_the_base_tables(engine, model, request):
    warehouse = request.getfixturevalue(engine)
    states = {n: dataclasses.replace(s, watermark=dt.date(2026, 5, 31))
              for n, s in read_rollup_states(warehouse).items()}
    for name, query in PAST_THE_WATERMARK.items():
        used = rollups_used(model, query, warehouse.dialect, states)[1]
        end = query.time_range[1] if query.time_range else None
        assert used and {c.tail for c in used} == {(dt.date(2026, 6, 1), end)}, name
        sql = used and rollups_used(model, query, warehouse.dialect, states)[0].sql(warehouse.dialect)
        assert "rollup_" in sql and "UNION ALL" in sql, name
        base = run_query(model, query, warehouse, max_rows=100_000).rows
        assert base and same_rows(run_query(model, query, warehouse, max_rows=100_000, rollups=states).rows,
                                  base), name


def _table_rows(path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_incremental_build_equals_a_full_build(model, demo_db_path, rollup_duckdb, tmp_path):
    path = tmp_path / "growing.duckdb"
    shutil.copy(demo_db_path, path)
    with duckdb.connect(str(path)) as con:  # the warehouse as it was on June 1: no June data yet
        con.execute("DELETE FROM events WHERE event_time >= TIMESTAMP '2026-06-01'")
        con.execute("DELETE FROM installs WHERE install_time >= TIMESTAMP '2026-06-01'")
    writer = DuckDBRollupWriter(path)
    try:
        first = {r.name: r for r in build_rollups(model, writer)}
        assert all(r.rebuilt and r.watermark == dt.date(2026, 5, 31) for r in first.values())
        writer.run(f"ATTACH '{demo_db_path}' AS full_demo (READ_ONLY)")
        writer.run("INSERT INTO events SELECT * FROM full_demo.events "
                   "WHERE event_time >= TIMESTAMP '2026-06-01'")
        writer.run("INSERT INTO installs SELECT * FROM full_demo.installs "
                   "WHERE install_time >= TIMESTAMP '2026-06-01'")
        writer.run("DETACH full_demo")
        seen: list[tuple[str, int, int]] = []
        second = {r.name: r for r in build_rollups(model, writer, progress=lambda *p: seen.append(p))}
        again = {r.name: r for r in build_rollups(model, writer)}
    finally:
        writer.close()
    # incremental: from the watermark day (retention: 30 days before it) to the new last day
    assert {n: (r.rebuilt, r.partitions, r.watermark) for n, r in second.items()} == {
        rollup.name: (False, 2, dt.date(2026, 6, 30)) for rollup in model.spec.rollups}
    assert ("installs_daily", 2, 2) in seen
    assert all(not r.rebuilt for r in again.values())
    for rollup, month in itertools.product(model.spec.rollups, range(1, 7)):  # a month at a time: row caps
        ordered = (f"SELECT * FROM {rollup.table_name} WHERE month(rollup_day) = {month} ORDER BY ALL")
        full = rollup_duckdb.execute(ordered)
        assert not full.truncated and same_rows(_table_rows(path, ordered), full.rows), (rollup.name, month)


def test_the_guarded_sql_reads_the_rollup_and_the_note_says_so(model, rollup_duckdb):
    from semantic_layer.rollups import rollup_note
    from semantic_layer.service import explain_with_rollups

    states = read_rollup_states(rollup_duckdb)
    query, _ = ROUTING["revenue iOS vs Android"]
    sql, used = explain_with_rollups(model, query, "duckdb", schema=rollup_duckdb.schema(), rollups=states)
    assert "rollup_events_daily" in sql and "FROM events" not in sql
    assert rollup_note(used) == ("Answered from pre-aggregated rollups: events_daily "
                                 "(built through 2026-06-30).")
    base_sql, none = explain_with_rollups(model, query, "duckdb", schema=rollup_duckdb.schema())
    assert none == [] and rollup_note(none) is None and "rollup_" not in base_sql


def test_a_rollup_missing_from_the_schema_is_not_used(model, demo_db_path, tmp_path):
    """A state whose table the connector's schema does not list (dropped, or built after the schema
    was read) is left out: the guard would refuse a query reading it."""
    path = tmp_path / "partial.duckdb"
    shutil.copy(demo_db_path, path)
    writer = DuckDBRollupWriter(path)
    try:
        build_rollups(model, writer, names=["installs_daily", "events_daily"])
        writer.run("DROP TABLE rollup_events_daily")
    finally:
        writer.close()
    wh = DuckDBWarehouse(path, max_rows=1000)
    try:
        states = read_rollup_states(wh)
        assert set(states) == {"installs_daily"}
        revenue = q(metrics=["revenue"], dimensions=["platform"], time_range=JUNE)
        assert rollups_used(model, revenue, "duckdb", states)[1] == []
        assert run_query(model, revenue, wh, rollups=states).rows
    finally:
        wh.close()


@pytest.mark.parametrize("engine", ["rollup_duckdb", "rollup_chdb"])
def test_a_tail_the_base_tables_hold_nothing_of_is_not_read(engine, model, request):
    """Built through the last day of the data, a query without a time range reads the rollup alone
    (its tail's joins would scan the joined tables for nothing); past the data it reads the tail."""
    from semantic_layer.service import without_empty_tails

    warehouse = request.getfixturevalue(engine)
    current = read_rollup_states(warehouse)
    behind = {n: dataclasses.replace(s, watermark=dt.date(2026, 5, 31)) for n, s in current.items()}
    for name, query in PAST_THE_WATERMARK.items():
        checked = without_empty_tails(model, query, warehouse, current)
        used = rollups_used(model, query, warehouse.dialect, checked)[1]
        assert used and all(c.tail is None for c in used), name
        assert same_rows(run_query(model, query, warehouse, max_rows=100_000, rollups=checked).rows,
                         run_query(model, query, warehouse, max_rows=100_000).rows), name
        known: dict = {}
        still_behind = without_empty_tails(model, query, warehouse, behind, known=known)
        assert all(c.tail for c in rollups_used(model, query, warehouse.dialect, still_behind)[1]), name
        assert known and not any(known.values()), name  # remembered: June has rows


def test_a_cohort_rollup_cannot_hold_a_per_day_distinct_count(model):
    """The cohort date is one more group of the rollup: a per-day distinct count is never added
    across groups, so a rollup keeping it cannot answer DAU (rules.py refuses the pair)."""
    from semantic_layer.rules import check_rollups

    dau = next(r for r in model.spec.rollups if r.name == "active_users_daily")
    spec = model.spec.model_copy(update={"rollups": (dau.model_copy(update={"cohort": True}),)})
    assert [p.path for p in check_rollups(spec) if "per-day distinct" in p.message] == ["rollups[0].cohort"]
    assert list(check_rollups(model.spec.model_copy(update={"rollups": (dau,)}))) == []


def test_a_monthly_rollup_reads_whole_months_and_the_other_days_from_events(model, rollup_duckdb):
    states = read_rollup_states(rollup_duckdb)
    apr10_jun20 = q(metrics=["active_users"], time_range=["2026-04-10", "2026-06-20"])
    (choice,) = rollups_used(model, apr10_jun20, "duckdb", states)[1]
    assert (choice.rollup.name, choice.months, choice.edges) == (
        "users_monthly", (dt.date(2026, 5, 1), dt.date(2026, 5, 1)),
        ((dt.date(2026, 4, 10), dt.date(2026, 4, 30)), (dt.date(2026, 6, 1), dt.date(2026, 6, 20))))
    (whole,) = rollups_used(model, q(metrics=["active_users"], time_range=H1), "duckdb", states)[1]
    assert (whole.months, whole.edges) == ((dt.date(2026, 1, 1), dt.date(2026, 6, 1)), ())
    # one row per user and month (two when the user paid): far fewer than events, exact when counted again
    rows = rollup_duckdb.execute("SELECT COUNT(*) FROM rollup_users_monthly").rows[0][0]
    events = rollup_duckdb.execute("SELECT COUNT(*) FROM events").rows[0][0]
    assert rows * 5 < events


def test_a_monthly_rollup_cannot_hold_a_per_day_distinct_count(model):
    from semantic_layer.rules import check_rollups

    users = next(r for r in model.spec.rollups if r.name == "users_monthly")
    bad = users.model_copy(update={"measures": users.measures + ("daily_active_users",)})
    spec = model.spec.model_copy(update={"rollups": (bad,)})
    assert [p.path for p in check_rollups(spec)] == ["rollups[0].measures[4]"]
    plain = users.model_copy(update={"distinct_values": False})
    problems = list(check_rollups(model.spec.model_copy(update={"rollups": (plain,)})))
    assert [p.path for p in problems] == ["rollups[0].measures[2]", "rollups[0].measures[3]"]
    assert all("distinct_values: true" in p.hint for p in problems)
