"""The MCP door's end-to-end fixtures: the SDK's own client talks to ``asklytics mcp`` (a subprocess,
over stdio) and to ``/mcp`` of a real server (uvicorn, over HTTP). Both serve the scale-1 demo with
the session's trained predictor models and require an API key (a bootstrap key of scope ``acme``)."""
from __future__ import annotations

import pytest
from live_server import data_dir_with_models


@pytest.fixture(scope="package")
def mcp_data_dir(trained, tmp_path_factory):
    return data_dir_with_models(trained, tmp_path_factory.mktemp("mcp"))


@pytest.fixture(scope="package")
def installs_by_platform_june(demo_sql) -> dict[str, int]:
    """The right answer, straight from the warehouse."""
    rows = demo_sql.execute("SELECT platform, count(*) FROM installs WHERE CAST(install_time AS DATE) "
                            "BETWEEN DATE '2026-06-01' AND DATE '2026-06-30' GROUP BY 1").fetchall()
    return dict(rows)
