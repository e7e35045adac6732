"""Key hashing: scrypt with a per-key salt; only the hash is ever stored.

Keys are 32 random bytes, so scrypt's cost is defence in depth (a leaked
key table is still useless), not what keeps them unguessable. The cost is paid
once per key per process: verified keys are remembered by a SHA-256 digest.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def new_salt() -> str:
    return secrets.token_hex(16)


def hash_key(raw: str, salt: str) -> str:
    digest = hashlib.scrypt(raw.encode(), salt=bytes.fromhex(salt), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=32)
    return digest.hex()


def matches(raw: str, salt: str, expected_hash: str) -> bool:
    return hmac.compare_digest(hash_key(raw, salt), expected_hash)


def memo_digest(raw: str) -> str:
    """In-memory cache key of a verified raw key (never stored on disk)."""
    return hashlib.sha256(raw.encode()).hexdigest()
