"""After submission the applicant follows their application: submitted, under review, more
information requested and answered, shortlisted (calls with a second stage), decided."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application, InformationRequest, Shortlisting
from applications.selectors.timeline import application_timeline
from tests.factories.accounts import StaffFactory
from tests.factories.applications import (
    AssignmentFactory,
    DecisionFactory,
    complete,
    with_stage,
)

pytestmark = pytest.mark.django_db

SUBMITTED = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def submitted(application):
    application = complete(application)
    Application.objects.filter(pk=application.pk).update(
        state=ApplicationState.SUBMITTED, submitted_at=SUBMITTED
    )
    return Application.objects.get(pk=application.pk)


def _steps(application):
    return [
        (step.slug, step.at is not None, step.current)
        for step in application_timeline(Application.objects.get(pk=application.pk))
    ]


def test_a_draft_has_no_timeline(application):
    assert application_timeline(application) == []


def test_just_submitted(submitted):
    assert _steps(submitted) == [
        ("submitted", True, True),
        ("under_review", False, False),
        ("decided", False, False),
    ]


def test_under_review_once_the_first_reviewer_is_assigned(submitted):
    AssignmentFactory(application=submitted)

    assert _steps(submitted)[1] == ("under_review", True, True)


def test_more_information_requested_then_answered(submitted):
    asked = InformationRequest.objects.create(
        application=submitted,
        item_kind="other",
        message="Your transcript is unreadable.",
        requested_by=StaffFactory(),
        requested_at=timezone.now(),
    )
    (waiting,) = [s for s in application_timeline(submitted) if s.slug == "information"]
    asked.answered_at = timezone.now()
    asked.save()
    (answered,) = [s for s in application_timeline(submitted) if s.slug == "information"]

    assert (waiting.waiting, waiting.current, waiting.answered_at) == (True, True, None)
    assert (answered.waiting, answered.answered_at) == (False, asked.answered_at)


def test_shortlisted_on_a_call_with_a_second_stage(submitted):
    stage = with_stage(submitted.call)
    before = _steps(submitted)
    Shortlisting.objects.create(
        stage=stage,
        application=submitted,
        shortlisted_by=StaffFactory(),
        shortlisted_at=timezone.now(),
    )

    assert ("shortlisted", False, False) in before
    assert ("shortlisted", True, True) in _steps(submitted)


def test_decided_once_the_decision_is_published(submitted):
    DecisionFactory(application=submitted, outcome=DecisionOutcome.AWARD)
    draft = _steps(submitted)
    Application.objects.filter(pk=submitted.pk).update(state=ApplicationState.AWARDED)
    submitted.decision.published_at = timezone.now()
    submitted.decision.save()

    decided = application_timeline(Application.objects.get(pk=submitted.pk))[-1]
    assert decided.slug == "decided"
    assert draft[-1] == ("decided", False, False)
    assert (decided.current, decided.outcome) == (True, "Awarded")


def test_the_page_shows_an_ordered_list_with_the_current_step(student, submitted):
    html = student.get(f"/fr/applications/{submitted.pk}/submit/").content.decode()

    assert '<ol class="timeline">' in html
    assert html.count('aria-current="step"') == 2  # the steps' navigation, and the timeline
    assert '<time datetime="2027-01-05T09:00:00Z">5 janvier 2027</time>' in html


def test_the_shortlisted_applicant_finds_the_booking_page_from_the_timeline(student, submitted):
    stage = with_stage(submitted.call)
    Shortlisting.objects.create(
        stage=stage,
        application=submitted,
        shortlisted_by=StaffFactory(),
        shortlisted_at=timezone.now(),
    )

    html = student.get(f"/applications/{submitted.pk}/submit/").content.decode()

    assert f'href="/applications/{submitted.pk}/interview/">Choose a time</a>' in html
    assert student.get(f"/applications/{submitted.pk}/interview/").status_code == 200
