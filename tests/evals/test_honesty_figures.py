"""Precision of answers given and guard accuracy at their edges: nothing answered, no guard
cases, several suites, the gate and the console summary."""

from __future__ import annotations

from eval_scripted_askers import Reply, ScriptedAsker
from rich.console import Console

from evals.console import print_summary
from evals.gate import shortfalls
from evals.report import combined_report, suite_report
from evals.runner import run_suite
from evals.suite import Case, Suite

RIGHT = Reply(sql="SELECT 1")
WRONG = Reply(sql="SELECT 2")


def report_of(duckdb_wh, cases, script, name="s"):
    run = run_suite(Suite(name=name, cases=tuple(cases)), ScriptedAsker(dict(script)), duckdb_wh)
    return suite_report(run)


def answerable(case_id, question):
    return Case(id=case_id, question=question, gold_sql="SELECT 1", tags=("t",))


def one_right_one_wrong(duckdb_wh):
    cases = [answerable("a", "right"), answerable("b", "wrong")]
    return report_of(duckdb_wh, cases, {"right": RIGHT, "wrong": WRONG})


def test_nothing_answered_gives_null_precision_not_zero(duckdb_wh):
    # the scripted asker asks for clarification on questions it has no script for
    cases = [answerable("a", "unknown"), Case(id="r", question="drop it", expect="refused", tags=("t",))]
    report = report_of(duckdb_wh, cases, {"drop it": Reply(status="refused")})
    assert report["precision_of_answers"] is None
    assert (report["answered_cases"], report["answered_correct"]) == (0, 0)
    assert report["guard_accuracy"] == 1.0 and (report["guard_cases"], report["guard_correct"]) == (1, 1)
    assert report["by_tag"]["t"]["precision_of_answers"] is None
    assert report["execution_accuracy"] == 0.5


def test_no_guard_cases_gives_null_guard_accuracy(duckdb_wh):
    report = one_right_one_wrong(duckdb_wh)
    assert report["guard_accuracy"] is None and (report["guard_cases"], report["guard_correct"]) == (0, 0)
    assert report["precision_of_answers"] == 0.5


def test_a_clarification_is_not_a_wrong_answer(duckdb_wh):
    """Declining lowers execution accuracy but not precision; answering wrongly lowers both."""
    cases = [answerable("a", "right"), answerable("b", "unclear")]
    declined = report_of(duckdb_wh, cases, {"right": RIGHT})
    wrong = report_of(duckdb_wh, cases, {"right": RIGHT, "unclear": WRONG})
    assert declined["execution_accuracy"] == wrong["execution_accuracy"] == 0.5
    assert declined["precision_of_answers"] == 1.0 and wrong["precision_of_answers"] == 0.5


def test_combined_report_adds_the_counts(duckdb_wh):
    first = one_right_one_wrong(duckdb_wh)
    second = report_of(
        duckdb_wh,
        [answerable("a", "right"), Case(id="c", question="vague", expect="clarification_needed")],
        {"right": RIGHT, "vague": WRONG},  # answered a question that needed a clarification
    )
    combined = combined_report([first, second])
    assert (combined["answered_cases"], combined["answered_correct"]) == (4, 2)
    assert combined["precision_of_answers"] == 0.5
    assert (combined["guard_cases"], combined["guard_correct"], combined["guard_accuracy"]) == (1, 0, 0.0)


def test_gate_can_hold_precision_to_a_floor(duckdb_wh):
    report = one_right_one_wrong(duckdb_wh)
    assert shortfalls([report], None, min_precision=0.97) == [
        "s: precision of answers 50.0% (1 of 2 answered) is below 97.0%"
    ]
    assert shortfalls([report], None, min_precision=0.5) == []
    assert shortfalls([report], 0.5) == []  # no precision floor unless asked
    silent = report_of(duckdb_wh, [answerable("a", "unknown")], {})
    assert shortfalls([silent], None, min_precision=0.97) == ["s: answered none of its 1 questions"]
    guards_only = report_of(duckdb_wh, [Case(id="r", question="x", expect="clarification_needed")], {})
    assert shortfalls([guards_only], None, min_precision=0.97) == []


def test_console_summary_shows_both_figures_next_to_accuracy(duckdb_wh):
    report = one_right_one_wrong(duckdb_wh)
    console = Console(record=True, width=200)
    print_summary(console, report, report["by_tag"])
    text = console.export_text()
    assert "execution accuracy 50.0%" in text
    assert "precision of answers 50.0% (1 of 2 answered)" in text
    assert "guard accuracy n/a (no refusal/clarification cases)" in text
    assert "precision" in text.splitlines()[2] and "guard" in text.splitlines()[2]  # per-tag columns
