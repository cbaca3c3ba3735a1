"""Optimal assignment of mentees to mentors by compatibility score, within mentor capacity."""

from __future__ import annotations

import math
import operator
from collections.abc import Hashable, Iterable, Mapping, Sequence
from operator import itemgetter

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = ["EXACT_SCORE_LIMIT", "assign_mentors", "assign_pairs"]

_INT64_MAX = np.iinfo(np.int64).max
#: Integer scores up to this magnitude are optimised exactly, unless the problem is so large
#: that the solver's integer range is smaller (see ``assign_mentors``).
EXACT_SCORE_LIMIT = 2**31
#: Independent parts of a round (no mentee or mentor in common) are solved one flow at a
#: time, small ones gathered up to about this many pairs: the solver's work grows faster
#: than its input, so twenty flows of a language each beat one flow of all twenty.
_PAIRS_PER_FLOW = 20_000
_Status = min_cost_flow.SimpleMinCostFlow.Status


def assign_mentors(
    scores: Mapping[tuple[Hashable, Hashable], float],
    capacities: Mapping[Hashable, int],
    *,
    pinned: Iterable[tuple[Hashable, Hashable]] = (),
) -> dict[Hashable, Hashable | None]:
    """Assign mentees to mentors maximising the total compatibility score.

    Constraints: each mentee gets at most one mentor; each mentor gets at most
    ``capacities[mentor]`` mentees (a mentor missing from ``capacities`` has capacity 0);
    only eligible pairs (keys of ``scores``) are used; every ``pinned`` pair is used.

    Objective: the largest total score of the assigned pairs. Consequences, by design:

    * a pair with a negative score is never assigned (dropping it would raise the total),
      unless it is pinned;
    * among assignments with the largest total, the one matching the most mentees is
      returned, so zero-score pairs are used when capacity allows rather than leaving the
      mentee out;
    * further ties are broken deterministically: the same input gives the same output.

    Numbers: scores are optimised as integers by an exact min-cost flow (OR-Tools). Integer
    scores are used exactly while ``|score|`` stays below ``EXACT_SCORE_LIMIT`` (2**31) and
    below the solver's range, about ``4e15 / ((mentees + 1) * (mentees + mentors))``
    (1.5e8 for 5,000 mentees and 1,000 mentors). Other scores are multiplied by one power
    of two that brings the largest magnitude into that range, then rounded: totals that
    differ by less than about ``max|score| * 1e-8`` per pair at that size (well below 1e-6
    relative) are treated as equal. Dyadic fractions such as 0.5 or 0.25 stay exact.

    Args:
        scores: maps eligible ``(mentee, mentor)`` pairs to a finite real compatibility.
        capacities: maps mentors to a non-negative integer number of mentees.
        pinned: ``(mentee, mentor)`` pairs that must be in the result. Each must be
            eligible, a mentee may be pinned to only one mentor, and a mentor may not be
            pinned more times than its capacity. Repeating the same pair is harmless.
            Pinned pairs are fixed first; the rest is optimised around them.

    Returns:
        ``{mentee: mentor or None}`` for every mentee appearing in ``scores``, in order of
        first appearance; ``None`` means unmatched.

    Raises:
        ValueError: a pin that is not eligible, conflicts with another pin or exceeds
            capacity; a negative capacity; a non-finite score.
        TypeError: a non-integer capacity or a non-numeric score.

    Identifiers only need to be hashable; they are never compared with each other. A whole
    round is faster through ``assign_pairs``, the same optimisation on arrays of indices.
    """
    keys = list(scores.keys())
    mentees = list(dict.fromkeys(map(itemgetter(0), keys)))
    mentors = list(dict.fromkeys(map(itemgetter(1), keys)))
    result: dict[Hashable, Hashable | None] = dict.fromkeys(mentees)
    if not keys:
        for pair in pinned:
            raise ValueError(f"pinned pair {tuple(pair)!r} is not an eligible pair")
        return result

    seats = [_capacity(m, capacities) for m in mentors]
    mentor_index = dict(zip(mentors, range(len(mentors)), strict=True))
    pinned_mentee: dict[Hashable, Hashable] = {}
    left = list(seats)
    for pair in pinned:
        mentee, mentor = pair
        if (mentee, mentor) not in scores:
            raise ValueError(f"pinned pair {(mentee, mentor)!r} is not an eligible pair")
        if mentee in pinned_mentee:
            if pinned_mentee[mentee] != mentor:
                raise ValueError(
                    f"mentee {mentee!r} is pinned to both {pinned_mentee[mentee]!r} and {mentor!r}"
                )
            continue
        pinned_mentee[mentee] = mentor
        left[mentor_index[mentor]] -= 1
        if left[mentor_index[mentor]] < 0:
            raise ValueError(
                f"mentor {mentor!r} is pinned more times than their capacity "
                f"({_capacity(mentor, capacities)})"
            )
    pin_positions: list[int] = []
    if pinned_mentee:
        position = {key: k for k, key in enumerate(keys)}
        pin_positions = [position[pair] for pair in pinned_mentee.items()]

    values = _as_numbers(list(scores.values()))
    n_pairs = len(keys)
    mentee_index = dict(zip(mentees, range(len(mentees)), strict=True))
    pair_mentee = np.fromiter(map(mentee_index.get, map(itemgetter(0), keys)), np.int64, n_pairs)
    pair_mentor = np.fromiter(map(mentor_index.get, map(itemgetter(1), keys)), np.int64, n_pairs)
    chosen = assign_pairs(
        pair_mentee, pair_mentor, values, np.asarray(seats, dtype=np.int64), pinned=pin_positions
    )
    picked = np.flatnonzero(chosen)
    for e, m in zip(pair_mentee[picked].tolist(), pair_mentor[picked].tolist(), strict=True):
        result[mentees[e]] = mentors[m]
    return result


def assign_pairs(
    mentees: np.ndarray,
    mentors: np.ndarray,
    scores: np.ndarray,
    capacities: np.ndarray,
    *,
    pinned: Sequence[int] | np.ndarray = (),
) -> np.ndarray:
    """``assign_mentors`` on arrays: the same constraints, objective, numbers and ties.

    Pair ``k`` is mentee ``mentees[k]`` (a non-negative integer) with mentor ``mentors[k]``
    (an index into ``capacities``), scored ``scores[k]``; pairs should be distinct.
    ``pinned`` holds the positions ``k`` of the pairs that must be used. Returns one boolean
    per pair: whether it is in the assignment. Nothing is done pair by pair in Python, so a
    national round (millions of pairs) costs little beyond the solver.

    Raises ``ValueError`` for pins that conflict or exceed a capacity, a mentor index out of
    range, a negative capacity or a non-finite score; ``TypeError`` for non-integer
    capacities or non-numeric scores.
    """
    mentees = np.asarray(mentees, dtype=np.int64)
    mentors = np.asarray(mentors, dtype=np.int64)
    values = _as_numbers(scores)
    seats = np.asarray(capacities)
    if seats.size and seats.dtype.kind not in "iu":
        raise TypeError("every capacity must be an integer")
    seats = seats.astype(np.int64)
    if (seats < 0).any():
        raise ValueError(f"capacity of mentor {int(np.argmin(seats))} is negative")
    if not (mentees.shape == mentors.shape == values.shape) or mentees.ndim != 1:
        raise ValueError("mentees, mentors and scores must be arrays of the same length")
    chosen = np.zeros(values.size, dtype=bool)
    if not values.size:
        if len(pinned):
            raise ValueError("pinned pair is not an eligible pair")
        return chosen
    if mentees.min() < 0 or mentors.min() < 0 or mentors.max() >= seats.size:
        raise ValueError("a mentee or mentor index is out of range")

    pins = np.unique(np.asarray(pinned, dtype=np.int64))
    if pins.size and (pins[0] < 0 or pins[-1] >= values.size):
        raise ValueError("pinned pair is not an eligible pair")
    if np.unique(mentees[pins]).size != pins.size:
        raise ValueError("a mentee is pinned to both of two mentors")
    seats = seats - np.bincount(mentors[pins], minlength=seats.size)
    if (seats < 0).any():
        raise ValueError(f"mentor {int(np.argmin(seats))} is pinned more times than their capacity")
    chosen[pins] = True
    free_mentee = np.ones(int(mentees.max()) + 1, dtype=bool)
    free_mentee[mentees[pins]] = False
    # Negative pairs can only lower the total and are left out of the flow altogether, so
    # rounding can never turn one into a "free" zero-score pair.
    usable = np.flatnonzero(free_mentee[mentees] & (seats[mentors] > 0) & (values >= 0))
    if usable.size:
        chosen[usable[_optimise(mentees[usable], mentors[usable], values[usable], seats)]] = True
    return chosen


def _optimise(
    pair_mentee: np.ndarray, pair_mentor: np.ndarray, values: np.ndarray, seats: np.ndarray
) -> np.ndarray:
    """The optimal pairs (a boolean per pair) by min-cost flow, one flow per group of
    independent parts."""
    used_mentees, pair_mentee = np.unique(pair_mentee, return_inverse=True)
    used_mentors, pair_mentor = np.unique(pair_mentor, return_inverse=True)
    n_e, n_m = used_mentees.size, used_mentors.size
    seats = seats[used_mentors]
    flows = _Flows(pair_mentee, pair_mentor, _groups(pair_mentee, pair_mentor, n_e, n_m))
    # The solver's range bounds the scores: see `_Flows.solve` for how they become costs.
    limit = min(EXACT_SCORE_LIMIT, _INT64_MAX // (2 * (n_e + n_m + 3)) // 1024 // (n_e + 1))
    while True:
        status, chosen = flows.solve(_to_integers(values, limit), seats)
        if status != _Status.BAD_COST_RANGE or limit < 2**10:
            break
        limit >>= 8  # solver potentials overflowed: coarser scores, same constraints
    if status != _Status.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver failed with status {status!r}")
    return chosen


def _groups(pair_mentee: np.ndarray, pair_mentor: np.ndarray, n_e: int, n_m: int) -> np.ndarray:
    """A group per mentor: the connected parts of the pairs' graph, small ones gathered up to
    ``_PAIRS_PER_FLOW`` pairs, numbered from 0 in order of their smallest mentor."""
    # Each mentee links its first mentor to its others; the parts are then found over
    # mentors alone by hooking and pointer jumping, every step over all links at once.
    first = np.full(n_e, n_m, dtype=np.int64)
    np.minimum.at(first, pair_mentee, pair_mentor)
    a, b = first[pair_mentee], pair_mentor
    label = np.arange(n_m)
    while True:
        la, lb = label[a], label[b]
        apart = la != lb
        if not apart.any():
            break
        # Links whose ends agree stay agreeing: a new label depends only on the old one.
        a, b, la, lb = a[apart], b[apart], la[apart], lb[apart]
        label = label.copy()
        np.minimum.at(label, la, lb)
        np.minimum.at(label, lb, la)
        while not np.array_equal(jumped := label[label], label):
            label = jumped
    parts, part_of_mentor = np.unique(label, return_inverse=True)
    size = np.bincount(part_of_mentor[pair_mentor], minlength=parts.size)
    group_of_part = (np.cumsum(size) - size) // _PAIRS_PER_FLOW
    _, group = np.unique(group_of_part[part_of_mentor], return_inverse=True)
    return group


class _Flows:
    """The flow networks of the groups, numbered locally: per group, source, its mentees,
    its mentors, sink."""

    def __init__(self, pair_mentee: np.ndarray, pair_mentor: np.ndarray, group: np.ndarray):
        n_e = int(pair_mentee.max()) + 1
        mentee_group = np.zeros(n_e, dtype=np.int64)
        mentee_group[pair_mentee] = group[pair_mentor]
        self.n_groups = int(group.max()) + 1
        self.mentee_local, self.mentee_bounds = _local(mentee_group, self.n_groups)
        self.mentor_local, self.mentor_bounds = _local(group, self.n_groups)
        self.mentor_order = np.argsort(group, kind="stable")
        pair_group = group[pair_mentor]
        self.pair_order = np.argsort(pair_group, kind="stable")
        self.pair_bounds = np.searchsorted(
            pair_group[self.pair_order], np.arange(self.n_groups + 1)
        )
        self.tail = self.mentee_local[pair_mentee[self.pair_order]]
        self.head = self.mentor_local[pair_mentor[self.pair_order]]

    def solve(self, units: np.ndarray, seats: np.ndarray) -> tuple[object, np.ndarray]:
        """Each group's optimum, from integer scores (``units``) and seats per mentor."""
        chosen = np.zeros(units.size, dtype=bool)
        units, seats = units[self.pair_order], seats[self.mentor_order]
        for g in range(self.n_groups):
            p0, p1 = self.pair_bounds[g], self.pair_bounds[g + 1]
            m0, m1 = self.mentor_bounds[g], self.mentor_bounds[g + 1]
            n_e = int(self.mentee_bounds[g + 1] - self.mentee_bounds[g])
            # Lexicographic objective in one integer: score first, then one unit per matched
            # mentee, which can never outweigh a single score unit because fewer than
            # `tie_unit` are matched. The smaller the costs, the fewer the solver's phases.
            tie_unit = min(n_e, int(seats[m0:m1].sum())) + 1
            gain = units[p0:p1] * tie_unit + 1
            status, flow = _min_cost_flow(
                self.tail[p0:p1], self.head[p0:p1], gain, seats[m0:m1], n_e
            )
            if status != _Status.OPTIMAL:
                return status, chosen
            chosen[self.pair_order[p0:p1]] = flow
        return _Status.OPTIMAL, chosen


def _local(group: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Each item's number within its group (in index order), and where each group starts."""
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(n_groups + 1))
    local = np.empty(group.size, dtype=np.int64)
    local[order] = np.arange(group.size) - bounds[group[order]]
    return local, bounds


def _min_cost_flow(
    pair_mentee: np.ndarray, pair_mentor: np.ndarray, gain: np.ndarray, seats: np.ndarray, n_e: int
) -> tuple[object, np.ndarray]:
    """Solve one network: source -> mentee (1) -> mentor (-gain) -> sink (seats)."""
    n_m = seats.size
    source, sink = 0, n_e + n_m + 1
    tails = np.concatenate(
        [np.zeros(n_e), 1 + pair_mentee, 1 + n_e + np.arange(n_m), [source]]
    ).astype(np.int32)
    heads = np.concatenate(
        [1 + np.arange(n_e), 1 + n_e + pair_mentor, np.full(n_m, sink), [sink]]
    ).astype(np.int32)
    # The source->sink arc lets any mentee stay unmatched at no cost.
    capacity = np.concatenate([np.ones(n_e + pair_mentee.size), seats, [n_e]]).astype(np.int64)
    cost = np.concatenate([np.zeros(n_e), -gain, np.zeros(n_m + 1)]).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, cost)
    flow.set_node_supply(source, n_e)
    flow.set_node_supply(sink, -n_e)
    status = flow.solve()
    if status != _Status.OPTIMAL:
        return status, np.zeros(0, dtype=bool)
    arcs = n_e + np.arange(pair_mentee.size, dtype=np.int32)
    return status, flow.flows(arcs) > 0


def _capacity(mentor: Hashable, capacities: Mapping[Hashable, int]) -> int:
    value = capacities.get(mentor, 0)
    try:
        seats = operator.index(value)
    except TypeError:
        raise TypeError(
            f"capacity of mentor {mentor!r} must be an integer, got {value!r}"
        ) from None
    if seats < 0:
        raise ValueError(f"capacity of mentor {mentor!r} is negative ({seats})")
    return seats


def _as_numbers(values: list) -> np.ndarray:
    array = np.asarray(values)
    # Text such as "7" would convert silently; a number typed as text is a caller bug.
    textual = array.dtype.kind in "USV" or (
        array.dtype.kind == "O" and any(isinstance(v, str | bytes) for v in values)
    )
    if textual:
        raise TypeError("every score must be a real number")
    if array.dtype.kind not in "biuf":
        try:
            array = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError("every score must be a real number") from None
    if array.dtype.kind in "bu":
        array = array.astype(np.float64 if array.dtype.itemsize >= 8 else np.int64)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError("every score must be finite")
    return array


def _to_integers(values: np.ndarray, limit: int) -> np.ndarray:
    """Exact when values are integers within ``limit``; else scaled by a power of two."""
    peak = float(np.abs(values).max()) if values.size else 0.0
    if peak == 0.0:
        return np.zeros(values.size, dtype=np.int64)
    integral = values.dtype.kind == "i" or bool((values == np.round(values)).all())
    if integral and peak <= limit:
        return values.astype(np.int64)
    # A power of two keeps dyadic values (0.5, 0.25, ...) exact, so their ties stay ties.
    # frexp instead of log2(limit / peak): that ratio overflows for subnormal peaks.
    exponent = (limit.bit_length() - 1) - math.frexp(peak)[1]
    return np.rint(np.ldexp(values.astype(np.float64), exponent)).astype(np.int64)
