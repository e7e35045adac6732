"""What an eval run prints: a progress bar while it runs, then the scores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evals.runner import CaseResult


@contextmanager
def progress_bar(console: Console, title: str, total: int) -> Iterator[Callable[[CaseResult], None]]:
    """Yield the ``on_case`` callback that advances the bar and counts passes."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[passed]} passed"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(title, total=total, passed=0)
        passed = 0

        def advance(result: CaseResult) -> None:
            nonlocal passed
            passed += result.passed
            progress.update(task, advance=1, passed=passed)

        yield advance


def print_summary(console: Console, report: dict[str, Any], groups: dict[str, dict[str, Any]]) -> None:
    """The headline numbers, then accuracy per tag (or per difficulty)."""
    name = report.get("suite") or report.get("benchmark")
    latency = report["latency_ms"]
    chart = report.get("chart_accuracy")
    console.print(
        f"[bold]{name}[/] ({report['planner']} planner): {report['cases']} cases, "
        f"execution accuracy [bold]{report['execution_accuracy']:.1%}[/]"
        + (f", chart accuracy {chart:.1%}" if chart is not None else "")
        + f", latency p50 {latency['p50']} ms / p95 {latency['p95']} ms"
    )
    console.print(f"{_precision(report)}, {_guard(report)}")
    console.print(_group_table(groups))


def _precision(stats: dict[str, Any]) -> str:
    value, answered = stats.get("precision_of_answers"), stats.get("answered_cases", 0)
    if value is None:
        return "precision of answers n/a (nothing answered)"
    return f"precision of answers [bold]{value:.1%}[/] ({stats['answered_correct']} of {answered} answered)"


def _guard(stats: dict[str, Any]) -> str:
    value, cases = stats.get("guard_accuracy"), stats.get("guard_cases", 0)
    if value is None:
        return "guard accuracy n/a (no refusal/clarification cases)"
    return (f"guard accuracy [bold]{value:.1%}[/] "
            f"({stats['guard_correct']} of {cases} refusal/clarification cases)")


def _group_table(groups: dict[str, dict[str, Any]]) -> Table:
    table = Table(show_edge=False)
    headers = ("tag", "cases", "passed", "accuracy", "precision", "guard")
    for header in headers:
        table.add_column(header, justify="left" if header == "tag" else "right")
    for tag, stats in groups.items():
        table.add_row(
            tag,
            str(stats["cases"]),
            str(stats["passed"]),
            _styled(stats["accuracy"]),
            _styled(stats.get("precision_of_answers"), stats.get("answered_cases")),
            _styled(stats.get("guard_accuracy"), stats.get("guard_cases")),
        )
    return table


def _styled(share: float | None, cases: int | None = None) -> str:
    if share is None:
        return ""
    style = "green" if share >= 0.9 else "yellow" if share >= 0.7 else "red"
    return f"[{style}]{share:.1%}[/]" + (f" of {cases}" if cases is not None else "")
