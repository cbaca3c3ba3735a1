"""A review's weighted rubric total, on a 0-100 scale, from plain values (no Django)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: Decimal | float
    scale_max: int


def weighted_total(
    scores: Mapping[str, int | float], criteria: Iterable[Criterion]
) -> float | None:
    """Sum of weight * score over sum of weight * highest score, as a percentage (None if a
    score is missing).

    Criteria with weight 0 count for nothing; a rubric whose weights are all 0 gives None.
    Scores are keyed by the criterion id as a string (JSON keys).
    """
    numerator = 0.0
    denominator = 0.0
    for criterion in criteria:
        value = scores.get(str(criterion.id))
        if value is None:
            return None
        weight = float(criterion.weight)
        numerator += weight * float(value)
        denominator += weight * criterion.scale_max
    if denominator == 0:
        return None
    return 100.0 * numerator / denominator
