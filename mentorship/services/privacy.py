"""Mentoring's part of a person's data rights: their profile, requests, mentorships and
check-ins to export, and how their erasure ends what is running and keeps what has ended."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from mentorship.enums import EndReason, MentorshipStatus, MentorStatus, RequestStatus
from mentorship.models import CheckIn, MenteeRequest, MentorProfile, Mentorship


def mentorship_export(user) -> dict:
    profile = MentorProfile.objects.filter(user=user).first()
    mentorships = Mentorship.objects.filter(Q(mentee=user) | Q(mentor__user=user))
    return {
        "mentor_profile": {
            "bio": profile.bio,
            "specialties": profile.specialties,
            "languages": profile.languages,
            "countries": profile.countries,
            "time_zone": profile.time_zone,
            "capacity": profile.capacity,
            "availability": profile.availability,
            "status": profile.status,
        }
        if profile
        else None,
        "mentee_requests": [
            {
                "interests": request.interests,
                "languages": request.languages,
                "time_zone": request.time_zone,
                "preferred_country": str(request.preferred_country or ""),
                "goals": request.goals,
                "status": request.status,
                "created_at": request.created_at,
            }
            for request in MenteeRequest.objects.filter(user=user).order_by("pk")
        ],
        "mentorships": [
            {
                "mentor": str(mentorship.mentor),
                "mentee": str(mentorship.mentee),
                "goals": mentorship.goals,
                "status": mentorship.status,
                "started_at": mentorship.started_at,
                "ended_at": mentorship.ended_at,
            }
            for mentorship in mentorships.select_related("mentor__user", "mentee").order_by("pk")
        ],
        "check_ins_written": [
            {"held_on": check_in.held_on, "notes": check_in.notes, "next_step": check_in.next_step}
            for check_in in CheckIn.objects.filter(author=user).order_by("pk")
        ],
    }


def mentorship_documents(user) -> list[tuple[str, str]]:
    return []  # mentoring keeps no files


def mentorship_erase(user, now: datetime) -> None:
    """A running mentorship ends (the person leaves the programme) and a mentee of theirs waits
    for a new mentor; ended ones stay for the figures; their requests are withdrawn and their
    mentor profile emptied and paused."""
    with transaction.atomic():
        # Their mentees still want a mentor: staff re-pair these first.
        MenteeRequest.objects.filter(
            mentorships__mentor__user=user,
            mentorships__status=MentorshipStatus.ACTIVE,
            status=RequestStatus.MATCHED,
        ).update(status=RequestStatus.OPEN, needs_new_mentor_since=now)
        Mentorship.objects.filter(
            Q(mentee=user) | Q(mentor__user=user), status=MentorshipStatus.ACTIVE
        ).update(
            status=MentorshipStatus.ENDED,
            ended_at=now,
            ended_by=user,
            end_reason=EndReason.LEFT_PROGRAMME,
        )
        MenteeRequest.objects.filter(user=user, status__in=RequestStatus.current()).update(
            status=RequestStatus.WITHDRAWN
        )
        MenteeRequest.objects.filter(user=user).update(goals="", needs_new_mentor_since=None)
        MentorProfile.objects.filter(user=user).update(
            bio="", availability="", capacity=0, status=MentorStatus.PAUSED
        )
