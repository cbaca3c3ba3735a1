"""Referees: invited by an unguessable link, they send one confidential letter or decline."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState, RefereeStatus
from applications.models import Application, RefereeRequest
from applications.services.applications import (
    application_check_editable,
    application_refresh_missing,
)
from applications.services.errors import ApplicationError
from portal import storage
from portal.emails import email_send

LETTER_TYPES = ("application/pdf",)
LETTER_MAX_SIZE = 10_000_000
REMINDER_INTERVAL = timedelta(hours=24)


class RefereeLinkInvalid(ApplicationError):
    """The link cannot be used; `reason` picks the page the referee sees."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown", "expired", "answered", "withdrawn", "replaced"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def referee_invite(*, application: Application, name: str, email: str) -> RefereeRequest:
    application_check_editable(application=application)
    active = [r for r in application.referees.all() if r.is_active]
    if len(active) >= max(application.call.referees_required, 1) + 2:
        raise ApplicationError(_("You have invited the most referees this call allows."))
    if any(r.email.lower() == email.lower() for r in active):
        raise ApplicationError(_("You have already invited this referee."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        referee = RefereeRequest.objects.create(
            application=application, name=name, email=email, token_hash=token_hash(token)
        )
        _send_invitation(referee, token, reminder=False)
    return referee


def referee_remind(*, application: Application, referee: RefereeRequest, now=None) -> None:
    """A new link replaces the old one (only its hash is kept, so the old one can't be resent)."""
    now = now or timezone.now()
    application_check_editable(application=application)
    if referee.status != RefereeStatus.INVITED:
        raise ApplicationError(_("This referee has already answered."))
    last = referee.reminded_at or referee.invited_at
    if now - last < REMINDER_INTERVAL:
        raise ApplicationError(_("You can send a reminder once a day."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        referee.token_hash = token_hash(token)
        referee.reminded_at = now
        referee.save(update_fields=["token_hash", "reminded_at"])
        _send_invitation(referee, token, reminder=True)


def referee_replace(
    *, application: Application, referee: RefereeRequest, name: str, email: str
) -> RefereeRequest:
    application_check_editable(application=application)
    with transaction.atomic():
        referee.status = RefereeStatus.REPLACED
        referee.save(update_fields=["status"])
        replacement = referee_invite(application=application, name=name, email=email)
        application_refresh_missing(application=application)
    return replacement


def referee_for_token(*, token: str, now=None) -> RefereeRequest:
    """The request a link opens, or `RefereeLinkInvalid` saying why it can't be used."""
    now = now or timezone.now()
    referee = (
        RefereeRequest.objects.select_related("application__call", "application__applicant")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if referee is None:
        raise RefereeLinkInvalid("unknown")
    application = referee.application
    if referee.status == RefereeStatus.REPLACED:
        raise RefereeLinkInvalid("replaced")
    if application.state == ApplicationState.WITHDRAWN:
        raise RefereeLinkInvalid("withdrawn")
    if referee.status in {RefereeStatus.RECEIVED, RefereeStatus.DECLINED}:
        raise RefereeLinkInvalid("answered")
    if now >= application.call.referee_deadline:
        raise RefereeLinkInvalid("expired")
    return referee


def referee_letter_save(*, token: str, file, now=None) -> RefereeRequest:
    referee = referee_for_token(token=token, now=now)
    stored = storage.upload_save(
        prefix=f"letters/{referee.application.call_id}",
        file=file,
        max_size=LETTER_MAX_SIZE,
        allowed_types=LETTER_TYPES,
    )
    with transaction.atomic():
        current = RefereeRequest.objects.select_for_update().get(pk=referee.pk)
        if current.status != RefereeStatus.INVITED:  # two tabs: the first letter counts
            transaction.on_commit(lambda: storage.object_delete(stored.key))
            raise RefereeLinkInvalid("answered")
        current.status = RefereeStatus.RECEIVED
        current.letter_key = stored.key
        current.letter_size = stored.size
        current.letter_sha256 = stored.sha256
        current.responded_at = now or timezone.now()
        current.save()
        application_refresh_missing(application=current.application)
    return current


def referee_decline(*, token: str, reason: str = "", now=None) -> RefereeRequest:
    referee = referee_for_token(token=token, now=now)
    with transaction.atomic():
        current = RefereeRequest.objects.select_for_update().get(pk=referee.pk)
        if current.status != RefereeStatus.INVITED:
            raise RefereeLinkInvalid("answered")
        current.status = RefereeStatus.DECLINED
        current.decline_reason = reason[:500]
        current.responded_at = now or timezone.now()
        current.save()
        application = current.application
        email_send(
            to=[application.applicant.email],
            template="referee_declined",
            context={
                "name": application.applicant.get_short_name(),
                "referee": current.name,
                "call": application.call.title,
            },
            language=application.applicant.preferred_language or None,
        )
    return current


def _send_invitation(referee: RefereeRequest, token: str, *, reminder: bool) -> None:
    application = referee.application
    language = application.applicant.preferred_language or None
    with translation.override(language):
        path = reverse("applications:referee", args=[token])
    email_send(
        to=[referee.email],
        template="referee_reminder" if reminder else "referee_invitation",
        context={
            "referee": referee.name,
            "applicant": application.applicant.get_full_name(),
            "call": application.call.title,
            "path": path,
            "deadline": application.call.referee_deadline,
            "time_zone": application.call.time_zone,
        },
        language=language,
    )
