"""docker-compose.yml is validated against the Compose specification.

No Docker engine runs here, so the file is parsed with the `compose-spec`
package (a Compose-specification parser) and the wiring is checked by hand:
services, published ports, health checks, volumes and the environment the app
receives (each variable must be a real setting).
"""
from __future__ import annotations

from pathlib import Path

import compose_spec
import pytest

from app.settings import Settings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    spec = compose_spec.PyCompose.from_yaml((REPO / "docker-compose.yml").read_text())
    spec.validate()
    return spec


def _service(compose, name: str) -> dict:
    return compose.get_service(name).model_dump(exclude_none=True)


def test_parser_rejects_a_broken_file():
    with pytest.raises(ValueError, match="extension key"):
        compose_spec.PyCompose.from_yaml("services:\n  app:\n    imagee: x\n")


def test_services_present(compose):
    assert set(compose.service_names()) == {"app", "redis", "clickhouse", "ollama"}


def test_ollama_is_optional(compose):
    assert set(_service(compose, "ollama")["profiles"]) == {"ollama"}
    for name in ("app", "redis", "clickhouse"):
        assert "profiles" not in _service(compose, name)


@pytest.mark.parametrize(
    "name, port", [("app", 8000), ("redis", 6379), ("clickhouse", 8123), ("ollama", 11434)]
)
def test_ports_published_on_loopback_only(compose, name, port):
    assert _service(compose, name)["ports"] == {f"127.0.0.1:{port}:{port}"}


@pytest.mark.parametrize("name", ["app", "redis", "clickhouse", "ollama"])
def test_every_service_has_a_healthcheck(compose, name):
    check = _service(compose, name)["healthcheck"]
    assert check["test"][0] == "CMD" and len(check["test"]) > 1


def test_app_waits_for_healthy_dependencies(compose):
    depends = _service(compose, "app")["depends_on"]
    assert set(depends) == {"redis", "clickhouse"}
    assert all(d["condition"].value == "service_healthy" for d in depends.values())


def test_named_volumes_are_declared(compose):
    declared = set(compose.volumes)
    for name in compose.service_names():
        for mount in _service(compose, name).get("volumes", []):
            source = mount.split(":")[0] if isinstance(mount, str) else mount["source"]
            assert source in declared, f"{name} mounts undeclared volume {source}"


def test_app_environment_names_real_settings(compose):
    env = _service(compose, "app")["environment"]
    settings_env = {f"ASKLYTICS_{field.upper()}" for field in Settings.model_fields}
    assert set(env) <= settings_env, set(env) - settings_env
    assert env["ASKLYTICS_REDIS_URL"] == "redis://redis:6379/0"
    assert "@clickhouse:8123/" in env["ASKLYTICS_CLICKHOUSE_URL"]
    assert env["ASKLYTICS_DATA_DIR"] == "/data"
    # the container binds 0.0.0.0, where the API refuses to run without keys
    assert env["ASKLYTICS_API_KEYS"].startswith("default:${ASKLYTICS_API_KEY:?")


def test_app_serves_on_all_interfaces_inside_the_container(compose):
    assert _service(compose, "app")["command"] == [
        "asklytics", "serve", "--host", "0.0.0.0", "--port", "8000"
    ]
