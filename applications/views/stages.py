"""The second stage's pages: staff and the chair define it, add slots and shortlist; the panel
scores; the shortlisted applicant books a time and downloads it for their calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import selectors
from applications.forms.stages import (
    BookingForm,
    ShortlistForm,
    ShortlistTopForm,
    SlotsForm,
    StageCriterionFormSet,
    StageForm,
    StageScoreForm,
    criteria_values,
)
from applications.models import StageCriterion
from applications.selectors import stages as stage_selectors
from applications.selectors.board import stage_ranking
from applications.services import stages as services
from portal.errors import Refused
from portal.http import form_refused, redirect_back, refusals
from portal.links import public_url
from portal.pagination import paginate
from portal.permissions import allowed

SLOTS_PAGE = 100


def _stage_url(call_id: int, **_kwargs) -> str:
    return reverse("applications:stage", args=[call_id])


# --- Staff and the chair -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stage_edit(request, call_id: int):
    """Define the call's second stage and its rubric (or change them)."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    stage = stage_selectors.stage_of(call)
    criteria = stage.criteria.all() if stage else StageCriterion.objects.none()
    post = request.POST if request.method == "POST" else None
    form = StageForm(post, instance=stage, prefix="stage")
    formset = StageCriterionFormSet(post, queryset=criteria, prefix="criteria")
    if post is not None and form.is_valid() and formset.is_valid():
        values = {name: form.cleaned_data[name] for name in StageForm.Meta.fields}
        try:
            stage, created = services.stage_save(
                call=call, actor=request.user, values=values, criteria=criteria_values(formset)
            )
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(
                request,
                _("The second stage is set up. Add its time slots next.")
                if created
                else _("The second stage is saved."),
            )
            return redirect(
                "applications:stage_slots" if created else "applications:stage", call.pk
            )
    context = {"call": call, "stage": stage, "form": form, "formset": formset}
    return render(
        request, "applications/stage_edit.html", context, status=400 if post is not None else 200
    )


@login_required
@require_GET
def stage_overview(request, call_id: int):
    """The shortlist, ranked by the panel's scores, with each one's booking."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    stage = stage_selectors.stage_of(call)
    if stage is None:
        return redirect("applications:stage_edit", call.pk)
    ranking = stage_ranking(call=call, user=request.user)
    slots = stage_selectors.booked_slots(stage)
    return render(
        request,
        "applications/stage_overview.html",
        {
            "call": call,
            "stage": stage,
            "shortlist": [(row, slots.get(row.application_id)) for row in ranking.ranked],
            "top_form": ShortlistTopForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage_slots(request, call_id: int):
    """The stage's slots and who booked each; a day's slots are added from a form."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    stage = stage_selectors.stage_get(call=call)
    post = request.POST if request.method == "POST" else None
    form = SlotsForm(post, zone=call.time_zone, initial={"minutes": stage.slot_minutes})
    if post is not None and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.slots_generate(
                stage=stage,
                actor=request.user,
                day=data["day"],
                start=data["start"],
                end=data["end"],
                minutes=data["minutes"],
            )
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(
                request,
                ngettext("%(count)d slot added.", "%(count)d slots added.", added)
                % {"count": added},
            )
            return redirect("applications:stage_slots", call.pk)
    page = paginate(
        stage_selectors.slots_with_bookings(stage=stage),
        request.GET.get("page"),
        per_page=SLOTS_PAGE,
    )
    return render(
        request,
        "applications/stage_slots.html",
        {"call": call, "stage": stage, "form": form, "page_obj": page},
        status=400 if post is not None else 200,
    )


@login_required
@require_POST
@refusals(lambda call_id, **_kwargs: reverse("applications:stage_slots", args=[call_id]))
def stage_slot_delete(request, call_id: int, slot_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    stage = stage_selectors.stage_get(call=call)
    slot = stage.slots.filter(pk=slot_id).first()
    if slot is not None:  # already removed (a second click): nothing to do
        services.slot_delete(slot=slot, actor=request.user)
    messages.success(request, _("The slot is removed."))
    return redirect("applications:stage_slots", call.pk)


def _shortlisted_message(request, added: int) -> None:
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)d application shortlisted; we are emailing the applicant a link to "
                "book a time.",
                "%(count)d applications shortlisted; we are emailing each applicant a link to "
                "book a time.",
                added,
            )
            % {"count": added},
        )
    else:
        messages.info(request, _("These applications were already on the shortlist."))


@login_required
@require_POST
@refusals(lambda call_id, **_kwargs: reverse("applications:board", args=[call_id]))
def stage_shortlist(request, call_id: int):
    """Shortlist the applications ticked on the ranking board."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    stage = stage_selectors.stage_get(call=call)
    board = selectors.board_get(call=call, user=request.user)
    form = ShortlistForm(request.POST, candidates=[row.application_id for row in board.ranked])
    if not form.is_valid():
        raise Refused(_("Choose at least one application on the board."), code="none_chosen")
    added = services.shortlist_add(
        stage=stage, actor=request.user, application_ids=form.cleaned_data["application"]
    )
    _shortlisted_message(request, added)
    return redirect_back(request, "applications:stage", call.pk)


@login_required
@require_POST
@refusals(_stage_url)
def stage_shortlist_top(request, call_id: int):
    """Shortlist the best N on the board (ranked, without a decision yet)."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    stage = stage_selectors.stage_get(call=call)
    form = ShortlistTopForm(request.POST)
    if not form.is_valid():
        raise Refused(_("Give how many to shortlist, from 1 to 500."), code="bad_top")
    board = selectors.board_get(call=call, user=request.user)
    candidates = [
        row.application_id
        for row in board.ranked
        if row.rank is not None and row.decidable and row.outcome is None
    ][: form.cleaned_data["top"]]
    added = services.shortlist_add(stage=stage, actor=request.user, application_ids=candidates)
    _shortlisted_message(request, added)
    return redirect("applications:stage", call.pk)


@login_required
@require_POST
@refusals(_stage_url)
def stage_unshortlist(request, call_id: int, application_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    stage = stage_selectors.stage_get(call=call)
    selectors.application_get_in_call(call=call, application_id=application_id, user=request.user)
    shortlisting = stage.shortlistings.filter(application_id=application_id).first()
    if shortlisting is not None:
        services.shortlisting_remove(shortlisting=shortlisting, actor=request.user)
    messages.success(request, _("The application is off the shortlist."))
    return redirect("applications:stage", call.pk)


# --- The panel ---------------------------------------------------------------------------


@login_required
@require_GET
def stage_panel(request, call_id: int):
    """The shortlisted applications for the panel, in the order of their times."""
    stage = stage_selectors.stage_get_for_panel(user=request.user, call_id=call_id)
    return render(
        request,
        "applications/stage_panel.html",
        {
            "call": stage.call,
            "stage": stage,
            "rows": stage_selectors.panel_list(stage=stage, user=request.user),
            "may_manage": allowed(request.user, "applications.manage_call", stage.call),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage_score(request, call_id: int, application_id: int):
    """A panel member scores one shortlisted application on the stage's rubric."""
    stage = stage_selectors.stage_get_for_panel(user=request.user, call_id=call_id)
    application, membership, mine = stage_selectors.scoring_get(
        user=request.user, stage=stage, application_id=application_id
    )
    criteria = list(stage.criteria.all())
    initial = {}
    if mine is not None:
        initial = {f"c{key}": value for key, value in mine.scores.items()}
        initial["comment"] = mine.comment
    post = request.POST if request.method == "POST" else None
    form = StageScoreForm(post, initial=initial, criteria=criteria)
    if post is not None and form.is_valid():
        try:
            services.stage_score_save(
                stage=stage,
                application=application,
                membership=membership,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("applications:stage_panel", stage.call_id)
    return render(
        request,
        "applications/stage_score.html",
        {
            "call": stage.call,
            "stage": stage,
            "application": application,
            "criteria": criteria,
            "form": form,
            "mine": mine,
            "slot": stage_selectors.booked_slots(stage).get(application.pk),
            "answers": [
                {**question, "value": application.answers.get(str(question["id"]))}
                for question in application.questions
            ],
        },
        status=400 if post is not None else 200,
    )


# --- The applicant -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stage_booking(request, pk: int):
    """The shortlisted applicant chooses a time (shown in their time zone and the call's), or
    changes or gives it up until 24 hours before."""
    shortlisting = stage_selectors.shortlisting_get_own(user=request.user, application_id=pk)
    form = BookingForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        try:
            if "cancel" in request.POST:
                if services.slot_cancel(shortlisting=shortlisting):
                    messages.success(request, _("Your time is given up. Choose another below."))
                return redirect("applications:stage_booking", pk)
            if form.is_valid():
                services.slot_book(shortlisting=shortlisting, slot_id=form.cleaned_data["slot"])
                messages.success(request, _("Your time is booked."))
                return redirect("applications:stage_booking", pk)
        except Refused as refusal:
            form_refused(form, refusal)
        status = 400
    booking = stage_selectors.booking_get(shortlisting=shortlisting)
    return render(
        request,
        "applications/stage_booking.html",
        {
            "application": shortlisting.application,
            "call": shortlisting.stage.call,
            "stage": shortlisting.stage,
            "booking": booking,
            "form": form,
            "reader_zone": request.user.time_zone or "UTC",
        },
        status=status,
    )


@login_required
@require_GET
def stage_booking_ics(request, pk: int):
    """The booked time as a calendar file."""
    shortlisting = stage_selectors.shortlisting_get_own(user=request.user, application_id=pk)
    booking = stage_selectors.booking_get(shortlisting=shortlisting)
    if booking.current is None:
        raise Http404
    text = stage_selectors.booking_ics(
        slot=booking.current,
        stage=shortlisting.stage,
        call=shortlisting.stage.call,
        url=public_url(reverse("applications:stage_booking", args=[pk])),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="interview.ics"'
    return response
