"""The application database on SQLite and on the real PostgreSQL: migrations match the tables the
code uses, the audit log refuses edits, state is shared by several processes and survives a restart,
and the legacy files are imported once."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.interfaces.shared.auth import KeyStore
from appdb import DatabaseError, audit, open_database
from appdb.audit import AuditQuery
from appdb.feedback import list_feedback
from appdb.legacy import import_legacy_files
from appdb.tables import audit_log, metadata

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def database(app_database_url):
    opened = open_database(app_database_url)
    yield opened
    opened.close()


def test_the_migrations_create_exactly_the_tables_the_code_uses(database):
    with database.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    assert database.revision() == "0004"
    assert database.upgrade() == "0004"  # a second upgrade is a no-op


def test_the_audit_log_is_append_only(database):
    with database.begin() as connection:
        audit.record(connection, "cli:alice", "policy_set", scope="acme", target="tenant:acme")
    for statement in (audit_log.update().values(actor="mallory"), audit_log.delete()):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), database.begin() as connection:
            connection.execute(statement)
    with database.connect() as connection:
        rows = audit.search(connection, AuditQuery(actor="cli:alice"))
    assert [(r["actor"], r["action"], r["target"]) for r in rows] == [
        ("cli:alice", "policy_set", "tenant:acme")]


def test_keys_are_shared_by_two_engines_and_survive_a_restart(app_database_url):
    server, cli = KeyStore(open_database(app_database_url)), KeyStore(open_database(app_database_url))
    key, raw = cli.create("acme", "dashboard")
    assert server.verify(raw).scope == "acme"
    server.database.close()
    restarted = KeyStore(open_database(app_database_url))
    assert restarted.verify(raw).key_id == key.key_id
    assert cli.revoke(key.key_id, actor="cli:alice")
    assert restarted.verify(raw) is None and not restarted.has_keys()
    with restarted.database.connect() as connection:
        actions = [r["action"] for r in audit.search(connection, AuditQuery(scope="acme"))]
    assert actions == ["key_revoke", "key_create"]
    for store in (cli, restarted):
        store.database.close()


def test_a_key_made_before_origins_existed_allows_none_and_takes_some(app_database_url):
    """Migration 0002 on a database holding a key of 0001: the key keeps working with no origins; its
    origins are then set (audited with before and after) and seen by another engine."""
    from alembic import command

    from appdb.database import _alembic_config

    old = open_database(app_database_url, upgrade=False)
    with old.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
        connection.execute(sa.text("INSERT INTO api_keys (key_id, scope, salt, hash, name, created_at, "
                                   "revoked) VALUES ('0123456789ab', 'acme', 's', 'h', 'old', 1.0, false)"))
    old.close()
    store = KeyStore(open_database(app_database_url))
    assert [(k.key_id, k.origins) for k in store.list()] == [("0123456789ab", ())]
    updated = store.set_origins("0123456789ab", ["https://App.example.com:443/", "http://localhost:3000"],
                                actor="cli:alice")
    assert updated.origins == ("https://app.example.com", "http://localhost:3000")
    other = KeyStore(open_database(app_database_url))
    assert other.origins_in_use() == {"https://app.example.com", "http://localhost:3000"}
    with other.database.connect() as connection:
        (entry,) = audit.search(connection, AuditQuery(action="key_update"))
    assert (entry["actor"], entry["scope"], entry["target"]) == ("cli:alice", "acme", "0123456789ab")
    assert entry["detail"] == {"origins": ["https://app.example.com", "http://localhost:3000"], "before": []}
    assert store.set_origins("no-such-key", ["https://a.example"]) is None
    for opened in (store, other):
        opened.database.close()


def test_the_token_secret_is_made_once_and_shared(app_database_url):
    from appdb.signing import signing_secret

    first, second = open_database(app_database_url), open_database(app_database_url)
    assert signing_secret(first) == signing_secret(second) and len(signing_secret(first)) == 32
    for opened in (first, second):
        opened.close()


WORKER = """
import sys
from app.interfaces.shared.auth import KeyStore
from appdb import open_database
store = KeyStore(open_database(sys.argv[1]))
print("\\n".join(store.create("acme", f"worker {sys.argv[2]} key {n}")[1] for n in range(5)))
"""


def test_two_worker_processes_migrate_and_write_one_database_at_once(app_database_url):
    """Two processes start on an empty database at the same moment: one migrates, both write."""
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, app_database_url, str(n)], cwd=REPO,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(2)]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]
    raws = [line for out, _ in outputs for line in out.split()]
    reader = KeyStore(open_database(app_database_url))
    assert len(raws) == 10 and all(reader.verify(raw).scope == "acme" for raw in raws)
    assert len(reader.list()) == 10
    reader.database.close()


def test_legacy_keys_and_feedback_are_imported_once(database, tmp_path):
    legacy_store_rows = {"keys": [{"key_id": "0123456789ab", "scope": "acme", "salt": "s" * 32,
                                   "hash": "h" * 64, "name": "old", "created_at": 1.5, "revoked": False}]}
    (tmp_path / "keys.json").write_text(json.dumps(legacy_store_rows))
    (tmp_path / "feedback.jsonl").write_text(
        json.dumps({"at": 2.0, "scope": "acme", "answer_id": "a-1", "rating": "down", "question": "q",
                    "sql": "SELECT 1", "corrected_sql": "SELECT 2", "comment": None,
                    "verified_example_id": None}) + "\nnot json\n")
    assert import_legacy_files(database, tmp_path) == {"keys.json": 1, "feedback.jsonl": 1}
    assert (tmp_path / "keys.json.migrated").exists() and not (tmp_path / "keys.json").exists()
    (tmp_path / "keys.json.migrated").rename(tmp_path / "keys.json")  # put back: still not imported twice
    assert import_legacy_files(database, tmp_path) == {}
    store = KeyStore(database)
    assert [(k.key_id, k.scope, k.name) for k in store.list()] == [("0123456789ab", "acme", "old")]
    with database.connect() as connection:
        rated = list_feedback(connection)
    assert [(r["answer_id"], r["rating"], r["corrected_sql"]) for r in rated] == [("a-1", "down", "SELECT 2")]


def test_an_unreachable_database_is_a_clear_error():
    with pytest.raises(DatabaseError, match="cannot open the application database"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/asklytics")
    with pytest.raises(DatabaseError, match="not a database URL"):
        open_database("not a url")
