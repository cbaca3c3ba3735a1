"""Tests for mentorship.matching: optimal mentee-mentor assignment."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorship import matching
from mentorship.matching import assign_mentors, assign_pairs

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


def as_arrays(scores, capacities, pins):
    """The instance as `assign_pairs` takes it: indices, scores, capacities, pin positions."""
    keys = list(scores)
    mentees = list(dict.fromkeys(e for e, _ in keys))
    mentors = list(dict.fromkeys(m for _, m in keys))
    return (
        np.array([mentees.index(e) for e, _ in keys], dtype=np.int64),
        np.array([mentors.index(m) for _, m in keys], dtype=np.int64),
        np.array([scores[k] for k in keys]),
        np.array([capacities.get(m, 0) for m in mentors], dtype=np.int64),
        sorted({keys.index(p) for p in pins}),
    )


def chosen_summary(chosen, scores):
    picked = [k for k, c in zip(scores, chosen.tolist(), strict=True) if c]
    return sum(scores[k] for k in picked), len(picked)


@FAST
@given(instances(), st.sampled_from([1, 2, 3, 20_000]))
def test_arrays_optimal_whether_parts_are_solved_apart_or_together(instance, per_flow):
    scores, capacities, pins = instance
    if not scores or not pins_valid(scores, capacities, pins):
        return
    mentees, mentors, values, seats, positions = as_arrays(scores, capacities, pins)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "_PAIRS_PER_FLOW", per_flow)
        chosen = assign_pairs(mentees, mentors, values, seats, pinned=positions)

    assert chosen[positions].all()
    assert np.bincount(mentees[chosen], minlength=mentees.max() + 1).max(initial=0) <= 1
    assert (np.bincount(mentors[chosen], minlength=seats.size) <= seats).all()
    assert chosen_summary(chosen, scores) == brute_force(scores, capacities, pins)


def test_many_independent_parts_give_the_optimum_of_each_part():
    rng = np.random.default_rng(7)
    parts = []
    for size in [40, 900, 3, 1_500, 1, 700, 1_200, 60, 2_000, 5]:  # mentees per part
        n_mentors = max(1, size // 10)
        mentees = np.repeat(np.arange(size), n_mentors)
        mentors = np.tile(np.arange(n_mentors), size)
        keep = rng.random(mentees.size) < 0.6
        parts.append(
            (
                mentees[keep],
                mentors[keep],
                rng.integers(0, 10_000, keep.sum()),
                rng.integers(0, 7, n_mentors),
            )
        )
    # The same parts in one round, their indices shifted apart: more pairs than one flow takes.
    shift_e = np.cumsum([0] + [int(p[0].max(initial=-1)) + 1 for p in parts])
    shift_m = np.cumsum([0] + [p[3].size for p in parts])
    whole = [np.concatenate(x) for x in zip(*parts, strict=True)]
    whole[0] = np.concatenate([p[0] + s for p, s in zip(parts, shift_e, strict=False)])
    whole[1] = np.concatenate([p[1] + s for p, s in zip(parts, shift_m, strict=False)])
    assert whole[0].size > matching._PAIRS_PER_FLOW

    chosen = assign_pairs(*whole)

    expected = sum(int(p[2][assign_pairs(*p)].sum()) for p in parts)
    assert int(whole[2][chosen].sum()) == expected
    assert np.bincount(whole[0][chosen]).max() == 1
    assert (np.bincount(whole[1][chosen], minlength=whole[3].size) <= whole[3]).all()


def test_arrays_refuse_what_the_mapping_form_refuses():
    mentees, mentors = np.array([0, 0, 1]), np.array([0, 1, 0])
    scores, seats = np.array([5, 4, 3]), np.array([1, 1])
    with pytest.raises(ValueError, match="pinned to both"):
        assign_pairs(mentees, mentors, scores, seats, pinned=[0, 1])
    with pytest.raises(ValueError, match="more times than their capacity"):
        assign_pairs(mentees, mentors, scores, seats, pinned=[0, 2])
    with pytest.raises(ValueError, match="not an eligible pair"):
        assign_pairs(mentees, mentors, scores, seats, pinned=[3])
    with pytest.raises(ValueError, match="out of range"):
        assign_pairs(mentees, mentors + 1, scores, seats)
    with pytest.raises(ValueError, match="negative"):
        assign_pairs(mentees, mentors, scores, np.array([1, -1]))
    with pytest.raises(TypeError, match="integer"):
        assign_pairs(mentees, mentors, scores, np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="finite"):
        assign_pairs(mentees, mentors, np.array([5, np.nan, 3]), seats)
    assert assign_pairs(mentees, mentors, scores, seats, pinned=[2]).tolist() == [
        False,
        True,
        True,
    ]
