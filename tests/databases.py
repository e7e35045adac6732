"""The application database in tests: SQLite files and the real PostgreSQL, each test in its own
place (a fresh file; a fresh PostgreSQL schema, dropped afterwards).

PostgreSQL comes from ASKLYTICS_TEST_DATABASE_URL (default: the local server's ``test``
database); without a server the PostgreSQL cases skip locally and fail in CI, where
``.ci/run`` sets ASKLYTICS_REQUIRE_POSTGRES=1.
"""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from appdb import sqlite_url

TEST_POSTGRES_URL = os.environ.get("ASKLYTICS_TEST_DATABASE_URL",
                                   "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def postgres_schema_url(schema: str) -> str:
    url = sa.engine.make_url(TEST_POSTGRES_URL)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def _admin_engine() -> sa.Engine:
    engine = sa.create_engine(TEST_POSTGRES_URL, poolclass=sa.pool.NullPool)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError:
        if os.environ.get("ASKLYTICS_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"no PostgreSQL at {TEST_POSTGRES_URL} (CI sets ASKLYTICS_REQUIRE_POSTGRES=1: fails)")
    return engine


@pytest.fixture(params=BACKENDS)
def app_database_url(request, tmp_path):
    """A URL of an empty application database, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "appdb" / "asklytics.db")
        return
    admin = _admin_engine()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_schema_url(schema)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def key_store(folder, bootstrap: str | None = None):
    """The API key store of a data folder (its default SQLite application database), as a server or
    the CLI with ``ASKLYTICS_DATA_DIR=folder`` sees it."""
    from app.interfaces.shared.auth import KeyStore
    from appdb import open_database

    return KeyStore(open_database(sqlite_url(folder / "asklytics.db")), bootstrap)
