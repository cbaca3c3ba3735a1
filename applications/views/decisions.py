"""The chair's decisions: one at a time, the suggestion within the budget, publication, waitlist
offers, and the call's audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import selectors
from applications.enums import DecisionOutcome
from applications.forms import DecisionForm, SuggestionForm
from applications.selectors.stages import stage_of
from applications.services import decisions as services
from applications.services import operations, publication
from portal.errors import Refused
from portal.http import form_refused, refusal_messages, refusals
from portal.operation_views import operation_started
from portal.operations import operations_under_way


def _back(request, call) -> str:
    """Where to return after a decision: the board page the chair came from, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("applications:board", args=[call.pk])


@login_required
@require_GET
def decisions(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    overview = selectors.decisions_overview(call=call)
    return render(
        request,
        "applications/decisions.html",
        {"call": call, "overview": overview, "suggest_form": SuggestionForm()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, call_id: int, application_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    application = selectors.application_get_in_call(
        call=call, application_id=application_id, user=request.user
    )
    decision = getattr(application, "decision", None)
    ranking = selectors.board_get(call=call, user=request.user)
    row = ranking.row(application.pk)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        call=call,
        initial={
            "outcome": decision.outcome if decision else "",
            "amount": decision.amount if decision and decision.amount else row.default_amount,
            "seen": services.decision_token(decision),
        },
    )
    if request.method == "POST" and form.is_valid():
        outcome = form.cleaned_data["outcome"] or None
        try:
            services.decision_set(
                application=application,
                actor=request.user,
                outcome=outcome,
                amount=form.cleaned_data["amount"] if outcome == DecisionOutcome.AWARD else None,
                seen=form.cleaned_data["seen"],
            )
        except Refused as refusal:
            if refusal.code == "changed":
                # Show the decision as it is now; sending the form again overrides it on purpose.
                application = selectors.application_get_in_call(
                    call=call, application_id=application_id, user=request.user
                )
                decision = getattr(application, "decision", None)
                data = request.POST.copy()
                data["seen"] = services.decision_token(decision)
                form = DecisionForm(data, call=call)
                form.is_valid()
            form_refused(form, refusal)
        else:
            messages.success(
                request,
                _("Decision on %(name)s saved as a draft: nobody is told until you publish.")
                % {"name": application.applicant.get_full_name()},
            )
            return redirect(_back(request, call))
    return render(
        request,
        "applications/decision_form.html",
        {
            "call": call,
            "application": application,
            "decision": decision,
            "row": row,
            "form": form,
            "budget": ranking.budget,
            "next": _back(request, call),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decisions_suggest(request, call_id: int):
    """The suggestion is only shown until the chair confirms it; confirming records drafts."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    data = request.POST if request.method == "POST" else request.GET
    form = SuggestionForm(data)
    if not form.is_valid():
        return render(
            request,
            "applications/decision_suggest.html",
            {"call": call, "form": form, "suggestion": None},
        )
    waitlist = form.cleaned_data["waitlist"] or 0
    decline_rest = form.cleaned_data["decline_rest"]
    suggestion, budget = selectors.suggestion_get(
        call=call, waitlist=waitlist, decline_rest=decline_rest, user=request.user
    )
    if request.method == "POST":
        if form.cleaned_data["fingerprint"] != suggestion.fingerprint():
            messages.warning(
                request,
                _(
                    "The ranking or the decisions changed since you looked. Nothing was saved: "
                    "here is the suggestion as it is now."
                ),
            )
        else:
            try:
                count = services.decisions_apply(
                    call=call,
                    actor=request.user,
                    awards=[(row.application_id, amount) for row, amount in suggestion.awards],
                    waitlist=[row.application_id for row in suggestion.waitlist],
                    declines=[row.application_id for row in suggestion.declines],
                )
            except Refused as refusal:
                refusal_messages(request, refusal)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d decision drafted. Nobody is told until you publish.",
                        "%(count)d decisions drafted. Nobody is told until you publish.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("applications:decisions", call.pk)
            suggestion, budget = selectors.suggestion_get(
                call=call, waitlist=waitlist, decline_rest=decline_rest, user=request.user
            )
    confirm = SuggestionForm(
        initial={
            "waitlist": waitlist,
            "decline_rest": decline_rest,
            "fingerprint": suggestion.fingerprint(),
        }
    )
    return render(
        request,
        "applications/decision_suggest.html",
        {
            "call": call,
            "form": form,
            "confirm": confirm,
            "suggestion": suggestion,
            "budget": budget,
            "stage": stage_of(call),  # the suggestion follows the second stage's ranking
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decisions_publish(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    if request.method == "POST":
        return operation_started(
            request, operations.PUBLISH, subject=operations.subject(call), call_id=call.pk
        )
    overview = selectors.decisions_overview(call=call)
    return render(
        request,
        "applications/decision_publish.html",
        {
            "call": call,
            "overview": overview,
            "under_way": operations_under_way(operations.subject(call), operations.PUBLISH),
        },
    )


@login_required
@require_POST
@refusals(lambda call_id, **_kwargs: reverse("applications:decisions", args=[call_id]))
def waitlist_offer(request, call_id: int, application_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    application = selectors.application_get_in_call(
        call=call, application_id=application_id, user=request.user
    )
    _decision, offered = publication.waitlist_offer(application=application, actor=request.user)
    if offered:
        messages.success(
            request,
            _("%(name)s is offered the award; we are emailing them the letter.")
            % {"name": application.applicant.get_full_name()},
        )
    else:
        messages.info(request, _("This award was already offered."))
    return redirect("applications:decisions", call.pk)


@login_required
@require_GET
def audit_trail(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    kind = request.GET.get("kind") or ""
    audit = selectors.audit_page(call=call, page=request.GET.get("page"), kind=kind)
    return render(
        request,
        "applications/audit.html",
        {
            "call": call,
            "audit": audit,
            "page_obj": audit.page,
            "kind": kind,
            "kinds": selectors.AUDIT_KINDS,
        },
    )
