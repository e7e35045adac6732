"""The SQL we emit, on the demo laid out as a 2-shard ClickHouse cluster (docs/clickhouse-cluster.md).

No ClickHouse server runs here, so the cluster is emulated in one chdb process behind the
test HTTP server (``ch_http_server.py``), driven by the real clickhouse-connect connector:
its config defines the cluster ``asklytics`` as two shards on the local host, ``installs`` and
``events`` are Distributed tables with the shipped sharding key, and each shard reads its half
of the rows through a view on ``shardNum()``. Queries therefore run through the Distributed
engine as on a cluster -- sent to each shard, partial aggregates merged, JOINs and IN
subqueries between the sharded tables rewritten by ``distributed_product_mode = 'local'`` (the
nodes' profile) -- but over no network, on one set of parts, with no Keeper and no
ReplicatedMergeTree (the other tables are one plain copy). What that leaves untested is listed in
docs/clickhouse-cluster.md.

Every metric of the demo model in every shape of the semantic-layer gold tests, and the ask
benchmark's retention / DAU / revenue questions, run on the single-node layout and on the cluster,
on base tables and from rollups, with the same rows.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ch_http_server import running_server

from common.errors import AsklyticsError
from semantic_layer import DEMO_MODEL_PATH, SemanticQuery, load_semantic_model, run_query
from semantic_layer.compiler import rollups_used
from semantic_layer.rollup_build import DuckDBRollupWriter, build_rollups, read_rollup_states
from warehouse.chdb_loader import clickhouse_columns
from warehouse.clickhouse import ClickHouseWarehouse
from warehouse.clickhouse_cluster import (
    CONTRACT_TABLES,
    SHARDED,
    emulated_config,
    emulated_sql,
    schema_sql,
)

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "semantic_layer"))  # the gold shapes, shared with test_gold.py
from gold_harness import METRICS, SHAPES

pytestmark = pytest.mark.slow  # two scale-1 demo servers, ~900 queries: 15 min at load 12 on 2 cores
USER, PASSWORD = "asklytics", "x-secret"
PROFILE = {"distributed_product_mode": "local"}  # deploy/clickhouse-cluster/users.d/asklytics.xml


@pytest.fixture(scope="module")
def demo_with_rollups(demo_db_path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cluster-demo") / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    writer = DuckDBRollupWriter(path)
    try:
        build_rollups(load_semantic_model(DEMO_MODEL_PATH), writer)
    finally:
        writer.close()
    return path


def _connector(port: int) -> ClickHouseWarehouse:
    return ClickHouseWarehouse(f"http://{USER}:{PASSWORD}@127.0.0.1:{port}/default", max_rows=100_000)


@pytest.fixture(scope="module")
def single_port(demo_with_rollups, tmp_path_factory):
    data = tmp_path_factory.mktemp("ch-single") / "data"
    with running_server(data, user=USER, password=PASSWORD, load_duckdb=demo_with_rollups) as port:
        yield port


@pytest.fixture(scope="module")
def cluster_port(demo_with_rollups, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ch-cluster")
    (folder / "cluster.xml").write_text(emulated_config())
    (folder / "init.sql").write_text(";\n".join(emulated_sql(clickhouse_columns(demo_with_rollups))) + ";\n")
    with running_server(folder / "data", user=USER, password=PASSWORD, load_duckdb=demo_with_rollups,
                        init_sql=folder / "init.sql", config_file=folder / "cluster.xml",
                        settings=PROFILE) as port:
        yield port


@pytest.fixture(scope="module")
def single(single_port):
    wh = _connector(single_port)
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def cluster(cluster_port):
    wh = _connector(cluster_port)
    yield wh
    wh.close()


def test_shipped_schema_is_the_generated_one(demo_db_path):
    columns = clickhouse_columns(demo_db_path)
    expected = schema_sql({t: columns[t] for t in CONTRACT_TABLES})
    assert (REPO / "deploy" / "clickhouse-cluster" / "schema.sql").read_text() == expected


@pytest.mark.parametrize("table", sorted(SHARDED))
def test_sharded_tables_are_distributed_over_two_nonempty_shards(cluster, single, table):
    engine = cluster.execute(f"SELECT engine FROM system.tables WHERE database = currentDatabase() "
                             f"AND name = '{table}'").rows
    assert engine == [("Distributed",)]
    shards = dict(cluster.execute(f"SELECT _shard_num, count() FROM {table} GROUP BY 1").rows)
    total = single.execute(f"SELECT count() FROM {table}").rows[0][0]
    assert sorted(shards) == [1, 2] and min(shards.values()) > 0.4 * total
    assert sum(shards.values()) == total


def test_one_user_lives_on_one_shard(cluster):
    split = cluster.execute("SELECT count() FROM (SELECT user_id FROM events GROUP BY user_id "
                            "HAVING uniqExact(_shard_num) > 1)").rows
    assert split == [(0,)]


def _raw(port: int, sql: str, **settings: str) -> tuple[int, str]:
    """A query over HTTP without the connector's read-only settings, so the setting can be changed."""
    query = urllib.parse.urlencode(settings)
    request = urllib.request.Request(f"http://127.0.0.1:{port}/?{query}", data=sql.encode(),
                                     headers={"X-ClickHouse-User": USER, "X-ClickHouse-Key": PASSWORD})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_join_of_two_sharded_tables_needs_the_profile_setting(cluster_port):
    join = "SELECT count() FROM installs AS i JOIN events AS e ON e.user_id = i.user_id"
    status, body = _raw(cluster_port, join, distributed_product_mode="deny")  # ClickHouse's default
    assert status == 500 and "DISTRIBUTED_IN_JOIN_SUBQUERY_DENIED" in body
    assert _raw(cluster_port, join, distributed_product_mode="local")[0] == 200


# The ask benchmark's questions that the gold shapes do not have (benchmarks/bench_scale.py).
ASK_QUERIES = {
    "d7_retention_by_country_may": {"metrics": ["retention_d7"], "dimensions": ["country"],
                                    "time_range": ["2026-05-01", "2026-05-31"],
                                    "order_by": [["retention_d7", "desc"]]},
    "d1_retention_by_source_q2_cohort": {"metrics": ["retention_d1"], "dimensions": ["media_source"],
                                         "cohort": {"install_range": ["2026-04-01", "2026-06-30"]}},
    "dau_june": {"metrics": ["dau"], "time_range": ["2026-06-01", "2026-06-30"]},
    "ios_vs_android_revenue_q2": {"metrics": ["revenue"], "dimensions": ["platform"],
                                  "filters": ["platform IN ('iOS', 'Android')"],
                                  "time_range": ["2026-04-01", "2026-06-30"],
                                  "order_by": [["revenue", "desc"]]},
    "top5_ios_campaigns_by_roas": {"metrics": ["roas"], "dimensions": ["campaign_name"],
                                   "filters": ["platform = 'iOS'"],
                                   "time_range": ["2026-06-01", "2026-06-30"],
                                   "order_by": [["roas", "desc"]], "limit": 5},
}


def _rows(model, query, warehouse, rollups):
    try:
        return run_query(model, query, warehouse, max_rows=100_000, rollups=rollups).rows
    except AsklyticsError as exc:  # e.g. predictions not scored in the test demo: must fail alike
        return ("error", exc.code)


def _same(a, b) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    # Shards merge in any order: rows an ORDER BY leaves tied may come in another order.
    a, b = (sorted(r, key=lambda row: tuple(repr(round(v, 6) if isinstance(v, float) else v) for v in row))
            for r in (a, b))
    return len(a) == len(b) and all(
        len(x) == len(y) and all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9) if isinstance(u, float)
                                 else u == v for u, v in zip(x, y)) for x, y in zip(a, b))


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.fixture(scope="module")
def states(single, cluster):
    states = read_rollup_states(single)
    assert states and read_rollup_states(cluster) == states
    return states


def _compare(model, queries: dict[str, SemanticQuery], single, cluster, states) -> tuple[int, int]:
    """Each query on one node and on the cluster, on base tables and from rollups: (rows seen, routed)."""
    different, rows, routed = [], 0, 0
    for name, query in queries.items():
        routed += bool(rollups_used(model, query, "clickhouse", states)[1])
        for rollups in (None, states):
            expected = _rows(model, query, single, rollups)
            rows += 0 if isinstance(expected, tuple) else len(expected)
            if not _same(expected, _rows(model, query, cluster, rollups)):
                different.append((name, "rollups" if rollups else "base"))
    assert not different, different
    return rows, routed


@pytest.mark.parametrize("metric", sorted(METRICS))
def test_every_metric_in_every_gold_shape_gives_the_same_rows(model, metric, single, cluster, states):
    """The semantic-layer gold shapes (tests/semantic_layer/gold_harness.py): no grouping, a campaign
    attribute, platform x country, each grain, a filter, a top-N -- for one metric."""
    queries = {shape.name: shape.semantic_query(metric) for shape in SHAPES}
    rows, _ = _compare(model, queries, single, cluster, states)
    assert rows > 0


def test_the_ask_benchmark_questions_give_the_same_rows(model, single, cluster, states):
    base = {"dimensions": [], "filters": [], "time_range": None, "order_by": [], "limit": None}
    queries = {name: SemanticQuery.from_contract({**base, **q}) for name, q in ASK_QUERIES.items()}
    rows, routed = _compare(model, queries, single, cluster, states)
    assert rows > 20 and routed >= 4


CONFIG_CHECK = """
import chdb, json, sys
conn = chdb.connect(":memory:?config-file=" + sys.argv[1])
rows = lambda sql: [line.split(",") for line in str(conn.query(sql, "CSV")).split()]
print(json.dumps({"clusters": rows("SELECT cluster, shard_num, host_name, port FROM system.clusters"),
                  "macros": rows("SELECT getMacro('shard'), getMacro('replica')")}))
"""


@pytest.mark.parametrize("node", ["clickhouse-01", "clickhouse-02"])
def test_shipped_node_config_loads_in_the_engine(node, tmp_path):
    """The files docker-compose mounts into a node's config.d, merged by the engine itself."""
    deploy = REPO / "deploy" / "clickhouse-cluster"
    (tmp_path / "config.d").mkdir()
    (tmp_path / "config.xml").write_text("<clickhouse></clickhouse>\n")
    shutil.copy(deploy / "config.d" / "cluster.xml", tmp_path / "config.d" / "cluster.xml")
    shutil.copy(deploy / node / "node.xml", tmp_path / "config.d" / "node.xml")
    env = {**os.environ, "CLICKHOUSE_CLUSTER_SECRET": "test-secret"}
    done = subprocess.run([sys.executable, "-c", CONFIG_CHECK, str(tmp_path / "config.xml")], env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["clusters"] == [['"asklytics"', "1", '"clickhouse-01"', "9000"],
                                ['"asklytics"', "2", '"clickhouse-02"', "9000"]]
    assert seen["macros"] == [[f'"{node[-2:]}"', f'"{node}"']]


def test_profile_in_the_shipped_users_file_is_the_one_tested():
    root = ET.parse(REPO / "deploy" / "clickhouse-cluster" / "users.d" / "asklytics.xml").getroot()
    assert {e.tag: e.text for e in root.find("profiles/default")} == PROFILE
