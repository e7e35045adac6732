r"""Memory of a giant result, with and without the byte caps (issue #15 item 4). Not a timed test.

Each scenario runs in a fresh Python process that opens the connector, runs
one query and reports its resident memory: before the query, at the peak
(``ru_maxrss``) and after the result is dropped, with the bytes returned.
"uncapped" sets both caps beyond any result, which is how the connectors
behaved before the caps; for chdb it also runs the engine in this process, as
the old connector did.

Results go to stdout and to the "## Result byte caps (memory)" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/measure_result_caps.py \
        [--demo PATH.duckdb] [--chdb FOLDER] [--repeat N] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs_section import write_section

SECTION = "## Result byte caps (memory)"

CHILD = r"""
import gc, json, resource, sys, time
sys.path.insert(0, sys.argv[1])
engine, target, sql, capped = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "capped"

def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20

caps = {} if capped else {"max_cell_bytes": 1 << 62, "max_result_bytes": 1 << 62}  # past any result
if engine == "duckdb":
    from warehouse.duckdb import DuckDBWarehouse
    warehouse = DuckDBWarehouse(target, max_rows=1000, **caps)
    run = lambda: warehouse.execute(sql).rows
elif engine == "chdb" and capped:
    from warehouse.chdb import ChdbWarehouse
    warehouse = ChdbWarehouse(target, max_rows=1000)
    run = lambda: warehouse.execute(sql).rows
else:  # the engine in this process, as the connector ran it before the worker
    import chdb
    conn = chdb.connect(f"{target}?readonly=1")
    run = lambda: conn.query(sql, "JSONCompactEachRowWithNamesAndTypes").bytes()
before = rss_mb()
started = time.perf_counter()
result = run()
seconds = time.perf_counter() - started
returned = len(result) if isinstance(result, bytes) else sum(len(str(v)) for row in result for v in row)
del result
gc.collect()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
report = {"before_mb": round(before), "peak_mb": round(peak), "after_mb": round(rss_mb()),
          "returned_bytes": returned, "seconds": round(seconds, 2)}
if engine == "chdb" and capped:  # the engine's own process: where the giant value lived
    status = dict(line.split(":", 1) for line in open(f"/proc/{warehouse._require_sandbox().pid}/status"))
    report["worker"] = {k: round(int(status[k].split()[0]) / 1024) for k in ("VmHWM", "VmRSS")}
print(json.dumps(report))
"""


def scenarios(repeat: int) -> list[tuple[str, str, str]]:
    ch_repeat = min(repeat, 1_000_000)  # ClickHouse refuses repeat() beyond a million copies
    return [
        ("duckdb", f"SELECT repeat('a', {repeat}) AS s", "repeat"),
        ("duckdb", "SELECT string_agg(event_name || user_id, ',') AS s FROM events", "string_agg"),
        ("chdb", f"SELECT arrayStringConcat(arrayMap(i -> repeat('a', {ch_repeat}), range(300))) AS s",
         "300 MB string"),
        ("chdb", "SELECT arrayStringConcat(groupArray(concat(event_name, user_id)), ',') AS s FROM events",
         "string_agg"),
    ]


def measure(engine: str, target: Path, sql: str, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(REPO), engine, str(target), sql, mode],
                          capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    test_demo = REPO / ".cache" / "test-demo"
    parser.add_argument("--demo", type=Path, default=next(test_demo.glob("demo-*.duckdb"), None))
    parser.add_argument("--chdb", type=Path, default=next(test_demo.glob("chdb-*"), None))
    parser.add_argument("--repeat", type=int, default=1_000_000_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="asklytics-caps-"))
    chdb_copy = scratch / "chdb"  # chdb locks its folder: a copy nobody else has open
    shutil.copytree(args.chdb, chdb_copy, symlinks=True)
    lines = ["| engine | query | caps | RSS before | peak | after | returned | s |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    for engine, sql, label in scenarios(args.repeat):
        target = args.demo if engine == "duckdb" else chdb_copy
        for mode in ("uncapped", "capped"):
            lines.append(_row(engine, label, mode, measure(engine, target, sql, mode)))
    shutil.rmtree(scratch, ignore_errors=True)
    section = "\n".join([
        SECTION, "",
        (f"`benchmarks/measure_result_caps.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}, 2 shared cores, default caps (64 KiB per cell, 16 MiB per result). "
        "Resident memory of the process that asked, in a fresh process per row; \"uncapped\" sets both caps "
        "past any result (and runs chdb in that process), which is how the connectors behaved before. With "
        "caps, chdb's memory is spent in its worker process (in brackets), not in the server."),
        "", *lines, "",
    ])
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


def _row(engine: str, label: str, mode: str, row: dict) -> str:
    if "error" in row:
        return f"| {engine} | {label} | {mode} | error: {row['error']} | | | | |"
    worker = row.get("worker")
    peak = f"{row['peak_mb']} MB" + (f" (worker {worker['VmHWM']} MB)" if worker else "")
    after = f"{row['after_mb']} MB" + (f" (worker {worker['VmRSS']} MB)" if worker else "")
    return (f"| {engine} | {label} | {mode} | {row['before_mb']} MB | {peak} | {after} | "
            f"{row['returned_bytes']:,} B | {row['seconds']} |")


if __name__ == "__main__":
    main()
