"""The student's side: rank list with dossier and documents, placement, open seats."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import selectors, services
from exchanges.enums import Direction
from exchanges.forms import AnswerForm, MoveForm, OrderForm, ProfileForm
from exchanges.models import RankList
from exchanges.views.common import redirect_back, refuse
from portal import storage


def _list_url(cycle_id: int) -> str:
    return reverse("exchanges:rank_list", args=[cycle_id])


@login_required
def student_dashboard(request):
    cycles = selectors.cycle_list_for_student(user=request.user)
    return render(
        request,
        "exchanges/student_dashboard.html",
        {"cycles": cycles, "catalogue_url": selectors.catalogue_url()},
    )


@login_required
def rank_list(request, cycle_id: int):
    cycle = selectors.cycle_get(cycle_id=cycle_id)
    mine = RankList.objects.filter(cycle=cycle, student=request.user).first()
    if mine is None and not cycle.students_may_rank():
        raise Http404
    view = selectors.rank_list_view(rank_list=mine) if mine else None
    profile_form = ProfileForm(
        initial={
            "home_school": mine.home_school,
            "year_of_study": mine.year_of_study,
            "languages": mine.languages,
        }
        if mine
        else None
    )
    response = render(
        request,
        "exchanges/rank_list.html",
        {
            "cycle": cycle,
            "view": view,
            "rank_list": mine,
            "profile_form": profile_form,
            "editable": cycle.students_may_rank(),
            "catalogue_url": selectors.catalogue_url(),
        },
    )
    origin = storage.upload_origin()
    if origin:  # the browser posts documents straight to the bucket
        response._csp_update = {"connect-src": [origin]}
    return response


@login_required
@require_POST
def rank_list_add(request, cycle_id: int):
    cycle = selectors.cycle_get(cycle_id=cycle_id)
    rotation = selectors.rotation_get_visible(
        user=request.user, rotation_id=_int(request.POST.get("rotation"))
    )
    try:
        mine = services.rank_list_for(cycle=cycle, student=request.user)
        services.rank_list_add(rank_list=mine, rotation=rotation)
    except services.Refused as refusal:
        refuse(request, refusal)
    else:
        messages.success(
            request,
            _("%(rotation)s is on your list as choice %(position)s.")
            % {"rotation": rotation.title, "position": mine.entries.count()},
        )
    return redirect_back(request, _list_url(cycle_id))


def _own_list(request, cycle_id: int) -> RankList:
    return selectors.rank_list_get_own(user=request.user, cycle_id=cycle_id)


@login_required
@require_POST
def rank_list_move(request, cycle_id: int, rotation_id: int):
    mine = _own_list(request, cycle_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.rank_list_move(
                rank_list=mine,
                rotation_id=rotation_id,
                direction=Direction(form.cleaned_data["direction"]),
            )
        except services.Refused as refusal:
            refuse(request, refusal)
    return redirect(f"{_list_url(cycle_id)}#rotation-{rotation_id}")


@login_required
@require_POST
def rank_list_remove(request, cycle_id: int, rotation_id: int):
    mine = _own_list(request, cycle_id)
    was_submitted = mine.is_submitted
    try:
        mine = services.rank_list_remove(rank_list=mine, rotation_id=rotation_id)
    except services.Refused as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("The rotation is off your list."))
        _warn_if_unsubmitted(request, was_submitted, mine)
    return redirect(_list_url(cycle_id))


@login_required
@require_POST
def rank_list_reorder(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            services.rank_list_reorder(rank_list=mine, rotation_ids=form.cleaned_data["order"])
        except services.Refused as refusal:
            refuse(request, refusal)
        else:
            messages.success(request, _("Your new order is saved."))
    return redirect(_list_url(cycle_id))


@login_required
@require_POST
def rank_list_profile(request, cycle_id: int):
    cycle = selectors.cycle_get(cycle_id=cycle_id)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        mine = RankList.objects.filter(cycle=cycle, student=request.user).first()
        return render(
            request,
            "exchanges/rank_list.html",
            {
                "cycle": cycle,
                "view": selectors.rank_list_view(rank_list=mine) if mine else None,
                "rank_list": mine,
                "profile_form": form,
                "editable": cycle.students_may_rank(),
            },
            status=400,
        )
    try:
        mine = services.rank_list_for(cycle=cycle, student=request.user)
        was_submitted = mine.is_submitted
        mine = services.rank_list_update_profile(rank_list=mine, **form.cleaned_data)
    except services.Refused as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Your details are saved."))
        _warn_if_unsubmitted(request, was_submitted, mine)
    return redirect(_list_url(cycle_id))


@login_required
@require_POST
def rank_list_submit(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            services.rank_list_withdraw(rank_list=mine)
        else:
            services.rank_list_submit(rank_list=mine)
    except services.Refused as refusal:
        refuse(request, refusal)
    else:
        messages.success(
            request,
            _("Your list is out of the match. Submit it again before the deadline to take part.")
            if withdraw
            else _("Your list is submitted. You can still change it until the deadline."),
        )
    return redirect(_list_url(cycle_id))


def _warn_if_unsubmitted(request, was_submitted: bool, mine: RankList) -> None:
    if was_submitted and not mine.is_submitted:
        messages.warning(
            request,
            _(
                "Your list is no longer submitted: it is missing something. Complete it and "
                "submit it again before the deadline."
            ),
        )


@login_required
def placement_detail(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    cycle = mine.cycle
    if not cycle.published_run_id:
        raise Http404
    placement = selectors.placement_for_rank_list(rank_list=mine)
    return render(
        request,
        "exchanges/placement.html",
        {
            "cycle": cycle,
            "rank_list": mine,
            "placement": placement,
            "answer_form": AnswerForm(),
            "post_match_open": cycle.post_match_open() and placement is None,
        },
    )


@login_required
def placement_explain(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    choice, rows = selectors.placement_explanation(rank_list=mine)
    return render(
        request,
        "exchanges/placement_explanation.html",
        {"cycle": mine.cycle, "choice": choice, "rows": rows, "rank_list": mine},
    )


@login_required
@require_POST
def placement_answer(request, pk: int):
    placement = selectors.placement_get_visible(user=request.user, placement_id=pk)
    if not request.user.has_perm("exchanges.answer_placement", placement):
        raise Http404
    url = reverse("exchanges:placement", args=[placement.cycle_id])
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "exchanges/placement.html",
            {
                "cycle": placement.cycle,
                "rank_list": placement.rank_list,
                "placement": placement,
                "answer_form": form,
                "post_match_open": False,
            },
            status=400,
        )
    accept = form.cleaned_data["answer"] == "confirm"
    try:
        services.placement_answer(placement=placement, accept=accept)
    except services.Refused as refusal:
        refuse(request, refusal)
    else:
        messages.success(
            request,
            _("You confirmed your placement. The school expects you on the first day.")
            if accept
            else _("You declined your placement. Your seat goes to another student."),
        )
    return redirect(url)


@login_required
def open_seats(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    cycle = mine.cycle
    if not cycle.published_run_id:
        raise Http404
    placement = selectors.placement_for_rank_list(rank_list=mine)
    eligible = cycle.post_match_open() and placement is None and mine.is_submitted
    rotations = selectors.open_seat_list(cycle=cycle, rank_list=mine) if eligible else []
    return render(
        request,
        "exchanges/open_seats.html",
        {"cycle": cycle, "rotations": rotations, "eligible": eligible, "placement": placement},
    )


@login_required
@require_POST
def seat_claim(request, cycle_id: int, rotation_id: int):
    mine = _own_list(request, cycle_id)
    rotation = get_object_or_404(mine.cycle.rotations.all(), pk=rotation_id)
    try:
        services.seat_claim(rank_list=mine, rotation=rotation)
    except services.Refused as refusal:
        refuse(request, refusal)
        return redirect("exchanges:open_seats", cycle_id=cycle_id)
    messages.success(
        request,
        _("The seat is yours: you are placed at %(rotation)s.") % {"rotation": rotation.title},
    )
    return redirect("exchanges:placement", cycle_id=cycle_id)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
