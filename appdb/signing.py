"""The secret short-lived tokens are signed with (app/interfaces/shared/auth/tokens.py): made once,
kept in ``asklytics_meta`` so every replica and worker on this database signs and checks alike."""
from __future__ import annotations

import secrets

import sqlalchemy as sa

from appdb.database import Database
from appdb.tables import meta

TOKEN_SECRET = "token_signing_secret"


def signing_secret(database: Database) -> bytes:
    """The stored secret, made at the first call (two processes racing both end with the first one's)."""
    found = _read(database)
    if found is None:
        try:
            with database.begin() as connection:
                connection.execute(meta.insert().values(name=TOKEN_SECRET, value=secrets.token_hex(32)))
        except sa.exc.IntegrityError:
            pass  # another process stored one first: use that
        found = _read(database)
    return bytes.fromhex(found)


def _read(database: Database) -> str | None:
    with database.connect() as connection:
        return connection.execute(sa.select(meta.c.value).where(meta.c.name == TOKEN_SECRET)).scalar()
