"""The scholarship section of the daily digest: what waits for a chair or programme staff."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from applications.enums import DecisionOutcome
from applications.selectors.waiting import digest_lines, digest_recipients
from portal import digest
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import (
    AssignmentFactory,
    DecisionFactory,
    candidate,
    make_committee,
    published,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def late():
    """A call past its review deadline: one application undecided with a review overdue, one
    with a draft decision, one award waiting for its answer."""
    now = timezone.now()
    committee = make_committee(review_deadline=now - timedelta(days=2), title="Rural Health")
    waiting = candidate(committee.call, "Awa Ndiaye")
    AssignmentFactory(application=waiting, membership=committee.reviewers[0])
    DecisionFactory(application=candidate(committee.call, "Bilal Haddad"))
    published(committee.call, "Chen Li", respond_by=now.date() + timedelta(days=5))
    published(committee.call, "Dara Okoye", DecisionOutcome.WAITLIST)
    return committee


def test_the_chair_reads_what_waits_in_their_call(late):
    with translation.override("en"):
        lines = digest_lines(late.chair, timezone.now())

    decisions = f"/applications/calls/{late.call.pk}/decisions/"
    assert lines == [
        ("Rural Health: 1 application waits for a decision.", decisions),
        ("Rural Health: 1 review is overdue.", f"/applications/calls/{late.call.pk}/assignment/"),
        ("Rural Health: 1 award waits for the student's answer.", decisions),
    ]


def test_before_the_review_deadline_only_awards_waiting_for_an_answer_count(late):
    late.call.review_deadline = timezone.now() + timedelta(days=1)
    late.call.save()

    lines = digest_lines(late.chair, timezone.now())

    assert [text for text, _url in lines] == [
        "Rural Health: 1 award waits for the student's answer."
    ]


def test_staff_read_every_call_and_others_nothing(late):
    other = make_committee(
        review_deadline=timezone.now() - timedelta(days=1), title="Surgery", slug="surgery"
    )
    candidate(other.call, "Esi Mensah")
    staff = StaffFactory()

    texts = [text for text, _url in digest_lines(staff, timezone.now())]

    assert "Surgery: 1 application waits for a decision." in texts
    assert "Rural Health: 1 review is overdue." in texts
    assert digest_lines(other.chair, timezone.now()) == [
        (
            "Surgery: 1 application waits for a decision.",
            f"/applications/calls/{other.call.pk}/decisions/",
        )
    ]
    assert digest_lines(late.reviewers[0].user, timezone.now()) == []
    assert digest_lines(UserFactory(), timezone.now()) == []


def test_the_recipients_are_staff_and_the_chairs_of_calls_with_something_waiting(late):
    staff = StaffFactory()
    quiet = make_committee(review_deadline=timezone.now() + timedelta(days=9), slug="quiet")

    recipients = set(digest_recipients(timezone.now()))

    assert {staff.pk, late.chair.pk} <= recipients
    assert quiet.chair.pk not in recipients
    assert late.reviewers[0].user.pk not in recipients


def test_the_section_is_registered():
    assert any(section.lines is digest_lines for section in digest.section_list())
