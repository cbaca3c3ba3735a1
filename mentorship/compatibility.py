"""Compatibility of one mentee and one mentor, from plain values: a score and the reasons behind it.

Pure: no Django imports, so it can be tested with hypothesis and run on a whole round fast.

The formula (documented for programme staff on the weights page):

* **Language is a gate.** A pair that shares no language is ineligible (``None``); a shared
  language adds no points but is always the first reason given.
* **Four criteria**, each worth between 0 and 1:

  - *specialty*: the share of the mentee's interests among the mentor's specialties;
  - *time zone*: ``1 - hours apart / 12`` (hours apart on the 24-hour circle, 0 to 12);
  - *country*: 1 when the mentor knows the mentee's preferred country of practice;
  - *context*: the share of the mentee's programme countries (where their scholarship or
    placement is) that the mentor knows.

* **Score** = ``100 * sum(weight * criterion) / sum(weights)``: between 0 and 100 whatever
  the weights, and unchanged when every weight is multiplied by the same number. With every
  weight at 0 each eligible pair scores 0 (the round then only maximises how many are matched).
* Each criterion's share of the score is its reason's ``points``; the points add up to the
  score, so the reasons explain it exactly.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

__all__ = [
    "CRITERIA",
    "Compatibility",
    "MenteeTraits",
    "MentorTraits",
    "Reason",
    "Weights",
    "compatibility",
    "hours_apart",
    "score",
    "score_pairs",
    "utc_offset_hours",
]

#: The weighted criteria, in the order reasons are listed when their points tie.
CRITERIA = ("specialty", "time_zone", "country", "context")
_ORDER = {code: i for i, code in enumerate(("language", *CRITERIA))}


@dataclass(frozen=True)
class Weights:
    specialty: float = 4
    time_zone: float = 2
    country: float = 2
    context: float = 3

    def __post_init__(self) -> None:
        if any(getattr(self, name) < 0 for name in CRITERIA):
            raise ValueError("weights must not be negative")

    @property
    def total(self) -> float:
        return self.specialty + self.time_zone + self.country + self.context


@dataclass(frozen=True)
class MenteeTraits:
    languages: frozenset[str]
    interests: frozenset[str] = frozenset()
    utc_offset: float = 0.0  # hours east of UTC
    preferred_country: str = ""
    context_countries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MentorTraits:
    languages: frozenset[str]
    specialties: frozenset[str] = frozenset()
    utc_offset: float = 0.0
    countries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """One reason for a score: a code, what the two share, and the points it adds."""

    code: str  # "language" or one of CRITERIA
    values: tuple[str, ...] = ()  # shared languages, specialties or countries, sorted
    hours: float | None = None  # for "time_zone": hours apart
    points: float = 0.0

    def as_dict(self) -> dict:
        data = {"code": self.code, "values": list(self.values), "points": round(self.points, 2)}
        if self.hours is not None:
            data["hours"] = self.hours
        return data


@dataclass(frozen=True)
class Compatibility:
    score: float  # 0 to 100
    reasons: tuple[Reason, ...] = field(default=())  # language first, then most points first

    def top(self, n: int = 3) -> tuple[Reason, ...]:
        """The language reason and the ``n - 1`` criteria that add the most points."""
        return self.reasons[:1] + tuple(r for r in self.reasons[1:] if r.points > 0)[: n - 1]


def hours_apart(a: float, b: float) -> float:
    """Distance between two UTC offsets on the 24-hour circle: 0 to 12."""
    d = abs(a - b) % 24
    return min(d, 24 - d)


def utc_offset_hours(zone: str, at: datetime) -> float:
    """Hours east of UTC of ``zone`` at the aware instant ``at``; 0 for an unknown zone."""
    try:
        offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0.0
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def _share(wanted: frozenset[str], offered: frozenset[str]) -> tuple[float, frozenset[str]]:
    if not wanted:
        return 0.0, frozenset()
    common = wanted & offered
    return len(common) / len(wanted), common


def score(mentee: MenteeTraits, mentor: MentorTraits, weights: Weights) -> float | None:
    """The score alone (``None`` if ineligible): the fast path for a whole round."""
    if mentee.languages.isdisjoint(mentor.languages):
        return None
    total = weights.total
    if not total:
        return 0.0
    value = 0.0
    if weights.specialty and mentee.interests:
        value += (
            weights.specialty * len(mentee.interests & mentor.specialties) / len(mentee.interests)
        )
    if weights.time_zone:
        value += weights.time_zone * (1 - hours_apart(mentee.utc_offset, mentor.utc_offset) / 12)
    if weights.country and mentee.preferred_country in mentor.countries:
        value += weights.country
    if weights.context and mentee.context_countries:
        value += (
            weights.context
            * len(mentee.context_countries & mentor.countries)
            / len(mentee.context_countries)
        )
    return 100 * value / total


def score_pairs(
    mentees: Sequence[MenteeTraits],
    mentors: Sequence[MentorTraits],
    weights: Weights,
    *,
    excluded: Iterable[tuple[int, int]] = (),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``score`` of every eligible pair of a whole round at once, with numpy.

    Returns three arrays: mentee index, mentor index and score, one entry per pair that
    shares a language and whose (mentee index, mentor index) is not in ``excluded`` (pairs
    of unknown indices are ignored), mentee by mentee and mentors in the order given. Each
    score equals ``score(mentees[i], mentors[j], weights)`` exactly: the same floating-point
    operations in the same order.
    Sets become bit masks over their vocabularies, and shared members are counted by
    ``popcount``: nothing is done pair by pair in Python.
    """
    n_e, n_m = len(mentees), len(mentors)
    empty = np.zeros(0, dtype=np.int64)
    if not n_e or not n_m:
        return empty, empty, np.zeros(0)
    e_langs, m_langs = _masks([e.languages for e in mentees], [m.languages for m in mentors])
    sides = _Sides(
        topics=_masks([e.interests for e in mentees], [m.specialties for m in mentors]),
        home=_masks([{e.preferred_country} for e in mentees], [m.countries for m in mentors]),
        context=_masks([e.context_countries for e in mentees], [m.countries for m in mentors]),
        offsets=(
            np.array([e.utc_offset for e in mentees], dtype=np.float64),
            np.array([m.utc_offset for m in mentors], dtype=np.float64),
        ),
        n_interests=np.array([len(e.interests) for e in mentees], dtype=np.int64),
        n_context=np.array([len(e.context_countries) for e in mentees], dtype=np.int64),
    )
    excluded_keys = np.fromiter(
        (i * n_m + j for i, j in excluded if 0 <= i < n_e and 0 <= j < n_m), dtype=np.int64
    )
    found_e, found_m, found_score = [], [], []
    for start in range(0, n_e, _CHUNK):
        shares = np.zeros((min(_CHUNK, n_e - start), n_m), dtype=bool)
        for word in range(e_langs.shape[1]):
            shares |= (e_langs[start : start + _CHUNK, word, None] & m_langs[None, :, word]) != 0
        i, j = np.nonzero(shares)
        i += start
        if excluded_keys.size:
            keep = ~np.isin(i * n_m + j, excluded_keys)
            i, j = i[keep], j[keep]
        found_e.append(i)
        found_m.append(j)
        found_score.append(_scores(i, j, weights, sides))
    return np.concatenate(found_e), np.concatenate(found_m), np.concatenate(found_score)


#: Mentees scored at once: bounds the eligibility block (mentees x mentors booleans).
_CHUNK = 2048

_Masks = tuple[np.ndarray, np.ndarray]  # (mentees' bit masks, mentors' bit masks)


@dataclass(frozen=True)
class _Sides:
    topics: _Masks  # interests / specialties
    home: _Masks  # preferred country / countries known
    context: _Masks  # programme countries / countries known
    offsets: tuple[np.ndarray, np.ndarray]
    n_interests: np.ndarray
    n_context: np.ndarray


def _masks(left: list, right: list) -> _Masks:
    """Each set of `left` and `right` as a bit mask (a row of uint64 words) over the values
    of both."""
    vocabulary = {v: n for n, v in enumerate(sorted(set().union(*left, *right)))}
    words = max(1, -(-len(vocabulary) // 64))

    def masks(sets: list) -> np.ndarray:
        out = np.zeros((len(sets), words), dtype=np.uint64)
        bits = np.array([vocabulary[value] for values in sets for value in values], dtype=np.uint64)
        rows = np.repeat(np.arange(len(sets)), [len(values) for values in sets])
        np.bitwise_or.at(out, (rows, bits // 64), np.uint64(1) << (bits % 64))
        return out

    return masks(left), masks(right)


def _shared(i: np.ndarray, j: np.ndarray, masks: _Masks) -> np.ndarray:
    """How many members the sets of mentee i and mentor j share, per pair."""
    left, right = masks
    count = np.zeros(i.size, dtype=np.int64)
    for word in range(left.shape[1]):
        count += np.bitwise_count(left[i, word] & right[j, word])
    return count


def _scores(i: np.ndarray, j: np.ndarray, weights: Weights, sides: _Sides) -> np.ndarray:
    """`score` of the pairs (i, j), term by term in its order (adding 0.0 for a term that
    does not apply, which changes no float)."""
    total = weights.total
    if not total:
        return np.zeros(i.size)
    value = np.zeros(i.size)
    if weights.specialty:
        n = sides.n_interests[i]
        part = weights.specialty * _shared(i, j, sides.topics) / np.maximum(n, 1)
        value = value + np.where(n > 0, part, 0.0)
    if weights.time_zone:
        distance = np.abs(sides.offsets[0][i] - sides.offsets[1][j]) % 24
        value = value + weights.time_zone * (1 - np.minimum(distance, 24 - distance) / 12)
    if weights.country:
        value = value + np.where(_shared(i, j, sides.home) > 0, float(weights.country), 0.0)
    if weights.context:
        n = sides.n_context[i]
        part = weights.context * _shared(i, j, sides.context) / np.maximum(n, 1)
        value = value + np.where(n > 0, part, 0.0)
    return 100 * value / total


def compatibility(
    mentee: MenteeTraits, mentor: MentorTraits, weights: Weights
) -> Compatibility | None:
    """Score and reasons of a pair, or ``None`` when they share no language."""
    languages = mentee.languages & mentor.languages
    if not languages:
        return None
    total = weights.total
    scale = 100 / total if total else 0.0
    specialty, specialties = _share(mentee.interests, mentor.specialties)
    apart = hours_apart(mentee.utc_offset, mentor.utc_offset)
    knows_country = bool(mentee.preferred_country) and mentee.preferred_country in mentor.countries
    context, context_known = _share(mentee.context_countries, mentor.countries)

    reasons = [Reason("language", _sorted(languages))]
    criteria = [
        Reason("specialty", _sorted(specialties), points=scale * weights.specialty * specialty),
        Reason("time_zone", hours=apart, points=scale * weights.time_zone * (1 - apart / 12)),
        Reason(
            "country",
            (mentee.preferred_country,) if knows_country else (),
            points=scale * weights.country * knows_country,
        ),
        Reason("context", _sorted(context_known), points=scale * weights.context * context),
    ]
    # A criterion that adds nothing explains nothing, except the time zone: "11 h apart" is
    # worth knowing even when it costs the pair every point of that criterion.
    criteria = [
        r for r in criteria if r.points > 0 or (r.code == "time_zone" and weights.time_zone)
    ]
    criteria.sort(key=lambda r: (-r.points, _ORDER[r.code]))
    reasons.extend(criteria)
    return Compatibility(score=sum(r.points for r in criteria), reasons=tuple(reasons))


def _sorted(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(values))
