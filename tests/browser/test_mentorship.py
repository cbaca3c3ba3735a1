"""Mentoring end to end in headless Chromium: sign-up, approval, request, round, check-in."""

import re

import pytest
from playwright.sync_api import expect

from mentorship.models import CheckIn, Mentorship
from tests.factories.accounts import StaffFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def test_mentor_and_student_are_matched_and_log_a_check_in(
    page, sign_up, sign_in, live_server, mailoutbox, screenshot
):
    url = live_server.url
    StaffFactory(email="officer@example.org", full_name="Grace Njeri", totp=True)
    UserFactory(email="awa@example.org", full_name="Awa Sarr")

    # A clinician abroad signs up, confirms the address, and offers to mentor.
    sign_up(page, "fatou@example.org")
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
    screenshot(page, "mentorship-1-mentor-pending")

    # Programme staff approve the new mentor.
    staff = sign_in("officer@example.org", totp=True)
    staff.goto(f"{url}/mentorship/staff/mentors/?status=pending")
    staff.get_by_role("button", name="Approve Dr Fatou Ndiaye").click()
    expect(staff.get_by_text("Dr Fatou Ndiaye: Approved.")).to_be_visible()
    screenshot(staff, "mentorship-2-staff-approved")

    # A student on a phone asks for a mentor.
    student = sign_in("awa@example.org", viewport=PHONE, timezone_id="Africa/Dakar")
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
    screenshot(student, "mentorship-3-student-waiting")

    # Staff prepare a round, look at the preview with its reasons, and publish it.
    staff.goto(f"{url}/mentorship/staff/rounds/")
    staff.get_by_role("button", name="Prepare a round").click()  # in the worker, watched
    staff.get_by_role("link", name="Continue").click()
    row = staff.get_by_role("row", name=re.compile("Awa Sarr"))
    expect(row).to_contain_text("Dr Fatou Ndiaye")
    expect(row).to_contain_text("both speak French")
    expect(row).to_contain_text("Cardiology in common")
    screenshot(staff, "mentorship-4-round-preview")
    staff.get_by_role("button", name="Publish and introduce 1 pair").click()
    expect(staff.get_by_text("Introductions are on their way.")).to_be_visible()
    screenshot(staff, "mentorship-5-round-published")
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
    screenshot(page, "mentorship-6-mentor-sees-match")

    # The student sees the mentor with the same reasons, and logs the first check-in.
    student.goto(f"{url}/mentorship/my-mentor/")
    expect(student.get_by_role("list", name="Why this match")).to_contain_text(
        "Cardiology in common"
    )
    screenshot(student, "mentorship-7-student-sees-match")
    student.get_by_role("link", name="Goals and check-ins").click()
    student.get_by_label("What you talked about").fill("First call: residency timeline.")
    student.get_by_label("Next step").fill("Draft a personal statement.")
    student.get_by_role("button", name="Save the check-in").click()
    expect(student.get_by_text("Check-in saved.")).to_be_visible()
    expect(student.get_by_text("First call: residency timeline.")).to_be_visible()
    screenshot(student, "mentorship-8-student-check-in")

    mentorship = Mentorship.objects.get()
    assert (str(mentorship.mentee), mentorship.mentor.user.email) == (
        "Awa Sarr",
        "fatou@example.org",
    )
    assert CheckIn.objects.get().next_step == "Draft a personal statement."

    # The same page in Arabic, right to left.
    student.goto(f"{url}/ar/mentorship/{mentorship.pk}/")
    expect(student.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(student, "mentorship-9-mentorship-ar")
