"""Benchmark the ranking board of a call at 1,000, 5,000 and 20,000 applications (three submitted
reviews each, by 150 reviewers with a harsh or lenient bias).

Run from the repository root: ``nice -n 10 python tests/bench/bench_board.py`` (on PostgreSQL:
``DATABASE_URL=postgres://... nice -n 10 python tests/bench/bench_board.py``).

Builds the data with ``bulk_create`` in a throwaway database on the configured server (settings
``portal.settings_test``; SQLite in memory without ``DATABASE_URL``), runs ``ANALYZE`` on
PostgreSQL, then prints one line per figure and size: the recomputation of the stored scores
and ranks (`board_refresh`, and of that the scoring in Python), then, through Django's test
client, the time and SQL queries of the first page sorted by the normalised score, a filtered
page, a deep page sorted by name and the streamed CSV export (read to its end).
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from decimal import Decimal

import harness

harness.django_setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = (1_000, 5_000, 20_000)
N_REVIEWERS, PER_APP, N_CRITERIA = 150, 3, 4
COUNTRIES = ["KE", "SN", "UG", "NG", "GH", "TZ", "ET", "CM", "MA", "EG", "LB", "PE"]
RUNS = 5


def build_call(n_apps: int, *, chair, slug: str, seed: int = 0, per_app: int = PER_APP):
    """One call with its rubric, committee, applications, assignments and submitted reviews;
    every reviewer has a bias (harsh or lenient) so that normalising matters."""
    from applications.enums import ApplicationState, DecisionOutcome, ReviewState
    from applications.models import (
        Application,
        Assignment,
        Call,
        CommitteeMembership,
        Criterion,
        Decision,
        Review,
    )
    from portal.accounts.models import User

    rng = random.Random(seed)
    now = timezone.now()
    call = Call.objects.create(
        title=f"Benchmark call {slug}",
        slug=slug,
        opens_at=now - timezone.timedelta(days=60),
        closes_at=now - timezone.timedelta(days=5),
        budget=Decimal("1500000"),
        award_amount=Decimal("2500"),
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(call=call, name=f"Criterion {i}", weight=w, scale_max=5, sort_order=i)
        for i, w in enumerate([Decimal(3), Decimal(2), Decimal(1), Decimal(1)][:N_CRITERIA])
    )
    CommitteeMembership.objects.create(call=call, user=chair, is_chair=True)
    n_reviewers = min(N_REVIEWERS, max(per_app, n_apps))
    reviewers = User.objects.bulk_create(
        User(email=f"reviewer-{slug}-{i}@example.org", full_name=f"Reviewer {i}", password="!")
        for i in range(n_reviewers)
    )
    memberships = CommitteeMembership.objects.bulk_create(
        CommitteeMembership(call=call, user=user) for user in reviewers
    )
    applicants = User.objects.bulk_create(
        (
            User(email=f"student-{slug}-{i}@example.org", full_name=f"Student {i}", password="!")
            for i in range(n_apps)
        ),
        batch_size=1000,
    )
    applications = Application.objects.bulk_create(
        (
            Application(
                call=call,
                applicant=user,
                state=ApplicationState.UNDER_REVIEW,
                country=rng.choice(COUNTRIES),
                institution=f"Medical School {rng.randrange(60)}",
                requested_amount=Decimal(rng.randrange(500, 2500)),
                submitted_at=now,
            )
            for user in applicants
        ),
        batch_size=1000,
    )
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(application=application, membership=membership)
            for application in applications
            for membership in rng.sample(memberships, min(per_app, len(memberships)))
        ),
        batch_size=2000,
    )
    quality = {a.pk: rng.gauss(3.0, 0.8) for a in applications}
    bias = {m.pk: rng.gauss(0.0, 0.7) for m in memberships}

    def mark(assignment) -> dict[str, int]:
        base = quality[assignment.application_id] + bias[assignment.membership_id]
        return {str(c.pk): max(1, min(5, round(base + rng.gauss(0, 0.6)))) for c in criteria}

    Review.objects.bulk_create(
        (
            Review(
                assignment=assignment,
                scores=mark(assignment),
                state=ReviewState.SUBMITTED,
                submitted_at=now,
            )
            for assignment in assignments
        ),
        batch_size=2000,
    )
    # A few hundred draft decisions, as in the middle of a committee meeting.
    Decision.objects.bulk_create(
        Decision(
            application=application,
            outcome=DecisionOutcome.AWARD,
            amount=Decimal("2500"),
            decided_by=chair,
        )
        for application in applications[: n_apps // 20]
    )
    return call


def _read(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _queries(client, path: str) -> int:
    _read(client, path)
    with CaptureQueriesContext(connection) as captured:
        _read(client, path)
    return len(captured)


def _timed(client, path: str) -> tuple[float, float, int]:
    size = len(_read(client, path))
    times = []
    for _ in range(RUNS):
        gc.collect()
        start = time.perf_counter()
        _read(client, path)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), size


def main() -> None:
    from applications.algorithms import board as figures
    from applications.models import BoardEntry, Review
    from applications.models.board import rubric_of
    from applications.selectors.board import SYNC_LIMIT
    from applications.services.board import board_refresh
    from portal.accounts.models import User

    print(f"{harness.versions('django')}, {harness.database()}")
    chair = User.objects.create_user("chair@example.org", full_name="Chair Person")
    client = harness.signed_in_client(chair)
    for n in SIZES:
        started = time.perf_counter()
        call = build_call(n, chair=chair, slug=f"national-{n}", seed=n)
        harness.analyze()
        print(
            f"[{n:,}] data: {n:,} applications, {n * PER_APP:,} submitted reviews, "
            f"{n // 20} draft decisions (built in {time.perf_counter() - started:.1f} s)"
        )
        refresh = harness.best_of(3, lambda call=call: board_refresh(call=call))[0]
        print(f"[{n:,}] board_refresh (read, score, rank, rewrite): {refresh * 1000:.0f} ms")
        reviews = list(
            Review.objects.filter(assignment__application__call=call).values_list(
                "assignment__membership_id", "assignment__application_id", "scores"
            )
        )
        criteria = rubric_of(call)
        scoring = harness.best_of(3, lambda r=reviews, c=criteria: figures.scores_compute(r, c))[0]
        print(f"[{n:,}] of which scoring and normalising in Python: {scoring * 1000:.0f} ms")
        assert BoardEntry.objects.filter(call=call).count() == n
        harness.analyze()
        base = f"/applications/calls/{call.pk}"
        deep = n // 50 // 2
        pages = [
            ("board, page 1 (normalised)", f"{base}/board/"),
            ("board, filtered (country + flag)", f"{base}/board/?country=KE&flag=no"),
            (f"board, sorted by name, page {deep}", f"{base}/board/?sort=name&page={deep}"),
            ("CSV export (all rows, streamed)", f"{base}/board.csv"),
        ]
        for label, path in pages:
            best, median, size = _timed(client, path)
            queries = _queries(client, path)
            print(
                f"[{n:,}] {label:<34} {best * 1000:7.0f} ms best / {median * 1000:6.0f} ms "
                f"median of {RUNS}, {queries} queries ({size / 1024:.0f} KiB)"
            )
    print(f"(a stale board is recomputed on reading up to {SYNC_LIMIT:,} applications)")


if __name__ == "__main__":
    with harness.throwaway_database():
        main()
