"""Programme staff: cycles, match runs side by side, publication, coordinator invitations."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import selectors, services
from exchanges.forms import CompareForm, InviteForm, RunForm
from exchanges.selectors.couples import run_notes
from exchanges.services import operations
from portal.http import permission_required, refusals
from portal.operation_views import operation_started
from portal.operations import operations_under_way


def _cycle_url(pk: int) -> str:
    return reverse("exchanges:staff_cycle", args=[pk])


def _run_url(pk: int) -> str:
    return reverse("exchanges:staff_run", args=[pk])


@permission_required("exchanges.run_match")
def cycle_list(request):
    return render(
        request, "exchanges/staff/cycle_list.html", {"cycles": selectors.cycle_list_for_staff()}
    )


@permission_required("exchanges.run_match")
def cycle_detail(request, pk: int):
    cycle = selectors.cycle_get(cycle_id=pk)
    runs = list(selectors.run_list(cycle=cycle))
    return render(
        request,
        "exchanges/staff/cycle_detail.html",
        {
            "cycle": cycle,
            "overview": selectors.cycle_overview(cycle=cycle),
            "runs": runs,
            "run_form": RunForm(),
            "compare_form": CompareForm(runs=runs),
            "under_way": operations_under_way(
                operations.subject(cycle.pk), operations.RUN, operations.PUBLISH
            ),
        },
    )


@permission_required("exchanges.run_match")
@require_POST
@refusals(_cycle_url)
def match_run(request, pk: int):
    cycle = selectors.cycle_get(cycle_id=pk)
    form = RunForm(request.POST)
    if not form.is_valid():
        return redirect(_cycle_url(pk))
    services.match_run_check(cycle)
    return operation_started(
        request,
        operations.RUN,
        subject=operations.subject(cycle.pk),
        cycle_id=cycle.pk,
        note=form.cleaned_data["note"],
    )


@permission_required("exchanges.run_match")
def run_detail(request, pk: int):
    run = selectors.run_get(run_id=pk)
    return render(
        request,
        "exchanges/staff/run_detail.html",
        {
            "run": run,
            "cycle": run.cycle,
            "rows": selectors.run_results(run=run, page_number=request.GET.get("page")),
            "notes": run_notes(run=run),
        },
    )


@permission_required("exchanges.run_match")
def run_compare(request, pk: int):
    cycle = selectors.cycle_get(cycle_id=pk)
    runs = list(selectors.run_list(cycle=cycle))
    form = CompareForm(request.GET or None, runs=runs)
    comparison = None
    if form.is_valid():
        comparison = selectors.run_compare(cycle=cycle, run_ids=form.cleaned_data["run"])
    return render(
        request,
        "exchanges/staff/run_compare.html",
        {"cycle": cycle, "form": form, "comparison": comparison},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@permission_required("exchanges.run_match")
@require_POST
@refusals(_run_url)
def run_publish(request, pk: int):
    run = selectors.run_get(run_id=pk)
    return operation_started(
        request,
        operations.PUBLISH,
        subject=operations.subject(run.cycle_id),
        cycle_id=run.cycle_id,
        run_id=run.pk,
    )


@permission_required("exchanges.run_match")
def institution_list(request):
    page = selectors.institution_list_for_staff(page_number=request.GET.get("page"))
    return render(request, "exchanges/staff/institution_list.html", {"institutions": page})


@permission_required("exchanges.run_match")
def coordinator_invite(request, pk: int):
    institution = selectors.institution_get(institution_id=pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _coordinator, created = services.coordinator_invite(
            institution=institution,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            language=get_language(),
        )
        messages.success(
            request,
            (
                _("%(email)s has an account now, and an email to choose a password.")
                if created
                else _("%(email)s now coordinates for %(institution)s and has been told by email.")
            )
            % {"email": form.cleaned_data["email"], "institution": institution.name},
        )
        return redirect("exchanges:staff_institutions")
    return render(
        request,
        "exchanges/staff/coordinator_invite.html",
        {"institution": institution, "form": form},
        status=400 if form.is_bound else 200,
    )
