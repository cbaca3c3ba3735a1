"""Tests for applications.algorithms: reviewer assignment and score normalisation."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.algorithms.assignment import assign_reviewers
from applications.algorithms.normalisation import normalize_scores, score_spread

# Mixed-type ids on purpose: the module must never compare ids with each other.
APPS = ["A1", 2, ("app", 3), 4.5]
REVIEWERS = [10, "R2", ("rev", 3), "R4"]

SMALL_INTEGERS = st.integers(-3, 9)
FAST = settings(max_examples=200, deadline=None, database=None)


# --- assign_reviewers -------------------------------------------------------------------


def brute_force(apps, revs, k, conflicts, affinity):
    """Best total over all valid assignments, or None if there is none."""
    if not apps:
        return 0
    blocked = set(conflicts)
    options = [
        list(itertools.combinations([r for r in revs if (a, r) not in blocked], k)) for a in apps
    ]
    total_reviews = len(apps) * k
    if not revs:
        return None if total_reviews else 0
    low, high = total_reviews // len(revs), -(-total_reviews // len(revs))
    best = None
    for choice in itertools.product(*options):
        loads = dict.fromkeys(revs, 0)
        for chosen in choice:
            for r in chosen:
                loads[r] += 1
        if all(low <= n <= high for n in loads.values()):
            total = sum(
                affinity.get((a, r), 0)
                for a, chosen in zip(apps, choice, strict=True)
                for r in chosen
            )
            best = total if best is None else max(best, total)
    return best


def check_valid(result, apps, revs, k, conflicts):
    assert list(result) == apps
    blocked = set(conflicts)
    loads = dict.fromkeys(revs, 0)
    for a, chosen in result.items():
        assert len(chosen) == k == len(set(chosen))
        assert all((a, r) not in blocked for r in chosen)
        assert chosen == [r for r in revs if r in chosen]  # reviewer input order
        for r in chosen:
            loads[r] += 1
    if apps and revs:
        total_reviews = len(apps) * k
        low, high = total_reviews // len(revs), -(-total_reviews // len(revs))
        assert all(low <= n <= high for n in loads.values())


@st.composite
def assignment_instances(draw, values=SMALL_INTEGERS):
    apps = APPS[: draw(st.integers(0, 4))]
    revs = REVIEWERS[: draw(st.integers(0, 4))]
    k = draw(st.integers(0, 2))
    pairs = list(itertools.product(apps, revs))
    conflicts = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    affinity = {p: draw(values) for p in pairs if draw(st.booleans())}
    return apps, revs, k, conflicts, affinity


def total_affinity(result, affinity):
    return sum(affinity.get((a, r), 0) for a, chosen in result.items() for r in chosen)


@FAST
@given(assignment_instances())
def test_optimal_and_raises_exactly_when_infeasible(instance):
    apps, revs, k, conflicts, affinity = instance
    best = brute_force(apps, revs, k, conflicts, affinity)
    if best is None:
        with pytest.raises(ValueError, match=r"exceeds|without a conflict|balanced loads"):
            assign_reviewers(apps, revs, k, conflicts, affinity)
        return
    result = assign_reviewers(apps, revs, k, conflicts, affinity)
    check_valid(result, apps, revs, k, conflicts)
    assert total_affinity(result, affinity) == best


@FAST
@given(assignment_instances(values=st.integers(-12, 40).map(lambda n: n / 4)))
def test_dyadic_fractions_are_exact(instance):
    apps, revs, k, conflicts, affinity = instance
    best = brute_force(apps, revs, k, conflicts, affinity)
    if best is not None:
        result = assign_reviewers(apps, revs, k, conflicts, affinity)
        assert total_affinity(result, affinity) == best


@settings(max_examples=100, deadline=None, database=None)
@given(assignment_instances(values=st.floats(-5, 5, allow_nan=False, allow_infinity=False)))
def test_arbitrary_floats_within_documented_rounding(instance):
    apps, revs, k, conflicts, affinity = instance
    best = brute_force(apps, revs, k, conflicts, affinity)
    if best is not None:
        result = assign_reviewers(apps, revs, k, conflicts, affinity)
        check_valid(result, apps, revs, k, conflicts)
        assert total_affinity(result, affinity) == pytest.approx(best, abs=1e-6)


@FAST
@given(assignment_instances())
def test_deterministic(instance):
    apps, revs, k, conflicts, affinity = instance
    try:
        first = assign_reviewers(apps, revs, k, conflicts, affinity)
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error))):
            assign_reviewers(apps, revs, k, conflicts, affinity)
        return
    # Same content given in another dict/set order must not change the outcome either.
    again = assign_reviewers(
        apps, revs, k, list(reversed(conflicts)), dict(reversed(list(affinity.items())))
    )
    assert list(again.items()) == list(first.items())


def test_example_balance_beats_popularity():
    # Everybody prefers R1, but each reviewer must take exactly one application.
    affinity = {("a", "R1"): 9, ("a", "R2"): 1, ("b", "R1"): 5, ("b", "R2"): 4}
    assert assign_reviewers(["a", "b"], ["R1", "R2"], 1, affinity=affinity) == {
        "a": ["R1"],
        "b": ["R2"],
    }
    # ... and the trade is made where it costs least: b loses 1, a would lose 8.
    affinity[("b", "R1")] = 9
    affinity[("a", "R1")] = 5
    affinity[("a", "R2")] = 4
    assert assign_reviewers(["a", "b"], ["R1", "R2"], 1, affinity=affinity) == {
        "a": ["R2"],
        "b": ["R1"],
    }


def test_example_loads_floor_and_ceil():
    apps = [f"A{i}" for i in range(5)]
    result = assign_reviewers(apps, ["x", "y", "z"], 2, conflicts=[("A0", "x")])
    loads = {r: sum(r in chosen for chosen in result.values()) for r in "xyz"}
    assert sorted(loads.values()) == [3, 3, 4]
    assert result["A0"] == ["y", "z"]


def test_edge_cases():
    assert assign_reviewers([], [], 3) == {}
    assert assign_reviewers([], ["r"], 1) == {}
    assert assign_reviewers(["a", "b"], [], 0) == {"a": [], "b": []}
    # Duplicates count once; unknown ids in conflicts and affinity are ignored.
    assert assign_reviewers(
        ["a", "a"],
        ["r", "s", "r"],
        1,
        conflicts=[("a", "r"), ("zz", "s")],
        affinity={("q", "s"): 5},
    ) == {"a": ["s"]}
    with pytest.raises(ValueError, match="non-negative"):
        assign_reviewers(["a"], ["r"], -1)
    with pytest.raises(TypeError, match="integer"):
        assign_reviewers(["a"], ["r"], 1.5)
    with pytest.raises(TypeError, match="real number"):
        assign_reviewers(["a"], ["r"], 1, affinity={("a", "r"): "high"})
    with pytest.raises(TypeError, match="real number"):
        assign_reviewers(["a"], ["r"], 1, affinity={("a", "r"): "7"})
    with pytest.raises(ValueError, match="finite"):
        assign_reviewers(["a"], ["r"], 1, affinity={("a", "r"): math.nan})


def test_large_integer_affinities_are_scaled():
    affinity = {("a", "r"): 10**15, ("a", "s"): 3 * 10**15}
    assert assign_reviewers(["a"], ["r", "s"], 1, affinity=affinity) == {"a": ["s"]}


def test_message_too_few_reviewers():
    with pytest.raises(
        ValueError, match=r"per_application \(4\) exceeds the number of reviewers \(3\)"
    ):
        assign_reviewers(["a"], ["r", "s", "t"], 4)


def test_message_application_with_too_many_conflicts():
    with pytest.raises(
        ValueError, match="application 'A17' has only 2 reviewers without a conflict but needs 3"
    ):
        assign_reviewers(
            ["A1", "A17"],
            ["r", "s", "t", "u"],
            3,
            conflicts=[("A17", "u"), ("A1", "r"), ("A17", "t")],
        )


def test_message_reviewer_below_minimum_load():
    with pytest.raises(
        ValueError, match=r"balanced loads.*reviewer 'u' has no conflict with only 1"
    ):
        assign_reviewers(
            ["a", "b", "c", "d"], ["r", "u"], 1, conflicts=[("b", "u"), ("c", "u"), ("d", "u")]
        )


def test_message_group_of_applications():
    # a, b, c can only use r and s, who may take one review each.
    conflicts = [(a, r) for a in "abc" for r in ("t", "u")]
    with pytest.raises(ValueError, match=r"applications 'a', 'b', 'c' need 3 reviews together"):
        assign_reviewers(list("abcd"), ["r", "s", "t", "u"], 1, conflicts=conflicts)


def test_message_group_of_reviewers():
    # t and u must each review something, but both can only review a, which needs one.
    conflicts = [(a, r) for a in "bcdef" for r in ("t", "u")]
    with pytest.raises(ValueError, match=r"reviewers 't', 'u' must take at least 1 review each"):
        assign_reviewers(list("abcdef"), ["r", "s", "x", "t", "u"], 1, conflicts=conflicts)


# --- normalize_scores ---------------------------------------------------------------------


@st.composite
def score_tables(draw):
    reviewers = ["R1", 2, ("r", 3)][: draw(st.integers(1, 3))]
    apps = APPS[: draw(st.integers(1, 4))]
    pairs = draw(
        st.lists(st.sampled_from(list(itertools.product(reviewers, apps))), min_size=1, unique=True)
    )
    return {p: draw(st.integers(0, 10)) for p in pairs}


@FAST
@given(
    score_tables(),
    st.data(),
    st.floats(0.1, 10),
    st.floats(-50, 50),
)
def test_normalisation_is_invariant_to_one_reviewers_affine_change(scores, data, a, b):
    reviewer = data.draw(st.sampled_from(sorted({r for r, _ in scores}, key=repr)))
    changed = {(r, app): (a * s + b if r == reviewer else s) for (r, app), s in scores.items()}
    before, after = normalize_scores(scores), normalize_scores(changed)
    assert list(before) == list(after) == list(dict.fromkeys(app for _, app in scores))
    for app in before:
        assert after[app] == pytest.approx(before[app], abs=1e-9)


@FAST
@given(score_tables(), st.randoms(use_true_random=False))
def test_normalisation_is_deterministic_and_order_free(scores, rnd):
    items = list(scores.items())
    rnd.shuffle(items)
    assert normalize_scores(dict(items)) == normalize_scores(scores)
    assert list(normalize_scores(scores).items()) == list(normalize_scores(scores).items())


def test_normalisation_example_exact():
    scores = {
        ("r1", "a"): 1,
        ("r1", "b"): 3,
        ("r2", "a"): 7,
        ("r2", "b"): 7,  # no spread: contributes 0
        ("r3", "c"): 2,  # single score: contributes 0
    }
    assert normalize_scores(scores) == {"a": -0.5, "b": 0.5, "c": 0.0}


def test_normalisation_harsh_and_lenient_reviewers_agree():
    harsh = {("h", "x"): 1, ("h", "y"): 2, ("h", "z"): 3}
    lenient = {("l", "x"): 8, ("l", "y"): 9, ("l", "z"): 10}
    z = math.sqrt(1.5)  # (s - mean) / population sd for 1, 2, 3
    expected = {"x": -z, "y": 0.0, "z": z}
    assert normalize_scores(harsh) == pytest.approx(expected)
    assert normalize_scores({**harsh, **lenient}) == pytest.approx(expected)


def test_normalisation_constant_reviewer_with_inexact_mean():
    # Three equal 0.1s have a floating mean != 0.1; the reviewer must still count as flat.
    assert normalize_scores({("r", a): 0.1 for a in "abc"}) == {"a": 0.0, "b": 0.0, "c": 0.0}


def test_normalisation_edge_cases():
    assert normalize_scores({}) == {}
    tiny = normalize_scores({("r", "a"): 1e-200, ("r", "b"): 2e-200})
    assert tiny == pytest.approx({"a": -1.0, "b": 1.0})
    huge = normalize_scores({("r", "a"): 1e300, ("r", "b"): -1e300})
    assert huge == pytest.approx({"a": 1.0, "b": -1.0})
    with pytest.raises(TypeError, match="real numbers"):
        normalize_scores({("r", "a"): "7"})
    with pytest.raises(ValueError, match="not finite"):
        normalize_scores({("r", "a"): math.inf})


def test_score_spread():
    assert score_spread([]) == 0.0
    assert score_spread([5]) == 0.0
    assert score_spread([1, 3]) == 1.0
    assert score_spread([3, 1, 2]) == score_spread([1, 2, 3]) == pytest.approx(math.sqrt(2 / 3))
