"""API keys: ``ask_<id>_<secret>``, stored hashed in ``<data_dir>/keys.json``, each with a tenant scope.

Why a JSON file and not Redis: keys are few, change rarely and must survive a
Redis flush; the file sits in the data volume every replica mounts. The file is
re-read when its modification time changes, so ``asklytics keys revoke`` takes
effect in a running server without a restart. Bootstrap keys from
``ASKLYTICS_API_KEYS`` (``scope:key,...``) are kept in memory only, as the SHA-256
digest verified keys are remembered by (they sit in the process environment
anyway, so a slow hash of them would protect nothing), and never written.

Checking a key costs at most one scrypt hash, whether or not its id exists: an
unknown or revoked id is hashed against a dummy, so the time taken does not tell
which ids exist. A token that is not ``ask_<id>_<secret>`` and no bootstrap key
cannot match anything and is refused without hashing.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from app.interfaces.shared.auth.hashing import hash_key, matches, memo_digest, new_salt

KEY_FORMAT = re.compile(r"^ask_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})$")
SCOPE_FORMAT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MIN_BOOTSTRAP_KEY_LENGTH = 24


class KeyStoreError(ValueError):
    """A bad scope, an unreadable keys file or a malformed bootstrap key (message says which)."""


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    scope: str
    salt: str
    hash: str
    name: str = ""
    created_at: float = 0.0
    revoked: bool = False

    def public(self) -> dict:
        return {"key_id": self.key_id, "scope": self.scope, "name": self.name,
                "created_at": self.created_at, "revoked": self.revoked}


# Stands in for an unknown or revoked key id, so every attempt costs the same one hash.
_DUMMY_KEY = ApiKey("", "", new_salt(), "0" * 64, revoked=True)


def claimed_key_id(raw: str) -> str | None:
    """The key id a token claims (``ask_<id>_...``), whether or not it exists."""
    found = KEY_FORMAT.match(raw)
    return found.group(1) if found else None


class KeyStore:
    def __init__(self, path: Path, bootstrap: str | None = None):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._bootstrap, bootstrap_digests = _parse_bootstrap(bootstrap)
        self._keys: dict[str, ApiKey] = {}
        self._mtime: float | None = None
        self._verified: dict[str, str] = dict(bootstrap_digests)  # memo digest -> key_id

    def create(self, scope: str, name: str = "") -> tuple[ApiKey, str]:
        """A new key; the raw secret is returned once and never stored."""
        if not SCOPE_FORMAT.match(scope):
            raise KeyStoreError(f"scope {scope!r} must be letters, digits, '_', '.', '-' (at most 64)")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        raw, salt = f"ask_{key_id}_{secret}", new_salt()
        key = ApiKey(key_id, scope, salt, hash_key(raw, salt), name, round(time.time(), 3))
        with self._lock:
            self._reload()
            self._keys[key_id] = key
            self._save()
        return key, raw

    def list(self) -> list[ApiKey]:
        with self._lock:
            self._reload()
            return sorted(self._keys.values(), key=lambda k: k.created_at)

    def revoke(self, key_id: str) -> bool:
        with self._lock:
            self._reload()
            key = self._keys.get(key_id)
            if key is None or key.revoked:
                return False
            self._keys[key_id] = replace(key, revoked=True)
            self._save()
            return True

    def has_keys(self) -> bool:
        """Any usable key (stored and not revoked, or bootstrap): auth is then enforced."""
        with self._lock:
            self._reload()
            return bool(self._bootstrap) or any(not k.revoked for k in self._keys.values())

    def verify(self, raw: str, before_hashing: Callable[[], None] | None = None) -> ApiKey | None:
        """The usable key ``raw`` is, or None. A key seen before needs no hash; otherwise
        ``before_hashing`` runs first (a limit on failed logins raises there)."""
        digest = memo_digest(raw)
        with self._lock:
            self._reload()
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

    def _usable(self, key_id: str) -> ApiKey | None:
        key = self._keys.get(key_id) or self._bootstrap.get(key_id)
        return key if key is not None and not key.revoked else None

    def _match(self, raw: str) -> ApiKey | None:
        key_id = claimed_key_id(raw)
        if key_id is None:
            return None  # bootstrap keys were recognised by their digest; nothing else can match
        key = self._keys.get(key_id) or _DUMMY_KEY
        matched = matches(raw, key.salt, key.hash)  # hashed even when revoked: same time either way
        return key if matched and not key.revoked else None

    def _reload(self) -> None:
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            self._keys, self._mtime = {}, None
            return
        if mtime == self._mtime:
            return
        try:
            rows = json.loads(self.path.read_text())["keys"]
            self._keys = {row["key_id"]: ApiKey(**row) for row in rows}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KeyStoreError(f"cannot read {self.path}: {exc}; fix or delete the file") from None
        self._mtime = mtime
        self._verified = {d: k for d, k in self._verified.items() if k in self._keys or k in self._bootstrap}

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        payload = {"keys": [asdict(k) for k in self._keys.values()]}
        partial.write_text(json.dumps(payload, indent=2))
        os.chmod(partial, 0o600)
        os.replace(partial, self.path)
        self._mtime = self.path.stat().st_mtime_ns


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


def open_key_store(settings) -> KeyStore:
    bootstrap = settings.api_keys.get_secret_value() if settings.api_keys else None
    return KeyStore(Path(settings.data_dir) / "keys.json", bootstrap)
