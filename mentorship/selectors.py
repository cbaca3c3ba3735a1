"""Reads of mentor profiles."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mentorship.enums import MentorStatus
from mentorship.models import MentorProfile


def mentor_profile_for_user(*, user) -> MentorProfile | None:
    return MentorProfile.objects.filter(user=user).first()


def staff_summary() -> list[tuple]:
    counts = MentorProfile.objects.aggregate(
        approved=Count("pk", filter=Q(status=MentorStatus.APPROVED)),
        pending=Count("pk", filter=Q(status=MentorStatus.PENDING)),
    )
    return [
        (_("Approved mentors"), counts["approved"], None),
        (_("Mentors awaiting approval"), counts["pending"], None),
    ]
