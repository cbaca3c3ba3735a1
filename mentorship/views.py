"""Mentoring views: the mentor's dashboard (matching comes with its issue)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from mentorship import selectors


@login_required
def mentor_dashboard(request):
    if not request.user.has_perm("mentorship.view_mentor_dashboard"):
        raise Http404
    profile = selectors.mentor_profile_for_user(user=request.user)
    return render(request, "mentorship/mentor_dashboard.html", {"profile": profile})
