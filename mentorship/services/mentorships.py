"""Mentorships: pairing by hand, introductions, goals, check-ins and ending one."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.enums import EndReason, MentorshipStatus, RequestStatus
from mentorship.models import CheckIn, MenteeRequest, MentorProfile, Mentorship
from mentorship.pairing import free_seats, pair_compatibility
from mentorship.services.pairs import check_pairable
from portal.emails import email_send
from portal.errors import Refused
from portal.tasks import task


def mentorship_introduce(*, mentorship: Mentorship) -> None:
    """Introduce the two by email, each in their own language."""
    mentee, mentor = mentorship.mentee, mentorship.mentor.user
    context = {"mentorship": mentorship, "mentee": mentee, "mentor": mentor}
    email_send(
        to=[mentee.email],
        template="mentorship_introduction_mentee",
        context=context,
        user=mentee,
    )
    email_send(
        to=[mentor.email],
        template="mentorship_introduction_mentor",
        context=context,
        user=mentor,
    )


@task()
def task_send_round_introductions(*, round_id: int) -> None:
    """Email both sides of every pair a published round made (one task, however large)."""
    mentorships = Mentorship.objects.filter(
        match_round_id=round_id, status=MentorshipStatus.ACTIVE
    ).select_related("mentee", "mentor__user")
    for mentorship in mentorships.iterator(chunk_size=500):
        mentorship_introduce(mentorship=mentorship)


@transaction.atomic
def mentorship_pair_by_hand(*, request: MenteeRequest, mentor: MentorProfile, by) -> Mentorship:
    """Staff pair a waiting mentee now, outside a round (a re-pair, an urgent case)."""
    request = MenteeRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    mentor = MentorProfile.objects.select_for_update().select_related("user").get(pk=mentor.pk)
    check_pairable(request=request, mentor=mentor)
    if free_seats(profile=mentor) < 1:
        raise Refused(_("This mentor has no free seat."), code="full")
    result = pair_compatibility(request=request, mentor=mentor, at=timezone.now())
    mentorship = Mentorship.objects.create(
        mentee=request.user,
        mentor=mentor,
        request=request,
        score=result.score,
        reasons=[reason.as_dict() for reason in result.reasons],
        goals=request.goals,
    )
    request.status = RequestStatus.MATCHED
    request.needs_new_mentor_since = None
    request.save(update_fields=["status", "needs_new_mentor_since", "updated_at"])
    mentorship_introduce(mentorship=mentorship)
    return mentorship


def _check_active(mentorship: Mentorship) -> None:
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise Refused(_("This mentorship has ended."), code="ended")


@transaction.atomic
def mentorship_goals_update(*, mentorship: Mentorship, goals: str) -> Mentorship:
    _check_active(mentorship)
    mentorship.goals = goals
    mentorship.save(update_fields=["goals"])
    return mentorship


@transaction.atomic
def check_in_create(
    *, mentorship: Mentorship, author, held_on: date, notes: str, next_step: str = ""
) -> CheckIn:
    """Either side logs a conversation. Dates may run a day ahead of UTC (time zones)."""
    _check_active(mentorship)
    if held_on > timezone.now().date() + timedelta(days=1):
        raise Refused(
            _("A check-in cannot be in the future."), code="in_the_future", field="held_on"
        )
    if held_on < mentorship.started_at.date() - timedelta(days=1):
        raise Refused(
            _("A check-in cannot be before the mentorship started."),
            code="before_start",
            field="held_on",
        )
    return CheckIn.objects.create(
        mentorship=mentorship, author=author, held_on=held_on, notes=notes, next_step=next_step
    )


@transaction.atomic
def mentorship_end(
    *,
    mentorship: Mentorship,
    by,
    reason: str,
    note: str = "",
    find_new_mentor: bool | None = None,
) -> Mentorship:
    """End a mentorship and tell the other side.

    Whether the mentee goes back to the waiting list: when the mentor ends it, yes unless the
    goals were reached (a mentee whose mentor left is re-paired by the next round, or by
    staff by hand); when the mentee or staff end it, as they choose (``find_new_mentor``).
    """
    mentorship = (
        Mentorship.objects.select_for_update()
        .select_related("mentee", "mentor__user", "request")
        .get(pk=mentorship.pk)
    )
    _check_active(mentorship)
    if reason not in EndReason.values:
        raise Refused(_("Choose a reason."), code="invalid", field="reason")
    by_mentor = by.pk == mentorship.mentor.user_id
    if find_new_mentor is None or by_mentor:
        find_new_mentor = by_mentor and reason != EndReason.GOALS_MET
    now = timezone.now()
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_at, mentorship.ended_by = now, by
    mentorship.end_reason, mentorship.end_note = reason, note
    mentorship.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "end_note"])

    request = mentorship.request
    if find_new_mentor:
        request.status, request.needs_new_mentor_since = RequestStatus.OPEN, now
    else:
        request.status, request.needs_new_mentor_since = RequestStatus.CLOSED, None
    request.save(update_fields=["status", "needs_new_mentor_since", "updated_at"])

    for person in (mentorship.mentee, mentorship.mentor.user):
        if person.pk == by.pk:
            continue
        email_send(
            to=[person.email],
            template="mentorship_ended",
            context={
                "mentorship": mentorship,
                "name": person.get_short_name(),
                "ended_by": by,
                "by_staff": by.pk not in (mentorship.mentee_id, mentorship.mentor.user_id),
                "reason": EndReason(reason).label,
                "note": note,
                "new_mentor": find_new_mentor and person.pk == mentorship.mentee_id,
            },
            user=person,
        )
    return mentorship
