"""Tests for mentorship.services.mentorships: pairing by hand, check-ins, goals, ending."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.enums import EndReason, MentorshipStatus, RequestStatus
from mentorship.models import Mentorship
from mentorship.services import mentorships as services
from mentorship.services import rounds
from portal.errors import Refused
from tests.factories.accounts import StaffFactory
from tests.factories.mentorship import (
    ApprovedMentorFactory,
    MenteeRequestFactory,
    MentorshipFactory,
)

pytestmark = pytest.mark.django_db


def test_pair_by_hand_makes_a_mentorship_and_introduces_both(
    mailoutbox, django_capture_on_commit_callbacks
):
    request = MenteeRequestFactory(user__full_name="Awa")
    mentor = ApprovedMentorFactory(user__full_name="Dr Fatou")

    with django_capture_on_commit_callbacks(execute=True):
        mentorship = services.mentorship_pair_by_hand(
            request=request, mentor=mentor, by=StaffFactory()
        )

    request.refresh_from_db()
    assert (request.status, mentorship.match_round) == (RequestStatus.MATCHED, None)
    assert mentorship.goals == request.goals
    assert mentorship.reasons[0] == {"code": "language", "values": ["fr"], "points": 0}
    assert [m.to for m in mailoutbox] == [[request.user.email], [mentor.user.email]]


def test_pair_by_hand_refuses_a_full_mentor():
    mentor = ApprovedMentorFactory(capacity=1)
    MentorshipFactory(mentor=mentor)

    with pytest.raises(Refused, match="no free seat") as refusal:
        services.mentorship_pair_by_hand(request=MenteeRequestFactory(), mentor=mentor, by=None)
    assert refusal.value.code == "full"


def test_pair_by_hand_refuses_a_pair_without_a_shared_language():
    with pytest.raises(Refused, match="share no language") as refusal:
        services.mentorship_pair_by_hand(
            request=MenteeRequestFactory(languages=["sw"]),
            mentor=ApprovedMentorFactory(),
            by=None,
        )
    assert refusal.value.code == "no_language"


def test_check_in_create_by_either_side():
    mentorship = MentorshipFactory()
    today = timezone.now().date()

    check_in = services.check_in_create(
        mentorship=mentorship,
        author=mentorship.mentor.user,
        held_on=today,
        notes="First call.",
        next_step="Send a CV.",
    )

    assert (check_in.author, check_in.held_on, check_in.next_step) == (
        mentorship.mentor.user,
        today,
        "Send a CV.",
    )


@pytest.mark.parametrize(
    ("days", "message", "code"),
    [
        (2, "A check-in cannot be in the future", "in_the_future"),
        (-3, "before the mentorship started", "before_start"),
    ],
    ids=["in-the-future", "before-the-start"],
)
def test_check_in_create_refuses_a_date_outside_the_mentorship(days, message, code):
    mentorship = MentorshipFactory()

    with pytest.raises(Refused, match=message) as refusal:
        services.check_in_create(
            mentorship=mentorship,
            author=mentorship.mentee,
            held_on=timezone.now().date() + timedelta(days=days),
            notes="?",
        )

    assert (refusal.value.code, refusal.value.field) == (code, "held_on")


def test_check_in_create_refuses_an_ended_mentorship():
    mentorship = MentorshipFactory(status=MentorshipStatus.ENDED)

    with pytest.raises(Refused, match="has ended") as refusal:
        services.check_in_create(
            mentorship=mentorship,
            author=mentorship.mentee,
            held_on=timezone.now().date(),
            notes="?",
        )
    assert refusal.value.code == "ended"


def test_goals_update():
    mentorship = MentorshipFactory()

    services.mentorship_goals_update(mentorship=mentorship, goals="Apply by March.")

    mentorship.refresh_from_db()
    assert mentorship.goals == "Apply by March."


def test_end_by_the_mentor_puts_the_mentee_back_on_the_list(
    mailoutbox, django_capture_on_commit_callbacks
):
    mentorship = MentorshipFactory(mentor__user__full_name="Dr Fatou")

    with django_capture_on_commit_callbacks(execute=True):
        services.mentorship_end(
            mentorship=mentorship,
            by=mentorship.mentor.user,
            reason=EndReason.LEFT_PROGRAMME,
            note="Moving to a new post.",
        )

    mentorship.refresh_from_db()
    request = mentorship.request
    request.refresh_from_db()
    assert (mentorship.status, mentorship.ended_by) == (
        MentorshipStatus.ENDED,
        mentorship.mentor.user,
    )
    assert request.status == RequestStatus.OPEN
    assert request.needs_new_mentor_since is not None
    (message,) = mailoutbox
    assert message.to == [mentorship.mentee.email]
    assert "Dr Fatou has ended your mentorship." in message.body
    assert "Reason: Leaving the programme" in message.body
    assert "Moving to a new post." in message.body
    assert "You are back on the list" in message.body


def test_end_by_the_mentor_with_goals_met_closes_the_request():
    mentorship = MentorshipFactory()

    services.mentorship_end(
        mentorship=mentorship,
        by=mentorship.mentor.user,
        reason=EndReason.GOALS_MET,
        find_new_mentor=True,  # a mentor cannot choose this: the rule decides
    )

    mentorship.request.refresh_from_db()
    assert mentorship.request.status == RequestStatus.CLOSED


@pytest.mark.parametrize(("wants", "status"), [(False, "closed"), (True, "open")])
def test_end_by_the_mentee_as_they_choose(wants, status):
    mentorship = MentorshipFactory()

    services.mentorship_end(
        mentorship=mentorship,
        by=mentorship.mentee,
        reason=EndReason.NOT_A_FIT,
        find_new_mentor=wants,
    )

    mentorship.request.refresh_from_db()
    assert mentorship.request.status == status


def test_end_by_staff_tells_both_sides(mailoutbox, django_capture_on_commit_callbacks):
    mentorship = MentorshipFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.mentorship_end(
            mentorship=mentorship, by=StaffFactory(), reason=EndReason.OTHER, find_new_mentor=True
        )

    assert [m.to for m in mailoutbox] == [[mentorship.mentee.email], [mentorship.mentor.user.email]]
    assert "Programme staff have ended the mentorship" in mailoutbox[1].body


def test_end_twice_is_refused():
    mentorship = MentorshipFactory(status=MentorshipStatus.ENDED)

    with pytest.raises(Refused, match="has ended") as refusal:
        services.mentorship_end(mentorship=mentorship, by=mentorship.mentee, reason="other")
    assert refusal.value.code == "ended"


def test_a_mentee_whose_mentor_left_is_re_paired_by_the_next_round():
    old = ApprovedMentorFactory(user__full_name="Dr Old", capacity=3)
    new = ApprovedMentorFactory(user__full_name="Dr New", specialties=[], capacity=1)
    mentorship = MentorshipFactory(mentor=old)
    services.mentorship_end(mentorship=mentorship, by=old.user, reason=EndReason.NO_TIME)

    match_round = rounds.round_prepare(by=None)
    rounds.round_publish(match_round=match_round, by=None)

    again = Mentorship.objects.get(status=MentorshipStatus.ACTIVE)
    assert (again.mentee, again.mentor) == (mentorship.mentee, new)
