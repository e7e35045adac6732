"""Batch writes (scores, rollups) into a DuckDB file that servers may be reading (#19).

DuckDB lets one process write a file, or any number read it, never both: a serving process
holds the file read-only, so ``asklytics score`` and ``asklytics rollups build`` used to fail
while ``serve`` ran. ``open_for_writing`` writes in place when nobody has the file open, and
otherwise writes a copy beside it and moves the copy over the file with ``os.replace``
(atomic on one filesystem): a reader sees the old file or the new one, never half of a write.
Readers keep the old file (its inode) until they reopen: ``DuckDBWarehouse`` notices the
replaced file before its next query and switches to the new one between queries.

Writers queue on a lock file beside the warehouse (``.<name>.write-lock``), so two batch jobs
never write two copies and lose one of them.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

# DuckDB's words when another process (lock) or this one (instance cache) has the file open.
IN_USE = ("could not set lock", "conflicting lock", "different configuration")


@contextmanager
def open_for_writing(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to ``path``'s data, published when the block ends without an error.

    In place when the file is free; else on a copy that replaces the file at the end (a failed
    block leaves the file as it was and removes the copy). Raises ``duckdb.Error`` as DuckDB does.
    """
    path = Path(path).expanduser().resolve()
    with _writer_lock(path):
        try:
            connection = duckdb.connect(str(path))
        except duckdb.Error as exc:
            if not is_in_use(exc):
                raise
            with _written_copy(path) as copy:
                yield copy
            return
        try:
            yield connection
        finally:
            connection.close()


def is_in_use(exc: duckdb.Error) -> bool:
    return any(words in str(exc).lower() for words in IN_USE)


@contextmanager
def _written_copy(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    copy = path.with_name(f".{path.name}.writing-{os.getpid()}")
    for leftover in (copy, _wal(copy)):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(path, copy)  # readers never write: the file does not change under the copy
    shutil.copymode(path, copy)
    if _wal(path).exists():  # changes a crashed writer left in the log belong to the data too
        shutil.copyfile(_wal(path), _wal(copy))
    connection = duckdb.connect(str(copy))
    try:
        yield connection
        connection.execute("CHECKPOINT")  # everything in the file itself: the log is not moved
    except BaseException:
        connection.close()
        for leftover in (copy, _wal(copy)):
            leftover.unlink(missing_ok=True)
        raise
    connection.close()
    os.replace(copy, path)
    _sync_folder(path.parent)


@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    with open(path.with_name(f".{path.name}.write-lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _sync_folder(folder: Path) -> None:
    """The rename itself survives a crash once the folder's entry is on disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names now (device, inode); None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
