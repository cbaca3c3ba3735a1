"""Background work of mentoring: introductions after a round is published."""

from mentorship.enums import MentorshipStatus
from mentorship.models import Mentorship
from mentorship.services.mentorships import mentorship_introduce
from portal.tasks import task


@task()
def task_send_round_introductions(*, round_id: int) -> None:
    """Email both sides of every pair the round made (one task, however large the round)."""
    mentorships = Mentorship.objects.filter(
        match_round_id=round_id, status=MentorshipStatus.ACTIVE
    ).select_related("mentee", "mentor__user")
    for mentorship in mentorships.iterator(chunk_size=500):
        mentorship_introduce(mentorship=mentorship)
