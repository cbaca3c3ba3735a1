"""Mentors and mentees: the landing page, sign-up as a mentor, asking for a mentor."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship import selectors
from mentorship.enums import RequestStatus
from mentorship.forms import MenteeRequestForm, MentorProfileForm
from mentorship.services import profiles
from portal.errors import Refused
from portal.http import form_refused, refusals
from portal.pagination import paginate
from portal.permissions import allowed


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
    page = paginate(selectors.mentorship_list_for_mentor(profile=profile), request.GET.get("page"))
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


def _saved(request, form, save, done: str) -> bool:
    """Whether a posted form was valid and `save` (a service taking the form's fields) took
    it; `done` is then the message. A refusal is shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except Refused as refusal:
        form_refused(form, refusal)
        return False
    messages.success(request, done)
    return True


@login_required
def mentor_profile_edit(request):
    """Offer to mentor (a new profile waits for approval), or edit one's profile."""
    profile = selectors.mentor_profile_for_user(user=request.user)
    form = MentorProfileForm(
        request.POST or None,
        initial=_profile_initial(profile, request.user),
        guess_time_zone=profile is None and not request.user.time_zone,
    )
    if profile is None:
        save = partial(profiles.mentor_profile_create, user=request.user)
    else:
        save = partial(profiles.mentor_profile_update, profile=profile)
    if _saved(request, form, save, _("Your mentor profile is saved.")):
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
    page = paginate(
        selectors.mentorship_list_for_mentee(user=request.user), request.GET.get("page")
    )
    return render(
        request,
        "mentorship/mentee_dashboard.html",
        {"mentee_request": mentee_request, "page_obj": page},
    )


def _request_initial(editing, user) -> dict:
    if editing is None:
        return {"full_name": user.full_name, "time_zone": user.time_zone or "UTC"}
    return {
        "full_name": user.full_name,
        "interests": editing.interests,
        "languages": editing.languages,
        "time_zone": editing.time_zone,
        "preferred_country": str(editing.preferred_country or ""),
        "goals": editing.goals,
    }


@login_required
def mentee_request_edit(request):
    """Ask for a mentor, or change the request while it waits."""
    current = selectors.mentee_request_current(user=request.user)
    if current is not None and current.status == RequestStatus.MATCHED:
        messages.info(request, _("You have a mentor. Your request can no longer change."))
        return redirect("mentorship:mentee_dashboard")
    editing = current if current is not None and current.is_open else None
    form = MenteeRequestForm(
        request.POST or None,
        initial=_request_initial(editing, request.user),
        guess_time_zone=editing is None and not request.user.time_zone,
    )
    if editing is None:
        save = partial(profiles.mentee_request_create, user=request.user)
        done = _("Your request is in. You will be introduced to a mentor after the next round.")
    else:
        save = partial(profiles.mentee_request_update, request=editing)
        done = _("Your request is saved.")
    if _saved(request, form, save, done):
        return redirect("mentorship:mentee_dashboard")
    return render(
        request,
        "mentorship/mentee_request_form.html",
        {"form": form, "mentee_request": editing},
    )


@login_required
@require_POST
@refusals("mentorship:mentee_dashboard")
def mentee_request_withdraw(request):
    current = selectors.mentee_request_current(user=request.user)
    if current is None or not allowed(request.user, "mentorship.change_mentee_request", current):
        raise Http404
    profiles.mentee_request_withdraw(request=current)
    messages.success(request, _("Your request is withdrawn. You can ask again at any time."))
    return redirect("mentorship:mentee_dashboard")
