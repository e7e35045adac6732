"""Fixtures of the eval harness tests: the Spider-format SQLite fixture."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "spider"
sys.path.insert(0, str(FIXTURES))

from build_databases import build_databases


@pytest.fixture(scope="session")
def spider_db_dir(tmp_path_factory) -> Path:
    """concert_singer and pets_1 as <db_id>/<db_id>.sqlite files."""
    return build_databases(tmp_path_factory.mktemp("spider-dbs"))


@pytest.fixture
def spider_dev_json() -> Path:
    return FIXTURES / "dev.json"


@pytest.fixture
def bird_dev_json() -> Path:
    return FIXTURES / "bird_dev.json"
