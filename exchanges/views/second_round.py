"""The second round's pages: staff open it and run it, unplaced students rank the rotations
with free seats, schools accept their new applicants, and after the second run students
claim a free seat at a school that takes such claims, which the school confirms or declines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import rules, selectors
from exchanges.forms import (
    ClaimDecisionForm,
    DecisionForm,
    FirstComeForm,
    MoveForm,
    RunForm,
    SecondRoundOpenForm,
)
from exchanges.models import MatchRound, RankList
from exchanges.selectors import second_round as rounds
from exchanges.services import claims, operations, second_run
from exchanges.services import second_round as services
from portal.errors import Refused
from portal.http import form_refused, permission_required, redirect_back, refusals
from portal.operation_views import operation_started
from portal.permissions import allowed

# Programme staff -----------------------------------------------------------------------


def _staff_url(pk: int) -> str:
    return reverse("exchanges:second_round_staff", args=[pk])


@permission_required("exchanges.run_match")
def second_round_staff(request, pk: int):
    """The second round's state and actions: open it (with its closing time), run it once
    its window has closed, publish one of its runs."""
    cycle = selectors.cycle_get(cycle_id=pk)
    second = rounds.second_round_find(cycle=cycle)
    form = SecondRoundOpenForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_round_open(
                cycle=cycle, closes_at=form.cleaned_data["closes_at"], by=request.user
            )
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(
                request,
                _("The second round is open. Eligible students and schools are being emailed."),
            )
            return redirect(_staff_url(pk))
    now = timezone.now()
    seats = rounds.free_seats(cycle=cycle, now=now)
    return render(
        request,
        "exchanges/second_round_staff.html",
        {
            "cycle": cycle,
            "second_round": second,
            "form": form,
            "run_form": RunForm(),
            "now": now,
            "open_rotation_count": len(seats),
            "free_seat_count": sum(seats.values()),
            "eligible_count": rounds.eligible_lists(cycle=cycle).count()
            if cycle.published_run_id
            else 0,
            "runs": list(selectors.run_list(cycle=cycle).filter(match_round=MatchRound.SECOND)),
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("exchanges.run_match")
@require_POST
@refusals(_staff_url)
def second_round_run(request, pk: int):
    cycle = selectors.cycle_get(cycle_id=pk)
    form = RunForm(request.POST)
    if not form.is_valid():
        return redirect(_staff_url(pk))
    second_run.second_round_run_check(cycle)
    return operation_started(
        request,
        operations.RUN,
        subject=operations.subject(cycle.pk),
        cycle_id=cycle.pk,
        note=form.cleaned_data["note"],
        match_round=MatchRound.SECOND.value,
    )


# Students ------------------------------------------------------------------------------


def _student_url(cycle_id: int, **_other) -> str:
    return reverse("exchanges:second_round", args=[cycle_id])


def _own(request, cycle_id: int) -> RankList:
    mine = selectors.rank_list_get_own(user=request.user, cycle_id=cycle_id)
    if not mine.cycle.published_run_id:
        raise Http404
    return mine


@login_required
def second_round(request, cycle_id: int):
    """What the student can do in the second round: rank the open rotations while it is
    open, and see where it stands."""
    mine = _own(request, cycle_id)
    now = timezone.now()
    second = rounds.second_round_find(cycle=mine.cycle)
    eligible = rounds.is_eligible(rank_list=mine)
    window_open = second is not None and second.is_open(now)
    return render(
        request,
        "exchanges/second_round_student.html",
        {
            "cycle": mine.cycle,
            "second_round": second,
            "eligible": eligible,
            "window_open": window_open,
            "round": rounds.student_round(rank_list=mine, now=now)
            if eligible and window_open
            else None,
            "placement": selectors.placement_for_rank_list(rank_list=mine),
        },
    )


def _rotation_in_cycle(request, mine: RankList, rotation_id) -> object:
    try:
        rotation_id = int(rotation_id)
    except (TypeError, ValueError):
        raise Http404 from None
    return selectors.rotation_get_in_cycle(cycle=mine.cycle, rotation_id=rotation_id)


@login_required
@require_POST
@refusals(_student_url)
def second_round_add(request, cycle_id: int):
    mine = _own(request, cycle_id)
    rotation = _rotation_in_cycle(request, mine, request.POST.get("rotation"))
    services.second_round_choice_add(rank_list=mine, rotation=rotation)
    messages.success(
        request, _("%(rotation)s is on your second-round list.") % {"rotation": rotation.title}
    )
    return redirect(_student_url(cycle_id))


@login_required
@require_POST
@refusals(_student_url)
def second_round_move(request, cycle_id: int, rotation_id: int):
    mine = _own(request, cycle_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.second_round_choice_move(
            rank_list=mine, rotation_id=rotation_id, direction=form.cleaned_data["direction"]
        )
    return redirect(_student_url(cycle_id))


@login_required
@require_POST
@refusals(_student_url)
def second_round_remove(request, cycle_id: int, rotation_id: int):
    mine = _own(request, cycle_id)
    services.second_round_choice_remove(rank_list=mine, rotation_id=rotation_id)
    messages.success(request, _("The rotation is off your second-round list."))
    return redirect(_student_url(cycle_id))


def _open_seats_url(cycle_id: int, **_other) -> str:
    return reverse("exchanges:open_seats", args=[cycle_id])


@login_required
def open_seats(request, cycle_id: int):
    """After the second run: the free seats at schools that take first-come claims."""
    mine = _own(request, cycle_id)
    cycle = mine.cycle
    second = rounds.second_round_find(cycle=cycle)
    placement = selectors.placement_for_rank_list(rank_list=mine)
    claims_open = second is not None and second.is_published and cycle.post_match_open()
    eligible = claims_open and placement is None and rounds.is_eligible(rank_list=mine)
    return render(
        request,
        "exchanges/second_round_open_seats.html",
        {
            "cycle": cycle,
            "second_round": second,
            "claims_open": claims_open,
            "eligible": eligible,
            "placement": placement,
            "rotations": rounds.first_come_seats(cycle=cycle, rank_list=mine) if eligible else [],
            "claims": rounds.claims_of(rank_list=mine),
        },
    )


@login_required
@require_POST
@refusals(_open_seats_url)
def seat_claim(request, cycle_id: int, rotation_id: int):
    mine = _own(request, cycle_id)
    rotation = selectors.rotation_get_in_cycle(cycle=mine.cycle, rotation_id=rotation_id)
    claims.seat_claim(rank_list=mine, rotation=rotation)
    messages.success(
        request,
        _(
            "Your claim for %(rotation)s is sent to the school. You are placed once the school "
            "confirms it; we will email you."
        )
        % {"rotation": rotation.title},
    )
    return redirect(_open_seats_url(cycle_id))


# Partner schools -----------------------------------------------------------------------


@permission_required("exchanges.view_second_round_school")
def second_round_school(request):
    """The school's second round: its rotations with free seats while a window is open,
    and the first-come claims waiting for its answer."""
    return render(
        request,
        "exchanges/second_round_school.html",
        {
            "rotations": rounds.managed_round_rotations(user=request.user),
            "claims": rounds.claims_pending_for(user=request.user),
            "decision_form": ClaimDecisionForm(),
        },
    )


def _applicants_url(pk: int, **_other) -> str:
    return reverse("exchanges:second_round_applicants", args=[pk])


@login_required
def second_round_applicants(request, pk: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    second = rounds.second_round_find(cycle=rotation.cycle) if rotation.cycle_id else None
    if second is None:
        raise Http404
    return render(
        request,
        "exchanges/second_round_applicants.html",
        {
            "rotation": rotation,
            "cycle": rotation.cycle,
            "second_round": second,
            "window_open": second.is_open(timezone.now()),
            "applicants": rounds.round_applicants(rotation=rotation, user=request.user),
        },
    )


def _applicant(request, pk: int, rank_list_id: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    rank_list = get_object_or_404(
        rules.dossiers_visible_to(request.user).filter(second_round_choices__rotation=rotation),
        pk=rank_list_id,
    )
    return rotation, rank_list


@login_required
@require_POST
@refusals(_applicants_url)
def second_round_decide(request, pk: int, rank_list_id: int):
    rotation, rank_list = _applicant(request, pk, rank_list_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["acceptable"]
        services.second_round_decide(rotation=rotation, rank_list=rank_list, accept=accept)
        messages.success(
            request,
            _("%(student)s is accepted.") % {"student": rank_list.student.display_name}
            if accept
            else _("%(student)s is marked not acceptable.")
            % {"student": rank_list.student.display_name},
        )
    return redirect(_applicants_url(pk))


@login_required
@require_POST
@refusals(_applicants_url)
def second_round_decision_move(request, pk: int, rank_list_id: int):
    rotation, rank_list = _applicant(request, pk, rank_list_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.second_round_decision_move(
            rotation=rotation, rank_list=rank_list, direction=form.cleaned_data["direction"]
        )
    return redirect(_applicants_url(pk))


def _school_url(**_other) -> str:
    return reverse("exchanges:second_round_school")


@login_required
@require_POST
@refusals(_school_url)
def seat_claim_decide(request, pk: int):
    claim = rounds.claim_get_decidable(user=request.user, claim_id=pk)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        return redirect(_school_url())
    confirm = form.cleaned_data["decision"] == "confirm"
    claims.seat_claim_decide(claim=claim, confirm=confirm, by=request.user)
    student = claim.rank_list.student.display_name
    messages.success(
        request,
        _("%(student)s is placed at %(rotation)s.")
        % {"student": student, "rotation": claim.rotation.title}
        if confirm
        else _("You declined the claim of %(student)s.") % {"student": student},
    )
    return redirect(_school_url())


@login_required
@require_POST
def first_come_set(request, institution_id: int):
    institution = get_object_or_404(rules.institutions_managed_by(request.user), pk=institution_id)
    if not allowed(request.user, "exchanges.manage_institution", institution):
        raise Http404
    form = FirstComeForm(request.POST)
    form.is_valid()  # a checkbox: absent means no
    accepts = bool(form.cleaned_data.get("accepts_first_come"))
    claims.institution_first_come_set(institution=institution, accepts=accepts)
    messages.success(
        request,
        _("%(school)s now takes first-come claims of its free seats.")
        % {"school": institution.name}
        if accepts
        else _("%(school)s no longer takes first-come claims.") % {"school": institution.name},
    )
    return redirect_back(request, "exchanges:coordinator_dashboard")
