"""Optimal assignment of mentees to mentors by compatibility score, within mentor capacity."""

from __future__ import annotations

import math
import operator
from collections.abc import Hashable, Iterable, Mapping
from operator import itemgetter

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = ["EXACT_SCORE_LIMIT", "assign_mentors"]

_INT64_MAX = np.iinfo(np.int64).max
#: Integer scores up to this magnitude are optimised exactly, unless the problem is so large
#: that the solver's integer range is smaller (see ``assign_mentors``).
EXACT_SCORE_LIMIT = 2**31


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

    Identifiers only need to be hashable; they are never compared with each other.
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
        seats[mentor_index[mentor]] -= 1
        if seats[mentor_index[mentor]] < 0:
            raise ValueError(
                f"mentor {mentor!r} is pinned more times than their capacity "
                f"({_capacity(mentor, capacities)})"
            )
        result[mentee] = mentor

    values = _as_numbers(list(scores.values()))
    n_pairs = len(keys)
    mentee_index = dict(zip(mentees, range(len(mentees)), strict=True))
    pair_mentee = np.fromiter(map(mentee_index.get, map(itemgetter(0), keys)), np.int64, n_pairs)
    pair_mentor = np.fromiter(map(mentor_index.get, map(itemgetter(1), keys)), np.int64, n_pairs)
    free_mentee = np.ones(len(mentees), dtype=bool)
    free_mentee[np.fromiter(map(mentee_index.get, pinned_mentee), np.int64)] = False
    seats_left = np.asarray(seats, dtype=np.int64)
    # Negative pairs can only lower the total and are left out of the flow altogether, so
    # rounding can never turn one into a "free" zero-score pair.
    usable = free_mentee[pair_mentee] & (seats_left[pair_mentor] > 0) & (values >= 0)
    if not usable.any():
        return result
    pair_mentee, pair_mentor, values = pair_mentee[usable], pair_mentor[usable], values[usable]

    # Compact node numbering: source, used mentees, used mentors, sink.
    used_mentees, pair_mentee = np.unique(pair_mentee, return_inverse=True)
    used_mentors, pair_mentor = np.unique(pair_mentor, return_inverse=True)
    n_e, n_m = used_mentees.size, used_mentors.size
    source, sink = 0, n_e + n_m + 1
    tails = np.concatenate(
        [np.zeros(n_e), 1 + pair_mentee, 1 + n_e + np.arange(n_m), [source]]
    ).astype(np.int32)
    heads = np.concatenate(
        [1 + np.arange(n_e), 1 + n_e + pair_mentor, np.full(n_m, sink), [sink]]
    ).astype(np.int32)
    # The source->sink arc lets any mentee stay unmatched at no cost.
    capacity = np.concatenate(
        [np.ones(n_e + pair_mentee.size), seats_left[used_mentors], [n_e]]
    ).astype(np.int64)
    # Lexicographic objective in one integer: score first, then one unit per matched
    # mentee, which can never outweigh a single score unit because at most n_e are matched.
    tie_unit = n_e + 1
    limit = min(EXACT_SCORE_LIMIT, _INT64_MAX // (2 * (sink + 2)) // 1024 // tie_unit)
    while True:
        gain = _to_integers(values, limit) * tie_unit + 1
        cost = np.concatenate([np.zeros(n_e), -gain, np.zeros(n_m + 1)]).astype(np.int64)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, cost)
        flow.set_node_supply(source, n_e)
        flow.set_node_supply(sink, -n_e)
        status = flow.solve()
        if status != flow.BAD_COST_RANGE or limit < 2**10:
            break
        limit >>= 8  # solver potentials overflowed: coarser scores, same constraints
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver failed with status {status!r}")

    arcs = n_e + np.arange(pair_mentee.size, dtype=np.int32)
    chosen = flow.flows(arcs) > 0
    for e, m in zip(
        used_mentees[pair_mentee[chosen]].tolist(),
        used_mentors[pair_mentor[chosen]].tolist(),
        strict=True,
    ):
        result[mentees[e]] = mentors[m]
    return result


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
