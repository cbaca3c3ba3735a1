"""Scheduled reminders: to authors of drafts and to their referees before a call closes, and
to reviewers before reviews are due. Each is a job (`applications.apps`), idempotent by the
ledger of `portal.jobs.once`: one email per person, object and stage, however often it runs.

The stages, counted back from the deadline (a job sends only the latest stage that has come,
so one that did not run for days sends one reminder, not a burst):

- authors of unsubmitted drafts: 7 days and 1 day before the call closes;
- referees whose letter is missing: 14, 7 and 2 days before the call closes (a draft is only
  submitted with its letters, so the call's closing is their real deadline), at most these
  three, each with a new link as `referee_remind` gives; the last one two days before, so
  the applicant still has time to replace a referee who does not answer;
- reviewers with unfinished reviews: 3 days and 1 day before the call's review deadline.
"""

import zoneinfo
from datetime import datetime, timedelta

from django.db import transaction

from applications.algorithms.schedule import stage_due, stage_name
from applications.models import Call
from applications.selectors.waiting import (
    calls_reviews_due_within,
    drafts_closing_within,
    letters_missing_within,
    reviews_outstanding,
)
from applications.services.referees import referee_remind
from portal import jobs
from portal.emails import email_send
from portal.errors import Refused

DEADLINE_STAGES = (timedelta(days=7), timedelta(days=1))
REFEREE_STAGES = (timedelta(days=14), timedelta(days=7), timedelta(days=2))
REVIEW_STAGES = (timedelta(days=3), timedelta(days=1))


def own_zone(user, call: Call) -> str:
    """The person's own time zone when they set a valid one other than the call's, else ""."""
    zone = getattr(user, "time_zone", "") or ""
    if not zone or zone == call.time_zone:
        return ""
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""
    return zone


def deadline_reminders_send(*, now: datetime) -> dict[str, int]:
    """Remind the author of each unsubmitted draft 7 days and 1 day before the call closes
    (a draft started after a stage's moment waits for the next stage)."""
    counts = {"reminded": 0, "turned_off": 0}
    for application in drafts_closing_within(now=now, within=max(DEADLINE_STAGES)):
        call, applicant = application.call, application.applicant
        stage = stage_due(deadline=call.closes_at, now=now, before=DEADLINE_STAGES)
        if stage is None or application.created_at > call.closes_at - stage:
            continue
        with transaction.atomic():
            if not jobs.once(
                f"applications.deadline:{stage_name(stage)}:application:{application.pk}"
            ):
                continue
            sent = email_send(
                to=[applicant.email],
                template="applications_deadline_reminder",
                context={
                    "name": applicant.get_short_name(),
                    "call": call,
                    "deadline": call.closes_at,
                    "call_zone": call.time_zone,
                    "own_zone": own_zone(applicant, call),
                    "missing": application.missing_count,
                    "application_id": application.pk,
                },
                kind="deadline_reminders",
                user=applicant,
            )
        counts["reminded" if sent else "turned_off"] += 1
    return counts


def referee_reminders_send(*, now: datetime) -> dict[str, int]:
    """Remind each referee whose letter is missing 14, 7 and 2 days before the call closes,
    with a new link (the old one stops working), logged for the applicant's page. A referee
    invited or reminded by hand in the last day waits for a later run of the same stage."""
    counts = {"reminded": 0, "waiting": 0}
    for referee in letters_missing_within(now=now, within=max(REFEREE_STAGES)):
        application = referee.application
        stage = stage_due(deadline=application.call.closes_at, now=now, before=REFEREE_STAGES)
        if stage is None or referee.invited_at > application.call.closes_at - stage:
            continue
        try:
            with transaction.atomic():
                if not jobs.once(
                    f"applications.referee:{stage_name(stage)}:referee_request:{referee.pk}"
                ):
                    continue
                referee_remind(application=application, referee=referee, now=now, automatic=True)
        except Refused:  # reminded by hand less than a day ago: the ledger entry rolled back
            counts["waiting"] += 1
        else:
            counts["reminded"] += 1
    return counts


def review_reminders_send(*, now: datetime) -> dict[str, int]:
    """Remind each reviewer with unfinished reviews 3 days and 1 day before the call's review
    deadline: one email per reviewer, call and stage, saying how many remain."""
    counts = {"reminded": 0, "turned_off": 0}
    stages = {}
    for call in calls_reviews_due_within(now=now, within=max(REVIEW_STAGES)):
        stage = stage_due(deadline=call.review_deadline, now=now, before=REVIEW_STAGES)
        if stage is not None:
            stages[call.pk] = stage
    if not stages:
        return counts
    owed = reviews_outstanding(calls=Call.objects.filter(pk__in=stages))
    for membership, assignments in owed.items():
        call, reviewer = membership.call, membership.user
        stage = stages[call.pk]
        with transaction.atomic():
            if not jobs.once(f"applications.review:{stage_name(stage)}:membership:{membership.pk}"):
                continue
            sent = email_send(
                to=[reviewer.email],
                template="applications_review_reminder",
                context={
                    "name": reviewer.get_short_name(),
                    "call": call,
                    "count": len(assignments),
                    "deadline": call.review_deadline,
                    "call_zone": call.time_zone,
                    "own_zone": own_zone(reviewer, call),
                },
                kind="review_reminders",
                user=reviewer,
            )
        counts["reminded" if sent else "turned_off"] += 1
    return counts
