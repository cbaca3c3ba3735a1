"""Ranking with a partner: ask, answer, dissolve, and rank pairs of rotations together.

Each student acts on their own list only (`selectors.couple_get_own`: someone else's couple
is a 404); the services decide and refuse. The two small forms live here, with the one page
that uses them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from exchanges import services
from exchanges.forms import MoveForm
from exchanges.selectors.couples import couple_get_own, couple_page
from exchanges.services import couples as couple_services
from portal.errors import Refused
from portal.http import form_refused, refusals


class ProposeForm(forms.Form):
    email = forms.EmailField(
        label=_lazy("Your partner's email address"),
        help_text=_lazy("The address they use to sign in to the portal."),
    )


class PairForm(forms.Form):
    """Two rotations: the reader's and their partner's, each from their own list."""

    mine = forms.TypedChoiceField(label=_lazy("Your rotation"), coerce=int)
    theirs = forms.TypedChoiceField(label=_lazy("Your partner's rotation"), coerce=int)

    def __init__(self, *args, own=(), partner=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].choices = [(r.pk, _option(r)) for r in own]
        self.fields["theirs"].choices = [(r.pk, _option(r)) for r in partner]


def _option(rotation) -> str:
    return f"{rotation.title} · {rotation.institution.name} · {rotation.city}"


def _url(cycle_id: int, **_other_kwargs) -> str:
    return reverse("exchanges:couple", args=[cycle_id])


def _render(request, cycle_id: int, *, propose_form=None, pair_form=None, status: int = 200):
    page = couple_page(user=request.user, cycle_id=cycle_id)
    if pair_form is None and page.couple is not None and page.couple.is_linked:
        pair_form = PairForm(own=page.own_rotations, partner=page.partner_rotations)
    return render(
        request,
        "exchanges/couples/couple.html",
        {
            "page": page,
            "cycle": page.cycle,
            "editable": page.cycle.students_may_rank(),
            "propose_form": propose_form or ProposeForm(),
            "pair_form": pair_form,
        },
        status=status,
    )


@login_required
def couple(request, cycle_id: int):
    return _render(request, cycle_id)


@login_required
@require_POST
@refusals(_url)
def couple_propose(request, cycle_id: int):
    cycle = couple_page(user=request.user, cycle_id=cycle_id).cycle
    form = ProposeForm(request.POST)
    if not form.is_valid():
        return _render(request, cycle_id, propose_form=form, status=400)
    mine = services.rank_list_for(cycle=cycle, student=request.user)
    try:
        couple_services.couple_propose(rank_list=mine, email=form.cleaned_data["email"])
    except Refused as refusal:
        if refusal.field is None:
            raise
        form_refused(form, refusal)
        return _render(request, cycle_id, propose_form=form, status=400)
    # The same words whether or not the address takes part: they reveal no account.
    messages.success(
        request,
        _("We sent the request if they take part in this cycle. They accept or decline it here."),
    )
    return redirect(_url(cycle_id))


@login_required
@require_POST
@refusals(_url)
def couple_answer(request, cycle_id: int):
    mine, current = couple_get_own(user=request.user, cycle_id=cycle_id)
    accept = request.POST.get("answer") == "accept"
    couple_services.couple_answer(couple=current, rank_list=mine, accept=accept)
    messages.success(
        request,
        _("You rank together now. Add your pairs of rotations below.")
        if accept
        else _("You declined the request. The match uses your own list."),
    )
    return redirect(_url(cycle_id))


@login_required
@require_POST
@refusals(_url)
def couple_dissolve(request, cycle_id: int):
    mine, current = couple_get_own(user=request.user, cycle_id=cycle_id)
    was_linked = current.is_linked
    couple_services.couple_dissolve(couple=current, rank_list=mine)
    messages.success(
        request,
        _("You no longer rank together. The match uses your own list again.")
        if was_linked
        else _("Your request is withdrawn."),
    )
    return redirect(_url(cycle_id))


@login_required
@require_POST
@refusals(_url)
def couple_pair_add(request, cycle_id: int):
    page = couple_page(user=request.user, cycle_id=cycle_id)
    mine, current = couple_get_own(user=request.user, cycle_id=cycle_id)
    form = PairForm(request.POST, own=page.own_rotations, partner=page.partner_rotations)
    if not form.is_valid():
        return _render(request, cycle_id, pair_form=form, status=400)
    try:
        couple_services.couple_choice_add(
            couple=current,
            rank_list=mine,
            own_rotation_id=form.cleaned_data["mine"],
            partner_rotation_id=form.cleaned_data["theirs"],
        )
    except Refused as refusal:
        form_refused(form, refusal)
        return _render(request, cycle_id, pair_form=form, status=400)
    messages.success(request, _("The pair is on your list."))
    return redirect(_url(cycle_id))


@login_required
@require_POST
@refusals(_url)
def couple_pair_remove(request, cycle_id: int, choice_id: int):
    mine, current = couple_get_own(user=request.user, cycle_id=cycle_id)
    couple_services.couple_choice_remove(couple=current, rank_list=mine, choice_id=choice_id)
    messages.success(request, _("The pair is off your list."))
    return redirect(_url(cycle_id))


@login_required
@require_POST
@refusals(_url)
def couple_pair_move(request, cycle_id: int, choice_id: int):
    mine, current = couple_get_own(user=request.user, cycle_id=cycle_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        couple_services.couple_choice_move(
            couple=current, rank_list=mine, choice_id=choice_id, **form.cleaned_data
        )
    return redirect(f"{_url(cycle_id)}#pair-{choice_id}")
