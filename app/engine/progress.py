"""The steps of one ask as they finish (plan, sql, rows, chart), for callers that show progress.

``Assistant.ask`` reports from deep in the pipeline (the executor knows the SQL before the
engine runs it; the answer's rows and chart are filled later). A context variable set by the
caller carries the callback there instead of a parameter on every step in between; it is per
thread and per task (``run_in_threadpool`` copies the context into its worker thread), so
concurrent asks never see each other's steps. Without a reporter, ``report`` does nothing.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

log = logging.getLogger(__name__)
Reporter = Callable[[str, dict[str, Any]], None]  # (step, its data as JSON-able values)
_reporter: ContextVar[Reporter | None] = ContextVar("asklytics_progress", default=None)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Steps reported in this context (and threads that copy it) go to ``reporter``; None: nowhere
    (work that is not the answer's own steps, such as a tool's inner queries)."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


def is_reporting() -> bool:
    return _reporter.get() is not None


def report(step: str, data: dict[str, Any]) -> None:
    """Tell the caller that ``step`` finished; a failing reporter never fails the answer."""
    reporter = _reporter.get()
    if reporter is None:
        return
    try:
        reporter(step, data)
    except Exception:
        log.exception("progress reporter failed on %s", step)
