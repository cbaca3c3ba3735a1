"""A partner school's coordinator: rotations, the students who ranked them, placements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import selectors, services
from exchanges.enums import Direction, RotationStatus
from exchanges.forms import DecisionForm, MoveForm, OrderForm, RotationForm
from exchanges.views.common import refuse
from portal.taxonomy import LANGUAGE_NAMES


@login_required
def coordinator_dashboard(request):
    if not request.user.has_perm("exchanges.view_coordinator_dashboard"):
        raise Http404
    institutions = list(selectors.institution_list_for_coordinator(user=request.user))
    rotations = list(selectors.rotation_list_for_coordinator(user=request.user))
    for institution in institutions:
        institution.rotation_rows = [r for r in rotations if r.institution_id == institution.pk]
    return render(request, "exchanges/coordinator_dashboard.html", {"institutions": institutions})


def _save_rotation(request, form, institution=None, rotation=None):
    publish = request.POST.get("action") == "publish"
    data = form.cleaned_data
    if rotation is None:
        rotation = services.rotation_create(institution=institution, data=data, publish=publish)
    else:
        rotation = services.rotation_update(rotation=rotation, data=data, publish=publish)
    messages.success(
        request,
        _("%(rotation)s is published in the catalogue.") % {"rotation": rotation.title}
        if rotation.status == RotationStatus.PUBLISHED
        else _("%(rotation)s is saved as a draft; students cannot see it yet.")
        % {"rotation": rotation.title},
    )
    return redirect("exchanges:coordinator_dashboard")


@login_required
def rotation_create(request, institution_id: int):
    institution = selectors.institution_get_managed(
        user=request.user, institution_id=institution_id
    )
    if request.method == "POST":
        form = RotationForm(request.POST)
        if form.is_valid():
            return _save_rotation(request, form, institution=institution)
    else:
        form = RotationForm(initial={"city": institution.city, "country": institution.country})
    return render(
        request,
        "exchanges/rotation_form.html",
        {"form": form, "institution": institution, "rotation": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def rotation_edit(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    if request.method == "POST":
        form = RotationForm(request.POST, instance=rotation)
        if form.is_valid():
            return _save_rotation(request, form, rotation=rotation)
    else:
        form = RotationForm(instance=rotation)
    return render(
        request,
        "exchanges/rotation_form.html",
        {"form": form, "institution": rotation.institution, "rotation": rotation},
        status=400 if form.is_bound else 200,
    )


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
        _("%(rotation)s is published in the catalogue.") % {"rotation": rotation.title}
        if status == RotationStatus.PUBLISHED
        else _("%(rotation)s is closed: it has left the catalogue and the match.")
        % {"rotation": rotation.title},
    )
    return redirect("exchanges:coordinator_dashboard")


@login_required
def rotation_applicants(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    applicants = selectors.rotation_applicants(rotation=rotation)
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


def _applicants_url(rotation_id: int, anchor: str = "") -> str:
    url = reverse("exchanges:rotation_applicants", args=[rotation_id])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_POST
def applicant_decide(request, pk: int, rank_list_id: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.school_rank_decide(
                rotation=rotation,
                rank_list_id=rank_list_id,
                acceptable=form.cleaned_data["acceptable"],
            )
        except services.Refused as refusal:
            refuse(request, refusal)
    return redirect(_applicants_url(pk, f"student-{rank_list_id}"))


@login_required
@require_POST
def applicant_move(request, pk: int, rank_list_id: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.school_rank_move(
                rotation=rotation,
                rank_list_id=rank_list_id,
                direction=Direction(form.cleaned_data["direction"]),
            )
        except services.Refused as refusal:
            refuse(request, refusal)
    return redirect(_applicants_url(pk, f"student-{rank_list_id}"))


@login_required
@require_POST
def applicants_reorder(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            services.school_rank_reorder(
                rotation=rotation, rank_list_ids=form.cleaned_data["order"]
            )
        except services.Refused as refusal:
            refuse(request, refusal)
        else:
            messages.success(request, _("The new order is saved."))
    return redirect(_applicants_url(pk))


@login_required
@require_POST
def ranking_submit(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    try:
        services.school_rank_submit(rotation=rotation)
    except services.Refused as refusal:
        refuse(request, refusal)
    else:
        messages.success(
            request,
            _("Your ranking is submitted. You can still change it until the deadline."),
        )
    return redirect(_applicants_url(pk))


@login_required
def dossier(request, pk: int, rank_list_id: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    rank_list, documents = selectors.dossier_get(
        user=request.user, rotation=rotation, rank_list_id=rank_list_id
    )
    return render(
        request,
        "exchanges/dossier.html",
        {
            "rotation": rotation,
            "rank_list": rank_list,
            "documents": documents,
            "languages": [LANGUAGE_NAMES.get(code, code) for code in rank_list.languages],
        },
    )


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
    if not request.user.has_perm("exchanges.confirm_placement_for_school", placement):
        raise Http404
    try:
        services.placement_confirm_for_school(placement=placement)
    except services.Refused as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Placement confirmed for your school."))
    return redirect(
        "exchanges:institution_placements", institution_id=placement.rotation.institution_id
    )
