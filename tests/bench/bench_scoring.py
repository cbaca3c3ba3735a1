"""Benchmark applications.algorithms.assignment.assign_reviewers on a national-round-sized instance.

Run from the repository root: ``python tests/bench/bench_scoring.py``.
"""

from __future__ import annotations

import harness
import numpy as np
from scipy.sparse import vstack

from applications.algorithms.assignment import assign_reviewers

N_APPS, N_REVIEWERS, PER_APP, CONFLICT_RATE = 5_000, 150, 3, 0.02


def make_instance(seed: int = 0):
    """Affinity 0-9 = reviewer popularity (0-5) + 4 per shared topic + noise, capped at 9.

    Popular reviewers score high with everybody, so without the balance constraint they
    would take most reviews: the balance constraint binds.
    """
    rng = np.random.default_rng(seed)
    apps = [f"APP-{i:05d}" for i in range(N_APPS)]
    reviewers = list(range(1, N_REVIEWERS + 1))
    popularity = rng.integers(0, 6, N_REVIEWERS)
    app_topic = rng.integers(0, 20, N_APPS)
    reviewer_topics = rng.integers(0, 20, (N_REVIEWERS, 2))
    shared = (app_topic[:, None] == reviewer_topics[None, :, 0]) | (
        app_topic[:, None] == reviewer_topics[None, :, 1]
    )
    affinity_matrix = np.minimum(
        9, popularity[None, :] + 4 * shared + rng.integers(0, 2, (N_APPS, N_REVIEWERS))
    )
    conflict_matrix = rng.random((N_APPS, N_REVIEWERS)) < CONFLICT_RATE
    ca, cr = np.nonzero(conflict_matrix)
    conflicts = {(apps[a], reviewers[r]) for a, r in zip(ca.tolist(), cr.tolist(), strict=True)}
    affinity = {
        (a, r): v
        for a, row in zip(apps, affinity_matrix.tolist(), strict=True)
        for r, v in zip(reviewers, row, strict=True)
    }
    return apps, reviewers, conflicts, affinity, affinity_matrix, conflict_matrix


def lp_optimum(affinity_matrix: np.ndarray, conflict_matrix: np.ndarray) -> float:
    """Independent optimum via the LP relaxation, balanced loads included."""
    pa, pr = np.nonzero(~conflict_matrix)
    total = N_APPS * PER_APP
    low, high = total // N_REVIEWERS, -(-total // N_REVIEWERS)
    load = harness.incidence(pr, N_REVIEWERS)
    return harness.lp_maximum(
        affinity_matrix[pa, pr].astype(float),
        A_ub=vstack([load, -load]),
        b_ub=np.concatenate([np.full(N_REVIEWERS, high), np.full(N_REVIEWERS, -low)]),
        A_eq=harness.incidence(pa, N_APPS),
        b_eq=np.full(N_APPS, PER_APP),
    )


def main() -> None:
    print(harness.versions("numpy", "scipy"))
    apps, reviewers, conflicts, affinity, affinity_matrix, conflict_matrix = make_instance()
    print(
        f"instance: {N_APPS:,} applications x {N_REVIEWERS} reviewers x {PER_APP} per "
        f"application, {len(conflicts):,} conflicts ({CONFLICT_RATE:.0%}), "
        f"{len(affinity):,} affinity entries (integers 0-9)"
    )

    run = harness.measure(lambda: assign_reviewers(apps, reviewers, PER_APP, conflicts, affinity))
    seconds, result = run.seconds, run.result
    print(f"assign_reviewers: {seconds:.3f} s (best of 3)")
    print(run.memory())

    # Constraints.
    loads = dict.fromkeys(reviewers, 0)
    for a, chosen in result.items():
        assert len(chosen) == len(set(chosen)) == PER_APP, a
        for r in chosen:
            assert (a, r) not in conflicts
            loads[r] += 1
    total = N_APPS * PER_APP
    low, high = total // N_REVIEWERS, -(-total // N_REVIEWERS)
    assert all(low <= n <= high for n in loads.values())
    print(f"verified: {PER_APP} distinct conflict-free reviewers each, loads in [{low}, {high}]")

    # Optimality, and proof that balancing matters on this instance.
    achieved = sum(affinity[(a, r)] for a, chosen in result.items() for r in chosen)
    optimum = lp_optimum(affinity_matrix, conflict_matrix)
    masked = np.where(conflict_matrix, -1, affinity_matrix)
    unbalanced = np.sort(masked, axis=1)[:, -PER_APP:].sum()
    print(
        f"total affinity: {achieved:,} (LP optimum {optimum:,.0f}; "
        f"without balancing {unbalanced:,})"
    )
    assert abs(achieved - optimum) < 1e-6, "not optimal"
    assert unbalanced > achieved, "balance constraint does not bind on this instance"
    harness.target("< 2 s", seconds < 2.0)


if __name__ == "__main__":
    main()
