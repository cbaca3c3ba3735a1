"""Combining reviewers' scores fairly: per-reviewer z-scores and the spread of an application's
scores. Pure: plain numbers in and out; no Django."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

__all__ = ["normalize_scores", "score_spread"]


def normalize_scores(scores: Mapping[tuple[Hashable, Hashable], float]) -> dict[Hashable, float]:
    """Combine reviewers' scores so that harsh and lenient reviewers weigh the same.

    Formula: for each reviewer *r* with scores ``s_r1 .. s_rn`` (mean ``m_r``, population
    standard deviation ``sd_r``), each score becomes ``z = (s - m_r) / sd_r``. An
    application's result is the mean of the ``z`` of the reviewers who scored it.

    A reviewer whose scores have zero spread (all equal, including a single score)
    contributes ``z = 0`` for each of their applications: equal scores say nothing about
    how those applications compare, and 0 is the neutral value of a standardised score.
    The reviewer still counts in the application's mean (as an "average" opinion).

    Because ``z`` is unchanged when a reviewer's scores are all replaced by ``a * s + b``
    with ``a > 0``, the result is too (up to floating-point rounding).

    Args:
        scores: maps ``(reviewer, application)`` to a finite real number.

    Returns:
        ``{application: normalised score}`` for every application appearing in ``scores``,
        in order of first appearance. Sums use ``math.fsum`` (correctly rounded), so the
        result does not depend on the iteration order of ``scores``.

    Raises:
        ValueError: a non-finite score.
        TypeError: a non-numeric score.
    """
    by_reviewer: dict[Hashable, list[tuple[Hashable, float]]] = {}
    for (reviewer, application), raw in scores.items():
        value = _real(raw)
        if not math.isfinite(value):
            raise ValueError(f"score of reviewer {reviewer!r} for {application!r} is not finite")
        by_reviewer.setdefault(reviewer, []).append((application, value))
    contributions: dict[Hashable, list[float]] = {app: [] for _, app in scores}
    for entries in by_reviewer.values():
        values = [v for _, v in entries]
        # Exact equality, not sd == 0: the mean of equal floats can be off by one ulp,
        # which would turn a constant reviewer into a noisy one.
        if min(values) == max(values):
            for app, _ in entries:
                contributions[app].append(0.0)
            continue
        mean = math.fsum(values) / len(values)
        deviations = [v - mean for v in values]
        # Dividing by the largest deviation first keeps the squares away from underflow
        # (scores like 1e-200) and overflow (1e200); z-scores are scale-free anyway.
        scale = max(map(abs, deviations))
        units = [d / scale for d in deviations]
        sd = math.sqrt(math.fsum(u * u for u in units) / len(units))
        for (app, _), unit in zip(entries, units, strict=True):
            contributions[app].append(unit / sd)
    return {app: math.fsum(zs) / len(zs) for app, zs in contributions.items()}


def _real(value: object) -> float:
    # float() would also accept "7" or b"7"; a score typed as text is a caller bug.
    if isinstance(value, str | bytes | bytearray):
        raise TypeError(f"scores must be real numbers, got {value!r}")
    return float(value)  # type: ignore[arg-type]


def score_spread(values: Iterable[float]) -> float:
    """Population standard deviation of raw scores, for a "reviewers disagree" flag.

    Empty input or a single value gives 0.0. Uses ``math.fsum``, so the result does not
    depend on the order of ``values``.
    """
    data = [_real(v) for v in values]
    if len(data) < 2:
        return 0.0
    mean = math.fsum(data) / len(data)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in data) / len(data))
