"""Demo warehouse build benchmark: wall time, peak memory and file size per scale.

Each build runs in its own child process so its peak RSS (``ru_maxrss``) is
its own. Scale 1 is the contract's default (target: well under a minute on 2
cores); scale 10 shows that chunked event generation keeps memory bounded.
Results go to stdout and to the "## Demo warehouse build" section of
docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_demo_build.py [--scales 1 10] [--repeat 3] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from docs_section import write_section

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SECTION = "## Demo warehouse build"


def build_once(scale: float, path: Path) -> dict:
    """Child-process body: build, then report time, rows, peak RSS and file size."""
    from warehouse.demo import build_demo_warehouse

    report = build_demo_warehouse(path, scale=scale, seed=42)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"seconds": report.seconds, "rows": report.rows, "peak_mb": peak_kib / 1024,
            "file_mb": path.stat().st_size / 2**20}


def measure(scale: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="asklytics-bench-") as tmp:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(scale), str(Path(tmp) / "demo.duckdb")],
            check=True, capture_output=True, text=True,
        )
    return json.loads(child.stdout.strip().splitlines()[-1])


def summarize(runs: list[dict]) -> dict:
    return {"seconds": statistics.median(r["seconds"] for r in runs), "best": min(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs), "file_mb": runs[0]["file_mb"],
            "rows": runs[0]["rows"]}


def render(repeat: int, results: dict[float, dict], load: float) -> str:
    lines = [
        SECTION,
        "",
        (f"`benchmarks/bench_demo_build.py --repeat {repeat}` on {platform.machine()}, "
         f"Python {platform.python_version()}, {dt.date.today().isoformat()}, 2 shared cores. "
         "Wall time of `build_demo_warehouse` (seed 42) in a fresh process, peak RSS of that process, "
         f"size of the DuckDB file. The machine is shared: its 1-minute load average was {load:.1f} when "
         "the run started, and times grow with it."),
        "",
        "| scale | installs | events | median time | best | peak RSS | file |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, r in results.items():
        lines.append(f"| {scale:g} | {r['rows']['installs']:,} | {r['rows']['events']:,} "
                     f"| {r['seconds']:.1f} s | {r['best']:.1f} s | {r['peak_mb']:.0f} MB "
                     f"| {r['file_mb']:.0f} MB |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per scale (scale 10 runs once)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--child", nargs=2, metavar=("SCALE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(build_once(float(args.child[0]), Path(args.child[1]))))
        return
    load = os.getloadavg()[0]
    results = {s: summarize([measure(s) for _ in range(args.repeat if s <= 1 else 1)]) for s in args.scales}
    section = render(args.repeat, results, load)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
