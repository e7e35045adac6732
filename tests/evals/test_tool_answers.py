"""Answers without SQL (a predictor listing from a tool call) are scored from their own rows,
under the comparator's rules; every answer's rows are recorded in the report, capped.

The gold SQL runs on the real demo DuckDB; the scripted "tool" rows are what the
assistant would put in the Answer contract (JSON values: ISO strings for dates).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from eval_scripted_askers import Reply, ScriptedAsker

from evals.report import suite_report
from evals.report_html import render_html
from evals.runner import run_suite
from evals.suite import Case, Suite
from warehouse.values import jsonable

JUNE = "install_time::DATE BETWEEN DATE '2026-06-01' AND DATE '2026-06-30'"
GOLD_BY_PLATFORM = f"SELECT platform, COUNT(*) AS installs FROM installs WHERE {JUNE} GROUP BY platform"
GOLD_WEEKLY = (
    "SELECT date_trunc('week', install_time) AS week, COUNT(*) AS installs FROM installs "
    f"WHERE {JUNE} GROUP BY 1"
)
GOLD_TOP3 = f"{GOLD_BY_PLATFORM} ORDER BY installs DESC LIMIT 3"
RECORDED = 200  # rows of each answer the report keeps
GOLD_LONG = f"SELECT range AS n, range * 2 AS doubled FROM range({RECORDED + 50})"


def rows_of(warehouse, sql):
    """The gold result as the Answer contract would carry it (JSON values)."""
    return tuple(tuple(jsonable(v) for v in row) for row in warehouse.execute(sql).rows)


def tool(rows, columns=("a", "b"), **kwargs):
    return Reply(sql=None, columns=columns, rows=tuple(rows), **kwargs)


@pytest.fixture(scope="module")
def run(duckdb_wh):
    by_platform = rows_of(duckdb_wh, GOLD_BY_PLATFORM)
    weekly = rows_of(duckdb_wh, GOLD_WEEKLY)
    top3 = rows_of(duckdb_wh, GOLD_TOP3)
    long = rows_of(duckdb_wh, GOLD_LONG)
    off_by_one = ((by_platform[0][0], by_platform[0][1] + 1),) + by_platform[1:]
    late_change = long[:230] + ((long[230][0], -1),) + long[231:]
    script = {
        "same rows": tool((count, platform) for platform, count in by_platform),
        "extra column": tool(((p, c, "model v3") for p, c in by_platform), columns=("a", "b", "c")),
        "one number off": tool(off_by_one),
        "within tolerance": tool((p, c * (1 + 1e-9)) for p, c in by_platform),
        "weeks as JSON": tool(weekly),
        "top3 reversed": tool(reversed(top3)),
        "cut by the row cap": tool(by_platform[:1], truncated=True),
        "long listing": tool(long, columns=("n", "doubled")),
        "long listing, row 230 off": tool(late_change, columns=("n", "doubled")),
        "nothing to show": Reply(sql=None),
        "sql with rows": Reply(sql=GOLD_BY_PLATFORM, columns=("platform", "installs"), rows=by_platform),
    }
    cases = (
        Case(id="tool_same_rows", question="same rows", gold_sql=GOLD_BY_PLATFORM),
        Case(id="tool_extra_column", question="extra column", gold_sql=GOLD_BY_PLATFORM),
        Case(id="tool_one_number_off", question="one number off", gold_sql=GOLD_BY_PLATFORM),
        Case(id="tool_within_tolerance", question="within tolerance", gold_sql=GOLD_BY_PLATFORM),
        Case(id="tool_weeks_as_json", question="weeks as JSON", gold_sql=GOLD_WEEKLY),
        Case(id="tool_top3_reversed", question="top3 reversed", gold_sql=GOLD_TOP3, ordered=True),
        Case(id="tool_cut", question="cut by the row cap", gold_sql=GOLD_BY_PLATFORM),
        Case(id="tool_long", question="long listing", gold_sql=GOLD_LONG),
        Case(id="tool_long_late_change", question="long listing, row 230 off", gold_sql=GOLD_LONG),
        Case(id="no_sql_no_rows", question="nothing to show", gold_sql=GOLD_BY_PLATFORM),
        Case(id="sql_with_rows", question="sql with rows", gold_sql=GOLD_BY_PLATFORM),
    )
    return run_suite(Suite(name="tool-answers", cases=cases), ScriptedAsker(script), duckdb_wh)


def test_tool_answers_are_scored_from_their_rows(run):
    verdicts = {r.case.id: (r.passed, r.score.match, r.score.scored_from) for r in run.results}
    assert verdicts == {
        "tool_same_rows": (True, "exact", "rows"),  # column order ignored, as for SQL
        "tool_extra_column": (True, "projection", "rows"),
        "tool_one_number_off": (False, "mismatch", "rows"),
        "tool_within_tolerance": (True, "exact", "rows"),
        "tool_weeks_as_json": (True, "exact", "rows"),  # "2026-06-01T00:00:00" equals the gold's timestamp
        "tool_top3_reversed": (False, "mismatch", "rows"),  # the case is ordered
        "tool_cut": (False, "mismatch", "rows"),
        "tool_long": (True, "exact", "rows"),
        # the change is past the 200 recorded rows: the full list is compared, not the record
        "tool_long_late_change": (False, "mismatch", "rows"),
        "no_sql_no_rows": (False, "no_sql", None),
        "sql_with_rows": (True, "exact", "sql"),
    }


def test_failed_tool_answers_say_why(run):
    by_id = {r.case.id: r.score for r in run.results}
    off = by_id["tool_one_number_off"]
    assert off.reason == "the row values differ" and off.expected_rows and off.got_rows
    assert "the assistant's row cap cut the answer at 1 rows" in by_id["tool_cut"].reason
    assert "neither executed SQL" in by_id["no_sql_no_rows"].reason


def test_report_shows_rows_scoring(run):
    report = suite_report(run)
    assert report["scored_from_rows"] == 9
    entry = next(e for e in report["results"] if e["id"] == "tool_extra_column")
    assert (entry["match"], entry["scored_from"], entry["sql"]) == ("projection", "rows", None)
    html = render_html([report])
    assert "projection (rows)" in html and "exact (rows)" in html and "mismatch (rows)" in html


def test_every_answer_records_its_rows_capped(run):
    entries = {e["id"]: e for e in suite_report(run)["results"]}
    long = entries["tool_long"]
    assert long["columns"] == ["n", "doubled"] and long["row_count"] == RECORDED + 50
    assert len(long["rows"]) == RECORDED
    assert long["rows"][:2] == [[0, 0], [1, 2]] and long["truncated"] is False
    assert entries["tool_cut"]["truncated"] is True
    sql_answer = entries["sql_with_rows"]
    assert sql_answer["columns"] == ["platform", "installs"] and len(sql_answer["rows"]) == 2
    nothing = entries["no_sql_no_rows"]
    assert (nothing["columns"], nothing["rows"], nothing["row_count"]) == ([], [], 0)


def test_recorded_rows_are_json_values(duckdb_wh):
    reply = Reply(sql="SELECT 1", columns=("day", "cost"), rows=((dt.date(2026, 6, 1), Decimal("1.50")),))
    case = Case(id="c", question="q", gold_sql="SELECT 1")
    run = run_suite(Suite(name="s", cases=(case,)), ScriptedAsker({"q": reply}), duckdb_wh)
    report = suite_report(run)
    assert report["results"][0]["rows"] == [["2026-06-01", 1.5]]
    json.dumps(report)  # no default= needed


def test_html_shows_the_answer_rows(run):
    html = render_html([suite_report(run)])
    assert "Answer rows (first 50 of 250)" in html and "Answer rows (all 2)" in html
    assert "cut by the assistant&#x27;s row cap" in html
