"""RFM segments (#22): scores and segments on a hand-built events table, worked out by hand,
the same on the demo as an independent pandas computation, and `asklytics score` writes them."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from predictors.features.base import ConnectionSource
from predictors.scoring import ScoredTable, write_table
from predictors.segments import SEGMENTS, rfm_segment, rfm_segments
from tests.predictors.conftest import AS_OF, copy_demo

SCORED_AT = dt.datetime(2026, 7, 1, 3, 0, 0)
# user: (days since the last revenue event, revenue events, revenue of each)
PAYERS = {
    "u01": (1, 1, 100.0), "u02": (2, 8, 1.0), "u03": (5, 1, 0.99), "u04": (10, 3, 5.0),
    "u05": (20, 4, 5.0), "u06": (30, 6, 2.0), "u07": (60, 5, 4.0), "u08": (90, 2, 3.0),
    "u09": (120, 7, 10.0), "u10": (150, 1, 2.0),
}
# By hand, ten payers: quintile = 1 + floor(5 * (rank - 1) / 10), tied values share the lowest rank.
# R (oldest first): u10 u09 | u08 u07 | u06 u05 | u04 u03 | u02 u01.
# F: 1 (u01 u03 u10, rank 1) -> 1; 2 (u08, rank 4) -> 2; 3 (u04, rank 5) and 4 (u05, rank 6) -> 3;
#    5 (u07, rank 7) and 6 (u06, rank 8) -> 4; 7 (u09) and 8 (u02) -> 5.
# M: 0.99 (u03), 2 (u10) -> 1; 6 (u08), 8 (u02) -> 2; 12 (u06), 15 (u04) -> 3;
#    20 (u05 and u07 tied at rank 7) -> 4; 70 (u09), 100 (u01) -> 5.
EXPECTED = {  # user: (segment, R, F, M)
    "u01": ("new customers", 5, 1, 5),
    "u02": ("champions", 5, 5, 2),
    "u03": ("promising", 4, 1, 1),
    "u04": ("potential loyalists", 4, 3, 3),
    "u05": ("need attention", 3, 3, 4),
    "u06": ("loyal", 3, 4, 3),
    "u07": ("at risk", 2, 4, 4),
    "u08": ("hibernating", 2, 2, 2),
    "u09": ("can't lose them", 1, 5, 5),
    "u10": ("lost", 1, 1, 1),
}


def _events() -> list[tuple]:
    rows = []
    for user, (recency, count, amount) in PAYERS.items():
        last = dt.datetime.combine(AS_OF - dt.timedelta(days=recency), dt.time(12))
        rows += [(user, last - dt.timedelta(days=k), "purchase", amount) for k in range(count)]
    return rows + [
        ("u01", dt.datetime(2026, 7, 1, 10), "purchase", 500.0),  # on as_of: not before it, ignored
        ("u02", dt.datetime(2026, 6, 30, 23), "session_start", 0.0),  # no revenue: not a revenue event
        ("u11", dt.datetime(2026, 6, 30, 9), "session_start", 0.0),  # never paid: not segmented
    ]


@pytest.fixture()
def hand_built():
    connection = duckdb.connect()
    connection.execute("CREATE TABLE events (user_id VARCHAR, event_time TIMESTAMP, event_name VARCHAR, "
                       "revenue DOUBLE)")
    connection.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", _events())
    yield connection
    connection.close()


def test_scores_and_segments_match_the_hand_worked_table(hand_built):
    frame = rfm_segments(ConnectionSource(hand_built), AS_OF, SCORED_AT)
    got = {row.user_id: (row.rfm_segment, row.r_score, row.f_score, row.m_score)
           for row in frame.itertuples()}
    assert got == EXPECTED
    u01 = frame.set_index("user_id").loc["u01"]
    assert (u01.recency_days, u01.frequency, u01.monetary) == (1, 1, 100.0)
    assert set(frame.model_version) == {"rfm-1@2026-07-01"} and set(frame.scored_at) == {SCORED_AT}


def test_the_segment_grid_covers_every_pair_of_scores_once():
    cells = {(r, f): rfm_segment(r, f) for r in range(1, 6) for f in range(1, 6)}
    assert set(cells.values()) == set(SEGMENTS) and len(SEGMENTS) == 11
    assert cells[3, 2] == "about to sleep" and cells[1, 2] == "hibernating"
    assert cells[5, 3] == "potential loyalists" and cells[2, 5] == "can't lose them"
    with pytest.raises(ValueError):
        rfm_segment(0, 3)


def test_written_table_has_the_documented_columns(hand_built):
    frame = rfm_segments(ConnectionSource(hand_built), AS_OF, SCORED_AT).assign(cluster=1)
    write_table(hand_built, ScoredTable("user_segments", frame))
    columns = hand_built.execute("DESCRIBE user_segments").fetchall()
    assert [(c[0], c[1]) for c in columns] == [
        ("user_id", "VARCHAR"), ("rfm_segment", "VARCHAR"), ("cluster", "INTEGER"), ("r_score", "INTEGER"),
        ("f_score", "INTEGER"), ("m_score", "INTEGER"), ("model_version", "VARCHAR"),
        ("scored_at", "TIMESTAMP")]
    assert hand_built.execute("SELECT count(*) FROM user_segments").fetchone()[0] == len(PAYERS)


def _pandas_reference(connection) -> pd.DataFrame:
    """The definition again, written independently in pandas (rank(method='min'))."""
    events = connection.execute("SELECT user_id, event_time, revenue FROM events "
                                "WHERE revenue > 0 AND event_time < ?", [AS_OF]).df()
    per_user = events.groupby("user_id").agg(last=("event_time", "max"), frequency=("revenue", "size"),
                                             monetary=("revenue", "sum"))
    per_user["recency"] = [(AS_OF - ts.date()).days for ts in per_user["last"]]
    n = len(per_user)

    def quintile(values: pd.Series) -> pd.Series:
        return (1 + (5 * (values.rank(method="min") - 1) // n)).astype(int)

    per_user["r_score"] = quintile(-per_user["recency"])
    per_user["f_score"] = quintile(per_user["frequency"])
    per_user["m_score"] = quintile(per_user["monetary"].round(2))
    per_user["rfm_segment"] = [rfm_segment(r, f) for r, f in zip(per_user.r_score, per_user.f_score,
                                                                 strict=True)]
    return per_user[["rfm_segment", "r_score", "f_score", "m_score"]].sort_index()


def test_demo_segments_match_an_independent_computation(demo_db_path, tmp_path):
    import shutil

    # a copy: the session's shared connection to the demo file has another configuration
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_path, copy)
    connection = duckdb.connect(str(copy), read_only=True)
    try:
        frame = rfm_segments(ConnectionSource(connection), AS_OF, SCORED_AT)
        reference = _pandas_reference(connection)
    finally:
        connection.close()
    got = frame.set_index("user_id")[["rfm_segment", "r_score", "f_score", "m_score"]].sort_index()
    assert len(got) > 1000 and set(got.rfm_segment) == set(SEGMENTS)
    pd.testing.assert_frame_equal(got, reference, check_dtype=False, check_names=False)


def _cli():
    import typer

    from app.interfaces.cli.train import score

    app = typer.Typer()
    app.command()(score)
    app.command("noop")(lambda: None)  # two commands, so `score` is a subcommand as in asklytics
    return app


def test_score_rfm_writes_user_segments_without_a_trained_model(demo_db_path, tmp_path, monkeypatch):
    data = tmp_path / "data"
    path = copy_demo(demo_db_path, data)
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(data))
    result = CliRunner().invoke(_cli(), ["score", "--model", "rfm"])
    assert result.exit_code == 0, result.output
    assert "user_segments" in result.output
    connection = duckdb.connect(str(path), read_only=True)
    try:
        segmented, clustered, users, payers, profiles, tables = connection.execute(
            "SELECT (SELECT count(rfm_segment) FROM user_segments), "
            "(SELECT count(cluster) FROM user_segments), "
            "(SELECT count(*) FROM installs WHERE install_time < DATE '2026-07-01'), "
            "(SELECT count(DISTINCT user_id) FROM events "
            " WHERE revenue > 0 AND event_time < DATE '2026-07-01'), "
            "(SELECT count(*) FROM cluster_profiles), "
            "(SELECT count(*) FROM duckdb_tables() WHERE table_name = 'churn_scores')").fetchone()
    finally:
        connection.close()
    assert segmented == payers > 0 and tables == 0  # only the segments: no model was asked for
    assert clustered == users and 3 <= profiles <= 8  # every user has a behavioural cluster
    assert "behavioural clusters (highest silhouette" in result.output
