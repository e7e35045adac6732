"""The Python client against real servers (uvicorn on free ports) over the scale-1 demo."""
from __future__ import annotations

import pytest
from live_server import serve

from app.settings import Settings

CLIENT_KEY = "client-test-key-" + "c" * 24


@pytest.fixture(scope="package")
def server(demo_db_path, tmp_path_factory):
    live = serve(Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("client"),
                          api_keys=f"acme:{CLIENT_KEY}", rate_limit_per_minute=10_000))
    yield live
    live.stop()
