"""The query watchdog: one thread keeps every running query's deadline."""
from __future__ import annotations

import threading
import time

from warehouse._inflight import TIMEOUT, InFlight


def test_each_query_is_stopped_at_its_own_deadline_and_a_finished_one_never():
    inflight, stopped, lock = InFlight(), [], threading.Lock()

    def interrupt(name):
        def stop():
            with lock:
                stopped.append(name)
        return stop

    threads_before = threading.active_count()
    with (inflight.track("slow", interrupt("slow"), 0.3) as slow,
          inflight.track("fast", interrupt("fast"), 0.1) as fast):
        with inflight.track("done", interrupt("done"), 0.05):
            pass  # finishes before its deadline: never interrupted
        time.sleep(0.6)
    assert stopped == ["fast", "slow"]
    assert fast.stop_reason == slow.stop_reason == TIMEOUT
    assert threading.active_count() <= threads_before + 1  # the one watchdog, not a thread per query


def test_many_queries_do_not_start_a_thread_each():
    inflight = InFlight()
    threads_before = threading.active_count()
    for n in range(200):
        with inflight.track(str(n), lambda: None, 30):
            pass
    assert threading.active_count() <= threads_before + 1
