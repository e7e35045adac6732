"""Helpers shared by the CLI command groups."""
from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a clear error (no traceback) and exit."""
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, default=str, indent=2) + "\n")


def load_settings(**overrides: Any):
    """Settings with CLI flag overrides applied (flags beat env and .env)."""
    from pydantic import ValidationError

    from app.settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        fail(f"invalid settings: {problems}")


def cli_actor() -> str:
    """Who an audited CLI action is recorded as: ``cli:<login name>``."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (e.g. a container user without a passwd entry)
        return "cli"


def record_audit(settings, action: str, *, target: str | None = None, detail: dict | None = None) -> None:
    """Audit a CLI action as ``cli:<login name>``; a database that cannot be reached is a warning
    (the operator's own command still runs), printed to stderr."""
    from app.engine.app_database import open_app_database
    from appdb import DatabaseError, audit

    try:
        database = open_app_database(settings)
        with database.begin() as connection:
            audit.record(connection, cli_actor(), action, scope="default", target=target, detail=detail)
        database.close()
    except DatabaseError as exc:
        typer.echo(f"warning: not audited: {exc.message}", err=True)
