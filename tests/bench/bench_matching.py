"""Benchmark mentorship.matching.assign_mentors on a large mentoring round.

Run from the repository root: ``python tests/bench/bench_matching.py``.
"""

from __future__ import annotations

import harness
import numpy as np
from scipy.sparse import vstack

from mentorship.matching import assign_mentors

N_MENTEES, N_MENTORS, ELIGIBLE_RATE, MAX_CAPACITY = 5_000, 1_000, 0.05, 6


def make_instance(seed: int = 0):
    """Float compatibilities in [-1, 9) (about 10 % negative) on 5 % of the pairs."""
    rng = np.random.default_rng(seed)
    mentees = [f"mentee-{i}" for i in range(N_MENTEES)]
    mentors = list(range(1, N_MENTORS + 1))
    eligible = rng.random((N_MENTEES, N_MENTORS)) < ELIGIBLE_RATE
    pe, pm = np.nonzero(eligible)
    values = rng.random(pe.size) * 10 - 1
    scores = {
        (mentees[e], mentors[m]): v
        for e, m, v in zip(pe.tolist(), pm.tolist(), values.tolist(), strict=True)
    }
    capacities = dict(
        zip(mentors, rng.integers(0, MAX_CAPACITY + 1, N_MENTORS).tolist(), strict=True)
    )
    return mentees, mentors, scores, capacities, pe, pm, values


def lp_optimum(pe, pm, values, capacity_array) -> float:
    """Independent optimum via the LP relaxation: one mentor per mentee, mentors' capacities."""
    return harness.lp_maximum(
        values,
        A_ub=vstack([harness.incidence(pe, N_MENTEES), harness.incidence(pm, N_MENTORS)]),
        b_ub=np.concatenate([np.ones(N_MENTEES), capacity_array]),
    )


def main() -> None:
    print(harness.versions("numpy", "scipy"))
    _, mentors, scores, capacities, pe, pm, values = make_instance()
    print(
        f"instance: {N_MENTEES:,} mentees x {N_MENTORS:,} mentors, {len(scores):,} eligible "
        f"pairs ({ELIGIBLE_RATE:.0%}, float scores, {int((values < 0).sum()):,} negative), "
        f"capacities 0-{MAX_CAPACITY} ({sum(capacities.values()):,} seats)"
    )

    run = harness.measure(lambda: assign_mentors(scores, capacities))
    seconds, result = run.seconds, run.result
    print(f"assign_mentors: {seconds:.3f} s (best of 3)")
    print(run.memory())

    loads: dict = {}
    for e, m in result.items():
        if m is not None:
            assert (e, m) in scores and scores[(e, m)] >= 0
            loads[m] = loads.get(m, 0) + 1
    assert all(n <= capacities.get(m, 0) for m, n in loads.items())
    achieved = sum(scores[(e, m)] for e, m in result.items() if m is not None)
    optimum = lp_optimum(pe, pm, values, np.asarray([capacities[m] for m in mentors], float))
    print(
        f"verified constraints; {sum(loads.values()):,} matched, total score {achieved:,.6f} "
        f"(LP optimum {optimum:,.6f}, relative gap {abs(achieved - optimum) / optimum:.1e})"
    )
    assert abs(achieved - optimum) <= 1e-6 * abs(optimum), "not optimal"
    harness.target("< 1 s", seconds < 1.0)


if __name__ == "__main__":
    main()
