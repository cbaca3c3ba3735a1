"""From the assignment to the reminder: members given applications are emailed their count,
and a day before the review deadline those with reviews left are reminded, once. The job is
`applications.review_reminders` (applications/services/reminders.py), which also reminds
three days before."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.enums import ApplicationState, ReviewState
from applications.models import Application, Assignment, Call, Review
from applications.services.committee import reviewers_assign
from applications.services.reminders import review_reminders_send
from portal import jobs
from portal.demo import demo_user
from tests.factories.applications import candidate, make_committee

pytestmark = pytest.mark.django_db


def test_assigned_members_are_reminded_a_day_before_only_while_reviews_remain(
    mailoutbox, django_capture_on_commit_callbacks
):
    due = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    committee = make_committee(review_deadline=due, reviewers_per_application=1)
    for name in ("Awa Ndiaye", "Bilal Haddad", "Chen Li"):
        candidate(committee.call, name)
    with django_capture_on_commit_callbacks(execute=True):
        reviewers_assign(call=committee.call, actor=committee.chair)
    assigned = len(mailoutbox)
    finished = Assignment.objects.order_by("pk").first()
    Review.objects.create(
        assignment=finished, scores={}, state=ReviewState.SUBMITTED, submitted_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = review_reminders_send(now=due - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        again = review_reminders_send(now=due - timedelta(hours=20))

    reminded = {message.to[0] for message in mailoutbox[assigned:]}
    assert assigned == 3
    assert first == {"reminded": 2, "turned_off": 0}
    assert again == {"reminded": 0, "turned_off": 0}
    assert finished.membership.user.email not in reminded
    assert len(reminded) == 2


def test_the_review_reminder_job_is_registered():
    assert "applications.review_reminders" in jobs.names()


def test_the_demos_open_call_can_be_assigned(demo):
    call = Call.objects.get(slug="medical-student-scholarship-2027")
    for number in range(3):
        candidate(call, f"Demo student {number}", state=ApplicationState.SUBMITTED)

    result = reviewers_assign(call=call, actor=demo_user("chair"))

    assert len(result) == Application.objects.filter(call=call).count()
    assert all(len(reviewers) == call.reviewers_per_application for reviewers in result.values())
