"""Whether the API needs a key: decided at start-up, and never relaxed while the process runs.

Open (every caller is scope ``default``) is only the embedded default, judged once
when the app is built: no usable key, ``ASKLYTICS_REQUIRE_AUTH`` false, and the
configured bind host is loopback. Otherwise keys are required for the life of the
process: revoking or deleting the last key then refuses everyone (401)
instead of opening the server. The one change allowed at run time is towards
safety: a key created while the server is open turns auth on, since whoever
created it expects it to be needed. Reopening takes a restart.
"""
from __future__ import annotations

import ipaddress

from app.interfaces.shared.auth.keys import KeyStore


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything, so it needs auth


class AuthMode:
    def __init__(self, required: bool, keys: KeyStore):
        self._required = required
        self._keys = keys

    @classmethod
    def at_start(cls, settings, keys: KeyStore) -> AuthMode:
        open_default = not settings.require_auth and is_loopback(settings.host) and not keys.has_keys()
        return cls(not open_default, keys)

    @property
    def required(self) -> bool:
        if not self._required and self._keys.has_keys():
            self._required = True  # one way only: nothing turns it off again
        return self._required
