"""Tests for exchanges.placement: stable matching of students to rotations."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exchanges.placement import ALGORITHM_VERSION, explain, stable_match

# Mixed-type ids on purpose: the module must never compare ids with each other.
STUDENTS = [0, "s1", ("s", 2), 3.5]
ROTATIONS = ["r0", 1, ("r", 2)]
GHOST_STUDENT = "ghost-student"  # named by rotations, absent from student_prefs
GHOST_ROTATION = "ghost-rotation"  # named by students, absent from rotation_prefs


# --- an independent, deliberately naive reading of the documented rules -------------------


def first_rank(seq, item):
    return seq.index(item) if item in seq else None


def acceptable(s, r, sp, rp):
    return r in sp[s] and r in rp and s in rp[r]


def cap_of(r, caps):
    return caps.get(r, 0)


def is_stable(matching, sp, rp, caps):
    for s in sp:
        placed = matching[s]
        for r in dict.fromkeys(sp[s]):
            if r == placed:
                break
            if not acceptable(s, r, sp, rp):
                continue
            holders = [t for t, p in matching.items() if p == r]
            if len(holders) < cap_of(r, caps):
                return False
            if any(first_rank(rp[r], t) > first_rank(rp[r], s) for t in holders):
                return False
    return True


def all_stable_matchings(sp, rp, caps):
    students = list(sp)
    options = [
        [None] + [r for r in dict.fromkeys(sp[s]) if acceptable(s, r, sp, rp)] for s in students
    ]
    found = []
    for combo in itertools.product(*options):
        matching = dict(zip(students, combo, strict=True))
        loads = {}
        for r in combo:
            if r is not None:
                loads[r] = loads.get(r, 0) + 1
        if any(n > cap_of(r, caps) for r, n in loads.items()):
            continue
        if is_stable(matching, sp, rp, caps):
            found.append(matching)
    return found


def student_rank(s, r, sp):
    return len(sp[s]) + 1 if r is None else first_rank(sp[s], r)


@st.composite
def instances(draw, max_students=4, max_rotations=3, max_capacity=2):
    students = STUDENTS[: draw(st.integers(0, max_students))]
    rotations = ROTATIONS[: draw(st.integers(0, max_rotations))]
    rotation_pool = [*rotations, GHOST_ROTATION]
    student_pool = [*students, GHOST_STUDENT]
    sp = {s: draw(st.lists(st.sampled_from(rotation_pool), max_size=5)) for s in students}
    rp = {r: draw(st.lists(st.sampled_from(student_pool), max_size=6)) for r in rotations}
    caps = {}
    for r in [*rotations, GHOST_ROTATION]:
        if draw(st.integers(0, 4)):  # mostly present, sometimes missing (= capacity 0)
            caps[r] = draw(st.integers(0, max_capacity))
    return sp, rp, caps


FAST = settings(max_examples=150, deadline=None, database=None)


# --- properties -----------------------------------------------------------------------------


@FAST
@given(instances())
def test_student_optimal_against_brute_force(instance):
    sp, rp, caps = instance
    result = stable_match(sp, rp, caps)
    assert list(result) == list(sp)
    stable = all_stable_matchings(sp, rp, caps)
    assert result in stable  # capacity, mutual acceptability and stability at once
    for other in stable:
        for s in sp:
            assert student_rank(s, result[s], sp) <= student_rank(s, other[s], sp)


@FAST
@given(instances(max_students=4, max_rotations=3, max_capacity=3))
def test_capacity_and_mutual_acceptability(instance):
    sp, rp, caps = instance
    result = stable_match(sp, rp, caps)
    for s, r in result.items():
        if r is not None:
            assert acceptable(s, r, sp, rp)
            assert r != GHOST_ROTATION
    for r in rp:
        assert sum(p == r for p in result.values()) <= cap_of(r, caps)
    assert GHOST_STUDENT not in result


@FAST
@given(instances(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_input_order(instance, rnd):
    sp, rp, caps = instance
    first = stable_match(sp, rp, caps)
    assert list(stable_match(sp, rp, caps).items()) == list(first.items())
    shuffled_students = list(sp.items())
    shuffled_rotations = list(rp.items())
    rnd.shuffle(shuffled_students)
    rnd.shuffle(shuffled_rotations)
    again = stable_match(dict(shuffled_students), dict(shuffled_rotations), caps)
    assert again == first  # same mapping; only key order follows student_prefs


@FAST
@given(instances())
def test_explain_always_one_of_two_true_reasons(instance):
    sp, rp, caps = instance
    result = stable_match(sp, rp, caps)
    for s in sp:
        explanation = explain(s, sp, rp, caps, result)
        ranked = list(dict.fromkeys(sp[s]))
        cut = ranked.index(result[s]) if result[s] is not None else len(ranked)
        assert [r for r, _ in explanation] == ranked[:cut]
        for r, reason in explanation:
            if reason == "not_ranked":
                assert not acceptable(s, r, sp, rp)
            else:
                assert reason == "filled_by_higher_ranked"
                holders = [t for t, p in result.items() if p == r]
                assert len(holders) >= cap_of(r, caps)
                assert all(first_rank(rp[r], t) < first_rank(rp[r], s) for t in holders)


# --- examples -------------------------------------------------------------------------------


def example():
    sp = {
        "ana": ["cardio", "neuro"],
        "ben": ["cardio"],
        "cai": ["cardio", "neuro"],
        "dan": ["derm", "neuro"],
    }
    rp = {"cardio": ["cai", "ana", "ben"], "neuro": ["ana", "cai"]}
    caps = {"cardio": 1, "neuro": 1}
    return sp, rp, caps


def test_example_with_eviction():
    sp, rp, caps = example()
    assert stable_match(sp, rp, caps) == {"ana": "neuro", "ben": None, "cai": "cardio", "dan": None}
    assert list(stable_match(sp, rp, caps)) == ["ana", "ben", "cai", "dan"]


def test_explain_examples():
    sp, rp, caps = example()
    result = stable_match(sp, rp, caps)
    assert explain("ana", sp, rp, caps, result) == [("cardio", "filled_by_higher_ranked")]
    assert explain("ben", sp, rp, caps, result) == [("cardio", "filled_by_higher_ranked")]
    assert explain("cai", sp, rp, caps, result) == []
    assert explain("dan", sp, rp, caps, result) == [("derm", "not_ranked"), ("neuro", "not_ranked")]


def test_explain_rejects_unstable_result_and_unknown_student():
    sp, rp, caps = example()
    unstable = {"ana": None, "ben": "cardio", "cai": "neuro", "dan": None}
    with pytest.raises(ValueError, match="not stable"):
        explain("ana", sp, rp, caps, unstable)
    with pytest.raises(ValueError, match="not in student_prefs"):
        explain("zoe", sp, rp, caps, stable_match(sp, rp, caps))
    with pytest.raises(ValueError, match="did not rank"):
        explain("ben", sp, rp, caps, {"ben": "neuro"})


def test_hospitals_with_capacity():
    sp = {1: ["a", "b"], 2: ["a", "b"], 3: ["a", "b"], 4: ["b", "a"]}
    rp = {"a": [4, 3, 2, 1], "b": [1, 2, 3, 4]}
    caps = {"a": 2, "b": 1}
    # 1,2,3 propose to a (keeps 3, 2); 1 goes to b; 4 proposes to b, loses to 1, then a takes
    # 4 over 2; 2 goes to b and loses to 1.
    assert stable_match(sp, rp, caps) == {1: "b", 2: None, 3: "a", 4: "a"}


def test_unknown_rotation_in_student_list_is_ignored():
    sp = {"ana": ["nowhere", "cardio"]}
    rp = {"cardio": ["ana"]}
    assert stable_match(sp, rp, {"cardio": 1, "nowhere": 5}) == {"ana": "cardio"}


def test_rotation_missing_from_capacities_has_no_seats():
    sp = {"ana": ["cardio", "neuro"]}
    rp = {"cardio": ["ana"], "neuro": ["ana"]}
    result = stable_match(sp, rp, {"neuro": 1})
    assert result == {"ana": "neuro"}
    assert explain("ana", sp, rp, {"neuro": 1}, result) == [("cardio", "filled_by_higher_ranked")]


def test_unknown_students_in_rotation_lists_take_no_seat():
    sp = {"ana": ["cardio"]}
    rp = {"cardio": ["ghost", "ana"]}
    assert stable_match(sp, rp, {"cardio": 1}) == {"ana": "cardio"}


def test_duplicates_first_occurrence_counts():
    # In cardio's list ben appears first; his later duplicate must not demote him.
    sp = {"ana": ["cardio", "neuro", "cardio"], "ben": ["cardio", "cardio"]}
    rp = {"cardio": ["ben", "ana", "ben"], "neuro": ["ana", "ana"]}
    caps = {"cardio": 1, "neuro": 1}
    result = stable_match(sp, rp, caps)
    assert result == {"ana": "neuro", "ben": "cardio"}
    assert explain("ana", sp, rp, caps, result) == [("cardio", "filled_by_higher_ranked")]


def test_empty_and_zero_inputs():
    assert stable_match({}, {}, {}) == {}
    assert stable_match({"ana": []}, {}, {}) == {"ana": None}
    assert stable_match({"ana": ["cardio"]}, {"cardio": ["ana"]}, {"cardio": 0}) == {"ana": None}
    assert stable_match({"ana": ["cardio"]}, {"cardio": []}, {"cardio": 3}) == {"ana": None}


def test_bad_capacities():
    with pytest.raises(ValueError, match="negative"):
        stable_match({"ana": ["c"]}, {"c": ["ana"]}, {"c": -1})
    with pytest.raises(TypeError, match="integer"):
        stable_match({"ana": ["c"]}, {"c": ["ana"]}, {"c": 1.5})


def test_algorithm_version_is_a_nonempty_string():
    assert isinstance(ALGORITHM_VERSION, str) and ALGORITHM_VERSION
