"""Invitations to a call's committee: the email and its link, accepting it (signed in, or
after signing up), the second factor it then asks for, expiry, withdrawal and sending again."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import CommitteeInvitation, CommitteeMembership
from applications.services.invitations import (
    invitation_accept,
    invitation_invite,
    invitation_resend,
    invitation_revoke,
)
from portal.errors import Refused
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CallFactory, audit_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory(full_name="Sara Staff")


@pytest.fixture
def call():
    return CallFactory(title="Heal 2030")


def _invite(call, staff, mailoutbox, capture, email="nadia@example.org", is_chair=False):
    with capture(execute=True):
        invitation = invitation_invite(
            call=call, email=email, name="Nadia Karim", is_chair=is_chair, invited_by=staff
        )
    token = re.search(r"/committee/invitation/(\S+)/", mailoutbox[-1].body).group(1)
    return invitation, token


def test_an_invitation_emails_a_full_link_that_names_the_call_and_inviter(
    call, staff, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)

    message = mailoutbox[-1]
    assert message.to == ["nadia@example.org"]
    assert "You are invited to review for “Heal 2030”" in message.subject
    assert message.body.startswith("Hello Nadia Karim,")
    assert "Sara Staff invites you to review applications" in message.body
    assert re.search(rf"https?://\S+/applications/committee/invitation/{token}/\n", message.body)
    assert invitation.token_hash != token
    assert audit_actions(call) == ["committee.invited"]


def test_a_signed_in_person_accepts_and_is_sent_to_set_up_a_second_factor(
    client, call, staff, mailoutbox, django_capture_on_commit_callbacks
):
    _invitation, token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)
    person = UserFactory(email="nadia@example.org", full_name="Nadia Karim")
    client.force_login(person)  # no second factor yet: an applicant needs none

    page = client.get(f"/applications/committee/invitation/{token}/")
    accepted = client.post(f"/applications/committee/invitation/{token}/")
    after = client.get(accepted.url)

    membership = CommitteeMembership.objects.get(call=call, user=person)
    assert page.status_code == 200
    assert "Accept as <bdi>Nadia Karim</bdi>" in page.content.decode()
    assert accepted.status_code == 302
    assert accepted.url == f"/applications/calls/{call.pk}/committee/members/{membership.pk}/"
    assert membership.is_chair is False
    assert after.status_code == 302
    assert after.url == "/accounts/2fa/totp/activate/?required=1"
    assert CommitteeInvitation.objects.get().accepted_by == person


def test_accepting_twice_is_harmless(
    client, call, staff, mailoutbox, django_capture_on_commit_callbacks, signed_in
):
    _invitation, token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)
    person = UserFactory()
    signed_in(person, client)

    first = client.post(f"/applications/committee/invitation/{token}/")
    second = client.post(f"/applications/committee/invitation/{token}/")
    page = client.get(f"/applications/committee/invitation/{token}/")

    assert first.status_code == second.status_code == 302
    assert CommitteeMembership.objects.filter(call=call, user=person).count() == 1
    assert "You have accepted this invitation." in page.content.decode()
    assert audit_actions(call) == ["committee.invited", "committee.joined"]


def test_another_account_accepts_for_itself_and_is_told_the_address_differs(
    client, call, staff, mailoutbox, django_capture_on_commit_callbacks, signed_in
):
    _invitation, token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)
    other = UserFactory(email="n.karim@hospital.example", full_name="Nadia K.")
    signed_in(other, client)

    page = client.get(f"/applications/committee/invitation/{token}/")
    client.post(f"/applications/committee/invitation/{token}/")

    assert "This invitation was sent to" in page.content.decode()
    assert CommitteeMembership.objects.filter(call=call, user=other).exists()


def test_a_link_accepted_by_one_person_is_refused_to_another(
    call, staff, mailoutbox, django_capture_on_commit_callbacks
):
    _invitation, token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)
    invitation_accept(token=token, user=UserFactory())

    with pytest.raises(Refused, match="already been accepted"):
        invitation_accept(token=token, user=UserFactory())


def test_a_chair_invitation_makes_a_chair_and_leads_to_the_chair_dashboard(
    client, call, staff, mailoutbox, django_capture_on_commit_callbacks, signed_in
):
    _invitation, token = _invite(
        call, staff, mailoutbox, django_capture_on_commit_callbacks, is_chair=True
    )
    person = UserFactory()
    signed_in(person, client)

    response = client.post(f"/applications/committee/invitation/{token}/")

    assert response.url == "/applications/chairing/"
    assert CommitteeMembership.objects.get(user=person).is_chair is True


def test_signed_out_the_page_offers_sign_up_then_back_to_the_link(
    client, call, staff, mailoutbox, django_capture_on_commit_callbacks
):
    _invitation, token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)
    path = f"/applications/committee/invitation/{token}/"

    page = client.get(path).content.decode()
    posted = client.post(path)

    assert f'href="/accounts/signup/?next={path}"' in page
    assert posted.status_code == 302
    assert posted.url == f"/accounts/login/?next={path}"
    assert not CommitteeMembership.objects.exists()


def test_signed_out_with_an_account_at_the_address_the_page_offers_sign_in(
    client, call, staff, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="nadia@example.org")
    _invitation, token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)

    page = client.get(f"/applications/committee/invitation/{token}/").content.decode()

    assert "Sign in to accept" in page
    assert "/accounts/signup/" not in page.split("<main")[-1]


@pytest.mark.parametrize(
    ("case", "status", "words"),
    [
        ("unknown", 404, "This invitation link is not valid."),
        ("revoked", 410, "This invitation has been withdrawn."),
        ("expired", 410, "This invitation has expired."),
    ],
)
def test_a_link_that_cannot_be_used_says_why_politely(
    client,
    call,
    staff,
    mailoutbox,
    django_capture_on_commit_callbacks,
    signed_in,
    case,
    status,
    words,
):
    invitation, token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)
    if case == "unknown":
        token = "not-a-real-token"
    elif case == "revoked":
        invitation_revoke(invitation=invitation, actor=staff)
    else:
        CommitteeInvitation.objects.filter(pk=invitation.pk).update(
            sent_at=timezone.now() - timedelta(days=31)
        )
    signed_in(UserFactory(), client)

    page = client.get(f"/applications/committee/invitation/{token}/")
    posted = client.post(f"/applications/committee/invitation/{token}/")

    assert page.status_code == posted.status_code == status
    assert words in page.content.decode()
    assert not CommitteeMembership.objects.exists()


def test_sending_again_replaces_the_link_and_restarts_the_thirty_days(
    call, staff, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, old = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)
    CommitteeInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=40)
    )
    invitation.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation, actor=staff)
    new = re.search(r"/committee/invitation/(\S+)/", mailoutbox[-1].body).group(1)

    with pytest.raises(Refused, match="not valid"):
        invitation_accept(token=old, user=UserFactory())
    assert invitation_accept(token=new, user=UserFactory()).call == call


def test_inviting_a_member_or_someone_already_invited_is_refused(
    call, staff, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)
    member = UserFactory(email="member@example.org")
    CommitteeMembership.objects.create(call=call, user=member)

    with pytest.raises(Refused, match="already invited"):
        invitation_invite(
            call=call, email="NADIA@example.org", name="N", is_chair=False, invited_by=staff
        )
    with pytest.raises(Refused, match="already on the committee"):
        invitation_invite(
            call=call, email="member@example.org", name="M", is_chair=False, invited_by=staff
        )


def test_a_withdrawn_invitation_is_not_sent_again_and_withdrawing_twice_is_harmless(
    call, staff, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, _token = _invite(call, staff, mailoutbox, django_capture_on_commit_callbacks)

    invitation_revoke(invitation=invitation, actor=staff)
    invitation_revoke(invitation=invitation, actor=staff)

    with pytest.raises(Refused, match="withdrawn"):
        invitation_resend(invitation=invitation, actor=staff)
    assert audit_actions(call) == ["committee.invited", "committee.invitation_withdrawn"]
