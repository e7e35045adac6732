"""Defence in depth: the hardened connectors refuse the same file, network and
write attacks on their own, with no guard in front. Each statement is checked
three ways: the guard refuses it, an unhardened DuckDB connection shows the
statement really works (so the refusal is not a typo or a missing file), and
the hardened connector refuses it."""
from __future__ import annotations

import duckdb
import pytest
from conftest import contract_schema

from warehouse.errors import WarehouseError
from warehouse.guard import GuardError, guard_sql

DUCKDB_ATTACKS = {
    "read_csv": "SELECT * FROM read_csv('{csv}')",
    "quoted_path": "SELECT * FROM '{csv}'",
    "read_text": "SELECT * FROM read_text('{csv}')",
    "read_blob": "SELECT * FROM read_blob('{csv}')",
    "glob": "SELECT * FROM glob('{folder}/*')",
    "sniff_csv": "SELECT * FROM sniff_csv('{csv}')",
    "read_parquet": "SELECT * FROM read_parquet('{parquet}')",
    "query_string": "SELECT * FROM query('SELECT * FROM read_csv(''{csv}'')')",
    "copy_out": "COPY (SELECT 1 AS a) TO '{out}'",
    "attach": "ATTACH '{other}' AS other",
    "create": "CREATE TABLE stolen AS SELECT 1 AS a",
}
# Statements an ordinary connection cannot run either (no network, no extension
# download here), so they skip the control step but must still be refused.
DUCKDB_NO_CONTROL = {
    "url_read": "SELECT * FROM read_csv('https://example.com/x.csv')",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "unlock_external_access": "SET enable_external_access = true",
}
CHDB_ATTACKS = {
    "file_table_function": "SELECT * FROM file('{csv}', 'CSV')",
    "url_table_function": "SELECT * FROM url('http://127.0.0.1:9/x.csv', 'CSV', 'a String')",
    "s3_table_function": "SELECT * FROM s3('http://127.0.0.1:9/bucket/x.csv', 'CSV', 'a String')",
    "settings_lift_readonly": "SELECT 1 SETTINGS readonly = 0",
    "insert": "INSERT INTO campaigns (campaign_id) VALUES ('x')",
    "create": "CREATE TABLE stolen (a Int32) ENGINE = Memory",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("victim")
    csv = folder / "secret.csv"
    csv.write_text("name,value\napi_key,hunter2\n", encoding="utf-8")
    with duckdb.connect() as plain:
        plain.execute(f"COPY (SELECT 42 AS answer) TO '{folder / 'secret.parquet'}' (FORMAT parquet)")
    duckdb.connect(str(folder / "other.duckdb")).close()
    return {"csv": csv, "folder": folder, "parquet": folder / "secret.parquet",
            "out": folder / "exfiltrated.csv", "other": folder / "other.duckdb"}


def _refused_by_policy(message: str) -> bool:
    """DuckDB's words for hardening (not for a missing file or a typo)."""
    return any(m in message for m in ("disabled by configuration", "disabled through configuration",
                                      "read-only mode", "configuration has been locked"))


def _assert_guard_refuses(sql: str, dialect: str) -> None:
    with pytest.raises(GuardError):
        guard_sql(sql, schema=contract_schema(), dialect=dialect)


@pytest.mark.parametrize("name", sorted(DUCKDB_ATTACKS))
def test_hardened_duckdb_refuses_what_a_plain_connection_runs(name, files, duckdb_wh, tmp_path):
    sql = DUCKDB_ATTACKS[name].format(**files)
    _assert_guard_refuses(sql, "duckdb")
    with duckdb.connect(str(tmp_path / "control.duckdb")) as plain:
        plain.execute(sql)  # the control: the statement works without hardening
    files["out"].unlink(missing_ok=True)
    with pytest.raises(WarehouseError) as refused:
        duckdb_wh.execute(sql)
    assert _refused_by_policy(refused.value.message), refused.value.message
    assert not files["out"].exists()


@pytest.mark.parametrize("name", sorted(DUCKDB_NO_CONTROL))
def test_hardened_duckdb_refuses_network_and_extensions(name, duckdb_wh):
    sql = DUCKDB_NO_CONTROL[name]
    _assert_guard_refuses(sql, "duckdb")
    with pytest.raises(WarehouseError) as refused:
        duckdb_wh.execute(sql)
    assert _refused_by_policy(refused.value.message), refused.value.message


@pytest.mark.parametrize("name", sorted(CHDB_ATTACKS))
def test_chdb_refuses_file_network_and_writes(name, files, chdb_wh):
    sql = CHDB_ATTACKS[name].format(**files)
    _assert_guard_refuses(sql, "clickhouse")
    with pytest.raises(WarehouseError) as refused:
        chdb_wh.execute(sql)
    assert "READONLY" in refused.value.message  # refused by policy, not by a missing file or port
