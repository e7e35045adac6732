"""``asklytics keys`` and the serve command's refusal to listen openly beyond loopback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli
from app.interfaces.cli.serve import is_loopback
from tests.databases import key_store

CLI = Path(sys.executable).with_name("asklytics")


@pytest.fixture()
def env(tmp_path, monkeypatch):
    for name in [n for n in os.environ if n.startswith("ASKLYTICS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(tmp_path))
    return tmp_path


def test_create_list_revoke(env):
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "--scope", "acme", "--name", "dash", "--json"])
    assert created.exit_code == 0, created.output
    key = json.loads(created.stdout)
    assert key_store(env).verify(key["key"]).scope == "acme"
    listed = json.loads(runner.invoke(cli, ["keys", "list", "--json"]).stdout)
    assert listed == [{k: key[k] for k in ("key_id", "scope", "name", "created_at", "revoked", "origins")}]
    assert "key" not in listed[0] and "hash" not in listed[0]
    assert runner.invoke(cli, ["keys", "revoke", key["key_id"]]).exit_code == 0
    assert key_store(env).verify(key["key"]) is None
    again = runner.invoke(cli, ["keys", "revoke", key["key_id"]])
    assert again.exit_code == 1 and "no active key" in again.stderr


def test_origins_are_set_at_creation_and_updated(env):
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "--scope", "acme", "--origin", "https://App.example.com",
                                  "--origin", "http://localhost:3000", "--json"])
    assert created.exit_code == 0, created.output
    key = json.loads(created.stdout)
    assert key["origins"] == ["https://app.example.com", "http://localhost:3000"]

    def update(*args: str) -> list[str]:
        done = runner.invoke(cli, ["keys", "update", key["key_id"], *args, "--json"])
        assert done.exit_code == 0, done.output
        return json.loads(done.stdout)["origins"]

    assert update("--add-origin", "https://b.example.com", "--remove-origin", "http://localhost:3000") == [
        "https://app.example.com", "https://b.example.com"]
    assert update("--origin", "https://c.example.com") == ["https://c.example.com"]
    assert update("--no-origins") == []
    assert [k.origins for k in key_store(env).list()] == [()]
    bad = runner.invoke(cli, ["keys", "update", key["key_id"], "--add-origin", "https://*.example.com"])
    assert bad.exit_code == 1 and "is not an origin" in bad.stderr and "Traceback" not in bad.output
    nothing = runner.invoke(cli, ["keys", "update", key["key_id"]])
    assert nothing.exit_code == 1 and "say what to change" in nothing.stderr
    audited = runner.invoke(cli, ["audit", "--action", "key_update", "--json"])
    assert [e["detail"]["origins"] for e in json.loads(audited.stdout)] == [
        [], ["https://c.example.com"], ["https://app.example.com", "https://b.example.com"]]
    assert runner.invoke(cli, ["keys", "revoke", key["key_id"]]).exit_code == 0
    revoked = runner.invoke(cli, ["keys", "update", key["key_id"], "--add-origin", "https://d.example.com"])
    assert revoked.exit_code == 1 and "no active key" in revoked.stderr


def test_bad_scope_is_a_clear_error(env):
    result = CliRunner().invoke(cli, ["keys", "create", "--scope", "no spaces"])
    assert result.exit_code == 1 and "must be letters" in result.stderr


@pytest.mark.parametrize("host,loopback", [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                           ("0.0.0.0", False), ("10.0.0.5", False), ("example.com", False)])
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def _serve(env: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "ASKLYTICS_DATA_DIR": str(env), **extra_env,
                   "ASKLYTICS_WAREHOUSE_PATH": str(env / "missing.duckdb")}
    return subprocess.run([str(CLI), "serve", *args], env=environment, cwd=env, capture_output=True,
                          text=True, check=False, timeout=60)


def test_serve_refuses_a_public_bind_without_keys(env):
    done = _serve(env, "--host", "0.0.0.0")
    assert done.returncode == 1
    assert "refusing to listen on 0.0.0.0 without API keys" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_serve_passes_the_auth_check_with_a_bootstrap_key(env):
    done = _serve(env, "--host", "0.0.0.0", ASKLYTICS_API_KEYS="ops:" + "z" * 32)
    # past the auth rule, it stops at the next check: the (deliberately) missing warehouse
    assert done.returncode == 1 and "refusing" not in done.stderr
    assert "asklytics demo build" in done.stderr
