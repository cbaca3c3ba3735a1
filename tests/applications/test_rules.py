"""The applications rules ask the staff group, never the superuser flag: a superuser outside the
group is nobody special on the portal's side, programme staff are."""

import pytest

from applications.enums import ConflictKind
from applications.models import ConflictDeclaration
from applications.rules import is_chair
from portal.permissions import allowed
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import AssignmentFactory, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True, totp=True)


def test_a_superuser_outside_the_staff_group_does_not_manage_a_call(superuser):
    call = CallFactory()

    assert superuser.has_perm("applications.manage_call", call)  # Django's shortcut says yes
    assert not allowed(superuser, "applications.manage_call", call)
    assert not is_chair(superuser)


def test_a_superuser_outside_the_staff_group_gets_404_on_the_calls_pages(
    client, superuser, signed_in
):
    call = CallFactory()
    signed_in(superuser, client)

    for page in ("applications/", "board/", "decisions/", "audit/", "assignment/"):
        assert client.get(f"/applications/calls/{call.pk}/{page}").status_code == 404, page
    assert client.get("/applications/chairing/").status_code == 404


def test_programme_staff_open_the_calls_applications(client, signed_in):
    call = CallFactory()
    signed_in(StaffFactory(totp=True), client)

    assert client.get(f"/applications/calls/{call.pk}/applications/").status_code == 200
    assert client.get(f"/applications/calls/{call.pk}/board/").status_code == 200


def test_a_declared_conflict_closes_the_application_to_its_reviewer_on_every_path():
    assignment = AssignmentFactory(application__country="KE")
    membership, application = assignment.membership, assignment.application
    reviewer = membership.user
    assert allowed(reviewer, "applications.read_for_review", application)
    assert allowed(reviewer, "applications.review_assignment", assignment)

    ConflictDeclaration.objects.create(
        membership=membership,
        kind=ConflictKind.COUNTRY,
        country="KE",
        reason="I studied there.",
        declared_by=reviewer,
    )

    assert membership.conflicts_with(application)
    assert not allowed(reviewer, "applications.read_for_review", application)
    assert not allowed(reviewer, "applications.review_assignment", assignment)
