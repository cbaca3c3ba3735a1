"""Reads for reviewing: each fetches and authorises in one step and raises Http404 otherwise."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from applications.enums import ReviewState
from applications.models import (
    Application,
    Assignment,
    Call,
    CommitteeMembership,
    ConflictDeclaration,
    Review,
)
from applications.selectors import _with_relations


def membership_get(*, user, call_id: int) -> CommitteeMembership:
    membership = (
        CommitteeMembership.objects.filter(user=user, call_id=call_id)
        .select_related("call")
        .prefetch_related("conflicts")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def reviewer_queue(*, user) -> QuerySet[CommitteeMembership]:
    """The person's committees with their assignments and reviews (no query per row)."""
    return (
        CommitteeMembership.objects.filter(user=user)
        .select_related("call")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("application", "review").order_by(
                    "application_id"
                ),
            ),
            "conflicts",
        )
        .order_by("call__closes_at", "pk")
    )


def assignment_get_for_reviewer(*, user, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.filter(pk=assignment_id, membership__user=user)
        .select_related("membership__call", "review")
        .prefetch_related("membership__conflicts")
        .first()
    )
    if assignment is None:
        raise Http404
    application = _with_relations(Application.objects.filter(pk=assignment.application_id)).get()
    if any(conflict.covers(application) for conflict in assignment.membership.conflicts.all()):
        raise Http404
    assignment.application = application
    return assignment


def application_get_for_review(*, user, application_id: int) -> Application:
    application = _with_relations(Application.objects.filter(pk=application_id)).first()
    if application is None or not user.has_perm("applications.read_for_review", application):
        raise Http404
    return application


def reviews_of(*, application: Application) -> list[Review]:
    return list(
        Review.objects.filter(assignment__application=application)
        .select_related("assignment__membership__user")
        .order_by("assignment__membership_id")
    )


def reviews_visible_to(*, assignment: Assignment) -> list[Review]:
    """Others' submitted reviews, once the reviewer has submitted their own."""
    own = getattr(assignment, "review", None)
    if own is None or own.state != ReviewState.SUBMITTED:
        return []
    return [
        review
        for review in reviews_of(application=assignment.application)
        if review.state == ReviewState.SUBMITTED and review.assignment_id != assignment.pk
    ]


def conflicts_for_call(*, call: Call) -> QuerySet[ConflictDeclaration]:
    return (
        ConflictDeclaration.objects.filter(membership__call=call)
        .select_related("membership__user", "declared_by", "application__applicant")
        .order_by("membership_id", "created_at")
    )


def assignment_overview(*, call: Call) -> dict:
    members = list(
        CommitteeMembership.objects.filter(call=call, is_chair=False)
        .select_related("user")
        .prefetch_related("conflicts")
        .order_by("pk")
    )
    assignments = list(
        Assignment.objects.filter(application__call=call)
        .select_related("application__applicant", "membership__user", "review")
        .order_by("application_id", "membership_id")
    )
    loads = {member.pk: 0 for member in members}
    by_application: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        loads[assignment.membership_id] = loads.get(assignment.membership_id, 0) + 1
        by_application.setdefault(assignment.application_id, []).append(assignment)
    return {
        "members": [(member, loads.get(member.pk, 0)) for member in members],
        "rows": [(items[0].application, items) for items in by_application.values()],
        "member_choices": members,
    }
