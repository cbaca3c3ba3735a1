"""One mentorship, seen by its mentee, its mentor or programme staff: goals, check-ins, end."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship import selectors
from mentorship.forms import CheckInForm, EndMentorshipForm, GoalsForm
from mentorship.rules import is_mentee_of, is_mentor_of
from mentorship.services import mentorships as services
from portal.errors import Refused
from portal.http import form_refused, refusals
from portal.pagination import paginate
from portal.permissions import allowed

CHECK_INS_PER_PAGE = 10


def _get(request, pk: int, perm: str = "mentorship.view_mentorship"):
    """Fetch and authorise in one step: someone else's mentorship does not exist (404)."""
    mentorship = get_object_or_404(selectors.mentorship_visible(user=request.user), pk=pk)
    if not allowed(request.user, perm, mentorship):
        raise Http404
    return mentorship


def _detail_url(pk: int) -> str:
    return reverse("mentorship:detail", args=[pk])


def _render_detail(request, mentorship, *, check_in_form=None, goals_form=None):
    user = request.user
    can_log = allowed(user, "mentorship.log_check_in", mentorship)
    can_change_goals = allowed(user, "mentorship.change_goals", mentorship)
    context = {
        "mentorship": mentorship,
        "mentee_request": mentorship.request,
        "is_mentee": is_mentee_of(user, mentorship),
        "is_mentor": is_mentor_of(user, mentorship),
        "can_end": allowed(user, "mentorship.end_mentorship", mentorship),
        "check_in_form": (check_in_form or CheckInForm()) if can_log else None,
        "goals_form": (goals_form or GoalsForm(initial={"goals": mentorship.goals}))
        if can_change_goals
        else None,
        "page_obj": paginate(
            selectors.check_in_list(mentorship=mentorship),
            request.GET.get("page"),
            per_page=CHECK_INS_PER_PAGE,
        ),
        "local_times": [
            (mentorship.mentee, mentorship.request.time_zone),
            (mentorship.mentor.user, mentorship.mentor.time_zone),
        ],
        "now": timezone.now(),
    }
    return render(request, "mentorship/mentorship_detail.html", context)


@login_required
def mentorship_detail(request, pk: int):
    return _render_detail(request, _get(request, pk))


def _post_form(request, pk: int, perm: str, form_class, change, done: str, form_name: str):
    """One of the forms on the mentorship's page: saved, back to the page with `done`;
    invalid or refused, the page again with the form as typed."""
    mentorship = _get(request, pk, perm)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            change(mentorship=mentorship, **form.cleaned_data)
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(request, done)
            return redirect(_detail_url(mentorship.pk))
    return _render_detail(request, mentorship, **{form_name: form})


@login_required
@require_POST
def check_in_create(request, pk: int):
    return _post_form(
        request,
        pk,
        "mentorship.log_check_in",
        CheckInForm,
        partial(services.check_in_create, author=request.user),
        _("Check-in saved."),
        "check_in_form",
    )


@login_required
@require_POST
def goals_update(request, pk: int):
    return _post_form(
        request,
        pk,
        "mentorship.change_goals",
        GoalsForm,
        services.mentorship_goals_update,
        _("Goals saved."),
        "goals_form",
    )


@login_required
@refusals(_detail_url)
def mentorship_end(request, pk: int):
    mentorship = _get(request, pk, "mentorship.end_mentorship")
    by_mentor = is_mentor_of(request.user, mentorship)
    by_mentee = is_mentee_of(request.user, mentorship)
    form = EndMentorshipForm(
        request.POST or None, ask_new_mentor=not by_mentor, mentee_asks=by_mentee
    )
    if request.method == "POST" and form.is_valid():
        services.mentorship_end(
            mentorship=mentorship,
            by=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            find_new_mentor=form.cleaned_data.get("find_new_mentor"),
        )
        messages.success(request, _("The mentorship has ended."))
        if by_mentor:
            return redirect("mentorship:mentor_dashboard")
        if by_mentee:
            return redirect("mentorship:mentee_dashboard")
        return redirect("mentorship:staff_mentorship_list")
    return render(
        request,
        "mentorship/mentorship_end.html",
        {"mentorship": mentorship, "form": form, "by_mentor": by_mentor},
    )
