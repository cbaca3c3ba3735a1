"""Tests for mentorship.matching: optimal mentee-mentor assignment."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorship.matching import assign_mentors

# Mixed-type ids on purpose: the module must never compare ids with each other.
MENTEES = ["e0", 1, ("e", 2), 3.5, "e4"]
MENTORS = ["M0", 10, ("m", 2)]

SMALL_INTEGERS = st.integers(-3, 9)
FAST = settings(max_examples=200, deadline=None, database=None)


def brute_force(scores, capacities, pins):
    """Best (total, matched count) over assignments containing the pins, or None."""
    mentees = list(dict.fromkeys(e for e, _ in scores))
    pinned = dict(pins)
    options = [
        [pinned[e]] if e in pinned else [None] + [m for (x, m) in scores if x == e] for e in mentees
    ]
    best = None
    for combo in itertools.product(*options):
        loads = {}
        for m in combo:
            if m is not None:
                loads[m] = loads.get(m, 0) + 1
        if any(n > capacities.get(m, 0) for m, n in loads.items()):
            continue
        total = sum(scores[(e, m)] for e, m in zip(mentees, combo, strict=True) if m is not None)
        count = sum(m is not None for m in combo)
        if best is None or (total, count) > best:
            best = (total, count)
    return best


def pins_valid(scores, capacities, pins):
    chosen = {}
    for e, m in pins:
        if (e, m) not in scores or chosen.get(e, m) != m:
            return False
        chosen[e] = m
    loads = {}
    for m in chosen.values():
        loads[m] = loads.get(m, 0) + 1
    return all(n <= capacities.get(m, 0) for m, n in loads.items())


def summary(result, scores):
    total = sum(scores[(e, m)] for e, m in result.items() if m is not None)
    return total, sum(m is not None for m in result.values())


def check_valid(result, scores, capacities, pins):
    assert list(result) == list(dict.fromkeys(e for e, _ in scores))
    for e, m in result.items():
        assert m is None or (e, m) in scores
    for m in set(result.values()) - {None}:
        assert sum(x == m for x in result.values()) <= capacities.get(m, 0)
    for e, m in pins:
        assert result[e] == m


@st.composite
def instances(draw, values=SMALL_INTEGERS):
    mentees = MENTEES[: draw(st.integers(0, 5))]
    mentors = MENTORS[: draw(st.integers(0, 3))]
    pairs = list(itertools.product(mentees, mentors))
    scores = {p: draw(values) for p in pairs if draw(st.integers(0, 2))}
    # Some capacities missing (= 0) and one for a mentor that never appears.
    capacities = {
        m: draw(st.integers(0, 2)) for m in [*mentors, "nobody"] if draw(st.integers(0, 4))
    }
    pins = []
    if pairs and draw(st.integers(0, 2)) == 0:
        pins = draw(st.lists(st.sampled_from(pairs), max_size=3))
    return scores, capacities, pins


@FAST
@given(instances())
def test_optimal_against_brute_force(instance):
    scores, capacities, pins = instance
    if not pins_valid(scores, capacities, pins):
        with pytest.raises(ValueError, match="pinned"):
            assign_mentors(scores, capacities, pinned=pins)
        return
    result = assign_mentors(scores, capacities, pinned=pins)
    check_valid(result, scores, capacities, pins)
    assert summary(result, scores) == brute_force(scores, capacities, pins)
    pinned_pairs = set(pins)
    for e, m in result.items():
        if m is not None and (e, m) not in pinned_pairs:
            assert scores[(e, m)] >= 0  # negative pairs only ever come from pins


@FAST
@given(instances(values=st.integers(-8, 40).map(lambda n: n / 8)))
def test_dyadic_fractions_are_exact(instance):
    scores, capacities, pins = instance
    if pins_valid(scores, capacities, pins):
        result = assign_mentors(scores, capacities, pinned=pins)
        assert summary(result, scores) == brute_force(scores, capacities, pins)


@settings(max_examples=100, deadline=None, database=None)
@given(instances(values=st.floats(-5, 5, allow_nan=False, allow_infinity=False)))
def test_floats_within_documented_rounding(instance):
    scores, capacities, pins = instance
    if pins_valid(scores, capacities, pins):
        result = assign_mentors(scores, capacities, pinned=pins)
        check_valid(result, scores, capacities, pins)
        total, _ = summary(result, scores)
        assert total == pytest.approx(brute_force(scores, capacities, pins)[0], abs=1e-6)


@FAST
@given(instances())
def test_deterministic(instance):
    scores, capacities, pins = instance
    if pins_valid(scores, capacities, pins):
        first = assign_mentors(scores, capacities, pinned=pins)
        again = assign_mentors(dict(scores), dict(reversed(capacities.items())), pinned=pins)
        assert list(again.items()) == list(first.items())


def test_example_exact():
    scores = {
        ("ana", "X"): 5,
        ("ben", "X"): 4,
        ("ben", "Y"): 1,
        ("cai", "Y"): 0,  # zero: assigned when a seat is free
        ("dan", "Y"): -2,  # negative: never assigned
        ("eve", "Z"): 7,  # Z has no capacity entry: 0 seats
    }
    capacities = {"X": 1, "Y": 2}
    assert assign_mentors(scores, capacities) == {
        "ana": "X",
        "ben": "Y",
        "cai": "Y",
        "dan": None,
        "eve": None,
    }


def test_optimum_is_not_greedy():
    # Greedy would give ana the 10 and leave ben with nothing; 9 + 9 is better.
    scores = {("ana", "X"): 10, ("ana", "Y"): 9, ("ben", "X"): 9}
    assert assign_mentors(scores, {"X": 1, "Y": 1}) == {"ana": "Y", "ben": "X"}


def test_pins():
    scores = {("ana", "X"): 10, ("ana", "Y"): 9, ("ben", "X"): 9, ("cai", "Y"): -1}
    caps = {"X": 1, "Y": 1}
    assert assign_mentors(scores, caps, pinned=[("ana", "X")]) == {
        "ana": "X",
        "ben": None,
        "cai": None,
    }
    assert assign_mentors(scores, caps, pinned=[("cai", "Y"), ("cai", "Y")]) == {
        "ana": "X",
        "ben": None,
        "cai": "Y",
    }
    with pytest.raises(ValueError, match="not an eligible pair"):
        assign_mentors(scores, caps, pinned=[("ben", "Y")])
    with pytest.raises(ValueError, match="pinned to both"):
        assign_mentors(scores, caps, pinned=[("ana", "X"), ("ana", "Y")])
    with pytest.raises(ValueError, match="more times than their capacity"):
        assign_mentors(scores, caps, pinned=[("ana", "X"), ("ben", "X")])
    with pytest.raises(ValueError, match="not an eligible pair"):
        assign_mentors({}, caps, pinned=[("ana", "X")])


def test_edge_cases():
    assert assign_mentors({}, {}) == {}
    assert assign_mentors({("a", "M"): 1}, {}) == {"a": None}
    with pytest.raises(ValueError, match="negative"):
        assign_mentors({("a", "M"): 1}, {"M": -1})
    with pytest.raises(TypeError, match="integer"):
        assign_mentors({("a", "M"): 1}, {"M": 1.5})
    with pytest.raises(ValueError, match="finite"):
        assign_mentors({("a", "M"): math.inf}, {"M": 1})
    with pytest.raises(TypeError, match="real number"):
        assign_mentors({("a", "M"): "good"}, {"M": 1})
    with pytest.raises(TypeError, match="real number"):
        assign_mentors({("a", "M"): "7", ("b", "M"): 10**30}, {"M": 1})


def test_tiny_negative_score_is_not_rounded_into_an_assignment():
    scores = {("a", "M"): 5.0, ("b", "N"): -1e-12}
    assert assign_mentors(scores, {"M": 1, "N": 1}) == {"a": "M", "b": None}


def test_large_and_tiny_scores():
    big = {("a", "M"): 10**15, ("a", "N"): 3 * 10**15}
    assert assign_mentors(big, {"M": 1, "N": 1}) == {"a": "N"}
    tiny = {("a", "M"): 1e-12, ("a", "N"): 3e-12}
    assert assign_mentors(tiny, {"M": 1, "N": 1}) == {"a": "N"}
