"""Each scholarship role's dashboard."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from applications import selectors
from applications.enums import ReviewState
from portal.http import permission_required


@login_required
def dashboard(request):
    """The applicant's dashboard: their applications, and the calls they can still apply to."""
    applications = list(selectors.application_list_for_applicant(user=request.user))
    applied = {application.call_id for application in applications}
    rows = [
        {"application": application, "missing": selectors.missing_items(application)}
        for application in applications
    ]
    open_calls = [call for call in selectors.call_list_open() if call.pk not in applied]
    return render(
        request,
        "applications/applicant_dashboard.html",
        {"rows": rows, "open_calls": open_calls},
    )


@permission_required("applications.view_reviewer_dashboard")
def reviewer_dashboard(request):
    rows = []
    for membership in selectors.reviewer_queue(user=request.user):
        assignments = list(membership.assignments.all())
        done = sum(
            1
            for a in assignments
            if getattr(a, "review", None) and a.review.state == ReviewState.SUBMITTED
        )
        # A call with a second stage: its panel scores the shortlist on a page of its own.
        stage = getattr(membership.call, "stage", None)
        rows.append(
            {"membership": membership, "assignments": assignments, "done": done, "stage": stage}
        )
    return render(request, "applications/reviewer_dashboard.html", {"rows": rows})


@permission_required("applications.view_chair_dashboard")
def chair_dashboard(request):
    memberships = selectors.membership_list_for_user(user=request.user, chair=True)
    return render(request, "applications/chair_dashboard.html", {"memberships": memberships})
