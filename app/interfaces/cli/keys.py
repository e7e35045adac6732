"""``asklytics keys``: create, list and revoke API keys (hashed, in the application database; audited)."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.interfaces.cli.common import cli_actor, console, fail, load_settings, print_json

keys_app = typer.Typer(no_args_is_help=True, help="API keys for the REST API: create, list, revoke.")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _store():
    from app.interfaces.shared.auth import KeyStoreError, open_key_store
    from appdb import DatabaseError

    try:
        return open_key_store(load_settings())
    except DatabaseError as exc:
        fail(exc.message)
    except KeyStoreError as exc:
        fail(str(exc))


@keys_app.command("create")
def create(
    scope: Annotated[str, typer.Option(
        "--scope", help="Tenant scope: conversations and answers stay in it.")],
    name: Annotated[str, typer.Option("--name", help="A note saying who or what uses the key.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Create a key; the secret is printed once and only its hash is stored."""
    from app.interfaces.shared.auth import KeyStoreError

    try:
        key, raw = _store().create(scope, name, actor=cli_actor())
    except KeyStoreError as exc:
        fail(str(exc))
    if as_json:
        print_json({**key.public(), "key": raw})
        return
    console.print(f"created key [bold]{key.key_id}[/] for scope [bold]{key.scope}[/]; store it now, "
                  "it is not shown again:", highlight=False)
    print(raw)


@keys_app.command("list")
def list_keys(as_json: JsonOption = False) -> None:
    """Keys with their scope and state (never the secret or its hash)."""
    keys = _store().list()
    if as_json:
        print_json([k.public() for k in keys])
        return
    table = Table("key_id", "scope", "name", "state", title=f"{len(keys)} keys")
    for key in keys:
        table.add_row(key.key_id, key.scope, key.name, "revoked" if key.revoked else "active")
    console.print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key_id shown by `asklytics keys list`.")]) -> None:
    """Revoke a key; a running server refuses it from its next request."""
    if not _store().revoke(key_id, actor=cli_actor()):
        fail(f"no active key {key_id!r}; see `asklytics keys list`")
    console.print(f"revoked {key_id}")
