"""``asklytics db``: the application database (docs/governance.md): migrate it, say where it is."""
from __future__ import annotations

import typer

from app.interfaces.cli.common import console, fail, load_settings

db_app = typer.Typer(no_args_is_help=True, help="The application database: upgrade, current.")


def _open(upgrade: bool):
    from appdb import DatabaseError, open_database

    try:
        return open_database(load_settings().resolved_database_url(), upgrade=upgrade)
    except DatabaseError as exc:
        fail(exc.message)


@db_app.command("upgrade")
def upgrade() -> None:
    """Migrate to the newest schema (servers also do it when they start) and import a legacy
    keys.json / feedback.jsonl once."""
    from app.engine.app_database import open_app_database
    from appdb import DatabaseError

    settings = load_settings()
    try:
        database = open_app_database(settings)
    except DatabaseError as exc:
        fail(exc.message)
    console.print(f"{_where(database)} is at revision [bold]{database.revision()}[/]", highlight=False)
    database.close()


@db_app.command("current")
def current() -> None:
    """The database's URL (password hidden) and its schema revision, without migrating."""
    database = _open(upgrade=False)
    revision = database.revision()
    console.print(f"{_where(database)}: revision {revision or 'none (run `asklytics db upgrade`)'}",
                  highlight=False)
    database.close()


def _where(database) -> str:
    return database.engine.url.render_as_string(hide_password=True)
