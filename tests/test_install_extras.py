"""Optional parts are install extras (pyproject.toml): the offline default runs without them, and
configuring a part whose extra is missing is an actionable error, never a traceback.

A core-only install is simulated in a subprocess that makes the extras' packages unimportable.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXTRA_PACKAGES = {"llm": ["langchain", "langchain_core", "langchain_openai", "langchain_anthropic"],
                  "clickhouse": ["chdb", "clickhouse_connect"], "slack": ["slack_bolt", "kaleido"],
                  "postgres": ["psycopg"]}
BLOCKER = """
import json, sys
BLOCKED = {blocked!r}
class Blocker:
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Blocker())
sys.path.insert(0, {repo!r})
"""


def run_without_extras(code: str) -> dict:
    blocked = sorted(p for packages in EXTRA_PACKAGES.values() for p in packages)
    script = BLOCKER.format(blocked=blocked, repo=str(REPO)) + code
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_each_extra_lists_its_packages_and_make_install_takes_them_all():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras, core = project["optional-dependencies"], " ".join(project["dependencies"]).lower()
    for extra, packages in EXTRA_PACKAGES.items():
        listed = " ".join(extras[extra]).lower().replace("-", "_")
        assert all(p.split("_")[0] in listed for p in packages), extra
        assert not any(p.replace("_", "-") in core or p in core for p in packages), f"{extra} is also core"
    assert "asklytics[llm,clickhouse,slack,postgres]" in extras["all"] and "asklytics[all]" in extras["dev"]
    assert '-e ".[dev]"' in (REPO / "Makefile").read_text()


def test_the_offline_default_answers_without_any_extra(demo_db_path):
    result = run_without_extras(f"""
from app.engine.assistant import Assistant
from app.interfaces.assembly import create_app
from app.settings import Settings
settings = Settings(warehouse_path={str(demo_db_path)!r}, data_dir={str(demo_db_path.parent)!r},
                    cache_enabled=False)
create_app(settings)
answer = Assistant(settings).ask("installs by platform last month")
print(json.dumps({{"status": answer.status, "rows": len(answer.rows), "planner": answer.planner}}))
""")
    assert result == {"status": "answered", "rows": 2, "planner": "offline"}


def test_a_configured_part_without_its_extra_says_which_extra_to_install(demo_db_path):
    result = run_without_extras(f"""
from app.engine.planning.llm.errors import LLMNotConfigured
from app.engine.planning.llm.factory import build_llm_planner
from app.interfaces.assembly import create_app
from app.settings import Settings
from common.errors import AsklyticsError
from warehouse.errors import WarehouseUnavailable
from warehouse.registry import connect
messages = {{}}
try:
    build_llm_planner(Settings(llm_provider="openai", llm_model="gpt-4o-mini", llm_api_key="k"),
                      semantic_catalog="")
except LLMNotConfigured as exc:
    messages["llm"] = exc.message
try:
    connect("chdb", path={str(demo_db_path.parent)!r})
except WarehouseUnavailable as exc:
    messages["clickhouse"] = exc.message
try:
    create_app(Settings(warehouse_path={str(demo_db_path)!r}, slack_signing_secret="s",
                        slack_bot_token="xoxb-1"))
except AsklyticsError as exc:
    messages["slack"] = exc.message
from appdb import DatabaseError, open_database
try:
    open_database("postgresql://postgres@127.0.0.1:5432/test")
except DatabaseError as exc:
    messages["postgres"] = exc.message
print(json.dumps(messages))
""")
    for extra in EXTRA_PACKAGES:
        assert f"asklytics[{extra}]" in result[extra], result
