"""Writes the generated arrays into a DuckDB file with the contract's types.

The file is built under a temporary name and renamed into place only when it
is complete, so an interrupted build never leaves a half-written warehouse.
Strings that are pure formatting (ids, IP hashes, timestamps) are made by
DuckDB from integers, which is much faster than formatting them in Python.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from warehouse.demo import catalog
from warehouse.demo.calendar import WINDOW_START
from warehouse.demo.campaigns import CampaignPlan
from warehouse.demo.devices import MODELS, OS_NAMES
from warehouse.demo.events import EventBatch
from warehouse.demo.installs import Installs
from warehouse.demo.spend import AdSpend

TABLES = {
    "campaigns": "campaign_id VARCHAR, campaign_name VARCHAR, media_source VARCHAR, platform VARCHAR, "
                 "country VARCHAR, channel VARCHAR, ad_format VARCHAR, start_date DATE",
    "ad_spend": "date DATE, campaign_id VARCHAR, impressions BIGINT, clicks BIGINT, cost DOUBLE",
    "installs": "install_id VARCHAR, user_id VARCHAR, campaign_id VARCHAR, install_time TIMESTAMP, "
                "click_time TIMESTAMP, platform VARCHAR, country VARCHAR, device_model VARCHAR, "
                "os_version VARCHAR, ip_hash VARCHAR, is_fraud BOOLEAN, fraud_type VARCHAR",
    "events": "event_id BIGINT, user_id VARCHAR, event_time TIMESTAMP, event_name VARCHAR, revenue DOUBLE",
    "asklytics_meta": "key VARCHAR, value VARCHAR",
}
# DuckDB spills the global event sort to disk past this, so scale 10 fits on a laptop.
MEMORY_LIMIT = "1GB"
EVENT_NAME_SQL = "[" + ", ".join(f"'{n}'" for n in catalog.EVENT_NAMES) + "][code + 1]"


def _labels(indices: np.ndarray, names, null: np.ndarray | None = None) -> pa.DictionaryArray:
    """Strings as dictionary codes: no per-row Python string objects."""
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32), mask=null),
                                          pa.array(list(names)))


def _seconds(ts: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(ts.astype("datetime64[s]"), mask=null, type=pa.timestamp("s"))


class DemoWriter:
    """One build's DuckDB connection on a temporary file next to the target."""

    def __init__(self, target: Path, n_users: int) -> None:
        self.target = target
        # Per-process name: two processes building the same target never share a file.
        self.partial = target.with_name(f"{target.name}.{os.getpid()}.building")
        self._remove_partial()
        self.id_width = max(7, len(str(n_users)))
        self.con = duckdb.connect(str(self.partial))
        self.con.execute(f"SET threads = 2; SET memory_limit = '{MEMORY_LIMIT}'; "
                         "SET preserve_insertion_order = true; SET enable_progress_bar = false")
        for name, columns in TABLES.items():
            self.con.execute(f"CREATE TABLE {name} ({columns})")
        self.con.execute("CREATE TEMP TABLE events_stage "
                         "(user_idx BIGINT, ts BIGINT, code TINYINT, revenue DOUBLE)")

    def _remove_partial(self) -> None:
        for leftover in (self.partial, self.partial.with_name(self.partial.name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(self.partial.with_name(self.partial.name + ".tmp"), ignore_errors=True)  # spilled sorts

    def _user_id(self, column: str, prefix: str = "u") -> str:
        return f"'{prefix}' || lpad(CAST({column} + 1 AS VARCHAR), {self.id_width}, '0')"

    def _insert(self, table: str, frame: pa.Table, select: str, order: str = "") -> None:
        self.con.register("staged", frame)
        self.con.execute(f"INSERT INTO {table} SELECT {select} FROM staged {order}")
        self.con.unregister("staged")

    def write_campaigns(self, plan: CampaignPlan) -> None:
        frame = pa.table({
            "campaign_id": plan.campaign_id, "campaign_name": plan.campaign_name,
            "media_source": [catalog.SOURCE_NAMES[s] for s in plan.source],
            "platform": [catalog.PLATFORMS[p] for p in plan.platform],
            "country": [catalog.COUNTRY_CODES[c] for c in plan.country],
            "channel": plan.channel, "ad_format": plan.ad_format, "start_date": plan.start_dates(),
        })
        self._insert("campaigns", frame, "*")

    def write_installs(self, installs: Installs, plan: CampaignPlan) -> None:
        organic, legit = installs.campaign < 0, installs.kind == catalog.LEGIT
        frame = pa.table({
            "n": np.arange(len(installs)),
            "campaign_id": _labels(np.maximum(installs.campaign, 0), plan.campaign_id, organic),
            "install_time": _seconds(installs.install_ts),
            "click_time": _seconds(np.maximum(installs.click_ts, 0), organic),
            "platform": _labels(installs.platform, catalog.PLATFORMS),
            "country": _labels(installs.country, catalog.COUNTRY_CODES),
            "device_model": _labels(installs.devices.model, MODELS),
            "os_version": _labels(installs.devices.os_version, OS_NAMES),
            "ip": installs.devices.ip,
            "fraud_type": _labels(np.maximum(installs.kind - 1, 0), catalog.FRAUD_TYPES, legit),
        })
        select = (f"{self._user_id('n', 'i')}, {self._user_id('n')}, CAST(campaign_id AS VARCHAR), "
                  "CAST(install_time AS TIMESTAMP), CAST(click_time AS TIMESTAMP), "
                  "CAST(platform AS VARCHAR), CAST(country AS VARCHAR), CAST(device_model AS VARCHAR), "
                  "CAST(os_version AS VARCHAR), substr(md5(CAST(ip AS VARCHAR)), 1, 16), "
                  "fraud_type IS NOT NULL, CAST(fraud_type AS VARCHAR)")
        self._insert("installs", frame, select, "ORDER BY n")

    def stage_events(self, batch: EventBatch) -> None:
        frame = pa.table({"user_idx": batch.user, "ts": batch.ts, "code": batch.code,
                          "revenue": batch.revenue})
        self._insert("events_stage", frame, "*")

    def write_events(self) -> None:
        """Number events in time order; ties are broken by every column, so the order is unique.

        One sort into a temp table (insertion order is preserved, so its rowid
        is the rank) is cheaper than a ranking window plus an ORDER BY.
        """
        self.con.execute("CREATE TEMP TABLE events_sorted AS SELECT * FROM events_stage "
                         "ORDER BY ts, user_idx, code, revenue")
        self.con.execute("DROP TABLE events_stage")
        self.con.execute(
            f"INSERT INTO events SELECT rowid + 1, {self._user_id('user_idx')}, "
            f"make_timestamp(ts * 1000000), {EVENT_NAME_SQL}, revenue FROM events_sorted"
        )
        self.con.execute("DROP TABLE events_sorted")

    def write_ad_spend(self, spend: AdSpend, plan: CampaignPlan) -> None:
        frame = pa.table({
            "date": pa.array(np.datetime64(WINDOW_START, "D") + spend.day, type=pa.date32()),
            "campaign_id": _labels(spend.campaign, plan.campaign_id),
            "impressions": spend.impressions, "clicks": spend.clicks, "cost": spend.cost,
        })
        self._insert("ad_spend", frame, "date, CAST(campaign_id AS VARCHAR), impressions, clicks, cost")

    def write_meta(self, meta: dict[str, str]) -> None:
        self.con.executemany("INSERT INTO asklytics_meta VALUES (?, ?)", sorted(meta.items()))

    def row_counts(self) -> dict[str, int]:
        tables = ("campaigns", "ad_spend", "installs", "events")
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def commit(self) -> None:
        self.con.execute("CHECKPOINT")
        self.con.close()
        self.target.with_name(self.target.name + ".wal").unlink(missing_ok=True)
        os.replace(self.partial, self.target)

    def abort(self) -> None:
        self.con.close()
        self._remove_partial()
