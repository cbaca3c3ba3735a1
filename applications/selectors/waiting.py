"""What waits on someone in the scholarship programme: drafts and letters before a call closes,
unfinished reviews, decisions and award answers; read by the scheduled jobs and the digest."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import ngettext

from applications.enums import ApplicationState, RefereeStatus, ReviewState
from applications.models import Application, Assignment, Call, CommitteeMembership, RefereeRequest
from portal.permissions import STAFF_PERMISSION, is_programme_staff


def drafts_closing_within(*, now: datetime, within: timedelta) -> QuerySet[Application]:
    """Unsubmitted drafts in calls that are open now and close within `within`."""
    return (
        Application.objects.filter(
            state=ApplicationState.DRAFT,
            call__opens_at__lte=now,
            call__closes_at__gt=now,
            call__closes_at__lte=now + within,
        )
        .select_related("call", "applicant")
        .order_by("pk")
    )


def letters_missing_within(*, now: datetime, within: timedelta) -> QuerySet[RefereeRequest]:
    """Invited referees who have not answered, for drafts whose call closes within `within`
    (a draft can only be submitted with its letters, so the call's closing is their deadline)."""
    return (
        RefereeRequest.objects.filter(
            status=RefereeStatus.INVITED,
            application__state=ApplicationState.DRAFT,
            application__call__closes_at__gt=now,
            application__call__closes_at__lte=now + within,
        )
        .select_related("application__call", "application__applicant")
        .order_by("pk")
    )


def reviews_outstanding(*, calls: QuerySet[Call]) -> dict[CommitteeMembership, list[Assignment]]:
    """Per reviewer, their assignments in `calls` with no submitted review, on applications the
    committee still reviews; an assignment a declared conflict covers is closed, not owed."""
    assignments = (
        Assignment.objects.filter(
            application__call__in=calls,
            application__state__in=ApplicationState.decidable(),
        )
        .filter(Q(review__isnull=True) | ~Q(review__state=ReviewState.SUBMITTED))
        .select_related("application__applicant", "membership__user", "membership__call")
        .prefetch_related("membership__conflicts", "application__referees")
        .order_by("membership_id", "application_id")
    )
    owed: dict[CommitteeMembership, list[Assignment]] = defaultdict(list)
    memberships: dict[int, CommitteeMembership] = {}
    for assignment in assignments:
        membership = memberships.setdefault(assignment.membership_id, assignment.membership)
        if not membership.conflicts_with(assignment.application):
            owed[membership].append(assignment)
    return dict(owed)


def calls_reviews_due_within(*, now: datetime, within: timedelta) -> QuerySet[Call]:
    return Call.objects.filter(review_deadline__gt=now, review_deadline__lte=now + within)


# --- The daily digest ---------------------------------------------------------------------


def calls_managed_by(user) -> QuerySet[Call]:
    """Every call for programme staff; the calls they chair for a chair."""
    if is_programme_staff(user):
        return Call.objects.all()
    return Call.objects.filter(memberships__user=user, memberships__is_chair=True)


def digest_recipients(now: datetime) -> list[int]:
    """Programme staff, and the chairs of calls past their review deadline or with awards
    waiting for an answer (the digest leaves out anyone with nothing waiting)."""
    app_label, codename = STAFF_PERMISSION
    staff = set(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(
                groups__permissions__content_type__app_label=app_label,
                groups__permissions__codename=codename,
            )
            | Q(
                user_permissions__content_type__app_label=app_label,
                user_permissions__codename=codename,
            )
        )
        .values_list("pk", flat=True)
    )
    busy = Call.objects.filter(
        Q(review_deadline__lte=now) | Q(applications__state=ApplicationState.AWARDED)
    )
    chairs = CommitteeMembership.objects.filter(call__in=busy, is_chair=True).values_list(
        "user_id", flat=True
    )
    return sorted(staff | set(chairs))


def digest_counts(*, user, now: datetime) -> list[tuple[Call, int, int, int]]:
    """For each call the person manages with something waiting: (call, applications waiting
    for a decision past the review deadline, reviews overdue, awards waiting for an answer)."""
    calls = list(calls_managed_by(user).distinct().order_by("closes_at", "pk"))
    if not calls:
        return []
    ids = [call.pk for call in calls]
    undecided = _count_by_call(
        Application.objects.filter(
            call_id__in=ids,
            call__review_deadline__lte=now,
            state__in=ApplicationState.decidable(),
            decision__isnull=True,
        )
    )
    unanswered = _count_by_call(
        Application.objects.filter(call_id__in=ids, state=ApplicationState.AWARDED)
    )
    overdue: dict[int, int] = defaultdict(int)
    late = Call.objects.filter(pk__in=ids, review_deadline__lte=now)
    for membership, assignments in reviews_outstanding(calls=late).items():
        overdue[membership.call_id] += len(assignments)
    rows = []
    for call in calls:
        counts = (undecided.get(call.pk, 0), overdue.get(call.pk, 0), unanswered.get(call.pk, 0))
        if any(counts):
            rows.append((call, *counts))
    return rows


def _count_by_call(applications: QuerySet[Application]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for call_id in applications.values_list("call_id", flat=True):
        counts[call_id] += 1
    return counts


def digest_lines(user, now: datetime) -> list[tuple[str, str]]:
    """What waits for this chair or member of staff, one line per call and kind, in the
    language active now (the digest job activates the reader's)."""
    lines = []
    for call, undecided, overdue, unanswered in digest_counts(user=user, now=now):
        decisions = reverse("applications:decisions", args=[call.pk])
        if undecided:
            text = ngettext(
                "%(call)s: %(count)d application waits for a decision.",
                "%(call)s: %(count)d applications wait for a decision.",
                undecided,
            )
            lines.append((text % {"call": call.title, "count": undecided}, decisions))
        if overdue:
            text = ngettext(
                "%(call)s: %(count)d review is overdue.",
                "%(call)s: %(count)d reviews are overdue.",
                overdue,
            )
            lines.append(
                (
                    text % {"call": call.title, "count": overdue},
                    reverse("applications:assignment", args=[call.pk]),
                )
            )
        if unanswered:
            text = ngettext(
                "%(call)s: %(count)d award waits for the student's answer.",
                "%(call)s: %(count)d awards wait for the students' answers.",
                unanswered,
            )
            lines.append((text % {"call": call.title, "count": unanswered}, decisions))
    return lines
