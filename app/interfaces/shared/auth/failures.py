"""Failed logins per client address and per key id, checked before any key is hashed.

Each wrong key costs a scrypt hash (tens of milliseconds of CPU), so a flood of
them would slow every caller; and guessing at one key id from many addresses, or
at many ids from one address, is how keys are attacked. After ``limit`` failures
of an identity within ``window_s`` seconds, its next attempts are refused with the
seconds until the oldest failure leaves the window, without hashing anything.
In process, per replica: a flood is a CPU problem of the replica it reaches.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

MAX_TRACKED_IDENTITIES = 50_000


class FailedLogins:
    def __init__(self, limit: int, window_s: float, clock=time.monotonic):
        self.limit, self.window_s = limit, window_s
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()  # identity -> recent failure times
        self._lock = threading.Lock()

    def wait(self, identities: list[str]) -> float:
        """Seconds until every identity may try again; 0 when all may."""
        now = self._clock()
        with self._lock:
            return max((self._wait_one(identity, now) for identity in identities), default=0.0)

    def record(self, identities: list[str]) -> None:
        now = self._clock()
        with self._lock:
            for identity in identities:
                times = self._failures.pop(identity, None) or deque(maxlen=self.limit)
                times.append(now)
                self._failures[identity] = times  # most recently failed last
            while len(self._failures) > MAX_TRACKED_IDENTITIES:
                self._failures.popitem(last=False)

    def _wait_one(self, identity: str, now: float) -> float:
        times = self._failures.get(identity)
        if times is None or len(times) < self.limit:
            return 0.0
        return max(0.0, times[0] + self.window_s - now)
