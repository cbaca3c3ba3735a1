"""Ranking with a partner: ask, answer, dissolve, and rank pairs of rotations together.

Each student acts on their own list only (`selectors.couple_get_own`: someone else's couple
is a 404); the services decide and refuse. The two small forms live here, with the one page
that uses them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from exchanges import services
from exchanges.forms import MoveForm
from exchanges.selectors.couples import CouplePage, couple_get_own, couple_page
from exchanges.selectors.students import rank_list_page
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


def _render(request, page: CouplePage, *, propose_form=None, pair_form=None, status: int = 200):
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


def _done(request, cycle_id: int, words: str) -> HttpResponse:
    messages.success(request, words)
    return redirect(_url(cycle_id))


@login_required
def couple(request, cycle_id: int):
    return _render(request, couple_page(user=request.user, cycle_id=cycle_id))


@login_required
@require_POST
@refusals(_url)
def couple_propose(request, cycle_id: int):
    cycle, mine = rank_list_page(user=request.user, cycle_id=cycle_id)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            couple_services.couple_propose(
                rank_list=mine or services.rank_list_for(cycle=cycle, student=request.user),
                email=form.cleaned_data["email"],
            )
        except Refused as refusal:
            # A refusal about the couple, not the address (asked meanwhile, deadline
            # passed), goes above the page: the page no longer shows this form then.
            if refusal.field is None:
                raise
            form_refused(form, refusal)
        else:
            # The same words whether or not the address takes part: they reveal no account.
            return _done(
                request,
                cycle_id,
                _(
                    "We sent the request if they take part in this cycle. They accept or "
                    "decline it here."
                ),
            )
    page = couple_page(user=request.user, cycle_id=cycle_id)
    return _render(request, page, propose_form=form, status=400)


@login_required
@require_POST
@refusals(_url)
def couple_answer(request, cycle_id: int):
    mine, current = couple_get_own(user=request.user, cycle_id=cycle_id)
    accept = request.POST.get("answer") == "accept"
    couple_services.couple_answer(couple=current, rank_list=mine, accept=accept)
    return _done(
        request,
        cycle_id,
        _("You rank together now. Add your pairs of rotations below.")
        if accept
        else _("You declined the request. The match uses your own list."),
    )


@login_required
@require_POST
@refusals(_url)
def couple_dissolve(request, cycle_id: int):
    mine, current = couple_get_own(user=request.user, cycle_id=cycle_id)
    ended = couple_services.couple_dissolve(couple=current, rank_list=mine)
    # `linked_at` stays once accepted: a second click gets the words of the first.
    return _done(
        request,
        cycle_id,
        _("You no longer rank together. The match uses your own list again.")
        if ended.linked_at
        else _("Your request is withdrawn."),
    )


@login_required
@require_POST
@refusals(_url)
def couple_pair_add(request, cycle_id: int):
    page = couple_page(user=request.user, cycle_id=cycle_id)
    # The choices are the two lists of a linked couple: none once it has ended, so a form
    # left open then is shown again on the page as it is now.
    form = PairForm(request.POST, own=page.own_rotations, partner=page.partner_rotations)
    if form.is_valid():
        try:
            couple_services.couple_choice_add(
                couple=page.couple,
                rank_list=page.rank_list,
                own_rotation_id=form.cleaned_data["mine"],
                partner_rotation_id=form.cleaned_data["theirs"],
            )
        except Refused as refusal:
            if not page.cycle.students_may_rank():
                raise  # the deadline passed meanwhile: the page shows no form to put it on
            form_refused(form, refusal)
        else:
            return _done(request, cycle_id, _("The pair is on your list."))
    return _render(request, page, pair_form=form, status=400)


@login_required
@require_POST
@refusals(_url)
def couple_pair_remove(request, cycle_id: int, choice_id: int):
    mine, current = couple_get_own(user=request.user, cycle_id=cycle_id)
    couple_services.couple_choice_remove(couple=current, rank_list=mine, choice_id=choice_id)
    return _done(request, cycle_id, _("The pair is off your list."))


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
