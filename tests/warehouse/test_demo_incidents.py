"""The incidents option of the demo generator: labelled incidents planted on the segments and days
the labels name, nothing else changed, labels in a file beside the warehouse; without the option the
demo is the same data as before the option existed."""
from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli
from warehouse.demo import build_demo_warehouse
from warehouse.demo.incidents import KINDS, MARGIN

SMALL = 0.1  # 20,000 installs


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path, dict]:
    folder = tmp_path_factory.mktemp("incidents")
    plain = build_demo_warehouse(folder / "plain.duckdb", scale=SMALL, seed=7).path
    planted = build_demo_warehouse(folder / "planted.duckdb", scale=SMALL, seed=7, incidents=3)
    assert planted.labels == folder / "planted.incidents.json"
    return plain, planted.path, json.loads(planted.labels.read_text())


def rows(path: Path, sql: str) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {tuple(r[:-1]): r[-1] for r in con.execute(sql).fetchall()}


def days_of(incident) -> set[dt.date]:
    start, end = dt.date.fromisoformat(incident["start"]), dt.date.fromisoformat(incident["end"])
    return {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}


def test_the_labels_name_six_incidents_of_every_kind_apart_from_each_other(pair):
    _, _, labels = pair
    incidents = labels["incidents"]
    assert len(incidents) == 6 and {i["kind"] for i in incidents} == set(KINDS)
    assert labels["incidents_seed"] == 3 and labels["seed"] == "7"
    spans = sorted((min(days_of(i)), max(days_of(i))) for i in incidents + labels["built_in"])
    for (_, end), (start, _) in itertools.pairwise(spans):
        if end < dt.date(2026, 4, 6) or start > dt.date(2026, 4, 26):  # the built-in fraud weeks hold one
            assert (start - end).days >= MARGIN
    assert {b["id"] for b in labels["built_in"]} >= {"paid_tracking_outage", "sale"}


def test_installs_change_only_where_an_installs_incident_is(pair):
    plain, planted, labels = pair
    sql = ("SELECT install_time::DATE, i.country, coalesce(media_source, '-'), is_fraud, count(*) "
           "FROM installs i LEFT JOIN campaigns USING (campaign_id) GROUP BY ALL")
    before, after = rows(plain, sql), rows(planted, sql)
    for (day, country, source, fraud), count in before.items():
        touched = [i for i in labels["incidents"] if day in days_of(i) and i["kind"] in (
            "installs_vanish", "fraud_spike") and i["segment"] in (country, source)]
        now = after.get((day, country, source, fraud), 0)
        if not touched:
            assert now == count, (day, country, source, fraud)
        elif touched[0]["kind"] == "installs_vanish":
            assert now <= 0.5 * count + 2
    for incident in (i for i in labels["incidents"] if i["kind"] == "fraud_spike"):
        days, source = days_of(incident), incident["segment"]
        fraud = sum(c for (d, _, s, f), c in after.items() if d in days and s == source and f)
        total = sum(c for (d, _, s, _), c in after.items() if d in days and s == source)
        assert fraud / total > 0.25


def test_cost_and_revenue_change_only_where_their_incidents_are(pair):
    plain, planted, labels = pair
    cost = "SELECT date, media_source, sum(cost) FROM ad_spend JOIN campaigns USING (campaign_id) " \
           "GROUP BY ALL"
    before, after = rows(plain, cost), rows(planted, cost)
    jumps = [i for i in labels["incidents"] if i["kind"] == "cost_jump"]
    for (day, source), amount in before.items():
        jump = next((i for i in jumps if day in days_of(i) and i["segment"] == source), None)
        expected = amount * jump["factor"] if jump else amount
        assert after[(day, source)] == pytest.approx(expected, rel=0.01)
    revenue = ("SELECT e.event_time::DATE, i.platform, i.country, sum(e.revenue) FROM events e "
               "JOIN installs i USING (user_id) GROUP BY ALL")
    before, after = rows(plain, revenue), rows(planted, revenue)
    drops = [i for i in labels["incidents"] if i["kind"] == "revenue_drop"]
    vanished = [i for i in labels["incidents"] if i["kind"] == "installs_vanish"]
    for (day, platform, country), amount in before.items():
        if any(day >= min(days_of(i)) for i in vanished):
            continue  # the users who never installed spend nothing from then on
        drop = next((i for i in drops if day in days_of(i) and i["segment"] in (platform, country)), None)
        expected = amount * drop["factor"] if drop else amount
        assert after.get((day, platform, country), 0) == pytest.approx(expected, rel=0.02, abs=0.05)


def test_the_same_incidents_seed_plants_the_same_incidents(pair, tmp_path):
    _, _, labels = pair
    again = build_demo_warehouse(tmp_path / "again.duckdb", scale=SMALL, seed=7, incidents=3,
                                 labels_path=tmp_path / "labels" / "again.json")
    assert json.loads(again.labels.read_text())["incidents"] == labels["incidents"]
    other = build_demo_warehouse(tmp_path / "other.duckdb", scale=SMALL, seed=7, incidents=4)
    assert json.loads(other.labels.read_text())["incidents"] != labels["incidents"]


def test_the_default_demo_is_the_data_it_was_before_incidents_existed(demo_sql):
    """Digests of the scale-1, seed-42 demo built before the option was added: other suites depend on it."""
    digest = "SELECT md5(string_agg(CAST({0} AS VARCHAR), chr(10) ORDER BY {1})) FROM {0}"
    digests = {table: demo_sql.execute(digest.format(table, order)).fetchone()[0]
               for table, order in (("campaigns", "campaign_id"), ("ad_spend", "date, campaign_id"),
                                    ("installs", "install_id"))}
    events = demo_sql.execute("SELECT count(*), round(sum(revenue), 2), sum(epoch(event_time)::BIGINT), "
                              "count(DISTINCT user_id), sum(event_id) FROM events").fetchone()
    meta = dict(demo_sql.execute("SELECT key, value FROM asklytics_meta").fetchall())
    assert digests == {"campaigns": "da41a291027e22a160a3ba4ea6346512",
                       "ad_spend": "dddd87393bde1545d949341e39fbe8bf",  # response curves (#22)
                       "installs": "78bc97fdcf3a2fc5861295815cd23944"}
    assert events == (3306749, 288027.92, 5873766532879202, 193629, 5467296127875)
    assert "incidents_seed" not in meta


def test_the_cli_option_writes_the_labels_beside_the_warehouse(tmp_path):
    path = tmp_path / "demo.duckdb"
    result = CliRunner().invoke(cli, ["demo", "build", "--scale", "0.02", "--path", str(path),
                                      "--incidents", "5", "--no-rollups"])
    assert result.exit_code == 0, result.output
    labels = tmp_path / "demo.incidents.json"
    assert "planted 6 incidents" in result.output and labels.exists()
    assert len(json.loads(labels.read_text())["incidents"]) == 6
    with duckdb.connect(str(path), read_only=True) as con:  # the labels are not in the warehouse
        assert not [t for (t,) in con.execute("SHOW TABLES").fetchall() if "incident" in t]
