"""Referees: invited by an unguessable link, they send one confidential letter or decline."""

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
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
from portal import storage
from portal.emails import email_send, recipient_language
from portal.errors import Refused
from portal.uploads import Upload

LETTER_TYPES = ("application/pdf",)
LETTER_MAX_SIZE = 10_000_000
REMINDER_INTERVAL = timedelta(hours=24)


# Why a link cannot be used, by the refusal's code; "unknown" is answered as a missing page.
_LINK_REFUSALS = {
    "unknown": _(
        "This link is not valid. Check that you copied the whole link from the email; a newer "
        "reminder replaces older links."
    ),
    "replaced": _("The applicant has withdrawn this request, so no letter is needed."),
    "withdrawn": _("The applicant has withdrawn this application, so no letter is needed."),
    "answered": _("This request has already been answered. Thank you."),
    "expired": _("The time for letters for this call has ended."),
}


def _link_refused(code: str) -> Refused:
    return Refused(_LINK_REFUSALS[code], code=code, status=404 if code == "unknown" else 410)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _address(email: str) -> str:
    """An address as compared: the same whatever its case or the spaces around it."""
    return (email or "").strip().casefold()


def referee_invite(*, application: Application, name: str, email: str) -> RefereeRequest:
    application_check_editable(application=application)
    active = [r for r in application.referees.all() if r.is_active]
    if len(active) >= max(application.call.referees_required, 1) + 2:
        raise Refused(
            _("You have invited the most referees this call allows."), code="too_many_referees"
        )
    address = _address(email)
    if address == _address(application.applicant.email):
        raise Refused(
            _("You cannot be your own referee. Give the address of someone who knows your work."),
            code="own_referee",
            field="email",
        )
    if any(_address(r.email) == address for r in active):
        raise Refused(
            _("You have already invited this referee."),
            code="already_invited",
            field="email",
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        referee = RefereeRequest.objects.create(
            application=application, name=name, email=email, token_hash=token_hash(token)
        )
        _send_invitation(referee, token, reminder=False)
    return referee


def referee_remind(
    *, application: Application, referee: RefereeRequest, now=None, automatic: bool = False
) -> None:
    """A new link replaces the old one (only its hash is kept, so the old one can't be resent).

    The applicant sends one by hand, or the schedule does (`automatic`, see
    `applications.services.reminders`); each is logged for the applicant's page.
    """
    now = now or timezone.now()
    application_check_editable(application=application, now=now)
    if referee.status != RefereeStatus.INVITED:
        raise Refused(_("This referee has already answered."), code="answered")
    last = referee.reminded_at or referee.invited_at
    if now - last < REMINDER_INTERVAL:
        raise Refused(_("You can send a reminder once a day."), code="reminder_too_soon")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        referee.token_hash = token_hash(token)
        referee.reminded_at = now
        referee.reminders = [
            *(referee.reminders or []),
            {"at": now.isoformat(), "automatic": automatic},
        ]
        referee.save(update_fields=["token_hash", "reminded_at", "reminders"])
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


def referee_for_token(*, token: str, now=None, address: str | None = None) -> RefereeRequest:
    """The request a link opens, or `Refused` saying why it can't be used (its code is the
    reason: "unknown", "replaced", "withdrawn", "answered", "expired", or "too_many_attempts"
    once too many links that do not open came from `address` or for this link)."""
    sources = _link_sources(token, address)
    if _link_attempts_exhausted(sources):
        raise Refused(
            _("Too many links that do not open were tried. Please try again in an hour."),
            code="too_many_attempts",
            status=429,
        )
    referee = (
        RefereeRequest.objects.select_related("application__call", "application__applicant")
        .filter(token_hash=token_hash(token))
        .first()
    )
    try:
        if referee is None:
            raise _link_refused("unknown")
        _check_link(referee, now or timezone.now())
    except Refused as refusal:
        if refusal.code in {"unknown", "expired"}:
            _link_attempt_failed(sources)
        raise
    return referee


# --- The limit on links that do not open ------------------------------------------------------
# Counted in the shared cache, so every process counts the same attempts: per address (someone
# guessing links) and per link (one link tried over and over), by REFEREE_LINK_RATE_LIMITS in
# allauth's notation. Each rate counts in fixed windows of its period.
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _link_sources(token: str, address: str | None) -> dict[str, str]:
    sources = {"key": token_hash(token)}
    if address:
        sources["ip"] = hashlib.sha256(address.encode()).hexdigest()
    return sources


def _link_counters(sources: dict[str, str]) -> list[tuple[str, int, int]]:
    """(cache key, attempts allowed, seconds) for each configured rate that applies."""
    counters = []
    for rate in (getattr(settings, "REFEREE_LINK_RATE_LIMITS", "") or "").split(","):
        if not rate.strip():
            continue
        amount, period, per = rate.strip().split("/")
        seconds = int(float(period[:-1] or 1) * _PERIODS[period[-1]])
        if per in sources:
            window = int(time.time() // seconds)
            key = f"referee-link:{per}:{seconds}:{window}:{sources[per]}"
            counters.append((key, int(amount), seconds))
    return counters


def _link_attempts_exhausted(sources: dict[str, str]) -> bool:
    counters = _link_counters(sources)
    counts = cache.get_many([key for key, _amount, _seconds in counters])
    return any(counts.get(key, 0) >= amount for key, amount, _seconds in counters)


def _link_attempt_failed(sources: dict[str, str]) -> None:
    for key, _amount, seconds in _link_counters(sources):
        if not cache.add(key, 1, timeout=seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls: this attempt starts anew
                cache.add(key, 1, timeout=seconds)


def referee_with_letter(*, token: str) -> RefereeRequest | None:
    """The request of this link once its letter has arrived, else None: a second "finish" of
    that letter (a double click, a retry) is then answered by the upload protocol as the first
    one was, instead of as a used link."""
    return (
        RefereeRequest.objects.select_related("application__call", "application__applicant")
        .filter(token_hash=token_hash(token), status=RefereeStatus.RECEIVED)
        .first()
    )


def _check_link(referee: RefereeRequest, now) -> None:
    application = referee.application
    if referee.status == RefereeStatus.REPLACED:
        raise _link_refused("replaced")
    if application.state == ApplicationState.WITHDRAWN:
        raise _link_refused("withdrawn")
    if referee.status in {RefereeStatus.RECEIVED, RefereeStatus.DECLINED}:
        raise _link_refused("answered")
    if now >= application.call.referee_deadline:
        raise _link_refused("expired")


class LetterUpload(Upload):
    """The referee's one confidential letter, a PDF, while the link can be used."""

    def __init__(self, *, referee: RefereeRequest, now=None):
        super().__init__(
            prefix=f"letters/{referee.application.call_id}/{referee.pk}",
            allowed_types=LETTER_TYPES,
            max_size=LETTER_MAX_SIZE,
            now=now,
        )
        self.referee = referee

    def authorise(self) -> None:
        _check_link(self.referee, self.now)

    def recorded(self, key: str) -> RefereeRequest | None:
        return RefereeRequest.objects.filter(pk=self.referee.pk, letter_key=key).first()

    def record(self, stored: storage.StoredObject, *, name: str) -> RefereeRequest:
        current = RefereeRequest.objects.select_for_update().get(pk=self.referee.pk)
        if current.letter_key and current.letter_key == stored.key:  # one letter, finished twice
            return current
        if current.status != RefereeStatus.INVITED:  # two tabs: the first letter counts
            raise _link_refused("answered")
        current.status = RefereeStatus.RECEIVED
        current.letter_key = stored.key
        current.letter_size = stored.size
        current.letter_sha256 = stored.sha256
        current.responded_at = self.now
        current.save()
        application_refresh_missing(application=current.application)
        return current


def referee_decline(*, token: str, reason: str = "", now=None) -> RefereeRequest:
    referee = referee_for_token(token=token, now=now)
    with transaction.atomic():
        current = RefereeRequest.objects.select_for_update().get(pk=referee.pk)
        if current.status != RefereeStatus.INVITED:
            raise _link_refused("answered")
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
                "call": application.call,
            },
            user=application.applicant,
        )
    return current


def _send_invitation(referee: RefereeRequest, token: str, *, reminder: bool) -> None:
    application = referee.application
    language = recipient_language(application.applicant)
    with translation.override(language):
        path = reverse("applications:referee", args=[token])
    email_send(
        to=[referee.email],
        template="referee_reminder" if reminder else "referee_invitation",
        context={
            "referee": referee.name,
            "applicant": application.applicant.get_full_name(),
            "call": application.call,
            "path": path,
            "deadline": application.call.referee_deadline,
            "time_zone": application.call.time_zone,
        },
        language=language,
    )
