"""The application database of these settings (appdb), migrated and with the legacy files imported."""
from __future__ import annotations

from app.settings import Settings
from appdb import Database, open_database
from appdb.legacy import import_legacy_files


def open_app_database(settings: Settings) -> Database:
    """Raises ``appdb.DatabaseError`` with a message saying what to fix."""
    database = open_database(settings.resolved_database_url())
    try:
        import_legacy_files(database, settings.data_dir)
    except Exception:
        database.close()
        raise
    return database
