"""The reviewer assignment's min-cost flow, and its fast path for large instances: solve on a
few pairs per application, then prove the result optimal on all of them (or say it is not).

Pure, as ``assignment`` which uses it: numpy and OR-Tools, no Django.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

__all__ = ["Flow", "flow", "solve_sparse", "worth_sparse"]

Flow = min_cost_flow.SimpleMinCostFlow


def flow(
    pair_app, pair_rev, gain, n_revs: int, n_apps: int, k: int, low, extra: int, can_extra=None
):
    """Min-cost flow on the allowed pairs given: status, which pairs are used, and which
    reviewers take one of the `extra` reviews.

    `low` is every reviewer's minimum load (one number, or one per reviewer when caps hold
    some below the others); `can_extra` says who may take one of the `extra` reviews above it
    (everyone when None)."""
    n_pairs = pair_app.size
    # Nodes: reviewers [0, R), applications [R, R + A), one "extra" node R + A.
    extra_node = n_revs + n_apps
    tails = np.concatenate([pair_rev, np.full(n_revs, extra_node)]).astype(np.int32)
    heads = np.concatenate([pair_app + n_revs, np.arange(n_revs)]).astype(np.int32)
    extra_arcs = (
        np.ones(n_revs, dtype=np.int64) if can_extra is None else can_extra.astype(np.int64)
    )
    capacity = np.concatenate([np.ones(n_pairs, dtype=np.int64), extra_arcs])
    # Each reviewer must send `low` reviews; the `extra` leftover reviews come from one
    # node that can add at most one per reviewer, which is exactly the floor/ceil balance.
    lows = np.broadcast_to(np.asarray(low, dtype=np.int64), (n_revs,))
    supplies = np.concatenate([lows, np.full(n_apps, -k), [extra]]).astype(np.int64)
    solver = Flow()
    solver.add_arcs_with_capacity_and_unit_cost(
        tails, heads, capacity, np.concatenate([-gain, np.zeros(n_revs, dtype=np.int64)])
    )
    solver.set_nodes_supplies(np.arange(extra_node + 1, dtype=np.int32), supplies)
    status = solver.solve()
    if status != Flow.OPTIMAL:
        return status, None, None
    flows = solver.flows(np.arange(n_pairs + n_revs, dtype=np.int32)) > 0
    return status, flows[:n_pairs], flows[n_pairs:]


# --- Large instances: solve on a few pairs per application, prove it optimal on all -----
#: Pairs kept per application at first: its best `k * SPARSE_PER_SLOT` reviewers.
SPARSE_PER_SLOT = 2
#: From this many pairs (applications x reviewers) the fast path is tried first...
SPARSE_FROM_PAIRS = 100_000
#: ...with at most this many reviewers (its proof costs reviewers**3)...
SPARSE_MAX_REVIEWERS = 400
#: ...and this many rounds of adding the pairs the proof asks for, before solving on all.
SPARSE_ROUNDS = 3


def worth_sparse(n_apps: int, n_revs: int, k: int) -> bool:
    return (
        n_apps * n_revs >= SPARSE_FROM_PAIRS
        and 2 * k * SPARSE_PER_SLOT <= n_revs <= SPARSE_MAX_REVIEWERS
    )


def solve_sparse(allowed, pair_app, pair_rev, gain, k: int, low, extra: int, can_extra=None):
    """The optimum on all allowed pairs found on a subset of them, or None (then solve on all).
    `low`, `extra` and `can_extra` are the loads, as for `flow` (caps included).

    Kept at first: each application's best ``k * SPARSE_PER_SLOT`` reviewers (ties broken
    by fixed pseudo-random numbers) and two balanced round-robin assignments, which make the
    subset feasible unless conflicts are dense. The subset's optimum is optimal for all pairs
    exactly when its residual graph has no negative cycle through the pairs left out: with
    shortest distances ``d`` in the subset's residual graph (`_distances`), a pair (a, r) left
    out is needed only if ``d[r] - gain(a, r) < d[a]`` (a negative reduced cost). Those pairs
    are added, best first, and the subset solved again; if that does not settle it in a few
    rounds, None. Integer gains, as the solver's, so the proof is exact.
    """
    n_apps, n_revs = allowed.shape
    gains = np.zeros((n_apps, n_revs), dtype=np.int64)
    gains[pair_app, pair_rev] = gain
    per_app = min(n_revs, k * SPARSE_PER_SLOT)
    rows = np.arange(n_apps)[:, None]
    ranked = np.where(allowed, gains + np.random.default_rng(0).random(gains.shape), -np.inf)
    keep = np.zeros_like(allowed)
    keep[rows, np.argpartition(-ranked, per_app - 1, axis=1)[:, :per_app]] = True
    robin = rows * k + np.arange(k)
    keep[rows, robin % n_revs] = True
    keep[rows, (robin + n_revs // 2) % n_revs] = True
    keep &= allowed
    for _round in range(SPARSE_ROUNDS):
        kept_app, kept_rev = np.nonzero(keep)
        status, used, extra_used = flow(
            kept_app, kept_rev, gains[keep], n_revs, n_apps, k, low, extra, can_extra
        )
        if status != Flow.OPTIMAL:
            return None
        to_reviewer, to_application = _distances(
            gains,
            kept_app[~used],
            kept_rev[~used],
            kept_rev[used].reshape(n_apps, k),
            extra_used,
            np.ones(n_revs, dtype=bool) if can_extra is None else can_extra,
        )
        reduced = to_reviewer[None, :] - gains - to_application[:, None]
        needed = allowed & ~keep & (reduced < 0)
        if not needed.any():
            chosen = np.zeros_like(allowed)
            chosen[kept_app[used], kept_rev[used]] = True
            return chosen[pair_app, pair_rev]
        if needed.sum() > keep.sum():
            return None  # far from it: solving on all pairs is quicker
        reduced[~needed] = np.inf
        best = np.argpartition(reduced, per_app - 1, axis=1)[:, :per_app]
        more = np.zeros_like(keep)
        more[rows, best] = True
        keep |= more & needed
    return None


def _distances(gains, free_app, free_rev, slots, extra_used, can_extra):
    """Shortest distances to every reviewer and application in the residual graph of a
    subset's optimal flow, from a root with a 0 arc to every node.

    Residual arcs: reviewer -> application for a free pair (cost -gain), application ->
    reviewer for a chosen pair (`slots`: each application's reviewers; cost +gain), and the
    extra node's arcs (0; none to a reviewer its cap keeps at its minimum). Paths alternate
    between reviewers and applications, so the reviewers' distances come from a small graph
    between reviewers (and the extra node), each arc the cheapest detour through one
    application, solved by Floyd-Warshall; an application's distance follows from the
    reviewers'. Floats are exact here: integer
    gains below 2**31, paths of fewer than 2**20 arcs.
    """
    n_apps, n_revs = gains.shape
    size = n_revs + 1  # reviewers, then the extra node
    between = np.full(size * size, np.inf)
    between[:: size + 1] = 0.0
    start = np.zeros(size)  # root -> application -> reviewer, or 0
    free_gain = gains[free_app, free_rev].astype(np.float64)
    for reviewer in slots.T:
        own = gains[np.arange(n_apps), reviewer].astype(np.float64)
        np.minimum.at(start, reviewer, own)
        # reviewer r -> application a (free) -> a's chosen `reviewer`
        np.minimum.at(between, free_rev * size + reviewer[free_app], own[free_app] - free_gain)
    between = between.reshape(size, size)
    between[np.flatnonzero(extra_used), n_revs] = 0.0
    between[n_revs, np.flatnonzero(~extra_used & can_extra)] = 0.0
    for via in range(size):
        between = np.minimum(between, between[:, via, None] + between[None, via, :])
    to_reviewer = (start[:, None] + between).min(axis=0)[:n_revs]
    to_application = np.zeros(n_apps)
    np.minimum.at(to_application, free_app, to_reviewer[free_rev] - free_gain)
    return to_reviewer, to_application
