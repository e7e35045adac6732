"""The scheduler inside ``asklytics serve`` (``ASKLYTICS_MONITOR_SCHEDULER=true``): a background thread
that runs due monitors every ``ASKLYTICS_MONITOR_POLL_S`` seconds.

Every worker and replica may run one: a due monitor is claimed in the application database before
it is evaluated (``runner``), so each run posts once whichever process gets there first.
"""
from __future__ import annotations

import logging
import threading

from app.interfaces.shared.monitors.runner import MonitorRunner

log = logging.getLogger(__name__)
STOP_WAIT_S = 120.0  # at shutdown, let a run in progress finish its posts (and release its leases)


class MonitorScheduler:
    def __init__(self, runner: MonitorRunner, interval_s: float):
        self.runner, self.interval_s = runner, interval_s
        self.runs = 0  # completed passes (tests and /readyz-style checks read it)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="monitor-scheduler", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.runner.run_due()
                for outcome in report.monitors:
                    log.info("monitor %s: %s, %d new anomalies, posted to %s%s", outcome.id, outcome.status,
                             outcome.new_anomalies, outcome.posted_to or "nobody",
                             f" ({outcome.error})" if outcome.error else "")
            except Exception:  # the database or warehouse is down: try again at the next pass
                log.exception("running due monitors failed")
            self.runs += 1
            self._stop.wait(self.interval_s)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S)
