"""Mentors and mentees: the landing page, sign-up as a mentor, asking for a mentor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship import selectors
from mentorship.enums import RequestStatus
from mentorship.forms import MenteeRequestForm, MentorProfileForm
from mentorship.services import profiles
from mentorship.views.common import add_service_errors, allowed, error_text, paginate


def index(request):
    """What mentoring is, and each person's way in: offer to mentor, or ask for a mentor."""
    profile = mentee_request = None
    if request.user.is_authenticated:
        profile = selectors.mentor_profile_for_user(user=request.user)
        mentee_request = selectors.mentee_request_current(user=request.user)
    return render(
        request,
        "mentorship/index.html",
        {"profile": profile, "mentee_request": mentee_request},
    )


@login_required
def mentor_dashboard(request):
    if not allowed(request.user, "mentorship.view_mentor_dashboard"):
        raise Http404
    profile = selectors.mentor_profile_for_user(user=request.user)
    page = paginate(request, selectors.mentorship_list_for_mentor(profile=profile))
    return render(
        request, "mentorship/mentor_dashboard.html", {"profile": profile, "page_obj": page}
    )


def _profile_initial(profile, user) -> dict:
    if profile is None:
        return {"full_name": user.full_name, "time_zone": user.time_zone or "UTC", "capacity": 2}
    fields = ["specialties", "languages", "countries", "time_zone", "capacity"]
    return {
        "full_name": user.full_name,
        **{name: getattr(profile, name) for name in fields},
        "availability": profile.availability,
        "bio": profile.bio,
    }


@login_required
def mentor_profile_edit(request):
    """Offer to mentor (a new profile waits for approval), or edit one's profile."""
    profile = selectors.mentor_profile_for_user(user=request.user)
    initial = _profile_initial(profile, request.user)
    form = MentorProfileForm(
        request.POST or None,
        initial=initial,
        guess_time_zone=profile is None and not request.user.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if profile is None:
                profiles.mentor_profile_create(user=request.user, **form.cleaned_data)
                messages.success(
                    request,
                    _("Your mentor profile is saved."),
                )
            else:
                profiles.mentor_profile_update(profile=profile, **form.cleaned_data)
                messages.success(request, _("Your mentor profile is saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("mentorship:mentor_dashboard")
    return render(
        request, "mentorship/mentor_profile_form.html", {"form": form, "profile": profile}
    )


@login_required
def mentee_dashboard(request):
    """The student's side: their request, their mentor, past mentorships."""
    mentee_request = selectors.mentee_request_current(user=request.user)
    if mentee_request is None:
        return redirect("mentorship:mentee_request")
    page = paginate(request, selectors.mentorship_list_for_mentee(user=request.user))
    return render(
        request,
        "mentorship/mentee_dashboard.html",
        {"mentee_request": mentee_request, "page_obj": page},
    )


@login_required
def mentee_request_edit(request):
    """Ask for a mentor, or change the request while it waits."""
    current = selectors.mentee_request_current(user=request.user)
    if current is not None and current.status == RequestStatus.MATCHED:
        messages.info(request, _("You have a mentor. Your request can no longer change."))
        return redirect("mentorship:mentee_dashboard")
    editing = current if current is not None and current.is_open else None
    if editing is not None:
        initial = {
            "full_name": request.user.full_name,
            "interests": editing.interests,
            "languages": editing.languages,
            "time_zone": editing.time_zone,
            "preferred_country": str(editing.preferred_country or ""),
            "goals": editing.goals,
        }
    else:
        initial = {
            "full_name": request.user.full_name,
            "time_zone": request.user.time_zone or "UTC",
        }
    form = MenteeRequestForm(
        request.POST or None,
        initial=initial,
        guess_time_zone=editing is None and not request.user.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if editing is None:
                profiles.mentee_request_create(user=request.user, **form.cleaned_data)
                messages.success(
                    request,
                    _(
                        "Your request is in. "
                        "You will be introduced to a mentor after the next round."
                    ),
                )
            else:
                profiles.mentee_request_update(request=editing, **form.cleaned_data)
                messages.success(request, _("Your request is saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("mentorship:mentee_dashboard")
    return render(
        request,
        "mentorship/mentee_request_form.html",
        {"form": form, "mentee_request": editing},
    )


@login_required
@require_POST
def mentee_request_withdraw(request):
    current = selectors.mentee_request_current(user=request.user)
    if current is None or not allowed(request.user, "mentorship.change_mentee_request", current):
        raise Http404
    try:
        profiles.mentee_request_withdraw(request=current)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your request is withdrawn. You can ask again at any time."))
    return redirect("mentorship:mentee_dashboard")
