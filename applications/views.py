"""Scholarship views: each role's dashboard (the application flow comes with its own issue)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from applications import selectors


@login_required
def dashboard(request):
    """The applicant's dashboard: their applications, and the calls open now."""
    return render(
        request,
        "applications/applicant_dashboard.html",
        {"open_calls": selectors.call_list_open()},
    )


@login_required
def reviewer_dashboard(request):
    if not request.user.has_perm("applications.view_reviewer_dashboard"):
        raise Http404
    memberships = selectors.membership_list_for_user(user=request.user)
    return render(request, "applications/reviewer_dashboard.html", {"memberships": memberships})


@login_required
def chair_dashboard(request):
    if not request.user.has_perm("applications.view_chair_dashboard"):
        raise Http404
    memberships = selectors.membership_list_for_user(user=request.user, chair=True)
    return render(request, "applications/chair_dashboard.html", {"memberships": memberships})
