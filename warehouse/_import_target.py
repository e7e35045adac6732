"""The DuckDB file an import writes: refused up front when it cannot be one.

The import's own connection is an ordinary read-write one with file access (it reads the
files); the serving connection in :mod:`warehouse.duckdb` never gets that access.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse._import_names import COMPRESSED, file_format
from warehouse._inflight import engine_message
from warehouse.errors import ImportRefused

# The readers used are built into DuckDB; an import of local files never fetches an extension.
_NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def open_target(target: Path) -> duckdb.DuckDBPyConnection:
    _refuse_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = exc.strerror or exc
        raise ImportRefused(f"cannot write {target}: cannot create its folder ({problem})") from None
    try:
        conn = duckdb.connect(str(target), config=_NO_DOWNLOADS)
    except duckdb.Error as exc:
        raise ImportRefused(_target_problem(target, engine_message(exc))) from None
    # DuckDB opens an existing CSV, Parquet or JSON file as an in-memory database: nothing would be kept.
    opened = conn.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    if opened.fetchone()[0] != str(target):
        conn.close()
        raise ImportRefused(f"cannot write {target}: it is not a DuckDB database file; give a new file "
                            "name with --into")
    return conn


def _refuse_target(target: Path) -> None:
    if target.is_dir():
        raise ImportRefused(f"--into {target} is a folder; give a DuckDB file such as "
                            f"{target / 'warehouse.duckdb'}")
    if file_format(target) or target.suffix.lower() == COMPRESSED:
        raise ImportRefused(f"--into {target} names a data file, not a DuckDB file; give a path such as "
                            f"{target.with_suffix('.duckdb')} (the files to import come before --into)")


def _target_problem(target: Path, message: str) -> str:
    lowered = message.lower()
    if "lock" in lowered:
        hint = "another process has it open (stop `asklytics serve` on it first)"
    elif "not a valid duckdb database" in lowered:
        hint = "it is not a DuckDB database file; give a new file name with --into"
    else:
        hint = "check that you may write the file and its folder"
    return f"cannot write {target}: {message}; {hint}"
