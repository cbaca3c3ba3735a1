"""Conflicts of interest by construction: a committee member never judges their own application,
one they are a referee of, or one a declared conflict covers; through every path."""

import pytest
from django.http import Http404
from django.urls import reverse

from applications.enums import ConflictKind, RefereeStatus
from applications.models import Assignment, ConflictDeclaration, RefereeRequest
from applications.selectors.board import application_get_in_call, board_get, suggestion_get
from applications.selectors.review import review_get_for_manager
from applications.services.committee import assignment_swap, conflict_declare, reviewers_assign
from portal.errors import Refused
from portal.permissions import allowed
from tests.factories.accounts import StaffFactory
from tests.factories.applications import AssignmentFactory, candidate, score

pytestmark = pytest.mark.django_db


def _referee(application, email, status=RefereeStatus.RECEIVED):
    return RefereeRequest.objects.create(
        application=application,
        name="A referee",
        email=email,
        token_hash=f"{application.pk:032d}{RefereeRequest.objects.count():032d}",
        status=status,
        letter_key=f"letters/{application.pk}",
    )


@pytest.fixture
def own(committee):
    """An application by reviewer 0 to the call whose committee they sit on."""
    return candidate(committee.call, "Reviewer Zero", applicant=committee.reviewers[0].user)


@pytest.fixture
def refereed(committee):
    """An application for which reviewer 1 was asked for a letter (their email, other case)."""
    application = candidate(committee.call, "Refereed Student")
    _referee(application, committee.reviewers[1].user.email.upper())
    return application


# --- The one test -----------------------------------------------------------------------------


def test_the_applicant_and_a_referee_are_in_conflict_without_declaring_it(committee, own, refereed):
    zero, one, two = committee.reviewers

    assert zero.conflict_with(own) == "applicant"
    assert one.conflict_with(refereed) == "referee"
    assert not two.conflicts_with(own)
    assert not two.conflicts_with(refereed)


def test_a_replaced_referee_is_no_longer_in_conflict(committee):
    application = candidate(committee.call, "Someone")
    _referee(application, committee.reviewers[2].user.email, status=RefereeStatus.REPLACED)

    assert not committee.reviewers[2].conflicts_with(application)


def test_a_person_conflict_covers_every_application_of_that_applicant(committee, own):
    member = committee.reviewers[1]

    conflict_declare(
        membership=member,
        kind=ConflictKind.PERSON,
        reason="My cousin",
        declared_by=member.user,
        person_email=f"  {own.applicant.email.upper()} ",
    )

    declaration = ConflictDeclaration.objects.get()
    assert (declaration.person, declaration.person_email) == (
        own.applicant,
        own.applicant.email.upper(),
    )
    assert member.conflict_with(own) == "declared"
    assert not member.conflicts_with(candidate(committee.call, "Another"))


def test_a_person_conflict_needs_an_email(committee):
    member = committee.reviewers[1]
    with pytest.raises(Refused, match="email address") as refusal:
        conflict_declare(
            membership=member, kind=ConflictKind.PERSON, reason="x", declared_by=member.user
        )
    assert refusal.value.code == "no_person"


def test_a_reviewer_declares_a_person_conflict_on_the_page(client, committee, own, signed_in):
    member = committee.reviewers[2]
    signed_in(member.user, client)

    response = client.post(
        reverse("applications:conflicts", args=[committee.call.pk]),
        {"kind": "person", "person_email": own.applicant.email, "reason": "My neighbour"},
    )

    assert response.status_code == 302
    assert member.conflicts_with(own)
    page = client.get(reverse("applications:conflicts", args=[committee.call.pk]))
    assert own.applicant.email in page.content.decode()


# --- The assignment ---------------------------------------------------------------------------


def test_the_automatic_assignment_never_gives_a_member_an_application_they_conflict_with(
    committee, own, refereed
):
    call = committee.call
    call.reviewers_per_application = 2
    call.save()
    others = [candidate(call, f"Student {n}") for n in range(3)]

    result = reviewers_assign(call=call, actor=committee.chair)

    zero, one, _two = committee.reviewers
    assert zero.pk not in result[own.pk]
    assert one.pk not in result[refereed.pk]
    assert all(len(result[a.pk]) == 2 for a in [own, refereed, *others])
    assert not Assignment.objects.filter(application=own, membership=zero).exists()


def test_the_assignment_is_refused_when_conflicts_leave_too_few_reviewers(committee, own):
    committee.call.reviewers_per_application = 3
    committee.call.save()

    with pytest.raises(Refused, match="No assignment is possible") as refusal:
        reviewers_assign(call=committee.call, actor=committee.chair)

    assert refusal.value.code == "no_assignment"
    assert not Assignment.objects.exists()


def test_a_swap_to_the_applicant_or_a_referee_is_refused(committee, own, refereed):
    zero, one, two = committee.reviewers
    to_own = AssignmentFactory(application=own, membership=two)
    to_refereed = AssignmentFactory(application=refereed, membership=two)

    with pytest.raises(Refused, match="is the applicant") as refusal:
        assignment_swap(assignment=to_own, membership=zero, actor=committee.chair)
    assert refusal.value.code == "conflict"
    with pytest.raises(Refused, match="is a referee") as refusal:
        assignment_swap(assignment=to_refereed, membership=one, actor=committee.chair)
    assert refusal.value.code == "conflict"


# --- The reviewer's pages and lists -----------------------------------------------------------


def test_the_review_page_of_a_conflicted_assignment_is_not_found(client, committee, own, signed_in):
    assignment = AssignmentFactory(application=own, membership=committee.reviewers[0])
    signed_in(committee.reviewers[0].user, client)

    page = client.get(reverse("applications:review", args=[assignment.pk]))
    dashboard = client.get(reverse("applications:reviewer_dashboard"))

    assert page.status_code == 404
    assert reverse("applications:review", args=[assignment.pk]) not in dashboard.content.decode()


def test_a_reviewer_may_not_read_an_application_they_are_a_referee_of(committee, refereed):
    member = committee.reviewers[1]
    AssignmentFactory(application=refereed, membership=member)

    assert not allowed(member.user, "applications.read_for_review", refereed)


# --- The chair: letters, documents, PDF, reviews, the board -----------------------------------


@pytest.fixture
def chairs_own(committee):
    """An application by the call's chair, and one the chair is a referee of."""
    own = candidate(committee.call, "Chair Person", applicant=committee.chair)
    refereed = candidate(committee.call, "Chair's student")
    _referee(refereed, committee.chair.email)
    return own, refereed


def test_a_conflicted_chair_may_read_neither_letters_nor_documents(committee, chairs_own):
    own, refereed = chairs_own
    other = candidate(committee.call, "Unrelated")

    for application in (own, refereed):
        assert not allowed(committee.chair, "applications.read_for_review", application)
    assert allowed(committee.chair, "applications.read_for_review", other)
    # The chair still sees their own application as its applicant, never someone else's
    # they wrote for.
    assert allowed(committee.chair, "applications.view_application", own)
    assert not allowed(committee.chair, "applications.view_application", refereed)
    assert allowed(committee.chair, "applications.view_application", other)


def test_a_conflicted_chair_gets_404_on_letters_reviews_and_pdf(
    client, committee, chairs_own, signed_in
):
    own, refereed = chairs_own
    letter = refereed.referees.get()
    signed_in(committee.chair, client)

    urls = [
        reverse("applications:review_letter", args=[refereed.pk, letter.pk]),
        reverse("applications:application_reviews", args=[refereed.pk]),
        reverse("applications:application_reviews", args=[own.pk]),
        reverse("applications:pdf", args=[refereed.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [404] * len(urls)


def test_programme_staff_outside_the_committee_still_read_them(committee, chairs_own):
    staff = StaffFactory()
    for application in chairs_own:
        assert allowed(staff, "applications.read_for_review", application)


def test_a_conflicted_chair_does_not_see_the_rows_on_the_board(committee, chairs_own):
    own, refereed = chairs_own
    other = candidate(committee.call, "Unrelated")
    review = score(committee, 0, refereed, 80)

    mine = board_get(call=committee.call, user=committee.chair)
    everyone = board_get(call=committee.call)
    suggestion, _budget = suggestion_get(
        call=committee.call, decline_rest=True, user=committee.chair
    )
    suggested = [row for row, _amount in suggestion.awards] + suggestion.declines

    assert [row.application_id for row in mine.rows] == [other.pk]
    assert {row.application_id for row in everyone.rows} == {own.pk, refereed.pk, other.pk}
    assert [row.application_id for row in suggested] == [other.pk]
    assert application_get_in_call(call=committee.call, application_id=other.pk).pk == other.pk
    with pytest.raises(Http404, match=r"^$"):
        application_get_in_call(call=committee.call, application_id=own.pk, user=committee.chair)
    with pytest.raises(Http404, match=r"^$"):
        review_get_for_manager(user=committee.chair, review_id=review.pk)
