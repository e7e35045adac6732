"""Which cells to hide: the small ones, then enough others that no total isolates them."""
from __future__ import annotations

from itertools import combinations

from app.engine.privacy.suppression import cells_to_hide

K = 5


def test_a_small_cell_and_the_smallest_other_one_are_hidden():
    cells = {("US",): (40,), ("BR",): (9,), ("GB",): (2,), ("FR",): (7,)}
    hidden = cells_to_hide(cells, list(cells), K)
    assert hidden == {("GB",), ("FR",)}  # total - shown rows = GB + FR: 9 people, not GB's 2


def test_nothing_is_hidden_when_every_cell_is_large_enough_or_empty():
    cells = {("US",): (40,), ("BR",): (5,), ("GB",): (0,)}
    assert cells_to_hide(cells, list(cells), K) == set()


def test_cells_cut_by_a_limit_count_as_hidden():
    cells = {("US",): (40,), ("BR",): (9,), ("GB",): (2,)}
    # top 2: the total minus them is GB alone, so BR goes too
    assert cells_to_hide(cells, [("US",), ("BR",)], K) == {("BR",)}
    cells[("FR",)] = (30,)  # the cut rows stand for 32 people together: nothing to add
    assert cells_to_hide(cells, [("US",), ("BR",)], K) == set()


def test_every_part_of_a_cell_is_held_to_k():
    # (installs' people, payers): the second part is small in BR
    cells = {("US",): (40, 30), ("BR",): (9, 1), ("FR",): (8, 0)}
    assert cells_to_hide(cells, list(cells), K) == {("BR",), ("US",)}  # FR has no payers to add


def _margins_hold(cells, hidden, k):
    dims = len(next(iter(cells)))
    for size in range(dims):
        for kept in combinations(range(dims), size):
            groups = {}
            for key in cells:
                groups.setdefault(tuple(key[i] for i in kept), []).append(key)
            for members in groups.values():
                largest = max((cells[key][0] for key in members if key in hidden), default=0)
                shown_people = [key for key in members if key not in hidden and cells[key][0] > 0]
                if 0 < largest < k and shown_people:
                    return False
    return True


def test_both_margins_of_a_two_dimensional_answer_are_protected():
    cells = {("US", "iOS"): (50,), ("US", "Android"): (45,), ("BR", "iOS"): (3,),
             ("BR", "Android"): (30,), ("GB", "iOS"): (12,), ("GB", "Android"): (20,)}
    hidden = cells_to_hide(cells, list(cells), K)
    # one more in its country (BR, Android) and one in its platform (GB, iOS); the total then holds too
    assert hidden == {("BR", "iOS"), ("BR", "Android"), ("GB", "iOS")}
    assert _margins_hold(cells, hidden, K)
    assert all(cells[key][0] >= K for key in set(cells) - hidden)
