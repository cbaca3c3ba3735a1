"""Stable placement of exchange students into rotations (hospitals/residents with capacities)."""

from __future__ import annotations

import operator
from collections.abc import Hashable, Iterable, Mapping, Sequence
from heapq import heappush, heapreplace
from itertools import chain, repeat
from typing import Literal

import numpy as np

__all__ = ["ALGORITHM_VERSION", "Reason", "explain", "stable_match"]

#: Stored with every match run so that a result can be traced to the rules that produced it.
#: Bump it whenever the semantics below (not merely the speed) change.
ALGORITHM_VERSION = "hr-student-proposing-deferred-acceptance/1"

Reason = Literal["not_ranked", "filled_by_higher_ranked"]


def _capacity(rotation: Hashable, capacities: Mapping[Hashable, int]) -> int:
    value = capacities.get(rotation, 0)
    try:
        seats = operator.index(value)
    except TypeError:
        raise TypeError(
            f"capacity of rotation {rotation!r} must be an integer, got {value!r}"
        ) from None
    if seats < 0:
        raise ValueError(f"capacity of rotation {rotation!r} is negative ({seats})")
    return seats


def stable_match(
    student_prefs: Mapping[Hashable, Sequence[Hashable]],
    rotation_prefs: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
) -> dict[Hashable, Hashable | None]:
    """Return the student-optimal stable matching of students to rotations.

    This is student-proposing deferred acceptance for the hospitals/residents problem
    (Gale & Shapley 1962; Roth 1984).

    Args:
        student_prefs: each student mapped to the rotations they want, most wanted first.
        rotation_prefs: each rotation mapped to the students it accepts, best first.
            A student absent from a rotation's list is not acceptable to that rotation.
        capacities: seats per rotation (non-negative integers).

    Returns:
        A dict with every key of ``student_prefs``, in that order, mapped to the rotation
        the student is placed in, or ``None`` if unplaced. The result satisfies:

        * a student is placed only at a rotation that both ranked the student and was
          ranked by the student (mutual acceptability);
        * no rotation holds more students than its capacity;
        * stability: there is no student *s* and rotation *r*, mutually acceptable, such
          that *s* is unplaced or prefers *r* to their placement, and *r* has a free seat
          or holds a student it ranks below *s*;
        * student optimality: every student is placed at least as well as in any other
          stable matching. The student-optimal stable matching is unique, so the result
          does not depend on the order of the inputs (only the key order of the returned
          dict follows ``student_prefs``), and identical input gives identical output.

    Edge cases (decided here; ``explain`` uses the same rules):

    * Empty preference lists and zero capacities are ordinary input: such students stay
      unplaced, such rotations take nobody.
    * A rotation named in a student's list but absent from ``rotation_prefs`` accepts
      nobody; the entry is ignored (it never causes a placement or an error).
    * A rotation in ``rotation_prefs`` but absent from ``capacities`` has capacity 0.
      Keys of ``capacities`` that are not in ``rotation_prefs`` are ignored.
    * Students named in a rotation's list but absent from ``student_prefs`` are ignored
      (they do not take seats and do not shift anyone's relative order).
    * Duplicates in any list: the first occurrence counts, later ones are ignored.

    Raises:
        TypeError: a capacity that is not an integer.
        ValueError: a negative capacity.

    Identifiers only need to be hashable; they are never compared with each other.
    """
    students = list(student_prefs)
    rotations = list(rotation_prefs)
    n_students = len(students)
    n_rotations = len(rotations)
    result: dict[Hashable, Hashable | None] = dict.fromkeys(students)
    if n_students == 0 or n_rotations == 0:
        return result
    seats = [_capacity(r, capacities) for r in rotations]

    # Everything below runs on integer indices: at national scale the per-proposal cost is
    # what matters, and hashing arbitrary ids (or building tuples) there would dominate.
    student_index = dict(zip(students, range(n_students), strict=True))
    rotation_index = dict(zip(rotations, range(n_rotations), strict=True))

    # Rotation side: one (student, rotation) key per rank entry, vectorised.
    r_lists = list(rotation_prefs.values())
    r_lengths = np.fromiter(map(len, r_lists), dtype=np.int64, count=n_rotations)
    r_total = int(r_lengths.sum())
    r_student = np.fromiter(
        map(student_index.get, chain.from_iterable(r_lists), repeat(-1)),
        dtype=np.int64,
        count=r_total,
    )
    r_rotation = np.repeat(np.arange(n_rotations, dtype=np.int64), r_lengths)
    r_rank = np.arange(r_total, dtype=np.int64) - np.repeat(
        np.cumsum(r_lengths) - r_lengths, r_lengths
    )
    seats_arr = np.asarray(seats, dtype=np.int64)
    usable = (r_student >= 0) & (seats_arr[r_rotation] > 0)
    pair_key = r_student[usable] * n_rotations + r_rotation[usable]
    # np.unique reports the first occurrence of each key: "first occurrence counts".
    pair_key, first = np.unique(pair_key, return_index=True)
    pair_rank = r_rank[usable][first]

    # Student side: keep only entries the rotation accepts. Dropping an unacceptable entry
    # is equivalent to proposing and being rejected, and makes the loop below shorter.
    s_lists = list(student_prefs.values())
    s_lengths = np.fromiter(map(len, s_lists), dtype=np.int64, count=n_students)
    s_total = int(s_lengths.sum())
    s_rotation = np.fromiter(
        map(rotation_index.get, chain.from_iterable(s_lists), repeat(-1)),
        dtype=np.int64,
        count=s_total,
    )
    s_student = np.repeat(np.arange(n_students, dtype=np.int64), s_lengths)
    wanted = s_student * n_rotations + s_rotation
    if pair_key.size:
        pos = np.minimum(np.searchsorted(pair_key, wanted), pair_key.size - 1)
        accepted = (s_rotation >= 0) & (pair_key[pos] == wanted)
    else:
        pos = np.zeros(s_total, dtype=np.int64)
        accepted = np.zeros(s_total, dtype=bool)
    # Later duplicates in a student's list stay in: a rotation that rejected or evicted a
    # student only ever gets choosier, so a repeated proposal is always rejected again.
    entry_rotation = s_rotation[accepted].tolist()
    # rank * n_students + student is unique per rotation and orders like the rank, so the
    # heaps compare plain ints and the student is recovered with one modulo.
    entry_key = (pair_rank[pos[accepted]] * n_students + s_student[accepted]).tolist()
    offsets = np.zeros(n_students + 1, dtype=np.int64)
    np.cumsum(np.bincount(s_student[accepted], minlength=n_students), out=offsets[1:])
    next_entry = offsets[:-1].tolist()
    end_entry = offsets[1:].tolist()

    free_seats = seats
    held: list[list[int]] = [[] for _ in range(n_rotations)]  # max-heaps via negated keys
    for proposer in range(n_students):
        s = proposer
        i = next_entry[s]
        while i < end_entry[s]:
            r = entry_rotation[i]
            key = entry_key[i]
            i += 1
            if free_seats[r]:
                free_seats[r] -= 1
                heappush(held[r], -key)
                next_entry[s] = i
                break
            heap = held[r]
            worst = -heap[0]
            if key < worst:
                heapreplace(heap, -key)
                next_entry[s] = i
                s = worst % n_students
                i = next_entry[s]
        else:
            next_entry[s] = i

    for r, heap in enumerate(held):
        rotation = rotations[r]
        for negated in heap:
            result[students[-negated % n_students]] = rotation
    return result


def explain(
    student: Hashable,
    student_prefs: Mapping[Hashable, Sequence[Hashable]],
    rotation_prefs: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
    result: Mapping[Hashable, Hashable | None],
) -> list[tuple[Hashable, Reason]]:
    """Explain why ``student`` did not get any rotation they ranked above their placement.

    Args:
        student: a key of ``student_prefs``.
        student_prefs, rotation_prefs, capacities: the input given to ``stable_match``
            (same edge-case rules: unknown rotations accept nobody, missing capacity is 0,
            first occurrence of a duplicate counts).
        result: the output of ``stable_match`` for that input.

    Returns:
        One ``(rotation, reason)`` per distinct rotation the student ranked above their
        placement (every ranked rotation if unplaced), in the student's order:

        * ``"not_ranked"``: the rotation does not accept the student (it did not rank
          them, or it is not a known rotation);
        * ``"filled_by_higher_ranked"``: every seat of the rotation is taken by a student
          the rotation ranked higher. This includes rotations with zero seats, where the
          statement holds vacuously; callers wanting to say "no seats" can check capacity.

        For a stable result one of the two always holds; that is what stability means.

    Raises:
        ValueError: ``student`` is not in ``student_prefs``; the student's placement is
            not in their list; or neither reason holds for some rotation, i.e. ``result``
            is not a stable matching of this input.
    """
    if student not in student_prefs:
        raise ValueError(f"student {student!r} is not in student_prefs")
    placement = result.get(student)
    ranked = list(dict.fromkeys(student_prefs[student]))
    if placement is not None:
        if placement not in ranked:
            raise ValueError(
                f"student {student!r} is placed at {placement!r}, which they did not rank"
            )
        ranked = ranked[: ranked.index(placement)]
    return [(r, _reason(student, r, rotation_prefs, capacities, result)) for r in ranked]


def _reason(
    student: Hashable,
    rotation: Hashable,
    rotation_prefs: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
    result: Mapping[Hashable, Hashable | None],
) -> Reason:
    ranking = rotation_prefs.get(rotation)
    if ranking is None:
        return "not_ranked"
    rank = _first_ranks(ranking)
    own = rank.get(student)
    if own is None:
        return "not_ranked"
    holders = [s for s, placed in result.items() if placed is not None and placed == rotation]
    if len(holders) >= _capacity(rotation, capacities) and all(
        rank.get(h, own) < own for h in holders
    ):
        return "filled_by_higher_ranked"
    raise ValueError(
        f"result is not stable: student {student!r} and rotation {rotation!r} would both "
        "rather be matched to each other"
    )


def _first_ranks(ranking: Iterable[Hashable]) -> dict[Hashable, int]:
    items = list(ranking)
    # Later writes win in a dict, so feeding the list backwards keeps the first occurrence.
    return dict(zip(reversed(items), range(len(items) - 1, -1, -1), strict=True))
