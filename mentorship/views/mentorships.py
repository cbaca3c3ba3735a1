"""One mentorship, seen by its mentee, its mentor or programme staff: goals, check-ins, end."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship import selectors
from mentorship.forms import CheckInForm, EndMentorshipForm, GoalsForm
from mentorship.services import mentorships as services
from mentorship.views.common import add_service_errors, allowed, error_text, paginate

CHECK_INS_PER_PAGE = 10


def _get(request, pk: int, perm: str = "mentorship.view_mentorship"):
    """Fetch and authorise in one step: someone else's mentorship does not exist (404)."""
    mentorship = get_object_or_404(selectors.mentorship_visible(user=request.user), pk=pk)
    if not allowed(request.user, perm, mentorship):
        raise Http404
    return mentorship


def _render_detail(request, mentorship, *, check_in_form=None, goals_form=None, status=200):
    user = request.user
    can_log = allowed(user, "mentorship.log_check_in", mentorship)
    can_change_goals = allowed(user, "mentorship.change_goals", mentorship)
    now = timezone.now()
    context = {
        "mentorship": mentorship,
        "mentee_request": mentorship.request,
        "is_mentee": mentorship.mentee_id == user.pk,
        "is_mentor": mentorship.mentor.user_id == user.pk,
        "can_end": allowed(user, "mentorship.end_mentorship", mentorship),
        "check_in_form": (check_in_form or CheckInForm()) if can_log else None,
        "goals_form": (goals_form or GoalsForm(initial={"goals": mentorship.goals}))
        if can_change_goals
        else None,
        "page_obj": paginate(
            request, selectors.check_in_list(mentorship=mentorship), CHECK_INS_PER_PAGE
        ),
        "local_times": [
            (mentorship.mentee, mentorship.request.time_zone),
            (mentorship.mentor.user, mentorship.mentor.time_zone),
        ],
        "now": now,
    }
    return render(request, "mentorship/mentorship_detail.html", context, status=status)


@login_required
def mentorship_detail(request, pk: int):
    return _render_detail(request, _get(request, pk))


@login_required
@require_POST
def check_in_create(request, pk: int):
    mentorship = _get(request, pk, "mentorship.log_check_in")
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.check_in_create(
                mentorship=mentorship, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Check-in saved."))
            return redirect("mentorship:detail", pk=mentorship.pk)
    return _render_detail(request, mentorship, check_in_form=form)


@login_required
@require_POST
def goals_update(request, pk: int):
    mentorship = _get(request, pk, "mentorship.change_goals")
    form = GoalsForm(request.POST)
    if form.is_valid():
        try:
            services.mentorship_goals_update(
                mentorship=mentorship, goals=form.cleaned_data["goals"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Goals saved."))
            return redirect("mentorship:detail", pk=mentorship.pk)
    return _render_detail(request, mentorship, goals_form=form)


@login_required
def mentorship_end(request, pk: int):
    mentorship = _get(request, pk, "mentorship.end_mentorship")
    by_mentor = mentorship.mentor.user_id == request.user.pk
    by_mentee = mentorship.mentee_id == request.user.pk
    form = EndMentorshipForm(
        request.POST or None, ask_new_mentor=not by_mentor, mentee_asks=by_mentee
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_end(
                mentorship=mentorship,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                find_new_mentor=form.cleaned_data.get("find_new_mentor"),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The mentorship has ended."))
            if by_mentor:
                return redirect("mentorship:mentor_dashboard")
            if by_mentee:
                return redirect("mentorship:mentee_dashboard")
            return redirect("mentorship:staff_mentorship_list")
        return redirect("mentorship:detail", pk=mentorship.pk)
    return render(
        request,
        "mentorship/mentorship_end.html",
        {"mentorship": mentorship, "form": form, "by_mentor": by_mentor},
    )
