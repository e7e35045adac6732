"""Process-wide state of a running app: settings and the (lazily opened) warehouse."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from app.services.warehouse import open_warehouse
from app.settings import Settings
from warehouse.base import Warehouse


@dataclass
class AppState:
    settings: Settings
    _warehouse: Warehouse | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def warehouse(self) -> Warehouse:
        """The configured warehouse, opened on first use (raises WarehouseUnavailable)."""
        with self._lock:
            if self._warehouse is None:
                self._warehouse = open_warehouse(self.settings)
            return self._warehouse

    def close(self) -> None:
        with self._lock:
            if self._warehouse is not None:
                self._warehouse.close()
                self._warehouse = None
