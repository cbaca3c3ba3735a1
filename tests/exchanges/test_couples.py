"""Tests for exchanges.couples: stable placement when couples apply together."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exchanges.couples import Blocking, blocking, stable_match_with_couples
from exchanges.placement import stable_match

# Mixed-type ids on purpose: the module must never compare ids with each other.
STUDENTS = [0, "s1", ("s", 2), 3.5, "s4", 5, ("s", 6), "s7"]
ROTATIONS = ["r0", 1, ("r", 2), "r3"]
COUPLES = [("c", 0), "c1", 2]
GHOST_STUDENT = "ghost-student"  # named by rotations, applies to nothing
GHOST_ROTATION = "ghost-rotation"  # named by students, absent from rotation_prefs


@st.composite
def markets(draw, max_singles=4, max_couples=2, max_rotations=3, max_capacity=3):
    n_singles = draw(st.integers(0, max_singles))
    n_couples = draw(st.integers(0, max_couples))
    students = STUDENTS[: n_singles + 2 * n_couples]
    singles, members = students[:n_singles], students[n_singles:]
    rotations = ROTATIONS[: draw(st.integers(0, max_rotations))]
    pool = st.sampled_from([*rotations, GHOST_ROTATION])
    sp = {s: draw(st.lists(pool, max_size=4)) for s in singles}
    cp = {
        COUPLES[k]: (
            members[2 * k],
            members[2 * k + 1],
            draw(st.lists(st.tuples(pool, pool), max_size=5)),
        )
        for k in range(n_couples)
    }
    applicants = st.sampled_from([*students, GHOST_STUDENT])
    rp = {r: draw(st.lists(applicants, max_size=8)) for r in rotations}
    caps = {}
    for r in [*rotations, GHOST_ROTATION]:
        if draw(st.integers(0, 4)):  # mostly present, sometimes missing (= capacity 0)
            caps[r] = draw(st.integers(0, max_capacity))
    return sp, cp, rp, caps


FAST = settings(max_examples=300, deadline=None, database=None)


# --- properties -----------------------------------------------------------------------------


@FAST
@given(markets())
def test_placement_valid_whatever_stable_says(market):
    sp, cp, rp, caps = market
    result = stable_match_with_couples(sp, cp, rp, caps)
    assert list(result.placement) == [*sp, *(m for a, b, _ in cp.values() for m in (a, b))]
    assert {b.kind for b in blocking(result, sp, cp, rp, caps)} <= {"student", "couple"}
    for a, b, pairs in cp.values():
        here = (result.placement[a], result.placement[b])
        assert here == (None, None) or here in pairs


@FAST
@given(markets())
def test_stable_means_no_blocking_student_rotation_or_couple(market):
    sp, cp, rp, caps = market
    result = stable_match_with_couples(sp, cp, rp, caps)
    if result.stable:
        assert blocking(result, sp, cp, rp, caps) == []
        assert result.couples_involved == []


@FAST
@given(markets())
def test_unstable_names_couples_and_something_blocks(market):
    sp, cp, rp, caps = market
    result = stable_match_with_couples(sp, cp, rp, caps)
    if not result.stable:
        assert blocking(result, sp, cp, rp, caps) != []
        assert result.couples_involved
        assert result.couples_involved == [c for c in cp if c in result.couples_involved]


@FAST
@given(markets(max_couples=0))
def test_without_couples_exactly_stable_match(market):
    sp, _, rp, caps = market
    result = stable_match_with_couples(sp, {}, rp, caps)
    assert list(result.placement.items()) == list(stable_match(sp, rp, caps).items())
    assert (result.stable, result.couples_involved, result.rounds) == (True, [], 1)


@FAST
@given(markets(max_couples=0), st.integers(1, 2))
def test_couples_no_rotation_takes_leave_the_singles_as_stable_match(market, n_couples):
    sp, _, rp, caps = market
    # Couples whose pairs name rotations that do not exist: the couple code path runs, but
    # the singles' deferred acceptance must come out as stable_match's.
    cp = {
        ("ghost-couple", k): (f"x{k}", f"y{k}", [(GHOST_ROTATION, r) for r in rp])
        for k in range(n_couples)
    }
    result = stable_match_with_couples(sp, cp, rp, caps)
    expected = stable_match(sp, rp, caps)
    assert {s: result.placement[s] for s in sp} == expected
    assert all(result.placement[m] is None for a, b, _ in cp.values() for m in (a, b))
    assert (result.stable, result.rounds) == (True, 1)


@FAST
@given(markets(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_rotation_order(market, rnd):
    sp, cp, rp, caps = market
    first = stable_match_with_couples(sp, cp, rp, caps)
    assert stable_match_with_couples(sp, cp, rp, caps) == first
    rotations, capacities = list(rp.items()), list(caps.items())
    rnd.shuffle(rotations)
    rnd.shuffle(capacities)
    assert stable_match_with_couples(sp, cp, dict(rotations), dict(capacities)) == first


# --- hand-made cases ------------------------------------------------------------------------

# Roth (1984): no stable matching. Whatever happens, someone blocks.
CLASSIC = (
    {"s": ["h1", "h2"]},
    {"c": ("m1", "m2", [("h1", "h2")])},
    {"h1": ["m1", "s"], "h2": ["s", "m2"]},
    {"h1": 1, "h2": 1},
)


def test_classic_instance_has_no_stable_matching_by_brute_force():
    sp, cp, rp, caps = CLASSIC
    candidates = [
        {"s": s, "m1": m1, "m2": m2}
        for s in (None, "h1", "h2")
        for m1, m2 in ((None, None), ("h1", "h2"))
    ]
    assert all(blocking(p, sp, cp, rp, caps) for p in candidates)


def test_classic_instance_reported_unstable_with_its_couple():
    sp, cp, rp, caps = CLASSIC
    result = stable_match_with_couples(sp, cp, rp, caps)
    assert (result.stable, result.couples_involved) == (False, ["c"])
    # s at h2 and the couple out, s at h1, the couple in and s at h2 again: a cycle.
    assert result.placement == {"s": "h2", "m1": None, "m2": None}
    assert result.rounds == 3
    assert blocking(result, *CLASSIC) == [Blocking("student", "s", "h1")]


def test_classic_instance_stops_at_max_rounds():
    result = stable_match_with_couples(*CLASSIC, max_rounds=1)
    assert (result.stable, result.couples_involved, result.rounds) == (False, ["c"], 1)


def test_couple_displacing_a_couple_then_the_seat_it_left_is_filled():
    # A has 3 seats. s0 and couple c0 fill it; c1 (ranked higher) takes two of them, which
    # displaces s0 and a0; c0 withdraws b0, and the seat it leaves goes back to s0.
    sp = {"s0": ["A"]}
    cp = {"c0": ("a0", "b0", [("A", "A")]), "c1": ("a1", "b1", [("A", "A")])}
    rp = {"A": ["b1", "a1", "b0", "a0", "s0"]}
    result = stable_match_with_couples(sp, cp, rp, {"A": 3})
    assert result.placement == {"s0": "A", "a0": None, "b0": None, "a1": "A", "b1": "A"}
    assert (result.stable, result.rounds) == (True, 2)


def test_same_rotation_twice_needs_two_seats():
    cp = {"c": ("a", "b", [("A", "A"), ("B", "C")])}
    rp = {"A": ["a", "b"], "B": ["a"], "C": ["b"]}
    one_seat = stable_match_with_couples({}, cp, rp, {"A": 1, "B": 1, "C": 1})
    assert one_seat.placement == {"a": "B", "b": "C"}
    two_seats = stable_match_with_couples({}, cp, rp, {"A": 2, "B": 1, "C": 1})
    assert two_seats.placement == {"a": "A", "b": "A"}
    assert one_seat.stable and two_seats.stable


def test_couple_admission_displaces_a_single_who_moves_on():
    sp = {"s": ["A", "B"]}
    cp = {"c": ("a", "b", [("A", "C")])}
    rp = {"A": ["a", "s"], "B": ["s"], "C": ["b"]}
    result = stable_match_with_couples(sp, cp, rp, {"A": 1, "B": 1, "C": 1})
    assert result.placement == {"s": "B", "a": "A", "b": "C"}
    assert (result.stable, result.rounds) == (True, 1)


def test_couple_not_placed_when_one_rotation_refuses():
    cp = {"c": ("a", "b", [("A", "B")])}
    result = stable_match_with_couples({}, cp, {"A": ["a"], "B": ["x"]}, {"A": 1, "B": 1})
    assert result.placement == {"a": None, "b": None}
    assert result.stable


def test_blocking_couple_counts_its_own_seats_as_free():
    # Each rotation is full with the couple itself; swapping is what it prefers.
    cp = {"c": ("a", "b", [("B", "A"), ("A", "B")])}
    rp = {"A": ["a", "b"], "B": ["a", "b"]}
    placement = {"a": "A", "b": "B"}
    assert blocking(placement, {}, cp, rp, {"A": 1, "B": 1}) == [
        Blocking("couple", "c", ("B", "A"))
    ]


def test_blocking_couple_on_one_rotation_needs_room_for_both():
    cp = {"c": ("a", "b", [("A", "A"), ("B", "B")])}
    rp = {"A": ["x", "a", "b", "y"], "B": ["a", "b"]}
    sp = {"x": ["A"], "y": ["A"]}
    caps = {"A": 2, "B": 2}
    # A holds x (above both members) and one free seat: no room for the couple.
    held_by_x = {"x": "A", "y": None, "a": "B", "b": "B"}
    assert blocking(held_by_x, sp, cp, rp, caps) == [Blocking("student", "y", "A")]
    # A holds y (below both) and one free seat: the couple would take both.
    held_by_y = {"x": None, "y": "A", "a": "B", "b": "B"}
    assert Blocking("couple", "c", ("A", "A")) in blocking(held_by_y, sp, cp, rp, caps)


def test_blocking_reports_invalid_placements():
    cp = {"c": ("a", "b", [("A", "B")])}
    rp = {"A": ["a", "s"], "B": ["b"]}
    found = blocking({"s": "B", "a": "A", "b": None}, {"s": ["A"]}, cp, rp, {"A": 1, "B": 0})
    assert found[:3] == [
        Blocking("over_capacity", "B", None),
        Blocking("unacceptable", "s", "B"),
        Blocking("apart", "c", ("A", None)),
    ]


def test_result_is_frozen():
    result = stable_match_with_couples(*CLASSIC)
    with pytest.raises(AttributeError, match="cannot assign"):
        result.stable = True


@pytest.mark.parametrize(
    ("sp", "cp", "match"),
    [
        ({"a": []}, {"c": ("a", "b", [])}, "applies twice"),
        ({}, {"c": ("a", "a", [])}, "applies twice"),
        ({}, {"c": ("a", "b", []), "d": ("b", "e", [])}, "applies twice"),
        ({}, {"c": ("a", "b", [("A", "B", "C")])}, "not two rotations"),
    ],
)
def test_invalid_couples_refused(sp, cp, match):
    with pytest.raises(ValueError, match=match):
        stable_match_with_couples(sp, cp, {}, {})


def test_max_rounds_at_least_one():
    with pytest.raises(ValueError, match="max_rounds must be at least 1"):
        stable_match_with_couples({}, {}, {}, {}, max_rounds=0)


def test_every_stable_result_on_tiny_markets_is_one_brute_force_accepts():
    # Exhaustively on a fixed small market: the checker's verdict on every valid placement
    # agrees with "stable" for the one the algorithm returns.
    sp = {"s": ["A", "B"], "t": ["B", "A"]}
    cp = {"c": ("a", "b", [("A", "B"), ("B", "B"), ("A", "A")])}
    rp = {"A": ["a", "t", "s", "b"], "B": ["s", "b", "a", "t"]}
    caps = {"A": 2, "B": 2}
    result = stable_match_with_couples(sp, cp, rp, caps)
    options = [None, "A", "B"]
    stable = []
    for s, t, pair in itertools.product(options, options, [None, *cp["c"][2]]):
        a, b = pair or (None, None)
        placement = {"s": s, "t": t, "a": a, "b": b}
        if not blocking(placement, sp, cp, rp, caps):
            stable.append(placement)
    assert result.stable
    assert result.placement in stable
