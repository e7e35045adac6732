"""Retrieval benchmark: model load, index build and reuse, search latency, recall@5.

Model load is timed on its own (once per process: import, read weights, first
encode). Search latency is measured on the labelled questions twice: the first
pass embeds every question (an LRU miss), the second hits the query-embedding
cache (a repeated or follow-up question). recall@5 is scored per kind (how
planners ask) and, harder, over all kinds at once; the vector and BM25 sides are
also scored alone to show what fusion adds. Results go to stdout and to the
"## Retrieval" section of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_retrieval.py [--warehouse PATH] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from docs_section import write_section

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SECTION = "## Retrieval"
LABELLED_PATH = REPO / "tests" / "retrieval" / "labelled_queries.yaml"
SCOPE = "default"  # the tenant searching; the labelled set is about built-in docs, which every tenant sees


def timed(action) -> tuple[float, object]:
    began = time.perf_counter()
    value = action()
    return (time.perf_counter() - began) * 1000, value


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def demo_schema(warehouse: Path | None):
    """The demo warehouse's schema: a given file, the test cache's, or a small fresh build."""
    from warehouse.duckdb import DuckDBWarehouse

    cached = sorted((REPO / ".cache" / "test-demo").glob("demo-*.duckdb"), key=lambda p: p.stat().st_mtime)
    path = warehouse or (cached[-1] if cached else None)
    if path is None:
        from warehouse.demo import build_demo_warehouse

        path = Path(tempfile.mkdtemp()) / "demo.duckdb"
        build_demo_warehouse(path, scale=0.1, seed=42)
    with DuckDBWarehouse(path, timeout_s=30, max_rows=1000) as wh:
        return wh.schema()


def measure_build(schema, model) -> dict:
    from retrieval import RetrievalStore, get_embedder

    embedder = get_embedder()
    load_ms, _ = timed(lambda: embedder.encode(["warm up"]))
    folder = Path(tempfile.mkdtemp()) / "index"
    before = embedder.encoded_texts
    build_ms, store = timed(lambda: RetrievalStore.open(folder, semantic_model=model, schema=schema))
    entries = embedder.encoded_texts - before
    reopen_ms, _ = timed(lambda: RetrievalStore.open(folder, semantic_model=model, schema=schema))
    return {"store": store, "load_ms": load_ms, "build_ms": build_ms, "reopen_ms": reopen_ms,
            "entries": entries, "docs": len(store._docs)}


def measure_latency(store, questions: list[str]) -> dict[str, tuple[float, float]]:
    """Each case gets its own question suffix, so "new question" really misses the LRU cache."""
    embedder = store._vectors.embedder
    cold_embed = [timed(lambda q=q: embedder.encode_query(q + " (embed)"))[0] for q in questions]
    results = {"query embedding (cache miss)": percentiles(cold_embed)}
    cases = {"search, all kinds, k=5": None, "search, metrics only, k=5": ["metric"]}
    for case, (name, kinds) in enumerate(cases.items()):
        def search(q: str, case: int = case, kinds: list[str] | None = kinds) -> None:
            store.search(f"{q} ({case})", scope=SCOPE, kinds=kinds, k=5)

        miss = [timed(lambda q=q: search(q))[0] for q in questions]
        hit = [timed(lambda q=q: search(q))[0] for q in questions]
        results[f"{name}, new question (embeds it)"] = percentiles(miss)
        results[f"{name}, repeated question (cached embedding)"] = percentiles(hit)
    return results


def measure_recall(store, queries) -> dict:
    from retrieval.hybrid import fuse
    from retrieval.recall import mixed_recall_at_k, recall_at_k, store_search

    def one_side(side: str):
        def search(question, kinds, k):
            wanted = list(kinds) if kinds else ["metric", "dimension", "column", "example", "doc"]
            if side == "vector":
                names = [f"asklytics_{kind}" for kind in wanted]
                found = store._vectors.query(names, store._vectors.embedder.encode_query(question), k,
                                             scope=SCOPE)
            else:
                found = store._lexical_for(SCOPE).search(question, wanted, k)
            return [f.id for f in fuse(found, [])][:k]
        return search

    hybrid = recall_at_k(store_search(store, scope=SCOPE), queries)
    return {"hybrid": hybrid, "vector": recall_at_k(one_side("vector"), queries).recall,
            "bm25": recall_at_k(one_side("bm25"), queries).recall,
            "mixed": mixed_recall_at_k(store_search(store, scope=SCOPE), queries)}


def render(build: dict, latency: dict, recall: dict, queries: int) -> str:
    hybrid = recall["hybrid"]
    by_kind = ", ".join(f"{kind} {hybrid.kind_recall(kind):.3f} ({found}/{total})"
                        for kind, (found, total) in sorted(hybrid.by_kind.items()))
    lines = [
        SECTION, "",
        (f"`benchmarks/bench_retrieval.py` on {platform.machine()}, Python {platform.python_version()}, "
         f"{dt.date.today()}, 2 shared cores (other jobs running). all-MiniLM-L6-v2 on CPU via "
         "sentence-transformers, chromadb persistent collections, bm25s, weighted RRF."), "",
        f"- Model load (import, weights, first encode; once per process): {build['load_ms']:.0f} ms",
        (f"- Index build from scratch: {build['build_ms'] / 1000:.1f} s for {build['docs']} docs "
         f"({build['entries']} embedded texts: docs plus aliases)"),
        f"- Reopen with unchanged content (hash match, no embedding): {build['reopen_ms']:.0f} ms", "",
        (f"recall@5 on {queries} hand-labelled questions ({hybrid.expected} expected items, "
         "`tests/retrieval/labelled_queries.yaml`), each item looked for in the top 5 of its kind:"), "",
        "| ranking | recall@5 |", "|---|---:|",
        f"| **hybrid (vector + BM25, RRF)** | **{hybrid.recall:.3f}** |",
        f"| vector only | {recall['vector']:.3f} |",
        f"| BM25 only | {recall['bm25']:.3f} |",
        ("| hybrid, one search over all kinds (every expected item in one top 5) "
         f"| {recall['mixed']:.3f} |"), "",
        f"Hybrid per kind: {by_kind}. Misses: "
        + ("; ".join(f"{item} for \"{q}\"" for q, item in hybrid.misses) or "none") + ".", "",
        "| search latency | p50 | p95 |", "|---|---:|---:|",
    ]
    lines += [f"| {name} | {p50:.2f} ms | {p95:.2f} ms |" for name, (p50, p95) in latency.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=None, help="demo DuckDB file for the schema")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    from retrieval.recall import load_labelled
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

    queries = load_labelled(LABELLED_PATH)
    build = measure_build(demo_schema(args.warehouse), load_semantic_model(DEMO_MODEL_PATH))
    latency = measure_latency(build["store"], [q.question for q in queries])
    section = render(build, latency, measure_recall(build["store"], queries), len(queries))
    print(section)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", section, SECTION)


if __name__ == "__main__":
    main()
