"""Process-wide state of a running app: settings, the application database and the (lazily built)
assistant."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from app.engine.app_database import open_app_database
from app.engine.assistant import Assistant
from app.settings import Settings
from appdb import Database
from warehouse.base import Warehouse


@dataclass
class AppState:
    settings: Settings
    database: Database | None = None  # opened from settings when not given
    _assistant: Assistant | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

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

    def close(self) -> None:
        with self._lock:
            if self._assistant is not None:
                self._assistant.close()
                self._assistant = None
            self.database.close()
