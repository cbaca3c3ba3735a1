"""Publishing the chair's decisions (states, answer dates, emails, award letters) and offering
a freed award to a waitlisted student."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application, Call, Decision
from applications.services.decisions import (
    award_check_amount,
    award_check_budget,
    decision_audit,
    decision_lock,
    decision_snapshot,
)
from applications.services.letters import award_letters_enqueue
from applications.services.setup import call_mark_decided
from portal.emails import email_send
from portal.errors import Refused
from portal.operations import progress_none

if TYPE_CHECKING:
    from portal.accounts.models import User


@dataclass(frozen=True)
class Published:
    awarded: int = 0
    waitlisted: int = 0
    declined: int = 0

    @property
    def total(self) -> int:
        return self.awarded + self.waitlisted + self.declined


def respond_by_for(call: Call, now: datetime) -> date:
    """The last day (in the call's time zone) an awarded student may answer."""
    return timezone.localdate(now, call.zone) + timedelta(days=call.response_days)


#: Decisions published per transaction: short transactions, progress between them.
PUBLISH_BATCH = 500


def decisions_publish(
    *, call: Call, actor: User, now: datetime | None = None, progress=progress_none
) -> Published:
    """Publish every draft decision of the call: states, answer dates, emails, award letters.

    Published in batches of `PUBLISH_BATCH`, each in its own transaction (the call's row
    locked, as every change of a decision locks it), so that a national call never holds one
    long transaction and its progress can be shown. Work that stops half-way is finished by
    running it again: only decisions not yet published are taken. A second publish (a double
    click, another tab) finds nothing left and publishes nothing. Emails leave, and letters
    are rendered in background batches, as each batch commits.
    """
    now = now or timezone.now()
    pending = Decision.objects.filter(
        application__call=call,
        published_at__isnull=True,
        application__state__in=ApplicationState.decidable(),
    )
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    respond_by = respond_by_for(call, now)
    counts = {outcome: 0 for outcome in DecisionOutcome.values}
    for start in range(0, len(ids), PUBLISH_BATCH):
        progress("publishing", start, len(ids))
        with transaction.atomic():
            call = Call.objects.select_for_update().get(pk=call.pk)
            batch = (
                pending.select_for_update()
                .filter(pk__in=ids[start : start + PUBLISH_BATCH])
                .select_related("application__applicant")
                .order_by("pk")
            )
            letters = []
            for decision in batch:
                _publish_one(decision, call, actor=actor, now=now, respond_by=respond_by)
                if decision.outcome == DecisionOutcome.AWARD:
                    letters.append(decision.pk)
                counts[decision.outcome] += 1
            award_letters_enqueue(decision_ids=letters)
    progress("publishing", len(ids), len(ids))
    if ids:
        call_mark_decided(call=call, actor=actor)
    return Published(
        awarded=counts[DecisionOutcome.AWARD],
        waitlisted=counts[DecisionOutcome.WAITLIST],
        declined=counts[DecisionOutcome.DECLINE],
    )


def _publish_one(decision: Decision, call: Call, *, actor, now: datetime, respond_by) -> None:
    application = decision.application
    application.call = call
    before = decision_snapshot(decision, application)
    application.state = ApplicationState.published_as(decision.outcome)
    application.version += 1
    application.save(update_fields=["state", "version", "updated_at"])
    decision.published_at = now
    if decision.outcome == DecisionOutcome.AWARD:
        decision.respond_by = respond_by
    decision.save(update_fields=["published_at", "respond_by"])
    decision_audit(
        actor=actor,
        action="decision.published",
        decision=decision,
        call_id=call.pk,
        before=before,
        after=decision_snapshot(decision, application),
    )
    _email_decision(decision, application, call)


def _email_decision(decision: Decision, application: Application, call: Call) -> None:
    applicant = application.applicant
    email_send(
        to=[applicant.email],
        template=f"decision_{decision.outcome}",
        context={
            "name": applicant.get_short_name(),
            "call": call,
            "amount": decision.amount,
            "currency": call.currency,
            "respond_by": decision.respond_by,
            "application_id": application.pk,
        },
        user=applicant,
    )


# --- The waitlist -------------------------------------------------------------------------


def waitlist_offer(
    *, application: Application, actor: User | None, now: datetime | None = None
) -> tuple[Decision, bool]:
    """Offer an award to a waitlisted student (when the budget allows): the award email and a
    letter follow, as at publication. A second click returns `(decision, False)`.

    `actor` is None when the portal offers it itself, after an award lapsed: the decision
    then keeps the chair who decided it, and the audit trail names the portal."""
    now = now or timezone.now()
    with transaction.atomic():
        call, current, decision = decision_lock(application.pk)
        if decision is None or decision.published_at is None:
            raise Refused(
                _("This application is not on the published waitlist."), code="not_waitlisted"
            )
        if decision.outcome == DecisionOutcome.AWARD:
            return decision, False
        if current.state != ApplicationState.WAITLISTED:
            raise Refused(_("This application is not on the waitlist."), code="not_waitlisted")
        amount = call.default_award(current.requested_amount)
        award_check_amount(call=call, amount=amount)
        award_check_budget(call=call, amount=amount)
        before = decision_snapshot(decision, current)
        current.state = ApplicationState.AWARDED
        current.version += 1
        current.save(update_fields=["state", "version", "updated_at"])
        decision.outcome = DecisionOutcome.AWARD
        decision.amount = amount
        if actor is not None:
            decision.decided_by = actor
        decision.published_at = now
        decision.respond_by = respond_by_for(call, now)
        decision.letter_key = ""
        decision.save()
        decision_audit(
            actor=actor,
            action="decision.offered",
            decision=decision,
            call_id=call.pk,
            before=before,
            after=decision_snapshot(decision, current),
        )
        _email_decision(decision, current, call)
        award_letters_enqueue(decision_ids=[decision.pk])
    return decision, True
