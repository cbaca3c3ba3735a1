"""Benchmark the ranking board of a call with 5,000 applications and 15,000 submitted reviews.

Run from the repository root: ``python tests/bench/bench_board.py``.

Builds the data with ``bulk_create`` in a temporary SQLite test database (settings
``portal.settings_test``), then prints the board's number of SQL queries at 1, 3 and 5,000
applications (they must be equal) and its time through Django's test client: the first page
sorted by the normalised score, a filtered page, a sorted deep page and the CSV export. The
breakdown shows where the time goes (the three queries, the scoring in Python, the template).
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

import harness

harness.django_setup()

from django.utils import timezone  # noqa: E402

N_APPS, N_REVIEWERS, PER_APP, N_CRITERIA = 5_000, 150, 3, 4
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


def main() -> None:
    from applications.algorithms import board as board_module
    from applications.selectors import board as board_selectors
    from applications.selectors import board_get, board_rows
    from portal.accounts.models import User

    print(f"{harness.versions('django')}, SQLite (in memory)")
    started = time.perf_counter()
    chair = User.objects.create_user("chair@example.org", full_name="Chair Person")
    small = {n: build_call(n, chair=chair, slug=f"small-{n}", seed=n) for n in (1, 3)}
    big = build_call(N_APPS, chair=chair, slug="national")
    print(
        f"data: {N_APPS:,} applications, {N_APPS * PER_APP:,} submitted reviews by "
        f"{N_REVIEWERS} reviewers, {N_CRITERIA} weighted criteria, {N_APPS // 20} draft "
        f"decisions (built in {time.perf_counter() - started:.1f} s)"
    )

    client = harness.signed_in_client(chair)

    def board_url(call, query=""):
        return f"/applications/calls/{call.pk}/board/{query}"

    counts = {n: harness.query_count(client, board_url(call)) for n, call in small.items()}
    counts[N_APPS] = harness.query_count(client, board_url(big))
    print(
        "board queries: "
        + ", ".join(f"{n:,} application{'s' if n > 1 else ''}: {q}" for n, q in counts.items())
    )
    assert len(set(counts.values())) == 1, "the board's query count grows with its size"
    csv_counts = [
        harness.query_count(client, f"/applications/calls/{call.pk}/board.csv")
        for call in (small[1], small[3], big)
    ]
    print(f"CSV queries at 1 / 3 / {N_APPS:,}: {' / '.join(map(str, csv_counts))}")
    assert len(set(csv_counts)) == 1

    pages = [
        ("board, page 1 (normalised)", board_url(big)),
        ("board, filtered (country + flag)", board_url(big, "?country=KE&flag=no")),
        ("board, sorted by name, page 60", board_url(big, "?sort=name&page=60")),
        ("CSV export (all rows)", f"/applications/calls/{big.pk}/board.csv"),
    ]
    print(f"render time at {N_APPS:,} applications (best / median of {RUNS}):")
    for label, path in pages:
        best, median, size = harness.timed_get(client, path, RUNS)
        timing = f"{best * 1000:7.0f} ms / {median * 1000:6.0f} ms"
        print(f"  {label:<34} {timing}  ({size / 1024:.0f} KiB)")

    # Where the time goes: the selector's two big queries, then the whole.
    def best_of(fn) -> float:
        return harness.best_of(RUNS, fn)[0]

    fetch_reviews = best_of(lambda: list(board_selectors._reviews(big)))
    fetch_apps = best_of(
        lambda: list(board_selectors._board_queryset(big).values_list(*board_selectors._ROW_FIELDS))
    )
    rows = best_of(lambda: board_rows(call=big))
    whole = best_of(lambda: board_get(call=big, data={}))
    print(
        f"breakdown: reviews query {fetch_reviews * 1000:.0f} ms, applications query "
        f"{fetch_apps * 1000:.0f} ms, board_rows (queries + scoring + ranking) "
        f"{rows * 1000:.0f} ms, board_get (+ filter ids + sort + budget) {whole * 1000:.0f} ms"
    )
    flagged = sum(1 for row in board_rows(call=big) if row.scores.disagreement)
    print(
        f"disagreement flag (spread > {board_module.DISAGREEMENT_SPREAD:g} points): "
        f"{flagged:,} of {N_APPS:,} applications"
    )


if __name__ == "__main__":
    with harness.throwaway_database():
        main()
