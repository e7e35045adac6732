"""The result-set comparator, rule by rule as the spec states them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from evals.compare import compare_results


def kind(gold, got, *, ordered=False):
    gold_width = len(gold[0]) if gold else 1
    got_width = len(got[0]) if got else gold_width
    return compare_results(gold, gold_width, got, got_width, ordered=ordered).kind


def test_column_names_and_column_order_are_ignored():
    assert kind([("iOS", 10), ("Android", 20)], [(20, "Android"), (10, "iOS")]) == "exact"


def test_row_order_counts_only_when_ordered():
    gold = [("a", 1), ("b", 2)]
    assert kind(gold, [("b", 2), ("a", 1)]) == "exact"
    assert kind(gold, [("b", 2), ("a", 1)], ordered=True) == "mismatch"
    assert kind(gold, [("a", 1), ("b", 2)], ordered=True) == "exact"


def test_rows_are_a_multiset_duplicates_count():
    assert kind([("a",), ("a",), ("b",)], [("a",), ("b",), ("b",)]) == "mismatch"
    assert kind([("a",), ("a",), ("b",)], [("b",), ("a",), ("a",)]) == "exact"


def test_numbers_within_relative_tolerance():
    assert kind([(1_000_000.0,)], [(1_000_000.5,)]) == "exact"
    assert kind([(1_000_000.0,)], [(1_000_002.0,)]) == "mismatch"
    assert kind([(0.0,)], [(1e-10,)]) == "exact"
    assert kind([(0.0,)], [(1e-8,)]) == "mismatch"


def test_ints_decimals_and_floats_are_all_numbers():
    assert kind([(3,)], [(Decimal("3.0000000001"),)]) == "exact"
    assert kind([(True,)], [(1,)]) == "exact"


def test_dates_compare_as_iso_strings_and_midnight_timestamps_as_dates():
    assert kind([(dt.date(2026, 6, 1), 5)], [("2026-06-01", 5)]) == "exact"
    assert kind([(dt.date(2026, 6, 1), 5)], [(dt.datetime(2026, 6, 1), 5)]) == "exact"
    assert kind([(dt.date(2026, 6, 1), 5)], [(dt.datetime(2026, 6, 1, 12), 5)]) == "mismatch"


def test_null_equals_null_but_not_zero():
    assert kind([(None, 1)], [(1, None)]) == "exact"
    assert kind([(None,)], [(0,)]) == "mismatch"


def test_row_count_differs():
    verdict = compare_results([(1,), (2,)], 1, [(1,)], 1)
    assert verdict.kind == "mismatch" and "1 rows" in verdict.reason


def test_fewer_columns_than_gold_never_match():
    verdict = compare_results([("iOS", 10)], 2, [(10,)], 1)
    assert verdict.kind == "mismatch" and "columns" in verdict.reason


def test_extra_columns_are_a_projection_match():
    gold = [("iOS", 10), ("Android", 20)]
    got = [("iOS", 0.5, 10), ("Android", 0.5, 20)]
    assert compare_results(gold, 2, got, 3).kind == "projection"


def test_projection_keeps_values_of_one_row_together():
    # Column-wise the multisets agree, but the rows pair the values differently.
    gold = [("iOS", 10), ("Android", 20)]
    got = [("iOS", 20, "x"), ("Android", 10, "y")]
    assert compare_results(gold, 2, got, 3).kind == "mismatch"


def test_projection_respects_row_order_when_ordered():
    gold = [("a", 2), ("b", 1)]
    got = [("b", 1, 0), ("a", 2, 0)]
    assert compare_results(gold, 2, got, 3, ordered=False).kind == "projection"
    assert compare_results(gold, 2, got, 3, ordered=True).kind == "mismatch"


def test_empty_results_match_when_the_answer_has_the_columns():
    assert compare_results([], 1, [], 1).kind == "exact"
    assert compare_results([], 2, [], 3).kind == "projection"
    assert compare_results([], 2, [], 1).kind == "mismatch"
    assert compare_results([], 1, [(None,)], 1).kind == "mismatch"


values = st.one_of(
    st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False), st.text(max_size=5), st.none()
)
tables = st.integers(1, 4).flatmap(lambda width: st.lists(st.tuples(*[values] * width), max_size=12))


@given(tables, st.randoms(use_true_random=False))
def test_any_permutation_of_rows_and_columns_is_exact(table, rnd):
    width = len(table[0]) if table else 1
    columns = list(range(width))
    rnd.shuffle(columns)
    shuffled = [tuple(row[i] for i in columns) for row in table]
    rnd.shuffle(shuffled)
    assert compare_results(table, width, shuffled, width).kind == "exact"


@given(
    tables.filter(
        lambda t: any(isinstance(v, (int, float)) and not isinstance(v, bool) for r in t for v in r)
    )
)
def test_changing_one_number_beyond_tolerance_is_a_mismatch(table):
    width = len(table[0])
    r, c = next(
        (r, c)
        for r, row in enumerate(table)
        for c, v in enumerate(row)
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    )
    changed = [list(row) for row in table]
    changed[r][c] = table[r][c] + max(1.0, abs(table[r][c]) * 1e-3)
    assert compare_results(table, width, changed, width).kind == "mismatch"
