"""Assigning reviewers to scholarship applications: balanced loads, no conflicts, best affinity
(an exact min-cost flow, OR-Tools). Pure: plain ids in, plain ids out; no Django."""

from __future__ import annotations

import math
import operator
from collections.abc import Collection, Hashable, Iterable, Mapping
from itertools import repeat
from operator import itemgetter

import numpy as np
from ortools.graph.python import max_flow

from applications.algorithms.assignment_sparse import Flow, flow, solve_sparse, worth_sparse

__all__ = ["assign_reviewers"]

_INT64_MAX = np.iinfo(np.int64).max
#: Integer affinities up to this magnitude are used exactly; see ``assign_reviewers``.
EXACT_AFFINITY_LIMIT = 2**31


def assign_reviewers(
    applications: Iterable[Hashable],
    reviewers: Iterable[Hashable],
    per_application: int,
    conflicts: Collection[tuple[Hashable, Hashable]] = (),
    affinity: Mapping[tuple[Hashable, Hashable], float] | np.ndarray | None = None,
    capacities: Mapping[Hashable, int] | None = None,
) -> dict[Hashable, list[Hashable]]:
    """Give every application ``per_application`` reviewers, balanced and best-matched.

    Constraints (all hard):

    * every application gets exactly ``per_application`` distinct reviewers;
    * no (application, reviewer) pair listed in ``conflicts`` is used;
    * loads are balanced: with ``L = len(applications) * per_application`` reviews and
      ``R`` reviewers, every reviewer gets ``L // R`` or ``ceil(L / R)`` reviews (so exactly
      ``L % R`` reviewers get the larger number);
    * with ``capacities``, no reviewer takes more than their cap, and the balance above is
      replaced by the most even loads the caps allow (water-filling): for the largest level
      ``t`` with ``sum(min(cap, t)) <= L``, a reviewer whose cap is at most ``t`` takes
      exactly their cap and every other takes ``t`` or ``t + 1`` (so the sorted loads are
      the lexicographically most balanced vector under the caps). Caps that every balanced
      assignment meets anyway change nothing: the result is the one without them.

    Among all assignments meeting them, the returned one maximises the total
    ``affinity[(application, reviewer)]`` over the pairs used (missing pairs count 0; the
    default ``None`` makes every assignment equally good). It is computed exactly as a
    min-cost flow (OR-Tools), not greedily.

    Affinity values: integers of magnitude up to ``EXACT_AFFINITY_LIMIT`` (2**31) are used
    exactly (for instances below about two million applications + reviewers, where the
    solver's own range is larger). Anything else (fractions, or larger integers) is
    multiplied by one power of two chosen so the largest magnitude is about 2**31, then
    rounded: the optimum is then exact up to that rounding, i.e. totals that differ by less
    than about ``L * max|affinity| * 2**-32`` are treated as equal. Dyadic fractions such as
    0.5 or 0.25 stay exact. Values must be finite reals.

    Args:
        applications: application ids; duplicates are ignored (first occurrence counts).
        reviewers: reviewer ids, same rule. Their order is the order of each result list.
        per_application: reviews per application, a non-negative integer.
        conflicts: (application, reviewer) pairs that must not be assigned. Pairs naming
            unknown ids are ignored.
        affinity: mapping of (application, reviewer) to a real number; higher is better.
            Pairs naming unknown ids are ignored. Or, for a large instance, the same as a
            2-D numpy array with one row per application and one column per reviewer, in
            the order given (duplicates dropped): no mapping of every pair to build.
        capacities: reviewer -> the most reviews they may take (a non-negative integer);
            a reviewer left out has no cap, unknown ids are ignored. None: no caps.

    Returns:
        ``{application: [reviewer, ...]}`` with every application as a key (input order)
        and its reviewers in the order of ``reviewers``. No applications gives ``{}``
        (whatever the reviewers); ``per_application == 0`` gives empty lists.
        The same input always gives the same output, ties included.

    Raises:
        ValueError: exactly when no assignment meets the constraints, with a message naming
            the binding constraint where one can be isolated (too few reviewers, an
            application with too few conflict-free reviewers, a reviewer who cannot reach
            the minimum balanced load, or a group of applications/reviewers for which
            balanced loads and conflicts cannot both hold; with caps, caps that add up to
            fewer reviews than needed). Also for a negative ``per_application``, a negative
            cap or a non-finite affinity.
        TypeError: non-integer ``per_application`` or non-numeric affinity.

    Large instances (from ``assignment_sparse.SPARSE_FROM_PAIRS`` pairs) are first solved
    on a few pairs per application and the result proved optimal on all pairs (no negative
    reduced cost), else solved on all: the same optimum, several times faster when
    affinities do not all favour the same few reviewers. Caps are honoured on both paths
    (the fast path solves the same flow with the caps' bounds).

    Identifiers only need to be hashable; they are never compared with each other.
    Memory grows with ``len(applications) * len(reviewers)`` (dense conflict/affinity
    matrices), about 50 MB at 5,000 x 150.
    """
    apps = list(dict.fromkeys(applications))
    revs = list(dict.fromkeys(reviewers))
    k = operator.index(per_application)
    if k < 0:
        raise ValueError(f"per_application must be non-negative, got {k}")
    if not apps:
        return {}
    if k == 0:
        return {a: [] for a in apps}
    n_apps, n_revs = len(apps), len(revs)
    if k > n_revs:
        raise ValueError(f"per_application ({k}) exceeds the number of reviewers ({n_revs})")

    app_index = dict(zip(apps, range(n_apps), strict=True))
    rev_index = dict(zip(revs, range(n_revs), strict=True))
    allowed = np.ones((n_apps, n_revs), dtype=bool)
    for pair in conflicts:
        a, r = pair
        ai, ri = app_index.get(a), rev_index.get(r)
        if ai is not None and ri is not None:
            allowed[ai, ri] = False
    weight = _affinity_matrix(affinity, app_index, rev_index)

    total = n_apps * k
    low, extra = divmod(total, n_revs)
    high = low + (extra > 0)
    caps = _caps(capacities, rev_index, n_apps)
    bounds = None  # per-reviewer (minimum, may take one more) when caps bind
    if caps is not None and bool((caps < high).any()):
        bounds = _water_fill(caps, total)
        low, extra = bounds[0], bounds[2]
    _check_obvious(apps, revs, allowed, k, low, bounds)
    can_extra = None if bounds is None else bounds[1]
    loads = (n_revs, n_apps, k, low, extra, can_extra)

    pair_app, pair_rev = np.nonzero(allowed)  # app-major, reviewers in input order
    gain = weight[pair_app, pair_rev] if weight is not None else np.zeros(pair_app.size)
    limit = min(EXACT_AFFINITY_LIMIT, _INT64_MAX // (2 * (n_revs + n_apps + 2)) // 1024)
    used = None
    if weight is not None and worth_sparse(n_apps, n_revs, k):
        used = solve_sparse(
            allowed, pair_app, pair_rev, _to_integers(gain, limit), k, low, extra, can_extra
        )
    if used is None:
        while True:
            status, used, _extra = flow(pair_app, pair_rev, _to_integers(gain, limit), *loads)
            if status != Flow.BAD_COST_RANGE or limit < 2**10:
                break
            limit >>= 8  # solver potentials overflowed: coarser costs, same constraints
        if status == Flow.INFEASIBLE:
            if bounds is not None:  # each reviewer's own bounds
                high = low + (can_extra & (extra > 0))
            raise ValueError(_explain_infeasible(apps, revs, allowed, k, low, high))
        if status != Flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow solver failed with status {status!r}")

    result: dict[Hashable, list[Hashable]] = {a: [] for a in apps}
    for ai, ri in zip(pair_app[used].tolist(), pair_rev[used].tolist(), strict=True):
        result[apps[ai]].append(revs[ri])
    return result


def _affinity_matrix(
    affinity: Mapping[tuple[Hashable, Hashable], float] | None,
    app_index: dict[Hashable, int],
    rev_index: dict[Hashable, int],
) -> np.ndarray | None:
    if isinstance(affinity, np.ndarray):
        if affinity.shape != (len(app_index), len(rev_index)):
            raise ValueError(
                f"the affinity matrix has shape {affinity.shape}, not one row per application "
                f"and one column per reviewer ({len(app_index)}, {len(rev_index)})"
            )
        return _as_numbers(affinity, "affinity")
    if not affinity:
        return None
    keys = list(affinity.keys())
    n = len(keys)
    ai = np.fromiter(map(app_index.get, map(itemgetter(0), keys), repeat(-1)), np.int64, n)
    ri = np.fromiter(map(rev_index.get, map(itemgetter(1), keys), repeat(-1)), np.int64, n)
    values = _as_numbers(list(affinity.values()), "affinity")
    known = (ai >= 0) & (ri >= 0)
    matrix = np.zeros((len(app_index), len(rev_index)), dtype=values.dtype)
    matrix[ai[known], ri[known]] = values[known]
    return matrix


def _caps(
    capacities: Mapping[Hashable, int] | None, rev_index: dict[Hashable, int], n_apps: int
) -> np.ndarray | None:
    """Each reviewer's cap, at most the number of applications (no one can take more, so a
    reviewer without a cap has that one)."""
    if capacities is None:
        return None
    caps = np.full(len(rev_index), n_apps, dtype=np.int64)
    for reviewer, cap in capacities.items():
        index = rev_index.get(reviewer)
        if index is None:
            continue
        cap = operator.index(cap)
        if cap < 0:
            raise ValueError(f"the cap of reviewer {reviewer!r} is negative ({cap})")
        caps[index] = min(cap, n_apps)
    return caps


def _water_fill(caps: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The most even loads under the caps: each reviewer's minimum, who may take one more,
    and how many take one more. The level ``t`` is the largest with ``sum(min(cap, t)) <=
    total``; the reviews left over go one each to reviewers whose cap is above ``t``."""
    room = int(caps.sum())
    if room < total:
        raise ValueError(
            f"the reviewers' caps allow {_count(room, 'review')} in all, but the applications "
            f"need {total}"
        )
    low, high = 0, total  # the level is in [low, high]: invariant sum(min(caps, low)) <= total
    while low < high:
        middle = (low + high + 1) // 2
        if int(np.minimum(caps, middle).sum()) <= total:
            low = middle
        else:
            high = middle - 1
    lower = np.minimum(caps, low)
    return lower, caps > low, total - int(lower.sum())


def _as_numbers(values: list | np.ndarray, what: str) -> np.ndarray:
    array = np.asarray(values)
    # Text such as "7" would convert silently; a number typed as text is a caller bug.
    textual = array.dtype.kind in "USV" or (
        array.dtype.kind == "O" and any(isinstance(v, str | bytes) for v in array.flat)
    )
    if textual:
        raise TypeError(f"every {what} must be a real number")
    if array.dtype.kind not in "biuf":
        try:
            array = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"every {what} must be a real number") from None
    if array.dtype.kind in "bu":
        array = array.astype(np.float64 if array.dtype.itemsize >= 8 else np.int64)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"every {what} must be finite")
    return array


def _to_integers(values: np.ndarray, limit: int) -> np.ndarray:
    """Exact when values are integers within ``limit``; else scaled by a power of two."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    peak = float(np.abs(values).max())
    if peak == 0.0:
        return np.zeros(values.size, dtype=np.int64)
    integral = values.dtype.kind == "i" or bool((values == np.round(values)).all())
    if integral and peak <= limit:
        return values.astype(np.int64)
    # A power of two keeps dyadic values (0.5, 0.25, ...) exact, so their ties stay ties.
    # frexp instead of log2(limit / peak): that ratio overflows for subnormal peaks.
    exponent = (limit.bit_length() - 1) - math.frexp(peak)[1]
    return np.rint(np.ldexp(values.astype(np.float64), exponent)).astype(np.int64)


def _check_obvious(
    apps: list[Hashable],
    revs: list[Hashable],
    allowed: np.ndarray,
    k: int,
    low,
    bounds: tuple[np.ndarray, np.ndarray, int] | None = None,
) -> None:
    # Cheap necessary conditions first: they name a single culprit, which is the most
    # useful message for a coordinator fixing conflicts.
    capped = ""
    if bounds is not None:  # a reviewer whose cap is 0 takes nothing
        lower, can_extra, extra = bounds
        allowed = allowed & ((lower + (can_extra & (extra > 0))) > 0)[None, :]
        capped = " and below their cap"
    free_per_app = allowed.sum(axis=1)
    short = np.flatnonzero(free_per_app < k)
    if short.size:
        i = int(short[0])
        more = f" (and {short.size - 1} more applications)" if short.size > 1 else ""
        raise ValueError(
            f"application {apps[i]!r} has only {_count(int(free_per_app[i]), 'reviewer')} "
            f"without a conflict{capped} but needs {k}{more}"
        )
    free_per_rev = allowed.sum(axis=0)
    if bounds is not None:
        idle = np.flatnonzero(free_per_rev < low)
        if idle.size:
            i = int(idle[0])
            more = f" (and {idle.size - 1} more reviewers)" if idle.size > 1 else ""
            raise ValueError(
                f"the most even loads the caps allow make this infeasible: reviewer "
                f"{revs[i]!r} must take {_count(int(low[i]), 'review')}, but has no conflict "
                f"with only {_count(int(free_per_rev[i]), 'application')}{more}"
            )
        return
    idle = np.flatnonzero(free_per_rev < low)
    if idle.size:
        i = int(idle[0])
        more = f" (and {idle.size - 1} more reviewers)" if idle.size > 1 else ""
        raise ValueError(
            f"balanced loads make this infeasible: every reviewer must take at least "
            f"{_count(low, 'review')}, but reviewer {revs[i]!r} has no conflict with only "
            f"{_count(int(free_per_rev[i]), 'application')}{more}"
        )


def _explain_infeasible(
    apps: list[Hashable],
    revs: list[Hashable],
    allowed: np.ndarray,
    k: int,
    low,
    high,
) -> str:
    """Find a group violating one side of the balance via a max-flow min cut. `low` and
    `high` are the loads' bounds: one number each, or one per reviewer under caps."""
    n_apps, n_revs = allowed.shape
    capped = np.ndim(low) > 0
    lows = np.broadcast_to(np.asarray(low, dtype=np.int64), (n_revs,))
    highs = np.broadcast_to(np.asarray(high, dtype=np.int64), (n_revs,))
    loads = "the most even loads the caps allow" if capped else "balanced loads"
    pair_app, pair_rev = np.nonzero(allowed)
    ones = np.ones(pair_app.size, dtype=np.int64)

    # Upper bounds only: can the applications get k reviews if nobody takes more than high?
    source, sink = n_apps + n_revs, n_apps + n_revs + 1
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(
        np.concatenate([np.full(n_apps, source), pair_app, n_apps + np.arange(n_revs)]).astype(
            np.int32
        ),
        np.concatenate([np.arange(n_apps), n_apps + pair_rev, np.full(n_revs, sink)]).astype(
            np.int32
        ),
        np.concatenate([np.full(n_apps, k), ones, highs]).astype(np.int64),
    )
    if solver.solve(source, sink) == solver.OPTIMAL and solver.optimal_flow() < n_apps * k:
        group = sorted(n for n in solver.get_source_side_min_cut() if n < n_apps)
        reach = np.minimum(allowed[group].sum(axis=0), highs).sum()
        most = (
            "within each reviewer's cap" if capped else f"with at most {high} reviews per reviewer"
        )
        return (
            f"{loads} make this infeasible: applications {_names(apps, group)} need "
            f"{k * len(group)} reviews together, but {most} "
            f"their conflict-free reviewers can give only {int(reach)}"
        )

    # Lower bounds only: can every reviewer reach low reviews?
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(
        np.concatenate([np.full(n_revs, source), n_apps + pair_rev, np.arange(n_apps)]).astype(
            np.int32
        ),
        np.concatenate([n_apps + np.arange(n_revs), pair_app, np.full(n_apps, sink)]).astype(
            np.int32
        ),
        np.concatenate([lows, ones, np.full(n_apps, k)]).astype(np.int64),
    )
    if solver.solve(source, sink) == solver.OPTIMAL and solver.optimal_flow() < lows.sum():
        group = sorted(n - n_apps for n in solver.get_source_side_min_cut() if n_apps <= n < source)
        reach = np.minimum(allowed[:, group].sum(axis=1), k).sum()
        least = (
            f"{int(lows[group].sum())} reviews together"
            if capped
            else f"at least {_count(low, 'review')} each ({low * len(group)} together)"
        )
        return (
            f"{loads} make this infeasible: reviewers {_names(revs, group)} must take "
            f"{least}, but the applications they have no conflict with can take only "
            f"{int(reach)} of them"
        )
    if capped:
        return (
            f"{loads} make this infeasible: no assignment gives them while respecting the conflicts"
        )
    return (
        f"balanced loads make this infeasible: no assignment gives every reviewer {low} to "
        f"{high} reviews while respecting the conflicts"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _names(ids: list[Hashable], indices: list[int], shown: int = 5) -> str:
    names = ", ".join(repr(ids[i]) for i in indices[:shown])
    return names + (f" and {len(indices) - shown} more" if len(indices) > shown else "")
