"""docker-compose.yml is validated against the Compose specification.

No Docker engine runs here, so the file is parsed with the `compose-spec`
package (a Compose-specification parser) and the wiring is checked by hand:
services, published ports, health checks, volumes and the environment the app
receives (each variable must be a real setting). The `cluster` profile (a 2-shard
ClickHouse cluster with Keeper, docs/clickhouse-cluster.md) is checked the same way, and
its mounted config files must exist and be well-formed XML; that the engine loads them and
that the SQL we emit runs on the layout is tested in tests/warehouse/test_clickhouse_cluster.py.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
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


CLUSTER = ("clickhouse-keeper", "clickhouse-01", "clickhouse-02", "clickhouse-cluster-schema")
LONG_RUNNING = ("app", "redis", "clickhouse", "ollama", *CLUSTER[:3])


def test_services_present(compose):
    assert set(compose.service_names()) == {"app", "redis", "clickhouse", "ollama", *CLUSTER}


def test_ollama_and_the_cluster_are_optional(compose):
    assert set(_service(compose, "ollama")["profiles"]) == {"ollama"}
    for name in CLUSTER:
        assert set(_service(compose, name)["profiles"]) == {"cluster"}
    for name in ("app", "redis", "clickhouse"):
        assert "profiles" not in _service(compose, name)


@pytest.mark.parametrize(
    "name, published",
    [("app", "8000:8000"), ("redis", "6379:6379"), ("clickhouse", "8123:8123"), ("ollama", "11434:11434"),
     ("clickhouse-01", "8124:8123"), ("clickhouse-02", "8125:8123")],
)
def test_ports_published_on_loopback_only(compose, name, published):
    assert _service(compose, name)["ports"] == {f"127.0.0.1:{published}"}


@pytest.mark.parametrize("name", ["clickhouse-keeper", "clickhouse-cluster-schema"])
def test_cluster_internals_publish_no_port(compose, name):
    assert "ports" not in _service(compose, name)


@pytest.mark.parametrize("name", LONG_RUNNING)
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
            if source.startswith("./"):
                continue  # a file of the repository (checked in test_cluster_config_files_exist_and_parse)
            assert source in declared, f"{name} mounts undeclared volume {source}"


def test_app_environment_names_real_settings(compose):
    env = _service(compose, "app")["environment"]
    settings_env = {f"ASKLYTICS_{field.upper()}" for field in Settings.model_fields}
    assert set(env) <= settings_env, set(env) - settings_env
    assert env["ASKLYTICS_REDIS_URL"] == "redis://redis:6379/0"
    # the single server by default; CLICKHOUSE_HOST / CLICKHOUSE_DATABASE point it at the cluster
    url = env["ASKLYTICS_CLICKHOUSE_URL"]
    assert "@${CLICKHOUSE_HOST:-clickhouse}:8123/${CLICKHOUSE_DATABASE:-default}" in url
    assert env["ASKLYTICS_WAREHOUSE"] == "${ASKLYTICS_WAREHOUSE:-duckdb}"
    assert env["ASKLYTICS_DATA_DIR"] == "/data"
    # the container binds 0.0.0.0, where the API refuses to run without keys
    assert env["ASKLYTICS_API_KEYS"].startswith("default:${ASKLYTICS_API_KEY:?")


def test_app_serves_on_all_interfaces_inside_the_container(compose):
    assert _service(compose, "app")["command"] == [
        "asklytics", "serve", "--host", "0.0.0.0", "--port", "8000"
    ]


def _mounts(compose, name: str) -> dict[str, str]:
    """Bind mounts of files in the repository: container path -> repository path."""
    out = {}
    for mount in _service(compose, name).get("volumes", []):
        source, target = mount.split(":")[:2]
        if source.startswith("./"):
            out[target] = source
    return out


@pytest.mark.parametrize("name", CLUSTER)
def test_cluster_config_files_exist_and_parse(compose, name):
    mounts = _mounts(compose, name)
    assert mounts
    for target, source in mounts.items():
        assert (REPO / source).is_file(), source
        assert target.startswith(("/etc/clickhouse-server/", "/etc/clickhouse-keeper/", "/schema.sql"))
        if source.endswith(".xml"):
            assert ET.parse(REPO / source).getroot().tag == "clickhouse"


def test_each_node_gets_its_own_macros_and_the_shared_cluster(compose):
    sources = [_mounts(compose, n)["/etc/clickhouse-server/config.d/node.xml"]
               for n in ("clickhouse-01", "clickhouse-02")]
    shards = [ET.parse(REPO / s).getroot().findtext("macros/shard") for s in sources]
    assert shards == ["01", "02"]
    cluster = ET.parse(REPO / "deploy/clickhouse-cluster/config.d/cluster.xml").getroot()
    hosts = [r.findtext("host") for r in cluster.iterfind("remote_servers/asklytics/shard/replica")]
    assert hosts == ["clickhouse-01", "clickhouse-02"]
    assert cluster.findtext("zookeeper/node/host") == "clickhouse-keeper"


def test_cluster_nodes_wait_for_keeper_and_the_schema_for_both_nodes(compose):
    for name in ("clickhouse-01", "clickhouse-02"):
        depends = _service(compose, name)["depends_on"]
        assert set(depends) == {"clickhouse-keeper"}
        assert depends["clickhouse-keeper"]["condition"].value == "service_healthy"
    depends = _service(compose, "clickhouse-cluster-schema")["depends_on"]
    assert set(depends) == {"clickhouse-01", "clickhouse-02"}
    assert all(d["condition"].value == "service_healthy" for d in depends.values())


def test_schema_job_runs_the_shipped_schema_on_the_cluster(compose):
    service = _service(compose, "clickhouse-cluster-schema")
    assert service["command"][:3] == ["clickhouse-client", "--host", "clickhouse-01"]
    assert service["command"][-2:] == ["--queries-file", "/schema.sql"]
    schema = (REPO / "deploy/clickhouse-cluster/schema.sql").read_text()
    creates = re.findall(r"^CREATE (?:TABLE|DATABASE) IF NOT EXISTS (\S+) ON CLUSTER asklytics", schema,
                         re.MULTILINE)
    assert "asklytics.events" in creates and "asklytics.events_local" in creates
    assert len(creates) == schema.count("CREATE ")
