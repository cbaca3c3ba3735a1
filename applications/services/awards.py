"""The awarded student's answer: accepting or declining an award by its date."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.decisions import (
    chairs_tell,
    decision_audit,
    decision_lock,
    decision_snapshot,
)
from portal.errors import Refused


def award_answer(
    *, application: Application, accept: bool, now: datetime | None = None
) -> tuple[Application, bool]:
    """The awarded student accepts or declines, by the end of `respond_by` in the call's time
    zone (after it the award lapses: `applications.services.lapses`). Sending the same answer
    again returns `(application, False)`; a decline frees the amount and tells the chairs, who
    may offer it to the waitlist."""
    now = now or timezone.now()
    answered = ApplicationState.ACCEPTED if accept else ApplicationState.DECLINED_BY_APPLICANT
    with transaction.atomic():
        call, current, decision = decision_lock(application.pk)
        if current.state == answered:
            return current, False
        if current.state == ApplicationState.LAPSED or (
            current.state == ApplicationState.AWARDED
            and decision is not None
            and decision.respond_by is not None
            and call.day_has_passed(decision.respond_by, now)
        ):
            raise Refused(
                _(
                    "The date to answer this award has passed. If something kept you from "
                    "answering in time, please write to the programme team."
                ),
                code="answer_too_late",
            )
        if (
            current.state != ApplicationState.AWARDED
            or decision is None
            or decision.published_at is None
        ):
            raise Refused(_("You have already answered this award."), code="already_answered")
        before = decision_snapshot(decision, current)
        current.state = answered
        current.version += 1
        current.save(update_fields=["state", "version", "updated_at"])
        decision.responded_at = now
        decision.save(update_fields=["responded_at"])
        decision_audit(
            actor=current.applicant,
            action="award.accepted" if accept else "award.declined",
            decision=decision,
            call_id=call.pk,
            before=before,
            after=decision_snapshot(decision, current),
        )
        if not accept:
            chairs_tell(call, current, decision, template="decision_answer")
    return current, True
