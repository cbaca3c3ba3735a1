"""Paying an award: programme staff set its schedule of instalments (adding up to the award),
mark an instalment's condition met, and record each payment with its bank reference; every
change is in the audit trail (scope `disbursements:<call id>`)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from applications.enums import ApplicationState, DecisionOutcome, InstalmentCondition
from applications.models import Application, Instalment, Payment
from portal.audit import audit_record
from portal.errors import Refused
from portal.templatetags.formatting import money_text


@dataclass(frozen=True)
class InstalmentPlan:
    """One row of a schedule as staff type it."""

    amount: Decimal
    due_date: date
    condition: str = InstalmentCondition.NONE
    condition_text: str = ""


def scope_of(application: Application) -> str:
    return f"disbursements:{application.call_id}"


def _locked(application: Application) -> Application:
    return (
        # Only the application's row is locked: PostgreSQL cannot lock the nullable side of
        # the outer join to its decision.
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "decision")
        .get(pk=application.pk)
    )


def _check_award(application: Application) -> None:
    """A published award the student has not declined, let lapse or withdrawn."""
    state = application.state
    refusals = {
        ApplicationState.DECLINED_BY_APPLICANT: (
            _lazy("The applicant declined this award: nothing can be paid on it."),
            "award_declined",
        ),
        ApplicationState.LAPSED: (
            _lazy("This award lapsed unanswered: nothing can be paid on it."),
            "award_lapsed",
        ),
        ApplicationState.WITHDRAWN: (
            _lazy("This application was withdrawn: nothing can be paid on it."),
            "withdrawn",
        ),
    }
    if state in refusals:
        message, code = refusals[state]
        raise Refused(message, code=code)
    decision = getattr(application, "decision", None)
    if (
        state not in ApplicationState.holding_award()
        or decision is None
        or decision.outcome != DecisionOutcome.AWARD
        or decision.published_at is None
        or decision.amount is None
    ):
        raise Refused(_lazy("This application holds no award."), code="not_awarded")


def _snapshot(instalments) -> list[dict]:
    return [
        {
            "number": i.number,
            "amount": str(i.amount),
            "currency": i.currency,
            "due_date": i.due_date.isoformat(),
            "condition": i.condition,
            "condition_text": i.condition_text,
        }
        for i in instalments
    ]


def instalments_set(
    *, application: Application, actor, plan: list[InstalmentPlan]
) -> list[Instalment]:
    """Replace the award's schedule. Refused unless it adds up to the award, or once a
    payment is recorded on it (the schedule is then what was paid against)."""
    with transaction.atomic():
        current = _locked(application)
        _check_award(current)
        call, award = current.call, current.decision.amount
        if not plan:
            raise Refused(_lazy("Give at least one instalment."), code="no_instalments")
        total = sum((row.amount for row in plan), Decimal("0"))
        if total != award:
            raise Refused(
                _lazy(
                    "The instalments add up to %(total)s, not the award of %(award)s: "
                    "a difference of %(difference)s."
                )
                % {
                    "total": money_text(total, call.currency),
                    "award": money_text(award, call.currency),
                    "difference": money_text(abs(award - total), call.currency),
                },
                code="schedule_total",
            )
        if any(row.amount <= 0 for row in plan):
            raise Refused(_lazy("Each instalment must be more than zero."), code="not_positive")
        before = list(current.instalments.order_by("number"))
        if Payment.objects.filter(instalment__application=current).exists():
            raise Refused(
                _lazy("A payment has been recorded, so the schedule can no longer change."),
                code="schedule_locked",
            )
        Instalment.objects.filter(application=current).delete()
        created = Instalment.objects.bulk_create(
            Instalment(
                application=current,
                number=number,
                amount=row.amount,
                currency=call.currency,
                due_date=row.due_date,
                condition=row.condition,
                condition_text=row.condition_text.strip()
                if row.condition == InstalmentCondition.OTHER
                else "",
            )
            for number, row in enumerate(sorted(plan, key=lambda r: r.due_date), start=1)
        )
        audit_record(
            actor=actor,
            action="disbursement.schedule_set",
            obj=current,
            scope=scope_of(current),
            before={"instalments": _snapshot(before)},
            after={"instalments": _snapshot(created)},
        )
    return created


def instalment_condition_meet(*, instalment: Instalment, actor, now=None) -> bool:
    """Staff record that the condition is met (they checked the proof the awardee sent).
    Marking it again changes nothing and returns False."""
    now = now or timezone.now()
    with transaction.atomic():
        application = _locked(instalment.application)
        _check_award(application)
        current = Instalment.objects.select_for_update().get(pk=instalment.pk)
        if current.condition == InstalmentCondition.NONE or current.condition_met_at:
            return False
        current.condition_met_at, current.condition_met_by = now, actor
        current.save(update_fields=["condition_met_at", "condition_met_by"])
        audit_record(
            actor=actor,
            action="disbursement.condition_met",
            obj=current,
            scope=scope_of(application),
            before={"condition_met_at": None},
            after={"number": current.number, "condition_met_at": now.isoformat()},
        )
    return True


def payment_record(
    *, instalment: Instalment, actor, amount: Decimal, paid_on: date, reference: str
) -> Payment:
    """Refused on an award that is not held (declined, lapsed, withdrawn, never awarded) or
    not yet accepted, before the instalment's condition is met, over what is still due, and
    for a bank reference already recorded (a double click records nothing twice)."""
    reference = reference.strip()
    with transaction.atomic():
        application = _locked(instalment.application)
        _check_award(application)
        if application.state != ApplicationState.ACCEPTED:
            raise Refused(
                _lazy("The applicant has not accepted this award yet: nothing can be paid."),
                code="not_accepted",
            )
        current = Instalment.objects.select_for_update().get(pk=instalment.pk)
        if current.condition_pending:
            raise Refused(
                _lazy("The condition of this instalment (%(condition)s) is not met yet.")
                % {"condition": current.condition_label()},
                code="condition_pending",
            )
        if Payment.objects.filter(reference__iexact=reference).exists():
            raise Refused(
                _lazy("A payment with this bank reference is already recorded."),
                code="duplicate_reference",
                field="reference",
            )
        outstanding = current.outstanding()
        if amount <= 0 or amount > outstanding:
            raise Refused(
                _lazy("Only %(outstanding)s is still due on this instalment.")
                % {"outstanding": money_text(outstanding, current.currency)},
                code="over_due",
                field="amount",
            )
        payment = Payment.objects.create(
            instalment=current,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="disbursement.payment_recorded",
            obj=payment,
            scope=scope_of(application),
            before=None,
            after={
                "instalment": current.number,
                "application": application.pk,
                "amount": str(amount),
                "currency": current.currency,
                "paid_on": paid_on.isoformat(),
                "reference": reference,
            },
        )
    return payment
