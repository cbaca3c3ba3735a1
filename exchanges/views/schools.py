"""A partner school's coordinator: rotations, the students who ranked them, placements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import selectors
from exchanges.enums import RotationStatus
from exchanges.forms import DecisionForm, MoveForm, OrderForm, RotationForm
from exchanges.views.documents import dossier_response, services
from portal.errors import Refused
from portal.http import form_refused, refusal_response, refusals
from portal.permissions import allowed


@login_required
def coordinator_dashboard(request):
    if not allowed(request.user, "exchanges.view_coordinator_dashboard"):
        raise Http404
    institutions = selectors.institution_list_with_rotations(user=request.user)
    return render(request, "exchanges/coordinator_dashboard.html", {"institutions": institutions})


def _rotation_form(request, institution, rotation=None):
    """Post a new rotation or edit one; an invalid form is shown again with what was typed."""
    if request.method != "POST":
        initial = None if rotation else {"city": institution.city, "country": institution.country}
        form = RotationForm(instance=rotation, initial=initial)
    else:
        form = RotationForm(request.POST, instance=rotation)
        if form.is_valid():
            publish = request.POST.get("action") == "publish"
            data = form.cleaned_data
            try:
                if rotation is None:
                    saved = services.rotation_create(
                        institution=institution, data=data, publish=publish
                    )
                else:
                    saved = services.rotation_update(rotation=rotation, data=data, publish=publish)
            except Refused as refusal:
                form_refused(form, refusal)
            else:
                messages.success(request, _rotation_saved(saved))
                return redirect("exchanges:coordinator_dashboard")
    return render(
        request,
        "exchanges/rotation_form.html",
        {"form": form, "institution": institution, "rotation": rotation},
        status=400 if form.is_bound else 200,
    )


def _rotation_saved(rotation) -> str:
    if rotation.status == RotationStatus.PUBLISHED:
        return _("%(rotation)s is published in the catalogue.") % {"rotation": rotation.title}
    return _("%(rotation)s is saved as a draft; students cannot see it yet.") % {
        "rotation": rotation.title
    }


@login_required
def rotation_create(request, institution_id: int):
    institution = selectors.institution_get_managed(
        user=request.user, institution_id=institution_id
    )
    return _rotation_form(request, institution)


@login_required
def rotation_edit(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    return _rotation_form(request, rotation.institution, rotation)


@login_required
@require_POST
def rotation_status(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    status = {"publish": RotationStatus.PUBLISHED, "close": RotationStatus.CLOSED}.get(
        request.POST.get("action")
    )
    if status is None:
        raise Http404
    services.rotation_set_status(rotation=rotation, status=status)
    messages.success(
        request,
        _rotation_saved(rotation)
        if status == RotationStatus.PUBLISHED
        else _("%(rotation)s is closed: it has left the catalogue and the match.")
        % {"rotation": rotation.title},
    )
    return redirect("exchanges:coordinator_dashboard")


@login_required
def rotation_applicants(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    applicants = selectors.rotation_applicants(rotation=rotation, user=request.user)
    cycle = rotation.cycle
    return render(
        request,
        "exchanges/rotation_applicants.html",
        {
            "rotation": rotation,
            "cycle": cycle,
            "applicants": applicants,
            "editable": bool(cycle and cycle.schools_may_rank()),
        },
    )


def _applicants_url(pk: int, **_other_kwargs) -> str:
    return reverse("exchanges:rotation_applicants", args=[pk])


def _student_url(pk: int, rank_list_id: int) -> str:
    return f"{_applicants_url(pk)}#student-{rank_list_id}"


def _applicant_change(request, pk: int, rank_list_id: int, form_class, change):
    """A decision on one student (add or not acceptable, up or down): the form's fields are
    the service's arguments."""
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    if not selectors.dossier_visible(user=request.user, rank_list_id=rank_list_id):
        raise Http404  # a student the coordinator declared a conflict with, or their own list
    form = form_class(request.POST)
    if form.is_valid():
        change(rotation=rotation, rank_list_id=rank_list_id, **form.cleaned_data)
    return redirect(_student_url(pk, rank_list_id))


@login_required
@require_POST
@refusals(_student_url)
def applicant_decide(request, pk: int, rank_list_id: int):
    return _applicant_change(request, pk, rank_list_id, DecisionForm, services.school_rank_decide)


@login_required
@require_POST
@refusals(_student_url)
def applicant_move(request, pk: int, rank_list_id: int):
    return _applicant_change(request, pk, rank_list_id, MoveForm, services.school_rank_move)


@login_required
@require_POST
@refusals(_applicants_url)
def applicants_reorder(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    form = OrderForm(request.POST)
    if form.is_valid():
        services.school_rank_reorder(rotation=rotation, rank_list_ids=form.cleaned_data["order"])
        messages.success(request, _("The new order is saved."))
    return redirect(_applicants_url(pk))


@login_required
@require_POST
@refusals(_applicants_url)
def ranking_submit(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    services.school_rank_submit(rotation=rotation)
    messages.success(
        request, _("Your ranking is submitted. You can still change it until the deadline.")
    )
    return redirect(_applicants_url(pk))


@login_required
def dossier(request, pk: int, rank_list_id: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    rank_list, documents = selectors.dossier_get(
        user=request.user, rotation=rotation, rank_list_id=rank_list_id
    )
    return dossier_response(request, rotation, rank_list, documents)


@login_required
def institution_placements(request, institution_id: int):
    institution = selectors.institution_get_managed(
        user=request.user, institution_id=institution_id
    )
    page = selectors.placement_list_for_institution(
        institution=institution, page_number=request.GET.get("page")
    )
    return render(
        request,
        "exchanges/institution_placements.html",
        {"institution": institution, "placements": page},
    )


@login_required
@require_POST
def placement_school_confirm(request, pk: int):
    placement = selectors.placement_get_visible(user=request.user, placement_id=pk)
    if not allowed(request.user, "exchanges.confirm_placement_for_school", placement):
        raise Http404
    url = reverse("exchanges:institution_placements", args=[placement.rotation.institution_id])
    try:
        services.placement_confirm_for_school(placement=placement)
    except Refused as refusal:
        return refusal_response(request, refusal, url)
    messages.success(request, _("Placement confirmed for your school."))
    return redirect(url)
