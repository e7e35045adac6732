"""Scoring by execution on the real demo warehouse, with scripted answers.

The scripted SQL is real and runs on the demo DuckDB next to the gold; some is
right but written differently, some wrong, some a projection, some refusals.
"""

from __future__ import annotations

import json

import pytest
from eval_scripted_askers import Reply, ScriptedAsker

from evals.report import suite_report
from evals.report_html import render_html
from evals.runner import run_suite
from evals.suite import Case, Suite

JUNE = "install_time::DATE BETWEEN DATE '2026-06-01' AND DATE '2026-06-30'"
GOLD_BY_PLATFORM = f"SELECT platform, COUNT(*) AS installs FROM installs WHERE {JUNE} GROUP BY platform"
GOLD_TOP3 = (
    "SELECT c.campaign_name, SUM(s.cost) AS cost FROM ad_spend s JOIN campaigns c USING (campaign_id) "
    "WHERE s.date BETWEEN DATE '2026-06-01' AND DATE '2026-06-30' GROUP BY 1 ORDER BY cost DESC LIMIT 3"
)
TOP3_ASCENDING = GOLD_TOP3.replace("ORDER BY cost DESC LIMIT 3", "ORDER BY cost DESC LIMIT 3) ORDER BY cost")

CASES = (
    Case(
        id="same_result_other_sql", question="q1", gold_sql=GOLD_BY_PLATFORM, chart="bar", tags=("installs",)
    ),
    Case(id="wrong_period", question="q2", gold_sql=GOLD_BY_PLATFORM, chart="bar", tags=("installs",)),
    Case(id="projection", question="q3", gold_sql=GOLD_BY_PLATFORM, tags=("installs", "platform")),
    Case(id="top3_ordered", question="q4", gold_sql=GOLD_TOP3, ordered=True, chart="horizontal_bar"),
    Case(id="top3_wrong_order", question="q5", gold_sql=GOLD_TOP3, ordered=True),
    Case(id="refusal_ok", question="q6", expect="refused", tags=("refusal",)),
    Case(id="refusal_but_executed", question="q7", expect="refused", tags=("refusal",)),
    Case(id="answered_instead_of_refused", question="q8", expect="refused", tags=("refusal",)),
    Case(id="clarify_ok", question="q9", expect="clarification_needed"),
    Case(id="bad_sql", question="q10", gold_sql=GOLD_BY_PLATFORM),
    Case(id="no_answer", question="q11", gold_sql=GOLD_BY_PLATFORM),
    Case(id="gold_broken", question="q12", gold_sql="SELECT nope FROM installs"),
    Case(id="crash", question="raise please", gold_sql=GOLD_BY_PLATFORM),
)
SCRIPT = {
    "q1": Reply(
        sql="SELECT COUNT(install_id), platform FROM installs "
        "WHERE install_time >= '2026-06-01' AND install_time < '2026-07-01' GROUP BY 2",
        chart="horizontal_bar",
        llm_calls=2,
    ),
    "q2": Reply(sql=GOLD_BY_PLATFORM.replace("2026-06-30", "2026-06-29"), chart="bar"),
    "q3": Reply(
        sql=f"SELECT platform, COUNT(*) AS installs, AVG(is_fraud::INT) FROM installs WHERE {JUNE} GROUP BY 1"
    ),
    "q4": Reply(sql=GOLD_TOP3, chart="horizontal_bar"),
    "q5": Reply(sql="SELECT * FROM (" + TOP3_ASCENDING),
    "q6": Reply(status="refused"),
    "q7": Reply(status="refused", sql="SELECT 1"),
    "q8": Reply(sql="SELECT 1"),
    "q9": Reply(status="clarification_needed"),
    "q10": Reply(sql="SELECT platfrm FROM installs"),
    "q11": Reply(status="error", error=("planner_failed", "could not plan")),
    "q12": Reply(sql="SELECT 1"),
}


@pytest.fixture(scope="module")
def run(duckdb_wh):
    suite = Suite(name="scorer-test", cases=CASES)
    return run_suite(suite, ScriptedAsker(dict(SCRIPT)), duckdb_wh, planner="offline")


def verdicts(run):
    return {r.case.id: (r.passed, r.score.match) for r in run.results}


def test_each_case_is_scored_by_execution(run):
    assert verdicts(run) == {
        "same_result_other_sql": (True, "exact"),
        "wrong_period": (False, "mismatch"),
        "projection": (True, "projection"),
        "top3_ordered": (True, "exact"),
        "top3_wrong_order": (False, "mismatch"),
        "refusal_ok": (True, "status"),
        "refusal_but_executed": (False, "status_mismatch"),
        "answered_instead_of_refused": (False, "status_mismatch"),
        "clarify_ok": (True, "status"),
        "bad_sql": (False, "sql_error"),
        "no_answer": (False, "status_mismatch"),
        "gold_broken": (False, "gold_error"),
        "crash": (False, "crash"),
    }


def test_failures_carry_reasons_and_row_samples(run):
    by_id = {r.case.id: r for r in run.results}
    wrong = by_id["wrong_period"].score
    assert wrong.expected_rows and wrong.got_rows and wrong.expected_rows != wrong.got_rows
    assert "platfrm" in by_id["bad_sql"].score.reason
    assert "planner_failed: could not plan" in by_id["no_answer"].score.reason
    assert "fix the suite" in by_id["gold_broken"].score.reason
    assert by_id["crash"].error == "RuntimeError: planner exploded"


def test_report_has_the_spec_fields(run):
    report = suite_report(run)
    assert report["suite"] == "scorer-test" and report["planner"] == "offline" and report["cases"] == 13
    assert report["execution_accuracy"] == round(5 / 13, 4)
    # charts: q1 answered horizontal_bar for bar (miss), q2 bar (hit), q4 horizontal_bar (hit)
    assert report["chart_accuracy"] == round(2 / 3, 4)
    assert report["llm_calls"] == 2 and report["prompt_tokens"] == 200 and report["completion_tokens"] == 20
    assert set(report["latency_ms"]) == {"p50", "p95"} and report["latency_ms"]["p50"] >= 0
    assert report["by_tag"]["refusal"]["cases"] == 3 and report["by_tag"]["refusal"]["passed"] == 1
    assert report["by_tag"]["refusal"]["accuracy"] == round(1 / 3, 4)
    assert report["by_tag"]["installs"]["cases"] == 3
    first = report["results"][0]
    for key in ("id", "status", "passed", "match", "sql", "chart", "latency_ms", "cached", "error"):
        assert key in first
    assert "expected_rows" not in first
    failed = next(r for r in report["results"] if r["id"] == "wrong_period")
    assert failed["gold_sql"] == GOLD_BY_PLATFORM and failed["expected_rows"]
    json.dumps(report)  # serialisable as is


def test_precision_of_answers_and_guard_accuracy(run):
    report = suite_report(run)
    # answered: q1 q3 q4 right; q2 q5 (wrong rows), q8 (should refuse), q10 (bad SQL), q12 (broken
    # gold) wrong. q11 (error) and the crash answered nothing, so they are not in precision.
    # guard: q6 q9 right; q7 (refused but executed SQL) and q8 (answered) wrong.
    assert report["precision_of_answers"] == round(3 / 8, 4)
    assert (report["answered_cases"], report["answered_correct"]) == (8, 3)
    assert report["guard_accuracy"] == 0.5
    assert (report["guard_cases"], report["guard_correct"]) == (4, 2)
    assert report["by_tag"]["refusal"] == {
        "cases": 3,
        "passed": 1,
        "accuracy": round(1 / 3, 4),
        "precision_of_answers": 0.0,  # q8 answered where it should have refused
        "guard_accuracy": round(1 / 3, 4),
        "answered_cases": 1,
        "answered_correct": 0,
        "guard_cases": 3,
        "guard_correct": 1,
    }
    installs = report["by_tag"]["installs"]
    assert installs["precision_of_answers"] == round(2 / 3, 4) and installs["answered_cases"] == 3
    assert installs["guard_accuracy"] is None and installs["guard_cases"] == 0


def test_follow_up_turns_are_asked_first_in_one_conversation(duckdb_wh):
    asker = ScriptedAsker({"Spend last month": Reply(sql="SELECT 1"), "just iOS": Reply(sql="SELECT 1")})
    case = Case(
        id="f", question="just iOS", conversation=("Spend last month", "by week"), gold_sql="SELECT 1"
    )
    result = run_suite(Suite(name="s", cases=(case,)), asker, duckdb_wh).results[0]
    (q1, c1), (q2, c2), (q3, c3) = asker.asked
    assert (q1, q2, q3) == ("Spend last month", "by week", "just iOS")
    assert c1 is None and c2 == c3 and c2 is not None
    assert result.passed


def test_html_report_escapes_everything(run):
    report = suite_report(run)
    report["results"][1]["question"] = "<script>alert(1)</script>"
    report["results"][1]["sql"] = "SELECT '<b>' AS x"
    html = render_html([report])
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#x27;&lt;b&gt;&#x27;" in html
    assert html.count("<details") == 13 and html.count("<details open>") == 8
    assert "class='missing'" in html


def test_gate_helper_reports_suites_below_the_floor(duckdb_wh, tmp_path):
    from evals.gate import FLOOR, evaluate_suite, shortfalls

    path = tmp_path / "s.yaml"
    path.write_text(
        "name: gate\ncases:\n"
        f'  - {{id: a, question: q1, gold_sql: "{GOLD_BY_PLATFORM}"}}\n'
        f'  - {{id: b, question: q2, gold_sql: "{GOLD_BY_PLATFORM}"}}\n'
    )
    report = evaluate_suite(path, ScriptedAsker(dict(SCRIPT)), duckdb_wh)
    assert report["execution_accuracy"] == 0.5 and FLOOR >= 0.85
    assert shortfalls([report], FLOOR) == ["gate: execution accuracy 50.0% is below 85.0%"]
    assert shortfalls([report], 0.5) == []
