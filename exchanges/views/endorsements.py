"""Home-school endorsements: the student names their school and asks; the school's
coordinators (or programme staff) endorse or decline from their list of requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import selectors, services
from exchanges.forms import EndorseForm, EndorsementDeclineForm, EndorsementRequestForm
from exchanges.models import EndorsementStatus
from exchanges.selectors.endorsements import (
    ALL,
    REQUEST_FILTERS,
    endorsement_get_decidable,
    endorsement_page,
    endorsement_request_list,
)
from exchanges.services import endorsements as endorsement_services
from portal.errors import Refused
from portal.http import form_refused, permission_required, refusals

# The student's side.


def _url(cycle_id: int, **_other_kwargs) -> str:
    return reverse("exchanges:endorsement", args=[cycle_id])


def _render_student(request, cycle_id: int, *, form=None, status: int = 200):
    page = endorsement_page(user=request.user, cycle_id=cycle_id)
    if form is None:
        initial = {"institution": page.endorsement.institution_id} if page.endorsement else None
        form = EndorsementRequestForm(initial=initial)
    return render(
        request,
        "exchanges/endorsements/student.html",
        {
            "page": page,
            "cycle": page.cycle,
            "endorsement": page.endorsement,
            "editable": page.cycle.students_may_rank(),
            "form": form,
        },
        status=status,
    )


@login_required
def endorsement(request, cycle_id: int):
    return _render_student(request, cycle_id)


@login_required
@require_POST
@refusals(_url)
def endorsement_request(request, cycle_id: int):
    cycle, _mine = selectors.rank_list_page(user=request.user, cycle_id=cycle_id)
    form = EndorsementRequestForm(request.POST)
    if not form.is_valid():
        return _render_student(request, cycle_id, form=form, status=400)
    mine = services.rank_list_for(cycle=cycle, student=request.user)
    asked = endorsement_services.endorsement_request(
        rank_list=mine, institution=form.cleaned_data["institution"]
    )
    messages.success(
        request,
        _("%(school)s is endorsing you already.") % {"school": asked.institution.name}
        if asked.is_endorsed
        else _("Your request is sent to %(school)s.") % {"school": asked.institution.name},
    )
    return redirect(_url(cycle_id))


# The school's side (and programme staff, for any school).


def _requests_url(**_kwargs) -> str:
    return reverse("exchanges:endorsement_requests")


def _cycle_filter(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        raise Http404 from None


@permission_required("exchanges.view_endorsement_requests")
def endorsement_requests(request):
    status = request.GET.get("status") or EndorsementStatus.REQUESTED
    if status not in REQUEST_FILTERS:
        raise Http404
    page = endorsement_request_list(
        user=request.user,
        status=status,
        cycle_id=_cycle_filter(request.GET.get("cycle")),
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "exchanges/endorsements/requests.html",
        {
            "page_obj": page,
            "requests": page.object_list,
            "status": status,
            "filters": [
                (EndorsementStatus.REQUESTED, _("Waiting")),
                (EndorsementStatus.ENDORSED, _("Endorsed")),
                (EndorsementStatus.DECLINED, _("Declined")),
                (ALL, _("All")),
            ],
        },
    )


def _render_decide(request, endorsement, *, endorse_form=None, decline_form=None, status=200):
    rank_list = endorsement.rank_list
    return render(
        request,
        "exchanges/endorsements/decide.html",
        {
            "endorsement": endorsement,
            "rank_list": rank_list,
            "cycle": rank_list.cycle,
            "editable": rank_list.cycle.students_may_rank(),
            "endorse_form": endorse_form
            or EndorseForm(
                initial={"year_confirmed": endorsement.year_confirmed or rank_list.year_of_study}
            ),
            "decline_form": decline_form
            or EndorsementDeclineForm(initial={"reason": endorsement.reason}),
        },
        status=status,
    )


def _decide_url(pk: int, **_other_kwargs) -> str:
    return reverse("exchanges:endorsement_decide", args=[pk])


@login_required
def endorsement_decide(request, pk: int):
    endorsement = endorsement_get_decidable(user=request.user, endorsement_id=pk)
    return _render_decide(request, endorsement)


def _decided(request, endorsement, form, field: str, decide, done: str):
    """Call `decide` with the valid form's data and go back to the requests with `done`; a
    refusal about a field is shown on the form, kept as typed (`field`: which form it is)."""
    if form.is_valid():
        try:
            decide(endorsement=endorsement, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            if refusal.field is None:  # the deadline passed, or the request changed, meanwhile
                raise
            form_refused(form, refusal)
        else:
            messages.success(request, done % {"student": endorsement.rank_list.student})
            return redirect(_requests_url())
    return _render_decide(request, endorsement, status=400, **{field: form})


@login_required
@require_POST
@refusals(_decide_url)
def endorsement_endorse(request, pk: int):
    endorsement = endorsement_get_decidable(user=request.user, endorsement_id=pk)
    return _decided(
        request,
        endorsement,
        EndorseForm(request.POST),
        "endorse_form",
        endorsement_services.endorsement_endorse,
        _("You endorsed %(student)s."),
    )


@login_required
@require_POST
@refusals(_decide_url)
def endorsement_decline(request, pk: int):
    endorsement = endorsement_get_decidable(user=request.user, endorsement_id=pk)
    return _decided(
        request,
        endorsement,
        EndorsementDeclineForm(request.POST),
        "decline_form",
        endorsement_services.endorsement_decline,
        _("You declined to endorse %(student)s. They are told why."),
    )
