"""``asklytics model init --describe``: LLM descriptions and synonyms for the generated model.

``describer_or_fail`` runs before the warehouse is read, so a missing LLM setting stops the command
at once. ``add_descriptions`` sends the catalog (:mod:`semantic_layer.describe_catalog`), merges
what comes back (:mod:`semantic_layer.describe`) and returns the lines to print. An LLM that cannot
be reached or answers with something other than the JSON asked for is a warning: the model is
still written, with the descriptions ``model init`` writes itself, and the exit code stays 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.interfaces.cli.common import fail

NO_LLM = (
    "--describe needs an LLM: set ASKLYTICS_LLM_PROVIDER (openai, anthropic or openai_compatible) and "
    "ASKLYTICS_LLM_MODEL, with OPENAI_API_KEY or ANTHROPIC_API_KEY (or ASKLYTICS_LLM_API_KEY), or "
    "ASKLYTICS_LLM_BASE_URL for an OpenAI-compatible server such as Ollama (docs/llm.md)"
)
MAX_LISTED = 5  # dropped synonyms and skipped items printed one by one; the rest are counted


def describer_or_fail(settings: Any):
    """The describer the settings configure; exits with what to set when there is none."""
    from app.engine.planning.llm.errors import LLMNotConfigured
    from app.engine.planning.llm.factory import build_describer

    try:
        describer = build_describer(settings)
    except LLMNotConfigured as exc:
        fail(f"--describe: {exc.message}")
    if describer is None:
        fail(NO_LLM)
    return describer


def add_descriptions(
    model: dict[str, Any], schema, execute: Callable[[str], list[tuple]], describer, status=None
) -> tuple[list[str], bool]:
    """Describe ``model`` in place: the lines to print (Rich markup), and whether anything came back."""
    from rich.markup import escape

    from semantic_layer.describe import merge_suggestions
    from semantic_layer.describe_catalog import build_catalog

    catalog = build_catalog(model, schema, execute)
    if status is not None:
        parts = f" ({len(catalog.batches)} parts)" if len(catalog.batches) > 1 else ""
        status.update(f"asking {describer.provider_label} for descriptions{parts}")
    result = describer.describe(catalog.batches)
    lines = [f"[yellow]![/] --describe: {escape(w)}" for w in _listed(result.warnings, "more warnings")]
    if result.failed_batches == len(catalog.batches):
        lines.append(
            "[yellow]![/] --describe: no LLM descriptions were added; the model keeps the ones "
            "`model init` writes"
        )
        return lines, False
    report = merge_suggestions(model, result.suggestions, avoid=catalog.values)
    if report.unknown:
        shown = ", ".join(report.unknown[:MAX_LISTED]) + (", ..." if len(report.unknown) > MAX_LISTED else "")
        lines.append(f"[yellow]![/] --describe: ignored {len(report.unknown)} names the model does not have: "
                     f"{escape(shown)}")
    dropped = _listed(report.dropped, "more")
    lines += [f"[yellow]![/] --describe: dropped synonym {escape(d)}" for d in dropped]
    lines.append(
        f"[green]✓[/] --describe ({describer.provider_label}): {report.descriptions} descriptions, "
        f"{report.synonyms} synonyms added; {result.usage.llm_calls} LLM calls, "
        f"{result.usage.prompt_tokens + result.usage.completion_tokens} tokens"
    )
    return lines, True


def with_describe_note(text: str, describer) -> str:
    """The rendered YAML with a comment after its header saying an LLM wrote the descriptions."""
    lines = text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    note = (f"# Descriptions and synonyms were suggested by {describer.provider_label} "
            "(`model init --describe`): check them.\n")
    return "".join(lines[:at] + [note] + lines[at:])


def _listed(items: list[str], rest: str) -> list[str]:
    return items[:MAX_LISTED] + ([f"... and {len(items) - MAX_LISTED} {rest}"] if len(items) > MAX_LISTED
                                 else [])
