"""The committee before scoring: its members and invitations, conflicts of interest, the
assignment, swapping a reviewer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications import selectors
from applications.forms import ConflictForm, SwapForm
from applications.forms.committee import InvitationForm, MembershipForm
from applications.models import Call
from applications.selectors import committee as committee_selectors
from applications.services import committee as services
from applications.services import invitations, operations
from portal.errors import Refused
from portal.http import form_refused, refusals
from portal.operation_views import operation_started
from portal.operations import operations_under_way
from portal.permissions import allowed
from portal.taxonomy import LANGUAGE_NAMES


def _application_choices(call: Call, blind: bool):
    return [
        (a, f"#{a.pk}" if blind else f"#{a.pk} {a.applicant.get_full_name()}")
        for a in selectors.application_list_reviewable(call=call)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def call_conflicts(request, call_id: int):
    """A reviewer declares conflicts; the chair sees everyone's and can add one for a reviewer."""
    call = get_object_or_404(Call, pk=call_id)
    is_manager = allowed(request.user, "applications.manage_call", call)
    if not is_manager and not allowed(request.user, "applications.declare_conflict", call):
        raise Http404
    own = selectors.membership_get_own(user=request.user, call=call)
    members = selectors.membership_list_reviewers(call=call) if is_manager else None
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
                raise Refused(_("Choose a reviewer of this call."), code="not_a_reviewer")
            services.conflict_declare(
                membership=membership,
                kind=data["kind"],
                reason=data["reason"],
                declared_by=request.user,
                application=next((a for a, _label in choices if a.pk == data["application"]), None),
                institution=data["institution"],
                country=data["country"],
                person_email=data["person_email"],
            )
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(request, _("The conflict is recorded."))
            return redirect("applications:conflicts", call.pk)
    declarations = selectors.conflicts_for_call(call=call)
    if not is_manager:
        declarations = declarations.filter(membership=own)
    return render(
        request,
        "applications/conflicts.html",
        {"call": call, "form": form, "declarations": declarations, "is_manager": is_manager},
    )


def _assignment_url(call_id: int, **_kwargs) -> str:
    return reverse("applications:assignment", args=[call_id])


@login_required
@require_http_methods(["GET", "POST"])
@refusals(_assignment_url)
def call_assignment(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    if request.method == "POST":
        return operation_started(
            request, operations.ASSIGN, subject=operations.subject(call), call_id=call.pk
        )
    overview = selectors.assignment_overview(call=call)
    return render(
        request,
        "applications/assignment.html",
        {
            "call": call,
            **overview,
            "swap_form": SwapForm(members=overview["member_choices"]),
            "under_way": operations_under_way(operations.subject(call), operations.ASSIGN),
        },
    )


@login_required
@require_POST
@refusals(_assignment_url)
def assignment_swap(request, call_id: int, assignment_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    assignment = selectors.assignment_get_in_call(call=call, assignment_id=assignment_id)
    members = selectors.membership_list_reviewers(call=call)
    form = SwapForm(request.POST, members=members)
    if form.is_valid():
        membership = next(m for m in members if m.pk == form.cleaned_data["member"])
        services.assignment_swap(assignment=assignment, membership=membership, actor=request.user)
        messages.success(request, _("The reviewer is changed."))
    return redirect("applications:assignment", call.pk)


# --- The committee's members and invitations (applications/services/invitations.py) --------


@login_required
@require_http_methods(["GET", "POST"])
def committee_manage(request, call_id: int):
    """The call's members (expertise, languages, load cap, chair, how they joined) and its
    invitations; a form to invite someone. For programme staff and the call's chair."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitations.invitation_invite(
                call=call,
                email=data["email"],
                name=data["name"],
                is_chair=data["role"] == "chair",
                invited_by=request.user,
            )
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(request, _("The invitation is sent."))
            return redirect("applications:committee_manage", call.pk)
    members = committee_selectors.committee_members(call=call)
    every = committee_selectors.committee_invitations(call=call, now=timezone.now())
    joined = {}
    for invitation in every:
        if invitation.accepted_by_id:
            joined.setdefault(invitation.accepted_by_id, invitation)
    return render(
        request,
        "applications/committee_manage.html",
        {
            "call": call,
            "form": form,
            "rows": [
                {
                    "member": member,
                    "expertise": committee_selectors.expertise_labels(member.expertise),
                    "languages": [LANGUAGE_NAMES.get(code, code) for code in member.languages],
                    "invitation": joined.get(member.user_id),
                }
                for member in members
            ],
            "invitations": [i for i in every if i.current_status != "accepted"],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_member(request, call_id: int, membership_id: int):
    """A member's expertise, languages and load cap: for the call's managers, and for the
    member themselves (only the managers make someone chair)."""
    membership = committee_selectors.membership_get_for_editing(
        user=request.user, call_id=call_id, membership_id=membership_id
    )
    is_manager = allowed(request.user, "applications.manage_call", membership.call)
    form = MembershipForm(
        request.POST if request.method == "POST" else None,
        membership=membership,
        may_change_chair=is_manager,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitations.membership_update(
            membership=membership,
            actor=request.user,
            expertise=form.expertise(),
            languages=data["languages"],
            load_cap=data["load_cap"],
            is_chair=data["is_chair"] if is_manager else None,
        )
        messages.success(request, _("Saved."))
        if is_manager:
            return redirect("applications:committee_manage", membership.call_id)
        return redirect("applications:committee_member", membership.call_id, membership.pk)
    return render(
        request,
        "applications/committee_member.html",
        {"membership": membership, "call": membership.call, "form": form, "is_manager": is_manager},
        status=400 if form.errors else 200,
    )
