"""Benchmark the reviewer assignment through its service, on the configured database.

Run from the repository root: ``python tests/bench/bench_assign_service.py [sizes...]``
(default 1,000, 5,000 and 20,000 applications); with
``DATABASE_URL=postgres://...`` it runs on PostgreSQL, otherwise on SQLite in memory.

For each size, one call with 150 reviewers and 3 reviewers per application, built with
``bulk_create`` on a throwaway database (then ``ANALYZE``): applications with a question
snapshot (two essays, a specialty, regions) and two referees each; reviewers with expertise
tags (countries by name, medical schools, specialties) and languages; conflicts of every
kind (declared: countries, institutions, applications, persons; derived: a reviewer who is a
referee or the applicant). Then ``committee.reviewers_assign`` is timed from empty and again
(a re-run that keeps everything), with a breakdown (conflicts, affinities, solver), and the
result is checked: 3 distinct reviewers each, no conflicted pair (by
``CommitteeMembership.conflicts_with`` on a sample), balanced loads. At the smallest size the
affinity matrix is compared with the per-pair ``affinity`` on every pair, and the service's
total with the solver's optimum on those per-pair affinities (the result before the bulk
path).
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal

import harness

harness.django_setup(TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend")

from django.utils import timezone  # noqa: E402

N_REVIEWERS, PER_APP = 150, 3
SIZES = (1_000, 5_000, 20_000)
COUNTRIES = [
    "KE", "SN", "UG", "NG", "GH", "TZ", "ET", "CM", "MA", "EG", "LB", "PE", "BR", "IN", "BD",
    "PK", "VN", "PH", "ID", "CO", "MX", "BO", "HT", "RW", "ZM", "MW", "MZ", "CD", "CI", "ML",
]  # fmt: skip
SPECIALTIES = [
    "Cardiology", "Paediatrics", "Surgery", "Oncology", "Psychiatry", "Global health",
    "Internal medicine", "Obstetrics", "Infectious diseases", "Emergency medicine",
]  # fmt: skip
REGIONS = ["Rural", "Urban", "Refugee settings", "Island states", "Conflict zones"]
LANGUAGES = ["en", "fr", "ar", "es"]
ESSAY = (
    "I grew up two days' walk from the nearest district hospital, and the clinic where my "
    "mother worked had one nurse for eleven thousand people. "
) * 10


def questions() -> list[dict]:
    def question(pk, kind, label, choices=()):
        return {
            "id": pk,
            "section": "About you",
            "label": label,
            "help_text": "",
            "kind": kind,
            "required": True,
            "word_limit": 500 if kind == "long_text" else None,
            "choices": list(choices),
            "identifying": False,
        }

    return [
        question(1, "long_text", "Why this scholarship?"),
        question(2, "long_text", "A patient you remember"),
        question(3, "choice", "Specialty you intend to train in", SPECIALTIES),
        question(4, "multiple_choice", "Where you want to practise", REGIONS),
        question(5, "short_text", "Your mentor's name"),
        question(6, "number", "Year of study"),
    ]


def build_call(n_apps: int, *, chair, seed: int = 0):
    """A call with `n_apps` submitted applications, its committee and its conflicts."""
    from django_countries import countries

    from applications.enums import ApplicationState, ConflictKind
    from applications.models import (
        Application,
        Call,
        CommitteeMembership,
        ConflictDeclaration,
        RefereeRequest,
    )
    from portal.accounts.models import User

    rng = random.Random(seed)
    now = timezone.now()
    slug = f"national-{n_apps}"
    call = Call.objects.create(
        title=f"Benchmark call {n_apps}",
        slug=slug,
        opens_at=now - timezone.timedelta(days=60),
        closes_at=now - timezone.timedelta(days=5),
        budget=Decimal("1500000"),
        award_amount=Decimal("2500"),
        reviewers_per_application=PER_APP,
    )
    CommitteeMembership.objects.create(call=call, user=chair, is_chair=True)
    schools = [f"Medical School {i}" for i in range(300)]
    reviewers = User.objects.bulk_create(
        User(
            email=f"reviewer-{slug}-{i}@example.org",
            full_name=f"Reviewer {i}",
            password="!",
            preferred_language=rng.choice(LANGUAGES),
        )
        for i in range(N_REVIEWERS)
    )
    memberships = CommitteeMembership.objects.bulk_create(
        CommitteeMembership(
            call=call,
            user=user,
            expertise=[
                *(countries.name(code) for code in rng.sample(COUNTRIES, 2)),
                *rng.sample(schools, 2),
                *rng.sample(SPECIALTIES, 2),
                rng.choice(REGIONS).lower(),
            ],
            languages=rng.sample(LANGUAGES, rng.randint(1, 2)),
        )
        for user in reviewers
    )
    applicants = User.objects.bulk_create(
        (
            User(
                email=f"student-{slug}-{i}@example.org",
                full_name=f"Student {i}",
                password="!",
                preferred_language=rng.choice([*LANGUAGES, ""]),
            )
            for i in range(n_apps)
        ),
        batch_size=2000,
    )
    snapshot = questions()
    applications = Application.objects.bulk_create(
        (
            Application(
                call=call,
                applicant=user,
                state=ApplicationState.SUBMITTED,
                questions=snapshot,
                answers={
                    "1": ESSAY,
                    "2": ESSAY[::-1],
                    "3": rng.choice(SPECIALTIES),
                    "4": rng.sample(REGIONS, 2),
                    "5": f"Dr Mentor {rng.randrange(1000)}",
                    "6": rng.randint(1, 6),
                },
                country=rng.choice(COUNTRIES),
                institution=rng.choice(schools),
                requested_amount=Decimal(rng.randrange(500, 2500)),
                submitted_at=now,
            )
            for user in applicants
        ),
        batch_size=2000,
    )
    # Two referees each; about 1 % of applications name a reviewer as a referee.
    RefereeRequest.objects.bulk_create(
        (
            RefereeRequest(
                application=application,
                name="Referee",
                email=(
                    rng.choice(reviewers).email.upper()
                    if n == 0 and rng.random() < 0.01
                    else f"referee-{application.pk}-{n}@example.org"
                ),
                token_hash=f"{application.pk}-{n}",
            )
            for application in applications
            for n in range(2)
        ),
        batch_size=4000,
    )
    # One reviewer applied to the call too.
    Application.objects.filter(pk=applications[0].pk).update(applicant=reviewers[0])
    declared = []
    for membership in rng.sample(memberships, 10):
        declared.append((membership, ConflictKind.COUNTRY, {"country": rng.choice(COUNTRIES)}))
    for membership in rng.sample(memberships, 20):
        declared.append(
            (membership, ConflictKind.INSTITUTION, {"institution": rng.choice(schools).upper()})
        )
    for application in rng.sample(applications, max(1, n_apps // 50)):
        declared.append(
            (rng.choice(memberships), ConflictKind.APPLICATION, {"application": application})
        )
    for application in rng.sample(applications, 5):
        declared.append(
            (
                rng.choice(memberships),
                ConflictKind.PERSON,
                {"person_email": f" student-{slug}-{application.applicant_id}@EXAMPLE.org"},
            )
        )
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            membership=membership, kind=kind, reason="Benchmark", declared_by=chair, **fields
        )
        for membership, kind, fields in declared
    )
    return call


def check(call, result: dict) -> None:
    """Three distinct reviewers each, balanced loads, and no conflict on a sample."""
    from collections import Counter

    from applications.models import Application, CommitteeMembership

    loads = Counter(member for reviewers in result.values() for member in reviewers)
    assert all(len(set(reviewers)) == PER_APP for reviewers in result.values())
    assert max(loads.values()) - min(loads.values()) <= 1, loads
    sample = random.Random(1).sample(sorted(result), min(300, len(result)))
    members = CommitteeMembership.objects.select_related("user").prefetch_related("conflicts")
    members = {m.pk: m for m in members.filter(call=call)}
    for application in (
        Application.objects.filter(pk__in=sample)
        .select_related("applicant")
        .prefetch_related("referees")
    ):
        for member in result[application.pk]:
            assert not members[member].conflicts_with(application), (application.pk, member)


def against_the_per_pair_path(call, ids, matrix, result) -> str:
    """The matrix equals `affinity` on every pair; the total equals the optimum on it."""
    import numpy as np

    from applications.algorithms.assignment import assign_reviewers
    from applications.selectors.review import (
        application_list_reviewable,
        membership_list_reviewers,
    )
    from applications.services.committee import affinity

    applications = list(application_list_reviewable(call=call))
    members = membership_list_reviewers(call=call)
    started = time.perf_counter()
    per_pair = np.array([[affinity(m, a) for m in members] for a in applications])
    seconds = time.perf_counter() - started
    assert [a.pk for a in applications] == ids
    assert (per_pair == matrix).all(), "the affinity matrix differs from the per-pair affinity"
    conflicts = {(a.pk, m.pk) for a in applications for m in members if m.conflicts_with(a)}
    scores = {
        (a.pk, m.pk): int(per_pair[i, j])
        for i, a in enumerate(applications)
        for j, m in enumerate(members)
    }
    before = assign_reviewers(ids, [m.pk for m in members], PER_APP, conflicts, scores)

    def total(assigned):
        return sum(scores[(app, member)] for app, chosen in assigned.items() for member in chosen)

    assert total(result) == total(before), (total(result), total(before))
    return (
        f"per-pair check: matrix equals affinity() on all {per_pair.size:,} pairs "
        f"(per pair: {seconds:.1f} s), total {total(result):,} equals the optimum on them"
    )


def bench(n_apps: int, chair, *, compare: bool) -> None:
    from applications.models import Assignment, CommitteeMembership
    from applications.selectors.review import (
        application_list_reviewable,
        conflicted_pairs,
        membership_list_reviewers,
    )
    from applications.services import committee
    from applications.services.affinity import affinity_matrix

    started = time.perf_counter()
    call = build_call(n_apps, chair=chair, seed=n_apps)
    harness.analyze()
    loaded = time.perf_counter() - started

    first, result = harness.best_of(1, lambda: committee.reviewers_assign(call=call, actor=chair))
    check(call, result)
    again, _ = harness.best_of(1, lambda: committee.reviewers_assign(call=call, actor=chair))
    assert Assignment.objects.filter(application__call=call).count() == n_apps * PER_APP

    reviewable = application_list_reviewable(call=call)
    members = membership_list_reviewers(call=call)
    memberships = CommitteeMembership.objects.filter(call=call, is_chair=False)
    conflict_s, conflicts = harness.best_of(
        3, lambda: conflicted_pairs(applications=reviewable, memberships=memberships)
    )
    affinity_s, (ids, matrix) = harness.best_of(
        3, lambda: affinity_matrix(applications=reviewable, members=members)
    )
    solver_s, _ = harness.best_of(
        1,
        lambda: committee.assign_reviewers(
            ids, [m.pk for m in members], PER_APP, conflicts=conflicts, affinity=matrix
        ),
    )
    print(
        f"{n_apps:>6,} applications x {N_REVIEWERS} reviewers x {PER_APP}: reviewers_assign "
        f"{first:.2f} s (re-run {again:.2f} s); of which conflicts {conflict_s:.2f} s "
        f"({len(conflicts):,} pairs), affinities {affinity_s:.2f} s, solver {solver_s:.2f} s; "
        f"data loaded in {loaded:.1f} s"
    )
    if compare:
        print("  " + against_the_per_pair_path(call, ids, matrix, result))
    target = {5_000: 2.0, 20_000: 8.0}.get(n_apps)
    if target is not None:
        harness.target(f"reviewers_assign at {n_apps:,} <= {target:g} s", first <= target)
    start_s, page_s = the_request_that_starts_it(call, chair)
    print(
        f"  the chair's request that starts it (the work queued for the worker): "
        f"{start_s * 1000:.0f} ms; its progress page {page_s * 1000:.0f} ms (best of 5)"
    )
    harness.target(f"start request at {n_apps:,} <= 200 ms", start_s <= 0.2)


def the_request_that_starts_it(call, chair) -> tuple[float, float]:
    """Best of 5: the POST that starts the assignment, and a GET of its progress page."""
    from portal.models import Operation

    client = harness.signed_in_client(chair)
    url = f"/applications/calls/{call.pk}/assignment/"
    client.post(url)  # warm-up
    starts, pages = [], []
    for _ in range(5):
        Operation.objects.update(status=Operation.Status.SUCCEEDED)
        started = time.perf_counter()
        response = client.post(url)
        starts.append(time.perf_counter() - started)
        assert response.status_code == 302 and "/work/" in response["Location"], response
        started = time.perf_counter()
        assert client.get(response["Location"]).status_code == 200
        pages.append(time.perf_counter() - started)
    return min(starts), min(pages)


def main() -> None:
    from portal.accounts.models import User

    sizes = [int(arg.replace(",", "").replace("_", "")) for arg in sys.argv[1:]] or SIZES
    print(f"{harness.versions('django', 'numpy', 'ortools')}, {harness.database()}")
    chair = User.objects.create_user("chair@example.org", full_name="Chair Person")
    for n in sizes:
        bench(n, chair, compare=n == min(sizes) and n <= 5_000)


if __name__ == "__main__":
    with harness.throwaway_database():
        main()
