"""Long work in headless Chromium: a chair starts the reviewer assignment, the request answers
at once with a progress page, and the page follows the worker until the work is done; the same
page refreshes itself when JavaScript is off."""

import pytest
from playwright.sync_api import expect

from applications.models import Application, Assignment
from applications.services.applications import application_start, application_submit
from tests.browser.worker import queue_run
from tests.factories.accounts import UserFactory
from tests.factories.applications import CommitteeMembershipFactory, complete, full_call

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def call_to_assign(db):
    call = full_call(title="Surgical Training Grant")
    call.reviewers_per_application = 2
    call.save()
    chair = CommitteeMembershipFactory(call=call, is_chair=True, user__totp=True).user
    for _ in range(3):
        CommitteeMembershipFactory(call=call, user__totp=True)
    for _ in range(5):
        application = complete(application_start(call=call, applicant=UserFactory()))
        application_submit(application=Application.objects.get(pk=application.pk))
    return call, chair


@pytest.mark.parametrize("javascript", [True, False], ids=["polled", "refreshed"])
def test_a_chair_starts_the_assignment_and_watches_it_finish(
    call_to_assign, settings, sign_in, live_server, screenshot, javascript
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call, chair = call_to_assign
    page = sign_in(chair.email, totp=True, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/applications/calls/{call.pk}/assignment/")

    page.get_by_role("button", name="Run the assignment").click()

    expect(page.get_by_role("heading", name="Reviewer assignment")).to_be_visible()
    expect(page.get_by_text("Waiting for a worker to start it.")).to_be_visible()
    screenshot(page, f"operation-1-waiting-{'js' if javascript else 'nojs'}")
    address = page.url
    queue_run()
    expect(page.get_by_text("5 applications have their reviewers (10 assignments).")).to_be_visible(
        timeout=10_000
    )
    assert page.url == address  # followed in place (polled) or by the page's own refresh
    screenshot(page, f"operation-2-done-{'js' if javascript else 'nojs'}")
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(f"**/applications/calls/{call.pk}/assignment/")
    assert Assignment.objects.filter(application__call=call).count() == 10
