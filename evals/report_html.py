"""A self-contained HTML page of one or more suite reports.

Everything that came from a suite or an answer (questions, SQL, values) is
escaped: a question can hold ``<script>`` and a model can write anything.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
.pass{color:#1a7f37}.fail{color:#c62828}pre{background:#f6f8fa;padding:.5rem;white-space:pre-wrap}
details{margin:.3rem 0}.missing{background:#ffebee}.extra{background:#fff8e1}
"""

# Answer rows shown per case (the JSON report records up to 200).
HTML_ROWS = 50


def render_html(reports: list[dict[str, Any]]) -> str:
    body = "".join(_suite_section(report) for report in reports)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Asklytics eval report</title>"
        f"<style>{_STYLE}</style></head><body><h1>Asklytics eval report</h1>{body}</body></html>"
    )


def write_html(path: str | Path, reports: list[dict[str, Any]]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(reports), encoding="utf-8")
    return path


def _suite_section(report: dict[str, Any]) -> str:
    summary = _table(
        [
            "cases",
            "execution accuracy",
            "precision of answers",
            "guard accuracy",
            "chart accuracy",
            "p50 ms",
            "p95 ms",
            "LLM calls",
        ],
        [
            [
                report["cases"],
                _pct(report["execution_accuracy"]),
                _counted(report, "precision_of_answers", "answered", " answered"),
                _counted(report, "guard_accuracy", "guard", " refusal/clarification cases"),
                _pct(report.get("chart_accuracy")),
                report["latency_ms"]["p50"],
                report["latency_ms"]["p95"],
                report["llm_calls"],
            ]
        ],
    )
    tags = _table(
        ["tag", "cases", "passed", "accuracy", "precision of answers", "guard accuracy"],
        [
            [
                tag,
                t["cases"],
                t["passed"],
                _pct(t["accuracy"]),
                _counted(t, "precision_of_answers", "answered"),
                _counted(t, "guard_accuracy", "guard"),
            ]
            for tag, t in _groups(report).items()
        ],
    )
    cases = "".join(_case_block(entry) for entry in report["results"])
    title = f"{report.get('suite') or report.get('benchmark')} ({report['planner']} planner)"
    return f"<section><h2>{escape(title)}</h2>{summary}<h3>By tag</h3>{tags}<h3>Cases</h3>{cases}</section>"


def _counted(stats: dict[str, Any], key: str, counts: str, noun: str = "") -> str:
    """``95.0% (38 of 40 answered)``; ``n/a`` when there are no such cases (or an older report)."""
    if stats.get(key) is None:
        return "n/a"
    return f"{stats[key]:.1%} ({stats[f'{counts}_correct']} of {stats[f'{counts}_cases']}{noun})"


def _groups(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Suites group by tag; benchmarks by difficulty, else by database."""
    return report.get("by_tag") or report.get("by_difficulty") or report.get("by_database") or {}


def _case_block(entry: dict[str, Any]) -> str:
    verdict = "pass" if entry["passed"] else "fail"
    head = (
        f"<span class='{verdict}'>{verdict.upper()}</span> {escape(entry['id'])}: {escape(entry['question'])}"
    )
    facts = _table(
        ["status", "match", "rows", "chart", "expected chart", "latency ms", "error"],
        [
            [
                entry["status"],
                _match(entry),
                entry.get("row_count"),
                entry["chart"],
                entry["chart_expected"],
                entry["latency_ms"],
                entry["error"],
            ]
        ],
    )
    parts = [facts, _turns(entry), _code("Executed SQL", entry["sql"]), _answer_rows(entry)]
    if not entry["passed"]:
        parts += [
            f"<p>{escape(entry.get('reason') or '')}</p>",
            _code("Gold SQL", entry.get("gold_sql")),
            _row_diff(entry.get("expected_rows", []), entry.get("got_rows", [])),
        ]
    opened = "" if entry["passed"] else " open"
    return f"<details{opened}><summary>{head}</summary>{''.join(parts)}</details>"


def _match(entry: dict[str, Any]) -> str:
    """``exact (rows)`` for a tool answer scored from its own rows rather than re-run SQL."""
    return f"{entry['match']} (rows)" if entry.get("scored_from") == "rows" else entry["match"]


def _answer_rows(entry: dict[str, Any]) -> str:
    rows, count = entry.get("rows") or [], entry.get("row_count", 0)
    if not rows and not entry.get("columns"):
        return ""
    shown = rows[:HTML_ROWS]
    note = f"first {len(shown)} of {count}" if len(shown) < count else f"all {count}"
    if entry.get("truncated"):
        note += ", cut by the assistant's row cap"
    table = _table(entry.get("columns") or [""] * len(shown[0]), shown)
    return f"<details><summary>Answer rows ({escape(note)})</summary>{table}</details>"


def _turns(entry: dict[str, Any]) -> str:
    if not entry["conversation"]:
        return ""
    items = "".join(f"<li>{escape(turn)}</li>" for turn in entry["conversation"])
    return f"<p>Earlier turns:</p><ol>{items}</ol>"


def _code(title: str, sql: str | None) -> str:
    return f"<p>{escape(title)}:</p><pre>{escape(sql or '(none)')}</pre>"


def _row_diff(expected: list[list[str]], got: list[list[str]]) -> str:
    """Expected rows the answer lacks are marked missing; answer rows the gold lacks, extra."""
    expected_keys = [tuple(sorted(r)) for r in expected]
    got_keys = [tuple(sorted(r)) for r in got]
    left = _table(
        ["expected (first rows)"],
        [[" | ".join(r)] for r in expected],
        [key not in got_keys for key in expected_keys],
        "missing",
    )
    right = _table(
        ["got (first rows)"],
        [[" | ".join(r)] for r in got],
        [key not in expected_keys for key in got_keys],
        "extra",
    )
    return f"<div style='display:flex;gap:2rem'>{left}{right}</div>"


def _table(header: list[str], rows: list[list[Any]], marks: list[bool] | None = None, mark: str = "") -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = ""
    for index, row in enumerate(rows):
        css = f" class='{mark}'" if marks and marks[index] else ""
        cells = "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row)
        body += f"<tr{css}>{cells}</tr>"
    return f"<table><tr>{head}</tr>{body}</table>"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"
