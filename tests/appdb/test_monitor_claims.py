"""Claims on monitors (appdb/monitors.py) on SQLite and the real PostgreSQL: of runners racing for
the same due monitors each monitor goes to exactly one; a lease expires; only its holder releases
it; what was posted is remembered once."""
from __future__ import annotations

import threading
import time

from appdb import monitors as rows
from appdb import open_database

NOW = 1_800_000_000.0


def _add(database, n: int, next_run_at: float = NOW - 60) -> list[str]:
    with database.begin() as connection:
        return [rows.add_monitor(connection, scope="acme", name=f"m{i}", question="anomalies in installs",
                                 series={"metric": "installs"}, schedule="daily 08:00",
                                 condition={"lookback": 7},
                                 owner="cli:test", key_id=None, slack_channel=None,
                                 webhook_url="https://hooks.example.com/x", next_run_at=next_run_at)
                for i in range(n)]


def test_two_runners_racing_for_the_same_due_monitors_each_get_different_ones(app_database_url):
    first = open_database(app_database_url)
    second = open_database(app_database_url)  # its own engine and connections, like another worker
    ids = _add(first, 12)
    start, won = threading.Barrier(2), {"A": [], "B": []}

    def run(database, name):
        start.wait()
        for monitor_id in ids:  # both try every monitor, in the same order: the worst case
            with database.begin() as connection:
                if rows.claim_monitor(connection, monitor_id, name, now=NOW, lease_s=600):
                    won[name].append(monitor_id)

    threads = [threading.Thread(target=run, args=(db, name)) for db, name in ((first, "A"), (second, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(won["A"] + won["B"]) == sorted(ids)  # every monitor claimed, none twice
    with first.connect() as connection:
        holders = {row["id"]: row["claimed_by"] for row in rows.list_monitors(connection)}
        assert rows.due_monitor_ids(connection, NOW) == []  # claimed ones are not due for anyone else
    assert all(holders[i] == "A" for i in won["A"]) and all(holders[i] == "B" for i in won["B"])
    for database in (first, second):
        database.close()


def test_a_lease_expires_and_only_its_holder_releases_it(app_database_url):
    database = open_database(app_database_url)
    (monitor_id,) = _add(database, 1)
    with database.begin() as connection:
        assert rows.claim_monitor(connection, monitor_id, "A", now=NOW, lease_s=600)
        assert not rows.claim_monitor(connection, monitor_id, "B", now=NOW + 599, lease_s=600)
        assert not rows.claim_monitor(connection, monitor_id, "B", now=NOW + 1, lease_s=600, due_only=False)
        assert rows.claim_monitor(connection, monitor_id, "B", now=NOW + 601, lease_s=600)  # A died
        assert not rows.finish_run(connection, monitor_id, "A", now=NOW + 700, status="ok",
                                   next_run_at=NOW + 9e4)
        assert rows.finish_run(connection, monitor_id, "B", now=NOW + 700, status="ok", next_run_at=NOW + 9e4)
    with database.connect() as connection:
        row = rows.get_monitor(connection, monitor_id)
        assert (row["claimed_by"], row["next_run_at"], row["last_status"]) == (None, NOW + 9e4, "ok")
        assert rows.due_monitor_ids(connection, NOW + 800) == []  # not due again until the next run
        assert rows.due_monitor_ids(connection, NOW + 9e4) == [monitor_id]
    database.close()


def test_a_monitor_not_due_is_claimed_only_when_asked_for_by_id(app_database_url):
    database = open_database(app_database_url)
    (monitor_id,) = _add(database, 1, next_run_at=NOW + 3600)
    with database.begin() as connection:
        assert not rows.claim_monitor(connection, monitor_id, "A", now=NOW, lease_s=600)
        assert rows.claim_monitor(connection, monitor_id, "A", now=NOW, lease_s=600, due_only=False)
        rows.finish_run(connection, monitor_id, "A", now=NOW, status="ok")  # a run by id keeps the schedule
        assert rows.get_monitor(connection, monitor_id)["next_run_at"] == NOW + 3600
        assert rows.remove_monitor(connection, monitor_id, actor="cli:test", scope="other") is False
        assert rows.remove_monitor(connection, monitor_id, actor="cli:test", scope="acme") is True
        assert not rows.claim_monitor(connection, monitor_id, "A", now=NOW, lease_s=600, due_only=False)
        assert rows.get_monitor(connection, monitor_id) is None
    database.close()


def test_what_was_posted_is_remembered_once_per_audience_across_engines(app_database_url):
    database = open_database(app_database_url)
    (monitor_id,) = _add(database, 1)
    alert = {"period_start": "2026-03-10", "actual": 431.0}
    with database.begin() as connection:
        rows.record_posted(connection, monitor_id, "slack", [alert], now=time.time())
        rows.record_posted(connection, monitor_id, "slack", [alert], now=time.time())  # a second time: no-op
        rows.record_posted(connection, monitor_id, "webhook", [alert | {"period_start": "2026-03-11"}],
                           now=time.time())
    database.close()
    reopened = open_database(app_database_url)
    with reopened.connect() as connection:
        posted = rows.posted_periods(connection, monitor_id)
    assert posted == {"slack": {"2026-03-10"}, "webhook": {"2026-03-11"}}
    reopened.close()
