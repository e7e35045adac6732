"""Demo warehouse build benchmark: wall time, peak memory and file size per scale.

Each build runs in its own child process so its peak RSS (``ru_maxrss``) is
its own. Scale 1 is the contract's default (target: well under a minute on 2
cores); scale 10 shows that chunked event generation keeps memory bounded.
Results go to stdout and to the "## Demo warehouse build" section of
docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_demo_build.py [--scales 1 10] [--repeat 3] [--no-write]

Scale 100 (~330M events) is built once and kept for bench_scale.py, in its own section:

    .venv/bin/python benchmarks/bench_demo_build.py --scales 100 --keep .cache/bench-demo \
        --section "## Demo warehouse build at scale 100"

The child reports each build step, its elapsed time and RSS on stderr (a progress log).
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
import time
from pathlib import Path

from docs_section import write_section

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SECTION = "## Demo warehouse build"


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def build_once(scale: float, path: Path) -> dict:
    """Child-process body: build, then report time, rows, peak RSS and file size."""
    from warehouse.demo import build_demo_warehouse

    began, last = time.perf_counter(), [""]

    def progress(step: str, fraction: float) -> None:
        line = f"{step} {fraction:.0%}"
        if line != last[0]:  # one line per step and percent
            last[0] = line
            print(f"{time.perf_counter() - began:8.1f} s  rss {_rss_mb():6.0f} MB  {line}",
                  file=sys.stderr, flush=True)

    report = build_demo_warehouse(path, scale=scale, seed=42, progress=progress, overwrite=True)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"seconds": report.seconds, "rows": report.rows, "peak_mb": peak_kib / 1024,
            "file_mb": path.stat().st_size / 2**20}


def measure(scale: float, keep: Path | None = None) -> dict:
    """One build in a child process; into ``keep``/demo-scale<N>.duckdb (kept) or a temporary folder."""
    def run(folder: Path) -> dict:
        target = folder / (f"demo-scale{scale:g}.duckdb" if keep else "demo.duckdb")
        child = subprocess.run([sys.executable, __file__, "--child", str(scale), str(target)],
                               check=True, stdout=subprocess.PIPE, text=True)  # stderr: progress
        return json.loads(child.stdout.strip().splitlines()[-1])

    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return run(keep)
    with tempfile.TemporaryDirectory(prefix="asklytics-bench-") as tmp:
        return run(Path(tmp))


def summarize(runs: list[dict]) -> dict:
    return {"seconds": statistics.median(r["seconds"] for r in runs), "best": min(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs), "file_mb": runs[0]["file_mb"],
            "rows": runs[0]["rows"]}


def render(repeat: int, results: dict[float, dict], load: float, section: str = SECTION) -> str:
    command = " ".join(sys.argv[1:]) or f"--repeat {repeat}"  # as run
    lines = [
        section,
        "",
        (f"`benchmarks/bench_demo_build.py {command}` on {platform.machine()}, "
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
    parser.add_argument("--keep", type=Path, help="build into this folder and keep the file "
                        "(demo-scale<N>.duckdb, where bench_scale.py looks for it)")
    parser.add_argument("--section", default=SECTION, help="the docs/benchmarks.md section to write")
    parser.add_argument("--child", nargs=2, metavar=("SCALE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(build_once(float(args.child[0]), Path(args.child[1]))))
        return
    load = os.getloadavg()[0]
    builds = {s: args.repeat if s <= 1 and not args.keep else 1 for s in args.scales}
    results = {s: summarize([measure(s, args.keep) for _ in range(n)]) for s, n in builds.items()}
    section = render(args.repeat, results, load, args.section)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, args.section)


if __name__ == "__main__":
    main()
