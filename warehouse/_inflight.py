"""Queries a connector is running now, so they can be stopped and told apart.

A stop comes from two places: the timeout watchdog (a ``threading.Timer``) and
``cancel()`` from another thread. Both call the engine's own interrupt hook;
the query's ``stop_reason`` records which one did it, so ``execute`` can raise
``QueryTimeout`` or ``QueryCancelled`` instead of a generic engine error.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from warehouse.errors import QueryCancelled, QueryTimeout, WarehouseError

TIMEOUT = "timeout"
CANCELLED = "cancelled"


@dataclass
class RunningQuery:
    query_id: str
    interrupt: Callable[[], None]
    stop_reason: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _finished: bool = False

    def stop(self, reason: str) -> None:
        """Interrupt once; a query that already finished is left alone."""
        with self._lock:
            if self._finished or self.stop_reason is not None:
                return
            self.stop_reason = reason
        # The query may end while we interrupt it; that race is harmless.
        with contextlib.suppress(Exception):
            self.interrupt()

    def finish(self) -> None:
        with self._lock:
            self._finished = True


class InFlight:
    """The registry of running queries of one connector."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, RunningQuery] = {}

    @contextmanager
    def track(
        self, query_id: str, interrupt: Callable[[], None], timeout_s: float | None
    ) -> Iterator[RunningQuery]:
        """Register a query for its duration, with a watchdog after ``timeout_s``."""
        query = RunningQuery(query_id, interrupt)
        watchdog = _start_watchdog(query, timeout_s)
        with self._lock:
            self._running[query_id] = query
        try:
            yield query
        finally:
            query.finish()
            if watchdog is not None:
                watchdog.cancel()
            with self._lock:
                self._running.pop(query_id, None)

    def running_ids(self) -> list[str]:
        with self._lock:
            return list(self._running)

    def cancel_all(self) -> int:
        """Stop every running query; returns how many were asked to stop."""
        with self._lock:
            queries = list(self._running.values())
        for query in queries:
            query.stop(CANCELLED)
        return len(queries)


def _start_watchdog(query: RunningQuery, timeout_s: float | None) -> threading.Timer | None:
    if timeout_s is None:
        return None
    timer = threading.Timer(timeout_s, query.stop, args=(TIMEOUT,))
    timer.daemon = True
    timer.start()
    return timer


def stop_error(query: RunningQuery, timeout_s: float) -> WarehouseError | None:
    """The error for a query our watchdog or ``cancel()`` stopped, else None."""
    if query.stop_reason == TIMEOUT:
        return timeout_error(timeout_s)
    if query.stop_reason == CANCELLED:
        return QueryCancelled("the query was cancelled before it finished")
    return None


def timeout_error(timeout_s: float) -> QueryTimeout:
    return QueryTimeout(
        f"the query ran longer than the {timeout_s:g} s limit and was stopped; "
        "narrow the date range, filter more, or aggregate before returning rows"
    )


def engine_message(exc: BaseException) -> str:
    """The engine's own message, first line only (no C++ or Python trace)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
