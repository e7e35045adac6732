"""The one chdb data folder this process may use, for trusted in-process work (the loader).

chdb embeds one ClickHouse server per process, initialised with the first
folder it is given; connecting to a second folder fails deep in C++. This
module keeps a count of who uses the folder, so the loader fails early with an
actionable message, and a new folder can be opened once every user of the
previous one has let go. The query connector does not load chdb here: it runs
it in a worker process per folder (``warehouse.chdb_sandbox``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import chdb

from warehouse._inflight import engine_message
from warehouse.chdb_worker import connection_string
from warehouse.errors import WarehouseUnavailable

# chdb's Python layer raises ChdbError; its C++ binding raises RuntimeError.
CHDB_ERRORS = (chdb.ChdbError, RuntimeError)

_lock = threading.Lock()
_current: Path | None = None
_users = 0


class ProcessFolder:
    """A claim on the process's chdb folder; ``release()`` when done."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def claim(cls, path: Path) -> ProcessFolder:
        global _current, _users
        with _lock:
            if _current is not None and _current != path:
                raise WarehouseUnavailable(
                    f"chdb can use one data folder per process and {_current} is already open; "
                    f"close that warehouse before opening {path}, or run it in another process"
                )
            _current, _users = path, _users + 1
        return cls(path)

    def release(self) -> None:
        global _current, _users
        with _lock:
            _users = max(0, _users - 1)
            if _users == 0:
                _current = None

    def connect(self, settings: dict[str, Any]):
        """A new chdb connection on the folder with ClickHouse startup settings."""
        try:
            return chdb.connect(connection_string(self.path, settings))
        except CHDB_ERRORS as exc:
            raise WarehouseUnavailable(
                f"cannot open chdb folder {self.path}: {engine_message(exc)}; chdb locks its data folder, "
                "so another process may be using it: stop it or open a copy of the folder"
            ) from None


