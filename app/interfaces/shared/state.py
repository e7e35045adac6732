"""Process-wide state of a running app: settings, the application database and the (lazily built)
assistant, warmed in the background when the server asks for a warm start."""
from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.engine.app_database import open_app_database
from app.engine.assistant import Assistant
from app.engine.warm_up import warm_up
from app.settings import Settings
from appdb import Database
from common.errors import AsklyticsError
from warehouse.base import Warehouse

log = logging.getLogger(__name__)


@dataclass
class WarmStart:
    """Where a warm start is: ``starting`` until every part is loaded, then ``ready`` or ``failed``."""

    status: str = "starting"
    seconds: float | None = None
    steps: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def as_json(self) -> dict:
        body: dict = {"status": self.status, "seconds": self.seconds, "steps": self.steps}
        return body | ({"error": self.error} if self.error else {})


@dataclass
class AppState:
    settings: Settings
    database: Database | None = None  # opened from settings when not given
    _assistant: Assistant | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    warm: WarmStart | None = None  # None: the assistant loads on first use (no warm start asked)
    _warming: threading.Thread | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        if self.database is None:
            self.database = open_app_database(self.settings)

    def assistant(self) -> Assistant:
        """Built on first use; its warehouse opens then (raises WarehouseUnavailable)."""
        with self._lock:
            if self._assistant is None:
                self._assistant = Assistant(self.settings, warm_up=True, database=self.database)
            return self._assistant

    def warehouse(self) -> Warehouse:
        return self.assistant().warehouse

    def start_warm_up(self, *, freeze_heap: bool = False,
                      request: Callable[[str | None, threading.Event], object] | None = None) -> None:
        """Build the assistant and load every part of it now, in a thread (a server starting):
        ``/readyz`` says ``starting`` (503) until it is done. Not a daemon thread: it may be inside
        torch, which must not be killed at interpreter exit; ``close`` waits for it.

        ``freeze_heap``: once loaded, collect garbage and ``gc.freeze()`` the rest. The loaded
        parts (MiniLM, the value index, the model) are ~650k long-lived objects; every full
        collection walked them all -- 0.9-1.5 s on the busy 2 cores, an answer now and then
        taking that much longer. Frozen, they are never walked again (they live as long as the
        process); new objects are collected as before.

        ``request``: called last (before ``ready``) with the rehearsed question and the event set
        when the server stops: the server's warm-up request through its whole app."""
        self.warm = WarmStart()
        self._warming = threading.Thread(target=self._warm_up, args=(freeze_heap, request),
                                         name="asklytics-warm-up")
        self._warming.start()

    def _warm_up(self, freeze_heap: bool = False, request=None) -> None:
        started = time.perf_counter()
        try:
            send = (lambda question: request(question, self._stopping)) if request is not None else None
            self.warm.steps = warm_up(self.assistant(), self._stopping, send)
            if freeze_heap:
                frozen = time.perf_counter()
                gc.collect()
                gc.freeze()
                self.warm.steps["freeze heap"] = round(time.perf_counter() - frozen, 3)
            self.warm.status = "ready"
        except AsklyticsError as exc:  # the warehouse, the model: readiness reports the cause itself
            self.warm.status, self.warm.error = "failed", exc.message
        except Exception as exc:  # logged; the server still answers what it can
            log.exception("warm start failed")
            self.warm.status, self.warm.error = "failed", f"{type(exc).__name__}: {exc}"
        self.warm.seconds = round(time.perf_counter() - started, 2)
        log.info("warm start %s in %.1f s: %s", self.warm.status, self.warm.seconds, self.warm.steps)
        self.warm.done.set()

    def close(self) -> None:
        if self._warming is not None:  # a shutdown while warming waits for the step under way only
            self._stopping.set()
            self._warming.join()
        with self._lock:
            if self._assistant is not None:
                self._assistant.close()
                self._assistant = None
            self.database.close()
