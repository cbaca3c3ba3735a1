"""Quiet mentorships: a nudge to both sides, then a word to the coordinators (a daily job).

A mentorship is quiet when nothing was logged for `MatchingWeights.quiet_weeks` weeks (staff set
it on the weights page). Both sides then get one nudge (an optional email, kind
"mentoring_nudges"). If a week after that moment the spell still runs, the coordinators are told
once, in one email per run listing every such mentorship, never in the run that nudged (a
mentorship found quiet for long at once is nudged today and reported at the next run). Each
step is asked of the ledger per mentorship and quiet spell: a new check-in starts a new spell.
"""

from datetime import datetime, timedelta

from django.db import transaction

from mentorship import selectors
from mentorship.models import MatchingWeights, Mentorship
from portal import jobs
from portal.emails import email_send

KIND = "mentoring_nudges"
#: After the nudge, how long the spell may run on before the coordinators are told.
REPORT_AFTER = timedelta(weeks=1)


def _key(step: str, mentorship: Mentorship) -> str:
    spell = f"check_in:{mentorship.last_check_in_id}" if mentorship.last_check_in_id else "start"
    return f"mentorship.quiet:{step}:mentorship:{mentorship.pk}:{spell}"


def _weeks(mentorship: Mentorship, now: datetime) -> int:
    return (now - mentorship.quiet_since).days // 7


def _nudge(mentorship: Mentorship, now: datetime) -> None:
    mentee, mentor = mentorship.mentee, mentorship.mentor.user
    for person, other in ((mentee, mentor), (mentor, mentee)):
        email_send(
            to=[person.email],
            template="mentorship_quiet_nudge",
            context={
                "mentorship": mentorship,
                "name": person.get_short_name(),
                "other": other.get_full_name(),
                "weeks": _weeks(mentorship, now),
            },
            kind=KIND,
            user=person,
        )


def _report(mentorships: list[Mentorship], coordinators: list, now: datetime) -> None:
    rows = [{"mentorship": m, "weeks": _weeks(m, now)} for m in mentorships]
    for coordinator in coordinators:
        email_send(
            to=[coordinator.email],
            template="mentorship_quiet_staff",
            context={"name": coordinator.get_short_name(), "rows": rows},
            user=coordinator,
        )


def mentorship_quiet_nudge(*, now: datetime) -> dict[str, int]:
    """The job: nudge the mentorships gone quiet, report those still quiet a week later."""
    quiet_for = timedelta(weeks=MatchingWeights.load().quiet_weeks)
    nudged: set[int] = set()
    for mentorship in selectors.mentorship_quiet_list(now=now, quiet_for=quiet_for):
        with transaction.atomic():
            if jobs.once(_key("nudge", mentorship)):
                _nudge(mentorship, now)
                nudged.add(mentorship.pk)

    reported = 0
    coordinators = selectors.coordinator_list()
    if coordinators:  # else wait: reported once someone can read it
        overdue = selectors.mentorship_quiet_list(now=now, quiet_for=quiet_for + REPORT_AFTER)
        with transaction.atomic():
            due = [
                mentorship
                for mentorship in overdue
                if mentorship.pk not in nudged
                and jobs.done_before(_key("nudge", mentorship))
                and jobs.once(_key("report", mentorship))
            ]
            if due:
                _report(due, coordinators, now)
            reported = len(due)
    return {"nudged": len(nudged), "reported": reported}
