"""Reads of the committee's work: memberships, assignments, reviews and conflicts; each `*_get_*`
fetches and authorises in one step and raises Http404 otherwise."""

from collections import defaultdict

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from applications.enums import ApplicationState, ConflictKind, RefereeStatus, ReviewState
from applications.models import (
    Application,
    Assignment,
    Call,
    CommitteeMembership,
    ConflictDeclaration,
    RefereeRequest,
    Review,
)
from applications.selectors.applications import with_relations
from portal.permissions import allowed


def reviewer_queue(*, user) -> list[CommitteeMembership]:
    """The person's committees with their assignments and reviews (no query per row).

    An assignment a conflict covers (`CommitteeMembership.conflicts_with`) is left out of
    `membership.assignments.all()`: it is closed, not owed, and its page answers 404."""
    memberships = list(
        CommitteeMembership.objects.filter(user=user)
        .select_related("call", "call__stage", "user")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "application__applicant", "review"
                ).order_by("application_id"),
            ),
            "assignments__application__referees",
            "conflicts",
        )
        .order_by("call__closes_at", "pk")
    )
    for membership in memberships:
        # The prefetched list is what `membership.assignments.all()` answers from.
        assignments = membership._prefetched_objects_cache["assignments"]
        assignments._result_cache = [
            a for a in assignments if not membership.conflicts_with(a.application)
        ]
    return memberships


def conflicted_application_ids(*, user, call: Call) -> set[int]:
    """The call's applications the person's membership of its committee conflicts with
    (declared or derived: see `CommitteeMembership.conflicts_with`); empty for a person
    outside the committee. The chair's board, suggestions and decisions leave them out."""
    if user is None or not user.is_authenticated:
        return set()
    membership = (
        call.memberships.filter(user=user)
        .select_related("user")
        .prefetch_related("conflicts")
        .first()
    )
    if membership is None:
        return set()
    # The database narrows the call's applications to those that could conflict (a call may
    # have thousands); the one test, `conflicts_with`, then decides on those few.
    email = (membership.user.email or "").strip()
    could = Q(applicant=user)
    if email:
        could |= Q(referees__email__iexact=email)
    for conflict in membership.conflicts.all():
        if conflict.kind == ConflictKind.APPLICATION and conflict.application_id:
            could |= Q(pk=conflict.application_id)
        elif conflict.kind == ConflictKind.INSTITUTION and conflict.institution.strip():
            could |= Q(institution__iexact=conflict.institution.strip())
        elif conflict.kind == ConflictKind.COUNTRY and conflict.country:
            could |= Q(country=conflict.country)
        elif conflict.kind == ConflictKind.PERSON:
            if conflict.person_id:
                could |= Q(applicant_id=conflict.person_id)
            if conflict.person_email.strip():
                could |= Q(applicant__email__iexact=conflict.person_email.strip())
    applications = (
        Application.objects.filter(could, call=call)
        .distinct()
        .select_related("applicant")
        .prefetch_related("referees")
    )
    return {a.pk for a in applications if membership.conflicts_with(a)}


def conflicted_pairs(
    *, applications: QuerySet[Application], memberships: QuerySet[CommitteeMembership]
) -> set[tuple[int, int]]:
    """Every (application id, membership id) pair of the two querysets that
    `CommitteeMembership.conflict_with` refuses: its bulk form, for the automatic assignment
    of a call's thousands of applications, in four queries and no test per pair.

    The same rule read from columns, branch by branch (applicant, referee, declared: an
    application, an institution, a person by account or email, a country), so a change to
    `conflict_with` or `ConflictDeclaration.covers` must be made here too;
    tests/applications/test_assign_bulk.py checks that the two agree on random data.
    """
    ids: set[int] = set()
    by_applicant: dict[int, set[int]] = defaultdict(set)
    by_email: dict[str, set[int]] = defaultdict(set)
    by_institution: dict[str, set[int]] = defaultdict(set)
    by_country: dict[str, set[int]] = defaultdict(set)
    for pk, applicant_id, email, institution, country in applications.values_list(
        "pk", "applicant_id", "applicant__email", "institution", "country"
    ):
        ids.add(pk)
        by_applicant[applicant_id].add(pk)
        by_email[(email or "").strip().casefold()].add(pk)
        by_institution[institution.strip().casefold()].add(pk)
        by_country[str(country or "")].add(pk)
    by_referee: dict[str, set[int]] = defaultdict(set)
    for application_id, email in (
        RefereeRequest.objects.filter(application__in=applications.values("pk"))
        .exclude(status=RefereeStatus.REPLACED)
        .values_list("application_id", "email")
    ):
        by_referee[email.strip().casefold()].add(application_id)
    declarations = ConflictDeclaration.objects.filter(
        membership__in=memberships.values("pk")
    ).values_list(
        "membership_id",
        "kind",
        "application_id",
        "institution",
        "country",
        "person_id",
        "person_email",
        named=True,
    )
    declared: dict[int, set[int]] = defaultdict(set)
    for declaration in declarations:
        covered = declared[declaration.membership_id]
        if declaration.kind == ConflictKind.APPLICATION:
            if declaration.application_id in ids:
                covered.add(declaration.application_id)
        elif declaration.kind == ConflictKind.INSTITUTION:
            if declaration.institution:
                covered |= by_institution.get(declaration.institution.strip().casefold(), set())
        elif declaration.kind == ConflictKind.PERSON:
            if declaration.person_id is not None:
                covered |= by_applicant.get(declaration.person_id, set())
            if declaration.person_email:
                covered |= by_email.get(declaration.person_email.strip().casefold(), set())
        elif declaration.country:
            covered |= by_country.get(str(declaration.country), set())
    pairs: set[tuple[int, int]] = set()
    for member_id, user_id, email in memberships.values_list("pk", "user_id", "user__email"):
        covered = by_applicant.get(user_id, set()) | declared.get(member_id, set())
        email = (email or "").strip().casefold()
        if email:
            covered = covered | by_referee.get(email, set())
        pairs.update((application_id, member_id) for application_id in covered)
    return pairs


def assignment_get_for_reviewer(*, user, assignment_id: int) -> Assignment:
    """The person's own assignment, with its application, unless a conflict covers it."""
    assignment = (
        Assignment.objects.filter(pk=assignment_id, membership__user=user)
        .select_related("membership__call", "review")
        .prefetch_related("membership__conflicts")
        .first()
    )
    if assignment is None:
        raise Http404
    assignment.application = with_relations(
        Application.objects.filter(pk=assignment.application_id)
    ).get()
    if not allowed(user, "applications.review_assignment", assignment):
        raise Http404
    return assignment


def application_get_for_review(*, user, application_id: int) -> Application:
    application = with_relations(Application.objects.filter(pk=application_id)).first()
    if application is None or not allowed(user, "applications.read_for_review", application):
        raise Http404
    return application


def review_get_for_manager(*, user, review_id: int) -> Review:
    """A review, for the chair (or staff) of its call; 404 for anyone else."""
    review = (
        Review.objects.select_related("assignment__application__call").filter(pk=review_id).first()
    )
    if review is None or not allowed(
        user, "applications.manage_call", review.assignment.application.call
    ):
        raise Http404
    if not allowed(user, "applications.read_for_review", review.assignment.application):
        raise Http404  # a chair in conflict with the application
    return review


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


def membership_get_own(*, user, call: Call) -> CommitteeMembership | None:
    """The person's membership of the call's committee, if any."""
    return call.memberships.filter(user=user).first()


def membership_list_reviewers(*, call: Call) -> list[CommitteeMembership]:
    """The call's reviewers (not its chair), with what `conflicts_with` reads."""
    return list(
        CommitteeMembership.objects.filter(call=call, is_chair=False)
        .select_related("user")
        .prefetch_related("conflicts")
        .order_by("pk")
    )


def application_list_reviewable(*, call: Call) -> QuerySet[Application]:
    """The call's applications the committee reviews: submitted and not yet decided, with
    what `CommitteeMembership.conflicts_with` reads."""
    return (
        Application.objects.filter(call=call, state__in=ApplicationState.decidable())
        .select_related("applicant")
        .prefetch_related("referees")
        .order_by("pk")
    )


def assignment_get_in_call(*, call: Call, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.filter(pk=assignment_id, application__call=call)
        .select_related("application", "membership__user", "review")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def assignment_overview(*, call: Call) -> dict:
    members = membership_list_reviewers(call=call)
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
        "submitted_count": application_list_reviewable(call=call).count(),
    }
