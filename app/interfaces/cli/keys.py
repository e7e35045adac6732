"""``asklytics keys``: create, list, update (browser origins) and revoke API keys (hashed, in the
application database; audited)."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.interfaces.cli.common import cli_actor, console, fail, load_settings, print_json

keys_app = typer.Typer(no_args_is_help=True,
                       help="API keys for the REST API and MCP: create, list, update, revoke.")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
OriginOption = Annotated[list[str] | None, typer.Option(
    "--origin", help="A browser origin allowed to call with the key (CORS), e.g. https://app.example.com; "
    "repeat for several.")]


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
    origin: OriginOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a key; the secret is printed once and only its hash is stored."""
    from app.interfaces.shared.auth import KeyStoreError

    try:
        key, raw = _store().create(scope, name, origins=origin or (), actor=cli_actor())
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
    table = Table("key_id", "scope", "name", "origins", "state", title=f"{len(keys)} keys")
    for key in keys:
        table.add_row(key.key_id, key.scope, key.name, " ".join(key.origins),
                      "revoked" if key.revoked else "active")
    console.print(table)


@keys_app.command("update")
def update(
    key_id: Annotated[str, typer.Argument(help="The key_id shown by `asklytics keys list`.")],
    origin: Annotated[list[str] | None, typer.Option(
        "--origin", help="Replace the key's origins with these (repeat for several).")] = None,
    add_origin: Annotated[list[str] | None, typer.Option(
        "--add-origin", help="Allow one more origin.")] = None,
    remove_origin: Annotated[list[str] | None, typer.Option(
        "--remove-origin", help="Stop allowing an origin.")] = None,
    no_origins: Annotated[bool, typer.Option(
        "--no-origins", help="Allow no origin (only ASKLYTICS_CORS_ORIGINS then).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Change which browser origins may call with a key (audited); a running server applies it at once."""
    from app.interfaces.shared.auth import KeyStoreError
    from app.interfaces.shared.auth.origins import OriginError, normalize_origins

    if not (origin or add_origin or remove_origin or no_origins):
        fail("say what to change: --origin, --add-origin, --remove-origin or --no-origins")
    if no_origins and (origin or add_origin):
        fail("--no-origins cannot be combined with --origin or --add-origin")
    store = _store()
    key = next((k for k in store.list() if k.key_id == key_id and not k.revoked), None)
    if key is None:
        fail(f"no active key {key_id!r}; see `asklytics keys list`")
    try:
        removed = set(normalize_origins(remove_origin or ()))
        origins = [] if no_origins else list(origin) if origin else list(key.origins)
        origins = [o for o in normalize_origins(origins + list(add_origin or ())) if o not in removed]
        updated = store.set_origins(key_id, origins, actor=cli_actor())
    except (KeyStoreError, OriginError) as exc:
        fail(str(exc))
    if updated is None:
        fail(f"no active key {key_id!r}; see `asklytics keys list`")
    if as_json:
        print_json(updated.public())
        return
    allowed = ", ".join(updated.origins) or "none (server-wide ASKLYTICS_CORS_ORIGINS only)"
    console.print(f"key {key_id}: origins {allowed}", highlight=False)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key_id shown by `asklytics keys list`.")]) -> None:
    """Revoke a key; a running server refuses it from its next request."""
    if not _store().revoke(key_id, actor=cli_actor()):
        fail(f"no active key {key_id!r}; see `asklytics keys list`")
    console.print(f"revoked {key_id}")
