"""What every signed-in page costs beyond its own content: the session, the user and, for a
person without the multi-factor check in their session, the questions of the roles that need
one. The header's roles are kept in the session (`portal.roles.roles_shown`), the site's
navigation in the cache (`cms.navigation`), dropped when a page is published or unpublished."""

import pytest
from django.test import Client
from wagtail.models import Site

from cms.models import StandardPage
from portal import roles
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CommitteeMembershipFactory

pytestmark = pytest.mark.django_db

# The session and the user: what a person whose session holds the multi-factor check pays.
SIGNED_IN = 2
# A person without the check (a student, who needs no second factor) is asked afresh, at every
# page, the questions of the roles that would need one: staff and editor (one permission
# read), chair, reviewer, coordinator.
MFA_QUESTIONS = 4
# The target of issue 16: no signed-in page pays more than this beyond its own content.
MOST = 6


def test_a_students_page_pays_the_session_the_user_and_the_second_factor_questions(
    count_queries,
):
    student = Client()  # no second factor: the session never holds the check
    student.force_login(UserFactory())

    # Its own: the person's applications and the open calls.
    queries = count_queries(student, "/applications/")

    assert queries == SIGNED_IN + MFA_QUESTIONS + 2
    assert SIGNED_IN + MFA_QUESTIONS <= MOST


def test_a_reviewers_dashboard_pays_the_session_and_the_user(signed_in, count_queries):
    reviewer = signed_in(CommitteeMembershipFactory(user=UserFactory(totp=True)).user)

    # Its own: the reviewer rule, the memberships, the assignments and the conflicts.
    queries = count_queries(reviewer, "/applications/reviewing/")

    assert queries == SIGNED_IN + 4


def test_the_staff_dashboard_pays_the_session_and_the_user(signed_in, count_queries):
    staff = signed_in(StaffFactory(totp=True))

    # Its own: the staff rule (the permissions) and the programmes' ten counts.
    queries = count_queries(staff, "/dashboard/staff/")

    assert queries == SIGNED_IN + 11


def test_the_header_shows_a_role_granted_by_someone_else_once_its_kept_answer_expires(
    signed_in, monkeypatch
):
    staff = StaffFactory(totp=True)
    membership = CommitteeMembershipFactory(user=UserFactory(totp=True))
    client = signed_in(membership.user)
    staff_link = "/dashboard/staff/"
    assert staff_link not in client.get("/applications/reviewing/").content.decode()

    membership.user.groups.add(*staff.groups.all())
    membership.user.is_staff = True
    membership.user.save()
    kept = client.get("/applications/reviewing/").content.decode()
    monkeypatch.setattr(roles, "SHOWN_ROLES_FOR", 0)
    fresh = client.get("/applications/reviewing/").content.decode()

    assert staff_link not in kept
    assert staff_link in fresh


def test_a_post_forgets_the_roles_kept_for_the_header(signed_in):
    staff = StaffFactory(totp=True)
    membership = CommitteeMembershipFactory(user=UserFactory(totp=True))
    client = signed_in(membership.user)
    client.get("/applications/reviewing/")
    membership.user.groups.add(*staff.groups.all())
    membership.user.is_staff = True
    membership.user.save()

    client.post("/accounts/profile/", {})
    html = client.get("/applications/reviewing/").content.decode()

    assert "/dashboard/staff/" in html


def test_a_role_needing_a_second_factor_is_enforced_at_once_whatever_the_header_keeps(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get("/applications/").status_code == 200

    CommitteeMembershipFactory(user=person)
    response = client.get("/applications/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


@pytest.fixture
def draft():
    """A page under the site's home page, for menus, not yet published."""
    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(
        instance=StandardPage(title="Visiting students", slug="visiting", show_in_menus=True)
    )
    page.unpublish()
    return page


def test_publishing_and_unpublishing_a_page_change_the_cached_menu(client, draft):
    assert "Visiting students" not in client.get("/accounts/login/").content.decode()
    assert "Visiting students" not in client.get("/accounts/login/").content.decode()

    draft.save_revision().publish()
    published = client.get("/accounts/login/").content.decode()
    draft.refresh_from_db()
    draft.unpublish()
    unpublished = client.get("/accounts/login/").content.decode()

    assert ">Visiting students</a>" in published
    assert "Visiting students" not in unpublished


def test_the_menu_is_read_from_the_cache(client, draft, count_queries):
    draft.save_revision().publish()
    client.get("/accounts/login/")

    # The login page asks nothing: no session yet, and the menu from the cache.
    assert count_queries(client, "/accounts/login/") == 0
