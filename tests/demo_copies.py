"""Shared by the root conftest and tests/predictors: "today" of the demo and copies of its file.

Copies keep the shared cached demo file untouched (scoring writes tables) and let DuckDB open
each file with its own settings within one process.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

AS_OF = dt.date(2026, 7, 1)


def copy_demo(demo_db_path: Path, folder: Path, name: str = "demo.duckdb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(demo_db_path, target)
    return target
