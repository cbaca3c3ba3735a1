"""Mentoring end to end in headless Chromium: sign-up, approval, request, round, check-in."""

import re
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from mentorship.models import CheckIn, Mentorship
from tests.factories.accounts import PASSWORD, TOTP_SECRET, StaffFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"mentorship-{name}.png", full_page=True)


def _link(mailoutbox, pattern):
    for message in reversed(mailoutbox):
        found = re.search(pattern, message.body)
        if found:
            return found.group(0)
    raise AssertionError(f"no email matches {pattern}")


@pytest.fixture
def new_page(browser):
    """A page in a browser context of its own (another person), closed after the test: a
    keep-alive connection closed later, during another test, would close the live server's
    database connection from the wrong thread."""
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def _sign_in(page, url, email, *, totp=False):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp:
        code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Sign In").click()


def test_mentor_and_student_are_matched_and_log_a_check_in(page, new_page, live_server, mailoutbox):
    url = live_server.url
    StaffFactory(email="officer@example.org", full_name="Grace Njeri", totp=True)
    UserFactory(email="awa@example.org", full_name="Awa Sarr")

    # A clinician abroad signs up, confirms the address, and offers to mentor.
    page.goto(f"{url}/accounts/signup/")
    page.get_by_label("Email").fill("fatou@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.goto(_link(mailoutbox, r"http://\S+/accounts/confirm-email/\S+"))
    page.get_by_role("button", name="Confirm").click()
    page.goto(f"{url}/mentorship/")
    page.get_by_role("link", name="Offer to mentor").click()
    page.get_by_label("Your name").fill("Dr Fatou Ndiaye")
    page.get_by_label("Cardiology").check()
    page.get_by_label("French").check()
    page.get_by_label("Countries whose health system you know").select_option(["SN", "FR"])
    page.get_by_label("Your time zone").select_option("Europe/Paris")
    page.get_by_label("Availability").fill("One call a month, evenings")
    page.get_by_role("button", name="Offer to mentor").click()
    expect(page.get_by_text("Programme staff will review your profile")).to_be_visible()
    _shot(page, "1-mentor-pending")

    # Programme staff approve the new mentor.
    staff = new_page()
    _sign_in(staff, url, "officer@example.org", totp=True)
    staff.goto(f"{url}/mentorship/staff/mentors/?status=pending")
    staff.get_by_role("button", name="Approve Dr Fatou Ndiaye").click()
    expect(staff.get_by_text("Dr Fatou Ndiaye: Approved.")).to_be_visible()
    _shot(staff, "2-staff-approved")

    # A student on a phone asks for a mentor.
    student = new_page(viewport=PHONE, timezone_id="Africa/Dakar")
    _sign_in(student, url, "awa@example.org")
    student.goto(f"{url}/mentorship/")
    student.get_by_role("link", name="Ask for a mentor").click()
    expect(student.get_by_label("Your name")).to_have_value("Awa Sarr")
    student.get_by_label("Cardiology").check()
    student.get_by_label("French").check()
    # mentorship.js preselected the phone's own time zone.
    expect(student.get_by_label("Your time zone")).to_have_value("Africa/Dakar")
    student.get_by_label("Country where you hope to practise").select_option("SN")
    student.get_by_label("What would you like help with?").fill("Residency in cardiology.")
    student.get_by_role("button", name="Ask for a mentor").click()
    expect(student.get_by_text("You are on the list for the next match round.")).to_be_visible()
    _shot(student, "3-student-waiting")

    # Staff prepare a round, look at the preview with its reasons, and publish it.
    staff.goto(f"{url}/mentorship/staff/rounds/")
    staff.get_by_role("button", name="Prepare a round").click()
    row = staff.get_by_role("row", name=re.compile("Awa Sarr"))
    expect(row).to_contain_text("Dr Fatou Ndiaye")
    expect(row).to_contain_text("both speak French")
    expect(row).to_contain_text("Cardiology in common")
    _shot(staff, "4-round-preview")
    staff.get_by_role("button", name="Publish and introduce 1 pair").click()
    expect(staff.get_by_text("Introductions are on their way.")).to_be_visible()
    _shot(staff, "5-round-published")
    subjects = sorted(m.subject for m in mailoutbox if "Meet your" in m.subject)
    assert subjects == [
        "[Global Health Portal] Meet your mentor, Dr Fatou Ndiaye",
        "[Global Health Portal] Meet your new mentee, Awa Sarr",
    ]

    # The mentor sees the new mentee and why they were matched.
    page.goto(f"{url}/mentorship/mentoring/")
    page.get_by_role("link", name="Awa Sarr").click()
    reasons = page.get_by_role("list", name="Why this match")
    expect(reasons).to_contain_text("both speak French")
    expect(reasons).to_contain_text("knows Senegal, the preferred country of practice")
    _shot(page, "6-mentor-sees-match")

    # The student sees the mentor with the same reasons, and logs the first check-in.
    student.goto(f"{url}/mentorship/my-mentor/")
    expect(student.get_by_role("list", name="Why this match")).to_contain_text(
        "Cardiology in common"
    )
    _shot(student, "7-student-sees-match")
    student.get_by_role("link", name="Goals and check-ins").click()
    student.get_by_label("What you talked about").fill("First call: residency timeline.")
    student.get_by_label("Next step").fill("Draft a personal statement.")
    student.get_by_role("button", name="Save the check-in").click()
    expect(student.get_by_text("Check-in saved.")).to_be_visible()
    expect(student.get_by_text("First call: residency timeline.")).to_be_visible()
    _shot(student, "8-student-check-in")

    mentorship = Mentorship.objects.get()
    assert (str(mentorship.mentee), mentorship.mentor.user.email) == (
        "Awa Sarr",
        "fatou@example.org",
    )
    assert CheckIn.objects.get().next_step == "Draft a personal statement."

    # The same page in Arabic, right to left.
    student.goto(f"{url}/ar/mentorship/{mentorship.pk}/")
    expect(student.locator("html")).to_have_attribute("dir", "rtl")
    _shot(student, "9-mentorship-ar")
