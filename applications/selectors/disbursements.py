"""Reads of awards' schedules and payments: a call's awards with what is scheduled and paid,
one award's schedule (for staff, the call's chair, or its awardee), and the rows of the
finance CSV, each in a fixed number of queries."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application, Call, Instalment, Payment
from portal.permissions import allowed

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def call_get_for_disbursements(*, user, call_id: int) -> Call:
    call = Call.objects.filter(pk=call_id).first()
    if call is None or not allowed(user, "applications.view_disbursements", call):
        raise Http404
    return call


def _total(queryset, group: str, field: str):
    """The sum of `field` over `queryset` (filtered on the outer award), as a subquery."""
    total = queryset.order_by().values(group).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=_MONEY), Value(Decimal("0")), output_field=_MONEY)


def awards_of(*, call: Call) -> QuerySet[Application]:
    """The call's published awards (held, declined or lapsed), with their totals."""
    return (
        Application.objects.filter(
            call=call,
            state__in=ApplicationState.awarded(),
            decision__outcome=DecisionOutcome.AWARD,
            decision__published_at__isnull=False,
        )
        .select_related("applicant", "decision")
        .annotate(
            # Subqueries: one join through instalments and payments would count twice.
            scheduled=_total(
                Instalment.objects.filter(application=OuterRef("pk")), "application", "amount"
            ),
            paid=_total(
                Payment.objects.filter(instalment__application=OuterRef("pk")),
                "instalment__application",
                "amount",
            ),
        )
        .order_by("applicant__full_name", "pk")
    )


def _with_schedule(application_id: int) -> Application | None:
    return (
        Application.objects.filter(pk=application_id)
        .select_related("call", "applicant", "decision")
        .prefetch_related(
            Prefetch(
                "instalments",
                queryset=Instalment.objects.order_by("number").prefetch_related(
                    Prefetch("payments", queryset=Payment.objects.select_related("recorded_by"))
                ),
            )
        )
        .first()
    )


def award_get_for_disbursement(*, user, application_id: int) -> Application:
    """An award's schedule for the call's managers (not in conflict with it); else 404."""
    application = _with_schedule(application_id)
    if application is None or not allowed(user, "applications.read_disbursement", application):
        raise Http404
    decision = getattr(application, "decision", None)
    if decision is None or decision.outcome != DecisionOutcome.AWARD or not decision.published_at:
        raise Http404
    return application


def award_get_own_payments(*, user, application_id: int) -> Application:
    """The awardee's own schedule; 404 for anyone else, or for a decision that is no award."""
    application = _with_schedule(application_id)
    if application is None or not allowed(user, "applications.view_own_payments", application):
        raise Http404
    if application.decision.outcome != DecisionOutcome.AWARD:
        raise Http404
    return application


def instalment_get(*, application: Application, instalment_id: int) -> Instalment:
    for instalment in application.instalments.all():
        if instalment.pk == instalment_id:
            return instalment
    raise Http404


def finance_rows(*, call: Call) -> QuerySet[Instalment]:
    """Each instalment of the call's awards with its payments, for the CSV (one row per
    payment, or one unpaid): two queries per 500 instalments, read as an iterator."""
    return (
        Instalment.objects.filter(application__call=call)
        .select_related("application__applicant", "application__decision")
        .prefetch_related(
            Prefetch("payments", queryset=Payment.objects.select_related("recorded_by"))
        )
        .order_by("application__applicant__full_name", "application_id", "number")
    )
