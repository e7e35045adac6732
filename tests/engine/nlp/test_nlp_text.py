"""Shared normalization and number words."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.engine.nlp.numbers import find_numbers, parse_number
from app.engine.nlp.text import blank_spans, edit_distance, fold, normalize, tokens


@given(st.text(max_size=60))
def test_fold_keeps_length_so_spans_stay_valid(text):
    assert len(fold(text)) == len(text)


def test_fold_lowercases_and_plains_typography():
    assert fold("Revenue \u2013 \u201cLast\u201d Month") == 'revenue - "last" month'
    assert fold("\uff32\uff2f\uff21\uff33") == "roas"  # full-width letters


def test_tokens_and_normalize():
    assert [t.text for t in tokens(fold("Facebook_iOS_US, v18.5!"))] == ["facebook", "ios", "us", "v18.5"]
    assert normalize("  U.S.A. ") == "u s a"
    assert tokens("ab cd")[1].start == 3


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("month", "month", 0), ("monht", "month", 1), ("yesterdy", "yesterday", 1), ("lst", "last", 1),
    ("andriod", "android", 1), ("facebok", "facebook", 1), ("abc", "xyz", 3),
])
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b, limit=3) == distance


@pytest.mark.parametrize(("text", "value"), [
    ("7", 7), ("seven", 7), ("Ten", 10), ("twenty-one", 21), ("twenty one", 21), ("ninety nine", 99),
    ("a couple of", 2), ("a dozen", 12), ("one hundred", 100), ("a hundred and five", 105),
    ("nineteen", 19), ("banana", None), ("", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_find_numbers_for_top_n():
    assert find_numbers("top ten campaigns") == [(10, (4, 7))]
    assert find_numbers("Top 5 sources and twenty-one days") == [(5, (4, 5)), (21, (18, 28))]
    assert find_numbers("a few campaigns") == []


def test_blank_spans_keeps_offsets():
    text = "revenue last month by country"
    blanked = blank_spans(text, [(8, 18), (22, 99)])
    assert blanked == "revenue            by " + " " * 7
    assert len(blanked) == len(text)
