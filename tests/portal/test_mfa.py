"""A second factor for every role that sees other people's data: set up before any other page,
asked at sign-in, recovery codes, and a reset by programme staff that is logged and told."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from portal.accounts.services import user_mfa_reset
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.accounts import PASSWORD, TOTP_SECRET, StaffFactory, UserFactory, has_totp
from tests.factories.applications import CommitteeMembershipFactory
from tests.factories.exchanges import CoordinatorFactory
from tests.factories.mentorship import ApprovedMentorFactory

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/?required=1"
# Where each role lands once past the second factor.
DASHBOARDS = {
    "staff": "/dashboard/staff/",
    "chair": "/applications/chairing/",
    "reviewer": "/applications/reviewing/",
    "coordinator": "/exchanges/coordinating/",
    "editor": "/admin/",
    "moderator": "/admin/",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth remembers each TOTP code used, by user id, for 30 seconds: the rolled-back
    tests before this one gave the same ids and the same secret."""
    cache.clear()


def _person(role: str, *, totp: bool):
    if role == "staff":
        return StaffFactory(totp=totp)
    if role in {"chair", "reviewer"}:
        return CommitteeMembershipFactory(is_chair=role == "chair", user__totp=totp).user
    if role == "coordinator":
        return CoordinatorFactory(user__totp=totp).user
    user = UserFactory(totp=totp)
    user.groups.add(Group.objects.get(name="Editors" if role == "editor" else "Moderators"))
    return user


def _code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("role", DASHBOARDS)
def test_a_role_without_totp_is_sent_to_set_it_up_before_any_other_page(client, role):
    client.force_login(_person(role, totp=False))

    for url in ["/dashboard/", DASHBOARDS[role], "/applications/", "/admin/"]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, SETUP), url
    # The setup page itself is open (allauth first asks a session without a login record for
    # the password again).
    assert client.get(SETUP)["Location"].startswith("/accounts/reauthenticate/")


@pytest.mark.parametrize("role", DASHBOARDS)
def test_a_role_with_totp_reaches_its_dashboard(client, role):
    user = _person(role, totp=True)

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": _code()})

    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/")["Location"] == DASHBOARDS[role]
    assert client.get(DASHBOARDS[role]).status_code == 200


@pytest.mark.parametrize("factory", [UserFactory, lambda: ApprovedMentorFactory().user])
def test_applicants_and_mentors_are_offered_totp_not_forced(client, factory):
    client.force_login(factory())

    assert client.get("/applications/").status_code == 200
    assert client.get("/dashboard/")["Location"] != SETUP


def test_setting_up_totp_shows_the_recovery_codes_then_lets_staff_in(client):
    staff = StaffFactory()
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert client.get("/dashboard/staff/")["Location"] == SETUP
    # allauth asks for the password again before any change to authenticators.
    client.post(client.get(SETUP)["Location"], {"password": PASSWORD})

    form = client.get(SETUP).context["form"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": _code(form.secret)})

    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    html = client.get(response["Location"]).content.decode()
    codes = RecoveryCodes(Authenticator.objects.get(user=staff, type="recovery_codes"))
    unused = codes.get_unused_codes()
    assert len(unused) == 10
    assert all(code in html for code in unused)
    assert '<a class="button" href="/dashboard/">Continue</a>' in html
    assert client.get("/dashboard/staff/").status_code == 200


def test_signing_in_with_a_recovery_code_works_once(client):
    user = CommitteeMembershipFactory(user__totp=True).user
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response["Location"] == "/dashboard/"
    assert client.get("/applications/reviewing/").status_code == 200
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    again = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_mfa_is_available_to_every_user(client):
    user = UserFactory()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    reauthenticate = client.get("/accounts/2fa/totp/activate/")["Location"]
    client.post(reauthenticate, {"password": PASSWORD})

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 200
    assert "Authenticator" in response.content.decode()


# --- The staff reset ---------------------------------------------------------------------


def _reset_url(user) -> str:
    return f"/dashboard/staff/people/{user.pk}/mfa-reset/"


@pytest.fixture
def locked_out():
    """A reviewer who lost their phone: TOTP and recovery codes on the account."""
    user = CommitteeMembershipFactory(user__totp=True, user__full_name="Kwame Mensah").user
    RecoveryCodes.activate(user)
    return user


def test_staff_find_a_person_and_reset_their_second_factor(
    signed_in, locked_out, mailoutbox, django_capture_on_commit_callbacks
):
    staff = StaffFactory(totp=True)
    client = signed_in(staff)

    found = client.get("/dashboard/staff/people/", {"q": "Kwame"}).content.decode()
    assert f'href="{_reset_url(locked_out)}"' in found
    confirm = client.get(_reset_url(locked_out))
    assert confirm.status_code == 200
    assert locked_out.email in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_reset_url(locked_out))

    assert response["Location"] == "/dashboard/staff/people/"
    assert not Authenticator.objects.filter(user=locked_out).exists()
    entry = AuditEntry.objects.get(action="mfa.reset")
    assert (entry.actor, entry.object_id, entry.scope) == (staff, str(locked_out.pk), "accounts")
    assert entry.before == {"authenticators": ["recovery_codes", "totp"]}
    assert entry.after == {"authenticators": []}
    [mail] = mailoutbox
    assert mail.to == [locked_out.email]
    assert mail.subject == "[Global Health Portal] Your second factor was reset"
    assert "/accounts/login/" in mail.body
    # The staff member's own check is untouched; the person signs in without a code and is
    # sent to set up a new authenticator.
    assert client.get("/dashboard/staff/").status_code == 200
    fresh = Client()
    response = fresh.post("/accounts/login/", {"login": locked_out.email, "password": PASSWORD})
    assert response["Location"] == "/dashboard/"
    assert fresh.get("/dashboard/")["Location"] == SETUP


def test_a_second_reset_does_nothing_more(
    signed_in, locked_out, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(StaffFactory(totp=True))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_reset_url(locked_out))
        response = client.post(_reset_url(locked_out))

    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="mfa.reset").count() == 1
    assert len(mailoutbox) == 1
    assert "nothing to reset" in client.get(_reset_url(locked_out)).content.decode()


def test_staff_cannot_reset_their_own_second_factor(signed_in):
    staff = StaffFactory(totp=True)
    client = signed_in(staff)

    response = client.post(_reset_url(staff), follow=True)

    assert "You cannot reset your own second factor." in response.content.decode()
    assert has_totp(staff)
    assert not AuditEntry.objects.filter(action="mfa.reset").exists()
    with pytest.raises(Refused, match="your own second factor") as refusal:
        user_mfa_reset(actor=staff, user=staff)
    assert refusal.value.code == "own_second_factor"


@pytest.mark.parametrize("role", ["applicant", "reviewer", "coordinator", "editor", "superuser"])
def test_anyone_but_staff_gets_404(signed_in, locked_out, role):
    if role == "superuser":
        person = UserFactory(is_staff=True, is_superuser=True, totp=True)
    elif role == "applicant":
        person = UserFactory()
    else:
        person = _person(role, totp=True)
    client = signed_in(person)

    assert client.get("/dashboard/staff/people/", {"q": "Kwame"}).status_code == 404
    assert client.get(_reset_url(locked_out)).status_code == 404
    assert client.post(_reset_url(locked_out)).status_code == 404
    assert has_totp(locked_out)


def test_the_reset_needs_a_login(client, locked_out):
    response = client.post(_reset_url(locked_out))

    assert response["Location"].startswith("/accounts/login/?next=")
    assert has_totp(locked_out)


def test_an_empty_search_lists_nobody(signed_in, locked_out):
    client = signed_in(StaffFactory(totp=True))

    html = client.get("/dashboard/staff/people/").content.decode()

    assert locked_out.email not in html
    assert not re.search(r"mfa-reset", html)
