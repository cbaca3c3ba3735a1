"""The reviewer assignment with personal load caps (`assign_reviewers(capacities=...)`): every
load within its cap, the most even loads the caps allow, the optimum, and the old result when
the caps do not bind."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.algorithms import assignment_sparse
from applications.algorithms.assignment import assign_reviewers

APPS = ["A1", 2, ("app", 3), 4.5]
REVIEWERS = [10, "R2", ("rev", 3), "R4"]
FAST = settings(max_examples=200, deadline=None, database=None)


def most_even(revs, caps, total):
    """The lexicographically smallest load vector (sorted, largest first) with every load
    within its cap and `total` reviews in all, found by trying every vector; None if none."""
    best = None
    for loads in itertools.product(*(range(caps.get(r, total) + 1) for r in revs)):
        if sum(loads) == total:
            key = sorted(loads, reverse=True)
            best = key if best is None or key < best else best
    return best


def loads_of(result, revs):
    return [sum(r in chosen for chosen in result.values()) for r in revs]


def brute_force(apps, revs, k, conflicts, affinity, caps):
    """Best total over assignments within the caps whose loads are the most even, or None."""
    target = most_even(revs, caps, len(apps) * k)
    if target is None:
        return None
    blocked = set(conflicts)
    options = [
        list(itertools.combinations([r for r in revs if (a, r) not in blocked], k)) for a in apps
    ]
    best = None
    for choice in itertools.product(*options):
        result = dict(zip(apps, choice, strict=True))
        loads = loads_of(result, revs)
        if all(n <= caps.get(r, n) for r, n in zip(revs, loads, strict=True)) and (
            sorted(loads, reverse=True) == target
        ):
            total = sum(affinity.get((a, r), 0) for a, chosen in result.items() for r in chosen)
            best = total if best is None else max(best, total)
    return best


@st.composite
def capped_instances(draw):
    apps = APPS[: draw(st.integers(1, 4))]
    revs = REVIEWERS[: draw(st.integers(1, 4))]
    k = draw(st.integers(1, 2))
    pairs = list(itertools.product(apps, revs))
    conflicts = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3))
    affinity = {p: draw(st.integers(-3, 9)) for p in pairs if draw(st.booleans())}
    caps = {r: draw(st.integers(0, 4)) for r in revs if draw(st.booleans())}
    return apps, revs, k, conflicts, affinity, caps


@FAST
@given(capped_instances())
def test_caps_give_the_optimum_within_caps_and_most_even_loads(instance):
    apps, revs, k, conflicts, affinity, caps = instance
    best = brute_force(apps, revs, k, conflicts, affinity, caps)
    if best is None:
        with pytest.raises(ValueError, match=r"exceeds|without a conflict|caps|balanced loads"):
            assign_reviewers(apps, revs, k, conflicts, affinity, capacities=caps)
        return
    result = assign_reviewers(apps, revs, k, conflicts, affinity, capacities=caps)
    assert list(result) == apps
    for a, chosen in result.items():
        assert len(chosen) == k == len(set(chosen))
        assert not {(a, r) for r in chosen} & set(conflicts)
    loads = loads_of(result, revs)
    assert all(n <= caps.get(r, n) for r, n in zip(revs, loads, strict=True))
    assert sorted(loads, reverse=True) == most_even(revs, caps, len(apps) * k)
    assert sum(affinity.get((a, r), 0) for a, c in result.items() for r in c) == best


@FAST
@given(capped_instances(), st.integers(0, 3))
def test_caps_that_do_not_bind_change_nothing(instance, spare):
    apps, revs, k, conflicts, affinity, _caps = instance
    high = -(-len(apps) * k // len(revs))
    roomy = {r: high + spare for r in revs[::2]}
    try:
        before = assign_reviewers(apps, revs, k, conflicts, affinity)
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error))):
            assign_reviewers(apps, revs, k, conflicts, affinity, capacities=roomy)
        return
    assert assign_reviewers(apps, revs, k, conflicts, affinity, capacities=roomy) == before
    assert assign_reviewers(apps, revs, k, conflicts, affinity, capacities={}) == before
    assert assign_reviewers(apps, revs, k, conflicts, affinity, capacities=None) == before


@settings(max_examples=60, deadline=None, database=None)
@given(st.integers(0, 2**32), st.integers(1, 2))
def test_the_fast_path_honours_caps_and_finds_the_same_optimum(seed, per_slot):
    rng = np.random.default_rng(seed)
    n_apps, n_revs, k = int(rng.integers(8, 30)), int(rng.integers(6, 12)), 2
    gains = rng.integers(0, 6, size=(n_apps, n_revs))
    conflicts = [tuple(p) for p in np.argwhere(rng.random((n_apps, n_revs)) < 0.1).tolist()]
    caps = {r: int(rng.integers(0, 2 * n_apps * k // n_revs + 1)) for r in range(0, n_revs, 2)}
    apps, revs = list(range(n_apps)), list(range(n_revs))
    saved = assignment_sparse.SPARSE_FROM_PAIRS, assignment_sparse.SPARSE_PER_SLOT
    try:
        assignment_sparse.SPARSE_FROM_PAIRS = 10**12
        try:
            dense = assign_reviewers(apps, revs, k, conflicts, gains, capacities=caps)
        except ValueError as error:
            assignment_sparse.SPARSE_FROM_PAIRS = 0
            with pytest.raises(ValueError, match=re.escape(str(error))):
                assign_reviewers(apps, revs, k, conflicts, gains, capacities=caps)
            return
        assignment_sparse.SPARSE_FROM_PAIRS, assignment_sparse.SPARSE_PER_SLOT = 0, per_slot
        fast = assign_reviewers(apps, revs, k, conflicts, gains, capacities=caps)
    finally:
        assignment_sparse.SPARSE_FROM_PAIRS, assignment_sparse.SPARSE_PER_SLOT = saved

    def total(result):
        return sum(int(gains[a, r]) for a, chosen in result.items() for r in chosen)

    assert total(fast) == total(dense)
    assert sorted(loads_of(fast, revs)) == sorted(loads_of(dense, revs))
    assert all(n <= caps.get(r, n) for r, n in zip(revs, loads_of(fast, revs), strict=True))


def test_a_capped_reviewer_takes_their_cap_and_the_others_share_the_rest():
    result = assign_reviewers(range(6), ["a", "b", "c"], 2, capacities={"a": 1})

    assert loads_of(result, ["a", "b", "c"]) in ([1, 6, 5], [1, 5, 6])


def test_caps_that_add_up_to_too_few_reviews_are_refused():
    with pytest.raises(
        ValueError, match=r"the reviewers' caps allow 5 reviews in all, but the applications need 6"
    ):
        assign_reviewers(range(3), ["a", "b"], 2, capacities={"a": 2, "b": 3})


def test_a_cap_of_zero_leaves_an_application_short_and_says_so():
    with pytest.raises(
        ValueError,
        match=r"application 0 has only 1 reviewer without a conflict and below their cap but "
        r"needs 2",
    ):
        assign_reviewers([0], ["a", "b", "c"], 2, conflicts=[(0, "b")], capacities={"c": 0})


def test_a_negative_cap_is_refused():
    with pytest.raises(ValueError, match=r"the cap of reviewer 'a' is negative \(-1\)"):
        assign_reviewers([0], ["a", "b"], 1, capacities={"a": -1})
