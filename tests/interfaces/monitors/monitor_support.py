"""Constants the monitor tests share (a module of its own: ``conftest`` names clash across folders)."""
from __future__ import annotations

import datetime as dt

# The demo's paid tracking outage (warehouse/demo/calendar.py) is on March 10; "today" two days later.
AS_OF = dt.date(2026, 3, 12)
BOT_TOKEN = "xoxb-0000-monitor-test-token"
