"""One engine per process, migrated to the newest schema when opened.

Several processes may open the same database at once (two workers, the CLI beside a server):
the upgrade runs under a lock (PostgreSQL: an advisory lock; SQLite: a lock file beside the
database), so only one of them creates the tables and the others find them made.
"""
from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from common.errors import AsklyticsError

MIGRATIONS = Path(__file__).parent / "migrations"
_PG_UPGRADE_LOCK = 0x61736B6C  # "askl": one advisory lock id for every Asklytics upgrade
SQLITE_BUSY_TIMEOUT_S = 30


class DatabaseError(AsklyticsError):
    """The application database cannot be opened or migrated; the message says what to fix."""

    def __init__(self, message: str):
        super().__init__(message, code="database_unavailable")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


class Database:
    def __init__(self, url: str):
        self.url = url
        self.engine: Engine = _engine(url)
        self._lock = threading.Lock()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction, committed when the block ends without an exception."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def upgrade(self) -> str:
        """Migrate to the newest schema (idempotent); returns the revision now current."""
        from alembic import command

        with self._lock, self._upgrade_lock(), self.engine.begin() as connection:
            config = _alembic_config(connection)
            command.upgrade(config, "head")
        return self.revision() or ""

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _upgrade_lock(self) -> Iterator[None]:
        if self.dialect == "postgresql":
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": _PG_UPGRADE_LOCK})
                try:
                    yield
                finally:
                    connection.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": _PG_UPGRADE_LOCK})
                    connection.commit()
            return
        database = self.engine.url.database
        if self.dialect != "sqlite" or not database or database == ":memory:":
            yield
            return
        with open(f"{database}.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _engine(url: str) -> Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseError("ASKLYTICS_DATABASE_URL is not a database URL; expected e.g. postgresql+psycopg:"
                            "//user@host:5432/asklytics or sqlite:///path/asklytics.db") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_private(Path(parsed.database))
        engine = sa.create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, the [postgres] extra
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except ImportError:
        raise DatabaseError(
            "PostgreSQL needs the psycopg driver: pip install 'asklytics[postgres]'") from None


def _create_private(path: Path) -> None:
    """The file holds key hashes and answers: readable by its owner only (SQLite gives its -wal and
    -shm files the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _sqlite_pragmas(connection, _record) -> None:
    # WAL: readers do not block the writer, so two workers share one file.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def open_database(url: str, *, upgrade: bool = True) -> Database:
    """The database at ``url``, migrated to the newest schema unless ``upgrade`` is false."""
    database = Database(url)
    if upgrade:
        try:
            database.upgrade()
        except sa.exc.OperationalError as exc:
            database.close()
            raise DatabaseError(f"cannot open the application database at {_safe_url(database)}: "
                                f"{_first_line(exc)}") from None
    return database


def _safe_url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=True)


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
