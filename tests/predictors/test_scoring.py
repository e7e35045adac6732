"""Batch scoring writes the contract's prediction tables, visible to the warehouse schema."""
from __future__ import annotations

import shutil

import duckdb
from typer.testing import CliRunner

from tests.predictors.conftest import copy_demo

SPEC_COLUMNS = {
    "churn_scores": [("user_id", "VARCHAR"), ("churn_probability", "DOUBLE"), ("model_version", "VARCHAR"),
                     ("scored_at", "TIMESTAMP")],
    "fraud_scores": [("install_id", "VARCHAR"), ("fraud_probability", "DOUBLE"), ("model_version", "VARCHAR"),
                     ("scored_at", "TIMESTAMP")],
    "ltv_predictions": [("user_id", "VARCHAR"), ("ltv_p10", "DOUBLE"), ("ltv_p50", "DOUBLE"),
                        ("ltv_p90", "DOUBLE"), ("model_version", "VARCHAR"), ("scored_at", "TIMESTAMP")],
    "conversion_scores": [("install_id", "VARCHAR"), ("conversion_probability", "DOUBLE"),
                          ("model_version", "VARCHAR"), ("scored_at", "TIMESTAMP")],
    "user_segments": [("user_id", "VARCHAR"), ("rfm_segment", "VARCHAR"), ("cluster", "INTEGER"),
                      ("r_score", "INTEGER"), ("f_score", "INTEGER"), ("m_score", "INTEGER"),
                      ("model_version", "VARCHAR"), ("scored_at", "TIMESTAMP")],
}


def _cli():
    import typer

    from app.interfaces.cli.train import score, train

    app = typer.Typer()
    app.command()(train)
    app.command()(score)
    return app


def test_score_command_writes_the_prediction_and_segment_tables(trained, demo_db_path, tmp_path, monkeypatch):
    import shutil

    from warehouse.duckdb import DuckDBWarehouse

    data = tmp_path / "data"
    path = copy_demo(demo_db_path, data)
    shutil.copytree(trained["registry"].root, data / "models")
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(data))
    result = CliRunner().invoke(_cli(), ["score"])
    assert result.exit_code == 0, result.output
    warehouse = DuckDBWarehouse(path, max_rows=10)
    try:
        schema = warehouse.schema()
        for table, columns in SPEC_COLUMNS.items():
            assert [(c.name, c.type) for c in schema.table(table).columns] == columns
        counts = warehouse.execute("SELECT (SELECT count(*) FROM fraud_scores), "
                                   "(SELECT count(*) FROM installs), "
                                   "(SELECT any_value(model_version) FROM churn_scores)").rows[0]
        assert counts[0] == counts[1] and counts[2] == trained["artifacts"]["churn"].version
        risky = warehouse.execute("SELECT count(*) FROM churn_scores "
                                  "WHERE churn_probability > 0.7").rows[0][0]
        assert risky > 0
        crossed, paying, users = warehouse.execute(
            "SELECT "
            "count(*) FILTER (WHERE NOT (0 <= ltv_p10 AND ltv_p10 <= ltv_p50 AND ltv_p50 <= ltv_p90)), "
            "count(*) FILTER (WHERE ltv_p90 > 0), count(*) FROM ltv_predictions").rows[0]
        assert crossed == 0 and 0 < paying < users  # a $0 interval for the many who will not pay
        segmented, champions, clustered = warehouse.execute(
            "SELECT count(rfm_segment), count(*) FILTER (WHERE rfm_segment = 'champions'), count(cluster) "
            "FROM user_segments").rows[0]
        assert 0 < champions < segmented < users  # segments: paying users only
        assert clustered == users  # a behavioural cluster for every user
        # conversion: every install; exactly those that paid in their first 24 h (all are older) are 1
        scored, certain, paid_first_day, outside = warehouse.execute(
            "SELECT count(*), count(*) FILTER (WHERE conversion_probability = 1.0), "
            "(SELECT count(DISTINCT i.install_id) FROM installs i JOIN events e ON e.user_id = i.user_id "
            " AND e.revenue > 0 AND e.event_time < i.install_time + INTERVAL 1 DAY "
            " AND e.event_time < TIMESTAMP '2026-07-01'), "
            "count(*) FILTER (WHERE NOT conversion_probability BETWEEN 0 AND 1) "
            "FROM conversion_scores").rows[0]
        assert scored == counts[1] and certain == paid_first_day > 0 and outside == 0
    finally:
        warehouse.close()


def test_score_command_writes_a_file_that_is_being_read(trained, demo_db_path, tmp_path, monkeypatch):
    """A reader (a server) holds the file: the scores go into a copy that replaces it (#19)."""
    data = tmp_path / "data"
    path = copy_demo(demo_db_path, data)
    shutil.copytree(trained["registry"].root, data / "models")
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(data))
    holder = duckdb.connect(str(path), read_only=True)  # same process: a differently configured open file
    try:
        result = CliRunner().invoke(_cli(), ["score", "--model", "fraud"])
        assert result.exit_code == 0, result.output
        held = holder.execute("SELECT COUNT(*) FROM duckdb_tables() WHERE table_name = 'fraud_scores'")
        assert held.fetchone()[0] == 0  # the reader still reads the file it opened
    finally:
        holder.close()
    with duckdb.connect(str(path), read_only=True) as reopened:
        assert reopened.execute("SELECT COUNT(*) FROM fraud_scores").fetchone()[0] > 0


def test_score_command_explains_a_file_it_cannot_write(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "demo.duckdb").write_text("not a database")
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(data))
    result = CliRunner().invoke(_cli(), ["score", "--model", "fraud"])
    assert result.exit_code == 1 and "cannot write the scores" in result.output
    assert "Traceback" not in result.output


def test_score_command_says_how_to_train_when_no_model_exists(demo_db_path, tmp_path, monkeypatch):
    data = tmp_path / "data"
    copy_demo(demo_db_path, data)
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(data))
    result = CliRunner().invoke(_cli(), ["score", "--model", "fraud"])
    assert result.exit_code == 1 and "asklytics train --model fraud" in result.output


def test_train_command_registers_a_model_and_prints_its_held_out_metrics(demo_db_path, tmp_path, monkeypatch):
    from predictors.registry import ModelRegistry

    data = tmp_path / "data"
    copy_demo(demo_db_path, data)
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(data))
    result = CliRunner().invoke(_cli(), ["train", "--model", "ltv"])
    assert result.exit_code == 0, result.output
    assert "building held-out features" in result.output and "pinball_mean" in result.output
    assert "p10-p90 coverage" in result.output and "most important features" in result.output
    assert len(ModelRegistry(data / "models").versions("ltv")) == 1


def test_train_command_says_why_a_warehouse_without_payers_cannot_train_ltv(demo_db_path, tmp_path,
                                                                            monkeypatch):
    data = tmp_path / "data"
    path = copy_demo(demo_db_path, data)
    writer = duckdb.connect(str(path))
    try:
        writer.execute("UPDATE events SET revenue = 0")
    finally:
        writer.close()
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(data))
    result = CliRunner().invoke(_cli(), ["train", "--model", "ltv"])
    assert result.exit_code == 1, result.output
    assert "cannot train the ltv model: only 0 users paid" in result.output
    assert "Traceback" not in result.output
    reopened = duckdb.connect(str(path))  # the command let go of the file on the way out
    reopened.close()
