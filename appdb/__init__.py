"""The application database: API keys, tenants, conversations, the answer log, feedback, verified
queries, access policies, monitors and the append-only audit log (docs/governance.md).

SQLAlchemy 2 Core tables, Alembic migrations. An embedded SQLite file by default, PostgreSQL when
a URL says so; this room never reads settings (``app`` passes the URL in).
"""
from appdb.database import Database, DatabaseError, open_database, sqlite_url

__all__ = ["Database", "DatabaseError", "open_database", "sqlite_url"]
