"""API keys: ``ask_<id>_<secret>``, stored hashed in the application database, each with a tenant scope.

Why the application database (appdb, docs/governance.md) and not Redis: keys must survive a
Redis flush, and every replica reads the same rows. A key's row is read on every check, so
``asklytics keys revoke`` (or a revocation by another replica) takes effect in a running server
at its next request. Creating, revoking and changing keys (their browser origins) is audited.
Bootstrap keys from ``ASKLYTICS_API_KEYS`` (``scope:key,...``) are kept in memory only, as the SHA-256
digest verified keys are remembered by (they sit in the process environment
anyway, so a slow hash of them would protect nothing), and never written.

Checking a key costs at most one scrypt hash, whether or not its id exists: an
unknown or revoked id is hashed against a dummy, so the time taken does not tell
which ids exist. A token that is not ``ask_<id>_<secret>`` and no bootstrap key
cannot match anything and is refused without hashing.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from app.engine.app_database import open_app_database
from app.interfaces.shared.auth.hashing import hash_key, matches, memo_digest, new_salt
from app.interfaces.shared.auth.origins import OriginError, normalize_origins
from appdb import Database, audit
from appdb import keys as key_rows

KEY_FORMAT = re.compile(r"^ask_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})$")
SCOPE_FORMAT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MIN_BOOTSTRAP_KEY_LENGTH = 24


class KeyStoreError(ValueError):
    """A bad scope or a malformed bootstrap key (message says which)."""


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    scope: str
    salt: str
    hash: str
    name: str = ""
    created_at: float = 0.0
    revoked: bool = False
    origins: tuple[str, ...] = ()  # browser origins allowed to call with it (CORS per key)

    def public(self) -> dict:
        return {"key_id": self.key_id, "scope": self.scope, "name": self.name,
                "created_at": self.created_at, "revoked": self.revoked, "origins": list(self.origins)}

    @classmethod
    def from_row(cls, row: dict) -> ApiKey:
        return cls(**{**row, "origins": tuple(row.get("origins") or ())})


# Stands in for an unknown or revoked key id, so every attempt costs the same one hash.
_DUMMY_KEY = ApiKey("", "", new_salt(), "0" * 64, revoked=True)


def claimed_key_id(raw: str) -> str | None:
    """The key id a token claims (``ask_<id>_...``), whether or not it exists."""
    found = KEY_FORMAT.match(raw)
    return found.group(1) if found else None


class KeyStore:
    def __init__(self, database: Database, bootstrap: str | None = None):
        self.database = database
        self._lock = threading.Lock()
        self._bootstrap, bootstrap_digests = _parse_bootstrap(bootstrap)
        self._verified: dict[str, str] = dict(bootstrap_digests)  # memo digest -> key_id

    def create(self, scope: str, name: str = "", *, origins=(), actor: str = "cli") -> tuple[ApiKey, str]:
        """A new key; the raw secret is returned once and never stored."""
        if not SCOPE_FORMAT.match(scope):
            raise KeyStoreError(f"scope {scope!r} must be letters, digits, '_', '.', '-' (at most 64)")
        allowed = tuple(_origins(origins))
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        raw, salt = f"ask_{key_id}_{secret}", new_salt()
        key = ApiKey(key_id, scope, salt, hash_key(raw, salt), name, round(time.time(), 3), origins=allowed)
        with self.database.begin() as connection:
            key_rows.insert_key(connection, asdict(key))
            audit.record(connection, actor, "key_create", scope=scope, target=key_id,
                         detail={"name": name, "origins": list(allowed)})
        return key, raw

    def list(self) -> list[ApiKey]:
        with self.database.connect() as connection:
            return [ApiKey.from_row(row) for row in key_rows.list_keys(connection)]

    def set_origins(self, key_id: str, origins, *, actor: str = "cli") -> ApiKey | None:
        """Replace an active key's browser origins (audited with the before and after); None when there
        is no such active key. KeyStoreError for a text that is not an origin."""
        allowed = _origins(origins)
        with self.database.begin() as connection:
            row = key_rows.get_key(connection, key_id)
            if row is None or not key_rows.set_origins(connection, key_id, allowed):
                return None
            audit.record(connection, actor, "key_update", scope=row["scope"], target=key_id,
                         detail={"origins": allowed, "before": list(row["origins"] or ())})
        return ApiKey.from_row({**row, "origins": allowed})

    def get(self, key_id: str) -> ApiKey | None:
        """A usable key by id (stored or bootstrap, not revoked)."""
        return self._usable(key_id)

    def origins_in_use(self) -> set[str]:
        """Every origin some active key allows."""
        with self.database.connect() as connection:
            return key_rows.active_origins(connection)

    def revoke(self, key_id: str, *, actor: str = "cli") -> bool:
        with self.database.begin() as connection:
            key = key_rows.get_key(connection, key_id)
            if key is None or not key_rows.revoke_key(connection, key_id):
                return False
            audit.record(connection, actor, "key_revoke", scope=key["scope"], target=key_id)
        return True

    def has_keys(self) -> bool:
        """Any usable key (stored and not revoked, or bootstrap): auth is then enforced."""
        if self._bootstrap:
            return True
        with self.database.connect() as connection:
            return key_rows.any_active_key(connection)

    def verify(self, raw: str, before_hashing: Callable[[], None] | None = None) -> ApiKey | None:
        """The usable key ``raw`` is, or None. A key seen before needs no hash (its row is still read,
        so a revocation by any process counts at once); otherwise ``before_hashing`` runs first (a limit
        on failed logins raises there)."""
        digest = memo_digest(raw)
        with self._lock:
            known = self._verified.get(digest)
        if known is not None:
            return self._usable(known)
        if before_hashing is not None:
            before_hashing()
        key = self._match(raw)
        if key is not None:
            with self._lock:
                self._verified[digest] = key.key_id
        return key

    def _stored(self, key_id: str) -> ApiKey | None:
        with self.database.connect() as connection:
            row = key_rows.get_key(connection, key_id)
        return ApiKey.from_row(row) if row is not None else None

    def _usable(self, key_id: str) -> ApiKey | None:
        key = self._bootstrap.get(key_id) or self._stored(key_id)
        return key if key is not None and not key.revoked else None

    def _match(self, raw: str) -> ApiKey | None:
        key_id = claimed_key_id(raw)
        if key_id is None:
            return None  # bootstrap keys were recognised by their digest; nothing else can match
        key = self._stored(key_id) or _DUMMY_KEY
        matched = matches(raw, key.salt, key.hash)  # hashed even when revoked: same time either way
        return key if matched and not key.revoked else None


def _origins(texts) -> list[str]:
    try:
        return normalize_origins(texts)
    except OriginError as exc:
        raise KeyStoreError(str(exc)) from None


def _parse_bootstrap(spec: str | None) -> tuple[dict[str, ApiKey], dict[str, str]]:
    """Bootstrap keys by id, and their memo digests (digest -> id)."""
    keys: dict[str, ApiKey] = {}
    digests: dict[str, str] = {}
    for number, item in enumerate(p.strip() for p in (spec or "").split(",") if p.strip()):
        scope, sep, raw = item.partition(":")
        if not sep or not SCOPE_FORMAT.match(scope) or len(raw) < MIN_BOOTSTRAP_KEY_LENGTH:
            raise KeyStoreError(
                f"ASKLYTICS_API_KEYS entry {number + 1} must be 'scope:key' with a key of at least "
                f"{MIN_BOOTSTRAP_KEY_LENGTH} characters "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')")
        key_id = f"env-{number + 1}"
        keys[key_id] = ApiKey(key_id, scope, salt="", hash="", name="ASKLYTICS_API_KEYS")
        digests[memo_digest(raw)] = key_id
    return keys, digests


def open_key_store(settings, database: Database | None = None) -> KeyStore:
    """The keys in the application database (``database``, else the one of ``settings``)."""
    if database is None:
        database = open_app_database(settings)
    bootstrap = settings.api_keys.get_secret_value() if settings.api_keys else None
    return KeyStore(database, bootstrap)
