"""Programme staff: cycles, match runs side by side, publication, coordinator invitations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import selectors, services
from exchanges.forms import CompareForm, InviteForm, RunForm
from exchanges.models import ExchangeCycle, Institution
from exchanges.views.common import refuse, staff_required


@staff_required
def cycle_list(request):
    return render(
        request, "exchanges/staff/cycle_list.html", {"cycles": selectors.cycle_list_for_staff()}
    )


@staff_required
def cycle_detail(request, pk: int):
    cycle = get_object_or_404(ExchangeCycle.objects.select_related("published_run"), pk=pk)
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
        },
    )


@staff_required
@require_POST
def match_run(request, pk: int):
    cycle = get_object_or_404(ExchangeCycle, pk=pk)
    form = RunForm(request.POST)
    if not form.is_valid():
        return redirect("exchanges:staff_cycle", pk=pk)
    try:
        run = services.match_run(cycle=cycle, by=request.user, note=form.cleaned_data["note"])
    except services.Refused as refusal:
        refuse(request, refusal)
        return redirect("exchanges:staff_cycle", pk=pk)
    messages.success(
        request,
        _("Run %(number)s placed %(placed)s of %(students)s students.")
        % {"number": run.number, "placed": run.placed, "students": run.students},
    )
    return redirect("exchanges:staff_run", pk=run.pk)


@staff_required
def run_detail(request, pk: int):
    run = selectors.run_get(run_id=pk)
    return render(
        request,
        "exchanges/staff/run_detail.html",
        {
            "run": run,
            "cycle": run.cycle,
            "rows": selectors.run_results(run=run, page_number=request.GET.get("page")),
        },
    )


@staff_required
def run_compare(request, pk: int):
    cycle = get_object_or_404(ExchangeCycle, pk=pk)
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


@staff_required
@require_POST
def run_publish(request, pk: int):
    run = selectors.run_get(run_id=pk)
    try:
        services.match_publish(run=run)
    except services.Refused as refusal:
        refuse(request, refusal)
        return redirect("exchanges:staff_run", pk=pk)
    messages.success(
        request,
        _(
            "Run %(number)s is published. Students and schools are being emailed, and the "
            "placement letters are being written."
        )
        % {"number": run.number},
    )
    return redirect("exchanges:staff_cycle", pk=run.cycle_id)


@staff_required
def institution_list(request):
    page = selectors.institution_list_for_staff(page_number=request.GET.get("page"))
    return render(request, "exchanges/staff/institution_list.html", {"institutions": page})


@staff_required
def coordinator_invite(request, pk: int):
    institution = get_object_or_404(Institution, pk=pk)
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
