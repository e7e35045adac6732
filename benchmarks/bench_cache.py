"""Semantic cache: paraphrase hit rate, hard-negative wrong hits, lookup latency, LLM calls avoided.

Workload: benchmarks/cache_workload.yaml (>= 60 base questions with >= 4 hand-written
paraphrases each; >= 150 hard-negative pairs differing in one number, date or period,
entity value, metric, sort direction or negation). Every base is asked first (a miss
that stores its plan), then the paraphrases round by round; a paraphrase hit on an
entry of another base counts as a wrong hit. Each hard-negative pair runs in its own
tenant: ``a`` is stored, ``b`` must miss. The run repeats on the in-process and the
Redis backend (``--redis-url``, default ``ASKLYTICS_TEST_REDIS_URL`` or db 15 locally).

Slots come from the real offline planner on the scale-1 demo; embeddings from the
bundled MiniLM without its query LRU (each timed lookup really encodes). For
contrast, the embedding-only rule (a fixed similarity threshold, as GPTCache uses)
is scored on the same pairs. Results go to stdout and to the "## Semantic cache"
section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_cache.py [--db PATH] [--redis-url URL] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from docs_section import write_section

from app.engine.cache.semantic import SemanticCache
from app.engine.cache.store import MemoryCacheStore
from app.engine.cache.workload import CacheReplayer, Workload, load_workload, wrong_hits_on_hard_negatives

SECTION = "## Semantic cache"
WORKLOAD = REPO / "benchmarks" / "cache_workload.yaml"
THRESHOLDS = (0.8, 0.9, 0.95)
LLM_LABEL = "llm:openai/gpt-4o-mini"  # the price used for the cost-saved estimate


MODES = (("embedding gate 0.3", 0.3), ("slots only", -1.0))


@dataclass
class Run:
    backend: str
    mode: str
    asked: int = 0
    paraphrases: int = 0
    paraphrase_hits: int = 0
    paraphrase_wrong: int = 0
    base_stored: int = 0
    negatives_stored: int = 0
    negative_wrong: list = field(default_factory=list)
    exact_ms: list[float] = field(default_factory=list)
    semantic_ms: list[float] = field(default_factory=list)
    slots_ms: list[float] = field(default_factory=list)
    hit_path_ms: list[float] = field(default_factory=list)
    embed_ms: list[float] = field(default_factory=list)
    misses: int = 0
    stats: dict = field(default_factory=dict)


def demo_path(given: str | None) -> Path:
    if given:
        return Path(given)
    from warehouse.demo import build_demo_warehouse

    path = REPO / ".cache" / "bench-demo" / "demo-scale1.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build_demo_warehouse(path, scale=1, seed=42)
    return path


def load_planner(db: Path):
    from app.engine.planning.offline import OfflinePlanner
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
    from warehouse.duckdb import DuckDBWarehouse

    warehouse = DuckDBWarehouse(db, timeout_s=30, max_rows=1000)
    return OfflinePlanner(load_semantic_model(DEMO_MODEL_PATH), warehouse.schema(), embedder=False)


def uncached_embed():
    """MiniLM without the process-wide query LRU; remembers only the last question (lookup, then put).
    ``embed.last["_ms"]`` is the encode time of the latest new question."""
    from retrieval import get_embedder

    embedder, last = get_embedder(), {}

    def embed(text: str) -> np.ndarray:
        if text not in last:
            began = time.perf_counter()
            last.clear()
            last[text] = embedder.encode([text])[0]
            last["_ms"] = (time.perf_counter() - began) * 1000
        return last[text]
    embed.last = last
    return embed


def estimated_usage() -> dict[str, int]:
    """One LLM planning call, estimated from the real prompt's size (chars / 4) plus a short plan."""
    from app.engine.planning.llm.catalog import describe_semantic_model
    from prompts import load_prompt
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

    catalog = describe_semantic_model(load_semantic_model(DEMO_MODEL_PATH))
    chars = len(catalog) + len(load_prompt("planner_system"))
    return {"llm_calls": 1, "prompt_tokens": chars // 4 + 300, "completion_tokens": 150}


def open_store(backend: str, redis_url: str):
    if backend == "memory":
        return MemoryCacheStore(max_entries=100_000)
    from app.engine.cache.redis_store import RedisCacheStore

    return RedisCacheStore(redis_url, prefix=f"bench:cache:{uuid.uuid4().hex}")


def run_backend(backend: str, mode: tuple[str, float], redis_url: str, planner, workload: Workload,
                usage: dict) -> Run:
    store, run = open_store(backend, redis_url), Run(backend, mode[0])
    try:
        embed = uncached_embed()
        cache = SemanticCache(store, embed, min_similarity=mode[1])
        replayer = CacheReplayer(cache, planner, workload.as_of, planner_label=LLM_LABEL, usage=usage)
        replayer.embed_timings = embed.last
        owner = ask_bases(replayer, workload, run)
        ask_paraphrases(replayer, workload, run, owner)
        ask_exact_repeats(replayer, workload, run)
        run.stats = cache.stats().model_dump()
        wrong, run.negatives_stored = wrong_hits_on_hard_negatives(replayer, workload.hard_negatives)
        run.negative_wrong = [(pair.kind, pair.a, pair.b) for pair, _ in wrong]
    finally:
        store.clear()
    return run


def ask_bases(replayer: CacheReplayer, workload: Workload, run: Run) -> dict[str, str]:
    owner = {}
    for base in workload.bases:
        asked = replayer.ask(base.question)
        run.asked, run.misses = run.asked + 1, run.misses + (asked.hit is None)
        run.base_stored += asked.stored
        owner[base.question] = base.id
    return owner


def ask_paraphrases(replayer: CacheReplayer, workload: Workload, run: Run, owner: dict[str, str]) -> None:
    rounds = max(len(b.paraphrases) for b in workload.bases)
    for number in range(rounds):  # round by round: each base's 1st paraphrase, then each 2nd, ...
        for base in workload.bases:
            if number < len(base.paraphrases):
                record_paraphrase(replayer, replayer.ask(base.paraphrases[number]), base.id, run, owner)


def record_paraphrase(replayer, asked, base_id: str, run: Run, owner: dict[str, str]) -> None:
    run.asked, run.paraphrases = run.asked + 1, run.paraphrases + 1
    owner.setdefault(asked.question, base_id)
    if asked.hit is None:
        run.misses += 1
        return
    right = owner.get(asked.hit.entry.question) == base_id
    run.paraphrase_hits += right
    run.paraphrase_wrong += not right
    if asked.hit.tier == "semantic":
        run.semantic_ms.append(asked.timings_ms["semantic"])
        if replayer.cache.uses_embeddings:
            run.embed_ms.append(replayer.embed_timings["_ms"])
        run.slots_ms.append(asked.timings_ms["slots"])
        run.hit_path_ms.append(sum(asked.timings_ms.values()))


def ask_exact_repeats(replayer: CacheReplayer, workload: Workload, run: Run) -> None:
    for base in workload.bases:  # the same question again, as another person types it
        asked = replayer.ask(base.question.upper().rstrip("?") + " ?")
        if asked.hit is not None and asked.hit.tier == "exact":
            run.exact_ms.append(asked.timings_ms["exact"])


def threshold_baseline(workload: Workload) -> list[tuple[float, float, int, int]]:
    """Embedding-only rule: (threshold, paraphrase hit rate, wrong paraphrase hits, hard-negative hits)."""
    from retrieval import get_embedder

    encode = get_embedder().encode
    bases = encode([b.question for b in workload.bases])
    paraphrases = [(i, p) for i, b in enumerate(workload.bases) for p in b.paraphrases]
    best = encode([p for _, p in paraphrases]) @ bases.T
    pairs = workload.hard_negatives
    similar = np.sum(encode([p.a for p in pairs]) * encode([p.b for p in pairs]), axis=1)
    rows = []
    for threshold in THRESHOLDS:
        hit = best.max(axis=1) >= threshold
        own = best.argmax(axis=1) == np.array([i for i, _ in paraphrases])
        rows.append((threshold, float(np.mean(hit & own)), int(np.sum(hit & ~own)),
                     int(np.sum(similar >= threshold))))
    return rows


def p50_p95(samples: list[float]) -> str:
    if not samples:
        return "n/a | n/a"
    ordered = sorted(samples)
    return f"{statistics.median(ordered):.2f} ms | {ordered[int(0.95 * (len(ordered) - 1))]:.2f} ms"


def render(runs: list[Run], baseline, workload: Workload, usage: dict) -> str:
    from app.engine.cache.pricing import cost_usd

    pairs = len(workload.hard_negatives)
    lines = [SECTION, "",
             (f"`benchmarks/bench_cache.py` on {platform.machine()}, Python {platform.python_version()}, "
              f"{dt.date.today()}, 2 cores shared with other jobs, scale-1 demo, offline planner as slot "
              "extractor, MiniLM embeddings. Workload `benchmarks/cache_workload.yaml`: "
              f"{len(workload.bases)} base questions, "
              f"{sum(len(b.paraphrases) for b in workload.bases)} hand-written paraphrases asked after them, "
              f"{pairs} hard-negative pairs. Targets: >= 80% paraphrase hits, 0 wrong hits, semantic-tier "
              "hit p50 < 15 ms including the embedding, exact tier < 1 ms."), "",
             ("| backend, semantic tier | paraphrase hits | wrong hits (paraphrases) "
              "| hard negatives: wrong hits | exact-tier hit p50 / p95 "
              "| semantic-tier hit (slot index, then embed + neighbours) p50 / p95 "
              "| of which the MiniLM encode p50 / p95 | slot extraction (offline plan + guards) p50 / p95 "
              "| whole cache path of a semantic hit p50 / p95 |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        rate = run.paraphrase_hits / run.paraphrases
        lines.append(
            f"| {run.backend}, {run.mode} | {run.paraphrase_hits}/{run.paraphrases} ({rate:.1%}) "
            f"| {run.paraphrase_wrong} "
            f"| {len(run.negative_wrong)}/{pairs} ({run.negatives_stored} `a` stored) "
            f"| {p50_p95(run.exact_ms).replace(' | ', ' / ')} "
            f"| {p50_p95(run.semantic_ms).replace(' | ', ' / ')} "
            f"| {p50_p95(run.embed_ms).replace(' | ', ' / ')} "
            f"| {p50_p95(run.slots_ms).replace(' | ', ' / ')} "
            f"| {p50_p95(run.hit_path_ms).replace(' | ', ' / ')} |")
    verdicts = "; ".join(f"{run.backend}, {run.mode}: {verdict(run)}" for run in runs)
    lines += ["", "Targets met: " + verdicts + "."]
    lines += ["", ("The whole cache path of a semantic hit is the exact-tier miss, the slot extraction and "
                   "the semantic tier; a hit then re-executes the stored plan on the warehouse "
                   "(not timed here)."), ""]
    lines += [llm_line(run, usage, cost_usd) for run in runs if run.backend == "memory"]
    lines += ["", "Embedding similarity alone (a fixed threshold, no slot check) on the same workload:", "",
              "| threshold | paraphrase hits | wrong paraphrase hits | hard negatives that would hit |",
              "|---:|---:|---:|---:|"]
    for threshold, rate, wrong, negatives in baseline:
        lines.append(f"| {threshold} | {rate:.1%} | {wrong} "
                     f"| {negatives}/{pairs} ({negatives / pairs:.0%}) |")
    for run in runs:
        for kind, a, b in run.negative_wrong:
            lines.append(f"\nWrong hit ({run.backend}, {run.mode}, {kind}): \"{b}\" answered by \"{a}\".")
    return "\n".join(lines) + "\n"


def verdict(run: Run) -> str:
    checks = (("paraphrases >= 80%", run.paraphrase_hits >= 0.8 * run.paraphrases),
              ("0 wrong hits", run.paraphrase_wrong == 0 and not run.negative_wrong),
              ("semantic hit path p50 < 15 ms",
               bool(run.hit_path_ms) and statistics.median(run.hit_path_ms) < 15),
              ("exact p50 < 1 ms", bool(run.exact_ms) and statistics.median(run.exact_ms) < 1))
    return ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in checks)


def llm_line(run: Run, usage: dict, cost_usd) -> str:
    avoided = run.asked - run.misses
    cost = cost_usd(LLM_LABEL, avoided * usage["prompt_tokens"], avoided * usage["completion_tokens"])
    return (f"- LLM calls on the workload ({run.asked} questions: bases, then paraphrases) with "
            f"`ASKLYTICS_PLANNER=llm`, {run.mode}: {run.asked} without the cache, {run.misses} with it "
            f"(-{avoided / run.asked:.0%}); {avoided * usage['prompt_tokens']:,} prompt and "
            f"{avoided * usage['completion_tokens']:,} completion tokens avoided (estimated "
            f"{usage['prompt_tokens']:,} + {usage['completion_tokens']} per call from the planner prompt's "
            f"size), about ${cost:.3f} at {LLM_LABEL.removeprefix('llm:')} list prices. With the offline "
            "planner a hit skips only the planning; the plan is always re-executed.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a demo DuckDB file (default: build or reuse .cache/bench-demo)")
    parser.add_argument("--redis-url", default=os.environ.get("ASKLYTICS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    workload, planner, usage = load_workload(WORKLOAD), load_planner(demo_path(args.db)), estimated_usage()
    uncached_embed()("warm up the model")
    runs = [run_backend(backend, mode, args.redis_url, planner, workload, usage)
            for mode in MODES for backend in ("memory", "redis")]
    section = render(runs, threshold_baseline(workload), workload, usage)
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
