"""``asklytics serve --workers N`` under load: a fixed number of questions from 32 concurrent clients.

For each worker count a real server process is started (scale-1 demo DuckDB, offline planner,
Redis for the shared state, rate limit out of the way), warmed with every question once through
many connections, and then ``--questions`` questions are sent by ``--clients`` httpx async clients
(each sends its next question when its answer arrives; every client on its own connection so the
kernel spreads them over the workers). An error is any response that is not a 200 ``answered``
answer. Reported: errors (target 0), p50/p95 latency, answers per second, and the resident memory
of the worker processes. Results go to stdout and to the "## More than one worker" section of
docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_load.py [--workers 1 2] [--clients 32] [--questions 640]
        [--cache off|on] [--redis redis://127.0.0.1:6379/12] [--db PATH] [--no-write]
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import redis

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_api_load import LIGHT_QUESTIONS, free_port
from bench_ask import demo_path, p50_p95
from docs_section import write_section

SECTION = "## More than one worker"


def start_server(db: Path, data_dir: Path, workers: int, cache: bool, redis_url: str) -> subprocess.Popen:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "ASKLYTICS_WAREHOUSE_PATH": str(db),
           "ASKLYTICS_DATA_DIR": str(data_dir), "ASKLYTICS_PORT": str(port), "ASKLYTICS_HOST": "127.0.0.1",
           "ASKLYTICS_PLANNER": "offline", "ASKLYTICS_CACHE_ENABLED": str(cache).lower(),
           "ASKLYTICS_REDIS_URL": redis_url, "ASKLYTICS_RATE_LIMIT_PER_MINUTE": "1000000",
           "ASKLYTICS_LOG_LEVEL": "warning"}
    server = subprocess.Popen([sys.executable, "-c", "from app.interfaces.cli import main; main()", "serve",
                               "--workers", str(workers)], env=env, cwd=data_dir,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server.url = f"http://127.0.0.1:{port}"
    deadline, ready_in_a_row = time.monotonic() + 900, 0
    while time.monotonic() < deadline:  # every worker ready: 20 new connections in a row answer 200
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            ready = httpx.get(server.url + "/readyz", timeout=5).status_code == 200
        except httpx.TransportError:
            ready = False
        ready_in_a_row = ready_in_a_row + 1 if ready else 0
        if ready_in_a_row == 20:
            return server
        time.sleep(0.05 if ready else 0.25)
    server.terminate()
    raise SystemExit("the server did not become ready in 15 minutes")


async def ask_all(url: str, questions: tuple[str, ...], clients: int, total: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    turns = iter(range(total))

    async def client_loop() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:  # a connection of its own
            for turn in turns:
                began = time.perf_counter()
                try:
                    question = questions[turn % len(questions)]
                    response = await client.post("/api/v1/ask", json={"question": question})
                    ok = response.status_code == 200 and response.json()["status"] == "answered"
                    problem = None if ok else f"{response.status_code} {response.text[:120]}"
                except httpx.HTTPError as exc:
                    problem = type(exc).__name__
                if problem:
                    errors.append(problem)
                else:
                    latencies.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return {"latencies": latencies, "errors": errors, "elapsed": time.perf_counter() - began}


def rss_mb(pid: int | str) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) / 1024


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    """Resident memory of each worker process: the server's children (the supervisor apart, and
    multiprocessing's small resource tracker), or the server itself when it is the one worker."""
    children = [child for task in Path(f"/proc/{server.pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    sizes = [size for size in map(rss_mb, children) if size > 100]
    return sorted(sizes) or [rss_mb(server.pid)]


def measure(db: Path, workers: int, args) -> dict:
    redis.Redis.from_url(args.redis).flushdb()  # a cache hit must not come from the previous run
    with tempfile.TemporaryDirectory(prefix="bench-load-") as data_dir:
        server = start_server(db, Path(data_dir), workers, args.cache == "on", args.redis)
        try:
            asyncio.run(ask_all(server.url, LIGHT_QUESTIONS, args.clients, 2 * len(LIGHT_QUESTIONS)))
            run = asyncio.run(ask_all(server.url, LIGHT_QUESTIONS, args.clients, args.questions))
            run["rss"] = worker_rss_mb(server)
            return run
        finally:
            server.terminate()
            server.wait(timeout=60)


def row(workers: int, run: dict, clients: int) -> str:
    count = len(run["latencies"])
    p50, p95 = p50_p95(run["latencies"]) if count else (float("nan"), float("nan"))
    rss = ", ".join(f"{mb:.0f}" for mb in run["rss"])
    return (f"| {workers} | {clients} | {count + len(run['errors'])} | {len(run['errors'])} | "
            f"{count / run['elapsed']:.1f} | {p50:.0f} ms | {p95:.0f} ms | {rss} MB |")


NOTES = (
    "Reading it: a worker answers on one core at a time (the pipeline is Python), so two workers can use "
    "both cores; on this machine the load generator and other people's jobs take part of them, which "
    "caps the gain and makes single runs vary. Each worker holds its own warm assistant, so memory "
    "grows with the worker count."
)


def render(results: dict[int, dict], args, load: tuple[float, float]) -> str:
    lines = [SECTION, "",
             (f"`benchmarks/bench_load.py --clients {args.clients} --questions {args.questions} --cache "
              f"{args.cache}` on {platform.machine()}, Python {platform.python_version()}, "
              f"{dt.date.today()}: "
              f"`asklytics serve --workers N` with Redis for the shared state, {args.label}, offline "
              "planner, bench_api_load.py's ten `light` questions in rotation, each client on its own "
              "keep-alive connection, warmed with each question twice first. 2 cores shared with other "
              "jobs and with the load generator itself, so the numbers are noisy: 1-minute load average "
              f"{load[0]:.1f} before, {load[1]:.1f} after. Target: zero errors."),
             "", "| workers | clients | questions | errors | answers/s | p50 | p95 | worker RSS |",
             "|---:|---:|---:|---:|---:|---:|---:|---|"]
    lines += [row(workers, run, args.clients) for workers, run in results.items()]
    errors = sorted({problem for run in results.values() for problem in run["errors"]})
    if errors:
        lines += ["", "Errors seen: " + "; ".join(f"`{problem}`" for problem in errors[:5])]
    lines += ["", NOTES] + (["", args.note] if args.note else [])
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--questions", type=int, default=640, help="questions per worker count")
    parser.add_argument("--cache", choices=("off", "on"), default="off",
                        help="off: every question planned and run; on: the shared semantic cache")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12",
                        help="a Redis database for this benchmark alone (it is emptied)")
    parser.add_argument("--db", help="a demo DuckDB file (default: build or reuse .cache/bench-demo)")
    parser.add_argument("--label", default="scale-1 demo DuckDB", help="what --db is, for the text")
    parser.add_argument("--note", default="", help="a paragraph added under the table")
    parser.add_argument("--no-write", action="store_true",
                        help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    db = demo_path(args.db).resolve()
    load_before = os.getloadavg()[0]
    results = {workers: measure(db, workers, args) for workers in args.workers}
    section = render(results, args, (load_before, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
