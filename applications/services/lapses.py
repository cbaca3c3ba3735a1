"""Awards nobody answered: at the end of the answer date (in the call's time zone) an award
lapses, the budget it held is free again, the next student on the published waitlist is
offered an award when the budget allows, and the student and the chairs are told."""

from datetime import datetime, timedelta

from django.db import transaction

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application, Call, Decision
from applications.selectors.decisions import decisions_overview
from applications.services.decisions import (
    chairs_tell,
    decision_audit,
    decision_lock,
    decision_snapshot,
)
from applications.services.publication import waitlist_offer
from portal import jobs
from portal.emails import email_send
from portal.errors import Refused


def awards_lapse(*, now: datetime) -> dict[str, int]:
    """Lapse every published award still unanswered after its answer date, and offer the
    amount it held to the waitlist. Returns how many lapsed and how many were offered on."""
    counts = {"lapsed": 0, "offered": 0}
    # A date has passed somewhere on Earth only if it is before tomorrow in UTC; the call's
    # own time zone decides.
    candidates = Decision.objects.filter(
        outcome=DecisionOutcome.AWARD,
        published_at__isnull=False,
        respond_by__lt=(now + timedelta(days=1)).date(),
        application__state=ApplicationState.AWARDED,
    ).select_related("application__call")
    for decision in candidates.order_by("respond_by", "pk"):
        if not decision.application.call.day_has_passed(decision.respond_by, now):
            continue
        lapsed, offered = award_lapse(application=decision.application, now=now)
        counts["lapsed"] += lapsed
        counts["offered"] += offered is not None
    return counts


def award_lapse(*, application: Application, now: datetime) -> tuple[bool, Application | None]:
    """Lapse one unanswered award whose date has passed, all in one transaction: whether it
    lapsed now (not when answered meanwhile, or lapsed before), and the application offered
    the freed amount, if any.
    """
    with transaction.atomic():
        call, current, decision = decision_lock(application.pk)
        if (
            current.state != ApplicationState.AWARDED
            or decision is None
            or decision.respond_by is None
            or not call.day_has_passed(decision.respond_by, now)
        ):
            return False, None
        if not jobs.once(f"applications.lapse:application:{current.pk}"):
            return False, None
        before = decision_snapshot(decision, current)
        current.state = ApplicationState.LAPSED
        current.version += 1
        current.save(update_fields=["state", "version", "updated_at"])
        decision_audit(
            actor=None,
            action="award.lapsed",
            decision=decision,
            call_id=call.pk,
            before=before,
            after=decision_snapshot(decision, current),
        )
        offered = _offer_next(call, now)
        _email_student(call, current, decision)
        chairs_tell(
            call,
            current,
            decision,
            template="applications_award_lapsed_chair",
            respond_by=decision.respond_by,
            offered_to=offered.applicant.get_full_name() if offered else "",
        )
    return True, offered


def _offer_next(call: Call, now: datetime) -> Application | None:
    """The first student of the published waitlist, in the board's order, offered the award
    if it fits the budget; None when the waitlist is empty or the budget does not allow."""
    waitlist = decisions_overview(call=call).waitlist
    if not waitlist:
        return None
    application = Application.objects.select_related("applicant").get(pk=waitlist[0].application_id)
    try:
        waitlist_offer(application=application, actor=None, now=now)
    except Refused:  # over the budget, or a maximum the requested amount exceeds
        return None
    return application


def _email_student(call: Call, application: Application, decision: Decision) -> None:
    applicant = application.applicant
    email_send(
        to=[applicant.email],
        template="applications_award_lapsed",
        context={
            "name": applicant.get_short_name(),
            "call": call,
            "respond_by": decision.respond_by,
            "call_zone": call.time_zone,
            "application_id": application.pk,
        },
        user=applicant,
    )
