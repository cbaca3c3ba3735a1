"""The student's side: rank list with dossier and documents, placement, open seats."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import selectors, services
from exchanges.forms import AnswerForm, MoveForm, OrderForm, ProfileForm
from exchanges.models import RankList
from exchanges.selectors.couples import couple_current
from exchanges.selectors.document_checks import document_problems_mark
from portal import uploads
from portal.errors import Refused
from portal.http import redirect_back, refusal_response, refusals
from portal.permissions import allowed


def _list_url(cycle_id: int, **_other_kwargs) -> str:
    return reverse("exchanges:rank_list", args=[cycle_id])


def _entry_url(cycle_id: int, rotation_id: int) -> str:
    return f"{_list_url(cycle_id)}#rotation-{rotation_id}"


@login_required
def student_dashboard(request):
    cycles = selectors.cycle_list_for_student(user=request.user)
    return render(
        request,
        "exchanges/student_dashboard.html",
        {"cycles": cycles, "catalogue_url": selectors.catalogue_url()},
    )


def _render_rank_list(request, cycle, mine: RankList | None, profile_form, status: int = 200):
    couple = couple_current(rank_list=mine) if mine else None
    view = selectors.rank_list_view(rank_list=mine) if mine else None
    if view is not None:
        document_problems_mark(rank_list=mine, entries=view.entries)
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
            "couple": couple,
            "partner": couple.partner_of(mine.pk) if couple else None,
        },
        status=status,
    )
    return uploads.allow_upload_origin(response)


@login_required
def rank_list(request, cycle_id: int):
    cycle, mine = selectors.rank_list_page(user=request.user, cycle_id=cycle_id)
    profile_form = ProfileForm(
        initial={
            "home_school": mine.home_school,
            "year_of_study": mine.year_of_study,
            "languages": mine.languages,
        }
        if mine
        else None
    )
    return _render_rank_list(request, cycle, mine, profile_form)


@login_required
@require_POST
@refusals(_list_url)
def rank_list_add(request, cycle_id: int):
    cycle = selectors.cycle_get(cycle_id=cycle_id)
    rotation = selectors.rotation_get_visible(
        user=request.user, rotation_id=_int(request.POST.get("rotation"))
    )
    mine = services.rank_list_for(cycle=cycle, student=request.user)
    services.rank_list_add(rank_list=mine, rotation=rotation)
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
@refusals(_entry_url)
def rank_list_move(request, cycle_id: int, rotation_id: int):
    mine = _own_list(request, cycle_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.rank_list_move(rank_list=mine, rotation_id=rotation_id, **form.cleaned_data)
    return redirect(_entry_url(cycle_id, rotation_id))


@login_required
@require_POST
@refusals(_list_url)
def rank_list_remove(request, cycle_id: int, rotation_id: int):
    mine = _own_list(request, cycle_id)
    change = partial(services.rank_list_remove, rotation_id=rotation_id)
    _change_list(request, mine, change, _("The rotation is off your list."))
    return redirect(_list_url(cycle_id))


@login_required
@require_POST
@refusals(_list_url)
def rank_list_reorder(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    form = OrderForm(request.POST)
    if form.is_valid():
        services.rank_list_reorder(rank_list=mine, rotation_ids=form.cleaned_data["order"])
        messages.success(request, _("Your new order is saved."))
    return redirect(_list_url(cycle_id))


@login_required
@require_POST
@refusals(_list_url)
def rank_list_profile(request, cycle_id: int):
    cycle = selectors.cycle_get(cycle_id=cycle_id)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        mine = selectors.rank_list_find_own(user=request.user, cycle=cycle)
        return _render_rank_list(request, cycle, mine, form, status=400)
    mine = services.rank_list_for(cycle=cycle, student=request.user)
    change = partial(services.rank_list_update_profile, **form.cleaned_data)
    _change_list(request, mine, change, _("Your details are saved."))
    return redirect(_list_url(cycle_id))


@login_required
@require_POST
@refusals(_list_url)
def rank_list_submit(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    if request.POST.get("action") == "withdraw":
        services.rank_list_withdraw(rank_list=mine)
        messages.success(
            request,
            _("Your list is out of the match. Submit it again before the deadline to take part."),
        )
    else:
        services.rank_list_submit(rank_list=mine)
        messages.success(
            request, _("Your list is submitted. You can still change it until the deadline.")
        )
    return redirect(_list_url(cycle_id))


def _change_list(request, mine: RankList, change, done: str) -> None:
    """Apply `change` (a service taking the list) and say `done`, and warn when the change
    took a submitted list out of the match."""
    was_submitted = mine.is_submitted
    mine = change(rank_list=mine)
    messages.success(request, done)
    if was_submitted and not mine.is_submitted:
        messages.warning(
            request,
            _(
                "Your list is no longer submitted: it is missing something. Complete it and "
                "submit it again before the deadline."
            ),
        )


def _render_placement(
    request, cycle, rank_list, placement, *, answer_form=None, post_match_open=False
):
    return render(
        request,
        "exchanges/placement.html",
        {
            "cycle": cycle,
            "rank_list": rank_list,
            "placement": placement,
            # Lapsed from the answer date on, before the scheduled job stores it so.
            "lapsed": placement is not None and placement.is_lapsed(timezone.now()),
            "answer_form": answer_form or AnswerForm(),
            "post_match_open": post_match_open,
        },
        status=400 if answer_form is not None else 200,
    )


@login_required
def placement_detail(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    if not mine.cycle.published_run_id:
        raise Http404
    placement = selectors.placement_for_rank_list(rank_list=mine)
    return _render_placement(
        request,
        mine.cycle,
        mine,
        placement,
        post_match_open=mine.cycle.post_match_open() and placement is None,
    )


@login_required
def placement_explain(request, cycle_id: int):
    mine = _own_list(request, cycle_id)
    choice, rows = selectors.placement_explanation(rank_list=mine)
    return render(
        request,
        "exchanges/placement_explanation.html",
        {
            "cycle": mine.cycle,
            "choice": choice,
            "rows": rows,
            "rank_list": mine,
            "standing": selectors.run_standing(rank_list=mine),
        },
    )


@login_required
@require_POST
def placement_answer(request, pk: int):
    placement = selectors.placement_get_visible(user=request.user, placement_id=pk)
    if not allowed(request.user, "exchanges.answer_placement", placement):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_placement(
            request, placement.cycle, placement.rank_list, placement, answer_form=form
        )
    url = reverse("exchanges:placement", args=[placement.cycle_id])
    accept = form.cleaned_data["answer"] == "confirm"
    try:
        services.placement_answer(placement=placement, accept=accept)
    except Refused as refusal:
        return refusal_response(request, refusal, url)
    messages.success(
        request,
        _("You confirmed your placement. The school expects you on the first day.")
        if accept
        else _("You declined your placement. Your seat goes to another student."),
    )
    return redirect(url)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
