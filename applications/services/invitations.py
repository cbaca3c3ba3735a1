"""Invitations to a call's committee: sent, sent again, withdrawn and accepted by link; and a
member's expertise, languages and load cap, edited by staff, the chair or the member."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from applications.models import Call, CommitteeInvitation, CommitteeMembership
from portal.audit import audit_record
from portal.emails import email_send, recipient_language
from portal.errors import Refused
from portal.links import public_url

# Why a link cannot be used, by the refusal's code; "unknown" is answered as a missing page.
_LINK_REFUSALS = {
    "unknown": _(
        "This invitation link is not valid. Check that you copied the whole link from the "
        "email; an invitation sent again replaces the older link."
    ),
    "revoked": _(
        "This invitation has been withdrawn. Ask programme staff if you think this is a mistake."
    ),
    "expired": _("This invitation has expired. Ask programme staff to send it again."),
    "used": _("This invitation has already been accepted."),
}


def _link_refused(code: str) -> Refused:
    return Refused(_LINK_REFUSALS[code], code=code, status=404 if code == "unknown" else 410)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _address(email: str) -> str:
    return (email or "").strip().casefold()


def invitation_invite(
    *, call: Call, email: str, name: str, is_chair: bool, invited_by, now=None
) -> CommitteeInvitation:
    """Email someone a link to join the call's committee (as its chair or a reviewer)."""
    now = now or timezone.now()
    address = _address(email)
    if call.memberships.filter(user__email__iexact=address).exists():
        raise Refused(
            _("This person is already on the committee."), code="already_member", field="email"
        )
    waiting = [
        i for i in call.invitations.filter(email__iexact=address) if i.status(now) == "pending"
    ]
    if waiting:
        raise Refused(
            _("This person is already invited; you can send the invitation again below."),
            code="already_invited",
            field="email",
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = CommitteeInvitation.objects.create(
            call=call,
            email=email.strip(),
            name=name.strip(),
            is_chair=is_chair,
            token_hash=token_hash(token),
            invited_by=invited_by,
            sent_at=now,
        )
        audit_record(
            actor=invited_by,
            action="committee.invited",
            obj=invitation,
            scope=f"call:{call.pk}",
            before=None,
            after={"name": invitation.name, "email": invitation.email, "chair": is_chair},
        )
        _send(invitation, token)
    return invitation


def invitation_resend(*, invitation: CommitteeInvitation, actor, now=None) -> None:
    """A new link, valid for another 30 days; the old link stops working."""
    now = now or timezone.now()
    status = invitation.status(now)
    if status in {"accepted", "revoked"}:
        raise _link_refused("used" if status == "accepted" else "revoked")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation.token_hash = token_hash(token)
        invitation.sent_at = now
        invitation.save(update_fields=["token_hash", "sent_at"])
        audit_record(
            actor=actor,
            action="committee.invitation_sent_again",
            obj=invitation,
            scope=f"call:{invitation.call_id}",
            before=None,
            after={"name": invitation.name, "email": invitation.email},
        )
        _send(invitation, token)


def invitation_revoke(*, invitation: CommitteeInvitation, actor, now=None) -> None:
    """Withdraw an invitation not yet accepted; withdrawing it twice changes nothing."""
    now = now or timezone.now()
    if invitation.accepted_at is not None:
        raise _link_refused("used")
    if invitation.revoked_at is not None:
        return
    with transaction.atomic():
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="committee.invitation_withdrawn",
            obj=invitation,
            scope=f"call:{invitation.call_id}",
            before=None,
            after={"name": invitation.name, "email": invitation.email},
        )


def invitation_for_token(*, token: str, user=None, now=None) -> CommitteeInvitation:
    """The invitation a link opens, or `Refused` saying why it can't be used: "unknown",
    "revoked", "expired", or "used" (accepted by someone else; accepted by `user` it still
    opens, so a second click is harmless)."""
    now = now or timezone.now()
    invitation = (
        CommitteeInvitation.objects.select_related("call", "invited_by", "accepted_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise _link_refused("unknown")
    status = invitation.status(now)
    if status == "accepted":
        if user is None or invitation.accepted_by_id != user.pk:
            raise _link_refused("used")
    elif status != "pending":
        raise _link_refused(status)
    return invitation


def invitation_accept(*, token: str, user, now=None) -> CommitteeMembership:
    """The signed-in person joins the committee (whatever address the email went to). A
    second acceptance by the same person changes nothing."""
    now = now or timezone.now()
    invitation = invitation_for_token(token=token, user=user, now=now)
    with transaction.atomic():
        current = CommitteeInvitation.objects.select_for_update().get(pk=invitation.pk)
        if current.accepted_at is not None:
            if current.accepted_by_id != user.pk:
                raise _link_refused("used")
            return CommitteeMembership.objects.get(call_id=current.call_id, user=user)
        membership, created = CommitteeMembership.objects.get_or_create(
            call_id=current.call_id, user=user, defaults={"is_chair": current.is_chair}
        )
        if not created and current.is_chair and not membership.is_chair:
            membership.is_chair = True
            membership.save(update_fields=["is_chair"])
        current.accepted_at = now
        current.accepted_by = user
        current.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            action="committee.joined",
            obj=membership,
            scope=f"call:{current.call_id}",
            before=None,
            after={"member": str(user), "chair": membership.is_chair},
        )
    return membership


def account_exists(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=_address(email)).exists()


def membership_update(
    *,
    membership: CommitteeMembership,
    actor,
    expertise: list[str],
    languages: list[str],
    load_cap: int | None,
    is_chair: bool | None = None,
) -> CommitteeMembership:
    """Save a member's expertise tags, languages and load cap (and, for the call's managers,
    whether they chair it: `is_chair` None leaves it)."""
    before = {
        "expertise": membership.expertise,
        "languages": membership.languages,
        "load_cap": membership.load_cap,
        "chair": membership.is_chair,
    }
    membership.expertise = list(dict.fromkeys(expertise))
    membership.languages = list(dict.fromkeys(languages))
    membership.load_cap = load_cap
    if is_chair is not None:
        membership.is_chair = is_chair
    after = {
        "expertise": membership.expertise,
        "languages": membership.languages,
        "load_cap": membership.load_cap,
        "chair": membership.is_chair,
    }
    if after == before:
        return membership
    with transaction.atomic():
        membership.save(update_fields=["expertise", "languages", "load_cap", "is_chair"])
        audit_record(
            actor=actor,
            action="committee.member_changed",
            obj=membership,
            scope=f"call:{membership.call_id}",
            before=before,
            after=after,
        )
    return membership


def _send(invitation: CommitteeInvitation, token: str) -> None:
    """The link in the language of the account at that address, if there is one."""
    reader = get_user_model().objects.filter(email__iexact=_address(invitation.email)).first()
    language = recipient_language(reader)  # the default language without an account
    with translation.override(language):
        path = reverse("applications:invitation", args=[token])
    email_send(
        to=[invitation.email],
        template="committee_invitation",
        context={
            "name": invitation.name,
            "call": invitation.call,
            "is_chair": invitation.is_chair,
            "inviter": invitation.invited_by.display_name,
            "url": public_url(path),
            "expires_at": invitation.expires_at(),
            "time_zone": invitation.call.time_zone,
        },
        user=reader,
        language=None if reader is not None else language,
    )
