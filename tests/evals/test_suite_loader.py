"""Suite files validate into typed cases; mistakes name the file, case and field."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from evals.suite import SuiteError, load_suite


def write(tmp_path, text: str):
    path = tmp_path / "suite.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_loads_cases_with_defaults(tmp_path):
    suite = load_suite(
        write(
            tmp_path,
            """
        name: mini
        as_of: 2026-07-01
        cases:
          - id: spend
            question: "Spend last month"
            gold_sql: "SELECT 1"
            chart: kpi
            tags: [cost]
          - id: follow
            conversation: ["Installs by platform last month"]
            question: "only Android"
            gold_sql: "SELECT 2"
            ordered: true
          - id: nope
            question: "drop everything"
            expect: refused
    """,
        )
    )
    assert suite.name == "mini" and suite.warehouse == "demo" and suite.as_of == dt.date(2026, 7, 1)
    spend, follow, nope = suite.cases
    assert (spend.expect, spend.ordered, spend.chart, spend.tags) == ("answered", False, "kpi", ("cost",))
    assert follow.conversation == ("Installs by platform last month",) and follow.ordered
    assert nope.expect == "refused" and nope.gold_sql is None
    assert suite.tags() == ["cost"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  - id: a\n    question: q\n", "cases[0] (id a): case: Value error, gold_sql is required"),
        (
            "  - id: a\n    question: q\n    expect: refused\n    gold_sql: SELECT 1\n",
            "gold_sql must be left out",
        ),
        (
            "  - id: a\n    question: q\n    gold_sql: SELECT 1\n    orderd: true\n",
            "cases[0] (id a): orderd: Extra inputs",
        ),
        (
            "  - id: a\n    question: q\n    gold_sql: SELECT 1\n    chart: donut\n",
            "cases[0] (id a): chart: Input should be",
        ),
        (
            "  - id: a\n    question: q\n    gold_sql: SELECT 1\n    expect: maybe\n",
            "cases[0] (id a): expect",
        ),
        (
            ("  - id: a\n    question: q\n    gold_sql: SELECT 1\n"
             "  - id: a\n    question: r\n    gold_sql: SELECT 2\n"),
            "repeated: a",
        ),
        ("  - id: 'has space'\n    question: q\n    gold_sql: SELECT 1\n", "cases[0] (id has space): id"),
        (
            "  - id: a\n    question: q\n    gold_sql: SELECT 1\n    conversation: ['']\n",
            "conversation turns",
        ),
    ],
)
def test_invalid_cases_are_reported_precisely(tmp_path, body, message):
    path = write(tmp_path, "name: bad\ncases:\n" + body)
    with pytest.raises(SuiteError) as caught:
        load_suite(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_a_suite_without_cases_is_refused(tmp_path):
    with pytest.raises(SuiteError, match="cases"):
        load_suite(write(tmp_path, "name: empty\ncases: []\n"))


def test_not_yaml_not_a_mapping_and_missing_file(tmp_path):
    with pytest.raises(SuiteError, match="not valid YAML"):
        load_suite(write(tmp_path, "name: [unclosed\n"))
    with pytest.raises(SuiteError, match="a suite is a mapping"):
        load_suite(write(tmp_path, "- just\n- a list\n"))
    with pytest.raises(SuiteError, match="cannot read suite"):
        load_suite(tmp_path / "absent.yaml")
