"""Conflicts of interest, the optimal assignment, and swapping a reviewer."""

import pytest

from applications.enums import ApplicationState, ConflictKind, ReviewState
from applications.models import Application, Assignment, ConflictDeclaration, Review
from applications.services.applications import application_start, application_submit
from applications.services.committee import affinity, reviewers_assign
from portal.models import AuditEntry, Operation
from tests.factories.accounts import UserFactory
from tests.factories.applications import CommitteeMembershipFactory, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(call):
    call.reviewers_per_application = 2
    call.save()
    chair = CommitteeMembershipFactory(call=call, is_chair=True)
    reviewers = [CommitteeMembershipFactory(call=call) for _ in range(3)]
    return chair, reviewers


def _submitted(call, count, **profile):
    made = []
    for _ in range(count):
        application = complete(application_start(call=call, applicant=UserFactory()))
        Application.objects.filter(pk=application.pk).update(**profile)
        application, _ = application_submit(application=Application.objects.get(pk=application.pk))
        made.append(application)
    return made


def test_reviewer_declares_a_conflict_with_an_institution(client, call, committee, signed_in):
    _chair, (reviewer, *_rest) = committee
    signed_in(reviewer.user, client)

    response = client.post(
        f"/applications/calls/{call.pk}/conflicts/",
        {"kind": "institution", "institution": "University of Nairobi", "reason": "I teach there"},
    )

    declaration = ConflictDeclaration.objects.get()
    assert response.status_code == 302
    assert (declaration.membership, declaration.institution, declaration.declared_by) == (
        reviewer,
        "University of Nairobi",
        reviewer.user,
    )


def test_a_conflict_form_keeps_input_and_says_what_is_missing(client, call, committee, signed_in):
    signed_in(committee[1][0].user, client)

    response = client.post(
        f"/applications/calls/{call.pk}/conflicts/", {"kind": "country", "reason": "Family"}
    )

    html = response.content.decode()
    assert "Choose the country." in html
    assert 'value="Family"' in html
    assert not ConflictDeclaration.objects.exists()


def test_reviewers_see_only_their_own_declarations_and_the_chair_sees_all(
    client, call, committee, signed_in
):
    chair, (first, second, _third) = committee
    for member in (first, second):
        ConflictDeclaration.objects.create(
            membership=member,
            kind=ConflictKind.COUNTRY,
            country="KE",
            reason=f"reason of {member.pk}",
            declared_by=member.user,
        )

    own = signed_in(first.user, client).get(f"/applications/calls/{call.pk}/conflicts/")
    everyone = signed_in(chair.user, client).get(f"/applications/calls/{call.pk}/conflicts/")

    assert f"reason of {first.pk}" in own.content.decode()
    assert f"reason of {second.pk}" not in own.content.decode()
    assert f"reason of {second.pk}" in everyone.content.decode()


def test_the_chair_declares_for_a_reviewer(client, call, committee, signed_in):
    chair, (reviewer, *_rest) = committee
    signed_in(chair.user, client)

    client.post(
        f"/applications/calls/{call.pk}/conflicts/",
        {"member": reviewer.pk, "kind": "country", "country": "SN", "reason": "Told me"},
    )

    declaration = ConflictDeclaration.objects.get()
    assert (declaration.membership, declaration.declared_by) == (reviewer, chair.user)


def test_assignment_is_balanced_and_conflict_free(client, call, committee, signed_in, started):
    chair, (first, second, third) = committee
    nairobi = _submitted(call, 1, institution="University of Nairobi")[0]
    others = _submitted(call, 3, institution="Makerere University")
    ConflictDeclaration.objects.create(
        membership=first,
        kind=ConflictKind.INSTITUTION,
        institution="university of nairobi",
        reason="I teach there",
        declared_by=first.user,
    )

    page = started(signed_in(chair.user, client), f"/applications/calls/{call.pk}/assignment/")

    pairs = set(Assignment.objects.values_list("application_id", "membership_id"))
    loads = [sum(1 for _, m in pairs if m == member.pk) for member in (first, second, third)]
    assert "4 applications have their reviewers (8 assignments)." in page.content.decode()
    assert len(pairs) == 8
    assert (nairobi.pk, first.pk) not in pairs
    assert all(sum(1 for a, _ in pairs if a == o.pk) == 2 for o in [nairobi, *others])
    assert sorted(loads) == [2, 3, 3]
    assert set(Application.objects.values_list("state", flat=True)) == {
        ApplicationState.UNDER_REVIEW
    }
    assert AuditEntry.objects.filter(action="assignment.run").count() == 1


def test_balance_can_make_an_assignment_impossible_and_says_so(
    client, call, committee, signed_in, started
):
    chair, (first, _second, _third) = committee
    _submitted(call, 4, institution="University of Nairobi")
    ConflictDeclaration.objects.create(
        membership=first,
        kind=ConflictKind.INSTITUTION,
        institution="University of Nairobi",
        reason="I teach there",
        declared_by=first.user,
    )

    response = started(signed_in(chair.user, client), f"/applications/calls/{call.pk}/assignment/")

    assert (
        "No assignment is possible: balanced loads make this infeasible"
        in response.content.decode()
    )
    assert not Assignment.objects.exists()


def test_an_impossible_assignment_names_the_application(
    client, call, committee, signed_in, started
):
    chair, reviewers = committee
    (application,) = _submitted(call, 1)
    for member in reviewers[:2]:
        ConflictDeclaration.objects.create(
            membership=member,
            kind=ConflictKind.APPLICATION,
            application=application,
            reason="Knows the student",
            declared_by=member.user,
        )

    response = started(signed_in(chair.user, client), f"/applications/calls/{call.pk}/assignment/")

    html = response.content.decode()
    assert (
        f"application #{application.pk} has only 1 reviewer without a conflict but needs 2" in html
    )
    assert not Assignment.objects.exists()


def test_rerun_after_a_late_conflict_keeps_submitted_reviews(call, committee):
    chair, (_first, _second, _third) = committee
    (application,) = _submitted(call, 1)
    reviewers_assign(call=call, actor=chair.user)
    kept, moved = Assignment.objects.order_by("membership_id")
    Review.objects.create(assignment=kept, state=ReviewState.SUBMITTED, scores={"1": 3})
    ConflictDeclaration.objects.create(
        membership=moved.membership,
        kind=ConflictKind.APPLICATION,
        application=application,
        reason="Late conflict",
        declared_by=moved.membership.user,
    )

    reviewers_assign(call=call, actor=chair.user)

    members = set(Assignment.objects.values_list("membership_id", flat=True))
    assert kept.membership_id in members
    assert moved.membership_id not in members
    assert Review.objects.get().assignment_id == kept.pk


def test_swap_refuses_a_conflicted_reviewer(client, call, committee, signed_in):
    chair, (first, second, third) = committee
    (application,) = _submitted(call, 1)
    reviewers_assign(call=call, actor=chair.user)
    free = next(
        m for m in (first, second, third) if not Assignment.objects.filter(membership=m).exists()
    )
    assignment = Assignment.objects.first()
    ConflictDeclaration.objects.create(
        membership=free,
        kind=ConflictKind.APPLICATION,
        application=application,
        reason="Cousin",
        declared_by=free.user,
    )

    response = signed_in(chair.user, client).post(
        f"/applications/calls/{call.pk}/assignment/{assignment.pk}/swap/",
        {"member": free.pk},
        follow=True,
    )

    assert "has declared a conflict with this application" in response.content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_swap_moves_one_review_to_another_reviewer(client, call, committee, signed_in):
    chair, members = committee
    _submitted(call, 1)
    reviewers_assign(call=call, actor=chair.user)
    free = next(m for m in members if not Assignment.objects.filter(membership=m).exists())
    assignment = Assignment.objects.first()

    signed_in(chair.user, client).post(
        f"/applications/calls/{call.pk}/assignment/{assignment.pk}/swap/", {"member": free.pk}
    )

    assert Assignment.objects.filter(membership=free).count() == 1
    assert AuditEntry.objects.filter(action="assignment.swapped").count() == 1


def test_affinity_counts_expertise_and_language(call):
    application = _submitted(call, 1, country="KE", institution="University of Nairobi")[0]
    application.applicant.preferred_language = "fr"
    member = CommitteeMembershipFactory(
        call=call, expertise=["Kenya", "university of nairobi", "cardiology"], languages=["fr"]
    )

    assert (
        affinity(member, Application.objects.select_related("applicant").get(pk=application.pk))
        == 4
    )
    assert affinity(member, application) == 7


@pytest.mark.parametrize("who", ["reviewer", "student", "other chair"])
def test_only_the_chair_and_staff_run_the_assignment(client, call, committee, who, signed_in):
    if who == "reviewer":
        user = committee[1][0].user
    elif who == "student":
        user = UserFactory()
    else:
        user = CommitteeMembershipFactory(is_chair=True).user
    signed_in(user, client)

    assert client.get(f"/applications/calls/{call.pk}/assignment/").status_code == 404
    assert client.post(f"/applications/calls/{call.pk}/assignment/").status_code == 404


def test_the_assignment_runs_in_the_worker_and_its_page_follows_it(
    client, call, committee, signed_in, worker, django_capture_on_commit_callbacks
):
    chair, _reviewers = committee
    _submitted(call, 3)
    client = signed_in(chair.user, client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/applications/calls/{call.pk}/assignment/")
    waiting = client.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/applications/calls/{call.pk}/assignment/", follow=True)
    worker()
    done = client.get(response["Location"]).content.decode()

    operation = Operation.objects.get()
    assert "Waiting for a worker to start it." in waiting
    assert again.redirect_chain[-1][0] == response["Location"]  # the second click: the same work
    assert "This is already under way" in again.content.decode()
    assert Assignment.objects.filter(application__call=call).count() == 6
    assert (operation.status, operation.stage) == ("succeeded", "saving")
    assert operation.result == {"applications": 3, "assignments": 6}
    assert "3 applications have their reviewers (6 assignments)." in done
    assert f'href="/applications/calls/{call.pk}/assignment/"' in done
