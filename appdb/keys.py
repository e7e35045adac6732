"""API key rows (hashed; the secret is never stored). The checks and hashing live with the doors
(app/interfaces/shared/auth/keys.py); this module only reads and writes rows."""
from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from appdb.tables import api_keys, tenants

KEY_FIELDS = ("key_id", "scope", "salt", "hash", "name", "created_at", "revoked", "origins")


def insert_key(connection: Connection, row: dict) -> None:
    ensure_tenant(connection, row["scope"])
    values = {f: row[f] for f in KEY_FIELDS if f != "origins"}
    connection.execute(api_keys.insert().values(**values, origins=list(row.get("origins") or ())))


def ensure_tenant(connection: Connection, scope: str) -> None:
    """The tenant row for ``scope``, created once even when two processes ask at the same moment (an
    insert that ignores the conflict, not a select then an insert)."""
    exists = connection.execute(sa.select(tenants.c.scope).where(tenants.c.scope == scope)).first()
    if exists is not None:
        return
    values = {"scope": scope, "name": "", "created_at": time.time()}
    dialect = connection.dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = (sqlite_insert if dialect == "sqlite" else postgresql_insert)(tenants).values(**values)
        connection.execute(insert.on_conflict_do_nothing(index_elements=[tenants.c.scope]))
    else:
        connection.execute(tenants.insert().values(**values))


def get_key(connection: Connection, key_id: str) -> dict | None:
    row = connection.execute(sa.select(*[api_keys.c[f] for f in KEY_FIELDS])
                             .where(api_keys.c.key_id == key_id)).mappings().first()
    return dict(row) if row is not None else None


def list_keys(connection: Connection) -> list[dict]:
    rows = connection.execute(sa.select(*[api_keys.c[f] for f in KEY_FIELDS])
                              .order_by(api_keys.c.created_at, api_keys.c.key_id)).mappings()
    return [dict(r) for r in rows]


def revoke_key(connection: Connection, key_id: str) -> bool:
    done = connection.execute(api_keys.update()
                              .where(api_keys.c.key_id == key_id, api_keys.c.revoked == sa.false())
                              .values(revoked=True, revoked_at=time.time()))
    return done.rowcount == 1


def any_active_key(connection: Connection) -> bool:
    query = sa.select(api_keys.c.key_id).where(api_keys.c.revoked == sa.false()).limit(1)
    return connection.execute(query).first() is not None


def set_origins(connection: Connection, key_id: str, origins: list[str]) -> bool:
    """Replace the browser origins of an active key; False when there is no such key."""
    done = connection.execute(api_keys.update()
                              .where(api_keys.c.key_id == key_id, api_keys.c.revoked == sa.false())
                              .values(origins=list(origins)))
    return done.rowcount == 1


def active_origins(connection: Connection) -> set[str]:
    """Every origin some active key allows (what a CORS preflight, which carries no key, is judged by)."""
    rows = connection.execute(sa.select(api_keys.c.origins).where(api_keys.c.revoked == sa.false()))
    return {origin for (origins,) in rows for origin in origins or ()}
