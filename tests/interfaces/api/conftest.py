"""API clients over the demo warehouse, each app with its own data folder (keys, feedback, index)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.interfaces.assembly import create_app
from app.settings import Settings


@pytest.fixture()
def make_client(demo_db_path, tmp_path):
    """``make_client(**settings)``: a TestClient on a fresh app; closed after the test."""
    clients = []

    def make(**overrides) -> TestClient:
        settings = Settings(warehouse_path=demo_db_path,
                            data_dir=overrides.pop("data_dir", tmp_path / "data"), **overrides)
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def shared_client(demo_db_path, tmp_path_factory):
    """One app for the read-mostly tests of a module (the assistant loads once)."""
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("api-data"),
                        rate_limit_per_minute=10_000)
    with TestClient(create_app(settings)) as client:
        yield client
