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
    assert listed == [{k: key[k] for k in ("key_id", "scope", "name", "created_at", "revoked")}]
    assert "key" not in listed[0] and "hash" not in listed[0]
    assert runner.invoke(cli, ["keys", "revoke", key["key_id"]]).exit_code == 0
    assert key_store(env).verify(key["key"]) is None
    again = runner.invoke(cli, ["keys", "revoke", key["key_id"]])
    assert again.exit_code == 1 and "no active key" in again.stderr


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
