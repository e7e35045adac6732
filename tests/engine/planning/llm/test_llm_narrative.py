"""The LLM narrative keeps a summary only when every number comes from the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from fake_chat import prose, scripted

from app.engine.planning.llm.narrative import LLMNarrator
from app.engine.planning.llm.number_check import numbers_in_text, unsupported_numbers

ROWS = [["Facebook_iOS_US_Lookalike", 4.2137, 1234567.0, 0.0812], ["c007_TikTok", 3.0921, 987.0, 0.1]]


@pytest.mark.parametrize(
    "text",
    [
        "Facebook_iOS_US_Lookalike leads with ROAS 4.21.",
        "ROAS 4.2 and 3.1.",
        "Revenue reached $1.23M, or 1,234,567 USD.",
        "Revenue was 1.2 million.",
        "A fraud rate of 8.1% (8.12 percent).",
        "The second campaign spent 987 and fell 10%.",
        "No digits at all.",
    ],
)
def test_rounded_row_values_are_supported(text):
    assert unsupported_numbers(text, ROWS) == []


@pytest.mark.parametrize(
    "text, missing",
    [
        ("Together they made 7.31 ROAS.", ["7.31"]),  # a sum
        ("ROAS 4.22 leads.", ["4.22"]),  # wrong rounding
        ("Revenue was 1.3M.", ["1.3M"]),
        ("About 120,000 installs.", ["120,000"]),  # rounding away integer digits is not checkable
        ("Fraud 9%.", ["9%"]),
    ],
)
def test_invented_or_computed_numbers_are_reported(text, missing):
    assert unsupported_numbers(text, ROWS) == missing


def test_digits_inside_names_are_not_numbers_and_dates_are_literal():
    rows = [[dt.date(2026, 6, 1), 12.5]]
    assert [n.shown for n in numbers_in_text("c007 and D7 retention, 12.5")] == ["12.5"]
    assert unsupported_numbers("On 2026-06-01 (June 1, 2026) it was 12.5.", rows) == []
    assert unsupported_numbers("On June 2, 2026 it was 12.5.", rows) == ["2"]


def narrator(*replies):
    return LLMNarrator(scripted(*replies), provider_label="fake/narrator")


def test_a_supported_summary_is_kept_with_its_usage():
    text = "Facebook_iOS_US_Lookalike has the top ROAS, 4.21; the top 2 are shown."
    summary, usage = narrator(prose(text, tokens=(200, 30))).summarize(
        "Top 2 campaigns by ROAS", ["campaign_name", "roas", "revenue", "fraud_rate"], ROWS, "TEMPLATE"
    )
    assert summary == text  # "2" is in the question
    assert usage.to_contract() == {"llm_calls": 1, "prompt_tokens": 200, "completion_tokens": 30}


def test_an_unsupported_number_falls_back_to_the_template_but_still_counts_usage():
    summary, usage = narrator(prose("Average ROAS was 3.65.")).summarize(
        "ROAS?", ["c", "roas"], ROWS, "TEMPLATE"
    )
    assert summary == "TEMPLATE" and usage.llm_calls == 1


def test_no_rows_means_no_llm_call():
    model = scripted()
    summary, usage = LLMNarrator(model, provider_label="x").summarize("q", ["a"], [], "No rows.")
    assert (summary, usage.llm_calls, model.received) == ("No rows.", 0, [])


def test_the_prompt_holds_the_question_columns_and_rows():
    model = scripted(prose("4.21"))
    LLMNarrator(model, provider_label="x").summarize(
        "Top ROAS", [{"name": "campaign_name"}, {"name": "roas"}], ROWS[:1], "T"
    )
    system, user = model.received[0]
    assert "every number you write" in system.content
    assert "Question: Top ROAS" in user.content and "Columns: campaign_name, roas" in user.content
    assert "Facebook_iOS_US_Lookalike\t4.2137" in user.content


def test_a_failing_provider_falls_back_to_the_template_after_one_retry():
    class ServiceUnavailable(Exception):
        status_code = 503

    class DownModel:
        calls = 0

        def invoke(self, messages):
            self.calls += 1
            raise ServiceUnavailable("unavailable")

    model, sleeps = DownModel(), []
    summary, usage = LLMNarrator(model, provider_label="x", sleep=sleeps.append).summarize(
        "q", ["a"], [[1]], "T"
    )
    assert (summary, usage.llm_calls, model.calls, sleeps) == ("T", 0, 2, [0.5])
