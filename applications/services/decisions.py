"""The chair's draft decisions: one at a time within the budget, or a confirmed suggestion; and
what publication, waitlist offers and the student's answer share (locks, checks, audit).

Every change is recorded in the audit trail in the transaction that makes it. Writes lock the
call's row first, then the application's: two tabs, a double click or two chairs cannot commit
more than the budget or publish twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application, Call, Decision
from portal.audit import audit_record
from portal.emails import email_send
from portal.errors import Refused

if TYPE_CHECKING:
    from portal.accounts.models import User


def changed_refusal(message: str | None = None) -> Refused:
    """The decision changed (another tab, another chair) since the page was rendered."""
    return Refused(
        message
        or _(
            "Someone changed this decision (in another tab or window) since you opened the page. "
            "Nothing was saved: check the decision as it is now."
        ),
        code="changed",
        status=409,
    )


# --- Reading the budget -------------------------------------------------------------------


def budget_committed(*, call: Call) -> Decimal:
    """Awards (drafts included) that the student has not declined, in the call's currency."""
    total = Decision.objects.filter(
        application__call=call,
        outcome=DecisionOutcome.AWARD,
        application__state__in=ApplicationState.committing(),
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def _money(amount: Decimal, call: Call) -> str:
    return f"{number_format(amount, 2, force_grouping=True)} {call.currency}"


def award_check_amount(*, call: Call, amount: Decimal) -> None:
    """An award is more than zero and at most the call's maximum (when it has one)."""
    if amount <= 0:
        raise Refused(_("An award must be more than zero."), code="amount_not_positive")
    if call.award_amount > 0 and amount > call.award_amount:
        raise Refused(
            _("An award of this call is at most %(maximum)s.")
            % {"maximum": _money(call.award_amount, call)},
            code="above_maximum",
        )


def award_check_budget(*, call: Call, amount: Decimal, freed: Decimal = Decimal("0")) -> None:
    """`amount` more (less what a changed award frees) still fits the call's budget."""
    committed = budget_committed(call=call) - freed
    if committed + amount > call.budget:
        raise Refused(
            _(
                "An award of %(amount)s does not fit the budget: %(committed)s of "
                "%(budget)s are committed, %(remaining)s remain."
            )
            % {
                "amount": _money(amount, call),
                "committed": _money(committed, call),
                "budget": _money(call.budget, call),
                "remaining": _money(max(call.budget - committed, Decimal("0")), call),
            },
            code="over_budget",
        )


# --- The audit trail ----------------------------------------------------------------------


def decision_snapshot(decision: Decision, application: Application) -> dict:
    return {
        "application": application.pk,
        "outcome": decision.outcome,
        "amount": None if decision.amount is None else f"{Decimal(decision.amount):.2f}",
        "published": decision.published_at is not None,
        "respond_by": decision.respond_by.isoformat() if decision.respond_by else None,
        "state": application.state,
    }


def decision_audit(*, actor, action: str, decision: Decision, call_id: int, before, after) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=decision,
        scope=f"call:{call_id}",
        before=before,
        after=after,
    )


def chairs_tell(
    call: Call, application: Application, decision: Decision, *, template: str, **extra
):
    """Email each chair of the call about one applicant's award, in the chair's language."""
    for membership in call.memberships.filter(is_chair=True).select_related("user"):
        chair = membership.user
        email_send(
            to=[chair.email],
            template=template,
            context={
                "name": chair.get_short_name(),
                "call": call,
                "call_id": call.pk,
                "applicant": application.applicant.get_full_name(),
                "amount": decision.amount,
                "currency": call.currency,
                **extra,
            },
            user=chair,
        )


def decision_token(decision: Decision | None) -> str:
    """What a form carries to notice a change made in another tab since it was rendered."""
    return "" if decision is None else f"{decision.pk}:{decision.decided_at.isoformat()}"


# --- Drafting decisions -------------------------------------------------------------------


def decision_lock(application_id: int) -> tuple[Call, Application, Decision | None]:
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

    An award's amount defaults to the call's (see `Call.default_award`). Refused once
    published, for an application that is not submitted, over the budget, or when `seen` (a
    `decision_token`) shows the decision changed since the chair's page was rendered.
    """
    if outcome is not None and outcome not in DecisionOutcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    with transaction.atomic():
        call, current, decision = decision_lock(application.pk)
        if decision is not None and decision.published_at is not None:
            raise Refused(
                _("This decision is published and can no longer be changed."), code="published"
            )
        if current.state not in ApplicationState.decidable():
            raise Refused(_("Only a submitted application can be decided."), code="not_decidable")
        if outcome == DecisionOutcome.AWARD and amount is None:
            amount = call.default_award(current.requested_amount)
        elif outcome != DecisionOutcome.AWARD:
            amount = None
        # The same form sent twice (a double click) is not a conflict: nothing to change.
        if decision is None and outcome is None:
            return None
        if decision is not None and (decision.outcome, decision.amount) == (outcome, amount):
            return decision
        if seen is not None and seen != decision_token(decision):
            raise changed_refusal()
        before = None if decision is None else decision_snapshot(decision, current)
        if outcome is None:
            decision_audit(
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
            award_check_amount(call=call, amount=amount)
            award_check_budget(
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
        decision_audit(
            actor=actor,
            action="decision.created" if before is None else "decision.changed",
            decision=decision,
            call_id=call.pk,
            before=before,
            after=decision_snapshot(decision, current),
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
                pk__in=ids,
                call=call,
                state__in=ApplicationState.decidable(),
                decision__isnull=True,
            )
        }
        if len(applications) != len(set(ids)) or len(ids) != len(set(ids)):
            raise changed_refusal(
                _(
                    "Some of these applications were decided or changed since the suggestion "
                    "was made. Nothing was saved: look at the new suggestion."
                )
            )
        try:
            for _pk, amount in awards:
                award_check_amount(call=call, amount=amount)
            award_check_budget(call=call, amount=sum((a for _, a in awards), Decimal("0")))
        except Refused as refusal:
            raise changed_refusal(refusal.message) from refusal
        for pk, outcome, amount in outcomes:
            decision = Decision.objects.create(
                application=applications[pk], outcome=outcome, amount=amount, decided_by=actor
            )
            decision_audit(
                actor=actor,
                action="decision.created",
                decision=decision,
                call_id=call.pk,
                before=None,
                after=decision_snapshot(decision, applications[pk]),
            )
    return len(outcomes)
