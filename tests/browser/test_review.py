"""The committee in headless Chromium: conflicts, assignment, scoring, board, award, answer."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ReviewState
from applications.models import Application, Assignment, Criterion, Review
from applications.services.applications import application_start, application_submit
from tests.factories.accounts import UserFactory
from tests.factories.applications import CommitteeMembershipFactory, complete, full_call

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_conflict_assignment_scoring_board_award_and_answer(sign_in, live_server, screenshot):
    call = full_call(
        title="Research Elective Grant", budget=Decimal("1000"), award_amount=Decimal("1000")
    )
    call.reviewers_per_application = 2
    call.save()
    Criterion.objects.create(call=call, name="Motivation", weight=1, scale_max=5)
    chair = CommitteeMembershipFactory(call=call, is_chair=True, user__totp=True).user
    reviewer = CommitteeMembershipFactory(call=call, user__totp=True).user
    others = [CommitteeMembershipFactory(call=call, user__totp=True) for _ in range(2)]
    winner = UserFactory(full_name="Awa Ndiaye")
    for student, school in (
        (winner, "University of Nairobi"),
        (UserFactory(), "Makerere University"),
    ):
        application = complete(application_start(call=call, applicant=student))
        Application.objects.filter(pk=application.pk).update(institution=school)
        application_submit(application=Application.objects.get(pk=application.pk))
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save()

    # A reviewer declares a conflict before the assignment.
    page = sign_in(reviewer.email, totp=True)
    page.goto(f"{live_server.url}/applications/calls/{call.pk}/conflicts/")
    page.get_by_label("Every application from an institution").check()
    page.get_by_role("textbox", name="Institution").fill("Makerere University")
    page.get_by_label("Reason").fill("I teach there")
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_role("cell", name="I teach there")).to_be_visible()
    screenshot(page, "review-1-conflict")

    # The chair runs the assignment.
    chair_page = sign_in(chair.email, totp=True)
    chair_page.goto(f"{live_server.url}/applications/calls/{call.pk}/assignment/")
    chair_page.get_by_role("button", name="Run the assignment").click()
    expect(chair_page.get_by_text("2 applications have their reviewers")).to_be_visible()
    chair_page.get_by_role("link", name="Continue").click()
    screenshot(chair_page, "review-2-assignment")
    mine = Assignment.objects.get(membership__user=reviewer)
    assert mine.application.applicant == winner

    # The reviewer scores the assigned application.
    page.goto(f"{live_server.url}/applications/reviewing/")
    page.get_by_role("link", name=f"Application #{mine.application_id}").click()
    page.get_by_label("Motivation").select_option("5")
    page.get_by_label("Recommendation").select_option("award")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is submitted.")).to_be_visible()
    screenshot(page, "review-3-review")
    for assignment in Assignment.objects.exclude(pk=mine.pk):
        Review.objects.create(
            assignment=assignment,
            scores={str(call.criteria.get().pk): 3},
            state=ReviewState.SUBMITTED,
            recommendation="waitlist",
        )
    assert others

    # The chair reads the board, awards within the budget and publishes.
    chair_page.goto(f"{live_server.url}/applications/calls/{call.pk}/board/")
    expect(chair_page.get_by_role("cell", name="Awa Ndiaye Kenya")).to_be_visible()
    screenshot(chair_page, "review-4-board")
    chair_page.goto(f"{live_server.url}/applications/calls/{call.pk}/decisions/")
    chair_page.get_by_role("button", name="Show the suggestion").click()
    chair_page.get_by_role("button", name="Confirm these decisions").click()
    chair_page.get_by_role("link", name="Publish these decisions…").click()
    chair_page.get_by_role("button", name="Publish and email the applicants").click()
    screenshot(chair_page, "review-5-published")

    # The student downloads the award letter and accepts.
    student = sign_in(winner.email)
    student.goto(f"{live_server.url}/applications/{mine.application_id}/decision/")
    with student.expect_download() as download:
        student.get_by_role("link", name="Download your award letter (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    student.get_by_role("button", name="Accept the award").click()
    screenshot(student, "review-6-accepted")
    assert Application.objects.get(pk=mine.application_id).state == "accepted"
