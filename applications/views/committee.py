"""The committee before scoring: conflicts of interest, the assignment, swapping a reviewer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications import selectors, selectors_review
from applications.forms_review import ConflictForm, SwapForm
from applications.models import Application, Assignment, Call
from applications.services import committee as services
from applications.services.committee import REVIEWABLE
from applications.services.errors import ApplicationError


def _application_choices(call: Call, blind: bool):
    applications = (
        Application.objects.filter(call=call, state__in=REVIEWABLE)
        .select_related("applicant")
        .order_by("pk")
    )
    return [
        (a, f"#{a.pk}" if blind else f"#{a.pk} {a.applicant.get_full_name()}") for a in applications
    ]


@login_required
@require_http_methods(["GET", "POST"])
def call_conflicts(request, call_id: int):
    """A reviewer declares conflicts; the chair sees everyone's and can add one for a reviewer."""
    call = get_object_or_404(Call, pk=call_id)
    is_manager = request.user.has_perm("applications.manage_call", call)
    if not is_manager and not request.user.has_perm("applications.declare_conflict", call):
        raise Http404
    own = call.memberships.filter(user=request.user).first()
    members = (
        list(call.memberships.filter(is_chair=False).select_related("user")) if is_manager else None
    )
    choices = _application_choices(call, blind=call.blind_review and not is_manager)
    form = ConflictForm(
        request.POST if request.method == "POST" else None, applications=choices, members=members
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = (
            next((m for m in members if m.pk == data["member"]), None)
            if members is not None
            else own
        )
        try:
            if membership is None:
                raise ApplicationError(_("Choose a reviewer of this call."))
            services.conflict_declare(
                membership=membership,
                kind=data["kind"],
                reason=data["reason"],
                declared_by=request.user,
                application=next((a for a, _label in choices if a.pk == data["application"]), None),
                institution=data["institution"],
                country=data["country"],
            )
        except ApplicationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The conflict is recorded."))
            return redirect("applications:conflicts", call.pk)
    declarations = selectors_review.conflicts_for_call(call=call)
    if not is_manager:
        declarations = declarations.filter(membership=own)
    return render(
        request,
        "applications/conflicts.html",
        {"call": call, "form": form, "declarations": declarations, "is_manager": is_manager},
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_assignment(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    if request.method == "POST":
        try:
            services.reviewers_assign(call=call, actor=request.user)
        except ApplicationError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Reviewers are assigned."))
        return redirect("applications:assignment", call.pk)
    overview = selectors_review.assignment_overview(call=call)
    return render(
        request,
        "applications/assignment.html",
        {
            "call": call,
            **overview,
            "swap_form": SwapForm(members=overview["member_choices"]),
            "submitted_count": call.applications.filter(state__in=REVIEWABLE).count(),
        },
    )


@login_required
@require_POST
def assignment_swap(request, call_id: int, assignment_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    assignment = get_object_or_404(
        Assignment.objects.select_related("application", "membership__user", "review"),
        pk=assignment_id,
        application__call=call,
    )
    members = list(
        call.memberships.filter(is_chair=False).prefetch_related("conflicts").select_related("user")
    )
    form = SwapForm(request.POST, members=members)
    if form.is_valid():
        membership = next(m for m in members if m.pk == form.cleaned_data["member"])
        try:
            services.assignment_swap(
                assignment=assignment, membership=membership, actor=request.user
            )
        except ApplicationError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The reviewer is changed."))
    return redirect("applications:assignment", call.pk)
