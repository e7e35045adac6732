"""Queries a connector is running now, so they can be stopped and told apart.

A stop comes from two places: the timeout watchdog (one thread per process that
keeps every running query's deadline) and ``cancel()`` from another thread.
Both call the engine's own interrupt hook;
the query's ``stop_reason`` records which one did it, so ``execute`` can raise
``QueryTimeout`` or ``QueryCancelled`` instead of a generic engine error.
"""

from __future__ import annotations

import contextlib
import heapq
import threading
import time
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


class _Deadline:
    """A query's timeout, kept by the watchdog until it is cancelled or passes."""

    __slots__ = ("at", "cancelled", "query")

    def __init__(self, at: float, query: RunningQuery):
        self.at, self.query, self.cancelled = at, query, False

    def __lt__(self, other: _Deadline) -> bool:
        return self.at < other.at

    def cancel(self) -> None:
        self.cancelled = True  # the watchdog drops it when it comes up


class _Watchdog:
    """One daemon thread stops the queries whose deadline passed. A ``threading.Timer`` per query
    started a thread per query: ~0.1 ms on an idle machine, 5-10 ms on two busy cores, and twice
    per question (the rollup states, the answer)."""

    def __init__(self) -> None:
        self._deadlines: list[_Deadline] = []
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, query: RunningQuery, timeout_s: float) -> _Deadline:
        deadline = _Deadline(time.monotonic() + timeout_s, query)
        with self._changed:
            heapq.heappush(self._deadlines, deadline)
            if self._thread is None or not self._thread.is_alive():  # first use, or after a fork
                self._thread = threading.Thread(target=self._run, name="asklytics-query-watchdog",
                                                daemon=True)
                self._thread.start()
            if self._deadlines[0] is deadline:
                self._changed.notify()
        return deadline

    def _run(self) -> None:
        while True:
            with self._changed:
                while self._deadlines and self._deadlines[0].cancelled:
                    heapq.heappop(self._deadlines)
                wait = self._deadlines[0].at - time.monotonic() if self._deadlines else None
                if wait is None or wait > 0:
                    self._changed.wait(wait)
                    continue
                due = heapq.heappop(self._deadlines)
            due.query.stop(TIMEOUT)  # outside the lock: the engine's interrupt may take a moment


_WATCHDOG = _Watchdog()


def _start_watchdog(query: RunningQuery, timeout_s: float | None) -> _Deadline | None:
    if timeout_s is None:
        return None
    return _WATCHDOG.watch(query, timeout_s)


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
