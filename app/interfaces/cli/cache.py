"""``asklytics cache``: the semantic cache's stats, and clearing it.

With ``ASKLYTICS_REDIS_URL`` set these act on the shared Redis cache every app
process uses. Without it the cache lives inside each running process, so this
CLI (a process of its own) can only report that there is nothing to show here.
"""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.interfaces.cli.common import console, fail, load_settings, print_json

cache_app = typer.Typer(no_args_is_help=True, help="The semantic cache: stats, clear.")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
IN_PROCESS_NOTE = ("the cache is in-process (ASKLYTICS_REDIS_URL is not set): each app process has its own; "
                   "see GET /api/v1/cache/stats on a running server")


def _open_cache():
    from redis import RedisError

    from app.engine.cache import open_semantic_cache

    settings = load_settings()
    if not settings.redis_url:
        return None
    try:
        cache = open_semantic_cache(settings)
        cache.store.entry_count()  # connect now, so an outage is one clear line, not a traceback
    except RedisError as exc:
        fail(f"cannot reach the cache at ASKLYTICS_REDIS_URL: {exc}")
    return cache


@cache_app.command("stats")
def stats(as_json: JsonOption = False) -> None:
    """Hits by tier, misses, entries, LLM calls and tokens avoided, estimated cost saved."""
    cache = _open_cache()
    if cache is None:
        console.print(IN_PROCESS_NOTE)
        return
    payload = cache.stats().as_dict()
    if as_json:
        print_json(payload)
        return
    table = Table("counter", "value", title="semantic cache")
    for name, value in payload.items():
        table.add_row(name, f"{value:,.4f}" if isinstance(value, float) else str(value))
    console.print(table)


@cache_app.command("clear")
def clear() -> None:
    """Remove every cached entry and counter (all tenants)."""
    cache = _open_cache()
    if cache is None:
        console.print(IN_PROCESS_NOTE + "; restarting a process clears its cache")
        return
    console.print(f"removed {cache.clear():,} cache entries")
