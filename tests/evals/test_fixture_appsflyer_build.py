"""The AppsFlyer fixture (evals/fixtures/appsflyer): it builds, keeps the vendor's column names, its
committed model fits the warehouse, and every gold query of its suite runs on it.

Scoring the suite is done elsewhere (`asklytics eval --fixture appsflyer`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from evals.fixtures import build_fixture
from evals.fixtures.appsflyer import TABLES
from evals.suite import load_suite

pytestmark = pytest.mark.slow

# A few columns of each table, named as AppsFlyer exports them, with the types the importer gives them.
EXPECTED_COLUMNS = {
    "installs_report": {"Attributed Touch Type": "VARCHAR", "Attributed Touch Time": "TIMESTAMP",
                        "Install Time": "TIMESTAMP", "Event Time": "TIMESTAMP", "Event Name": "VARCHAR",
                        "Media Source": "VARCHAR", "Channel": "VARCHAR", "Campaign": "VARCHAR",
                        "Campaign ID": "VARCHAR", "Adset": "VARCHAR", "Ad": "VARCHAR", "Region": "VARCHAR",
                        "Country Code": "VARCHAR", "City": "VARCHAR", "AppsFlyer ID": "VARCHAR",
                        "Customer User ID": "VARCHAR", "Platform": "VARCHAR", "Device Type": "VARCHAR",
                        "OS Version": "VARCHAR", "App Version": "VARCHAR", "Is Retargeting": "BOOLEAN",
                        "Is Primary Attribution": "BOOLEAN"},
    "organic_installs_report": {"Install Time": "TIMESTAMP", "Media Source": "VARCHAR",
                                "AppsFlyer ID": "VARCHAR", "Platform": "VARCHAR", "Country Code": "VARCHAR"},
    "in_app_events_report": {"Install Time": "TIMESTAMP", "Event Time": "TIMESTAMP", "Event Name": "VARCHAR",
                             "Event Value": "VARCHAR", "Event Revenue": "DOUBLE",
                             "Event Revenue Currency": "VARCHAR", "Event Revenue USD": "DOUBLE",
                             "Media Source": "VARCHAR", "Campaign": "VARCHAR", "AppsFlyer ID": "VARCHAR",
                             "Platform": "VARCHAR", "Country Code": "VARCHAR"},
    "cost_geo_by_date": {"Date": "DATE", "App ID": "VARCHAR", "Media Source": "VARCHAR",
                         "Campaign": "VARCHAR", "Campaign ID": "VARCHAR", "Country Code": "VARCHAR",
                         "Impressions": "BIGINT", "Clicks": "BIGINT", "Cost (USD)": "DOUBLE"},
}


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return build_fixture("appsflyer", tmp_path_factory.mktemp("appsflyer"))


@pytest.fixture(scope="module")
def con(fixture):
    connection = duckdb.connect(str(fixture.warehouse_path), read_only=True)
    yield connection
    connection.close()


def _one(con, sql: str):
    return con.execute(sql).fetchall()[0][0]


def test_fixture_names_its_files(fixture):
    assert fixture.name == "appsflyer"
    assert fixture.warehouse_path.is_file() and fixture.model_path.is_file() and fixture.suite_path.is_file()
    assert fixture.as_of.isoformat() == "2025-07-01"
    raw = sorted(p.name for p in (fixture.warehouse_path.parent / "raw").iterdir())
    assert "organic_installs_report.csv" in raw and "cost_geo_by_date.csv" in raw
    assert sum(name.startswith("installs_report_2025-") for name in raw) == 2  # a multi-part export
    assert sum(name.startswith("in_app_events_report_2025-") for name in raw) == 6


def test_tables_keep_the_vendor_column_names(con):
    assert {row[0] for row in con.execute("SHOW TABLES").fetchall()} >= set(TABLES)
    for table, expected in EXPECTED_COLUMNS.items():
        columns = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall())
        assert {name: columns.get(name) for name in expected} == expected, table


def test_the_data_has_the_intended_shape(con):
    installs = _one(con, "SELECT COUNT(*) FROM installs_report")
    organic = _one(con, "SELECT COUNT(*) FROM organic_installs_report")
    events = _one(con, "SELECT COUNT(*) FROM in_app_events_report")
    assert 30_000 <= installs + organic <= 70_000 and 150_000 <= events <= 320_000
    assert _one(con, """SELECT COUNT(DISTINCT "AppsFlyer ID") = COUNT(*) FROM (
        SELECT "AppsFlyer ID" FROM installs_report
        UNION ALL SELECT "AppsFlyer ID" FROM organic_installs_report)""")
    assert _one(con, """SELECT COUNT(*) FROM in_app_events_report e WHERE NOT EXISTS (
        SELECT 1 FROM (SELECT "AppsFlyer ID" FROM installs_report
                       UNION ALL SELECT "AppsFlyer ID" FROM organic_installs_report) i
        WHERE i."AppsFlyer ID" = e."AppsFlyer ID")""") == 0
    assert _one(con, 'SELECT MIN("Install Time")::DATE FROM installs_report').isoformat() == "2025-01-01"
    assert _one(con, 'SELECT MAX("Event Time")::DATE FROM in_app_events_report').isoformat() == "2025-06-30"
    assert _one(con, 'SELECT COUNT(*) FROM in_app_events_report WHERE "Event Time" < "Install Time"') == 0
    assert _one(con, """SELECT COUNT(*) FROM organic_installs_report
                        WHERE "Media Source" <> 'organic' OR "Campaign" IS NOT NULL""") == 0
    revenue_events = "\"Event Name\" IN ('af_purchase', 'af_subscribe')"
    assert _one(con, f"""SELECT COUNT(*) FROM in_app_events_report
                         WHERE ("Event Revenue USD" IS NOT NULL) <> ({revenue_events})""") == 0
    assert _one(con, 'SELECT COUNT(DISTINCT "Media Source") FROM cost_geo_by_date') == 6


def test_the_model_fits_the_warehouse(fixture):
    cli = Path(sys.executable).with_name("asklytics")
    command = [str(cli)] if cli.exists() else [sys.executable, "-c",
                                               "from app.interfaces.cli import main; main()"]
    env = {**os.environ, **fixture.settings_env()}
    done = subprocess.run([*command, "metrics", "validate"], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems" in done.stdout


def test_the_models_derived_tables_run(fixture, con):
    """`sql:` semantic models are not checked column by column at start-up: run each one here."""
    spec = yaml.safe_load(fixture.model_path.read_text(encoding="utf-8"))
    derived = [m for m in spec["semantic_models"] if "sql" in m]
    assert derived
    for model in derived:
        assert _one(con, f"SELECT COUNT(*) FROM ({model['sql']})") > 0, model["name"]


def test_every_gold_query_runs_and_returns_rows(fixture, con):
    suite = load_suite(fixture.suite_path)
    assert suite.warehouse == "configured" and suite.as_of == fixture.as_of
    assert len(suite.cases) >= 90
    for case in suite.cases:
        if case.expect != "answered":
            continue
        rows = con.execute(case.gold_sql).fetchall()
        assert rows, case.id
        assert all(value is not None for row in rows for value in row), case.id
        limit = re.search(r"LIMIT\s+(\d+)\s*$", case.gold_sql.strip(), re.IGNORECASE)
        if limit:  # no tie at a top-N cut-off: the ranked value (last column) differs across the cut
            n = int(limit.group(1))
            ranked = con.execute(case.gold_sql.strip()[: limit.start()]).fetchall()
            assert case.ordered and (len(ranked) <= n or ranked[n - 1][-1] != ranked[n][-1]), case.id
