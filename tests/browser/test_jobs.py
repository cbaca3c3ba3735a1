"""Scheduled jobs in headless Chromium: programme staff see the jobs and run the award lapse by
hand; the next student on the waitlist then holds the award."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application
from tests.factories.accounts import TOTP_SECRET, StaffFactory
from tests.factories.applications import make_committee, published, score

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_run_the_award_lapse_and_the_waitlist_gets_the_award(
    sign_in, live_server, screenshot
):
    committee = make_committee(
        budget=Decimal("1000"), time_zone="Africa/Nairobi", title="Rural Health Grant"
    )
    yesterday = timezone.localdate(timezone.now(), committee.call.zone) - timedelta(days=1)
    awa = published(committee.call, "Awa Ndiaye", respond_by=yesterday)
    bilal = published(committee.call, "Bilal Haddad", DecisionOutcome.WAITLIST)
    score(committee, 0, bilal, 90)
    staff = StaffFactory(totp=True)
    TOTP.activate(committee.chair, TOTP_SECRET)

    page = sign_in(staff.email, totp=True)
    page.goto(f"{live_server.url}/dashboard/staff/jobs/")
    expect(page.get_by_role("heading", name="Scheduled jobs")).to_be_visible()
    row = page.locator("tr", has_text="Lapse unanswered awards and offer them to the waitlist")
    expect(row).to_contain_text("*/15 * * * *")
    expect(page.get_by_text("Deadline reminders to authors of drafts")).to_be_visible()
    screenshot(page, "jobs-1")

    row.get_by_role("button", name="Run now").click()
    row = page.locator("tr", has_text="Lapse unanswered awards and offer them to the waitlist")
    expect(row).to_contain_text("awards lapsed: 1")
    expect(row).to_contain_text("awards offered to the waitlist: 1")
    screenshot(page, "jobs-2")
    assert Application.objects.get(pk=awa.pk).state == ApplicationState.LAPSED
    assert Application.objects.get(pk=bilal.pk).state == ApplicationState.AWARDED

    chair = sign_in(committee.chair.email, totp=True)
    chair.goto(f"{live_server.url}/applications/calls/{committee.call.pk}/decisions/")
    awards = chair.locator("section", has=chair.get_by_role("heading", name="Published awards"))
    expect(awards.locator("tr", has_text="Awa Ndiaye")).to_contain_text("Award lapsed")
    expect(awards.locator("tr", has_text="Bilal Haddad")).to_contain_text("Waiting for an answer")
    screenshot(chair, "jobs-3")

    student = sign_in(bilal.applicant.email)
    student.goto(f"{live_server.url}/applications/")
    expect(student.get_by_text("You have been awarded this scholarship.")).to_be_visible()
    screenshot(student, "jobs-4")
