"""Benchmark exchanges.couples.stable_match_with_couples up to national scale.

Run from the repository root: ``python tests/bench/bench_couples.py``.
"""

from __future__ import annotations

import sys

import harness
import numpy as np
from bench_placement import make_instance

from exchanges.couples import blocking, stable_match_with_couples

COUPLE_SHARE = 0.02  # of students, two per couple
PAIRS = 12  # pairs each couple ranks (fewer when its members' lists are short)
# (students, rotations, most seats a rotation): 7 students a rotation, capacities 0-8 as in
# bench_placement (about 0.56 seats a student); the last case, 0-16, places more couples.
CASES = [(1_000, 140, 8), (5_000, 700, 8), (20_000, 2_800, 8), (50_000, 7_000, 8)]
CASES.append((50_000, 7_000, 16))


def make_market(n_students: int, n_rotations: int, max_capacity: int = 8, seed: int = 0):
    """bench_placement's instance (12 ranks a student), then 2 % of the students paired up:
    each couple ranks pairs of its members' own top choices, best sums of ranks first."""
    sp, rp, caps = make_instance(
        n_students, n_rotations, min_ranks=12, max_capacity=max_capacity, seed=seed
    )
    rng = np.random.default_rng(seed + 1)
    ids = list(sp)
    n_couples = int(n_students * COUPLE_SHARE) // 2
    chosen = rng.choice(len(ids), 2 * n_couples, replace=False).tolist()
    cp = {}
    for k in range(n_couples):
        a, b = ids[chosen[2 * k]], ids[chosen[2 * k + 1]]
        la, lb = sp.pop(a)[:4], sp.pop(b)[:4]
        order = sorted((i + j, i, j) for i in range(len(la)) for j in range(len(lb)))[:PAIRS]
        cp[f"COUPLE-{k:04d}"] = (a, b, [(la[i], lb[j]) for _, i, j in order])
    return sp, cp, rp, caps


def check(market, result) -> None:
    """Independent check (``blocking``, written apart from the algorithm): capacities, mutual
    acceptability and couples together always; no blocking single or couple if stable."""
    found = blocking(result, *market)
    invalid = [b for b in found if b.kind not in ("student", "couple")]
    assert not invalid, f"invalid placement: {invalid[:5]}"
    assert not (result.stable and found), f"reported stable, but blocked by {found[:5]}"
    assert result.stable or result.couples_involved, "unstable without naming a couple"


def main() -> None:
    print(harness.versions("numpy"))
    national = []
    for n_students, n_rotations, max_capacity in CASES:
        market = make_market(n_students, n_rotations, max_capacity)
        _, cp, _, caps = market
        if n_students == 50_000:
            run = harness.measure(lambda m=market: stable_match_with_couples(*m))
            seconds, result, memory = run.seconds, run.result, run.memory()
            national.append(seconds)
        else:
            seconds, result = harness.best_of(3, lambda m=market: stable_match_with_couples(*m))
            memory = None
        placed = sum(r is not None for r in result.placement.values())
        couples_placed = sum(result.placement[a] is not None for a, _, _ in cp.values())
        print(
            f"{n_students:>6,} students x {n_rotations:>5,} rotations, {len(cp):,} couples "
            f"({sum(len(p) for *_, p in cp.values()):,} pairs), {sum(caps.values()):,} seats "
            f"(0-{max_capacity} a rotation): "
            f"{seconds * 1000:.0f} ms (best of 3), stable {result.stable}, "
            f"rounds {result.rounds}, {placed:,} placed ({couples_placed:,} couples)"
            + (f", couples involved {result.couples_involved[:5]}" if not result.stable else "")
        )
        if memory:
            print(f"  {memory}")
        if "--no-check" not in sys.argv:
            check(market, result)
    print("verified: capacity, mutual acceptability, couples together, no blocking pair if stable")
    harness.target("national (50,000 x 7,000, 2 % in couples) < 2 s", max(national) < 2.0)


if __name__ == "__main__":
    main()
