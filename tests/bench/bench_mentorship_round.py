"""Benchmark a whole mentoring round: compatibility from profiles, then the optimal assignment.

Run from the repository root: ``python tests/bench/bench_mentorship_round.py``.

Two measures on 5,000 waiting mentees and 1,000 approved mentors (capacities 0-6), with one
language each out of 20 so that about 5 % of the pairs share a language (the others are
ineligible):

1. in memory: ``compatibility.score`` for every pair that shares a language (through a
   language index, as the service does), then ``matching.assign_mentors``;
2. through the service, on a fresh SQLite database: ``rounds.round_prepare`` (loading the
   profiles, scoring, solving, writing 5,000 proposals with their reasons), then
   ``rounds.round_publish`` (writing the mentorships; the introduction emails are a background
   task, timed separately on a sample).
"""

from __future__ import annotations

import gc
import random
import time
from collections import defaultdict

import harness

# Introductions are queued, not sent, while publishing is timed.
harness.django_setup(TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend")

from mentorship.compatibility import MenteeTraits, MentorTraits, Weights, score  # noqa: E402
from mentorship.matching import assign_mentors  # noqa: E402

N_MENTEES, N_MENTORS, N_LANGUAGES, MAX_CAPACITY = 5_000, 1_000, 20, 6
SPECIALTIES = [
    "cardiology",
    "pediatrics",
    "surgery",
    "oncology",
    "psychiatry",
    "global_health",
    "internal_medicine",
    "obstetrics_gynecology",
]
COUNTRIES = ["SN", "NG", "KE", "UG", "ET", "GH", "MA", "FR", "GB", "US", "CM", "RW"]
ZONES = ["Africa/Dakar", "Africa/Lagos", "Africa/Nairobi", "Europe/Paris", "America/New_York"]
LANGUAGES = [f"l{i:02d}" for i in range(N_LANGUAGES)]


def people(seed: int = 0):
    rng = random.Random(seed)
    mentees = [
        {
            "languages": [rng.choice(LANGUAGES)],
            "interests": rng.sample(SPECIALTIES, 2),
            "time_zone": rng.choice(ZONES),
            "preferred_country": rng.choice(COUNTRIES),
        }
        for _ in range(N_MENTEES)
    ]
    mentors = [
        {
            "languages": [rng.choice(LANGUAGES)],
            "specialties": rng.sample(SPECIALTIES, 2),
            "countries": rng.sample(COUNTRIES, 3),
            "time_zone": rng.choice(ZONES),
            "capacity": rng.randint(0, MAX_CAPACITY),
        }
        for _ in range(N_MENTORS)
    ]
    return mentees, mentors


def in_memory_round(mentees, mentors):
    """Traits from profile values, scores through a language index, then the solver."""
    from datetime import UTC, datetime

    from mentorship.compatibility import utc_offset_hours

    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    started = time.perf_counter()
    e_traits = [
        MenteeTraits(
            frozenset(m["languages"]),
            frozenset(m["interests"]),
            utc_offset_hours(m["time_zone"], at),
            m["preferred_country"],
        )
        for m in mentees
    ]
    m_traits = [
        MentorTraits(
            frozenset(m["languages"]),
            frozenset(m["specialties"]),
            utc_offset_hours(m["time_zone"], at),
            frozenset(m["countries"]),
        )
        for m in mentors
    ]
    speakers = defaultdict(list)
    for j, m in enumerate(m_traits):
        for language in m.languages:
            speakers[language].append(j)
    weights = Weights()
    scores = {}
    for i, e in enumerate(e_traits):
        for j in sorted({j for lang in e.languages for j in speakers[lang]}):
            scores[(i, j)] = round(score(e, m_traits[j], weights) * 100)
    scored = time.perf_counter()
    result = assign_mentors(scores, {j: m["capacity"] for j, m in enumerate(mentors)})
    solved = time.perf_counter()
    return scored - started, solved - scored, len(scores), result


def in_memory(mentees, mentors) -> None:
    run = harness.measure(lambda: in_memory_round(mentees, mentors))
    scoring, solving, pairs, result = run.result
    peak = run.peak_mib
    matched = sum(v is not None for v in result.values())
    print(
        f"in memory (best of 3): {pairs:,} eligible pairs "
        f"({pairs / (N_MENTEES * N_MENTORS):.1%}); scores {scoring:.2f} s, "
        f"assign_mentors {solving:.2f} s, total {scoring + solving:.2f} s; "
        f"{matched:,} matched; peak {peak:.0f} MiB traced by tracemalloc"
    )


def through_the_service(mentees, mentors) -> None:
    from django.test.utils import override_settings

    from mentorship.enums import MentorStatus
    from mentorship.models import MenteeRequest, MentorProfile, Mentorship
    from mentorship.services import rounds
    from mentorship.services.mentorships import mentorship_introduce
    from portal.accounts.models import User

    users = User.objects.bulk_create(
        [User(email=f"person{i}@bench.test", full_name=f"Person {i}") for i in range(6_000)],
        batch_size=1_000,
    )
    MenteeRequest.objects.bulk_create(
        [
            MenteeRequest(user=u, goals="Residency.", **m)
            for u, m in zip(users[:N_MENTEES], mentees, strict=True)
        ],
        batch_size=1_000,
    )
    MentorProfile.objects.bulk_create(
        [
            MentorProfile(user=u, status=MentorStatus.APPROVED, **m)
            for u, m in zip(users[N_MENTEES:], mentors, strict=True)
        ],
        batch_size=1_000,
    )
    # A first preview, traced: tracemalloc slows it down.
    peak, _ = harness.peak_mib(lambda: rounds.round_prepare(by=None))
    rss_before = harness.max_rss_mib()
    gc.collect()
    started = time.perf_counter()
    match_round = rounds.round_prepare(by=None)  # replaces it, timed
    prepared = time.perf_counter()
    made = rounds.round_publish(match_round=match_round, by=None)
    published = time.perf_counter()
    rss_after = harness.max_rss_mib()
    print(
        f"service (SQLite): round_prepare {prepared - started:.2f} s "
        f"(of which assign_mentors {match_round.solve_seconds:.2f} s), "
        f"{match_round.eligible_pair_count:,} eligible pairs, "
        f"{match_round.matched_count:,} of {match_round.mentee_count:,} matched "
        f"({match_round.seat_count:,} seats), total {match_round.total_score:,.0f}; "
        f"peak {peak:.0f} MiB traced; round_publish {published - prepared:.2f} s "
        f"for {len(made):,} mentorships; max RSS {rss_after:.0f} MiB "
        f"(+{rss_after - rss_before:.0f} MiB)"
    )
    sample = list(Mentorship.objects.select_related("mentee", "mentor__user")[:200])
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        started = time.perf_counter()
        for mentorship in sample:
            mentorship_introduce(mentorship=mentorship)
        per_pair = (time.perf_counter() - started) / len(sample)
    print(
        f"introductions: {per_pair * 1000:.1f} ms per pair (two emails rendered and queued), "
        f"about {per_pair * len(made):.0f} s for the round in the background task"
    )


def main() -> None:
    print(harness.versions("django"))
    print(
        f"instance: {N_MENTEES:,} mentees x {N_MENTORS:,} mentors, one language each of "
        f"{N_LANGUAGES} (about 5 % of pairs eligible), capacities 0-{MAX_CAPACITY}"
    )
    mentees, mentors = people()
    in_memory(mentees, mentors)
    with harness.throwaway_database():
        through_the_service(mentees, mentors)


if __name__ == "__main__":
    main()
