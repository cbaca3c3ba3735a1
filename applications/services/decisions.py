"""The chair's decisions: drafts within the budget, the award suggestion, publication (emails and
award letters), waitlist offers and the awarded student's answer.

Every change is recorded in the audit trail in the transaction that makes it. Writes lock the
call's row first, then the application's: two tabs, a double click or two chairs cannot commit
more than the budget or publish twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from applications.board import COMMITTING_STATES, DECIDABLE_STATES, default_amount
from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application, Call, Decision
from applications.services.errors import ApplicationError
from applications.tasks import task_award_letters
from portal.audit import audit_record
from portal.emails import email_send
from portal.pdf import render_pdf
from portal.storage import new_key

if TYPE_CHECKING:
    from portal.accounts.models import User

#: The state an application takes when its decision is published.
PUBLISHED_STATES = {
    DecisionOutcome.AWARD: ApplicationState.AWARDED,
    DecisionOutcome.WAITLIST: ApplicationState.WAITLISTED,
    DecisionOutcome.DECLINE: ApplicationState.DECLINED,
}
#: Award letters per background task: a worker renders one batch at a time.
LETTER_BATCH = 100
LETTER_PREFIX = "letters/award"


class DecisionRefused(ApplicationError):
    message = _("This decision cannot be recorded.")


class DecisionChanged(DecisionRefused):
    message = _(
        "Someone changed this decision (in another tab or window) since you opened the page. "
        "Nothing was saved: check the decision as it is now."
    )


class AnswerRefused(ApplicationError):
    message = _("This award can no longer be answered here.")


# --- Reading the budget -------------------------------------------------------------------


def budget_committed(*, call: Call) -> Decimal:
    """Awards (drafts included) that the student has not declined, in the call's currency."""
    total = Decision.objects.filter(
        application__call=call,
        outcome=DecisionOutcome.AWARD,
        application__state__in=COMMITTING_STATES,
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def _money(amount: Decimal, call: Call) -> str:
    return f"{number_format(amount, 2, force_grouping=True)} {call.currency}"


def _check_amount(*, call: Call, amount: Decimal) -> None:
    """An award is more than zero and at most the call's maximum (when it has one)."""
    if amount <= 0:
        raise DecisionRefused(_("An award must be more than zero."))
    if call.award_amount > 0 and amount > call.award_amount:
        raise DecisionRefused(
            _("An award of this call is at most %(maximum)s.")
            % {"maximum": _money(call.award_amount, call)}
        )


def _check_budget(*, call: Call, amount: Decimal, freed: Decimal = Decimal("0")) -> None:
    """`amount` more (less what a changed award frees) still fits the call's budget."""
    committed = budget_committed(call=call) - freed
    if committed + amount > call.budget:
        raise DecisionRefused(
            _(
                "An award of %(amount)s does not fit the budget: %(committed)s of "
                "%(budget)s are committed, %(remaining)s remain."
            )
            % {
                "amount": _money(amount, call),
                "committed": _money(committed, call),
                "budget": _money(call.budget, call),
                "remaining": _money(max(call.budget - committed, Decimal("0")), call),
            }
        )


# --- The audit trail ----------------------------------------------------------------------


def _snapshot(decision: Decision, application: Application) -> dict:
    return {
        "application": application.pk,
        "outcome": decision.outcome,
        "amount": None if decision.amount is None else f"{Decimal(decision.amount):.2f}",
        "published": decision.published_at is not None,
        "respond_by": decision.respond_by.isoformat() if decision.respond_by else None,
        "state": application.state,
    }


def _audit(*, actor, action: str, decision: Decision, call_id: int, before, after) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=decision,
        scope=f"call:{call_id}",
        before=before,
        after=after,
    )


def decision_token(decision: Decision | None) -> str:
    """What a form carries to notice a change made in another tab since it was rendered."""
    return "" if decision is None else f"{decision.pk}:{decision.decided_at.isoformat()}"


# --- Drafting decisions -------------------------------------------------------------------


def _lock(application_id: int) -> tuple[Call, Application, Decision | None]:
    """Lock the call (the budget) then the application, always in this order."""
    call_id = Application.objects.values_list("call_id", flat=True).get(pk=application_id)
    call = Call.objects.select_for_update().get(pk=call_id)
    application = (
        Application.objects.select_for_update().select_related("applicant").get(pk=application_id)
    )
    application.call = call
    decision = Decision.objects.select_for_update().filter(application=application).first()
    return call, application, decision


def decision_set(
    *,
    application: Application,
    actor: User,
    outcome: str | None,
    amount: Decimal | None = None,
    seen: str | None = None,
) -> Decision | None:
    """Draft, change or (with `outcome=None`) remove the decision on one application.

    An award's amount defaults to the call's (see `board.default_amount`). Refused once
    published, for an application that is not submitted, over the budget, or when `seen` (a
    `decision_token`) shows the decision changed since the chair's page was rendered.
    """
    if outcome is not None and outcome not in DecisionOutcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    with transaction.atomic():
        call, current, decision = _lock(application.pk)
        if decision is not None and decision.published_at is not None:
            raise DecisionRefused(_("This decision is published and can no longer be changed."))
        if current.state not in DECIDABLE_STATES:
            raise DecisionRefused(_("Only a submitted application can be decided."))
        if outcome == DecisionOutcome.AWARD and amount is None:
            amount = default_amount(
                award_mode=call.award_mode,
                award_amount=call.award_amount,
                requested_amount=current.requested_amount,
            )
        elif outcome != DecisionOutcome.AWARD:
            amount = None
        # The same form sent twice (a double click) is not a conflict: nothing to change.
        if decision is None and outcome is None:
            return None
        if decision is not None and (decision.outcome, decision.amount) == (outcome, amount):
            return decision
        if seen is not None and seen != decision_token(decision):
            raise DecisionChanged
        before = None if decision is None else _snapshot(decision, current)
        if outcome is None:
            _audit(
                actor=actor,
                action="decision.removed",
                decision=decision,
                call_id=call.pk,
                before=before,
                after=None,
            )
            decision.delete()
            return None
        if outcome == DecisionOutcome.AWARD:
            was_award = decision is not None and decision.outcome == DecisionOutcome.AWARD
            _check_amount(call=call, amount=amount)
            _check_budget(
                call=call,
                amount=amount,
                freed=(decision.amount or Decimal("0")) if was_award else Decimal("0"),
            )
        if decision is None:
            decision = Decision(application=current, decided_by=actor)
        decision.outcome = outcome
        decision.amount = amount
        decision.decided_by = actor
        decision.save()
        _audit(
            actor=actor,
            action="decision.created" if before is None else "decision.changed",
            decision=decision,
            call_id=call.pk,
            before=before,
            after=_snapshot(decision, current),
        )
    return decision


def decisions_apply(
    *,
    call: Call,
    actor: User,
    awards: Sequence[tuple[int, Decimal]],
    waitlist: Sequence[int] = (),
    declines: Sequence[int] = (),
) -> int:
    """Record a suggestion the chair confirmed, all or nothing: every application must still be
    undecided and the awards must still fit the budget. Returns the number of decisions."""
    outcomes = [(pk, DecisionOutcome.AWARD, amount) for pk, amount in awards]
    outcomes += [(pk, DecisionOutcome.WAITLIST, None) for pk in waitlist]
    outcomes += [(pk, DecisionOutcome.DECLINE, None) for pk in declines]
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        ids = [pk for pk, _, _ in outcomes]
        applications = {
            a.pk: a
            # of=self: PostgreSQL cannot lock the nullable side of the join to decisions.
            for a in Application.objects.select_for_update(of=("self",)).filter(
                pk__in=ids, call=call, state__in=DECIDABLE_STATES, decision__isnull=True
            )
        }
        if len(applications) != len(set(ids)) or len(ids) != len(set(ids)):
            raise DecisionChanged(
                _(
                    "Some of these applications were decided or changed since the suggestion "
                    "was made. Nothing was saved: look at the new suggestion."
                )
            )
        try:
            for _pk, amount in awards:
                _check_amount(call=call, amount=amount)
            _check_budget(call=call, amount=sum((a for _, a in awards), Decimal("0")))
        except DecisionRefused as refusal:
            raise DecisionChanged(refusal.message) from refusal
        for pk, outcome, amount in outcomes:
            decision = Decision.objects.create(
                application=applications[pk], outcome=outcome, amount=amount, decided_by=actor
            )
            _audit(
                actor=actor,
                action="decision.created",
                decision=decision,
                call_id=call.pk,
                before=None,
                after=_snapshot(decision, applications[pk]),
            )
    return len(outcomes)


# --- Publishing ---------------------------------------------------------------------------


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


def decisions_publish(*, call: Call, actor: User, now: datetime | None = None) -> Published:
    """Publish every draft decision of the call: states, answer dates, emails, award letters.

    A second publish (a double click, another tab) finds nothing left and publishes nothing.
    Emails leave, and letters are rendered in background batches, once this commits.
    """
    now = now or timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        decisions = list(
            Decision.objects.select_for_update()
            .filter(
                application__call=call,
                published_at__isnull=True,
                application__state__in=DECIDABLE_STATES,
            )
            .select_related("application__applicant")
            .order_by("pk")
        )
        respond_by = respond_by_for(call, now)
        counts = {outcome: 0 for outcome in DecisionOutcome.values}
        letters = []
        for decision in decisions:
            application = decision.application
            application.call = call
            before = _snapshot(decision, application)
            application.state = PUBLISHED_STATES[decision.outcome]
            application.version += 1
            application.save(update_fields=["state", "version", "updated_at"])
            decision.published_at = now
            if decision.outcome == DecisionOutcome.AWARD:
                decision.respond_by = respond_by
                letters.append(decision.pk)
            decision.save(update_fields=["published_at", "respond_by"])
            _audit(
                actor=actor,
                action="decision.published",
                decision=decision,
                call_id=call.pk,
                before=before,
                after=_snapshot(decision, application),
            )
            _email_decision(decision, application, call)
            counts[decision.outcome] += 1
        _letters_after_commit(letters)
    return Published(
        awarded=counts[DecisionOutcome.AWARD],
        waitlisted=counts[DecisionOutcome.WAITLIST],
        declined=counts[DecisionOutcome.DECLINE],
    )


def _email_decision(decision: Decision, application: Application, call: Call) -> None:
    applicant = application.applicant
    email_send(
        to=[applicant.email],
        template=f"decision_{decision.outcome}",
        context={
            "name": applicant.get_short_name(),
            "call": call.title,
            "amount": decision.amount,
            "currency": call.currency,
            "respond_by": decision.respond_by,
            "application_id": application.pk,
        },
        language=applicant.preferred_language or None,
    )


def _letters_after_commit(decision_ids: list[int]) -> None:
    if not decision_ids:
        return

    def enqueue():
        for start in range(0, len(decision_ids), LETTER_BATCH):
            task_award_letters.enqueue(decision_ids=decision_ids[start : start + LETTER_BATCH])

    transaction.on_commit(enqueue)


# --- The waitlist -------------------------------------------------------------------------


def waitlist_offer(
    *, application: Application, actor: User, now: datetime | None = None
) -> tuple[Decision, bool]:
    """Offer an award to a waitlisted student (when the budget allows): the award email and a
    letter follow, as at publication. A second click returns `(decision, False)`."""
    now = now or timezone.now()
    with transaction.atomic():
        call, current, decision = _lock(application.pk)
        if decision is None or decision.published_at is None:
            raise DecisionRefused(_("This application is not on the published waitlist."))
        if decision.outcome == DecisionOutcome.AWARD:
            return decision, False
        if current.state != ApplicationState.WAITLISTED:
            raise DecisionRefused(_("This application is not on the waitlist."))
        amount = default_amount(
            award_mode=call.award_mode,
            award_amount=call.award_amount,
            requested_amount=current.requested_amount,
        )
        _check_amount(call=call, amount=amount)
        _check_budget(call=call, amount=amount)
        before = _snapshot(decision, current)
        current.state = ApplicationState.AWARDED
        current.version += 1
        current.save(update_fields=["state", "version", "updated_at"])
        decision.outcome = DecisionOutcome.AWARD
        decision.amount = amount
        decision.decided_by = actor
        decision.published_at = now
        decision.respond_by = respond_by_for(call, now)
        decision.letter_key = ""
        decision.save()
        _audit(
            actor=actor,
            action="decision.offered",
            decision=decision,
            call_id=call.pk,
            before=before,
            after=_snapshot(decision, current),
        )
        _email_decision(decision, current, call)
        _letters_after_commit([decision.pk])
    return decision, True


# --- The student's answer -----------------------------------------------------------------


def award_answer(
    *, application: Application, accept: bool, now: datetime | None = None
) -> tuple[Application, bool]:
    """The awarded student accepts or declines, by the end of `respond_by` in the call's time
    zone. Sending the same answer again returns `(application, False)`; a decline frees the
    amount and tells the chairs, who may offer it to the waitlist."""
    now = now or timezone.now()
    answered = ApplicationState.ACCEPTED if accept else ApplicationState.DECLINED_BY_APPLICANT
    with transaction.atomic():
        call, current, decision = _lock(application.pk)
        if current.state == answered:
            return current, False
        if (
            current.state != ApplicationState.AWARDED
            or decision is None
            or decision.published_at is None
        ):
            raise AnswerRefused(_("You have already answered this award."))
        if decision.respond_by is not None and timezone.localdate(now, call.zone) > (
            decision.respond_by
        ):
            raise AnswerRefused(
                _(
                    "The date to answer this award has passed. If something kept you from "
                    "answering in time, please write to the programme team."
                )
            )
        before = _snapshot(decision, current)
        current.state = answered
        current.version += 1
        current.save(update_fields=["state", "version", "updated_at"])
        decision.responded_at = now
        decision.save(update_fields=["responded_at"])
        _audit(
            actor=current.applicant,
            action="award.accepted" if accept else "award.declined",
            decision=decision,
            call_id=call.pk,
            before=before,
            after=_snapshot(decision, current),
        )
        if not accept:
            _email_chairs_of_decline(call, current, decision)
    return current, True


def _email_chairs_of_decline(call: Call, application: Application, decision: Decision) -> None:
    for membership in call.memberships.filter(is_chair=True).select_related("user"):
        chair = membership.user
        email_send(
            to=[chair.email],
            template="decision_answer",
            context={
                "name": chair.get_short_name(),
                "call": call.title,
                "call_id": call.pk,
                "applicant": application.applicant.get_full_name(),
                "amount": decision.amount,
                "currency": call.currency,
            },
            language=chair.preferred_language or None,
        )


# --- Award letters ------------------------------------------------------------------------


def award_letters_generate(*, decision_ids: Sequence[int], now: datetime | None = None) -> int:
    """Render and store the award letter of each published award that has none yet.

    Safe to run twice (a retried task): a letter is stored only for a decision still without
    one; a letter that lost that race is deleted. Returns the number of letters stored.
    """
    now = now or timezone.now()
    decisions = (
        Decision.objects.filter(
            pk__in=list(decision_ids),
            outcome=DecisionOutcome.AWARD,
            published_at__isnull=False,
            letter_key="",
        )
        .select_related("application__applicant", "application__call", "decided_by")
        .order_by("pk")
    )
    stored = 0
    for decision in decisions:
        pdf = award_letter_pdf(decision=decision, now=now)
        call = decision.application.call
        key = default_storage.save(new_key(f"{LETTER_PREFIX}/{call.pk}"), ContentFile(pdf))
        updated = Decision.objects.filter(
            pk=decision.pk, letter_key="", outcome=DecisionOutcome.AWARD
        ).update(letter_key=key)
        if updated:
            stored += 1
        else:
            default_storage.delete(key)
    return stored


def award_letter_pdf(*, decision: Decision, now: datetime | None = None) -> bytes:
    application = decision.application
    call = application.call
    applicant = application.applicant
    return render_pdf(
        "pdf/award_letter.html",
        {
            "decision": decision,
            "application": application,
            "applicant": applicant,
            "call": call,
            "today": timezone.localdate(now or timezone.now(), call.zone),
            "site_url": settings.SITE_URL,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
        language=applicant.preferred_language or None,
    )
