"""Each role lands on its own dashboard; an empty one says what to do next; others get 404."""

import pytest

from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CommitteeMembershipFactory
from tests.factories.exchanges import CoordinatorFactory
from tests.factories.mentorship import MentorProfileFactory

pytestmark = pytest.mark.django_db

DASHBOARDS = {
    "applicant": "/applications/",
    "reviewer": "/applications/reviewing/",
    "chair": "/applications/chairing/",
    "coordinator": "/exchanges/coordinating/",
    "mentor": "/mentorship/mentoring/",
    "staff": "/dashboard/staff/",
}


def _person(role: str):
    if role == "applicant":
        return UserFactory()
    if role == "staff":
        return StaffFactory(totp=True)
    if role in {"reviewer", "chair"}:
        return CommitteeMembershipFactory(is_chair=role == "chair", user__totp=True).user
    if role == "coordinator":
        return CoordinatorFactory(user__totp=True).user
    return MentorProfileFactory().user


@pytest.mark.parametrize("role", DASHBOARDS)
def test_each_role_lands_on_its_dashboard(client, role):
    client.force_login(_person(role))

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == DASHBOARDS[role]
    assert client.get(DASHBOARDS[role]).status_code == 200


EMPTY_STATE = {
    "applicant": "You have not started an application yet.",
    "reviewer": "No applications are assigned to you yet.",
    "chair": "When the call closes, run the reviewer assignment from here.",
    "coordinator": "Your institution has no rotations yet.",
    "mentor": "Programme staff will review your profile",
    "staff": "Open the administration",
}


@pytest.mark.parametrize("role", DASHBOARDS)
def test_an_empty_dashboard_says_what_to_do_next(client, role):
    client.force_login(_person(role))

    response = client.get(DASHBOARDS[role])

    assert EMPTY_STATE[role] in response.content.decode()


# Every signed-in person may apply, a chair is also a member of the committee, and programme
# staff see everything: those pairs are not refusals.
REFUSED = [
    (role, other)
    for role in DASHBOARDS
    for other in DASHBOARDS
    if role != other
    and other != "applicant"
    and role != "staff"
    and (role, other) != ("chair", "reviewer")
]


@pytest.mark.parametrize(("role", "other"), REFUSED)
def test_another_roles_dashboard_is_404(client, role, other):
    client.force_login(_person(role))

    assert client.get(DASHBOARDS[other]).status_code == 404


@pytest.mark.parametrize("url", DASHBOARDS.values())
def test_dashboards_need_a_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_person_with_several_roles_sees_a_tab_for_each(signed_in):
    user = CommitteeMembershipFactory(user__totp=True).user
    MentorProfileFactory(user=user)
    client = signed_in(user)

    html = client.get("/applications/reviewing/").content.decode()

    assert 'aria-label="Your roles"' in html
    assert '<a href="/applications/reviewing/" aria-current="page">Reviewing</a>' in html
    assert '<a href="/mentorship/mentoring/">Mentoring</a>' in html
    assert '<a href="/applications/">My applications</a>' in html


def test_staff_dashboard_counts_operational_data(client, demo):
    client.force_login(StaffFactory(totp=True))

    html = client.get("/dashboard/staff/").content.decode()

    assert "<dt>Open calls</dt><dd>1</dd>" in html
    assert "<dt>Partner institutions</dt><dd>3</dd>" in html
    assert "<dt>Published rotations</dt><dd>9</dd>" in html
    assert "<dt>Approved mentors</dt><dd>3</dd>" in html
