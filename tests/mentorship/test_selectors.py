"""Tests for mentorship.selectors: engagement figures, current requests, the staff summary."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship import selectors
from mentorship.enums import MentorStatus, RequestStatus
from tests.factories.accounts import UserFactory
from tests.factories.mentorship import (
    CheckInFactory,
    MenteeRequestFactory,
    MentorProfileFactory,
    MentorshipFactory,
)

pytestmark = pytest.mark.django_db


def test_engagement_counts_check_ins_of_the_last_30_days():
    mentorship = MentorshipFactory(started_at=timezone.now() - timedelta(days=90))
    today = timezone.now().date()
    CheckInFactory(mentorship=mentorship, held_on=today)
    CheckInFactory(mentorship=mentorship, held_on=today - timedelta(days=30))
    CheckInFactory(mentorship=mentorship, held_on=today - timedelta(days=31))

    (row,) = selectors.mentorship_engagement_list()

    assert (row.recent_check_ins, row.last_check_in) == (2, today)


def test_quiet_means_older_than_two_weeks_without_a_recent_check_in():
    old = timezone.now() - timedelta(days=20)
    quiet = MentorshipFactory(started_at=old)
    CheckInFactory(mentorship=quiet, held_on=timezone.now().date() - timedelta(days=40))
    MentorshipFactory(started_at=timezone.now() - timedelta(days=10))

    assert list(selectors.mentorship_engagement_list(quiet=True)) == [quiet]


def test_mentee_request_current_prefers_the_waiting_request():
    user = UserFactory()
    MenteeRequestFactory(user=user, status=RequestStatus.CLOSED)
    waiting = MenteeRequestFactory(user=user)
    MenteeRequestFactory(user=user, status=RequestStatus.WITHDRAWN)

    assert selectors.mentee_request_current(user=user) == waiting


def test_mentee_request_current_falls_back_to_the_latest():
    user = UserFactory()
    MenteeRequestFactory(user=user, status=RequestStatus.CLOSED)
    latest = MenteeRequestFactory(user=user, status=RequestStatus.WITHDRAWN)

    assert selectors.mentee_request_current(user=user) == latest
    assert selectors.mentee_request_current(user=UserFactory()) is None


def test_staff_summary_counts():
    MentorProfileFactory(status=MentorStatus.APPROVED)
    MentorProfileFactory()
    MenteeRequestFactory()
    MentorshipFactory(started_at=timezone.now() - timedelta(days=60))

    rows = {label: count for label, count, _url in selectors.staff_summary()}

    assert rows == {
        "Approved mentors": 2,
        "Mentors awaiting approval": 1,
        "Mentees waiting for a mentor": 1,
        "Active mentorships": 1,
        "Quiet mentorships (no check-in in 30 days)": 1,
        "Match rounds": 0,
    }
