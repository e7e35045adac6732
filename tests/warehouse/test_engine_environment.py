"""No SQL that reaches an engine reads the process environment, even with the guard bypassed.

Issue #15 read the LLM key and the Slack token from ``/proc/self/environ``
through chdb, which ran inside the server. Each test starts a fresh Python
process with a secret in its environment -- in the original environment block
the kernel shows in ``/proc/<pid>/environ``, which stays there after
``os.environ`` is scrubbed -- opens a connector there and sends it raw attack
SQL directly (no guard). The secret must appear in no answer and no error.
A control runs chdb inside that process, as the connector used to: the same
SQL then returns the secret.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from warehouse._landlock import abi_version
from warehouse.chdb_sandbox import SCRUBBED_ENV_NAMES

REPO = Path(__file__).resolve().parents[2]
SECRET_NAME = "ASKLYTICS_TEST_SECRET"

# Runs in the child: argv = repo, mode, target, attacks (JSON). Prints a JSON report.
CHILD = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
mode, target, attacks = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
secret = os.environ.pop("ASKLYTICS_TEST_SECRET").encode()   # scrubbed, as a server might do
report = {"block_still_has_secret": secret in open("/proc/self/environ", "rb").read(), "answers": []}
if mode == "inprocess":
    import chdb
    run = lambda sql: chdb.query(sql, "CSV").bytes().decode("utf-8", "replace")
elif mode == "chdb":
    from warehouse.chdb import ChdbWarehouse
    warehouse = ChdbWarehouse(target, timeout_s=120, max_rows=100000)
    report["landlock"] = warehouse.landlock
    run = lambda sql: repr(warehouse.execute(sql).rows)
else:
    from warehouse.duckdb import DuckDBWarehouse
    warehouse = DuckDBWarehouse(target, timeout_s=120, max_rows=100000)
    run = lambda sql: repr(warehouse.execute(sql).rows)
for sql in attacks:
    try:
        report["answers"].append([sql, "ok", run(sql)])
    except Exception as error:
        report["answers"].append([sql, "error", f"{type(error).__name__}: {error}"])
print(json.dumps(report))
"""


def _highest_pid() -> int:
    return max(int(p) for p in os.listdir("/proc") if p.isdigit())


def chdb_attacks() -> list[str]:
    pids = _highest_pid() + 2000
    return [
        "SELECT file('/proc/self/environ')",
        "SELECT file('/proc/thread-self/environ')",
        "SELECT file('/proc/1/environ', '')",
        "SELECT \"file\"('/proc/self/environ')",
        # every process this user runs, the parent (the would-be server) included
        (f"SELECT number, file(concat('/proc/', toString(number), '/environ'), '') AS env "
         f"FROM numbers(1, {pids}) WHERE env != ''"),
        (f"SELECT number, file(concat('/proc/', toString(number), '/cmdline'), '') AS c "
         f"FROM numbers(1, {pids}) WHERE c != ''"),
        f"SELECT file('{REPO}/.env', '')",
        "SELECT file('/proc/self/root/proc/1/environ', '')",
        "SELECT * FROM file('/proc/self/environ', 'LineAsString')",
        "SELECT hostName(), getSetting('readonly')",
    ]


DUCKDB_ATTACKS = [
    "SELECT * FROM read_text('/proc/self/environ')",
    "SELECT * FROM read_blob('/proc/self/environ')",
    "SELECT * FROM read_csv('/proc/self/environ')",
    "SELECT * FROM glob('/proc/*/environ')",
    "SELECT * FROM read_text('/proc/1/environ')",
    "SELECT getenv('ASKLYTICS_TEST_SECRET')",
    "SELECT current_setting('secret_directory')",
    "SELECT name, value FROM duckdb_settings()",
    "SELECT * FROM duckdb_secrets()",
    "SELECT getvariable('ASKLYTICS_TEST_SECRET')",
    "SET enable_external_access = true",
]


def run_child(mode: str, target: Path, attacks: list[str]) -> tuple[dict, str]:
    secret = f"s3cr3t-{uuid.uuid4().hex}"
    env = {**os.environ, SECRET_NAME: secret}
    done = subprocess.run([sys.executable, "-c", CHILD, str(REPO), mode, str(target), json.dumps(attacks)],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), secret


@pytest.fixture(scope="module")
def chdb_copy(chdb_path, tmp_path_factory):
    """A folder of its own: the child's worker must not share the session's."""
    import shutil

    copy = tmp_path_factory.mktemp("env-chdb") / "data"
    shutil.copytree(chdb_path, copy, symlinks=True)
    return copy


def test_control_in_process_chdb_reads_the_secret_even_after_os_environ_is_scrubbed(tmp_path):
    report, secret = run_child("inprocess", tmp_path, ["SELECT file('/proc/self/environ')"])
    assert report["block_still_has_secret"]
    assert secret in report["answers"][0][2]


@pytest.mark.skipif(abi_version() < 1, reason="no Landlock: only the worker's own environment is scrubbed")
def test_no_sql_reaching_chdb_reads_any_process_environment(chdb_copy):
    attacks = chdb_attacks()
    report, secret = run_child("chdb", chdb_copy, attacks)
    assert report["block_still_has_secret"] and report["landlock"] >= 1
    leaked = [a for a in report["answers"] if secret in a[2]]
    assert not leaked, leaked
    answers = {sql: (status, text) for sql, status, text in report["answers"]}
    assert answers[attacks[0]][0] == "error" and "Permission denied" in answers[attacks[0]][1]
    assert answers[attacks[4]] == ("ok", "[]")  # no /proc/<pid>/environ of any process is readable
    assert answers[attacks[-1]][0] == "ok"  # the engine itself works


def test_no_sql_reaching_duckdb_reads_the_environment(demo_db_path):
    report, secret = run_child("duckdb", demo_db_path, DUCKDB_ATTACKS)
    assert report["block_still_has_secret"]
    leaked = [a for a in report["answers"] if secret in a[2]]
    assert not leaked, leaked
    answers = {sql: (status, text) for sql, status, text in report["answers"]}
    for sql in DUCKDB_ATTACKS[:5]:
        assert answers[sql][0] == "error" and "disabled by configuration" in answers[sql][1], sql
    assert answers["SELECT getenv('ASKLYTICS_TEST_SECRET')"][0] == "error"  # not in DuckDB's Python build
    secret_dir = answers["SELECT current_setting('secret_directory')"]
    assert secret_dir[0] == "ok" and str(Path.home()) not in secret_dir[1]
    assert "locked" in answers["SET enable_external_access = true"][1]


def test_chdb_worker_environment_holds_only_scrubbed_names(chdb_wh):
    pid = chdb_wh._require_sandbox().pid
    block = Path(f"/proc/{pid}/environ").read_bytes()
    names = {entry.split(b"=", 1)[0].decode() for entry in block.split(b"\0") if entry}
    assert names <= set(SCRUBBED_ENV_NAMES) | {"TMPDIR", "HOME"}
    assert "TMPDIR" in names
