"""Paying awards: a call's awards and the finance CSV, one award's schedule with its payments
(programme staff set it, mark conditions met and record payments), and the awardee's own
schedule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.forms.disbursements import (
    InstalmentFormSet,
    PaymentForm,
    schedule_initial,
)
from applications.selectors import disbursements as reads
from applications.services import disbursements as services
from portal.errors import Refused
from portal.exports import csv_response
from portal.http import form_refused, refusals
from portal.pagination import paginate
from portal.permissions import allowed

PREFIX = "instalments"


@login_required
@require_GET
def disbursements(request, call_id: int):
    call = reads.call_get_for_disbursements(user=request.user, call_id=call_id)
    page = paginate(reads.awards_of(call=call), request.GET.get("page"), per_page=50)
    return render(request, "applications/disbursements.html", {"call": call, "page_obj": page})


@login_required
@require_GET
def disbursements_csv(request, call_id: int):
    call = reads.call_get_for_disbursements(user=request.user, call_id=call_id)
    header = [
        _("applicant"),
        _("award"),
        _("instalment"),
        _("due on"),
        _("amount"),
        _("currency"),
        _("condition"),
        _("condition met on"),
        _("paid on"),
        _("amount paid"),
        _("bank reference"),
        _("recorded by"),
    ]

    def rows():
        for instalment in reads.finance_rows(call=call).iterator(chunk_size=500):
            application = instalment.application
            first = [
                application.applicant.display_name,
                application.decision.amount,
                instalment.number,
                instalment.due_date,
                instalment.amount,
                instalment.currency,
                instalment.condition_label(),
                # The day, in the call's time zone: finance reads dates, not instants.
                timezone.localtime(instalment.condition_met_at, call.zone).date()
                if instalment.condition_met_at
                else "",
            ]
            payments = list(instalment.payments.all())
            if not payments:
                yield [*first, "", "", "", ""]
            for payment in payments:
                yield [
                    *first,
                    payment.paid_on,
                    payment.amount,
                    payment.reference,
                    payment.recorded_by.display_name,
                ]

    return csv_response(f"{call.slug}-disbursements.csv", header, rows())


def _manageable(request, pk: int):
    application = reads.award_get_for_disbursement(user=request.user, application_id=pk)
    if not allowed(request.user, "applications.manage_disbursement", application):
        raise Http404
    return application


def _award_page(request, application, *, payment_form=None, status=200):
    instalments = list(application.instalments.all())
    may_manage = allowed(request.user, "applications.manage_disbursement", application)
    if payment_form is None and may_manage and instalments:
        payment_form = PaymentForm(
            instalments=instalments, initial={"paid_on": timezone.localdate()}
        )
    return render(
        request,
        "applications/disbursement_award.html",
        {
            "application": application,
            "call": application.call,
            "decision": application.decision,
            "instalments": instalments,
            "may_manage": may_manage,
            "locked": any(instalment.payments.all() for instalment in instalments),
            "payment_form": payment_form,
        },
        status=status,
    )


@login_required
@require_GET
def disbursement_award(request, pk: int):
    application = reads.award_get_for_disbursement(user=request.user, application_id=pk)
    return _award_page(request, application)


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_schedule(request, pk: int):
    """`?count=N` fills the form with N equal instalments a month apart; the rows posted must
    add up to the award."""
    application = _manageable(request, pk)
    award = application.decision.amount
    existing = list(application.instalments.all())
    if request.method == "POST":
        formset = InstalmentFormSet(request.POST, prefix=PREFIX)
        if formset.is_valid():
            plan = [
                services.InstalmentPlan(**form.cleaned_data)
                for form in formset.forms
                if form.cleaned_data
            ]
            try:
                services.instalments_set(application=application, actor=request.user, plan=plan)
            except Refused as refusal:
                formset.non_form_errors().append(refusal.message)
            else:
                messages.success(request, _("The schedule is saved."))
                return redirect("applications:disbursement_award", pk)
        status = 400
    else:
        count = request.GET.get("count", "")
        if count.isdigit() or not existing:
            initial = schedule_initial(
                award, int(count) if count.isdigit() else 1, start=timezone.localdate()
            )
        else:
            initial = [
                {
                    "amount": row.amount,
                    "due_date": row.due_date,
                    "condition": row.condition,
                    "condition_text": row.condition_text,
                }
                for row in existing
            ]
        formset = InstalmentFormSet(initial=initial, prefix=PREFIX)
        formset.extra = 0
        status = 200
    return render(
        request,
        "applications/disbursement_schedule.html",
        {
            "application": application,
            "call": application.call,
            "decision": application.decision,
            "formset": formset,
            "locked": any(row.payments.all() for row in existing),
        },
        status=status,
    )


@login_required
@require_POST
def payment_new(request, pk: int):
    application = _manageable(request, pk)
    instalments = list(application.instalments.all())
    form = PaymentForm(request.POST, instalments=instalments)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.payment_record(
                instalment=reads.instalment_get(
                    application=application, instalment_id=data["instalment"]
                ),
                actor=request.user,
                amount=data["amount"],
                paid_on=data["paid_on"],
                reference=data["reference"],
            )
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect("applications:disbursement_award", pk)
    return _award_page(request, application, payment_form=form, status=400)


@login_required
@require_POST
@refusals(lambda pk, instalment_id: reverse("applications:disbursement_award", args=[pk]))
def condition_meet(request, pk: int, instalment_id: int):
    application = _manageable(request, pk)
    instalment = reads.instalment_get(application=application, instalment_id=instalment_id)
    if services.instalment_condition_meet(instalment=instalment, actor=request.user):
        messages.success(request, _("The condition is marked as met."))
    else:
        messages.info(request, _("This condition was already met."))
    return redirect("applications:disbursement_award", pk)


@login_required
@require_GET
def award_payments(request, pk: int):
    """The awardee's schedule: what is due when, what is paid, what is still awaited."""
    application = reads.award_get_own_payments(user=request.user, application_id=pk)
    return render(
        request,
        "applications/disbursement_own.html",
        {
            "application": application,
            "call": application.call,
            "decision": application.decision,
            "instalments": list(application.instalments.all()),
        },
    )
