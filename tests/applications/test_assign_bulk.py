"""The reviewer assignment at national scale: its bulk forms agree with the per-pair rules.

`affinity_matrix` against `affinity`, `conflicted_pairs` against
`CommitteeMembership.conflict_with`, on random calls; the service's total against the optimum
of the per-pair path; the solver's fast path (a few pairs per application, then a proof)
against the solve on all pairs; and the service's queries, which do not grow with the call.
"""

import random
import re
from contextlib import contextmanager

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.algorithms import assignment_sparse
from applications.algorithms.assignment import assign_reviewers
from applications.enums import ApplicationState, ConflictKind, QuestionKind, RefereeStatus
from applications.models import (
    Application,
    Assignment,
    CommitteeMembership,
    ConflictDeclaration,
    RefereeRequest,
)
from applications.selectors.review import (
    application_list_reviewable,
    conflicted_pairs,
    membership_list_reviewers,
)
from applications.services.affinity import affinity, affinity_matrix
from applications.services.committee import reviewers_assign
from portal.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.applications import CallFactory, CommitteeMembershipFactory

COUNTRIES = ["KE", "SN", "UG", "FR", "NG"]
SCHOOLS = ["University of Nairobi", "Makerere", "UCAD", ""]
SPECIALTIES = ["Cardiology", "Surgery", "Paediatrics"]
LANGUAGES = ["en", "fr", "ar", "es", "", "EN"]


def snapshot(choice_kind=QuestionKind.CHOICE) -> list[dict]:
    """Questions as an application keeps them; question 3's kind varies between snapshots."""
    return [
        {"id": 1, "kind": QuestionKind.LONG_TEXT, "label": "Why?", "choices": []},
        {"id": 2, "kind": QuestionKind.MULTIPLE_CHOICE, "label": "Where?", "choices": []},
        {"id": 3, "kind": choice_kind, "label": "Specialty", "choices": SPECIALTIES},
    ]


def random_call(rng: random.Random, n_apps: int = 12, n_members: int = 5):
    """A call with applications of every shape (answers, snapshots, countries, schools,
    languages, referees) and members with tags, languages and conflicts of every kind."""
    call = CallFactory(reviewers_per_application=2)
    members = [
        CommitteeMembershipFactory(
            call=call,
            user=UserFactory(email=f"member{i}-{rng.random()}@example.org"),
            expertise=rng.sample(
                ["kenya", " Senegal ", "KE", "makerere", "cardiology", "surgery ", "Rural", ""],
                rng.randint(0, 4),
            ),
            languages=rng.sample(LANGUAGES, rng.randint(0, 2)),
        )
        for i in range(n_members)
    ]
    CommitteeMembershipFactory(call=call, is_chair=True)
    applications = []
    for i in range(n_apps):
        applicant = (
            members[0].user
            if i == 0
            else UserFactory(
                email=f"Student{i}-{rng.random()}@Example.org",
                preferred_language=rng.choice(LANGUAGES),
            )
        )
        answers = {
            "1": rng.choice(["Kenya", "A long essay about surgery."]),
            "2": rng.sample(["rural", "Urban", "", "KE"], rng.randint(0, 2)),
        }
        if rng.random() < 0.8:
            answers["3"] = rng.choice([*SPECIALTIES, "", 3])
        applications.append(
            Application.objects.create(
                call=call,
                applicant=applicant,
                state=rng.choice([ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW]),
                questions=snapshot(rng.choice([QuestionKind.CHOICE, QuestionKind.SHORT_TEXT])),
                answers=answers,
                country=rng.choice([*COUNTRIES, ""]),
                institution=rng.choice(SCHOOLS) + rng.choice(["", " "]),
            )
        )
    for application in applications:
        for n in range(rng.randint(0, 2)):
            named = rng.random() < 0.3
            RefereeRequest.objects.create(
                application=application,
                name="Referee",
                email=(
                    f" {rng.choice(members).user.email.upper()}"
                    if named
                    else f"ref-{application.pk}-{n}@example.org"
                ),
                token_hash=f"{application.pk}-{n}-{rng.random()}",
                status=rng.choice([RefereeStatus.INVITED, RefereeStatus.REPLACED]),
            )
    kinds = [ConflictKind.APPLICATION, ConflictKind.INSTITUTION, ConflictKind.COUNTRY]
    for member in members:
        for _ in range(rng.randint(0, 3)):
            kind = rng.choice([*kinds, ConflictKind.PERSON])
            target = rng.choice(applications)
            fields = {
                ConflictKind.APPLICATION: {"application": target},
                ConflictKind.INSTITUTION: {"institution": rng.choice(SCHOOLS).upper()},
                ConflictKind.COUNTRY: {"country": rng.choice(COUNTRIES)},
                ConflictKind.PERSON: rng.choice(
                    [
                        {"person": target.applicant},
                        {"person_email": f"  {target.applicant.email.upper()} "},
                        {"person_email": "nobody@example.org"},
                    ]
                ),
            }[kind]
            ConflictDeclaration.objects.create(
                membership=member, kind=kind, reason="Test", declared_by=member.user, **fields
            )
    return call


def per_pair(call):
    applications = list(
        Application.objects.filter(call=call, state__in=ApplicationState.decidable())
        .select_related("applicant")
        .prefetch_related("referees")
        .order_by("pk")
    )
    members = list(
        CommitteeMembership.objects.filter(call=call, is_chair=False)
        .select_related("user")
        .prefetch_related("conflicts")
        .order_by("pk")
    )
    return applications, members


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_the_affinity_matrix_equals_the_affinity_of_each_pair(seed):
    call = random_call(random.Random(seed))
    applications, members = per_pair(call)

    for language in ("en", "fr"):  # country names are compared in the language active now
        with translation.override(language):
            ids, matrix = affinity_matrix(
                applications=application_list_reviewable(call=call),
                members=membership_list_reviewers(call=call),
            )
            expected = [[affinity(m, a) for m in members] for a in applications]

        assert ids == [a.pk for a in applications]
        assert matrix.tolist() == expected


@pytest.mark.django_db
@pytest.mark.parametrize("n_apps", [2, 20])
def test_the_affinity_matrix_takes_two_queries_per_snapshot_of_the_questions(
    n_apps, django_assert_num_queries
):
    call = random_call(random.Random(n_apps), n_apps=n_apps, n_members=3)
    Application.objects.filter(call=call).update(questions=snapshot())
    members = membership_list_reviewers(call=call)

    with django_assert_num_queries(3):  # find it, read its applications, find no other
        affinity_matrix(applications=application_list_reviewable(call=call), members=members)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(8))
def test_the_bulk_conflicts_are_those_of_conflict_with(seed):
    call = random_call(random.Random(seed))
    applications, members = per_pair(call)

    found = conflicted_pairs(
        applications=application_list_reviewable(call=call),
        memberships=CommitteeMembership.objects.filter(call=call, is_chair=False),
    )

    expected = {(a.pk, m.pk) for a in applications for m in members if m.conflicts_with(a)}
    assert found == expected
    assert expected  # the random call has conflicts of some kind


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_the_assignment_is_as_good_as_the_per_pair_one_and_avoids_every_conflict(seed):
    call = random_call(random.Random(seed), n_apps=10, n_members=6)
    applications, members = per_pair(call)
    conflicts = {(a.pk, m.pk) for a in applications for m in members if m.conflicts_with(a)}
    scores = {(a.pk, m.pk): affinity(m, a) for a in applications for m in members}
    try:
        before = assign_reviewers(
            [a.pk for a in applications], [m.pk for m in members], 2, conflicts, scores
        )
    except ValueError:
        pytest.skip("this random call has no assignment")

    result = reviewers_assign(call=call, actor=call.memberships.get(is_chair=True).user)

    def total(assigned):
        return sum(scores[(app, member)] for app, chosen in assigned.items() for member in chosen)

    assert total(result) == total(before)
    assert not {(app, member) for app, chosen in result.items() for member in chosen} & conflicts
    assert AuditEntry.objects.get(action="assignment.run").after["total_affinity"] == total(result)


def _queries_to_assign(n_apps: int) -> int:
    """Queries of a first assignment of a call without conflicts."""
    call = CallFactory(reviewers_per_application=2)
    chair = CommitteeMembershipFactory(call=call, is_chair=True).user
    for _ in range(4):
        CommitteeMembershipFactory(call=call, expertise=["KE"], languages=["fr"])
    for _ in range(n_apps):
        Application.objects.create(
            call=call,
            applicant=UserFactory(),
            state=ApplicationState.SUBMITTED,
            questions=snapshot(),
            answers={"3": "Surgery"},
            country="KE",
        )
    with CaptureQueriesContext(connection) as captured:
        reviewers_assign(call=call, actor=chair)
    assert Assignment.objects.filter(application__call=call).count() == 2 * n_apps
    return len(captured)


@pytest.mark.django_db
def test_the_assignment_reads_and_writes_in_bulk():
    assert _queries_to_assign(4) == _queries_to_assign(40)


# --- The solver's fast path: the same optimum as the solve on all pairs ------------------


@st.composite
def large_looking_instances(draw):
    n_apps, n_revs = draw(st.integers(1, 14)), draw(st.integers(2, 9))
    k = draw(st.integers(1, min(2, n_revs)))
    popular = draw(st.booleans())  # every application prefers the same few reviewers
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    gains = rng.integers(-3, 10, size=(n_apps, n_revs))
    if popular:
        gains = gains + 20 * (np.arange(n_revs) < 2)
    conflicts = [(a, r) for a in range(n_apps) for r in range(n_revs) if rng.random() < 0.15]
    return list(range(n_apps)), list(range(n_revs)), k, conflicts, gains


def _total(result, gains) -> int:
    return int(sum(gains[a, r] for a, chosen in result.items() for r in chosen))


@contextmanager
def fast_path(from_pairs: int, per_slot: int = assignment_sparse.SPARSE_PER_SLOT):
    """The solver's fast path from `from_pairs` pairs (0: always; a large number: never)."""
    saved = assignment_sparse.SPARSE_FROM_PAIRS, assignment_sparse.SPARSE_PER_SLOT
    assignment_sparse.SPARSE_FROM_PAIRS, assignment_sparse.SPARSE_PER_SLOT = from_pairs, per_slot
    try:
        yield
    finally:
        assignment_sparse.SPARSE_FROM_PAIRS, assignment_sparse.SPARSE_PER_SLOT = saved


NEVER = 10**12


@settings(max_examples=150, deadline=None, database=None)
@given(large_looking_instances(), st.integers(1, 2))
def test_the_fast_path_finds_the_optimum_of_all_pairs(instance, per_slot):
    apps, revs, k, conflicts, gains = instance
    try:
        with fast_path(NEVER):
            everything = assign_reviewers(apps, revs, k, conflicts, gains)
    except ValueError as error:
        with fast_path(0, per_slot), pytest.raises(ValueError, match=re.escape(str(error))):
            assign_reviewers(apps, revs, k, conflicts, gains)
        return

    with fast_path(0, per_slot):
        fast = assign_reviewers(apps, revs, k, conflicts, gains)

    assert _total(fast, gains) == _total(everything, gains)
    assert all(len(set(chosen)) == k for chosen in fast.values())
    assert not {(a, r) for a, chosen in fast.items() for r in chosen} & set(conflicts)
    loads = [sum(r in chosen for chosen in fast.values()) for r in revs]
    assert max(loads) - min(loads) <= 1


def test_the_fast_path_is_taken_and_proved_on_a_large_instance():
    rng = np.random.default_rng(7)
    n_apps, n_revs = 2_000, 60
    gains = 2 * (rng.random((n_apps, n_revs)) < 0.1) + 3 * (rng.random((n_apps, n_revs)) < 0.3)
    allowed = rng.random((n_apps, n_revs)) > 0.02
    pair_app, pair_rev = np.nonzero(allowed)
    low, extra = divmod(n_apps * 3, n_revs)

    used = assignment_sparse.solve_sparse(
        allowed, pair_app, pair_rev, gains[pair_app, pair_rev].astype(np.int64), 3, low, extra
    )

    assert used is not None  # proved optimal on a subset of the pairs
    conflicts = list(zip(*np.nonzero(~allowed), strict=True))
    with fast_path(NEVER):
        everything = assign_reviewers(range(n_apps), range(n_revs), 3, conflicts, gains)
    assert int(gains[pair_app[used], pair_rev[used]].sum()) == _total(everything, gains)
